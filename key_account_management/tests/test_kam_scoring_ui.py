from datetime import timedelta

from odoo.tests import tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamScoringUi(KamHttpCase):
    def test_tour_kam_scoring(self):
        """A director opens an account, recomputes it, reads the score
        breakdown and opens the Pareto analysis. In a company of its own, so
        that the ranks and shares do not depend on the other customers of the
        database (demo data, real ones)."""
        company = self.env["res.company"].create({"name": "KAM Tour Scoring Company"})
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, company.id)], "company_id": company.id})
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        partner = env["res.partner"].create({"name": "Tour Telecom", "is_company": True})
        partner.write({"kam_state": "registered"})
        product = env["product.product"].create(
            {"name": "Tour Line", "type": "service", "list_price": 5000})
        order = env["sale.order"].create({
            "company_id": company.id,
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1,
                                   "price_unit": 5000, "tax_ids": [(6, 0, [])]})],
        })
        order.action_confirm()
        order.date_order = self.env.company._kam_today() - timedelta(days=3)
        self.start_tour("/odoo", "kam_scoring_tour", login="admin")
        self.assertEqual(partner.env.company, company)
        self.assertAlmostEqual(partner.kam_revenue_12m, 5000)
        self.assertEqual(partner.kam_pareto_class, "a")
