from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlanCompetitor(models.Model):
    """A competitor's position at the account: their share of the customer's
    spend, their strengths and weaknesses, and our counter-strategy."""

    _name = "kam.account.plan.competitor"
    _description = "Account Plan Competitor Position"
    _inherit = ["kam.account.plan.line"]
    _carry_over_fields = (
        "sequence", "competitor_id", "share", "strengths", "weaknesses", "counter_strategy")

    competitor_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="restrict",
        domain=[("is_company", "=", True)])
    share = fields.Float(
        string="Estimated Share (%)", digits=(16, 1),
        help="Estimated share of the customer's spend in our categories that goes to this "
             "competitor.")
    strengths = fields.Text()
    weaknesses = fields.Text()
    counter_strategy = fields.Text(string="Our Counter-Strategy")

    @api.constrains("competitor_id", "share", "plan_id")
    def _check_competitor(self):
        for position in self:
            competitor = position.competitor_id.commercial_partner_id
            plan = position.plan_id
            if competitor == plan.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Competitor: %(competitor)s is the customer of the plan itself.",
                    competitor=position.competitor_id.display_name))
            if competitor == plan.company_id.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Competitor: %(competitor)s is our own company.",
                    competitor=position.competitor_id.display_name))
            if not 0 <= position.share <= 100:
                raise ValidationError(self.env._(
                    "Competitor %(competitor)s: the estimated share must be between 0 and "
                    "100 %% (%(value)s).",
                    competitor=position.competitor_id.display_name, value=position.share))
        for plan in self.plan_id:
            total = sum(plan.competitor_ids.mapped("share"))
            if total > 100:
                raise ValidationError(self.env._(
                    "Competitors of %(plan)s: their estimated shares add up to %(total)s %%, "
                    "more than the customer's whole spend (100 %%).",
                    plan=plan.display_name, total=round(total, 2)))
