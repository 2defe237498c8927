from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class KamServicePause(models.Model):
    """A wait on the customer: the clocks of the request stop from ``date_from``
    to ``date_to`` and their deadlines move by the paused working time."""

    _name = "kam.service.pause"
    _inherit = ["kam.private.mixin", "kam.flow.mixin", "kam.bounds.mixin"]
    _description = "Key Account Service Request Pause"
    _order = "date_from desc, id desc"
    # as the dispatch lines: a pause stays on its request
    _kam_fixed_link_fields = ("request_id",)
    # the wait's span moves the request's deadlines: set by Wait / Resume only
    _kam_flow_fields = ("date_from", "date_to", "paused_hours")

    request_id = fields.Many2one(
        "kam.service.request", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    date_from = fields.Datetime(string="Paused From", required=True, default=lambda self: fields.Datetime.now(),
                                readonly=True)
    date_to = fields.Datetime(string="Resumed On", readonly=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", string="Paused By", required=True, readonly=True,
        default=lambda self: self.env.user)
    paused_hours = fields.Float(
        readonly=True, help="Working hours (or hours, round the clock) the clocks stood still.")

    @api.constrains("reason")
    def _check_reason(self):
        for pause in self:
            if not (pause.reason or "").strip():
                raise ValidationError(self.env._(
                    "Pause of %(request)s: give the reason for waiting on the customer.",
                    request=pause.request_id.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("reason") or "").strip():
                raise ValidationError(self.env._(
                    "A pause needs a reason: say what the customer must provide."))
        pauses = super().create(vals_list)
        for pause in pauses:
            request = pause.request_id
            if request.state not in ("new", "dispatched", "in_progress"):
                raise UserError(self.env._(
                    "Service request %(request)s is %(state)s: only a request being handled "
                    "can wait on the customer.", request=request.name,
                    state=request._state_label()))
            request._kam_flow_write({"state_before_wait": request.state, "state": "waiting"})
            request._pause_clocks()
            request.message_post(body=self.env._(
                "Waiting on the customer: %(reason)s", reason=pause.reason),
                subtype_xmlid="mail.mt_note")
        return pauses

    def action_end(self):
        """Resume: close the pause and move the deadlines of its request."""
        now = fields.Datetime.now()
        Policy = self.env["kam.sla.policy"]
        for pause in self.filtered(lambda p: not p.date_to):
            request = pause.request_id
            hours = Policy._hours_between(pause.date_from, now, request.sla_calendar_id)
            pause._kam_flow_write({"date_to": now, "paused_hours": round(hours, 4)})
            request._resume_clocks(hours)
            request._kam_flow_write({"state": request.state_before_wait or "in_progress",
                                     "state_before_wait": False})
        return True
