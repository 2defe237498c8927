from odoo import api, fields, models

from .kam_bounds import MAX_DAYS, MAX_HOURS, PERCENT, check_bounds

# percentages, and periods the green channel's clocks add to dates
SERVICE_LIMITS = {
    "kam_service_risk_percent": PERCENT, "kam_service_dispatch_share": PERCENT,
    "kam_service_director_hours": (0, MAX_HOURS),
    "kam_service_confirmation_hours": (0, MAX_HOURS),
    "kam_service_return_visit_days": (0, MAX_DAYS),
}


class ResCompany(models.Model):
    _inherit = "res.company"
    _kam_bounds = SERVICE_LIMITS

    kam_service_risk_percent = fields.Float(
        string="Service Clock At Risk (%)", default=80.0,
        help="A service clock is at risk when this percentage of its time is used: the "
             "assignee is warned once.")
    kam_service_director_hours = fields.Float(
        string="Escalation to Directors (hours)", default=4.0,
        help="Hours after a breach was escalated to the key account manager before the "
             "directors are told.")
    kam_service_return_visit_days = fields.Integer(
        string="Return Visit After (days)", default=7,
        help="A confirmed service request plans a return visit (回访) this many days later.")
    kam_service_allow_unregistered = fields.Boolean(
        string="Serve Non-registered Accounts",
        help="Allow service requests for customers that are not registered key accounts.")
    kam_service_dispatch_share = fields.Float(
        string="Dispatch Deadline Share (%)", default=50.0,
        help="Default internal deadline of a dispatch: this share of the remaining "
             "resolution time of the request (a team may set its own).")
    kam_service_confirmation_hours = fields.Float(
        string="Confirmation Window (hours)", default=72.0,
        help="Hours the customer has to confirm a completed request when its tier has no "
             "SLA policy row.")

    @api.constrains(*SERVICE_LIMITS)
    def _check_kam_service_bounds(self):
        check_bounds(self, SERVICE_LIMITS)
