from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamSaleOrder(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Strategic Accounts", "company_id": cls.company.id,
            "item_ids": [(0, 0, {"compute_price": "percentage", "percent_price": 10,
                                 "applied_on": "3_global"})],
        })
        cls.tier_a.pricelist_id = cls.pricelist
        cls.prospect = cls.env["res.partner"].create({"name": "Walk-in Co", "is_company": True})

    def _order(self, user, partner, discount=0.0, price=1000.0):
        return self.env["sale.order"].with_user(user).create({
            "partner_id": partner.id,
            "user_id": user.id,
            "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 2,
                                   "price_unit": price, "discount": discount})],
        })

    def test_tier_and_kam_stored_on_order(self):
        """Orders of a child contact carry the tier and KAM of its company."""
        order = self._order(self.user_salesman, self.account_contact)
        self.assertEqual(order.kam_tier_id, self.tier_a)
        self.assertEqual(order.kam_manager_id, self.user_kam)
        self.assertEqual(self._order(self.user_salesman, self.prospect).kam_tier_id.id, False)
        SaleOrder = self.env["sale.order"]
        self.assertIn(order, SaleOrder.search([("kam_tier_id", "=", self.tier_a.id)]))
        self.assertIn(order, SaleOrder.search([("kam_manager_id", "=", self.user_kam.id)]))
        self.assertNotIn(order, SaleOrder.search([("kam_tier_id", "=", self.tier_b.id)]))
        # in another company the same customer is nobody's key account
        order_c2 = self._make_order(self.account, 500.0, confirm=False, company=self.company_2)
        self.assertFalse(order_c2.kam_tier_id)

    def test_sale_report_grouped_by_tier_and_kam(self):
        self._make_order(self.account, 3000.0)
        self._make_order(self.account_contact, 2000.0)
        self._make_order(self.account_2, 700.0)
        self.env.flush_all()
        groups = dict(self.env["sale.report"]._read_group(
            [("state", "=", "sale"), ("kam_tier_id", "in", (self.tier_a | self.tier_b).ids)],
            ["kam_tier_id"], ["price_subtotal:sum"]))
        self.assertAlmostEqual(groups[self.tier_a], 5000.0)
        self.assertAlmostEqual(groups[self.tier_b], 700.0)
        by_kam = dict(self.env["sale.report"]._read_group(
            [("state", "=", "sale"), ("kam_manager_id", "=", self.user_kam_2.id)],
            ["kam_manager_id"], ["__count"]))
        self.assertEqual(by_kam[self.user_kam_2], 1)

    def test_tier_pricelist_applied_to_registered_accounts(self):
        order = self._order(self.user_salesman, self.account_contact)
        self.assertEqual(order.pricelist_id, self.pricelist)
        with Form(self.env["sale.order"].with_user(self.user_salesman)) as form:
            form.partner_id = self.account
            with form.order_line.new() as line:
                line.product_id = self.product
        self.assertEqual(form.pricelist_id, self.pricelist)
        self.assertEqual(form.record.order_line.price_unit, 900.0)
        self.assertNotEqual(self._order(self.user_salesman, self.prospect).pricelist_id,
                            self.pricelist)
        # a nominated (not registered) account with a tier does not get it
        self.account.kam_state = "nominated"
        self.assertNotEqual(self._order(self.user_salesman, self.account).pricelist_id,
                            self.pricelist)

    def test_discount_above_allowance_blocked(self):
        for user in (self.user_salesman, self.user_kam):
            order = self._order(user, self.account, discount=20.0)
            with self.assertRaises(UserError) as caught:
                order.action_confirm()
            for text in ("Strategic", "15.0%", "20.0%", self.product.display_name):
                self.assertIn(text, str(caught.exception))
            self.assertEqual(order.state, "draft")
        within = self._order(self.user_salesman, self.account, discount=15.0)
        within.with_user(self.user_salesman).action_confirm()
        self.assertEqual(within.state, "sale")
        self.assertFalse(within.message_ids.filtered(lambda m: "approved by" in (m.body or "")))

    def test_tier_taken_at_confirmation(self):
        """A quotation made before the account was registered gets the tier (and its
        discount rule) when it is confirmed; a confirmed order keeps its tier."""
        quotation = self._order(self.user_salesman, self.prospect, discount=8.0)
        confirmed = self._order(self.user_salesman, self.account, discount=2.0)
        confirmed.action_confirm()
        self.assertFalse(quotation.kam_tier_id)
        self.prospect.write({"kam_state": "registered", "kam_tier_id": self.tier_c.id,
                             "kam_manager_id": self.user_kam_2.id})
        self.account.write({"kam_tier_id": self.tier_b.id})
        with self.assertRaisesRegex(UserError, "Growth"):
            quotation.with_user(self.user_salesman).action_confirm()
        self.assertEqual(quotation.kam_tier_id, self.tier_c)
        self.assertEqual(quotation.kam_manager_id, self.user_kam_2)
        self.assertEqual(confirmed.kam_tier_id, self.tier_a)

    def test_handover_updates_open_quotations(self):
        quotation = self._order(self.user_salesman, self.account_contact)
        confirmed = self._order(self.user_salesman, self.account)
        confirmed.action_confirm()
        wizard = self.env["kam.handover.wizard"].with_user(self.user_director).create({
            "from_user_id": self.user_kam.id, "to_user_id": self.user_kam_2.id})
        wizard.action_handover()
        self.assertEqual(quotation.kam_manager_id, self.user_kam_2)
        self.assertEqual(confirmed.kam_manager_id, self.user_kam)

    def test_director_confirms_and_approval_is_logged(self):
        order = self._order(self.user_salesman, self.account, discount=20.0)
        order.with_user(self.user_director).action_confirm()
        self.assertEqual(order.state, "sale")
        log = order.message_ids.filtered(lambda m: "approved by" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn(self.user_director.name, log.body)
        self.assertIn("15", log.body)
        self.assertIn(self.product.display_name, log.body)
        self.assertEqual(log.author_id, self.user_director.partner_id)

    # ---- discount approval ----
    def _decide(self, order, decision, reason=False, user=None):
        wizard = Form(self.env["kam.discount.approval.wizard"].with_user(
            user or self.user_director).with_context(default_order_id=order.id))
        wizard.decision = decision
        if reason:
            wizard.reason = reason
        return wizard.save().action_decide()

    def _director_activities(self, order):
        return order.activity_ids.filtered(
            lambda a: a.summary and a.summary.startswith("Approve discount"))

    def test_request_and_approve_discount(self):
        """The salesperson asks, the directors of the company get an activity, a
        director approves: logged on the order, which is confirmed."""
        order = self._order(self.user_salesman, self.account, discount=20.0)
        with self.assertRaisesRegex(UserError, "request their approval"):
            order.with_user(self.user_salesman).action_confirm()
        self.assertTrue(order.kam_discount_over_allowance)
        order.with_user(self.user_salesman).action_kam_request_discount_approval()
        self.assertEqual(order.kam_discount_approval, "requested")
        activities = self._director_activities(order)
        self.assertIn(self.user_director, activities.user_id)
        self.assertNotIn(self.user_director_2, activities.user_id,
                         "a director of another company is not asked")
        self.assertIn("20.0%", str(activities[:1].note))
        # the salesperson cannot approve it themselves, over the API either
        for vals in ({"kam_discount_approval": "approved"},
                     {"kam_discount_approved_max": 50.0}):
            with self.assertRaises(AccessError):
                order.with_user(self.user_salesman).write(vals)
        with self.assertRaises(AccessError):
            self._decide(order, "confirm", user=self.user_salesman)
        self._decide(order, "confirm", reason="Three-year contract")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.kam_discount_approval, "approved")
        self.assertEqual(order.kam_discount_decided_by_id, self.user_director)
        self.assertFalse(self._director_activities(order), "the request is closed")
        log = order.message_ids.filtered(lambda m: "approved by" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("Three-year contract", log.body)
        self.assertIn(self.user_director.name, log.body)

    def test_refuse_discount_with_reason(self):
        order = self._order(self.user_salesman, self.account, discount=20.0)
        order.with_user(self.user_salesman).action_kam_request_discount_approval()
        with self.assertRaisesRegex(UserError, "Refusal Reason"):
            order.with_user(self.user_director)._kam_refuse_discount(" ")
        self._decide(order, "refuse", reason="Margin too low")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.kam_discount_approval, "refused")
        self.assertEqual(order.kam_discount_refusal_reason, "Margin too low")
        self.assertFalse(self._director_activities(order))
        todo = order.activity_ids.filtered(lambda a: a.user_id == self.user_salesman)
        self.assertEqual(todo.note and "Margin too low" in str(todo.note), True)
        self.assertTrue(order.message_ids.filtered(
            lambda m: "refused by" in (m.body or "") and "Margin too low" in m.body))
        with self.assertRaises(UserError):
            order.with_user(self.user_salesman).action_confirm()

    def test_online_confirmation_follows_the_approval(self):
        """Odoo confirms as the customer (portal signature, online payment:
        ``with_user(portal).sudo()``): within the allowance or approved it
        confirms, over it and not approved it does not."""
        portal = new_test_user(self.env, login="kamt_portal_buyer", groups="base.group_portal",
                               partner_id=self.account_contact.id)
        within = self._order(self.user_salesman, self.account_contact, discount=10.0)
        within.with_user(portal).sudo()._validate_order()
        self.assertEqual(within.state, "sale")
        over = self._order(self.user_salesman, self.account_contact, discount=20.0)
        with self.assertRaises(UserError):
            over.with_user(portal).sudo()._validate_order()
        self.assertEqual(over.state, "draft")
        over.with_user(self.user_salesman).action_kam_request_discount_approval()
        self._decide(over, "approve", reason="Customer signs online")
        self.assertEqual(over.state, "draft", "approved, left for the customer to sign")
        over.with_user(portal).sudo()._validate_order()
        self.assertEqual(over.state, "sale")
        self.assertEqual(len(over.message_ids.filtered(
            lambda m: "approved by" in (m.body or ""))), 1)
        # raising a line after the approval needs a new one
        again = self._order(self.user_salesman, self.account_contact, discount=20.0)
        again.with_user(self.user_salesman).action_kam_request_discount_approval()
        self._decide(again, "approve")
        again.order_line.with_user(self.user_salesman).discount = 25.0
        self.assertTrue(again.kam_discount_over_allowance)
        with self.assertRaises(UserError):
            again.with_user(portal).sudo()._validate_order()

    def test_confirmed_order_discount_cannot_be_raised(self):
        order = self._order(self.user_salesman, self.account, discount=10.0)
        order.with_user(self.user_salesman).action_confirm()
        line = order.order_line.with_user(self.user_salesman)
        with self.assertRaisesRegex(UserError, "is confirmed"):
            line.write({"discount": 20.0})
        with self.assertRaisesRegex(UserError, "is confirmed"):
            order.with_user(self.user_salesman).write({"order_line": [(0, 0, {
                "product_id": self.product.id, "product_uom_qty": 1, "discount": 30.0})]})
        line.write({"discount": 14.0})
        self.assertEqual(line.discount, 14.0)
        line.with_user(self.user_director).write({"discount": 20.0})
        self.assertEqual(line.discount, 20.0)
        # lowering it is always allowed
        line.write({"discount": 5.0})
        self.assertEqual(line.discount, 5.0)
