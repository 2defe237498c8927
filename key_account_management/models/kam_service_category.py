from odoo import fields, models


class KamServiceCategory(models.Model):
    """What a service request is about (outage, installation, billing...), and
    the team that handles it by default."""

    _name = "kam.service.category"
    _description = "Key Account Service Category"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    team_id = fields.Many2one("kam.service.team", string="Default Team", check_company=True)
    description = fields.Text()
