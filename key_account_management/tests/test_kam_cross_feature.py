"""The wiring between the features, with real records: green-channel requests
in the account health and its churn signals, in the KAM scorecard and in the
account review; approved credit ratings in the key-account score."""

import json
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..models.kam_scoring import SCORE_COMPONENTS
from .common import KamCommon

REPORT = "key_account_management.kam_account_review_document"


@tagged("post_install", "-at_install")
class TestKamCrossFeature(KamCommon):
    """One key account (``account``, tier A, KAM ``user_kam``) with, filed three
    hours ago: two urgent requests whose 1-hour response is breached, completed
    and rated 2 and 4 by the customer; one normal request still open, running,
    unrated (an explicit 0); one urgent breached request cancelled (and even rated 1), which
    every figure must ignore."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"kam_signal_sla_breaches": 2, "kam_signal_satisfaction_min": 3.0})
        Policy = cls.env["kam.sla.policy"]
        Policy.create([
            {"tier_id": cls.tier_a.id, "priority": "3", "response_hours": 1.0,
             "resolution_hours": 2.0, "confirmation_hours": 24.0, "time_mode": "always"},
            {"tier_id": cls.tier_a.id, "priority": "1", "response_hours": 48.0,
             "resolution_hours": 96.0, "confirmation_hours": 96.0, "time_mode": "always"},
        ])
        cls.when = fields.Datetime.now().replace(microsecond=0) - timedelta(hours=3)
        Request = cls.env["kam.service.request"]
        values = {"subject": "KAMT line down", "partner_id": cls.account.id,
                  "requester_id": cls.account_contact.id, "request_date": cls.when}
        cls.rated_2, cls.rated_4, cls.cancelled = Request.create([
            dict(values, priority="3") for _i in range(3)])
        cls.open_request = Request.create(dict(values, priority="1"))
        for request, rating in ((cls.rated_2, 2), (cls.rated_4, 4)):
            request.resolution = "<p>Replaced the line card</p>"
            request.action_complete()
            request._confirm_portal(cls.account_contact, rating)
        cls.cancelled.cancel_reason = "Duplicate of another request"
        cls.cancelled.action_cancel()
        cls.cancelled.satisfaction = 1
        # an explicit 0 (not rated) is stored as 0, not NULL: averages must skip it
        cls.open_request.satisfaction = 0
        cls.env.flush_all()

    def _run_engine(self):
        self.env["kam.scoring"]._recompute_companies(
            self.company, partners=self.account | self.account_2)
        self.env.invalidate_all()

    def _health_details(self):
        return {item["code"]: item for item in json.loads(self.account.kam_health_details)}

    def test_requests_as_set_up(self):
        """The premises of the other tests: the SLA clocks really breached."""
        self.assertEqual((self.rated_2 | self.rated_4 | self.cancelled).mapped("is_breached"),
                         [True, True, True])
        self.assertFalse(self.open_request.is_breached)
        self.assertEqual((self.rated_2.state, self.rated_4.state, self.open_request.state),
                         ("confirmed", "confirmed", "new"))
        self.assertEqual((self.rated_2.satisfaction, self.rated_4.satisfaction,
                          self.open_request.satisfaction), (2, 4, 0))

    def test_health_service_component_and_sla_signal(self):
        today = self.env.company._kam_today()
        figures = self.env["kam.scoring"]._get_service_figures(
            self.company, (self.account | self.account_2).ids, today - timedelta(days=90), today)
        self.assertEqual(figures, {self.account.id: {
            "requests": 3, "breaches": 2, "satisfaction": 3.0}})

        self._run_engine()
        service = self._health_details()["service"]
        self.assertEqual((service["requests"], service["breaches"], service["satisfaction"]),
                         (3, 2, 3.0))
        # no breach: half the points, 3 or more: none; satisfaction (3 - 1) / 4
        factor = ((1 - 2 / 3) + (3.0 - 1) / 4) / 2
        self.assertAlmostEqual(service["points"], round(service["max"] * factor, 1))
        self.assertTrue(self.account.kam_signal_sla, "2 breaches reach the threshold of 2")
        self.assertFalse(self.account.kam_signal_satisfaction, "3.0 is not below 3.0")
        self.assertFalse(self.account_2.kam_signal_sla)
        self.assertNotIn("service", json.loads(self.account_2.kam_health_details or "[]"))

        self.company.kam_signal_sla_breaches = 3
        self._run_engine()
        self.assertFalse(self.account.kam_signal_sla, "2 breaches stay below a threshold of 3")

    def test_scorecard_service_figures(self):
        Scorecard = self.env["kam.scorecard"]
        self.assertCountEqual(
            [(pid, breached, satisfaction) for pid, _day, breached, satisfaction
             in Scorecard._scorecard_service_requests(
                 self.company, self.when.date(), self.when.date() + timedelta(days=1))],
            [(self.account.id, True, 2), (self.account.id, True, 4),
             (self.account.id, False, None)])
        Scorecard._refresh_scorecards(self.company, self.when.year, period_types=("month",))
        card = Scorecard.search([
            ("company_id", "=", self.company.id), ("user_id", "=", self.user_kam.id),
            ("period_type", "=", "month"), ("date_start", "=", self.when.date().replace(day=1))])
        self.assertEqual(len(card), 1)
        # 3 requests (the cancelled one left out), 2 breached: (3 - 2) / 3 = 33.3 %;
        # satisfaction (2 + 4) / 2, the unrated one left out
        self.assertEqual((card.request_count, card.breached_count), (3, 2))
        self.assertAlmostEqual(card.sla_compliance, 100.0 / 3, places=1)
        self.assertAlmostEqual(card.satisfaction, 3.0)
        other = Scorecard.search([
            ("company_id", "=", self.company.id), ("user_id", "=", self.user_kam_2.id),
            ("period_type", "=", "month"), ("date_start", "=", self.when.date().replace(day=1))])
        self.assertEqual((other.request_count, other.breached_count, other.satisfaction),
                         (0, 0, 0.0))

    def test_account_review_requests_health_and_html(self):
        self._run_engine()
        Review = self.env["report.key_account_management.kam_account_review_document"]
        accounts = self.account | self.account_2
        self.assertEqual(Review._review_requests(accounts, self.company), {
            self.account.id: {"open": 1, "breached": 2},
            self.account_2.id: {"open": 0, "breached": 0},
        })
        health = Review._review_health(accounts, self.company)[self.account.id]
        self.assertEqual(health["score"], self.account.kam_health_score)
        components = dict(health["components"])
        service_text = self.account._kam_health_component_text(self._health_details()["service"])
        self.assertIn("2 SLA breach(es) in 3 request(s), satisfaction 3.0 / 5", service_text)
        service = self._health_details()["service"]
        self.assertEqual(components[service_text], f"{service['points']} / {service['max']}")
        self.assertEqual(len(health["components"]), len(self._health_details()))
        sla_line = "2 green-channel SLA breaches in 90 days (signal from 2)."
        self.assertIn(sla_line, health["signals"])

        report = self.env["ir.actions.report"].with_user(self.user_kam).with_context(
            allowed_company_ids=self.company.ids)
        html, kind = report._render_qweb_html(REPORT, self.account.ids)
        self.assertEqual(kind, "html")
        html = html.decode()
        self.assertIn("Acme Telecom Group", html)
        self.assertIn("Green channel: 2 SLA breach(es) in 3 request(s)", html)
        self.assertIn(sla_line, html)
        self.assertRegex(html, r"Open: <span>1</span> · SLA breached: <span>2</span>")

    def test_credit_rating_in_score(self):
        rating = self.env["kam.credit.rating"].create({
            "code": "KT-X90", "name": "Excellent", "score": 90,
            "payment_term_id": self.env.ref("account.account_payment_term_30days").id})
        request = self.env["kam.credit.rating.request"].with_user(self.user_kam).create({
            "partner_id": self.account.id, "new_rating_id": rating.id,
            "reason": "Paid on time for 3 years"})
        request.action_submit()
        request.with_user(self.user_director).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self.account.kam_credit_rating_id, rating)
        self.assertEqual(self.account.kam_credit_rating, "a", "its selection would give 1.0")
        self.account_2.kam_credit_rating = "c"

        self._run_engine()
        weights = [self.company[weight] or 0 for _points, weight in SCORE_COMPONENTS]
        scale = self.company.kam_weight_credit * 100 / sum(weights)
        self.assertTrue(scale)
        self.assertAlmostEqual(self.account.kam_score_credit, round(scale * 0.9, 2))
        self.assertAlmostEqual(self.account_2.kam_score_credit, round(scale * 0.2, 2),
                               msg="without a rating, the a/b/c selection")
        # a new score value of the rating counts from the next run
        rating.score = 40
        self._run_engine()
        self.assertAlmostEqual(self.account.kam_score_credit, round(scale * 0.4, 2))
