from datetime import timedelta

from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamRevenue(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.date_from = cls.today - timedelta(days=365)
        cls.date_to = cls.today + timedelta(days=1)
        cls.Revenue = cls.env["kam.revenue"]

    def test_order_basis(self):
        """Confirmed orders count, drafts and other companies do not; child
        contacts count for their commercial entity."""
        self._make_order(self.account, 1000, self.today - timedelta(days=10))
        self._make_order(self.account_contact, 500, self.today - timedelta(days=5))
        self._make_order(self.account, 700, confirm=False)
        self._make_order(self.account, 900, self.today - timedelta(days=400))  # out of period
        self._make_order(self.account, 300, company=self.company_2)
        stats = self.Revenue._get_revenue_by_partner(
            self.company, self.date_from, self.date_to, basis="order")
        self.assertAlmostEqual(stats[self.account.id].revenue, 1500)
        self.assertEqual(stats[self.account.id].count, 2)
        self.assertNotIn(self.account_contact.id, stats)
        stats_2 = self.Revenue._get_revenue_by_partner(
            self.company_2, self.date_from, self.date_to, basis="order")
        self.assertAlmostEqual(stats_2[self.account.id].revenue, 300)

    def test_invoice_basis_with_refund(self):
        """Posted invoices net of refunds; drafts do not count."""
        self._make_invoice(self.account, 2000, self.today - timedelta(days=20))
        self._make_invoice(self.account_contact, 400, self.today - timedelta(days=3),
                           move_type="out_refund")
        self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.account.id,
            "invoice_date": self.today,
            "invoice_line_ids": [(0, 0, {"product_id": self.product.id, "price_unit": 999})],
        })
        stats = self.Revenue._get_revenue_by_partner(
            self.company, self.date_from, self.date_to, basis="invoice")
        self.assertAlmostEqual(stats[self.account.id].revenue, 1600)
        self.assertEqual(stats[self.account.id].count, 1)
        self.assertEqual(stats[self.account.id].last_date, self.today - timedelta(days=20))

    def test_basis_follows_company_setting(self):
        self._make_order(self.account, 1000, self.today)
        self.company.kam_revenue_basis = "invoice"
        self.assertFalse(self.Revenue._get_revenue_by_partner(
            self.company, self.date_from, self.date_to))
        self.company.kam_revenue_basis = "order"
        self.assertTrue(self.Revenue._get_revenue_by_partner(
            self.company, self.date_from, self.date_to))

    def test_partner_filter(self):
        self._make_order(self.account, 1000, self.today)
        self._make_order(self.account_2, 2000, self.today)
        stats = self.Revenue._get_revenue_by_partner(
            self.company, self.date_from, self.date_to, partner_ids=self.account_2.ids,
            basis="order")
        self.assertEqual(list(stats), self.account_2.ids)

    def test_one_query(self):
        """Revenue of all partners is one grouped query, whatever their number."""
        for amount in (100, 200, 300):
            partner = self.env["res.partner"].create({"name": f"C{amount}", "is_company": True})
            self._make_order(partner, amount, self.today)
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.Revenue._get_revenue_by_partner(
                self.company, self.date_from, self.date_to, basis="order")
