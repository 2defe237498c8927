from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamAccountSnapshot(KamCommon):
    """Monthly snapshots: the cron twice, back-fill from documents and history,
    churn rate and tier migration over crafted months. Its own company: the
    figures count every snapshot of a company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.month = cls.today.replace(day=1)
        cls.co = cls.env["res.company"].create({"name": "Kamt Snapshot Company"})
        cls.env.user.company_ids |= cls.co
        cls.user_director.company_ids |= cls.co
        Tier = cls.env["kam.tier"].with_company(cls.co)
        cls.t_a, cls.t_b, cls.t_c = Tier.create([
            {"name": "Snap A", "code": "SA", "sequence": 1, "min_score": 90,
             "min_revenue": 10000000, "company_id": cls.co.id},
            {"name": "Snap B", "code": "SB", "sequence": 2, "min_score": 80,
             "min_revenue": 5000000, "company_id": cls.co.id},
            {"name": "Snap C", "code": "SC", "sequence": 3, "min_score": 0,
             "min_revenue": 0, "company_id": cls.co.id},
        ])
        Partner = cls.env["res.partner"]
        cls.p1, cls.p2, cls.p3, cls.p4 = Partner.create(
            [{"name": f"Kamt Snap {i}", "is_company": True} for i in range(1, 5)])
        cls.co_env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.co.id]))

    def _register(self, partners, tier, months_ago=3):
        """Register accounts in the company, the history dated ``months_ago``."""
        partners = partners.with_env(self.co_env)
        partners.write({"kam_state": "registered", "kam_tier_id": tier.id,
                        "kam_manager_id": self.user_kam.id})
        self.env["kam.tier.history"].search([("partner_id", "in", partners.ids)]).write(
            {"date": fields.Datetime.now() - relativedelta(months=months_ago)})

    def _snapshot(self, partner, month, tier, state="registered", lifecycle=False):
        return self.env["kam.account.snapshot"].create({
            "partner_id": partner.id, "company_id": self.co.id, "month": month,
            "tier_id": tier.id if tier else False, "kam_state": state,
            "lifecycle_stage": lifecycle})

    # ---- cron ----
    def test_cron_twice_is_idempotent(self):
        self._register(self.p1 | self.p2, self.t_c)
        self._make_order(self.p1, 3000, self.today - timedelta(days=3), company=self.co)
        self.env["kam.scoring"]._recompute_companies(self.co)
        for _run in range(2):
            with self.enter_registry_test_mode():
                self.env.ref(
                    "key_account_management.ir_cron_kam_account_snapshot"
                ).method_direct_trigger()
        Snapshot = self.env["kam.account.snapshot"]
        snapshots = Snapshot.search([("company_id", "=", self.co.id)])
        self.assertEqual(snapshots.partner_id, self.p1 | self.p2)
        self.assertEqual(set(snapshots.mapped("month")), {self.month})
        snap_1 = snapshots.filtered(lambda s: s.partner_id == self.p1)
        self.assertEqual((snap_1.revenue_12m, snap_1.tier_id, snap_1.user_id),
                         (3000.0, self.t_c, self.user_kam))
        self.assertEqual(snap_1.lifecycle_stage, "developing")
        self.assertFalse(snap_1.backfilled)
        # a third run the same day writes nothing; a change rewrites only that row
        self.assertEqual(Snapshot._take_snapshots(self.co, self.month), 0)
        self.p2.with_env(self.co_env).kam_tier_id = self.t_b
        self.assertEqual(Snapshot._take_snapshots(self.co, self.month), 1)
        with self.assertRaises(ValidationError):
            Snapshot.create({"partner_id": self.p3.id, "company_id": self.co.id,
                             "month": self.month + relativedelta(months=1)})

    # ---- back-fill ----
    def test_backfill_from_documents_and_history(self):
        last_month = self.month - relativedelta(months=1)
        self._register(self.p1, self.t_c)
        self._make_order(self.p1, 4000, last_month + timedelta(days=2), company=self.co)
        self._make_order(self.p1, 9000, self.today, company=self.co)
        # the tier changed this month: last month's snapshot has the old one
        self.p1.with_env(self.co_env).kam_tier_id = self.t_b
        Snapshot = self.env["kam.account.snapshot"]
        self.assertEqual(Snapshot._backfill_month(self.co, last_month), 1)
        snap = Snapshot.search([("company_id", "=", self.co.id), ("month", "=", last_month)])
        self.assertEqual((snap.revenue_12m, snap.tier_id, snap.kam_state, snap.backfilled),
                         (4000.0, self.t_c, "registered", True))
        self.assertEqual(snap.pareto_class, "a")
        self.assertEqual(snap.lifecycle_stage, "developing")
        # twice: the same row, rewritten in place
        Snapshot._backfill_month(self.co, last_month)
        self.assertEqual(Snapshot.search_count(
            [("company_id", "=", self.co.id), ("month", "=", last_month)]), 1)
        # not registered two months before the history says so
        self.assertEqual(Snapshot._backfill_month(
            self.co, self.month - relativedelta(months=5)), 0)
        with self.assertRaisesRegex(ValidationError, "past months"):
            Snapshot._backfill_month(self.co, self.month)

    # ---- churn and migration ----
    def test_churn_rate_and_tier_migration(self):
        m1 = self.month - relativedelta(months=3)
        m2 = self.month - relativedelta(months=1)
        for partner, tier in ((self.p1, self.t_a), (self.p2, self.t_a), (self.p3, self.t_b),
                              (self.p4, self.t_c)):
            self._snapshot(partner, m1, tier)
        self._snapshot(self.p1, m2, self.t_a)
        self._snapshot(self.p2, m2, self.t_b)
        self._snapshot(self.p3, m2, self.t_b, state="lost", lifecycle="lost")
        # p4 has no snapshot in m2: no longer a key account
        Snapshot = self.env["kam.account.snapshot"]
        self.assertEqual(Snapshot._churn_figures(self.co, m1, m2), (4, 2, 50.0))
        wizard = self.env["kam.snapshot.analysis.wizard"].with_user(self.user_director).with_context(
            allowed_company_ids=[self.co.id]).create(
            {"company_id": self.co.id, "month_from": m1, "month_to": m2})
        self.assertEqual((wizard.start_count, wizard.lost_count, wizard.churn_rate),
                         (4, 2, 50.0))
        action = wizard.action_open_migration()
        rows = self.env["kam.tier.migration.report"]._read_group(
            action["domain"], ["from_tier_id", "to_tier_id"], ["account_count:sum"])
        matrix = {(f.code, t.code or None): n for f, t, n in rows}
        self.assertEqual(matrix, {("SA", "SA"): 1, ("SA", "SB"): 1, ("SB", "SB"): 1,
                                  ("SC", None): 1})
        with self.assertRaises(ValidationError):
            wizard.month_to = self.month + relativedelta(months=2)

    # ---- access ----
    def test_snapshot_access(self):
        Snapshot = self.env["kam.account.snapshot"]
        own, other = Snapshot.create([
            {"partner_id": self.account.id, "company_id": self.company.id,
             "month": self.month, "user_id": self.user_kam.id},
            {"partner_id": self.account_2.id, "company_id": self.company.id,
             "month": self.month, "user_id": self.user_kam_2.id},
        ])
        visible = Snapshot.with_user(self.user_kam).search([("id", "in", (own | other).ids)])
        self.assertEqual(visible, own)
        with self.assertRaises(AccessError):
            own.with_user(self.user_kam).write({"health_score": 99})
        with self.assertRaises(AccessError):
            Snapshot.with_user(self.user_salesman).search([])
        with self.assertRaises(AccessError):
            self.env["kam.snapshot.analysis.wizard"].with_user(self.user_kam).create({})

    # ---- reports of past months ----
    def test_reports_use_the_snapshot_of_past_months(self):
        last_month = self.month - relativedelta(months=1)
        self.env["kam.account.snapshot"].create({
            "partner_id": self.account.id, "company_id": self.company.id, "month": last_month,
            "tier_id": self.tier_b.id, "user_id": self.user_kam_2.id, "kam_state": "registered",
            "revenue_12m": 5000.0, "pareto_class": "b", "score": 40.0})
        self.env.flush_all()
        Compliance = self.env["kam.visit.compliance.report"]
        past = Compliance.search([("partner_id", "=", self.account.id),
                                  ("month", "=", last_month)])
        now = Compliance.search([("partner_id", "=", self.account.id),
                                 ("month", "=", self.month)])
        self.assertEqual((past.tier_id, past.user_id), (self.tier_b, self.user_kam_2))
        self.assertEqual((now.tier_id, now.user_id), (self.tier_a, self.user_kam))
        pareto = self.env["kam.pareto.report"].search([("partner_id", "=", self.account.id),
                                                       ("month", "=", last_month)])
        self.assertEqual((pareto.tier_id, pareto.kam_manager_id, pareto.revenue_12m,
                          pareto.pareto_class), (self.tier_b, self.user_kam_2, 5000.0, "b"))
