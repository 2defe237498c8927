from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import MAX_QUANTITY, SEQUENCE


class KamVisitProductLine(models.Model):
    """A need or product discussed during a visit, with the quantity the
    customer talked about."""

    _name = "kam.visit.product.line"
    _description = "Key Account Visit Product"
    _inherit = ["kam.private.mixin", "kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE, "quantity": (0, MAX_QUANTITY)}
    _kam_fixed_link_fields = ("visit_id",)
    _order = "visit_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    visit_id = fields.Many2one("kam.visit", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="visit_id.partner_id", store=True, string="Account")
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True,
        domain="[('sale_ok', '=', True)]")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    note = fields.Char()

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity < 0:
                raise ValidationError(self.env._(
                    "Visit %(visit)s: the quantity of %(product)s cannot be negative.",
                    visit=line.visit_id.display_name, product=line.product_id.display_name))
