from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamCompanyToday(KamCommon):
    """One "today" per company, whoever asks and at any hour of UTC: the day at
    the company's offices (the time zone of its working hours). The clock is
    frozen on both sides of midnight, in UTC and at the offices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"  # UTC+8
        cls.company_2.resource_calendar_id.tz = "America/Los_Angeles"  # UTC-8 in December
        cls.user_kam.tz = "UTC"
        cls.Scoring = cls.env["kam.scoring"]

    def test_today_is_the_offices_day(self):
        cases = [
            # UTC now, Shanghai's day, Los Angeles' day
            ("2026-12-01 15:30:00", date(2026, 12, 1), date(2026, 12, 1)),
            ("2026-12-01 16:30:00", date(2026, 12, 2), date(2026, 12, 1)),
            ("2026-12-01 23:30:00", date(2026, 12, 2), date(2026, 12, 1)),
            ("2026-12-02 00:30:00", date(2026, 12, 2), date(2026, 12, 1)),
            ("2026-12-02 08:30:00", date(2026, 12, 2), date(2026, 12, 2)),
        ]
        for now, shanghai, los_angeles in cases:
            with self.subTest(now=now), freeze_time(now):
                self.assertEqual(self.company._kam_today(), shanghai)
                self.assertEqual(self.company_2._kam_today(), los_angeles)
                # whoever asks, in whatever time zone: the company's day
                as_kam = self.company.with_user(self.user_kam).with_context(tz="Europe/Paris")
                self.assertEqual(as_kam._kam_today(), shanghai)

    def test_engine_dates_by_the_company_day(self):
        """At 23:30 UTC it is already 07:30 the next morning in Shanghai: the
        engine's date and an order placed at 01:00 Shanghai time count that day."""
        with freeze_time("2026-12-01 23:30:00"):
            order = self._make_order(self.account, 1000)
            order.date_order = datetime(2026, 12, 1, 17, 0)  # 01:00 on 2 December in Shanghai
            self.Scoring._recompute_companies(self.company)
            self.assertEqual(self.account.kam_metrics_date, date(2026, 12, 2))
            self.assertEqual(self.account.kam_last_order_date, date(2026, 12, 2))
            self.assertAlmostEqual(self.account.kam_revenue_12m, 1000)

    def test_engine_just_after_utc_midnight(self):
        """At 00:30 UTC it is 08:30 in Shanghai (same day) and 16:30 the day
        before in Los Angeles: each company's figures carry its own day."""
        with freeze_time("2026-12-02 00:30:00"):
            self._make_order(self.account, 500)
            self._make_order(self.account, 700, company=self.company_2)
            self.Scoring._recompute_companies(self.company | self.company_2)
            self.assertEqual(self.account.kam_metrics_date, date(2026, 12, 2))
            self.assertEqual(
                self.account.with_company(self.company_2).kam_metrics_date, date(2026, 12, 1))

    def test_snapshot_month_at_month_end(self):
        """At 16:30 UTC on 30 November it is already 1 December in Shanghai:
        the snapshot cron writes December's row of the company."""
        with freeze_time("2026-11-30 16:30:00"):
            self.Scoring._recompute_companies(self.company)
            self.env["kam.account.snapshot"]._cron_take_snapshots()
            snapshot = self.env["kam.account.snapshot"].search([
                ("partner_id", "=", self.account.id), ("company_id", "=", self.company.id)])
            self.assertEqual(snapshot.month, date(2026, 12, 1))

    def test_form_defaults_use_the_company_day(self):
        """A KAM whose own time zone is UTC opens a new visit plan at 23:30 UTC:
        its period is the month of the company's day (December in Shanghai on
        the evening of 30 November UTC)."""
        with freeze_time("2026-11-30 23:30:00"):
            plan = self.env["kam.visit.plan"].with_user(self.user_kam).new({})
            self.assertEqual(plan.date_start, date(2026, 12, 1))
