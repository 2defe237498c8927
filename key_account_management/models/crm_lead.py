from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    kam_account_plan_id = fields.Many2one(
        "kam.account.plan", string="Account Plan", index="btree_not_null", ondelete="set null",
        copy=False,
        help="The key account plan this opportunity was created from.")
    kam_product_categ_id = fields.Many2one(
        "product.category", string="Whitespace Category", index="btree_not_null",
        ondelete="set null", copy=False,
        help="The product category gap of the account plan this opportunity addresses.")
