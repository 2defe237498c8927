"""Checkout on the website beside the addon: a public visitor and a portal customer
of a key account fill the cart and the address form, as the shop's controllers do
(res.partner and sale.order written through sudo() in the visitor's request), and
the order is confirmed as the payment's post-processing confirms it."""

import json

from odoo.addons.website_sale.controllers.cart import Cart
from odoo.addons.website_sale.controllers.main import WebsiteSale
from odoo.addons.website_sale.tests.common import MockRequest, WebsiteSaleCommon
from odoo.tests import new_test_user, tagged

from .common import assert_no_kam_group, make_key_account


@tagged("post_install", "-at_install", "kam_core")
class TestKamCoreCheckout(WebsiteSaleCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account, cls.contact, cls.kam_user = make_key_account(cls.env)
        cls.portal_user = new_test_user(
            cls.env, login="kamcore_portal", groups="base.group_portal",
            partner_id=cls.contact.id)
        cls.controller = WebsiteSale()
        cls.cart_controller = Cart()
        cls.address = {
            "name": "Paul Visitor", "email": "paul.visitor@example.com",
            "street": "8 Nanjing Road", "city": "Shanghai", "zip": "200001",
            "country_id": cls.env.ref("base.cn").id, "phone": "+86 21 5555 0101",
        }

    def _add_to_cart(self):
        self.cart_controller.add_to_cart(
            product_template_id=self.product.product_tmpl_id.id, product_id=self.product.id,
            quantity=2)

    def _submit_address(self, req, **values):
        req.httprequest.method = "POST"
        answer = self.controller.shop_address_submit(**values)
        # the route's answer: a JSON text (a response object when called through the route)
        answer = json.loads(answer.get_data(as_text=True) if hasattr(answer, "get_data")
                            else answer)
        self.assertFalse(answer.get("invalid_fields") or answer.get("messages"), answer)

    def test_public_visitor_checkout(self):
        assert_no_kam_group(self, self.public_user)
        website = self.website.with_user(self.public_user).with_context({})
        with MockRequest(website.env, website=website) as req:
            self._add_to_cart()
            order = req.cart
            self.assertEqual(order.partner_id, self.public_partner)
            # a new billing address: the controller creates the visitor's partner
            self._submit_address(req, partner_id=-1, address_type="billing",
                                 use_delivery_as_billing="true", **self.address)
            customer = order.partner_id
            self.assertNotEqual(customer, self.public_partner)
            self.assertEqual(customer.email, "paul.visitor@example.com")
            # the visitor corrects it
            self._submit_address(req, partner_id=customer.id, address_type="billing",
                                 **dict(self.address, street="9 Nanjing Road"))
            self.assertEqual(customer.street, "9 Nanjing Road")
            # the payment confirms the order (the transaction in sudo, the visitor's request)
            order.with_context(send_email=True).action_confirm()
        self.assertEqual(order.state, "sale")
        customer = customer.sudo()
        self.assertEqual(customer.kam_state, "none")
        self.assertFalse(customer.kam_tier_id)

    def test_portal_customer_of_key_account_checkout(self):
        assert_no_kam_group(self, self.portal_user)
        website = self.website.with_user(self.portal_user).with_context({})
        with MockRequest(website.env, website=website) as req:
            self._add_to_cart()
            order = req.cart
            self.assertEqual(order.partner_id, self.contact)
            # the customer edits their billing address and adds a delivery address
            self._submit_address(req, partner_id=self.contact.id, address_type="billing",
                                 **dict(self.address, name="Zoe Buyer",
                                        email="zoe@zenith.example.com"))
            self._submit_address(req, partner_id=-1, address_type="delivery",
                                 **dict(self.address, name="Zenith Warehouse",
                                        email="zoe@zenith.example.com"))
            delivery = order.partner_shipping_id
            self.assertNotEqual(delivery, self.contact)
            order.with_context(send_email=True).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.contact.street, "8 Nanjing Road")
        self.assertEqual(delivery.commercial_partner_id, self.account)
        # the order stays the key account's: its KAM and tier of the day
        self.assertEqual(order.kam_manager_id, self.kam_user)
        self.assertEqual(self.account.kam_state, "registered")
