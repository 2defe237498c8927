from odoo import api, fields, models

from .kam_bounds import MAX_DAYS, check_bounds

# the kinds of touch of a relationship: code, weight field of the company
RELATIONSHIP_KINDS = (
    ("message", "kam_rel_weight_message"),
    ("meeting", "kam_rel_weight_meeting"),
    ("visit", "kam_rel_weight_visit"),
    ("request", "kam_rel_weight_request"),
)
# the largest weight of one touch and the largest "strong link" threshold
MAX_REL_WEIGHT = 100
MAX_REL_STRONG = 100000


class ResCompany(models.Model):
    """Settings of the relationship strengths (issue 26): the weight of each kind
    of touch, the half-life after which a touch counts half, the strength from
    which a link is strong and the days after which a coach has gone cold."""

    _inherit = "res.company"

    kam_rel_weight_message = fields.Float(
        string="Message Weight", default=1.0, digits=(16, 2),
        help="Strength of one message exchanged with the contact, on the day it was sent.")
    kam_rel_weight_meeting = fields.Float(
        string="Meeting Weight", default=3.0, digits=(16, 2),
        help="Strength of one calendar meeting with the contact, on its day.")
    kam_rel_weight_visit = fields.Float(
        string="Visit Weight", default=5.0, digits=(16, 2),
        help="Strength of one done visit where the contact was met, on its day.")
    kam_rel_weight_request = fields.Float(
        string="Service Request Weight", default=2.0, digits=(16, 2),
        help="Strength of one service request raised by the contact and handled by the user.")
    kam_rel_half_life_days = fields.Integer(
        string="Relationship Half-Life (days)", default=90,
        help="After this many days a touch counts half, after twice as many a quarter...")
    kam_rel_strong_min = fields.Float(
        string="Strong Link From", default=5.0, digits=(16, 2),
        help="A relationship of at least this strength is a strong link (coverage red flags).")
    kam_rel_cold_days = fields.Integer(
        string="Coach Gone Cold After (days)", default=60,
        help="A coach nobody of us touched for this many days has gone cold.")

    # ---- Constraints ----
    @api.constrains("kam_rel_weight_message", "kam_rel_weight_meeting", "kam_rel_weight_visit",
                    "kam_rel_weight_request", "kam_rel_half_life_days", "kam_rel_strong_min",
                    "kam_rel_cold_days")
    def _check_kam_relationship_settings(self):
        check_bounds(self, self._kam_relationship_bounds())

    @api.model
    def _kam_relationship_bounds(self):
        return {
            **{fname: (0, MAX_REL_WEIGHT) for _kind, fname in RELATIONSHIP_KINDS},
            "kam_rel_half_life_days": (1, MAX_DAYS),
            "kam_rel_strong_min": (0, MAX_REL_STRONG),
            "kam_rel_cold_days": (1, MAX_DAYS),
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_bounds(self, self._kam_relationship_bounds(), vals)
        return super().create(vals_list)

    def write(self, vals):
        check_bounds(self, self._kam_relationship_bounds(), vals)
        return super().write(vals)
