from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_contract_date = fields.Date(
        string="Contract Date", company_dependent=True, copy=False,
        groups="sales_team.group_sale_salesman",
        help="Start of the relationship: its anniversary is a care occasion. Empty: the date of "
             "the first confirmed order.")
