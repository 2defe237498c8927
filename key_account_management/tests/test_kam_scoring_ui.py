from datetime import date, timedelta

from odoo.tests import tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamScoringUi(KamHttpCase):
    def test_tour_kam_scoring(self):
        """A director opens an account, recomputes it, reads the score
        breakdown and opens the Pareto analysis."""
        partner = self.env["res.partner"].create({"name": "Tour Telecom", "is_company": True})
        partner.write({"kam_state": "registered"})
        product = self.env["product.product"].create(
            {"name": "Tour Line", "type": "service", "list_price": 5000})
        order = self.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1,
                                   "price_unit": 5000, "tax_ids": [(6, 0, [])]})],
        })
        order.action_confirm()
        order.date_order = date.today() - timedelta(days=3)
        self.start_tour("/odoo", "kam_scoring_tour", login="admin")
        self.assertAlmostEqual(partner.kam_revenue_12m, 5000)
        self.assertEqual(partner.kam_pareto_class, "a")
