from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_health_weight_revenue = fields.Integer(
        related="company_id.kam_health_weight_revenue", readonly=False)
    kam_health_weight_recency = fields.Integer(
        related="company_id.kam_health_weight_recency", readonly=False)
    kam_health_weight_receivables = fields.Integer(
        related="company_id.kam_health_weight_receivables", readonly=False)
    kam_health_weight_visits = fields.Integer(
        related="company_id.kam_health_weight_visits", readonly=False)
    kam_health_weight_decision_unit = fields.Integer(
        related="company_id.kam_health_weight_decision_unit", readonly=False)
    kam_health_weight_service = fields.Integer(
        related="company_id.kam_health_weight_service", readonly=False)
    kam_health_red_max = fields.Integer(related="company_id.kam_health_red_max", readonly=False)
    kam_health_yellow_max = fields.Integer(
        related="company_id.kam_health_yellow_max", readonly=False)
    kam_signal_revenue_drop = fields.Integer(
        related="company_id.kam_signal_revenue_drop", readonly=False)
    kam_signal_overdue_days = fields.Integer(
        related="company_id.kam_signal_overdue_days", readonly=False)
    kam_signal_sla_breaches = fields.Integer(
        related="company_id.kam_signal_sla_breaches", readonly=False)
    kam_signal_satisfaction_min = fields.Float(
        related="company_id.kam_signal_satisfaction_min", readonly=False)
