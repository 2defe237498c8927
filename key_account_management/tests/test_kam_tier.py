from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
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
