from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KamCommon

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


@tagged("post_install", "-at_install")
class TestKamCreditRating(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_credit_ratings("KT", director_beyond_limit=True)
        cls.user_director_b = new_test_user(
            cls.env, login="kamt_director_b", name="Bo Director", groups=GROUP_DIRECTOR)

    def _request(self, rating, user=None, partner=None):
        Request = self.env["kam.credit.rating.request"].with_user(user or self.user_kam)
        return Request.create({"partner_id": (partner or self.account).id,
                               "new_rating_id": rating.id, "reason": "Paid on time for 3 years"})

    def _apply(self, rating, partner=None):
        """The account gets ``rating`` through the approval (submitted by its KAM)."""
        partner = partner or self.account
        request = self._request(rating, user=partner.kam_manager_id, partner=partner)
        request.action_submit()
        request.with_user(self.user_director).action_approve()
        return request

    def test_approval_applies_terms_and_limit(self):
        request = self._request(self.rating_aa)
        self.assertFalse(request.current_rating_id)
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        request.with_user(self.user_director).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.user_director)
        self.assertTrue(request.decided_on)
        account = self.account.sudo()
        self.assertEqual(account.kam_credit_rating_id, self.rating_aa)
        self.assertEqual(account.kam_credit_rating, "a", "the scoring engine's selection follows")
        self.assertEqual(account.property_payment_term_id, self.term_30)
        self.assertEqual(account.credit_limit, 100000.0)
        self.assertTrue(account.use_partner_credit_limit)
        # the rating and its limit on the request's chatter (key-account groups), not on
        # the account's (every employee who reads the customer; see test_kam_mirrors)
        self.assertIn("KT-AA", request.message_ids[0].body)
        self.assertNotIn("KT-AA", self.account.message_ids[0].body)
        # values are per company: the second company keeps nothing
        self.assertFalse(account.with_company(self.company_2).kam_credit_rating_id)
        # the next request starts from the current rating
        request_2 = self._request(self.rating_b)
        self.assertEqual(request_2.current_rating_id, self.rating_aa)
        request_2.action_submit()
        request_2.with_user(self.user_director).action_approve()
        self.assertEqual(account.kam_credit_rating, "b")
        self.assertEqual(account.property_payment_term_id, self.term_15)
        self.assertEqual(account.credit_limit, 1000.0)
        # a new score value of the rating reaches the selection the engine reads
        self.rating_b.with_user(self.user_director).score = 30
        self.assertEqual(account.kam_credit_rating, "c")
        # the approved requests are the account's history
        history = self.account.with_user(self.user_kam).action_kam_view_credit_requests()
        self.assertEqual(self.env["kam.credit.rating.request"].search(history["domain"]),
                         request | request_2)
        with self.assertRaises(UserError):
            request.unlink()

    def test_refusal_needs_a_reason(self):
        request = self._request(self.rating_aa)
        request.action_submit()
        with self.assertRaisesRegex(UserError, "Refusal Reason"):
            request.with_user(self.user_director).action_refuse()
        request.with_user(self.user_director).write({"refusal_reason": "Late payments in Q3"})
        request.with_user(self.user_director).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertFalse(self.account.sudo().kam_credit_rating_id)
        self.assertFalse(self.account.sudo().property_payment_term_id == self.term_30)
        with self.assertRaises(UserError):
            request.with_user(self.user_director).action_approve()
        request.action_draft()
        self.assertEqual(request.state, "draft")

    def test_direct_write_refused(self):
        for user in (self.user_director, self.user_kam):
            for vals in ({"kam_credit_rating_id": self.rating_aa.id}, {"kam_credit_rating": "c"}):
                with self.assertRaisesRegex(AccessError, "Credit Rating"):
                    self.account.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_director).create(
                {"name": "Rated Co", "is_company": True, "kam_credit_rating_id": self.rating_b.id})
        self.assertFalse(self.account.sudo().kam_credit_rating_id)

    def test_non_director_cannot_approve(self):
        request = self._request(self.rating_aa)
        request.action_submit()
        with self.assertRaisesRegex(AccessError, "Key Account Director"):
            request.with_user(self.user_kam).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.user_kam).action_refuse()
        self.assertEqual(request.state, "submitted")

    def test_own_request_decided_by_another_director(self):
        request = self._request(self.rating_aa, user=self.user_director)
        request.action_submit()
        with self.assertRaisesRegex(AccessError, "another Key Account Director"):
            request.with_user(self.user_director).action_approve()
        request.with_user(self.user_director_b).action_approve()
        self.assertEqual(self.account.sudo().kam_credit_rating_id, self.rating_aa)

    def test_same_rating_and_missing_terms_refused(self):
        self._apply(self.rating_aa)
        with self.assertRaisesRegex(UserError, "New Rating"):
            self._request(self.rating_aa)
        with self.assertRaisesRegex(ValidationError, "Payment Terms"):
            self.env["kam.credit.rating"].create({"code": "KT-X", "name": "No terms"})
        with self.assertRaisesRegex(ValidationError, "Payment Terms"):
            self.rating_b.payment_term_id = False
        with self.assertRaisesRegex(ValidationError, "Score Value"):
            self.rating_b.score = 101
        with self.assertRaisesRegex(AccessError, ""):
            self.env["kam.credit.rating"].with_user(self.user_kam).create(
                {"code": "KT-Y", "name": "Mine", "payment_term_id": self.term_30.id})

    def test_access_per_group(self):
        request = self._apply(self.rating_aa)
        # the account team and the directors read the rating and the requests
        self.assertEqual(self.account.with_user(self.user_kam).kam_credit_rating_id,
                         self.rating_aa)
        self.assertEqual(self.env["kam.credit.rating.request"].with_user(self.user_director)
                         .search([("partner_id", "=", self.account.id)]), request)
        # another KAM does not see the account's requests
        self.assertFalse(self.env["kam.credit.rating.request"].with_user(self.user_kam_2)
                         .search([("partner_id", "=", self.account.id)]))
        with self.assertRaises(AccessError):
            request.with_user(self.user_kam_2).read(["reason"])
        # other internal users and portal users read nothing, also over the API
        portal = new_test_user(self.env, login="kamt_portal", name="Alice Portal",
                               groups="base.group_portal", partner_id=self.account_contact.id)
        for user in (self.user_salesman, portal):
            with self.assertRaises(AccessError):
                self.account.with_user(user).read(["kam_credit_rating_id"])
            with self.assertRaises(AccessError):
                self.account.with_user(user).read(["kam_credit_rating"])
            with self.assertRaises(AccessError):
                self.env["kam.credit.rating.request"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["kam.credit.rating"].with_user(user).search([])
        self.assertNotIn("kam_credit_rating_id",
                         self.env["res.partner"].with_user(self.user_salesman).fields_get())

    def _order(self, amount):
        order = self._make_order(self.account, amount, confirm=False)
        order.user_id = self.user_salesman   # the salesman's own order
        return order

    def test_order_beyond_limit_needs_a_director(self):
        self._apply(self.rating_b)   # limit 1,000, director needed beyond it
        order = self._order(1500.0)
        with self.assertRaisesRegex(UserError, "only a Key Account Director can confirm it"):
            order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        order.with_user(self.user_director).action_confirm()
        self.assertEqual(order.state, "sale")
        # within the limit a salesman confirms
        small = self._order(400.0)
        small.with_user(self.user_salesman).action_confirm()
        self.assertEqual(small.state, "sale")
        # open receivables count: an unpaid invoice of 800 + an order of 400 > 1,000
        self._make_invoice(self.account, 800.0, "2026-01-10")
        order_3 = self._order(400.0)
        with self.assertRaises(UserError):
            order_3.with_user(self.user_salesman).action_confirm()
        # a rating without the director rule does not block
        self._apply(self.rating_aa)
        order_3.with_user(self.user_salesman).action_confirm()
        self.assertEqual(order_3.state, "sale")
