from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_plan_pace_threshold = fields.Float(
        related="company_id.kam_plan_pace_threshold", readonly=False)
    kam_whitespace_categ_ids = fields.Many2many(
        related="company_id.kam_whitespace_categ_ids", readonly=False)

    @api.constrains("kam_plan_pace_threshold")
    def _check_kam_plan_pace_threshold(self):
        for settings in self:
            if not 0 <= settings.kam_plan_pace_threshold <= 100:
                raise ValidationError(self.env._(
                    "Account plan pace threshold must be between 0 and 100 %% (%(value)s).",
                    value=settings.kam_plan_pace_threshold))
