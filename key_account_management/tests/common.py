"""Shared fixtures: companies, users of each key-account group, customers and
helpers that make real confirmed orders and posted invoices."""

import unittest
from datetime import date, datetime

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tests import common as odoo_tests_common


class KamCommon(TransactionCase):
    """Every test works in a company of its own (``cls.company``, the current
    company of ``cls.env``), so that the orders, key accounts and users of the
    database around it (demo data, years of real customers) change nothing: a
    test may assert totals, ranks and shares of the whole company. Test users
    have ``kamt_`` logins, which no demo record uses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True, mail_notrack=True))
        cls.company = cls.env["res.company"].create({"name": "KAM Test Company"})
        # the test company becomes the current one (of the environment's user, so that
        # ``with_user()`` keeps each user's own companies); a new context, a new env
        cls.env.user.write({"company_ids": [(4, cls.company.id)], "company_id": cls.company.id})
        cls.env = cls.env(context=dict(cls.env.context, kam_test_company=cls.company.id))
        assert cls.env.company == cls.company
        cls.company_2 = cls.env["res.company"].create({"name": "KAM Second Company"})
        groups_manager = "key_account_management.key_account_management_group_manager"
        groups_director = "key_account_management.key_account_management_group_director"
        cls.user_salesman = new_test_user(
            cls.env, login="kamt_salesman", name="Sally Salesman",
            groups="sales_team.group_sale_salesman")
        cls.user_kam = new_test_user(
            cls.env, login="kamt_manager", name="Kim Manager", groups=groups_manager)
        cls.user_kam_2 = new_test_user(
            cls.env, login="kamt_manager_2", name="Ken Manager", groups=groups_manager)
        cls.user_director = new_test_user(
            cls.env, login="kamt_director", name="Dora Director", groups=groups_director)
        cls.user_director_2 = new_test_user(
            cls.env, login="kamt_director_c2", name="Dan Director C2", groups=groups_director,
            company_id=cls.company_2.id, company_ids=[(6, 0, cls.company_2.ids)])

        cls.tier_a, cls.tier_b, cls.tier_c = cls.env["kam.tier"].create([
            {"name": "Strategic", "code": "TA", "sequence": 1, "min_score": 70,
             "min_revenue": 100000, "visit_interval_days": 14, "max_discount": 15},
            {"name": "Key", "code": "TB", "sequence": 2, "min_score": 50,
             "min_revenue": 30000, "visit_interval_days": 30, "max_discount": 10},
            {"name": "Growth", "code": "TC", "sequence": 3, "min_score": 30,
             "min_revenue": 5000, "visit_interval_days": 60, "max_discount": 5},
        ])
        Partner = cls.env["res.partner"]
        cls.account = Partner.create({"name": "Acme Telecom Group", "is_company": True})
        cls.account_contact = Partner.create(
            {"name": "Alice Buyer", "parent_id": cls.account.id, "type": "contact"})
        cls.account_2 = Partner.create({"name": "Beta Manufacturing", "is_company": True})
        cls.account.write({
            "kam_state": "registered", "kam_tier_id": cls.tier_a.id,
            "kam_manager_id": cls.user_kam.id,
        })
        cls.account_2.write({
            "kam_state": "registered", "kam_tier_id": cls.tier_b.id,
            "kam_manager_id": cls.user_kam_2.id,
        })
        cls.product = cls.env["product.product"].create({
            "name": "Fibre Line 1G", "type": "service", "list_price": 1000.0,
            "invoice_policy": "order",
        })

    # ---- helpers ----
    @classmethod
    def _make_order(cls, partner, amount, when=None, confirm=True, company=None, product=None):
        """A sales order of one line worth ``amount`` untaxed, confirmed at ``when``."""
        company = company or cls.env.company
        order = cls.env["sale.order"].with_company(company).create({
            "partner_id": partner.id,
            "company_id": company.id,
            "order_line": [(0, 0, {
                "product_id": (product or cls.product).id, "product_uom_qty": 1,
                "price_unit": amount, "tax_ids": [(6, 0, [])],
            })],
        })
        if confirm:
            order.action_confirm()
            if when:
                order.date_order = fields.Datetime.to_datetime(when) if isinstance(
                    when, (date, datetime)) else when
        return order

    @classmethod
    def _ensure_chart(cls, company):
        """Invoices need a chart of accounts: the test companies get Odoo's generic one
        the first time a test invoices in them."""
        if not cls.env["account.journal"].search_count(
                [("company_id", "=", company.id), ("type", "=", "sale")], limit=1):
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company, install_demo=False)

    @classmethod
    def _make_invoice(cls, partner, amount, when, move_type="out_invoice", company=None):
        company = company or cls.env.company
        cls._ensure_chart(company)
        move = cls.env["account.move"].with_company(company).create({
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": when,
            "invoice_line_ids": [(0, 0, {
                "product_id": cls.product.id, "quantity": 1, "price_unit": amount,
                "tax_ids": [(6, 0, [])],
            })],
        })
        move.action_post()
        return move

    @classmethod
    def _make_credit_ratings(cls, prefix, director_beyond_limit=False):
        """Two credit ratings of the test company: ``<prefix>-AA`` (30 days,
        100,000, score 90) and ``<prefix>-B`` (15 days, 1,000, score 60)."""
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.term_15 = cls.env.ref("account.account_payment_term_15days")
        Rating = cls.env["kam.credit.rating"]
        cls.rating_aa = Rating.create({
            "code": f"{prefix}-AA", "name": "Very Good", "payment_term_id": cls.term_30.id,
            "credit_limit": 100000.0, "score": 90})
        cls.rating_b = Rating.create({
            "code": f"{prefix}-B", "name": "Fair", "payment_term_id": cls.term_15.id,
            "credit_limit": 1000.0, "director_beyond_limit": director_beyond_limit,
            "score": 60})


class KamHttpCase(HttpCase):
    """Browser tests: a missing browser or websocket-client is a failure, never a skip."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if odoo_tests_common.websocket is None:
            raise unittest.TestCase.failureException(
                "websocket-client is not installed: browser tours cannot run "
                "(pip install websocket-client)")
        try:
            browser = odoo_tests_common._find_executable()
        except Exception:  # noqa: BLE001 - any reason is a failure here
            browser = None
        if not browser:
            raise unittest.TestCase.failureException(
                "No Chrome/Chromium found for the browser tours "
                "(Debian: apt-get install chromium)")
