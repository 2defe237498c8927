from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_weight_revenue = fields.Integer(related="company_id.kam_weight_revenue", readonly=False)
    kam_weight_growth = fields.Integer(related="company_id.kam_weight_growth", readonly=False)
    kam_weight_frequency = fields.Integer(
        related="company_id.kam_weight_frequency", readonly=False)
    kam_weight_strategic = fields.Integer(
        related="company_id.kam_weight_strategic", readonly=False)
    kam_weight_potential = fields.Integer(
        related="company_id.kam_weight_potential", readonly=False)
    kam_weight_credit = fields.Integer(related="company_id.kam_weight_credit", readonly=False)
    kam_downgrade_grace_days = fields.Integer(
        related="company_id.kam_downgrade_grace_days", readonly=False)
