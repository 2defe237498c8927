from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_service_risk_percent = fields.Float(
        related="company_id.kam_service_risk_percent", readonly=False)
    kam_service_director_hours = fields.Float(
        related="company_id.kam_service_director_hours", readonly=False)
    kam_service_return_visit_days = fields.Integer(
        related="company_id.kam_service_return_visit_days", readonly=False)
    kam_service_allow_unregistered = fields.Boolean(
        related="company_id.kam_service_allow_unregistered", readonly=False)
    kam_service_dispatch_share = fields.Float(
        related="company_id.kam_service_dispatch_share", readonly=False)
    kam_service_confirmation_hours = fields.Float(
        related="company_id.kam_service_confirmation_hours", readonly=False)

    @api.constrains("kam_service_risk_percent", "kam_service_dispatch_share",
                    "kam_service_director_hours", "kam_service_return_visit_days",
                    "kam_service_confirmation_hours")
    def _check_kam_service_settings(self):
        for settings in self:
            for fname in ("kam_service_risk_percent", "kam_service_dispatch_share"):
                if not 0 < settings[fname] <= 100:
                    raise ValidationError(self.env._(
                        "%(field)s must be greater than 0 and at most 100 %% (%(value)s).",
                        field=self._fields[fname]._description_string(self.env),
                        value=settings[fname]))
            for fname in ("kam_service_director_hours", "kam_service_return_visit_days",
                          "kam_service_confirmation_hours"):
                if settings[fname] < 0:
                    raise ValidationError(self.env._(
                        "%(field)s cannot be negative (%(value)s).",
                        field=self._fields[fname]._description_string(self.env),
                        value=settings[fname]))
