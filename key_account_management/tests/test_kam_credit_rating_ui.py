from odoo.tests import new_test_user, tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamCreditRatingUi(KamHttpCase):
    def test_tour_request_and_approve(self):
        """The KAM requests a better credit rating from the account's Key Account
        tab; a director approves it from the requests; the payment terms follow."""
        kam = new_test_user(self.env, login="kamt_tour_kam", name="Tina Tour",
                            groups="key_account_management.key_account_management_group_manager")
        new_test_user(self.env, login="kamt_tour_director", name="Dirk Tour",
                      groups="key_account_management.key_account_management_group_director")
        term = self.env.ref("account.account_payment_term_45days")
        rating = self.env["kam.credit.rating"].create({
            "code": "TOUR-AAA", "name": "Tour Excellent", "payment_term_id": term.id,
            "credit_limit": 500000.0, "score": 100})
        account = self.env["res.partner"].create({"name": "Tour Bank Ltd", "is_company": True})
        account.write({"kam_state": "registered", "kam_manager_id": kam.id})

        self.start_tour(f"/odoo/res.partner/{account.id}", "kam_credit_rating_request_tour",
                        login="kamt_tour_kam")
        request = self.env["kam.credit.rating.request"].search([("partner_id", "=", account.id)])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.new_rating_id, rating)

        self.start_tour("/odoo/action-key_account_management.kam_credit_rating_request_action",
                        "kam_credit_rating_approve_tour", login="kamt_tour_director")
        self.assertEqual(request.state, "approved")
        self.assertEqual(account.kam_credit_rating_id, rating)
        self.assertEqual(account.property_payment_term_id, term)
