from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_revenue_basis = fields.Selection(
        related="company_id.kam_revenue_basis", readonly=False)
