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
    kam_whitespace_categ_ids = fields.Many2many(
        "product.category", "kam_company_whitespace_categ_rel", "company_id", "categ_id",
        string="Whitespace Categories",
        help="The product lines the company sells (each with its subcategories): the account "
             "plans' whitespace lists these only. Empty: every category of a product for sale, "
             "Odoo's sample categories included.")

    @api.constrains("kam_plan_pace_threshold")
    def _check_kam_plan_pace_threshold(self):
        check_bounds(self, PLAN_LIMITS)
