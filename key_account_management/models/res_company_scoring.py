from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import MAX_DAYS, MAX_WEIGHT, check_bounds

SCORE_WEIGHT_FIELDS = (
    "kam_weight_revenue", "kam_weight_growth", "kam_weight_frequency",
    "kam_weight_strategic", "kam_weight_potential", "kam_weight_credit",
)


# weights (only their ratios count) and the grace period the engine adds to dates
SCORING_LIMITS = {
    **dict.fromkeys(SCORE_WEIGHT_FIELDS, (0, MAX_WEIGHT)),
    "kam_downgrade_grace_days": (0, MAX_DAYS),
}


class ResCompany(models.Model):
    """Settings of the key-account scoring: component weights and the grace
    period of tier downgrades."""

    _inherit = "res.company"
    _kam_bounds = SCORING_LIMITS

    kam_weight_revenue = fields.Integer(string="Revenue Rank Weight", default=35)
    kam_weight_growth = fields.Integer(string="Growth Weight", default=15)
    kam_weight_frequency = fields.Integer(string="Order Frequency Weight", default=15)
    kam_weight_strategic = fields.Integer(string="Strategic Value Weight", default=15)
    kam_weight_potential = fields.Integer(string="Potential Weight", default=10)
    kam_weight_credit = fields.Integer(string="Credit Rating Weight", default=10)
    kam_downgrade_grace_days = fields.Integer(
        string="Tier Downgrade Grace (days)", default=90,
        help="A registered account keeps its tier this many days after its score "
             "suggests a lower one, so that accounts do not flap between tiers.")
    kam_scoring_digest = fields.Char(
        string="Key Account Scoring Inputs Digest", readonly=True, copy=False,
        groups="base.group_system",
        help="Digest of the scoring engine's inputs at the end of its last complete run of "
             "this company (documents' figures, accounts' data, settings, date). A run whose "
             "inputs have the same digest has nothing to change and stops at once.")

    _kam_weights_positive = models.Constraint(
        "CHECK(kam_weight_revenue >= 0 AND kam_weight_growth >= 0 AND kam_weight_frequency >= 0"
        " AND kam_weight_strategic >= 0 AND kam_weight_potential >= 0 AND kam_weight_credit >= 0)",
        "The key account score weights cannot be negative.",
    )
    _kam_downgrade_grace_positive = models.Constraint(
        "CHECK(kam_downgrade_grace_days >= 0)",
        "The tier downgrade grace period cannot be negative.",
    )

    # ---- Constraints ----
    @api.constrains(*SCORE_WEIGHT_FIELDS, "kam_downgrade_grace_days")
    def _check_kam_scoring_settings(self):
        for company in self:
            for fname in SCORE_WEIGHT_FIELDS:
                if company[fname] < 0:
                    raise ValidationError(self.env._(
                        "%(field)s of %(company)s cannot be negative (got %(value)s): "
                        "a score weight is 0 or more.",
                        field=self._fields[fname].get_description(self.env)["string"],
                        company=company.name, value=company[fname]))
            if company.kam_downgrade_grace_days < 0:
                raise ValidationError(self.env._(
                    "The tier downgrade grace period of %(company)s cannot be negative "
                    "(got %(value)s days).",
                    company=company.name, value=company.kam_downgrade_grace_days))
        check_bounds(self, SCORING_LIMITS)
