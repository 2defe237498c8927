from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_revenue_basis = fields.Selection(
        [
            ("order", "Confirmed Sales Orders"),
            ("invoice", "Posted Customer Invoices"),
        ],
        string="Key Account Revenue Basis", default="order", required=True,
        help="Confirmed sales orders: untaxed amount of confirmed orders, in company currency.\n"
             "Posted customer invoices: untaxed amount of posted invoices net of refunds.")
