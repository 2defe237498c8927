from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .ir_cron import kam_retry_on_conflict
from .kam_bounds import check_date_values
from .kam_flow_mixin import kam_in_flow
from .kam_reader import report_filename, report_period

# what an owner may still change on a plan that is no longer draft or refused
PLAN_CONTENT_FIELDS = {"user_id", "date_start", "date_end", "company_id"}


def _month_start(day):
    return day.replace(day=1)


def _month_end(day):
    return day + relativedelta(day=31)


class KamVisitPlan(models.Model):
    """One key account manager's visit plan for a period (a month by default),
    submitted to a director with its budget (走访计划)."""

    _name = "kam.visit.plan"
    _description = "Key Account Visit Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.private.mixin", "kam.state.mixin", "kam.bounds.mixin"]
    _kam_fixed_link_fields = ("user_id", "company_id")
    _kam_transitions = {
        "draft": ("submitted", "cancelled"),
        "refused": ("submitted", "cancelled", "draft"),
        "submitted": ("approved", "refused"),
        "approved": ("done", "cancelled"),
        "cancelled": ("draft",),
    }
    _kam_create_states = ("draft",)
    _order = "date_start desc, user_id, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True,
                       precompute=True)
    user_id = fields.Many2one(
        "res.users", string="Key Account Manager", required=True, index=True, tracking=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    date_start = fields.Date(
        string="Period Start", required=True, tracking=True,
        default=lambda self: _month_start(self.env.company._kam_today()))
    date_end = fields.Date(
        string="Period End", required=True, tracking=True,
        default=lambda self: _month_end(self.env.company._kam_today()))
    visit_ids = fields.One2many("kam.visit", "plan_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_figures")
    visit_done_count = fields.Integer(compute="_compute_figures", string="Visits Done")
    currency_id = fields.Many2one(related="company_id.currency_id")
    planned_budget = fields.Monetary(
        compute="_compute_figures", currency_field="currency_id",
        help="Sum of the planned expenses of the plan's visits that are not cancelled.")
    actual_expense = fields.Monetary(
        string="Actual Expenses", compute="_compute_figures", currency_field="currency_id",
        help="Sum of the actual expenses of the plan's done visits.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        default="draft", required=True, tracking=True, copy=False, index=True)
    review_comment = fields.Text(
        string="Director's Comment", copy=False, tracking=True,
        help="Written by the director who approves or refuses the plan.")
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", copy=False, readonly=True)
    review_date = fields.Datetime(string="Reviewed On", copy=False, readonly=True)
    note = fields.Html(string="Notes")

    # ---- Compute ----
    @api.depends("user_id", "date_start")
    def _compute_name(self):
        for plan in self:
            if plan.user_id and plan.date_start:
                plan.name = self.env._("%(user)s - %(period)s", user=plan.user_id.name,
                                       period=plan.date_start.strftime("%Y-%m"))
            elif not plan.name:
                plan.name = self.env._("New Visit Plan")

    @api.depends("visit_ids.state", "visit_ids.expense_planned", "visit_ids.expense_amount")
    def _compute_figures(self):
        groups = self.env["kam.visit"]._read_group(
            [("plan_id", "in", self.ids), ("state", "!=", "cancelled")],
            ["plan_id", "state"], ["__count", "expense_planned:sum", "expense_amount:sum"])
        figures = {}
        for plan, state, count, planned, actual in groups:
            fig = figures.setdefault(plan.id, {"count": 0, "done": 0, "planned": 0.0,
                                               "actual": 0.0})
            fig["count"] += count
            fig["planned"] += planned
            if state == "done":
                fig["done"] += count
                fig["actual"] += actual
        for plan in self:
            fig = figures.get(plan._origin.id, {})
            plan.visit_count = fig.get("count", 0)
            plan.visit_done_count = fig.get("done", 0)
            plan.planned_budget = fig.get("planned", 0.0)
            plan.actual_expense = fig.get("actual", 0.0)

    # ---- Constraints ----
    @api.constrains("date_start", "date_end")
    def _check_period(self):
        for plan in self:
            if plan.date_end < plan.date_start:
                raise ValidationError(self.env._(
                    "Visit plan %(plan)s: the period end (%(end)s) must not be before its "
                    "start (%(start)s).", plan=plan.display_name,
                    end=format_date(self.env, plan.date_end),
                    start=format_date(self.env, plan.date_start)))
        self.visit_ids._check_plan_period()

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_date_values(self, vals, ("date_start", "date_end"))
        self._kam_check_create_states(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_date_values(self, vals, ("date_start", "date_end"))
        self._kam_check_transitions(vals)
        if not self._kam_trusted() and ("reviewer_id" in vals or "review_date" in vals):
            if not self._is_director():
                raise UserError(self.env._(
                    "Only a Key Account Director can record the review of a visit plan."))
            self._kam_check_signer(vals, "reviewer_id")
        # only the model's own flow (its token, never a context key a client could send)
        # may change the content of a plan past its draft
        if PLAN_CONTENT_FIELDS & set(vals) and not kam_in_flow(self.env):
            for plan in self:
                if plan.state not in ("draft", "refused"):
                    raise UserError(self.env._(
                        "Visit plan %(plan)s is %(state)s: its owner, period and company can "
                        "only change while it is a draft or refused.",
                        plan=plan.display_name, state=plan._state_label()))
        if "review_comment" in vals and not (self._kam_trusted() or self._is_director()):
            raise UserError(self.env._(
                "Only a Key Account Director can write the Director's Comment of a visit plan."))
        res = super().write(vals)
        if vals.get("state") == "submitted" and not self._kam_trusted():
            self._check_has_visits()
        return res

    def _kam_check_move(self, old, new, vals):
        if new in ("approved", "refused"):
            action = self.env._("approve") if new == "approved" else self.env._("refuse")
            self._check_reviewer(action, owner=self._kam_value(vals, "user_id"))
            if new == "refused" and self._kam_is_empty(self._kam_value(vals, "review_comment")):
                raise UserError(self.env._(
                    "Visit plan %(plan)s: write in the Director's Comment why the plan is "
                    "refused.", plan=self.display_name))

    def _check_has_visits(self):
        for plan in self:
            if not plan.visit_ids.filtered(lambda v: v.state != "cancelled"):
                raise UserError(self.env._(
                    "Visit plan %(plan)s has no visit: add the planned visits before "
                    "submitting it.", plan=plan.display_name))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        for plan in self:
            if plan.state not in ("draft", "cancelled"):
                raise UserError(self.env._(
                    "Visit plan %(plan)s is %(state)s: only draft or cancelled plans can be "
                    "deleted.", plan=plan.display_name, state=plan._state_label()))

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ---- Actions ----
    def _check_state(self, allowed, action):
        for plan in self:
            if plan.state not in allowed:
                raise UserError(self.env._(
                    "Visit plan %(plan)s is %(state)s: it cannot be %(action)s.",
                    plan=plan.display_name, state=plan._state_label(), action=action))

    def _is_director(self):
        return self._kam_is_director()

    def action_submit(self):
        self._check_state(("draft", "refused"), self.env._("submitted"))
        self._check_has_visits()
        self.write({"state": "submitted"})
        return True

    def _check_reviewer(self, action, owner=None):
        if not self._is_director():
            raise UserError(self.env._(
                "Only a Key Account Director can %(action)s a visit plan.", action=action))
        for plan in self:
            if (owner or plan.user_id) == self._kam_acting_user():
                raise UserError(self.env._(
                    "Visit plan %(plan)s is your own: another director must %(action)s it.",
                    plan=plan.display_name, action=action))

    def action_approve(self):
        self._check_state(("submitted",), self.env._("approved"))
        self._check_reviewer(self.env._("approve"))
        self.write({"state": "approved", "reviewer_id": self.env.user.id,
                    "review_date": fields.Datetime.now()})
        for plan in self:
            plan.message_post(body=self.env._(
                "Plan approved by %(user)s. %(comment)s", user=self.env.user.name,
                comment=plan.review_comment or ""))
        return True

    def action_refuse(self):
        self._check_state(("submitted",), self.env._("refused"))
        self._check_reviewer(self.env._("refuse"))
        for plan in self:
            if not (plan.review_comment or "").strip():
                raise UserError(self.env._(
                    "Visit plan %(plan)s: write in the Director's Comment why the plan is "
                    "refused.", plan=plan.display_name))
        self.write({"state": "refused", "reviewer_id": self.env.user.id,
                    "review_date": fields.Datetime.now()})
        for plan in self:
            plan.message_post(body=self.env._(
                "Plan refused by %(user)s: %(comment)s", user=self.env.user.name,
                comment=plan.review_comment))
            plan.activity_schedule(
                "mail.mail_activity_data_todo", summary=self.env._("Revise the visit plan"),
                note=plan.review_comment, user_id=plan.user_id.id)
        return True

    def action_done(self):
        self._check_state(("approved",), self.env._("closed"))
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self._check_state(("draft", "refused", "approved"), self.env._("cancelled"))
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        self._check_state(("refused", "cancelled"), self.env._("reset to draft"))
        self.write({"state": "draft"})
        return True

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_visit_action")
        action.update({
            "domain": [("plan_id", "=", self.id)],
            "context": {"default_plan_id": self.id, "default_user_id": self.user_id.id},
        })
        return action

    def action_prepare_visits(self):
        """Fill this draft plan with a visit for every account of its owner due in
        its period."""
        self._check_state(("draft", "refused"), self.env._("prepared"))
        for plan in self:
            plan._prepare_due_visits()
        return True

    def action_prepare_next_period(self):
        """Button of the plans list (whatever rows are selected): prepare the
        current user's plan for next month and open it."""
        start = _month_start(self.env.company._kam_today()) + relativedelta(months=1)
        plan = self._prepare_plans(start, _month_end(start), users=self.env.user)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_visit_plan_action")
        if plan:
            action.update({"res_id": plan.id, "views": [(False, "form")], "view_mode": "form"})
        return action

    # ---- Report ----
    def _kam_report_filename(self):
        """The visit plan's file name: its title, the KAM and the period, in the
        reader's language."""
        self.ensure_one()
        return report_filename(self.env._("Visit Plan"), self.user_id.name,
                               report_period(self.date_start, self.date_end))

    # ---- Business ----
    @api.model
    def _prepare_plans(self, date_start, date_end, users=None):
        """Prepare, for each key account manager (``users`` or every KAM of a
        registered account with a tier of the current company), the draft plan of
        ``date_start``-``date_end`` with a visit for each account due in it.
        Idempotent: accounts already visited or planned enough in the period get
        nothing new, and a plan already submitted is left alone."""
        company = self.env.company
        Partner = self.env["res.partner"].with_company(company)
        accounts = Partner.search([
            ("is_company", "=", True), ("kam_state", "=", "registered"),
            ("kam_tier_id", "!=", False), ("kam_manager_id", "!=", False),
        ])
        if users is not None:
            accounts = accounts.filtered(lambda p: p.kam_manager_id in users)
        plans = self.browse()
        for user, user_accounts in accounts.grouped("kam_manager_id").items():
            plan = self.search([
                ("user_id", "=", user.id), ("company_id", "=", company.id),
                ("date_start", "=", date_start), ("date_end", "=", date_end),
            ], limit=1)
            if plan and plan.state not in ("draft", "refused"):
                continue
            if not plan:
                if not user_accounts._kam_due_visit_dates(date_start, date_end):
                    continue
                plan = self.create({"user_id": user.id, "company_id": company.id,
                                    "date_start": date_start, "date_end": date_end})
            plan._prepare_due_visits(user_accounts)
            plans |= plan
        return plans

    def _prepare_due_visits(self, accounts=None):
        """Add to the plan a planned visit for each due date of its owner's
        accounts in its period that has no visit yet."""
        self.ensure_one()
        if accounts is None:
            accounts = self.env["res.partner"].with_company(self.company_id).search([
                ("is_company", "=", True), ("kam_state", "=", "registered"),
                ("kam_tier_id", "!=", False), ("kam_manager_id", "=", self.user_id.id),
            ])
        due = accounts.with_company(self.company_id)._kam_due_visit_dates(
            self.date_start, self.date_end)
        Visit = self.env["kam.visit"]
        vals_list = []
        for partner_id, days in due.items():
            for day in days:
                start = Visit._utc_datetime(day, 10, self.user_id, self.company_id)
                vals_list.append({
                    "partner_id": partner_id, "plan_id": self.id, "user_id": self.user_id.id,
                    "company_id": self.company_id.id, "visit_type": "onsite",
                    "objective": self.env._("Regular visit (tier cadence)"),
                    "date_start": start, "date_end": start + timedelta(hours=1),
                })
        return Visit.create(vals_list)

    @api.model
    @kam_retry_on_conflict
    def _cron_kam_visit_plan_prepare(self):
        """Monthly: each KAM's draft plan of next month, with the visits due in it."""
        start = _month_start(self.env.company._kam_today()) + relativedelta(months=1)
        # every company prepares its plans: the cron is meant to walk them all
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        for done, company in enumerate(companies, start=1):
            self.with_company(company)._prepare_plans(start, _month_end(start))
            if not self.env["ir.cron"]._kam_commit_progress(1, remaining=len(companies) - done):
                return
