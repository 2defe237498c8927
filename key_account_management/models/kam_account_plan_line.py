from odoo import fields, models


class KamAccountPlanLine(models.AbstractModel):
    """What the lines of an account plan (objectives, actions, SWOT items,
    competitor positions, needs) share: their plan and its company, their
    order, and the values a line carries over into the next period's plan."""

    _name = "kam.account.plan.line"
    _description = "Account Plan Line"
    _inherit = ["kam.private.mixin", "kam.bounds.mixin"]
    _kam_fixed_link_fields = ("plan_id",)
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    # the fields _get_carry_over_vals() copies into the next period's plan
    _carry_over_fields = ()

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        "kam.account.plan", string="Account Plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)

    def _get_carry_over_vals(self):
        """Values of a new line of the next period's plan copying this one."""
        self.ensure_one()
        return {
            fname: self[fname].id if self._fields[fname].type == "many2one" else self[fname]
            for fname in self._carry_over_fields
        }
