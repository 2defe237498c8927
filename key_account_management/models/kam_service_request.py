from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, is_html_empty

from .ir_cron import kam_retry_on_conflict
from .kam_bounds import COLOR
from .kam_flow_mixin import kam_flow
from .kam_private_mixin import kam_changed_records
from .kam_reader import reader_datetime, readers_by_env
from .kam_sla_policy import SERVICE_PRIORITIES, SLA_CLOCKS

REQUEST_STATES = [
    ("new", "New"),
    ("dispatched", "Dispatched"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting on Customer"),
    ("completed", "Completed"),
    ("confirmed", "Confirmed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "dispatched", "in_progress", "waiting")
CLOCK_STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
]
# fields that decide the service level: deadlines follow them until the first response
SLA_TERMS_FIELDS = ("tier_id", "priority", "category_id")
# the states a user moves a request between by hand (the kanban, a write over the API);
# waiting, completed, confirmed and cancelled are reached by their buttons only
MANUAL_STATES = ("new", "dispatched", "in_progress")
# what the request is about: fixed once it exists (moved to another customer, it would show
# the first customer's conversation in the other customer's portal)
FIXED_FIELDS = ("partner_id", "company_id")
# the customer's verdict: recorded while the completion awaits confirmation, then fixed
VERDICT_FIELDS = ("satisfaction", "satisfaction_comment")


class KamServiceRequest(models.Model):
    """A key account's service request in the green channel (绿色通道, 需求单):
    logged, dispatched to the teams that must act (调度单), completed (竣工单)
    and confirmed by the customer, against the response, resolution and
    confirmation clocks its tier and priority promise."""

    _name = "kam.service.request"
    _description = "Key Account Service Request"
    _inherit = ["portal.mixin", "rating.mixin", "mail.activity.mixin", "kam.flow.mixin", "kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"color": COLOR}
    _order = "priority desc, request_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id", "subject"]
    _mail_post_access = "read"
    # the service level's clocks, the completion and the confirmation: set by the
    # request's flow (its buttons, the portal, the rating mail, the escalation cron) only
    _kam_flow_fields = (
        "request_date", "state_before_wait", "policy_id", "sla_calendar_id", "paused_hours",
        *(f"{clock}_{part}" for clock in SLA_CLOCKS
          for part in ("deadline", "risk_date", "reached_date", "status", "hours",
                       "risk_notified")),
        "escalation_kam_date", "escalation_director_date",
        "completed_by_id", "completed_date", "confirmed_by_partner_id",
        "confirmation_recorded_by_id", "confirmation_mode", "rating_request_date",
        "return_visit_id",
    )

    # ---- Request (需求单) ----
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram")
    subject = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, tracking=True,
        domain="[('is_company', '=', True), ('kam_state', '=', 'registered')]")
    requester_id = fields.Many2one(
        "res.partner", index="btree_not_null", tracking=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The contact of the account who asked.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    category_id = fields.Many2one(
        "kam.service.category", check_company=True, tracking=True, index="btree_not_null")
    priority = fields.Selection(
        SERVICE_PRIORITIES, required=True, default="1", tracking=True, index=True)
    channel = fields.Selection(
        [("phone", "Phone"), ("email", "Email"), ("portal", "Portal"), ("visit", "Visit")],
        required=True, default="phone")
    description = fields.Html()
    request_date = fields.Datetime(
        string="Requested On", required=True, readonly=True, copy=False, index=True,
        default=lambda self: fields.Datetime.now())
    state = fields.Selection(
        REQUEST_STATES, default="new", required=True, tracking=True, copy=False, index=True,
        group_expand=True)
    state_before_wait = fields.Selection(REQUEST_STATES, copy=False, readonly=True)
    cancel_reason = fields.Text(string="Cancellation Reason", copy=False, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Assigned To", tracking=True, index="btree_not_null",
        domain="[('share', '=', False)]",
        help="Who drives the request; warned when a clock is at risk.")
    team_id = fields.Many2one(
        "kam.service.team", string="Main Team", check_company=True, tracking=True,
        index="btree_not_null")
    kam_manager_id = fields.Many2one(
        "res.users", string="Key Account Manager", compute="_compute_kam_manager_id",
        store=True, index="btree_not_null")
    color = fields.Integer()

    # ---- Service level captured at creation ----
    tier_id = fields.Many2one("kam.tier", check_company=True, tracking=True, index="btree_not_null")
    tier_source_id = fields.Many2one(
        "res.partner", string="Tier From", compute="_compute_tier_source_id",
        help="The account whose tier gives the request its service level: the customer "
             "itself, or the group customer (集团客户) it is a member of.")
    policy_id = fields.Many2one("kam.sla.policy", string="SLA Policy", readonly=True, copy=False)
    sla_calendar_id = fields.Many2one(
        "resource.calendar", string="SLA Working Hours", readonly=True, copy=False,
        help="The working time the clocks count; empty: round the clock.")
    paused_hours = fields.Float(
        readonly=True, copy=False, help="Working hours spent waiting on the customer.")
    pause_ids = fields.One2many("kam.service.pause", "request_id", string="Pauses", copy=False)

    # ---- Clocks ----
    response_deadline = fields.Datetime(copy=False, readonly=True, index=True)
    response_risk_date = fields.Datetime(copy=False, readonly=True)
    response_reached_date = fields.Datetime(string="First Response", copy=False, readonly=True)
    response_status = fields.Selection(CLOCK_STATUSES, copy=False, readonly=True, index=True)
    response_hours = fields.Float(
        string="Response Time (h)", copy=False, readonly=True, aggregator="avg")
    resolution_deadline = fields.Datetime(copy=False, readonly=True, index=True)
    resolution_risk_date = fields.Datetime(copy=False, readonly=True)
    resolution_reached_date = fields.Datetime(string="Resolved On", copy=False, readonly=True)
    resolution_status = fields.Selection(CLOCK_STATUSES, copy=False, readonly=True, index=True)
    resolution_hours = fields.Float(
        string="Resolution Time (h)", copy=False, readonly=True, aggregator="avg")
    confirmation_deadline = fields.Datetime(copy=False, readonly=True, index=True)
    confirmation_risk_date = fields.Datetime(copy=False, readonly=True)
    confirmation_reached_date = fields.Datetime(
        string="Confirmed On", copy=False, readonly=True)
    confirmation_status = fields.Selection(CLOCK_STATUSES, copy=False, readonly=True, index=True)
    confirmation_hours = fields.Float(
        string="Confirmation Time (h)", copy=False, readonly=True, aggregator="avg")
    is_breached = fields.Boolean(
        string="SLA Breached", compute="_compute_is_breached", store=True, index=True)
    time_left = fields.Char(
        compute="_compute_time_left",
        help="Time to the next deadline of the service level (negative: overdue).")
    next_deadline = fields.Datetime(
        compute="_compute_next_deadline", store=True,
        help="The earliest deadline of a running clock (calendar of deadlines).")

    # ---- Escalation flags (written once by the cron) ----
    response_risk_notified = fields.Boolean(copy=False, readonly=True)
    resolution_risk_notified = fields.Boolean(copy=False, readonly=True)
    confirmation_risk_notified = fields.Boolean(copy=False, readonly=True)
    escalation_kam_date = fields.Datetime(
        string="Escalated to the KAM", copy=False, readonly=True, index="btree_not_null")
    escalation_director_date = fields.Datetime(
        string="Escalated to the Directors", copy=False, readonly=True)

    # ---- Dispatch (调度单) ----
    dispatch_ids = fields.One2many(
        "kam.service.dispatch", "request_id", string="Dispatches", copy=False)
    dispatch_count = fields.Integer(compute="_compute_dispatch_count")

    # ---- Completion (竣工单) and confirmation ----
    resolution = fields.Html(copy=False)
    completed_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    completed_date = fields.Datetime(string="Completed On", copy=False, readonly=True)
    confirmed_by_partner_id = fields.Many2one(
        "res.partner", string="Confirmed By", copy=False, readonly=True)
    confirmation_recorded_by_id = fields.Many2one(
        "res.users", copy=False, readonly=True,
        help="The key account manager who recorded a confirmation given by phone.")
    confirmation_mode = fields.Selection(
        [("portal", "Portal"), ("mail", "Email"), ("phone", "Recorded by the KAM")],
        copy=False, readonly=True)
    satisfaction = fields.Integer(
        copy=False, readonly=True, aggregator="avg",
        help="The customer's satisfaction from 1 to 5 (0: not rated).")
    satisfaction_comment = fields.Text(copy=False)
    rating_request_date = fields.Datetime(
        string="Rating Requested On", copy=False, readonly=True,
        help="When the rating request mail was sent for the current completion; cleared "
             "on reopen, so that the next completion asks again.")
    return_visit_id = fields.Many2one(
        "kam.visit", copy=False, readonly=True, index="btree_not_null")

    # ---- Compute ----
    @api.depends("partner_id", "company_id", "partner_id.kam_manager_id")
    def _compute_kam_manager_id(self):
        for request in self:
            request.kam_manager_id = request.partner_id.with_company(
                request.company_id).kam_manager_id

    @api.depends("response_status", "resolution_status", "confirmation_status")
    def _compute_is_breached(self):
        for request in self:
            request.is_breached = "breached" in (
                request.response_status, request.resolution_status, request.confirmation_status)

    @api.depends("state",
                 *(f"{c}_{f}" for c in SLA_CLOCKS for f in ("deadline", "reached_date")))
    def _compute_next_deadline(self):
        for request in self:
            # a cancelled request has no deadline left (its clocks are never reached)
            running = [request[f"{c}_deadline"] for c in SLA_CLOCKS
                       if not request[f"{c}_reached_date"] and request[f"{c}_deadline"]
                       and request.state != "cancelled"]
            request.next_deadline = min(running) if running else False

    @api.depends_context("lang")
    @api.depends("next_deadline")
    def _compute_time_left(self):
        """The time to the next deadline as the SLA counts it: minutes and hours, not
        days (an urgent request's response is due in 30 minutes)."""
        now = fields.Datetime.now()
        for request in self:
            if not request.next_deadline:
                request.time_left = False
                continue
            minutes = int((request.next_deadline - now).total_seconds() // 60)
            text = request._kam_span_text(minutes)
            request.time_left = text if minutes >= 0 else self.env._(
                "%(time)s overdue", time=text)

    def _kam_span_text(self, minutes):
        """A span of ``minutes`` (its absolute value) as the SLA counts it, in the
        language of the environment: days and hours, hours and minutes, or minutes."""
        days, rest = divmod(abs(minutes), 24 * 60)
        hours, mins = divmod(rest, 60)
        if days:
            return self.env._("%(days)s d %(hours)s h", days=days, hours=hours)
        if hours:
            return self.env._("%(hours)s h %(minutes)s min", hours=hours, minutes=mins)
        return self.env._("%(minutes)s min", minutes=mins)

    def _compute_dispatch_count(self):
        counts = dict(self.env["kam.service.dispatch"]._read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["__count"]))
        for request in self:
            request.dispatch_count = counts.get(request, 0)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/service_requests/{request.id}"
        return res

    # ---- Constraints (the model's rules, whatever the path) ----
    @api.constrains("partner_id", "requester_id", "company_id")
    def _check_account(self):
        for request in self:
            account = request.partner_id.with_company(request.company_id)
            if account.kam_state != "registered" \
                    and not request.company_id.kam_service_allow_unregistered \
                    and not account._kam_served_by_group():
                raise ValidationError(self.env._(
                    "Service request %(request)s: %(account)s is not a registered key account "
                    "of %(company)s, nor a member of a registered group customer; the green "
                    "channel serves registered key accounts and their groups' members only.",
                    request=request.name, account=account.display_name,
                    company=request.company_id.name))
            if account.company_id and account.company_id != request.company_id:
                raise ValidationError(self.env._(
                    "Service request %(request)s: the account %(account)s belongs to another "
                    "company.", request=request.name, account=account.display_name))
            requester = request.requester_id
            if requester and (requester.commercial_partner_id != account
                              or (requester.company_id
                                  and requester.company_id != request.company_id)):
                raise ValidationError(self.env._(
                    "Service request %(request)s: the requester %(requester)s must be a contact "
                    "of the account %(account)s.", request=request.name,
                    requester=requester.display_name, account=account.display_name))

    @api.constrains("state", "resolution", "completed_date", "cancel_reason")
    def _check_state_rules(self):
        for request in self:
            if request.state in ("completed", "confirmed") and is_html_empty(request.resolution):
                raise ValidationError(self.env._(
                    "Service request %(request)s: write the resolution before completing it.",
                    request=request.name))
            if request.state == "confirmed" and not request.completed_date:
                raise ValidationError(self.env._(
                    "Service request %(request)s cannot be confirmed before it is completed.",
                    request=request.name))
            if request.state == "cancelled" and not (request.cancel_reason or "").strip():
                raise ValidationError(self.env._(
                    "Service request %(request)s: give the reason of the cancellation "
                    "(Cancellation Reason).", request=request.name))

    @api.constrains("satisfaction")
    def _check_satisfaction(self):
        for request in self:
            if request.satisfaction and not 1 <= request.satisfaction <= 5:
                raise ValidationError(self.env._(
                    "Service request %(request)s: the satisfaction must be between 1 and 5 "
                    "(got %(value)s).", request=request.name, value=request.satisfaction))

    @api.depends("partner_id", "tier_id", "company_id")
    @api.depends_context("company")
    def _compute_tier_source_id(self):
        self.tier_source_id = False
        for company, requests in self.grouped("company_id").items():
            if not company:
                continue
            partners = requests.partner_id.with_company(company)
            # the tier of the account and of its group (figures of the accounts the
            # request is about, whoever reads the request)
            tiers = partners.sudo()._kam_effective_tiers()
            for request in requests:
                tier, source = tiers.get(request.partner_id) or (False, False)
                own = request.partner_id.commercial_partner_id
                if request.tier_id and tier == request.tier_id:
                    request.tier_source_id = source.with_env(self.env)
                elif request.tier_id and own.with_company(company).sudo().kam_tier_id \
                        == request.tier_id:
                    request.tier_source_id = own

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.requester_id and self.requester_id.commercial_partner_id != self.partner_id:
            self.requester_id = False
        if self.partner_id:
            partner = self.partner_id.with_company(self.company_id)
            self.tier_id = partner._kam_effective_tiers()[partner][0]

    @api.onchange("category_id")
    def _onchange_category_id(self):
        if self.category_id.team_id:
            self.team_id = self.category_id.team_id

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        trusted = self._kam_trusted()
        for vals in vals_list:
            if not trusted and vals.get("state", "new") != "new":
                raise UserError(self.env._(
                    "A service request starts as New and follows its workflow (dispatch, "
                    "completion, confirmation by the customer); it cannot be created as "
                    "%(state)s.", state=dict(self._fields["state"]._description_selection(
                        self.env)).get(vals["state"], vals["state"])))
            if not trusted and any(vals.get(f) for f in VERDICT_FIELDS):
                raise AccessError(self._kam_flow_field_message(
                    next(f for f in VERDICT_FIELDS if vals.get(f))))
            company = self.env["res.company"].browse(vals.get("company_id")) \
                if vals.get("company_id") else self.env.company
            if vals.get("requester_id") and not vals.get("partner_id"):
                vals["partner_id"] = Partner.browse(vals["requester_id"]).commercial_partner_id.id
            if vals.get("partner_id") and "tier_id" not in vals:
                # the account's tier, or its group's when higher (集团客户)
                partner = Partner.browse(vals["partner_id"]).with_company(company)
                vals["tier_id"] = partner._kam_effective_tiers()[partner][0].id
            if vals.get("category_id") and not vals.get("team_id"):
                vals["team_id"] = self.env["kam.service.category"].browse(
                    vals["category_id"]).team_id.id
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "kam.service.request") or "/"
        requests = super().create(vals_list)
        requests._apply_sla_terms()
        for request in requests.filtered("requester_id"):
            request.message_subscribe(partner_ids=request.requester_id.ids)
        requests._notify_new_request()
        return requests

    def _notify_new_request(self):
        """A new request reaches those who must act, whatever its channel (portal, mail,
        phone): the account's KAM and the team of its category follow it. A high or urgent
        one tells them at once, in their language (a note addressed to them), and gives
        the KAM and the team leader an activity due on the day of the response deadline."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for request in self:
            users = (request.kam_manager_id | request.team_id._get_users() | request.user_id
                     ).filtered(lambda u: u.active and not u.share)
            if users:
                request.message_subscribe(partner_ids=users.partner_id.ids)
            if request.priority not in ("2", "3") or not users:
                continue
            deadline = request.next_deadline
            minutes = deadline and int((deadline - fields.Datetime.now()).total_seconds() // 60)
            for lang in set(users.mapped("lang")):
                readers = users.filtered(lambda u, lang=lang: u.lang == lang)
                local = request.with_context(lang=lang)
                values = dict(
                    priority=dict(local._fields["priority"]._description_selection(
                        local.env))[request.priority],
                    request=request.name, account=request.partner_id.display_name,
                    subject=request.subject,
                    time=local._kam_span_text(minutes) if deadline else "-")
                if deadline and minutes < 0:
                    # filed after its response deadline (recorded late): "due in 2 h
                    # overdue" read wrong
                    body = local.env._(
                        "%(priority)s request %(request)s of %(account)s: %(subject)s. The "
                        "response is overdue by %(time)s.", **values)
                else:
                    body = local.env._(
                        "%(priority)s request %(request)s of %(account)s: %(subject)s. The "
                        "response is due in %(time)s.", **values)
                request.message_post(body=body, partner_ids=readers.partner_id.ids,
                                     subtype_xmlid="mail.mt_note")
            if not todo:
                continue
            for user in (request.kam_manager_id | request.team_id.leader_id).filtered(
                    lambda u: u.active and not u.share):
                tz = user.tz or request.company_id._kam_tz()
                due = request.response_deadline and fields.Datetime.context_timestamp(
                    request.with_context(tz=tz), request.response_deadline).date()
                request.with_context(lang=user.lang).activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    date_deadline=due or request.company_id._kam_today(),
                    summary=request.with_context(lang=user.lang).env._(
                        "Respond to %(request)s", request=request.name),
                    user_id=user.id)

    def write(self, vals):
        if not self._kam_trusted():
            self._kam_check_user_write(vals)
        terms_changed = [f for f in SLA_TERMS_FIELDS if f in vals]
        before = {r.id: {f: r[f] for f in terms_changed} for r in self} if terms_changed else {}
        reopened = self.filtered(lambda r: r.state in ("completed", "confirmed")) \
            if vals.get("state") in OPEN_STATES else self.browse()
        res = super().write(vals)
        if reopened:
            reopened._reset_warnings_on_reopen()
        if terms_changed:
            changed = self.filtered(
                lambda r: any(before[r.id][f] != r[f] for f in terms_changed))
            before_response = changed.filtered(
                lambda r: r.state in OPEN_STATES and not r.response_reached_date)
            before_response._apply_sla_terms()
            for request in changed - before_response:
                request.message_post(body=self.env._(
                    "Tier, priority or category changed after the first response: the "
                    "deadlines of the service level stay as they were."),
                    subtype_xmlid="mail.mt_note")
        return res

    def _kam_check_user_write(self, vals):
        """What a user may change by hand, whatever the path (form, kanban, import, API):
        the state between New, Dispatched and In Progress only (the other steps have their
        buttons, which check their rules and run the clocks); never the account or the
        company; the customer's satisfaction only while the completion awaits the
        confirmation (a phone confirmation records it), never once confirmed."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        if "state" in vals:
            for request in self.filtered(lambda r: r.state != vals["state"]):
                if request.state not in MANUAL_STATES or vals["state"] not in MANUAL_STATES:
                    raise UserError(self.env._(
                        "Service request %(request)s is %(state)s: it cannot become "
                        "%(new)s by hand. Use the buttons of the request (Wait on the "
                        "Customer, Complete, Confirm, Reopen, Cancel), which keep the "
                        "service level's clocks.", request=request.name,
                        state=labels.get(request.state), new=labels.get(vals["state"],
                                                                          vals["state"])))
        for fname in FIXED_FIELDS:
            if fname in vals and kam_changed_records(self, fname, vals[fname]):
                raise UserError(self.env._(
                    "%(field)s of a service request cannot be changed once it is filed: "
                    "the request and its conversation belong to that customer. Cancel it "
                    "and file a new request for the other account.",
                    field=self._fields[fname]._description_string(self.env)))
        for fname in VERDICT_FIELDS:
            if fname in vals and kam_changed_records(
                    self.filtered(lambda r: r.state != "completed"), fname, vals[fname]):
                raise AccessError(self.env._(
                    "%(field)s of a service request is the customer's: it is recorded "
                    "while the completion awaits the customer's confirmation, and cannot be "
                    "changed afterwards.",
                    field=self._fields[fname]._description_string(self.env)))

    def _reset_warnings_on_reopen(self):
        """Back to work after a completion, whatever the path (Reopen, a drag in the
        kanban, an import): the reopened clocks (resolution, then confirmation) run again,
        so their at-risk warnings and the escalation of their breach can be sent again,
        once each; the notes sent before stay in the chatter.

        The escalation markers are cleared unless the only breach left is the response
        clock's, which a reopen does not touch: that one was escalated already and is
        not told again (a later breach of the reopened resolution clock of such a request
        is then not escalated a second time either)."""
        for request in self:
            vals = {"resolution_risk_notified": False, "confirmation_risk_notified": False}
            if request.response_status != "breached" \
                    or request.resolution_status == "breached":
                vals.update(escalation_kam_date=False, escalation_director_date=False)
            request._kam_flow_write(vals)

    # ---- Service level ----
    def _apply_sla_terms(self):
        """Find the policy of each request and (re)compute the deadlines of its
        response and resolution clocks from the request date, adding the time
        already spent waiting on the customer."""
        Policy = self.env["kam.sla.policy"]
        for request in self:
            policy, hours, calendar = Policy._get_terms(
                request.company_id, request.tier_id, request.priority, request.category_id)
            vals = {"policy_id": policy.id, "sla_calendar_id": calendar.id if calendar else False}
            for clock in ("response", "resolution"):
                if request[f"{clock}_reached_date"]:
                    continue
                vals.update(request._clock_values(
                    clock, request.request_date, hours[clock] + request.paused_hours, calendar))
                if request.state == "waiting" and vals[f"{clock}_status"] == "running":
                    vals[f"{clock}_status"] = "paused"
            request._kam_flow_write(vals)

    def _clock_values(self, clock, start, hours, calendar):
        """Deadline, at-risk date and status of ``clock`` started at ``start``."""
        Policy = self.env["kam.sla.policy"]
        if not hours or hours <= 0:
            return {f"{clock}_deadline": False, f"{clock}_risk_date": False,
                    f"{clock}_status": False}
        risk_share = (self.company_id.kam_service_risk_percent or 80.0) / 100.0
        deadline = Policy._add_hours(start, hours, calendar)
        now = fields.Datetime.now()
        return {
            f"{clock}_deadline": deadline,
            f"{clock}_risk_date": Policy._add_hours(start, hours * risk_share, calendar),
            f"{clock}_status": "breached" if deadline and deadline < now else "running",
            f"{clock}_risk_notified": False,
        }

    def _reach_clock(self, clock, when=None):
        """Stop ``clock`` at ``when``: met or breached, with its working hours used.
        Reached while waiting on the customer (a first reply during a pause), the
        wait so far is not counted and moves the deadline, as a resume would."""
        when = when or fields.Datetime.now()
        Policy = self.env["kam.sla.policy"]
        for request in self.filtered(lambda r: not r[f"{clock}_reached_date"]):
            calendar = request.sla_calendar_id
            waiting = 0.0
            if clock == "confirmation":
                start, paused = request.completed_date, 0.0
            else:
                start, paused = request.request_date, request.paused_hours
                waiting = sum(
                    Policy._hours_between(pause.date_from, when, calendar)
                    for pause in request.pause_ids.filtered(lambda p: not p.date_to))
            used = max(Policy._hours_between(start, when, calendar) - paused - waiting, 0.0)
            deadline = request[f"{clock}_deadline"]
            vals = {f"{clock}_reached_date": when, f"{clock}_hours": round(used, 2)}
            if deadline and waiting and request[f"{clock}_status"] == "paused":
                deadline = vals[f"{clock}_deadline"] = Policy._add_hours(
                    deadline, waiting, calendar)
            if deadline:
                vals[f"{clock}_status"] = "breached" if when > deadline else "met"
            request._kam_flow_write(vals)

    def _pause_clocks(self):
        for request in self:
            request._kam_flow_write({f"{c}_status": "paused" for c in SLA_CLOCKS
                                     if request[f"{c}_status"] == "running"})

    def _resume_clocks(self, pause_hours):
        """Running again after ``pause_hours`` of waiting: paused clocks move their
        deadline and at-risk date by the paused (working) time."""
        Policy = self.env["kam.sla.policy"]
        now = fields.Datetime.now()
        for request in self:
            calendar = request.sla_calendar_id
            vals = {"paused_hours": request.paused_hours + pause_hours}
            for clock in SLA_CLOCKS:
                if request[f"{clock}_status"] != "paused":
                    continue
                deadline = Policy._add_hours(request[f"{clock}_deadline"], pause_hours, calendar)
                vals[f"{clock}_deadline"] = deadline
                if request[f"{clock}_risk_date"]:
                    vals[f"{clock}_risk_date"] = Policy._add_hours(
                        request[f"{clock}_risk_date"], pause_hours, calendar)
                vals[f"{clock}_status"] = "breached" if deadline < now else "running"
            request._kam_flow_write(vals)

    # ---- Mail ----
    def _message_post_after_hook(self, message, msg_values):
        """The first reply to the customer (a message, not a note, by an employee)
        meets the response clock."""
        res = super()._message_post_after_hook(message, msg_values)
        author_users = message.author_id.with_context(active_test=False).user_ids
        if message.message_type == "comment" and message.subtype_id == self.env.ref(
                "mail.mt_comment") and author_users.filtered(lambda u: not u.share):
            self.filtered(lambda r: not r.response_reached_date and r.state in OPEN_STATES
                          )._kam_flow()._reach_clock("response", fields.Datetime.now())
        return res

    def _rating_get_partner(self):
        return self.requester_id or super()._rating_get_partner()

    def _rating_get_operator(self):
        return self.completed_by_id.partner_id or self.kam_manager_id.partner_id

    def rating_apply(self, rate, token=None, rating=None, feedback=None,
                     subtype_xmlid=None, notify_delay_send=False):
        """A rating given from the mail (or the portal) confirms a completed request.

        The rating flow of a request: the customer's token (the rating mail, the
        portal's confirmation) or the rating record that Odoo's ``/rate`` route found
        by that token (a record, which no call over the API can pass); the rating is
        this request's. Its value is then written with the flow token
        (``rating.rating`` refuses it to anyone else, see models/rating_rating.py)."""
        self.ensure_one()
        if not 1 <= rate <= 5:
            raise ValidationError(self.env._(
                "Service request %(request)s: the satisfaction must be between 1 and 5 "
                "(got %(value)s).", request=self.name, value=rate))
        if token:
            # sudo: the token is the customer's secret, readable by the system only
            rating = self.env["rating.rating"].sudo().search(
                [("access_token", "=", token)], limit=1)
        if not isinstance(rating, models.BaseModel) or rating._name != "rating.rating" \
                or len(rating) != 1 or rating.res_model != self._name \
                or rating.res_id != self.id:
            raise AccessError(self.env._(
                "Service request %(request)s is rated by its customer only, with the link "
                "of the rating mail or from the portal.", request=self.name))
        result = super(KamServiceRequest, self._kam_flow()).rating_apply(
            rate, rating=kam_flow(rating), feedback=feedback, subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send)
        if self.state == "completed":
            self._confirm(result.partner_id or self.requester_id, "mail", int(rate), feedback)
        return result

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the green-channel alias from a contact of a key account opens a
        request for that account (the alias accepts known partners only)."""
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        account = author.commercial_partner_id
        values = dict(custom_values or {})
        values.update({
            "subject": msg_dict.get("subject") or self.env._("Request by email"),
            "partner_id": account.id,
            "requester_id": author.id if author != account else False,
            "channel": "email",
        })
        return super().message_new(msg_dict, custom_values=values)

    # ---- Actions ----
    def action_complete(self):
        """Completion form (竣工单): the resolution is required; closes the resolution
        clock and starts the confirmation clock."""
        for request in self:
            if request.state not in ("new", "dispatched", "in_progress"):
                raise UserError(self.env._(
                    "Service request %(request)s is %(state)s: only a request being handled "
                    "can be completed.", request=request.name, state=request._state_label()))
            if is_html_empty(request.resolution):
                raise UserError(self.env._(
                    "Service request %(request)s: write the resolution before completing it.",
                    request=request.name))
        now = fields.Datetime.now()
        self._kam_flow_write({"state": "completed", "completed_date": now,
                              "completed_by_id": self.env.user.id})
        self._reach_clock("response", now)
        self._reach_clock("resolution", now)
        self.dispatch_ids.filtered(lambda d: d.state in ("open", "accepted"))._kam_flow_write(
            {"state": "done", "done_date": now})
        self._start_confirmation_clock(now)
        self._send_rating_request()
        return True

    def _start_confirmation_clock(self, start):
        """The customer's time to confirm, counted from the completion at ``start``."""
        for request in self:
            hours = self.env["kam.sla.policy"]._get_terms(
                request.company_id, request.tier_id, request.priority, request.category_id
            )[1]["confirmation"]
            request._kam_flow_write(request._clock_values(
                "confirmation", start, hours, request.sla_calendar_id))

    def _send_rating_request(self):
        """Mail the requester the rating request (Odoo's ``rating_send_request``): one mail
        per completion. A request whose mail went out is skipped (``rating_request_date``),
        a reopen clears the date so that the new resolution is rated again."""
        template = self.env.ref(
            "key_account_management.mail_template_kam_service_request_rating",
            raise_if_not_found=False)
        if not template:
            return
        for request in self.filtered(
                lambda r: r.state == "completed" and not r.rating_request_date):
            partner = request._rating_get_partner()
            if not partner.email:
                continue
            request.rating_send_request(template, lang=partner.lang, force_send=False)
            request._kam_flow_write({"rating_request_date": fields.Datetime.now()})

    def action_confirm_phone(self):
        """The KAM records the confirmation the customer gave by phone."""
        for request in self:
            request._confirm(request.requester_id or request.partner_id, "phone",
                             request.satisfaction or 0, False,
                             recorded_by=self.env.user)
        return True

    def _confirm(self, partner, mode, satisfaction=0, comment=False, recorded_by=None):
        self.ensure_one()
        if self.state != "completed":
            raise UserError(self.env._(
                "Service request %(request)s cannot be confirmed before it is completed "
                "(it is %(state)s).", request=self.name, state=self._state_label()))
        if satisfaction and not 1 <= satisfaction <= 5:
            raise ValidationError(self.env._(
                "Service request %(request)s: the satisfaction must be between 1 and 5 "
                "(got %(value)s).", request=self.name, value=satisfaction))
        now = fields.Datetime.now()
        vals = {
            "state": "confirmed",
            "confirmed_by_partner_id": partner.id,
            "confirmation_mode": mode,
            "confirmation_recorded_by_id": recorded_by.id if recorded_by else False,
        }
        if satisfaction:
            vals["satisfaction"] = satisfaction
        if comment:
            vals["satisfaction_comment"] = comment
        self._kam_flow_write(vals)
        self._reach_clock("confirmation", now)
        self._plan_return_visit()

    def _confirm_portal(self, partner, satisfaction, comment=False):
        """Confirmation and rating by the customer from the portal (its controller only:
        a private method, which no user can call over the API in a customer's name)."""
        self.ensure_one()
        if isinstance(partner, int):
            partner = self.env["res.partner"].browse(partner)
        if not 1 <= int(satisfaction or 0) <= 5:
            raise ValidationError(self.env._(
                "Service request %(request)s: the satisfaction must be between 1 and 5 "
                "(got %(value)s).", request=self.name, value=satisfaction))
        if self.state != "completed":
            raise UserError(self.env._(
                "Service request %(request)s cannot be confirmed before it is completed "
                "(it is %(state)s).", request=self.name, state=self._state_label()))
        if partner.commercial_partner_id != self.partner_id:
            raise AccessError(self.env._(
                "Service request %(request)s is confirmed by a contact of %(account)s only.",
                request=self.name, account=self.partner_id.display_name))
        token = self._rating_get_access_token(partner)
        self.rating_apply(int(satisfaction), token=token, feedback=comment)
        if self.confirmation_mode == "mail":
            self._kam_flow_write({"confirmation_mode": "portal"})
        return True

    def action_reopen(self):
        """Back to work, by the customer or the KAM, within the confirmation window."""
        now = fields.Datetime.now()
        for request in self:
            if request.state not in ("completed", "confirmed"):
                raise UserError(self.env._(
                    "Service request %(request)s is %(state)s: only a completed or confirmed "
                    "request can be reopened.", request=request.name,
                    state=request._state_label()))
            if request.confirmation_deadline and now > request.confirmation_deadline:
                raise UserError(self.env._(
                    "Service request %(request)s: the confirmation window closed on "
                    "%(deadline)s; file a new request instead.", request=request.name,
                    deadline=reader_datetime(self.env, request.confirmation_deadline)))
        for request in self:
            deadline = request.resolution_deadline
            request._kam_flow_write({
                "state": "in_progress",
                "completed_date": False, "completed_by_id": False,
                "resolution_reached_date": False, "resolution_hours": 0.0,
                "resolution_status": ("breached" if deadline and deadline < now else "running")
                if deadline else False,
                "confirmation_deadline": False, "confirmation_risk_date": False,
                "confirmation_status": False, "confirmation_reached_date": False,
                "confirmation_hours": 0.0, "confirmed_by_partner_id": False,
                "confirmation_mode": False, "confirmation_recorded_by_id": False,
                "rating_request_date": False,
            })
            request.message_post(body=self.env._("Request reopened."),
                                 subtype_xmlid="mail.mt_note")
        return True

    def action_cancel(self):
        for request in self:
            if request.state in ("confirmed", "cancelled"):
                raise UserError(self.env._(
                    "Service request %(request)s is %(state)s: it cannot be cancelled.",
                    request=request.name, state=request._state_label()))
            if not (request.cancel_reason or "").strip():
                raise UserError(self.env._(
                    "Service request %(request)s: give the reason of the cancellation "
                    "(Cancellation Reason) first.", request=request.name))
        now = fields.Datetime.now()
        Policy = self.env["kam.sla.policy"]
        for pause in self.pause_ids.filtered(lambda p: not p.date_to):
            # the wait ends with the request: kept with its working hours, like a resume
            request = pause.request_id
            hours = Policy._hours_between(pause.date_from, now, request.sla_calendar_id)
            pause._kam_flow_write({"date_to": now, "paused_hours": round(hours, 4)})
            request._kam_flow_write({"paused_hours": request.paused_hours + hours})
        self._kam_flow_write({"state": "cancelled", "state_before_wait": False})
        self.dispatch_ids.filtered(lambda d: d.state in ("open", "accepted"))._kam_flow_write(
            {"state": "cancelled"})
        return True

    def action_open_cancel(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Service Request"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref(
                "key_account_management.kam_service_request_view_form_cancel").id, "form")],
            "target": "new",
        }

    def action_open_pause(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Wait on the Customer"),
            "res_model": "kam.service.pause",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_request_id": self.id},
            "target": "new",
        }

    def action_resume(self):
        self.pause_ids.filtered(lambda p: not p.date_to).action_end()
        return True

    def action_open_dispatch(self):
        """Dispatch (调度): a new dispatch line of this request, for the team of its
        category, in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispatch %(request)s", request=self.name),
            "res_model": "kam.service.dispatch",
            "view_mode": "form",
            "views": [(self.env.ref(
                "key_account_management.kam_service_dispatch_view_form").id, "form")],
            "context": {"default_request_id": self.id,
                        "default_team_id": self.team_id.id or self.category_id.team_id.id},
            "target": "new",
        }

    def action_view_dispatches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_service_dispatch_action")
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action

    def action_view_return_visit(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "kam.visit",
                "res_id": self.return_visit_id.id, "view_mode": "form"}

    # ---- Business ----
    def _advance_to(self, state):
        """Move the requests not yet at ``state`` (dispatched or in progress) forward to
        it; a request waiting on the customer goes back to that state when resumed."""
        order = ["new", "dispatched", "in_progress"]
        earlier = order[:order.index(state)]
        self.filtered(lambda r: r.state in earlier)._kam_flow_write({"state": state})
        self.filtered(lambda r: r.state == "waiting" and r.state_before_wait in earlier
                      )._kam_flow_write({"state_before_wait": state})

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _plan_return_visit(self):
        """A confirmed request plans one return visit (回访) for the KAM, a setting's
        days later, linked both ways; never a second one."""
        Visit = self.env["kam.visit"]
        for request in self.filtered(lambda r: not r.return_visit_id and r.kam_manager_id):
            days = request.company_id.kam_service_return_visit_days
            day = request.company_id._kam_today() + timedelta(days=days)
            start = Visit._utc_datetime(day, 10, request.kam_manager_id, request.company_id)
            visit = Visit.with_company(request.company_id).create({
                "partner_id": request.partner_id.id,
                "company_id": request.company_id.id,
                "user_id": request.kam_manager_id.id,
                "visit_type": "return",
                "objective": self.env._("Return visit for %(request)s: %(subject)s",
                                        request=request.name, subject=request.subject),
                "date_start": start,
                "date_end": start + timedelta(hours=1),
                "service_request_id": request.id,
            })
            request._kam_flow_write({"return_visit_id": visit.id})

    # ---- Escalation cron ----
    @api.model
    @kam_retry_on_conflict
    def _cron_escalate(self, batch_size=200):
        """At-risk warnings and breach escalations, each sent once.

        Candidates are picked in SQL with ``FOR UPDATE SKIP LOCKED``: two workers
        running at once never take the same request, and each flag is written
        before its message, so a rerun (or a crash and rerun) notifies nobody
        twice. The number of queries does not depend on the number of open
        requests, only on the (batched) notices sent; their mails are queued for
        the mail cron rather than sent inside this transaction."""
        self = self.with_context(mail_notify_force_send=False)  # noqa: PLW0642
        now = fields.Datetime.now()
        self._mark_breaches(now)
        for clock in SLA_CLOCKS:
            requests = self._lock_candidates(SQL(
                "%s <= %s AND %s = 'running' AND NOT COALESCE(%s, FALSE)",
                SQL.identifier(f"{clock}_risk_date"), now, SQL.identifier(f"{clock}_status"),
                SQL.identifier(f"{clock}_risk_notified")), batch_size)
            if requests:
                requests._kam_flow_write({f"{clock}_risk_notified": True})
                requests._notify_at_risk(clock)
        requests = self._lock_candidates(SQL(
            "is_breached AND escalation_kam_date IS NULL"), batch_size)
        if requests:
            requests._kam_flow_write({"escalation_kam_date": now})
            requests._notify_breach_kam()
        # the delay is the setting of each request's own company, not of the company
        # the cron runs in (a correlated subquery: res_company rows are not locked)
        requests = self._lock_candidates(SQL(
            """is_breached AND escalation_director_date IS NULL
               AND escalation_kam_date <= %s - INTERVAL '1 hour' * COALESCE(
                   (SELECT c.kam_service_director_hours FROM res_company c
                     WHERE c.id = kam_service_request.company_id), 0)""",
            now), batch_size)
        if requests:
            requests._kam_flow_write({"escalation_director_date": now})
            requests._notify_breach_directors()

    @api.model
    def _mark_breaches(self, now):
        """Running clocks past their deadline become breached (one UPDATE per clock)."""
        self.env.flush_all()
        touched = set()
        for clock in SLA_CLOCKS:
            self.env.cr.execute(SQL(
                """UPDATE kam_service_request SET %(status)s = 'breached', is_breached = TRUE
                    WHERE id IN (SELECT id FROM kam_service_request
                                  WHERE %(status)s = 'running' AND %(deadline)s < %(now)s
                                    AND state IN %(open)s
                                    FOR UPDATE SKIP LOCKED)
                RETURNING id""",
                status=SQL.identifier(f"{clock}_status"),
                deadline=SQL.identifier(f"{clock}_deadline"),
                now=now, open=(*OPEN_STATES, "completed")))
            touched.update(row[0] for row in self.env.cr.fetchall())
        if touched:
            self.browse(touched).invalidate_recordset(
                [f"{c}_status" for c in SLA_CLOCKS] + ["is_breached"])

    @api.model
    def _lock_candidates(self, condition, limit):
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT id FROM kam_service_request
                WHERE state IN %s AND %s
                ORDER BY id LIMIT %s
                FOR UPDATE SKIP LOCKED""",
            (*OPEN_STATES, "completed"), condition, limit))
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _clock_label(self, clock):
        return {
            "response": self.env._("response"),
            "resolution": self.env._("resolution"),
            "confirmation": self.env._("confirmation"),
        }[clock]

    def _post_per_reader(self, users, render):
        """One note on the request per language and time zone of its ``users`` (addressed
        to them), ``render(env)`` writing its body in that reader's environment; without
        users, one note in the current language."""
        self.ensure_one()
        tz = self.company_id._kam_tz()
        groups = readers_by_env(self.env, users, tz) or [(self.env, users)]
        for env, readers in groups:
            self.message_post(body=render(env), partner_ids=readers.partner_id.ids,
                              subtype_xmlid="mail.mt_note")

    def _notify_at_risk(self, clock):
        for request in self:
            users = request.user_id or request.dispatch_ids.filtered(
                lambda d: d.state in ("open", "accepted")).user_id or request.kam_manager_id
            if clock == "confirmation":
                users = request.kam_manager_id or users
            request._post_per_reader(users, lambda env, r=request: env._(
                "The %(clock)s clock of %(request)s is at risk: deadline %(deadline)s.",
                clock=r.with_env(env)._clock_label(clock), request=r.name,
                deadline=reader_datetime(env, r[f"{clock}_deadline"])))

    def _notify_breach_kam(self):
        for request in self:
            def render(env, r=request):
                clocks = ", ".join(r.with_env(env)._clock_label(c) for c in SLA_CLOCKS
                                   if r[f"{c}_status"] == "breached")
                body = env._(
                    "Service level breached (%(clocks)s) on %(request)s for %(account)s: "
                    "key account manager, please take charge.",
                    clocks=clocks, request=r.name, account=r.partner_id.display_name)
                if r.confirmation_status == "breached":
                    body = Markup("%s<br/>%s") % (body, env._(
                        "The customer has not confirmed the completion: please follow up."))
                return body
            request._post_per_reader(request.kam_manager_id, render)

    def _notify_breach_directors(self):
        group = self.env.ref("key_account_management.key_account_management_group_director")
        directors = group.all_user_ids if "all_user_ids" in group._fields else group.user_ids
        directors = directors.filtered(lambda u: not u.share and u.active)
        for request in self:
            users = directors.filtered(lambda u, r=request: r.company_id in u.company_ids
                                       and u.id != self.env.ref("base.user_root").id)
            request._post_per_reader(users, lambda env, r=request: env._(
                "Service level of %(request)s for %(account)s still breached after "
                "escalation to the key account manager: escalated to the directors.",
                request=r.name, account=r.partner_id.display_name))

    # ---- Figures for the account ----
    @api.model
    def _get_account_figures(self, partners):
        """``{partner: (open requests, breaches in the last 90 days)}``: two grouped reads."""
        since = fields.Datetime.now() - timedelta(days=90)
        domain = Domain("partner_id", "in", partners.ids)
        open_counts = dict(self._read_group(
            domain & Domain("state", "in", OPEN_STATES), ["partner_id"], ["__count"]))
        breach_counts = dict(self._read_group(
            domain & Domain("is_breached", "=", True) & Domain("request_date", ">=", since),
            ["partner_id"], ["__count"]))
        return {p: (open_counts.get(p, 0), breach_counts.get(p, 0)) for p in partners}
