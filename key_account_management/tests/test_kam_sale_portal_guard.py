"""The money path of sales orders on every path: the order's tier and KAM and the
director's approval are the flow's (nobody writes them, over the API neither); the
superuser Odoo's portal and payments run as is not a director; the approval covers
only what the director saw; online signature and payment apply the customer's rules."""

import json

from odoo import SUPERUSER_ID, Command
from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import KamCommon

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"
# a 1x1 transparent PNG: a valid signature image
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
       "60e6kgAAAABJRU5ErkJggg==")


def _api(record, user, method, *args, **kwargs):
    """``method`` of ``record`` called by ``user`` as the external API calls it."""
    return call_kw(record.env[record._name].with_user(user), method,
                   [record.ids, *args],
                   dict(kwargs, context={"allowed_company_ids": user.company_ids.ids}))


@tagged("post_install", "-at_install")
class TestKamSaleOrderGuard(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="kamt_portal_guard", groups="base.group_portal",
                                   partner_id=cls.account_contact.id)

    def _order(self, discounts, user=None, partner=None):
        user = user or self.user_kam
        return self.env["sale.order"].with_user(user).create({
            "partner_id": (partner or self.account).id,
            "user_id": user.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1,
                                           "price_unit": 1000.0, "discount": discount,
                                           "tax_ids": [Command.clear()]})
                           for discount in discounts],
        }).with_env(self.env)

    def _approve(self, order, decision="approve", user=None):
        wizard = Form(self.env["kam.discount.approval.wizard"].with_user(
            user or self.user_director).with_context(default_order_id=order.id))
        wizard.decision = decision
        return wizard.save().action_decide()

    def _as_customer(self, order):
        """How Odoo's portal signature confirms: as the superuser, for a portal user."""
        return order.with_user(self.portal).sudo()._validate_order()

    # ---- tier and KAM of the order ----
    def test_tier_and_kam_cannot_be_written(self):
        order = self._order([10.0])
        self.assertEqual(order.kam_tier_id, self.tier_a)
        for user in (self.user_kam, self.user_salesman, self.user_director):
            for vals in ({"kam_tier_id": False}, {"kam_tier_id": self.tier_c.id},
                         {"kam_manager_id": self.user_kam_2.id}):
                with self.subTest(user=user.login, vals=vals), \
                        self.assertRaisesRegex(AccessError, "Key Account (Tier|Manager)"):
                    _api(order, user, "write", vals)
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user_kam).create({
                "partner_id": self.account.id, "kam_tier_id": self.tier_c.id})
        # the compute still works, the flow still refreshes them
        order.with_user(self.user_kam).partner_id = self.account_2
        self.assertEqual(order.kam_tier_id, self.tier_b)
        self.assertEqual(order.kam_manager_id, self.user_kam_2)

    def test_confirmed_order_keeps_its_allowance(self):
        """A confirmed order's tier cannot be cleared, nor escaped by changing its
        customer: a 50 % discount is refused."""
        order = self._order([10.0])
        order.with_user(self.user_kam).action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(AccessError):
            _api(order, self.user_kam, "write", {"kam_tier_id": False})
        order.with_user(self.user_kam).partner_id = self.env["res.partner"].create(
            {"name": "Nobody's Account", "is_company": True})
        self.assertEqual(order.kam_tier_id, self.tier_a, "the tier of the confirmation stays")
        with self.assertRaisesRegex(UserError, "is confirmed"):
            order.order_line.with_user(self.user_kam).write({"discount": 50.0})
        # the allowance is the customer's now when it is stricter
        order.with_user(self.user_kam).partner_id = self.account_2
        order.order_line.with_user(self.user_kam).write({"discount": 5.0})
        with self.assertRaisesRegex(UserError, "is confirmed"):
            order.order_line.with_user(self.user_kam).write({"discount": 12.0})

    # ---- approval fields and methods ----
    def test_approval_fields_cannot_be_written(self):
        order = self._order([20.0])
        forged = ({"kam_discount_approval": "approved"},
                  {"kam_discount_approved_max": 50.0},
                  {"kam_discount_decided_by_id": self.user_director.id},
                  {"kam_discount_refusal_reason": "x"})
        for user in (self.user_salesman, self.user_kam, self.user_director):
            for vals in forged:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    _api(order, user, "write", vals)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                _api(order.order_line, user, "write", {"kam_discount_approved": 50.0})
        self.assertFalse(order.kam_discount_approval)
        # the flow's private methods are not callable over the API
        for method in ("_kam_approve_discount", "_kam_flow_write", "_kam_void_discount_approval"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                _api(order, self.user_kam, method, {})
        # nor by anyone but a real director
        for user in (self.user_kam, self.user_salesman):
            with self.assertRaises(AccessError):
                order.with_user(user)._kam_approve_discount()
            with self.assertRaises(AccessError):
                self._approve(order, user=user)
            with self.assertRaises(AccessError):
                _api(order, user, "action_kam_open_discount_decision")
        with self.assertRaises(AccessError):
            _api(order, self.portal, "action_kam_request_discount_approval")
        self.assertFalse(order.kam_discount_approval)
        with self.assertRaises(UserError):
            order.with_user(self.user_kam).action_confirm()

    def test_superuser_is_not_a_director(self):
        """OdooBot is in the directors' group: its wizard is refused, an approval in its
        name (or in a non-director's) does not hold."""
        order = self._order([20.0])
        with self.assertRaises(AccessError):
            self._approve(order, user=self.env["res.users"].browse(SUPERUSER_ID))
        for approver in (SUPERUSER_ID, self.user_kam.id):
            order._kam_flow_write({"kam_discount_approval": "approved",
                                   "kam_discount_approved_max": 20.0,
                                   "kam_discount_decided_by_id": approver})
            order.order_line._kam_flow_write({"kam_discount_approved": 20.0})
            self.assertTrue(order.kam_discount_over_allowance)
            with self.assertRaises(UserError):
                self._as_customer(order)
            with self.assertRaises(UserError):
                order.with_user(self.user_kam).action_confirm()
            self.assertEqual(order.state, "draft")
        # the system itself (install, demo data, scripts) confirms, and logs no approval
        order.with_user(SUPERUSER_ID).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.message_ids.filtered(lambda m: "approved by" in (m.body or "")))

    def test_approval_covers_the_approved_discounts_only(self):
        order = self._order([20.0, 10.0])
        self._approve(order)
        self.assertEqual(order.kam_discount_approval, "approved")
        self.assertEqual(order.kam_discount_decided_by_id, self.user_director)
        self.assertFalse(order.kam_discount_over_allowance)
        # the line within the allowance raised to the approved maximum voids the approval
        order.order_line[1].with_user(self.user_kam).discount = 18.0
        self.assertFalse(order.kam_discount_approval)
        self.assertTrue(order.kam_discount_over_allowance)
        self.assertTrue(order.message_ids.filtered(lambda m: "approval is void" in (m.body or "")))
        with self.assertRaises(UserError):
            self._as_customer(order)
        # approved again; a new line above the allowance voids it too
        self._approve(order)
        order.with_user(self.user_kam).write({"order_line": [Command.create({
            "product_id": self.product.id, "product_uom_qty": 1, "discount": 16.0})]})
        self.assertFalse(order.kam_discount_approval)
        # lowering is free; what was approved still confirms for the customer
        self._approve(order)
        order.order_line[0].with_user(self.user_kam).discount = 19.0
        self.assertEqual(order.kam_discount_approval, "approved")
        self._as_customer(order)
        self.assertEqual(order.state, "sale")
        # confirmed: the approved discount holds, not more
        with self.assertRaisesRegex(UserError, "is confirmed"):
            order.order_line[1].with_user(self.user_kam).discount = 19.0
        order.order_line[0].with_user(self.user_kam).discount = 20.0

    def test_online_confirmation_respects_credit_limit(self):
        self._make_credit_ratings("GRD", director_beyond_limit=True)
        self.account.sudo().kam_credit_rating_id = self.rating_b  # limit 1,000
        order = self._order([0.0, 0.0])
        with self.assertRaisesRegex(UserError, "credit limit"):
            order.with_user(self.user_kam).action_confirm()
        with self.assertRaises(UserError) as caught:
            self._as_customer(order)
        self.assertIn("credit available on your account", str(caught.exception))
        self.assertNotIn("1,000", str(caught.exception), "no internal figure for the customer")
        self.assertEqual(order.state, "draft")
        order.with_user(self.user_director).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_payment_of_unconfirmable_quotation_is_kept(self):
        """An online payment of a quotation the customer cannot confirm: the order
        stays a quotation, the transaction is kept, the KAM gets an activity."""
        order = self._order([20.0])
        provider = self.env["payment.provider"].create({
            "name": "KAM Test Provider", "code": "none", "state": "test",
            "company_id": self.company.id})
        # a provider that authorizes (no chart of accounts needed in the test company)
        provider.support_manual_capture = "full_only"
        tx = self.env["payment.transaction"].create({
            "provider_id": provider.id,
            "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
            "amount": order.amount_total, "currency_id": order.currency_id.id,
            "partner_id": self.account.id, "reference": "KAMT-GUARD-1",
            "sale_order_ids": [Command.set(order.ids)],
        })
        tx._set_authorized()
        # the post-processing cron runs as the superuser
        tx.with_user(SUPERUSER_ID)._post_process()
        self.assertEqual(order.state in ("draft", "sent"), True)
        self.assertTrue(tx.exists())
        self.assertEqual(tx.state, "authorized")
        self.assertIn(tx, order.transaction_ids)
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.user_kam)
        self.assertEqual(len(activity), 1)
        self.assertIn("Paid online, not confirmed", activity.summary)
        self.assertIn("20.0%", str(activity.note))
        self.assertTrue(order.message_ids.filtered(
            lambda m: m.message_type == "comment" and "payment" in (m.body or "")))
        # approved, the next payment confirms it
        self._approve(order)
        tx2 = tx.copy({"reference": "KAMT-GUARD-2", "sale_order_ids": [Command.set(order.ids)]})
        provider.support_manual_capture = "full_only"
        tx2._set_authorized()
        tx2.with_user(SUPERUSER_ID)._post_process()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestKamSalePortalSignature(HttpCase):
    """An anonymous visitor with the quotation's access token signs at
    ``/my/orders/<id>/accept``: refused when a discount is not approved or the
    credit limit is exceeded, with the reason in the dialog and an activity for
    the KAM; confirmed when everything is in order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.kam = new_test_user(cls.env, login="kamt_sign_kam", name="Signe KAM",
                                groups="key_account_management.key_account_management_group_manager",
                                company_id=company.id, company_ids=[Command.set(company.ids)])
        cls.director = new_test_user(cls.env, login="kamt_sign_director", groups=GROUP_DIRECTOR,
                                     company_id=company.id,
                                     company_ids=[Command.set(company.ids)])
        cls.tier = cls.env["kam.tier"].create({
            "name": "Sign Growth", "code": "SGT", "sequence": 90, "min_score": 30,
            "min_revenue": 5000, "visit_interval_days": 60, "max_discount": 5,
            "company_id": company.id})
        cls.account = cls.env["res.partner"].create({"name": "Signing Hospital",
                                                     "is_company": True})
        cls.account.write({"kam_state": "registered", "kam_tier_id": cls.tier.id,
                           "kam_manager_id": cls.kam.id})
        cls.product = cls.env["product.product"].create({
            "name": "Signed Fibre", "type": "service", "list_price": 1000.0})

    def _quotation(self, discount=0.0, price=1000.0):
        order = self.env["sale.order"].with_user(self.kam).create({
            "partner_id": self.account.id, "user_id": self.kam.id,
            "require_signature": True, "require_payment": False,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1,
                                           "price_unit": price, "discount": discount,
                                           "tax_ids": [Command.clear()]})],
        }).with_env(self.env)
        return order, order._portal_ensure_token()

    def _sign(self, order, token):
        res = self.url_open(
            f"/my/orders/{order.id}/accept",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "access_token": token, "name": "Anonymous", "signature": PNG}}),
            headers={"Content-Type": "application/json"})
        self.assertEqual(res.status_code, 200)
        body = res.json()
        self.assertNotIn("error", body, "no server error: an answer for the dialog")
        order.invalidate_recordset()
        return body["result"]

    def _kam_activities(self, order):
        return order.activity_ids.filtered(lambda a: a.user_id == self.kam)

    def test_anonymous_signature_of_unapproved_discount_refused(self):
        order, token = self._quotation(discount=35.0)
        result = self._sign(order, token)
        self.assertIn("needs the approval of our Key Account Director", result.get("error", ""))
        self.assertNotIn("5.0%", result["error"], "the customer reads no internal rule")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.signature, "nothing signed")
        self.assertFalse(order.message_ids.filtered(lambda m: "approved by" in (m.body or "")))
        activity = self._kam_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertIn("Signature refused", activity.summary)
        self.assertIn("35.0%", str(activity.note))
        # tried again: still refused, no second activity
        self._sign(order, token)
        self.assertEqual(len(self._kam_activities(order)), 1)
        # once a director approved it, the customer's signature confirms it
        wizard = Form(self.env["kam.discount.approval.wizard"].with_user(self.director)
                      .with_context(default_order_id=order.id))
        wizard.decision = "approve"
        wizard.save().action_decide()
        result = self._sign(order, token)
        self.assertNotIn("error", result)
        self.assertEqual(order.state, "sale")

    def test_kam_activity_in_their_language(self):
        """The customer reads the refusal in the portal's language, the KAM the
        activity in theirs."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        self.kam.lang = "zh_CN"
        order, token = self._quotation(discount=35.0)
        result = self._sign(order, token)
        self.assertIn("Key Account Director", result.get("error", ""))
        activity = self._kam_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertIn("只有大客户总监可以确认该订单", str(activity.note))

    def test_anonymous_signature_beyond_credit_limit_refused(self):
        rating = self.env["kam.credit.rating"].create({
            "code": "SGN-C", "name": "Poor", "credit_limit": 500.0,
            "director_beyond_limit": True, "score": 20,
            "payment_term_id": self.env.ref("account.account_payment_term_immediate").id})
        self.account.kam_credit_rating_id = rating
        order, token = self._quotation(price=2000.0)
        with self.assertRaises(UserError):
            order.with_user(self.kam).action_confirm()
        result = self._sign(order, token)
        self.assertIn("beyond the credit available", result.get("error", ""))
        self.assertNotIn("500", result["error"])
        self.assertEqual(order.state, "draft")
        activity = self._kam_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertIn("credit limit", str(activity.note))

    def test_online_payment_of_unapproved_discount_refused(self):
        """The payment form of such a quotation shows why no payment can start."""
        order, token = self._quotation(discount=35.0)
        res = self.url_open(
            f"/my/orders/{order.id}/transaction",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "access_token": token}}),
            headers={"Content-Type": "application/json"})
        error = res.json().get("error") or {}
        self.assertEqual(error.get("data", {}).get("name"), "odoo.exceptions.ValidationError")
        self.assertIn("needs the approval of our Key Account Director",
                      error["data"]["message"])
        self.assertFalse(order.transaction_ids)

    def test_anonymous_signature_within_rules_confirms(self):
        order, token = self._quotation(discount=5.0)
        result = self._sign(order, token)
        self.assertNotIn("error", result)
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._kam_activities(order))
