import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, format_amount

from ..models import kam_scoring
from .common import KamCommon

HEALTH_WEIGHTS = ("revenue", "recency", "receivables", "visits", "decision_unit", "service")


@tagged("post_install", "-at_install")
class TestKamHealth(KamCommon):
    """Health components, churn signals and lifecycle stages computed by the
    nightly engine from crafted orders, invoices, payments, visits and
    stakeholders. The engine writes only the accounts of each test
    (``partners=``), so other data of the database does not matter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.company.kam_revenue_basis = "order"

    def _weights(self, **weights):
        """Only the given health components weigh (the others 0)."""
        self.company.write({f"kam_health_weight_{code}": weights.get(code, 0)
                            for code in HEALTH_WEIGHTS})

    def _run(self, today=None, partners=None):
        stats = self.env["kam.scoring"]._recompute_companies(
            self.company, partners=partners or (self.account | self.account_2), today=today)
        self.env.invalidate_all()
        return stats

    def _details(self, partner=None):
        partner = partner or self.account
        return {item["code"]: item for item in json.loads(partner.kam_health_details or "[]")}

    def _overdue_invoice(self, amount, days):
        """A posted invoice of ``amount`` due ``days`` ago (no payment terms)."""
        day = self.today - timedelta(days=days)
        self._ensure_chart(self.company)
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.account.id, "invoice_date": day,
            "invoice_date_due": day, "invoice_payment_term_id": False,
            "invoice_line_ids": [(0, 0, {
                "product_id": self.product.id, "quantity": 1, "price_unit": amount,
                "tax_ids": [(6, 0, [])]})],
        })
        move.action_post()
        self.assertEqual(move.invoice_date_due, day)
        return move

    def _signal_activities(self, partner=None):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", (partner or self.account).id),
            ("summary", "like", "Churn signal")])

    # ---- components ----
    def test_revenue_trend_and_drop_signal(self):
        self._weights(revenue=10)
        self._make_order(self.account, 100000, self.today - timedelta(days=400))
        self._make_order(self.account, 50000, self.today - timedelta(days=30))
        self._run()
        item = self._details()["revenue"]
        self.assertEqual((item["growth"], item["growth_3m"]), (-50.0, -50.0))
        self.assertEqual(self.account.kam_health_score, 0.0)
        self.assertEqual(self.account.kam_health_band, "red")
        self.assertTrue(self.account.kam_signal_revenue_drop)
        self.assertIn("Revenue trend", self.account.kam_health_drag)
        self.assertIn("−100.0 points", self.account.kam_health_drag)
        self.assertIn("-50.0 %", self.account.kam_signal_html)
        # under the Settings' limit: no signal
        self.company.kam_signal_revenue_drop = 60
        self._run()
        self.assertFalse(self.account.kam_signal_revenue_drop)

    def test_order_recency_against_usual_interval(self):
        self._weights(recency=10)
        for days in (100, 70, 40):
            self._make_order(self.account, 1000, self.today - timedelta(days=days))
        self._run()
        item = self._details()["recency"]
        self.assertEqual((item["days"], item["interval"]), (40, 30))
        self.assertAlmostEqual(self.account.kam_health_score, 83.3)
        self.assertEqual(self.account.kam_health_band, "green")
        self.assertFalse(self.account.kam_signal_no_order)
        # 70 days without an order: more than twice the usual 30 days
        self._run(today=self.today + timedelta(days=30))
        self.assertAlmostEqual(self.account.kam_health_score, 33.3)
        self.assertTrue(self.account.kam_signal_no_order)
        details = json.loads(self.account.kam_signal_details)
        self.assertEqual(details["no_order"]["since"],
                         (self.today + timedelta(days=30)).isoformat())

    def test_overdue_receivables_with_partial_payment(self):
        self._weights(receivables=10)
        invoice = self._overdue_invoice(10000, 45)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"amount": 4000, "payment_date": self.today})._create_payments()
        self.assertEqual(invoice.payment_state, "partial")
        self._run()
        item = self._details()["receivables"]
        self.assertEqual((item["days"], item["amount"]), (45, 6000.0))
        self.assertAlmostEqual(self.account.kam_health_score, 50.0)
        self.assertEqual(self.account.kam_health_drag,
                         "Receivables 45 days overdue ({}): −50.0 points".format(format_amount(
                             self.env, 6000.0, self.company.currency_id)))
        self.assertFalse(self.account.kam_signal_overdue)
        self.company.kam_signal_overdue_days = 30
        self._run()
        self.assertTrue(self.account.kam_signal_overdue)
        # paid in full: full points, no signal
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"payment_date": self.today})._create_payments()
        self._run()
        self.assertEqual(self.account.kam_health_score, 100.0)
        self.assertFalse(self.account.kam_signal_overdue)

    def test_visit_coverage_and_two_periods_signal(self):
        self._weights(visits=10)
        day = self.today - timedelta(days=10)
        self.env["kam.visit"].create({
            "partner_id": self.account.id, "user_id": self.user_kam.id, "state": "done",
            "summary": "<p>Met</p>", "date_start": fields.Datetime.to_datetime(day),
            "date_end": fields.Datetime.to_datetime(day) + timedelta(hours=1),
        })
        self._run()
        item = self._details()["visits"]
        self.assertEqual((item["done"], item["interval"]), (1, 14))
        self.assertEqual(self.account.kam_health_score, 50.0)
        self.assertFalse(self.account.kam_signal_visits)
        # 30 days later: no visit for two 14-day periods
        self._run(today=self.today + timedelta(days=20))
        self.assertEqual(self.account.kam_health_score, 0.0)
        self.assertTrue(self.account.kam_signal_visits)

    def test_decision_unit_support_flags_and_departure(self):
        self._weights(decision_unit=10)
        role_dm = self.env.ref("key_account_management.kam_decision_role_decision_maker")
        role_coach = self.env.ref("key_account_management.kam_decision_role_coach")
        Partner = self.env["res.partner"]
        boss, coach = Partner.create([
            {"name": "Boss", "parent_id": self.account.id},
            {"name": "Coach", "parent_id": self.account.id}])
        st_boss, st_coach = self.env["kam.stakeholder"].create([
            {"partner_id": self.account.id, "contact_id": boss.id, "influence": "high",
             "role_ids": [(6, 0, role_dm.ids)], "attitude": "5"},
            {"partner_id": self.account.id, "contact_id": coach.id, "influence": "medium",
             "role_ids": [(6, 0, role_coach.ids)], "attitude": "5"},
        ])
        self._run()
        item = self._details()["decision_unit"]
        self.assertEqual((item["support"], item["flags"]), (5.0, 0))
        self.assertEqual(self.account.kam_health_score, 100.0)
        self.assertFalse(self.account.kam_signal_decision_unit)
        # the coach leaves (archived) and the decision maker turns against us
        st_coach.action_archive()
        st_boss.attitude = "-3"
        self._run()
        item = self._details()["decision_unit"]
        # support -3 (0.2 of the half), flags: no coach, decision maker not won,
        # influential opponent (3 of 4: 0.25 of the half)
        self.assertEqual((item["support"], item["flags"]), (-3.0, 3))
        self.assertAlmostEqual(self.account.kam_health_score, 22.5)
        self.assertTrue(self.account.kam_signal_decision_unit)
        self.assertIn("Coach", self.account.kam_signal_html)
        self.assertIn("Boss", self.account.kam_signal_html)

    def test_service_hook_breaches_and_satisfaction(self):
        self._weights(service=10, recency=10)
        Scoring = type(self.env["kam.scoring"])
        self._run()
        self.assertNotIn("service", self._details(), "no green channel: no component")
        figures = {self.account.id: {"requests": 4, "breaches": 2, "satisfaction": 2.0}}
        with patch.object(Scoring, "_get_service_figures", lambda *args: figures):
            self._run()
        item = self._details()["service"]
        self.assertEqual((item["breaches"], item["satisfaction"]), (2, 2.0))
        self.assertAlmostEqual(self.account.kam_health_score, 29.2)
        self.assertTrue(self.account.kam_signal_sla)
        self.assertTrue(self.account.kam_signal_satisfaction)

    def test_missing_components_are_reweighted(self):
        """Default weights; only recency and visits have data: they share the
        100 points in the ratio of their weights (20 : 15)."""
        for days in (50, 30, 10):
            self._make_order(self.account, 1000, self.today - timedelta(days=days))
        self._run()
        details = self._details()
        self.assertEqual(set(details), {"recency", "visits"})
        self.assertAlmostEqual(details["recency"]["max"], 57.1)
        self.assertAlmostEqual(details["visits"]["max"], 42.9)
        # recency full, never visited: 0 for visits, the biggest drag
        self.assertAlmostEqual(self.account.kam_health_score, 57.1)
        self.assertEqual(self.account.kam_health_band, "yellow")
        self.assertIn("visit", self.account.kam_health_drag)
        # an account without orders: only its visit cadence counts
        self.assertEqual(set(self._details(self.account_2)), {"visits"})

    # ---- signals ----
    def test_one_activity_per_signal_and_period(self):
        self._weights(revenue=10)
        self._make_order(self.account, 100000, self.today - timedelta(days=400))
        order = self._make_order(self.account, 10000, self.today - timedelta(days=20))
        self._run()
        activities = self._signal_activities()
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.user_kam)
        self._run()
        self.assertEqual(self._signal_activities(), activities, "never twice")
        # the signal ends, then comes back within the same month: no new activity
        extra = self._make_order(self.account, 200000, self.today - timedelta(days=2))
        self._run()
        self.assertFalse(self.account.kam_signal_revenue_drop)
        extra._action_cancel()
        self._run()
        self.assertTrue(self.account.kam_signal_revenue_drop)
        self.assertEqual(self._signal_activities(), activities)
        self.assertTrue(order)

    def test_digest_section(self):
        self._weights(revenue=10)
        self._make_order(self.account, 100000, self.today - timedelta(days=400))
        self._make_order(self.account, 10000, self.today - timedelta(days=20))
        self._run()
        sections = self.env["kam.digest"].with_company(self.company)._get_digest_sections(
            self.company)
        section = next(html for title, html in sections if title.startswith("Churn signals"))
        self.assertIn(self.account.name, section)
        self.assertIn("12-month revenue", section)

    # ---- lifecycle ----
    def test_lifecycle_rules_history_and_manual_stage(self):
        self._weights(revenue=10)
        self._make_order(self.account, 100000, self.today - timedelta(days=400))
        self._make_order(self.account, 10000, self.today - timedelta(days=20))
        self._make_order(self.account_2, 5000, self.today - timedelta(days=20))
        self._run()
        self.assertEqual(self.account.kam_lifecycle_stage, "at_risk")
        self.assertEqual(self.account.kam_lifecycle_rule_text, "Churn signals are raised.")
        self.assertEqual(self.account_2.kam_lifecycle_stage, "developing")
        history = self.env["kam.tier.history"].search([
            ("partner_id", "=", self.account.id), ("change_type", "=", "lifecycle")])
        self.assertEqual((history.new_lifecycle, history.cause), ("at_risk", "score"))
        # a KAM cannot set it; a director can, with a reason, and the engine keeps it
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_kam).action_kam_set_lifecycle()
        wizard = self.env["kam.lifecycle.wizard"].with_user(self.user_director).create({
            "partner_id": self.account.id, "stage": "mature", "reason": "Framework renewed"})
        wizard.action_apply()
        with self.assertRaises(UserError):
            self.account.with_user(self.user_director)._kam_set_lifecycle("mature", " ")
        self._run()
        self.assertEqual(self.account.kam_lifecycle_stage, "mature")
        self.assertTrue(self.account.kam_lifecycle_manual)
        self.assertIn("Framework renewed", self.account.kam_lifecycle_rule_text)
        manual = self.env["kam.tier.history"].search([
            ("partner_id", "=", self.account.id), ("change_type", "=", "lifecycle"),
            ("cause", "=", "manual")])
        self.assertEqual((manual.new_lifecycle, manual.note), ("mature", "Framework renewed"))
        # back to the engine
        self.account.with_user(self.user_director).action_kam_lifecycle_automatic()
        self.env.invalidate_all()
        self.assertEqual(self.account.kam_lifecycle_stage, "at_risk")

    # ---- settings ----
    def test_settings_refuse_bad_weights_and_bands(self):
        with self.assertRaisesRegex(ValidationError, "out of order"):
            self.company.write({"kam_health_red_max": 80, "kam_health_yellow_max": 70})
        with self.assertRaises(ValidationError):
            self.company.kam_signal_overdue_days = -1
        with self.assertRaisesRegex(ValidationError, "add up to more than 0"):
            self._weights()

    def test_bands_follow_settings(self):
        self._weights(receivables=10)
        self._overdue_invoice(1000, 45)
        self.company.write({"kam_health_red_max": 40, "kam_health_yellow_max": 60})
        self._run()
        self.assertEqual(self.account.kam_health_band, "yellow")
        self.company.write({"kam_health_red_max": 50, "kam_health_yellow_max": 75})
        self._run()
        self.assertEqual(self.account.kam_health_band, "red")

    # ---- access ----
    def test_health_fields_for_sales_users_only(self):
        self._weights(recency=10)
        for days in (50, 30, 10):
            self._make_order(self.account, 1000, self.today - timedelta(days=days))
        self._run()
        employee = new_test_user(self.env, login="kamt_health_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.account.with_user(employee).read(["kam_health_score"])
        with self.assertRaises(AccessError):
            self.account.with_user(employee).read(["kam_signal_no_order"])
        score = self.account.with_user(self.user_kam).read(["kam_health_score"])[0]
        self.assertEqual(score["kam_health_score"], 100.0)

    # ---- engine: runs ----
    def test_second_run_writes_nothing(self):
        for days in (100, 70, 40):
            self._make_order(self.account, 1000, self.today - timedelta(days=days))
        self._make_invoice(self.account, 1000, self.today - timedelta(days=45))
        self._run()
        stats = self._run()
        self.assertFalse(stats.get("written"))
        self.assertFalse(stats.get("activities"))

    def test_events_committed_with_their_batch(self):
        """Issue 15: a cron run interrupted after a commit loses no candidate:
        a customer's metrics and its candidacy are committed together."""
        Partner = self.env["res.partner"]
        news = Partner.create([{"name": f"Kamt New {i}", "is_company": True} for i in range(2)])
        for partner in news:
            self._make_order(partner, 500000, self.today - timedelta(days=5))
        cid = str(self.company.id)
        lost, commits = [], []

        def commit_progress(cron, processed=0, remaining=None, deactivate=False):
            self.env.flush_all()
            self.env.cr.execute(SQL(
                """SELECT id FROM res_partner WHERE id = ANY(%s) AND kam_suggested_tier_id ? %s
                     AND COALESCE(kam_state->>%s, 'none') = 'none'""", news.ids, cid, cid))
            lost.extend(row[0] for row in self.env.cr.fetchall())
            commits.append(processed)
            return 100.0

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress), \
                patch.object(kam_scoring, "WRITE_BATCH_SIZE", 1):
            self.env["kam.scoring"]._recompute_companies(
                self.company, partners=news | self.account, commit=True)
        self.assertGreaterEqual(len(commits), 3, "a commit after each batch")
        self.assertFalse(lost, "a committed suggested tier without its candidacy")
        self.assertEqual(set(news.mapped("kam_state")), {"candidate"})

    def test_no_commit_outside_a_cron(self):
        calls = []
        with patch.object(type(self.env["ir.cron"]), "_commit_progress",
                          lambda *args, **kwargs: calls.append(args) or 100.0):
            self.env["kam.scoring"]._cron_recompute()
        self.assertFalse(calls, "no cron progress in the context: nothing committed")

    def test_query_count_independent_of_key_accounts(self):
        """Health inputs are read in a constant number of queries: 3 or 12
        registered accounts with orders, open invoices, visits and stakeholders
        cost the same (second runs, no events)."""
        Partner = self.env["res.partner"]

        def make(count, prefix):
            accounts = Partner.create(
                [{"name": f"{prefix} {i}", "is_company": True} for i in range(count)])
            accounts.write({"kam_state": "registered", "kam_tier_id": self.tier_c.id})
            for account in accounts:
                self._make_order(account, 100, self.today - timedelta(days=5))
                self._make_order(account, 100, self.today - timedelta(days=50))
                contact = Partner.create({"name": f"{account.name} boss",
                                          "parent_id": account.id})
                self.env["kam.stakeholder"].create(
                    {"partner_id": account.id, "contact_id": contact.id, "attitude": "3"})
                day = self.today - timedelta(days=3)
                self.env["kam.visit"].create({
                    "partner_id": account.id, "user_id": self.user_kam.id, "state": "done",
                    "summary": "<p>Met</p>", "date_start": fields.Datetime.to_datetime(day),
                    "date_end": fields.Datetime.to_datetime(day) + timedelta(hours=1)})
            self.env.flush_all()
            return accounts

        def count(partners):
            self._run(partners=partners)  # first run: events (history rows)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self._run(partners=partners)
            return self.env.cr.sql_log_count - before

        small = make(3, "Kamt Few")
        big = make(12, "Kamt Many")
        self.assertEqual(count(small), count(big))
