from odoo import api, models

# what a confirmed order's revenue depends on (see ``kam.revenue._revenue_source``)
ORDER_REVENUE_FIELDS = frozenset(
    ("state", "date_order", "partner_id", "company_id", "order_line", "currency_rate"))
LINE_REVENUE_FIELDS = frozenset(
    ("product_uom_qty", "price_unit", "discount", "tax_ids", "display_type", "order_id"))


class SaleOrder(models.Model):
    """A confirmed, cancelled or changed order refreshes the reported figures of its
    account's plans (Plans vs Actuals, the dashboard) without waiting for the daily run."""

    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state == "sale")._kam_refresh_plans()
        return orders

    def write(self, vals):
        if not ORDER_REVENUE_FIELDS.intersection(vals):
            return super().write(vals)
        before = self.filtered(lambda o: o.state == "sale")
        res = super().write(vals)
        (before | self.filtered(lambda o: o.state == "sale"))._kam_refresh_plans(
            partners=before.partner_id)
        return res

    def _kam_refresh_plans(self, partners=None):
        """The plans of the accounts of these orders (and of ``partners``, their
        accounts before a change), in the companies counting revenue by order."""
        companies = self.company_id.filtered(lambda c: c.kam_revenue_basis == "order")
        if companies:
            self.env["kam.account.plan"]._refresh_plans_of(
                self.partner_id | (partners or self.env["res.partner"]), companies)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id.filtered(lambda o: o.state == "sale")._kam_refresh_plans()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if LINE_REVENUE_FIELDS.intersection(vals):
            self.order_id.filtered(lambda o: o.state == "sale")._kam_refresh_plans()
        return res

    def unlink(self):
        orders = self.order_id.filtered(lambda o: o.state == "sale")
        res = super().unlink()
        orders.exists()._kam_refresh_plans()
        return res
