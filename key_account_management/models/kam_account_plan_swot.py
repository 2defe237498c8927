from odoo import fields, models


class KamAccountPlanSwot(models.Model):
    """One SWOT item of an account plan: our strengths and weaknesses at the
    account, the opportunities and threats we see there."""

    _name = "kam.account.plan.swot"
    _description = "Account Plan SWOT Item"
    _order = "plan_id, swot_type, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        "kam.account.plan", string="Account Plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    swot_type = fields.Selection(
        [
            ("strength", "Strength"),
            ("weakness", "Weakness"),
            ("opportunity", "Opportunity"),
            ("threat", "Threat"),
        ],
        string="Type", required=True, default="strength")
    name = fields.Text(string="Description", required=True)
