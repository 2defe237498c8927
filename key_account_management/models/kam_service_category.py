from odoo import fields, models

from .kam_bounds import SEQUENCE


class KamServiceCategory(models.Model):
    """What a service request is about (outage, installation, billing...), and
    the team that handles it by default."""

    _name = "kam.service.category"
    _description = "Key Account Service Category"
    _inherit = ["kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE}
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    team_id = fields.Many2one("kam.service.team", string="Default Team", check_company=True)
    description = fields.Text()
