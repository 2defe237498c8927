from odoo import api, fields, models

from .kam_bounds import PERCENT, check_bounds

PLAN_LIMITS = {"kam_plan_pace_threshold": PERCENT}


class ResCompany(models.Model):
    _inherit = "res.company"
    _kam_bounds = PLAN_LIMITS

    kam_plan_pace_threshold = fields.Float(
        string="Account Plan Pace Threshold (%)", default=80.0,
        help="An approved account plan is behind its pace when its achievement is below this "
             "percentage of the time elapsed in its period (e.g. 80 %: half-way through the "
             "year, below 40 % of the target). Such plans are listed in the directors' digest.")

    @api.constrains("kam_plan_pace_threshold")
    def _check_kam_plan_pace_threshold(self):
        check_bounds(self, PLAN_LIMITS)
