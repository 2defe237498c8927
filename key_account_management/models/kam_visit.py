from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_round, format_date, is_html_empty

from .kam_bounds import check_date_values
from .kam_flow_mixin import kam_has_group
from .kam_reader import reader_datetime, report_filename

VISIT_TYPES = [
    ("onsite", "On-site Visit"),
    ("phone", "Phone Call"),
    ("video", "Video Call"),
    ("event", "Event / Exhibition"),
    ("return", "Return Visit (回访)"),
    ("care", "Care Visit"),
]

# fields of a visit mirrored on its calendar event
CALENDAR_FIELDS = {
    "date_start", "date_end", "user_id", "colleague_ids", "stakeholder_ids", "location",
    "objective", "partner_id", "visit_type",
}
# states of a visit plan whose budget (the planned expenses of its visits) is fixed:
# under review, approved, closed
PLAN_BUDGET_FIXED_STATES = ("submitted", "approved", "done")


def kam_visit_count(required):
    """Visits required, as a whole number of visits (half up): the one rounding of the
    figure on the scorecards and in the Visit Compliance report (whose rows keep the
    fraction, days of the month / visit interval, and show it rounded)."""
    return int(float_round(required or 0.0, precision_digits=0, rounding_method="HALF-UP"))


class KamVisit(models.Model):
    """A visit of the key account manager (and colleagues) to a key account
    (走访): appointment, preparation, report and follow-up."""

    _name = "kam.visit"
    _description = "Key Account Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.private.mixin", "kam.state.mixin", "kam.bounds.mixin"]
    _kam_fixed_link_fields = ("partner_id", "company_id")
    # planned -> done (with a summary) or cancelled (with a reason); both can be reset
    _kam_transitions = {"planned": ("done", "cancelled"), "done": ("planned",),
                        "cancelled": ("planned",)}
    # a past visit may be recorded as done, with its summary
    _kam_create_states = ("planned", "done", "cancelled")
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id", "objective"]

    # ---- Appointment ----
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram")
    objective = fields.Char(string="Objective / Theme", tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, tracking=True,
        domain="[('is_company', '=', True), ('kam_state', '!=', 'none')]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    plan_id = fields.Many2one(
        "kam.visit.plan", string="Visit Plan", index="btree_not_null", check_company=True,
        ondelete="set null", tracking=True,
        domain="[('user_id', '=', user_id), ('state', 'in', ('draft', 'refused'))]")
    visit_type = fields.Selection(
        VISIT_TYPES, string="Type", required=True, default="onsite", tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Key Account Manager", required=True, index=True, tracking=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]")
    colleague_ids = fields.Many2many(
        "res.users", "kam_visit_colleague_rel", "visit_id", "user_id", string="Colleagues",
        domain="[('share', '=', False)]")
    stakeholder_ids = fields.Many2many(
        "kam.stakeholder", "kam_visit_stakeholder_rel", "visit_id", "stakeholder_id",
        string="Stakeholders Met", check_company=True,
        domain="[('partner_id', '=', partner_id)]")
    date_start = fields.Datetime(
        string="Start", required=True, tracking=True,
        default=lambda self: fields.Datetime.now().replace(minute=0, second=0) + timedelta(hours=1))
    date_end = fields.Datetime(
        string="End", required=True, tracking=True,
        default=lambda self: fields.Datetime.now().replace(minute=0, second=0) + timedelta(hours=2))
    visit_date = fields.Date(
        compute="_compute_visit_date", store=True, index=True,
        help="Day of the visit in the time zone of the key account manager.")
    location = fields.Char()
    calendar_event_id = fields.Many2one(
        "calendar.event", copy=False, readonly=True,
        ondelete="set null", index="btree_not_null")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned", required=True, tracking=True, copy=False, index=True)
    cancel_reason = fields.Text(string="Cancellation Reason", copy=False, tracking=True)

    # ---- Preparation ----
    selling_points = fields.Html()
    customer_questions = fields.Html(
        string="Likely Questions and Our Answers",
        help="What the customer will probably ask, and what we answer.")
    materials = fields.Html(help="Brochures, demos, samples, proposals to bring.")

    # ---- Report ----
    summary = fields.Html(copy=False, help="What was discussed; required to complete the visit.")
    customer_feedback = fields.Html(string="Customer Feedback and Opinions", copy=False)
    needs = fields.Html(string="Needs Discussed", copy=False)
    product_line_ids = fields.One2many(
        "kam.visit.product.line", "visit_id", string="Products Discussed", copy=False)
    satisfaction = fields.Integer(
        copy=False, aggregator="avg",
        help="Customer satisfaction from 1 (very unhappy) to 5 (very happy); 0 = not rated.")
    next_step = fields.Char(string="Next Agreed Step", copy=False)
    next_step_date = fields.Date(copy=False)
    next_step_mode = fields.Selection(
        [("activity", "Activity for the KAM"), ("visit", "Follow-up Visit")],
        string="Follow Up With", default="activity", copy=False,
        help="When the visit is completed, the next step becomes an activity for the key "
             "account manager on its date, or a new planned visit on that date.")
    follow_up_visit_id = fields.Many2one(
        "kam.visit", string="Follow-up Visit", copy=False, readonly=True, index="btree_not_null")
    currency_id = fields.Many2one(related="company_id.currency_id")
    expense_planned = fields.Monetary(string="Planned Expense", currency_field="currency_id")
    expense_amount = fields.Monetary(
        string="Actual Expense", currency_field="currency_id", copy=False)
    done_datetime = fields.Datetime(string="Completed On", copy=False, readonly=True)

    # ---- Compute ----
    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = f"{visit.name} - {visit.partner_id.name}" \
                if visit.partner_id else visit.name

    @api.depends("date_start", "user_id.tz", "company_id.kam_tz")
    def _compute_visit_date(self):
        for visit in self:
            visit.visit_date = visit._local_date(visit.date_start) if visit.date_start else False

    def _local_date(self, value):
        """The date of the UTC datetime ``value`` in the KAM's time zone, else the
        company's (never that of whoever happens to compute it)."""
        tz_name = self.user_id.tz or (self.company_id or self.env.company)._kam_tz()
        return pytz.utc.localize(value).astimezone(pytz.timezone(tz_name)).date()

    @api.model
    def _utc_datetime(self, day, hour, user, company=None):
        """The naive UTC datetime of ``hour`` o'clock on ``day`` in ``user``'s time zone,
        else the company's."""
        tz = pytz.timezone(user.tz or (company or self.env.company)._kam_tz())
        local = tz.localize(datetime.combine(day, time(hour)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    # ---- Constraints ----
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for visit in self:
            if visit.date_end < visit.date_start:
                raise ValidationError(self.env._(
                    "Visit %(visit)s: the end (%(end)s) must not be before the start (%(start)s).",
                    visit=visit.display_name, end=reader_datetime(self.env, visit.date_end),
                    start=reader_datetime(self.env, visit.date_start)))

    @api.constrains("state", "date_start")
    def _check_done_not_in_future(self):
        """A visit is done once it took place: one dated after today (the KAM's day) cannot
        be done, else the account's last visit and the visit compliance would count a visit
        that has not happened."""
        self.filtered(lambda v: v.state == "done")._check_not_in_future()

    def _check_not_in_future(self):
        now = fields.Datetime.now()
        for visit in self:
            if visit.date_start and visit.visit_date > visit._local_date(now):
                raise ValidationError(self.env._(
                    "Visit %(visit)s is dated %(date)s, after today: a visit can be completed "
                    "once it has taken place (Done needs a date of today or earlier).",
                    visit=visit.display_name, date=format_date(self.env, visit.visit_date)))

    @api.constrains("date_start", "plan_id")
    def _check_plan_period(self):
        for visit in self.filtered("plan_id"):
            plan = visit.plan_id
            if not plan.date_start <= visit.visit_date <= plan.date_end:
                raise ValidationError(self.env._(
                    "Visit %(visit)s on %(date)s is outside the period of its visit plan "
                    "%(plan)s (%(start)s to %(end)s).",
                    visit=visit.display_name, date=format_date(self.env, visit.visit_date),
                    plan=plan.display_name, start=format_date(self.env, plan.date_start),
                    end=format_date(self.env, plan.date_end)))

    @api.constrains("satisfaction")
    def _check_satisfaction(self):
        for visit in self:
            if visit.satisfaction and not 1 <= visit.satisfaction <= 5:
                raise ValidationError(self.env._(
                    "Visit %(visit)s: the satisfaction must be between 1 and 5 (got %(value)s).",
                    visit=visit.display_name, value=visit.satisfaction))

    @api.constrains("expense_planned", "expense_amount")
    def _check_expenses(self):
        for visit in self:
            if visit.expense_planned < 0 or visit.expense_amount < 0:
                raise ValidationError(self.env._(
                    "Visit %(visit)s: the planned and actual expenses cannot be negative.",
                    visit=visit.display_name))

    @api.constrains("stakeholder_ids", "partner_id")
    def _check_stakeholders(self):
        for visit in self:
            wrong = visit.stakeholder_ids - visit.stakeholder_ids.filtered_domain(
                [("partner_id", "=", visit.partner_id.id)])
            if wrong:
                raise ValidationError(self.env._(
                    "Visit %(visit)s: the stakeholders met (%(names)s) must belong to the "
                    "visited account %(account)s.",
                    visit=visit.display_name, names=", ".join(wrong.mapped("name")),
                    account=visit.partner_id.display_name))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        self.stakeholder_ids = self.stakeholder_ids.filtered(
            lambda s: s.partner_id == self.partner_id)
        if self.partner_id and not self.location:
            self.location = self.partner_id.contact_address_inline or False

    @api.onchange("date_start")
    def _onchange_date_start(self):
        if self.date_start and (not self.date_end or self.date_end < self.date_start):
            self.date_end = self.date_start + timedelta(hours=1)

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_date_values(self, vals, ("date_start", "date_end"))
        self._kam_check_create_states(vals_list)
        for vals in vals_list:
            if vals.get("state") == "done" and not vals.get("done_datetime"):
                vals["done_datetime"] = fields.Datetime.now()
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) \
                    if vals.get("company_id") else self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "kam.visit") or "/"
        visits = super().create(vals_list)
        visits._check_plan_editable()
        visits._check_plan_budget_links()
        visits.filtered(lambda v: v.state != "cancelled")._sync_calendar_event()
        return visits

    def write(self, vals):
        check_date_values(self, vals, ("date_start", "date_end"))
        self._kam_check_transitions(vals)
        if vals.get("state") == "done" and "done_datetime" not in vals:
            vals = dict(vals, done_datetime=fields.Datetime.now())
        moved = self.browse()
        if "plan_id" in vals:
            self._check_plan_editable()
            moved = self.filtered(lambda v: v.plan_id.id != (vals["plan_id"] or False))
            moved._check_plan_budget_links()
        self._check_plan_budget(vals)
        res = super().write(vals)
        if not self._kam_trusted() and ("summary" in vals or "cancel_reason" in vals):
            self._kam_check_state_content()
        if "plan_id" in vals:
            self._check_plan_editable()
            moved._check_plan_budget_links()
        if CALENDAR_FIELDS & set(vals) or vals.get("state") in ("planned", "cancelled"):
            self._sync_calendar_event()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_or_plan_locked(self):
        for visit in self:
            if visit.state == "done":
                raise UserError(self.env._(
                    "Visit %(visit)s is done: cancel it instead of deleting its report.",
                    visit=visit.display_name))
        self._check_plan_editable()
        self._check_plan_budget_links()

    def unlink(self):
        events = self.calendar_event_id
        res = super().unlink()
        self._kam_unlink_events(events)
        return res

    def _kam_check_move(self, old, new, vals):
        if new == "done" and self._kam_is_empty(self._kam_value(vals, "summary"), html=True):
            raise UserError(self.env._(
                "Visit %(visit)s: write the summary of the report before completing it.",
                visit=self.display_name or self.env._("(new)")))
        if new == "cancelled" and self._kam_is_empty(self._kam_value(vals, "cancel_reason")):
            raise UserError(self.env._(
                "Visit %(visit)s: give the reason of the cancellation (Cancellation "
                "Reason) first.", visit=self.display_name or self.env._("(new)")))

    def _kam_check_state_content(self):
        """A done visit keeps its summary, a cancelled one its reason."""
        for visit in self.filtered(lambda v: v.state in ("done", "cancelled")):
            visit._kam_check_move(visit.state, visit.state, {})

    def _check_plan_editable(self):
        """Visits are added to or removed from a plan only while its owner may edit
        it (draft or refused); directors and the system may always."""
        if self._kam_trusted() or kam_has_group(
                self.env, "key_account_management.key_account_management_group_director"):
            return
        for plan in self.plan_id:
            if plan.state not in ("draft", "refused"):
                raise UserError(self.env._(
                    "Visit plan %(plan)s is %(state)s: its visits cannot be added or removed.",
                    plan=plan.display_name,
                    state=dict(plan._fields["state"]._description_selection(self.env))[plan.state]))

    def _check_plan_budget(self, vals):
        """The budget of a visit plan is fixed once submitted: nobody (a director,
        ``sudo()`` neither; only the system) changes the planned expense of its
        visits, nor brings a cancelled visit (and its expense) back into it. The plan
        is revised first: refused while submitted, cancelled and reset to draft once
        approved, then submitted again."""
        reactivated = vals.get("state") == "planned"
        if ("expense_planned" not in vals and not reactivated) or self._kam_trusted():
            return
        field = self._fields["expense_planned"]
        for visit in self:
            plans = visit.plan_id
            if vals.get("plan_id"):
                plans |= self.env["kam.visit.plan"].browse(vals["plan_id"])
            plan = plans.filtered(lambda p: p.state in PLAN_BUDGET_FIXED_STATES)[:1]
            if not plan:
                continue
            new = field.convert_to_record(field.convert_to_cache(
                vals.get("expense_planned", visit.expense_planned), visit), visit)
            changed = not visit.currency_id.is_zero(new - visit.expense_planned)
            if reactivated and visit.state == "cancelled" and not visit.currency_id.is_zero(new):
                changed = True
            if not changed:
                continue
            raise visit._plan_budget_error(plan)

    def _plan_budget_error(self, plan):
        """The refusal of a change of the planned expenses of ``plan`` (budget fixed)."""
        field = self._fields["expense_planned"]
        state = dict(plan._fields["state"]._description_selection(self.env))[plan.state]
        if plan.state == "submitted":
            how = self.env._(
                "Ask a director to refuse the plan, change the expense and submit the plan "
                "again.")
        elif plan.state == "approved":
            how = self.env._(
                "Revise the plan first: cancel it and reset it to draft, change the expense "
                "and submit the plan again for approval.")
        else:
            how = self.env._("A closed plan keeps its budget.")
        return UserError(self.env._(
            "Visit %(visit)s: its %(field)s cannot change while its visit plan %(plan)s "
            "is %(state)s, the plan's budget being fixed once submitted for approval. "
            "%(how)s",
            visit=self.display_name, field=field._description_string(self.env),
            plan=plan.display_name, state=state, how=how))

    def _check_plan_budget_links(self, plans=None):
        """A visit with a planned expense does not join or leave a plan whose budget is
        fixed (submitted, approved, done), nor is deleted from it: that would change the
        budget as surely as its expense. Nobody but the system (directors and ``sudo()``
        neither, who may otherwise add and remove visits); a cancelled visit carries no
        expense. ``plans``: {visit id: plan} to check instead of each visit's own."""
        if self._kam_trusted():
            return
        for visit in self:
            plan = plans.get(visit.id, visit.plan_id) if plans is not None else visit.plan_id
            if plan.state in PLAN_BUDGET_FIXED_STATES and visit.state != "cancelled" \
                    and not visit.currency_id.is_zero(visit.expense_planned):
                raise visit._plan_budget_error(plan)

    # ---- Report ----
    def _kam_report_filename(self):
        """The visit report's file name: its title, the account and the day of the
        visit (in the KAM's time zone), in the reader's language."""
        self.ensure_one()
        return report_filename(self.env._("Visit Report"), self.partner_id.name,
                               self.visit_date and self.visit_date.isoformat())

    # ---- Calendar ----
    def _calendar_event_values(self):
        self.ensure_one()
        type_label = dict(self._fields["visit_type"]._description_selection(self.env))[
            self.visit_type]
        name = self.env._("%(type)s: %(account)s", type=type_label, account=self.partner_id.name)
        if self.objective:
            name = f"{name} - {self.objective}"
        partners = self.user_id.partner_id | self.colleague_ids.partner_id \
            | self.stakeholder_ids.contact_id
        return {
            "name": name,
            "start": self.date_start,
            "stop": self.date_end,
            "duration": (self.date_end - self.date_start).total_seconds() / 3600,
            "allday": False,
            "user_id": self.user_id.id,
            "partner_ids": [fields.Command.set(partners.ids)],
            "location": self.location or False,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            # the objective, the location and the stakeholders met are the visit's people's:
            # any other employee (other companies' KAMs included) reads the slot as Busy
            "privacy": "private",
        }

    def _kam_event_env(self, organizer):
        """The environment in which the visit's flow keeps its calendar event: that
        of the event's organizer (the visit's KAM). A private event is edited by its
        organizer and attendees only (Odoo's calendar rules); whoever may change the
        visit (its KAM, colleagues, the account team, a director: kam.visit's rules,
        checked on the visit first) changes its mirror through the organizer, whose
        own rights on calendar.event still apply; no right is added, none skipped."""
        # a flow already running as the system (the return visit planned by a customer's
        # portal confirmation) stays so: ``with_user`` alone would drop it
        return self.env["calendar.event"].with_user(organizer or self.env.user).sudo(
            self.env.su).with_context(
            no_mail_to_attendees=True, dont_notify=True, mail_create_nolog=True,
            mail_notrack=True).env

    def _kam_unlink_events(self, events):
        for event in events.exists():
            event.with_env(self._kam_event_env(event.user_id)).unlink()

    def _sync_calendar_event(self):
        """Create, move or remove the calendar event of each visit of ``self``:
        planned and done visits keep an event in step; cancelled ones lose it.
        The event is private to the visit's people and kept in its organizer's
        name (see :meth:`_kam_event_env`)."""
        cancelled = self.filtered(lambda v: v.state == "cancelled" and v.calendar_event_id)
        if cancelled:
            events = cancelled.calendar_event_id
            cancelled.calendar_event_id = False
            self._kam_unlink_events(events)
        active = self.filtered(lambda v: v.state != "cancelled")
        for visit in active.filtered("calendar_event_id"):
            # the current organizer moves the event, and hands it over to a new KAM of the
            # visit last (a private event's attendees are changed by its organizer)
            event = visit.calendar_event_id.with_env(
                visit._kam_event_env(visit.calendar_event_id.user_id))
            vals = visit._calendar_event_values()
            organizer = vals.pop("user_id")
            event.write(vals)
            if event.user_id.id != organizer:
                event.write({"user_id": organizer})
        missing = active - active.filtered("calendar_event_id")
        for organizer, visits in missing.grouped("user_id").items():
            Event = self.env["calendar.event"].with_env(self._kam_event_env(organizer))
            events = Event.create([visit._calendar_event_values() for visit in visits])
            for visit, event in zip(visits, events, strict=True):
                visit.calendar_event_id = event

    # ---- Actions ----
    def action_done(self):
        """Complete the visits: each needs a summary and must not be cancelled.
        Checked for all of them first, so a refused completion changes nothing."""
        for visit in self:
            if visit.state == "cancelled":
                raise UserError(self.env._(
                    "Visit %(visit)s is cancelled: it cannot be completed.",
                    visit=visit.display_name))
            if visit.state == "done":
                raise UserError(self.env._(
                    "Visit %(visit)s is already done.", visit=visit.display_name))
            if is_html_empty(visit.summary):
                raise UserError(self.env._(
                    "Visit %(visit)s: write the summary of the report before completing it.",
                    visit=visit.display_name))
        self._check_not_in_future()
        self.write({"state": "done", "done_datetime": fields.Datetime.now()})
        self._create_next_steps()
        self.stakeholder_ids._update_last_contact_date()
        return True

    def action_cancel(self):
        """Cancel planned visits (the reason is asked by the cancel wizard)."""
        for visit in self:
            if visit.state != "planned":
                raise UserError(self.env._(
                    "Visit %(visit)s is not planned: only planned visits can be cancelled.",
                    visit=visit.display_name))
            if not (visit.cancel_reason or "").strip():
                raise UserError(self.env._(
                    "Visit %(visit)s: give the reason of the cancellation (Cancellation "
                    "Reason) first.", visit=visit.display_name))
        self.write({"state": "cancelled"})
        return True

    def action_open_cancel(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Visit"),
            "res_model": "kam.visit",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("key_account_management.kam_visit_view_form_cancel").id,
                       "form")],
            "target": "new",
        }

    def action_reset_planned(self):
        stakeholders = self.filtered(lambda v: v.state == "done").stakeholder_ids
        self.write({"state": "planned", "done_datetime": False})
        stakeholders._update_last_contact_date()
        return True

    def action_view_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
        }

    # ---- Business ----
    def _create_next_steps(self):
        """The next agreed step of each completed visit becomes an activity for
        the KAM on its date, or a follow-up visit planned that day."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        follow_vals = []
        follow_sources = []
        for visit in self.filtered(lambda v: v.next_step_date):
            step = visit.next_step or self.env._("Follow-up of visit %(visit)s",
                                                 visit=visit.name)
            if visit.next_step_mode == "visit":
                if visit.follow_up_visit_id:
                    continue
                start = self._utc_datetime(
                    visit.next_step_date, 10, visit.user_id, visit.company_id)
                follow_vals.append({
                    "partner_id": visit.partner_id.id,
                    "company_id": visit.company_id.id,
                    "user_id": visit.user_id.id,
                    "colleague_ids": [fields.Command.set(visit.colleague_ids.ids)],
                    "stakeholder_ids": [fields.Command.set(visit.stakeholder_ids.ids)],
                    "visit_type": visit.visit_type,
                    "objective": step,
                    "location": visit.location,
                    "date_start": start,
                    "date_end": start + timedelta(hours=1),
                })
                follow_sources.append(visit)
            else:
                visit.activity_schedule(
                    activity_type_id=todo.id if todo else False,
                    date_deadline=visit.next_step_date, summary=step,
                    user_id=visit.user_id.id)
        if follow_vals:
            follow_ups = self.create(follow_vals)
            for visit, follow_up in zip(follow_sources, follow_ups, strict=True):
                visit.follow_up_visit_id = follow_up

    @api.model
    def _get_visit_dates(self, partner_ids, company=None):
        """``{partner_id: (last done visit date, next planned visit date)}`` of the
        accounts ``partner_ids`` in ``company``: one grouped read.

        Read as superuser: these two dates summarise the account for everyone
        who sees the account (list filters, overdue alerts, plan preparation),
        while the visits themselves stay protected by their record rules."""
        company = company or self.env.company
        today = company._kam_today()
        domain = Domain("partner_id", "in", list(partner_ids)) \
            & Domain("company_id", "=", company.id) \
            & (Domain("state", "=", "done")
               | (Domain("state", "=", "planned") & Domain("visit_date", ">=", today)))
        groups = self.sudo()._read_group(
            domain, ["partner_id", "state"], ["visit_date:max", "visit_date:min"])
        result = {}
        for partner, state, date_max, date_min in groups:
            last, nxt = result.get(partner.id, (False, False))
            if state == "done":
                last = date_max
            else:
                nxt = date_min
            result[partner.id] = (last, nxt)
        return result


class KamStakeholder(models.Model):
    """The visits a stakeholder took part in, and their last contact date."""

    _inherit = "kam.stakeholder"

    visit_ids = fields.Many2many(
        "kam.visit", "kam_visit_stakeholder_rel", "stakeholder_id", "visit_id",
        string="Visits", readonly=True)
    visit_count = fields.Integer(compute="_compute_visit_count")

    def _compute_visit_count(self):
        counts = dict(self.env["kam.visit"]._read_group(
            [("stakeholder_ids", "in", self.ids)], ["stakeholder_ids"], ["__count"]))
        for stakeholder in self:
            stakeholder.visit_count = counts.get(stakeholder, 0)

    def _get_last_contact_dates(self):
        dates = super()._get_last_contact_dates()
        groups = self.env["kam.visit"]._read_group(
            [("stakeholder_ids", "in", self.ids), ("state", "=", "done")],
            ["stakeholder_ids"], ["visit_date:max"])
        more = {stakeholder.id: day for stakeholder, day in groups if stakeholder.id in self.ids}
        return self._merge_contact_dates(dates, more)

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_visit_action")
        action.update({
            "domain": [("stakeholder_ids", "in", self.ids)],
            "context": {"default_partner_id": self.partner_id.id,
                        "default_stakeholder_ids": self.ids},
        })
        return action
