from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_kam_account_plan import KamPlanCommon


@tagged("post_install", "-at_install")
class TestKamTarget(KamPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Target = cls.env["kam.target"]
        cls.customer = cls.env["res.partner"].create({"name": "Walk-in Co", "is_company": True})
        cls.nominated = cls.env["res.partner"].create({"name": "Nominee Co", "is_company": True})
        cls.nominated.write({"kam_state": "nominated", "kam_manager_id": cls.user_kam.id})

    def test_targets_against_plans_and_actuals(self):
        when = self._in_period(2)
        self._make_order(self.account, 5000.0, when)           # user_kam's key account
        self._make_order(self.account_contact, 1000.0, when)   # its contact
        self._make_order(self.account_2, 2000.0, when)         # user_kam_2's key account
        self._make_order(self.customer, 1500.0, when)          # not a key account
        self._make_order(self.nominated, 500.0, when)          # not registered yet
        self._make_order(self.account, 9999.0, date(self.year - 1, 6, 1))
        self._make_plan(revenue_target=3000.0)
        self._make_plan(revenue_target=4000.0, date_start=date(self.year, 7, 1),
                        date_end=date(self.year, 12, 31))
        self._make_plan(partner=self.account_2, revenue_target=2500.0)
        self._make_plan(revenue_target=50000.0, date_start=date(self.year + 1, 1, 1),
                        date_end=date(self.year + 1, 12, 31))
        company, kam, kam_2 = self.Target.create([
            {"year": self.year, "revenue_target": 20000.0, "target_share": 60.0},
            {"year": self.year, "user_id": self.user_kam.id, "revenue_target": 10000.0},
            {"year": self.year, "user_id": self.user_kam_2.id, "revenue_target": 2000.0},
        ])
        self.assertAlmostEqual(kam.actual_revenue, 6000.0)
        self.assertEqual(kam.account_count, 1)
        self.assertAlmostEqual(kam.achievement, 60.0)
        self.assertAlmostEqual(kam.plan_target, 7000.0)
        self.assertAlmostEqual(kam.plan_gap, 3000.0)
        self.assertAlmostEqual(kam_2.actual_revenue, 2000.0)
        self.assertAlmostEqual(kam_2.achievement, 100.0)
        self.assertAlmostEqual(company.actual_revenue, 8000.0)
        self.assertAlmostEqual(company.plan_target, 9500.0)
        self.assertAlmostEqual(company.total_revenue, 10000.0)
        self.assertAlmostEqual(company.key_account_share, 80.0)
        self.assertEqual(company.name, f"{self.year} {self.env.company.name}")

    def test_figures_in_batch(self):
        targets = self.Target.create([
            {"year": self.year, "revenue_target": 1.0},
            {"year": self.year, "user_id": self.user_kam.id, "revenue_target": 1.0},
            {"year": self.year, "user_id": self.user_kam_2.id, "revenue_target": 1.0},
            {"year": self.year - 1, "revenue_target": 1.0},
        ])
        self.env.invalidate_all()
        # per (company, year): revenue query, key accounts search, plans grouped read
        with self.assertQueryCount(11):
            targets.mapped("achievement")

    def test_bad_input(self):
        with self.assertRaises(ValidationError) as cm:
            self.Target.create({"year": self.year, "revenue_target": -5.0})
        self.assertIn("cannot be negative", str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            self.Target.create({"year": self.year, "revenue_target": 5.0, "target_share": 101.0})
        self.assertIn("between 0 and 100", str(cm.exception))
        self.Target.create({"year": self.year, "user_id": self.user_kam.id, "revenue_target": 5.0})
        with self.assertRaises(ValidationError) as cm:
            self.Target.create(
                {"year": self.year, "user_id": self.user_kam.id, "revenue_target": 6.0})
        self.assertIn("already", str(cm.exception))
        self.Target.create({"year": self.year, "revenue_target": 5.0})
        with self.assertRaises(ValidationError):
            self.Target.create({"year": self.year, "revenue_target": 6.0})

    def test_access(self):
        company, kam, kam_2 = self.Target.create([
            {"year": self.year, "revenue_target": 1.0},
            {"year": self.year, "user_id": self.user_kam.id, "revenue_target": 1.0},
            {"year": self.year, "user_id": self.user_kam_2.id, "revenue_target": 1.0},
        ])
        (company | kam).with_user(self.user_kam).read(["revenue_target", "achievement"])
        with self.assertRaises(AccessError):
            kam_2.with_user(self.user_kam).read(["revenue_target"])
        with self.assertRaises(AccessError):
            kam.with_user(self.user_kam).write({"revenue_target": 99.0})
        with self.assertRaises(AccessError):
            company.with_user(self.user_salesman).read(["revenue_target"])
        kam.with_user(self.user_director).write({"revenue_target": 99.0})
        with self.assertRaises(AccessError):
            kam.with_user(self.user_director_2).read(["revenue_target"])
