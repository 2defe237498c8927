from odoo import fields, models


class ResCompany(models.Model):
    """Settings of the key-account scoring: component weights and the grace
    period of tier downgrades."""

    _inherit = "res.company"

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

    _kam_weights_positive = models.Constraint(
        "CHECK(kam_weight_revenue >= 0 AND kam_weight_growth >= 0 AND kam_weight_frequency >= 0"
        " AND kam_weight_strategic >= 0 AND kam_weight_potential >= 0 AND kam_weight_credit >= 0)",
        "The key account score weights cannot be negative.",
    )
    _kam_downgrade_grace_positive = models.Constraint(
        "CHECK(kam_downgrade_grace_days >= 0)",
        "The tier downgrade grace period cannot be negative.",
    )
