from odoo.tests import tagged

from .test_kam_account_plan import KamPlanCommon

FIGURES = ["actual_revenue", "achievement", "wallet_share", "pipeline_amount", "weighted_amount",
           "forecast_revenue", "forecast_achievement", "pace", "behind_pace"]


@tagged("post_install", "-at_install")
class TestKamAccountPlanPerformance(KamPlanCommon):
    """The plan list computes its figures with a constant number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        accounts = cls.env["res.partner"].create(
            [{"name": f"Perf Account {i}", "is_company": True} for i in range(50)])
        cls.plans = cls.env["kam.account.plan"].create([
            {"partner_id": account.id, "revenue_target": 1000.0, "wallet_amount": 5000.0}
            for account in accounts])
        for account in accounts[:10]:
            cls._make_order(account, 100.0, cls.plans[0].date_start)
        cls.env["crm.lead"].create([
            {"name": f"Perf Opp {i}", "type": "opportunity", "partner_id": account.id,
             "expected_revenue": 1000.0, "probability": 20.0,
             "date_deadline": cls.plans[0].date_end}
            for i, account in enumerate(accounts[:20])])

    def _read_list(self, plans):
        self.env.invalidate_all()
        plans = plans.browse(plans.ids)
        plans.read(["name", "user_id", "tier_id", "revenue_target", "state", *FIGURES])

    def test_list_query_count_constant(self):
        # warm up the caches that do not depend on the plans (groups, currencies)
        self._read_list(self.plans[:2])
        with self.assertQueryCount(9):
            self._read_list(self.plans[:5])
        with self.assertQueryCount(9):
            self._read_list(self.plans)
        # the same for a director, with the record rules
        director_plans = self.plans.with_user(self.user_director)
        self._read_list(director_plans[:2])
        with self.assertQueryCount(9):
            self._read_list(director_plans[:5])
        with self.assertQueryCount(9):
            self._read_list(director_plans)
        self.assertAlmostEqual(self.plans[0].actual_revenue, 100.0)
        self.assertAlmostEqual(self.plans[0].weighted_amount, 200.0)
        self.assertAlmostEqual(self.plans[49].forecast_revenue, 0.0)
