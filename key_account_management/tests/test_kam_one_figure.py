"""Issue 27, "one number, one computation": plan achievement read 65 % on the form,
64 % in the account review and 64.5 % in the PDF; the 12-month revenue differed
between the account and the review; the scorecard's "visits required" read 32.15.
Each figure comes from one field with one rounding: this test reads it on every
screen that shows it, for the same account."""

import base64
import json
import re

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from ..models.kam_visit import kam_visit_count
from .test_kam_account_plan import KamPlanCommon

REVIEW = "key_account_management.kam_account_review_document"
PLAN_PDF = "key_account_management.kam_account_plan_report"


def _span(html, css_class):
    match = re.search(rf'class="{re.escape(css_class)}"[^>]*>(.*?)</span>', html, re.S)
    assert match, f"no {css_class} in the document"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _amount(text):
    """1,234.50 out of a monetary text (currency symbol, thousands separators)."""
    return float(re.sub(r"[^\d.\-]", "", text.replace("\N{NO-BREAK SPACE}", "")))


@tagged("post_install", "-at_install")
class TestKamOneFigure(KamPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 6450 of 10000 in the plan's year: 64.5 %, which one place rounds
        cls._make_order(cls.account, 6450.0, cls.start if cls.start <= cls.today else cls.today)
        # the first day of the trailing 12 months: in the account's revenue, before the
        # first calendar month of the review's bars (except on a month's last day)
        first_day = cls.today + relativedelta(days=1) - relativedelta(years=1)
        cls._make_order(cls.account, 1000.0, first_day)
        cls.plan = cls._make_plan(date_start=cls.start, date_end=cls.end)
        cls.plan.action_submit()
        cls.plan.with_user(cls.user_director).action_approve()
        cls.env["kam.scoring"]._recompute_company(cls.company)
        cls.env.invalidate_all()

    def _dashboard(self):
        dashboard = self.env.ref("key_account_management.spreadsheet_dashboard_key_accounts")
        return json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))

    def test_plan_achievement(self):
        plan, account = self.plan, self.account
        self.assertEqual(plan.achievement, 65.0)                      # plan form
        self.assertEqual(account.kam_current_plan_id, plan)
        self.assertEqual(account.kam_current_plan_achievement, 65.0)  # account form
        review = self.env["ir.actions.report"]._render_qweb_html(REVIEW, account.ids)[0]
        self.assertEqual(_span(review.decode(), "o_kam_plan_achievement"), "65")
        pdf = self.env["ir.actions.report"]._render_qweb_html(PLAN_PDF, plan.ids)[0]
        self.assertEqual(_span(pdf.decode(), "o_kam_plan_achievement"), "65")
        # the dashboard's chart: the plans' reported achievement
        [chart] = [f["data"] for sheet in self._dashboard()["sheets"]
                   for f in sheet.get("figures", []) if f["id"] == "kam-chart-plans"]
        self.assertEqual(chart["metaData"]["measure"], "report_achievement")
        self.assertEqual(plan.report_achievement, 65.0)

    def test_revenue_12m(self):
        account = self.account
        self.assertEqual(account.kam_revenue_12m, 7450.0)            # account form
        values = self.env["report." + REVIEW]._review_values(
            account.with_company(self.company), self.company, self.today)
        self.assertEqual(values[account.id]["revenue_12m"], 7450.0)
        review = self.env["ir.actions.report"]._render_qweb_html(REVIEW, account.ids)[0]
        self.assertEqual(_amount(_span(review.decode(), "o_kam_revenue_12m")), 7450.0)
        # the dashboard lists the accounts' kam_revenue_12m
        [source] = self._dashboard()["lists"].values()
        self.assertIn("kam_revenue_12m", source["columns"])

    def test_visits_required(self):
        """The scorecard of the month and the Visit Compliance report agree, in whole
        visits (one 14-day account: days of the month / 14)."""
        month = self.today.replace(day=1)
        days = ((month + relativedelta(months=1)) - month).days
        self.env["kam.scorecard"]._refresh_scorecards(self.company, self.today.year)
        card = self.env["kam.scorecard"].search([
            ("company_id", "=", self.company.id), ("user_id", "=", self.user_kam.id),
            ("period_type", "=", "month"), ("date_start", "=", month)])
        self.assertEqual(card.visits_required, kam_visit_count(days / 14))
        self.assertIsInstance(card.visits_required, int)
        self.env.flush_all()
        report = self.env["kam.visit.compliance.report"]
        [(required,)] = report._read_group(
            [("partner_id", "=", self.account.id), ("month", "=", month)], [],
            ["visits_required:sum"])
        self.assertEqual(kam_visit_count(required), card.visits_required)
        # the report's rows keep the month's fraction and show it in whole visits
        self.assertEqual(report._fields["visits_required"].get_digits(self.env), (16, 0))
        self.assertEqual(
            self.env["kam.scorecard"]._fields["visits_required"].type, "integer")

    def test_visit_count_rounding(self):
        self.assertEqual([kam_visit_count(v) for v in (32.15, 2.5, 2.49, 0.0, None)],
                         [32, 3, 2, 0, 0])
