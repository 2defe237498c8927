from odoo import fields, models


class KamAccountPlanSwot(models.Model):
    """One SWOT item of an account plan: our strengths and weaknesses at the
    account, the opportunities and threats we see there."""

    _name = "kam.account.plan.swot"
    _description = "Account Plan SWOT Item"
    _inherit = ["kam.account.plan.line"]
    _order = "plan_id, swot_type, sequence, id"

    swot_type = fields.Selection(
        [
            ("strength", "Strength"),
            ("weakness", "Weakness"),
            ("opportunity", "Opportunity"),
            ("threat", "Threat"),
        ],
        string="Type", required=True, default="strength")
    name = fields.Text(string="Description", required=True)
