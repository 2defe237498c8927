from datetime import timedelta

from odoo.tests import new_test_user, tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamHealthUi(KamHttpCase):
    def test_tour_kam_health(self):
        """A director opens the at-risk accounts, reads the biggest drag and
        opens the account."""
        director = new_test_user(
            self.env, login="kamt_health_director", name="Hana Director",
            groups="key_account_management.key_account_management_group_director")
        account = self.env["res.partner"].create({"name": "Tour Harbour Foods",
                                                  "is_company": True})
        account.write({"kam_state": "registered", "kam_manager_id": director.id})
        product = self.env["product.product"].create(
            {"name": "Tour Crates", "type": "service", "list_price": 1000})
        day = self.env.company._kam_today() - timedelta(days=45)
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": account.id, "invoice_date": day,
            "invoice_date_due": day, "invoice_payment_term_id": False,
            "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1,
                                         "price_unit": 1000, "tax_ids": [(6, 0, [])]})],
        })
        invoice.action_post()
        # only the receivables count, whatever the database's tiers and settings (demo data)
        self.env.company.write({
            "kam_health_weight_revenue": 0, "kam_health_weight_recency": 0,
            "kam_health_weight_visits": 0, "kam_health_weight_decision_unit": 0,
            "kam_health_weight_service": 0, "kam_health_weight_receivables": 20})
        self.env["kam.scoring"]._recompute_companies(self.env.company, partners=account)
        self.assertEqual(account.kam_health_band, "red")
        self.assertIn("Receivables 45 days overdue", account.kam_health_drag)
        self.start_tour("/odoo", "kam_health_tour", login=director.login)
