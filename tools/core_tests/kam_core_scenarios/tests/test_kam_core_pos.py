"""Point of sale beside the addon: a cashier without any key-account group creates
a new customer in the shop (as the customer editor of the POS does); the till's
orders to them and to a contact of a key account are invoiced, and the session
closed, by the shop's user (no key-account group either)."""

from odoo.addons.point_of_sale.tests.common import TestPoSCommon
from odoo.tests import new_test_user, tagged

from .common import assert_no_kam_group, make_key_account


@tagged("post_install", "-at_install", "kam_core")
class TestKamCorePos(TestPoSCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account, cls.contact, cls.kam_user = make_key_account(cls.env)
        # a cashier: the point of sale and the default "Contact Creation" right
        cls.cashier = new_test_user(
            cls.env, login="kamcore_cashier", name="Cathy Cashier",
            groups="point_of_sale.group_pos_user,base.group_partner_manager",
            company_id=cls.company.id)

    def setUp(self):
        super().setUp()
        self.config = self.basic_config
        self.product100 = self.create_product("Product_100", self.categ_basic, 100, 50)

    def test_pos_sale_to_new_customer(self):
        assert_no_kam_group(self, self.cashier)
        # the shop's manager opens and closes the session (Odoo's rights), the cashier sells
        self.config.write({"payment_method_ids": [(6, 0, (self.cash_pm1 | self.bank_pm1).ids)]})
        session = self.open_new_session()
        # the customer editor of the POS: create, then read what it shows
        Partner = self.env["res.partner"].with_user(self.cashier)
        customer = Partner.create({
            "name": "Wang Fang", "email": "wang.fang@example.com",
            "phone": "+86 755 1234 5678", "street": "12 Shennan Road", "city": "Shenzhen",
            "country_id": self.env.ref("base.cn").id,
        })
        fields = ["name", "email", "phone", "street", "city", "zip", "country_id", "vat",
                  "is_company", "parent_name", "write_date"]
        self.assertEqual(customer.read(fields)[0]["name"], "Wang Fang")
        contact = self.contact.with_user(self.cashier)
        self.assertTrue(contact.read(fields))
        orders = [
            self.create_ui_order_data([(self.product100, 2)], customer=customer,
                                      is_invoiced=True, payments=[(self.bank_pm1, 200)]),
            self.create_ui_order_data([(self.product100, 1)], customer=self.contact,
                                      is_invoiced=True, payments=[(self.cash_pm1, 100)]),
        ]
        # the till sends the paid orders (as the shop's user: Odoo's sequences of the order
        # references are not the cashier's to read when called outside the POS's own flow)
        assert_no_kam_group(self, self.env.user)
        synced = self.env["pos.order"].sync_from_ui(orders)
        pos_orders = self.env["pos.order"].browse([o["id"] for o in synced["pos.order"]])
        self.assertEqual(len(pos_orders), 2)
        self.assertTrue(all(order.account_move for order in pos_orders))
        self.assertEqual(pos_orders.account_move.partner_id.commercial_partner_id,
                         customer + self.account)
        self.assertEqual(set(pos_orders.account_move.mapped("state")), {"posted"})
        session.post_closing_cash_details(100)
        session.close_session_from_ui()
        self.assertEqual(session.state, "closed")
        self.assertEqual(customer.sudo().kam_state, "none")
        self.assertEqual(self.account.kam_state, "registered")
