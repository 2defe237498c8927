"""Contacts and invoices beside the addon, by users of Contacts, Sales and
Invoicing who have no key-account group: a contact import (the import dialog and
``load()``), a partner merge into a key account, and the invoices of a key account
(from its sales order and by hand), paid."""

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user, tagged

from .common import assert_no_kam_group, make_key_account

IMPORT_OPTIONS = {
    "quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8",
    "float_thousand_separator": ",", "float_decimal_separator": ".",
    "date_format": "", "datetime_format": "",
}


@tagged("post_install", "-at_install", "kam_core")
class TestKamCoreContacts(AccountTestInvoicingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account, cls.contact, cls.kam_user = make_key_account(cls.env)
        # Contact Creation and Invoicing: without Invoicing, Odoo's import of contacts
        # of a company fails on account's credit limit, with or without the addon
        cls.contact_manager = new_test_user(
            cls.env, login="kamcore_contacts", name="Connie Contacts",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice")
        # the merge moves the website's visitors too: Odoo lets the website's designers
        # (or the administrators) read them
        cls.merger = new_test_user(
            cls.env, login="kamcore_merger", name="Mel Merger",
            groups="base.group_user,base.group_partner_manager,website.group_website_designer")
        cls.salesman = new_test_user(
            cls.env, login="kamcore_salesman", name="Sam Sales",
            groups="sales_team.group_sale_salesman")
        cls.billing = new_test_user(
            cls.env, login="kamcore_billing", name="Bill Billing",
            groups="account.group_account_invoice")
        cls.product = cls.env["product.product"].create({
            "name": "Retail Display", "type": "consu", "list_price": 500.0,
            "invoice_policy": "order", "taxes_id": [Command.set(cls.tax_sale_a.ids)],
        })

    def test_contact_import(self):
        assert_no_kam_group(self, self.contact_manager)
        csv = ("name,email,phone,is_company,parent_id\n"
               "Zenith East Office,east@zenith.example.com,+86 21 6666 0001,0,"
               "Zenith Retail Group\n"
               "Nova Foods,info@nova.example.com,+86 10 6666 0002,1,\n")
        columns = ["name", "email", "phone", "is_company", "parent_id"]
        wizard = self.env["base_import.import"].with_user(self.contact_manager).create({
            "res_model": "res.partner", "file": csv.encode(), "file_type": "text/csv",
            "file_name": "contacts.csv",
        })
        result = wizard.execute_import(columns, columns, dict(IMPORT_OPTIONS))
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(len(imported), 2)
        office = imported.filtered(lambda p: p.name == "Zenith East Office")
        self.assertEqual(office.parent_id, self.account)
        self.assertEqual(office.commercial_partner_id, self.account)
        # an update of the key account's own phone by the same user, as an export re-imported
        loaded = self.env["res.partner"].with_user(self.contact_manager).load(
            [".id", "phone", "comment"],
            [[str(self.account.id), "+86 21 6666 0000", "Updated by the import"]])
        self.assertFalse(loaded["messages"], loaded["messages"])
        self.assertEqual(self.account.phone, "+86 21 6666 0000")
        self.assertEqual(self.account.kam_state, "registered")

    def test_partner_merge_into_key_account(self):
        assert_no_kam_group(self, self.merger)
        duplicate = self.env["res.partner"].create({
            "name": "Zenith Retail Group (old)", "is_company": True,
            "email": "buyer@zenith.example.com", "phone": "+86 21 7777 0000",
        })
        order = self.env["sale.order"].sudo().create({
            "partner_id": duplicate.id,
            "order_line": [Command.create({"product_id": self.product.id})],
        })
        invoice = self.init_invoice("out_invoice", partner=duplicate, amounts=[300.0],
                                    post=True)
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(
            self.merger).create({})
        wizard._merge((self.account + duplicate).ids, self.account.with_user(self.merger))
        self.assertFalse(duplicate.exists())
        self.assertEqual(order.partner_id, self.account)
        self.assertEqual(invoice.partner_id, self.account)
        self.assertEqual(self.account.phone, "+86 21 7777 0000")
        self.assertEqual(self.account.kam_state, "registered")
        self.assertEqual(self.account.kam_manager_id, self.kam_user)

    def test_partner_merge_of_plain_contacts(self):
        one, two = self.env["res.partner"].create([
            {"name": "Li Wei", "email": "li.wei@example.com"},
            {"name": "Li Wei", "email": "li.wei@example.com", "phone": "+86 10 8888 0000"},
        ])
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(
            self.merger).create({})
        wizard._merge((one + two).ids, one.with_user(self.merger))
        self.assertFalse(two.exists())
        self.assertEqual(one.phone, "+86 10 8888 0000")
        self.assertEqual(one.sudo().kam_state, "none")

    def test_invoice_key_account_from_sales_order(self):
        assert_no_kam_group(self, self.salesman, self.billing)
        order = self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": self.contact.id,
            "order_line": [Command.create({"product_id": self.product.id,
                                           "product_uom_qty": 4, "discount": 10})],
        })
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.kam_manager_id, self.kam_user)
        wizard = self.env["sale.advance.payment.inv"].with_user(self.salesman).with_context(
            active_model="sale.order", active_ids=order.ids).create(
            {"advance_payment_method": "delivered"})
        wizard.create_invoices()
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.partner_id.commercial_partner_id, self.account)
        invoice = invoice.with_user(self.billing)
        invoice.action_post()
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.invoice_status, "invoiced")

    def test_invoice_key_account_by_hand(self):
        assert_no_kam_group(self, self.billing)
        invoice = self.env["account.move"].with_user(self.billing).create({
            "move_type": "out_invoice", "partner_id": self.account.id,
            "invoice_line_ids": [Command.create({
                "product_id": self.product.id, "quantity": 2, "price_unit": 500.0})],
        })
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        # the credit note of a returned item
        reversal = self.env["account.move.reversal"].with_user(self.billing).with_context(
            active_model="account.move", active_ids=invoice.ids).create({
                "journal_id": invoice.journal_id.id, "reason": "returned"})
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(refund.partner_id, self.account)

    def _pay(self, invoice):
        self.env["account.payment.register"].with_user(self.billing).with_context(
            active_model="account.move", active_ids=invoice.ids).create({})._create_payments()
