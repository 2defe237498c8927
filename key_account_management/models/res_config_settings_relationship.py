from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_rel_weight_message = fields.Float(
        related="company_id.kam_rel_weight_message", readonly=False)
    kam_rel_weight_meeting = fields.Float(
        related="company_id.kam_rel_weight_meeting", readonly=False)
    kam_rel_weight_visit = fields.Float(related="company_id.kam_rel_weight_visit", readonly=False)
    kam_rel_weight_request = fields.Float(
        related="company_id.kam_rel_weight_request", readonly=False)
    kam_rel_half_life_days = fields.Integer(
        related="company_id.kam_rel_half_life_days", readonly=False)
    kam_rel_strong_min = fields.Float(related="company_id.kam_rel_strong_min", readonly=False)
    kam_rel_cold_days = fields.Integer(related="company_id.kam_rel_cold_days", readonly=False)
