from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class KamServiceDispatch(models.Model):
    """A dispatch line (调度单): what a service team (or one of its members) must
    do for a request, by an internal deadline carved out of the customer's."""

    _name = "kam.service.dispatch"
    _inherit = ["kam.private.mixin", "kam.flow.mixin", "kam.bounds.mixin"]
    # the line's steps (accept, done, cancel with its request) are its buttons' only
    _kam_flow_fields = ("state", "accepted_date", "done_date")
    _description = "Key Account Service Dispatch"
    _order = "internal_deadline, id"
    _check_company_auto = True
    # a line moved to another request would open that request to its team (the rules
    # are checked before a write): only a director moves it
    _kam_fixed_link_fields = ("request_id",)

    request_id = fields.Many2one(
        "kam.service.request", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="request_id.partner_id", string="Account")
    subject = fields.Char(related="request_id.subject")
    priority = fields.Selection(related="request_id.priority")
    team_id = fields.Many2one(
        "kam.service.team", index="btree_not_null", check_company=True,
        context={"active_test": False})
    user_id = fields.Many2one(
        "res.users", string="Assigned To", index="btree_not_null",
        domain="[('share', '=', False)]")
    instruction = fields.Text(required=True)
    internal_deadline = fields.Datetime(
        help="By default the team's share of the remaining resolution time of the request.")
    state = fields.Selection(
        [("open", "To Accept"), ("accepted", "Accepted"), ("done", "Done"),
         ("cancelled", "Cancelled")], default="open", required=True, index=True)
    accepted_date = fields.Datetime(readonly=True)
    done_date = fields.Datetime(readonly=True)
    result = fields.Text(string="Result Note")
    is_late = fields.Boolean(compute="_compute_is_late")

    @api.depends("internal_deadline", "state", "done_date")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for line in self:
            end = line.done_date if line.state == "done" else now
            line.is_late = bool(line.internal_deadline and end and end > line.internal_deadline
                                and line.state != "cancelled")

    @api.depends("request_id.name", "team_id.name", "user_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.request_id.name} - {(line.team_id or line.user_id).name}"

    # ---- Constraints ----
    @api.constrains("team_id", "user_id")
    def _check_assignee(self):
        for line in self:
            if not line.team_id and not line.user_id:
                raise ValidationError(self.env._(
                    "Dispatch of %(request)s: choose a service team or a user.",
                    request=line.request_id.name))
            if line.team_id and not line.team_id.active and line.state in ("open", "accepted"):
                raise ValidationError(self.env._(
                    "Dispatch of %(request)s: the service team %(team)s is archived.",
                    request=line.request_id.name, team=line.team_id.name))
            if line.team_id and line.user_id and line.user_id not in line.team_id._get_users():
                raise ValidationError(self.env._(
                    "Dispatch of %(request)s: %(user)s is not a member of the service team "
                    "%(team)s.", request=line.request_id.name, user=line.user_id.name,
                    team=line.team_id.name))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        Request = self.env["kam.service.request"]
        for vals in vals_list:
            request = Request.browse(vals.get("request_id"))
            if request.state not in ("new", "dispatched", "in_progress", "waiting"):
                raise UserError(self.env._(
                    "Service request %(request)s is %(state)s: it cannot be dispatched.",
                    request=request.name, state=request._state_label()))
            if not vals.get("internal_deadline"):
                team = self.env["kam.service.team"].browse(vals.get("team_id"))
                vals["internal_deadline"] = self._default_internal_deadline(request, team)
        lines = super().create(vals_list)
        lines.request_id._advance_to("dispatched")
        for line in lines:
            followers = line.user_id.partner_id or line.team_id._get_users().partner_id
            line.request_id.message_subscribe(partner_ids=followers.ids)
        return lines

    @api.model
    def _default_internal_deadline(self, request, team):
        """The team's share of the working time left until the request's resolution
        deadline, counted on the team's (or the request's) calendar."""
        deadline = request.resolution_deadline
        if not deadline:
            return False
        Policy = self.env["kam.sla.policy"]
        now = fields.Datetime.now()
        share = (team.deadline_share or request.company_id.kam_service_dispatch_share
                 or 50.0) / 100.0
        calendar = team.calendar_id or request.sla_calendar_id
        remaining = Policy._hours_between(now, deadline, calendar)
        if remaining <= 0:
            return deadline
        return Policy._add_hours(now, remaining * share, calendar)

    # ---- Actions ----
    def _check_own_line(self):
        """Team members act on the lines of their team or their own; KAMs of the
        account and directors on every line (record rules decide what they see)."""
        user = self._kam_acting_user()
        if self._kam_trusted() or user.has_group(
                "key_account_management.key_account_management_group_manager"):
            return
        for line in self:
            if line.user_id != user and user not in line.team_id._get_users():
                raise UserError(self.env._(
                    "Dispatch %(line)s is not yours: only %(who)s may act on it.",
                    line=line.display_name, who=(line.user_id or line.team_id).name))

    def action_accept(self):
        self._check_own_line()
        for line in self:
            if line.state != "open":
                raise UserError(self.env._(
                    "Dispatch %(line)s was already accepted or closed.", line=line.display_name))
        now = fields.Datetime.now()
        self._kam_flow_write({"state": "accepted", "accepted_date": now})
        for line in self.filtered(lambda d: not d.user_id):
            if self.env.user in line.team_id._get_users():
                line.user_id = self.env.user
        requests = self.request_id
        requests.filtered(lambda r: not r.response_reached_date)._kam_flow()._reach_clock(
            "response", now)
        requests._advance_to("in_progress")
        return True

    def action_done(self):
        self._check_own_line()
        for line in self:
            if line.state not in ("open", "accepted"):
                raise UserError(self.env._(
                    "Dispatch %(line)s is already closed.", line=line.display_name))
            if not (line.result or "").strip():
                raise UserError(self.env._(
                    "Dispatch %(line)s: write the result note before marking it done.",
                    line=line.display_name))
        now = fields.Datetime.now()
        self.filtered(lambda d: d.state == "open")._kam_flow_write({"accepted_date": now})
        self._kam_flow_write({"state": "done", "done_date": now})
        requests = self.request_id
        requests.filtered(lambda r: not r.response_reached_date)._reach_clock("response", now)
        requests._advance_to("in_progress")
        for line in self:
            line.request_id.message_post(body=self.env._(
                "Dispatch %(line)s done: %(result)s", line=line.display_name,
                result=line.result), subtype_xmlid="mail.mt_note")
        return True
