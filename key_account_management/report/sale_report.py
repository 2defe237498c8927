from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    kam_tier_id = fields.Many2one(
        "kam.tier", string="Key Account Tier", readonly=True,
        groups="sales_team.group_sale_salesman")
    kam_manager_id = fields.Many2one(
        "res.users", string="Key Account Manager", readonly=True,
        groups="sales_team.group_sale_salesman")

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["kam_tier_id"] = "s.kam_tier_id"
        res["kam_manager_id"] = "s.kam_manager_id"
        return res

    def _group_by_sale(self):
        res = super()._group_by_sale()
        res += """,
            s.kam_tier_id,
            s.kam_manager_id"""
        return res
