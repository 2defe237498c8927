from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .kam_flow_mixin import kam_has_group, kam_trusted
from .kam_reader import reader_env

DIRECTOR_GROUP = "key_account_management.key_account_management_group_director"
OPEN_STATES = ("todo", "in_progress")


class KamAccountPlanAction(models.Model):
    """An action step of an account plan with an owner and a due date.

    While open, the action keeps one activity of its owner on the plan in step
    with it (owner, due date, description); done or cancelled, the activity is
    closed.
    """

    _name = "kam.account.plan.action"
    _description = "Account Plan Action"
    _inherit = ["kam.account.plan.line"]
    _order = "plan_id, sequence, date_deadline, id"

    # fields that may still change once the plan is submitted (execution)
    _PROGRESS_FIELDS = {"state", "note", "activity_id"}
    _carry_over_fields = ("sequence", "name", "user_id", "date_deadline", "state", "note")

    name = fields.Char(string="Description", required=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]")
    date_deadline = fields.Date(string="Due Date", required=True, index=True,
                                default=lambda self: self.env.company._kam_today())
    state = fields.Selection(
        [
            ("todo", "To Do"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="todo", required=True, index=True)
    note = fields.Text()
    activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null",
        index="btree_not_null")
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    @api.depends("date_deadline", "state")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = self.env.company._kam_today()
        for action in self:
            action.is_overdue = action.state in OPEN_STATES and action.date_deadline < today

    @api.constrains("user_id", "plan_id")
    def _check_owner_company(self):
        for action in self:
            if action.user_id.share or action.plan_id.company_id not in action.user_id.company_ids:
                raise ValidationError(self.env._(
                    "Action %(action)s: the owner %(user)s is not an internal user of %(company)s.",
                    action=action.name, user=action.user_id.name,
                    company=action.plan_id.company_id.name))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        if not self.env.context.get("kam_plan_defer_activity"):
            actions._sync_activity()
        return actions

    def write(self, vals):
        if not kam_trusted(self.env) and not kam_has_group(self.env, DIRECTOR_GROUP) \
                and set(vals) - self._PROGRESS_FIELDS \
                and any(a.plan_id.state != "draft" for a in self):
            raise UserError(self.env._(
                "The plan is submitted: only the state and the note of its actions can still "
                "change. Ask a director to reopen it."))
        res = super().write(vals)
        if {"name", "user_id", "date_deadline", "state", "plan_id"} & set(vals):
            self._sync_activity()
        return res

    def unlink(self):
        self.activity_id.unlink()
        return super().unlink()

    # ---- Business ----
    def _activity_summary(self):
        return self.env._("Plan action: %(action)s", action=self.name)

    def _sync_activity(self):
        """Keep one activity of the owner on the plan for each open action."""
        for action in self:
            activity = action.activity_id
            if activity and not activity.active:  # marked done by hand: not in step any more
                action.activity_id = activity = self.env["mail.activity"]
            if action.state not in OPEN_STATES:
                if activity:
                    action.activity_id = False
                    if action.state == "done":
                        activity.action_feedback(feedback=self.env._("Action done."))
                    else:
                        activity.unlink()
                continue
            vals = {
                "user_id": action.user_id.id,
                "date_deadline": action.date_deadline,
                "summary": action._activity_summary(),
            }
            if activity:
                changed = {k: v for k, v in vals.items()
                           if (activity[k].id if k == "user_id" else activity[k]) != v}
                if changed:
                    activity.write(changed)
            else:
                action.activity_id = action.plan_id.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=action.date_deadline,
                    summary=vals["summary"], user_id=action.user_id.id)

    @api.model
    def _remind_overdue(self):
        """Overdue open actions whose activity is gone (marked done or deleted
        by hand) get one new activity for their owner; an action that has one
        keeps it. Running it again creates nothing."""
        today = self.env.company._kam_today()
        overdue = self.search([
            ("state", "in", OPEN_STATES), ("date_deadline", "<", today),
            "|", ("activity_id", "=", False), ("activity_id.active", "=", False),
            ("plan_id.state", "!=", "closed"),
        ])
        for action in overdue:
            # in the language of the one who does it
            env = reader_env(self.env, action.user_id) if action.user_id else self.env
            action.activity_id = action.plan_id.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=today,
                summary=env._("Overdue plan action: %(action)s", action=action.name),
                note=env._("This action of the account plan was due on %(date)s.",
                           date=format_date(env, action.date_deadline)),
                user_id=action.user_id.id)
        return overdue
