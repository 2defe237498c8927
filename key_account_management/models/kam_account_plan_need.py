from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlanNeed(models.Model):
    """A need we plan to serve: a business need of the customer company, or a
    personal need (career, recognition, risk) of a named stakeholder."""

    _name = "kam.account.plan.need"
    _description = "Account Plan Need"
    _inherit = ["kam.account.plan.line"]
    _carry_over_fields = ("sequence", "need_type", "name", "stakeholder_id")

    partner_id = fields.Many2one(related="plan_id.partner_id", string="Account")
    need_type = fields.Selection(
        [("business", "Business"), ("personal", "Personal")],
        string="Type", required=True, default="business")
    name = fields.Text(string="Description", required=True)
    stakeholder_id = fields.Many2one(
        "kam.stakeholder", index="btree_not_null", ondelete="set null",
        domain="[('partner_id', '=', partner_id)]",
        help="The person whose personal need this is.")
    stakeholder_name = fields.Char(
        related="stakeholder_id.name", string="Stakeholder Name",
        help="The stakeholder's name, also for the account team members who cannot open "
             "the decision unit.")

    @api.constrains("need_type", "stakeholder_id", "plan_id")
    def _check_stakeholder(self):
        for need in self:
            if need.need_type == "personal" and not need.stakeholder_id:
                raise ValidationError(self.env._(
                    "Need %(need)s: a personal need must name the stakeholder it belongs to.",
                    need=need.name))
            if need.stakeholder_id and need.stakeholder_id.partner_id != need.plan_id.partner_id:
                raise ValidationError(self.env._(
                    "Need %(need)s: %(stakeholder)s is not a stakeholder of %(account)s.",
                    need=need.name, stakeholder=need.stakeholder_id.display_name,
                    account=need.plan_id.partner_id.display_name))
