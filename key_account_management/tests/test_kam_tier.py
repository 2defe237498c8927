from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamTier(KamCommon):
    def test_tier_bad_input(self):
        cases = [
            {"min_revenue": -1},
            {"min_score": 101},
            {"max_discount": 120},
            {"visit_interval_days": -5},
        ]
        for vals in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError), \
                    mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env["kam.tier"].create({"name": "Bad", "code": "BAD", **vals})

    def test_tier_code_unique_per_company(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.env["kam.tier"].create({"name": "Dup", "code": "TA"})
        other = self.env["kam.tier"].create(
            {"name": "Same code elsewhere", "code": "TA", "company_id": self.company_2.id})
        self.assertEqual(other.code, "TA")

    def test_partner_count(self):
        self.assertEqual(self.tier_a.partner_count, 1)
        action = self.tier_a.action_view_partners()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.account)

    def test_company_dependent_values(self):
        """Key-account values are per company."""
        self.assertEqual(self.account.kam_state, "registered")
        other = self.account.with_company(self.company_2)
        self.assertEqual(other.kam_state, "none")
        self.assertFalse(other.kam_tier_id)

    def test_team_member_company(self):
        with self.assertRaises(ValidationError):
            self.env["kam.team.member"].create({
                "partner_id": self.account.id, "user_id": self.user_director_2.id,
                "company_id": self.company.id,
            })

    def test_state_fallback_in_search(self):
        """A partner nobody classified is 'none' in every company, also in searches."""
        fresh = self.env["res.partner"].create({"name": "Nobody Yet", "is_company": True})
        self.assertEqual(fresh.with_company(self.company_2).kam_state, "none")
        found = self.env["res.partner"].with_company(self.company_2).search(
            [("kam_state", "!=", "none"), ("id", "in", (fresh | self.account).ids)])
        self.assertFalse(found)
        found = self.env["res.partner"].search(
            [("kam_state", "!=", "none"), ("id", "in", (fresh | self.account).ids)])
        self.assertEqual(found, self.account)


@tagged("post_install", "-at_install")
class TestKamTierPricelistFeature(KamCommon):
    """Issue 27: saving the Settings archived the "Strategic Key Accounts" pricelist a
    tier still pointed to. A tier with a pricelist keeps Odoo's pricelist feature on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.feature = cls.env.ref("product.group_product_pricelist")
        cls.employee = cls.env.ref("base.group_user")
        # the database as the demo left it: the feature off (a fresh database's default)
        cls.employee._remove_group(cls.feature)
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Strategic Key Accounts", "company_id": cls.company.id,
        })

    def _feature_on(self):
        return self.feature in self.employee.all_implied_ids

    def test_tier_write_switches_feature_on(self):
        self.assertFalse(self._feature_on())
        self.tier_a.pricelist_id = self.pricelist
        self.assertTrue(self._feature_on())
        self.assertTrue(self.user_kam.has_group("product.group_product_pricelist"))

    def test_walk_in_customer_keeps_default_pricelist(self):
        """Switched on, the feature gives each company its default pricelist (as the
        Settings do): a customer without a tier does not get the tier's prices."""
        self.pricelist.item_ids = [(0, 0, {
            "compute_price": "percentage", "percent_price": 10, "applied_on": "3_global"})]
        self.tier_a.pricelist_id = self.pricelist
        walk_in = self.env["res.partner"].create({"name": "Walk-in Co", "is_company": True})
        order = self.env["sale.order"].create({"partner_id": walk_in.id})
        self.assertTrue(order.pricelist_id)
        self.assertNotEqual(order.pricelist_id, self.pricelist)

    def test_tier_create_switches_feature_on(self):
        self.env["kam.tier"].create({
            "name": "Platinum", "code": "TP", "pricelist_id": self.pricelist.id})
        self.assertTrue(self._feature_on())

    def test_tier_without_pricelist_leaves_feature(self):
        self.env["kam.tier"].create({"name": "Plain", "code": "TX"})
        self.tier_b.max_discount = 12
        self.assertFalse(self._feature_on())

    def test_existing_tiers_switched_on(self):
        """What the 19.0.1.3.0 post-migration runs on a database with such tiers."""
        self.env.cr.execute(
            "UPDATE kam_tier SET pricelist_id = %s WHERE id = %s",
            (self.pricelist.id, self.tier_a.id))
        self.tier_a.invalidate_recordset(["pricelist_id"])
        self.assertFalse(self._feature_on())
        self.env["kam.tier"]._tiers_using_pricelists()._ensure_pricelist_feature()
        self.assertTrue(self._feature_on())

    def test_saving_settings_keeps_tier_pricelist(self):
        self.tier_a.pricelist_id = self.pricelist
        settings = self.env["res.config.settings"].create({"group_product_pricelist": False})
        settings.execute()
        self.assertTrue(self.pricelist.active, "the tier's pricelist was archived")
        self.assertTrue(self._feature_on())
        self.assertEqual(self.tier_a.pricelist_id, self.pricelist)

    def test_settings_onchange_says_why(self):
        self.tier_a.pricelist_id = self.pricelist
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form = Form(self.env["res.config.settings"])
            self.assertTrue(form.group_product_pricelist)
            form.group_product_pricelist = False
        self.assertTrue(form.group_product_pricelist)
        message = "\n".join(logs.output)
        self.assertIn("cannot be switched off", message)
        self.assertIn(self.tier_a.display_name, message)
        self.assertNotIn("Every active pricelist will be archived", message)
        form.save().execute()
        self.assertTrue(self.pricelist.active)
