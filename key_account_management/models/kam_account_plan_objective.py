from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .kam_flow_mixin import kam_has_group, kam_trusted

DIRECTOR_GROUP = "key_account_management.key_account_management_group_director"


class KamAccountPlanObjective(models.Model):
    """A measurable objective of an account plan (目标)."""

    _name = "kam.account.plan.objective"
    _description = "Account Plan Objective"
    _inherit = ["kam.account.plan.line"]

    # fields a key account manager may still update once the plan is submitted
    _PROGRESS_FIELDS = {"current_value", "status"}
    _carry_over_fields = (
        "sequence", "name", "measure", "target_value", "current_value", "date_deadline", "status")

    name = fields.Text(string="Description", required=True)
    measure = fields.Char(help="How the objective is measured, e.g. revenue, sites, NPS.")
    target_value = fields.Float(string="Target")
    current_value = fields.Float()
    progress = fields.Float(string="Progress (%)", compute="_compute_progress", digits=(16, 1))
    date_deadline = fields.Date(string="Due Date")
    status = fields.Selection(
        [
            ("not_started", "Not Started"),
            ("on_track", "On Track"),
            ("at_risk", "At Risk"),
            ("achieved", "Achieved"),
            ("missed", "Missed"),
            ("cancelled", "Cancelled"),
        ],
        default="not_started", required=True)

    @api.depends("target_value", "current_value")
    def _compute_progress(self):
        for objective in self:
            objective.progress = objective.current_value / objective.target_value * 100.0 \
                if objective.target_value else 0.0

    @api.constrains("target_value")
    def _check_target_value(self):
        for objective in self:
            if objective.target_value < 0:
                raise ValidationError(self.env._(
                    "Objective %(objective)s: the target cannot be negative (%(value)s).",
                    objective=objective.name, value=objective.target_value))

    def write(self, vals):
        if not kam_trusted(self.env) and not kam_has_group(self.env, DIRECTOR_GROUP) \
                and set(vals) - self._PROGRESS_FIELDS \
                and any(o.plan_id.state != "draft" for o in self):
            raise UserError(self.env._(
                "The plan is submitted: only the current value and the status of its objectives "
                "can still change. Ask a director to reopen it."))
        return super().write(vals)
