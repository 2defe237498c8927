from datetime import date, datetime, timedelta

from odoo.tests import tagged

from .test_kam_scorecard import KamScorecardCommon

REPORT = "key_account_management.kam_account_review_document"


@tagged("post_install", "-at_install")
class TestKamAccountReview(KamScorecardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.co.ids))
        # this month's order and visit, a plan running today with an open action
        cls._order(cls.a1, 7777.0, cls.today)
        last_week = cls.today - timedelta(days=7)
        env["kam.visit"].create({
            "partner_id": cls.a1.id, "user_id": cls.kam_1.id, "company_id": cls.co.id,
            "date_start": datetime.combine(last_week, datetime.min.time()) + timedelta(hours=10),
            "date_end": datetime.combine(last_week, datetime.min.time()) + timedelta(hours=11),
            "state": "done", "summary": "<p>Review</p>"})
        cls.current_plan = env["kam.account.plan"].create({
            "partner_id": cls.a1.id, "company_id": cls.co.id, "user_id": cls.kam_1.id,
            "date_start": date(cls.today.year, 1, 1), "date_end": date(cls.today.year, 12, 31),
            "revenue_target": 20000.0})
        cls.current_plan.write({"state": "approved"})
        env["kam.account.plan.action"].create({
            "plan_id": cls.current_plan.id, "name": "KAMT present the roadmap",
            "user_id": cls.kam_1.id, "date_deadline": cls.today + timedelta(days=10)})
        cls.empty = env["res.partner"].create({"name": "KAMT Empty Co", "is_company": True})

    def _render(self, partners):
        report = self.env["ir.actions.report"].with_user(self.kam_1).with_context(
            allowed_company_ids=self.co.ids)
        html, kind = report._render_qweb_html(REPORT, partners.ids)
        self.assertEqual(kind, "html")
        return html.decode()

    def test_account_with_data(self):
        html = self._render(self.a1)
        self.assertIn("KAMT Alpha", html)
        self.assertIn("Strategic", html)                       # tier
        self.assertEqual(html.count("<rect "), 12)            # 12 monthly bars
        self.assertIn(self.today.strftime("%m/%y"), html)
        self.assertIn("KAMT present the roadmap", html)        # open action
        self.assertRegex(html, r'o_kam_visits_done">\s*1<')
        # 7777 of 20000
        self.assertRegex(html, r'o_kam_plan_achievement">\s*39<')
        self.assertNotIn("No current account plan", html)

    def test_account_without_data(self):
        html = self._render(self.empty)
        self.assertIn("KAMT Empty Co", html)
        self.assertIn("No current account plan", html)
        self.assertRegex(html, r'o_kam_visits_done">\s*0<')
        self.assertEqual(html.count("<rect "), 12)            # flat bars, no division by zero

    def test_portfolio(self):
        html = self._render(self.a1 | self.a2 | self.empty)
        self.assertEqual(html.count('class="page o_kam_account_review"'), 3)
        for name in ("KAMT Alpha", "KAMT Beta", "KAMT Empty Co"):
            self.assertIn(name, html)

    def test_pdf_action(self):
        """The PDF action renders the same document (a real wkhtmltopdf run is left
        out of the unit tests: with the test HTTP server of the browser tours it
        waits for assets the test transaction holds)."""
        report = self.env["ir.actions.report"].with_user(self.kam_1).with_context(
            allowed_company_ids=self.co.ids)
        content, __ = report._render_qweb_pdf(
            "key_account_management.kam_account_review_report_action", self.a1.ids)
        self.assertIn(b"KAMT Alpha", content)

    def test_report_actions(self):
        action = self.env.ref("key_account_management.kam_account_review_report_action")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        self.assertEqual(action.report_type, "qweb-pdf")
