"""Mirrors carry no more than their source: what the addon copies of a restricted
record into a more widely read one (the churn signal texts of an account, its
activities and chatter, the calendar event of a visit, the credit refusal of an
order) says nothing its reader could not read at the source."""

import json

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import KamCommon
from .test_kam_visit import KamVisitCommon

HEALTH_WEIGHTS = ("revenue", "recency", "receivables", "visits", "decision_unit", "service")


@tagged("post_install", "-at_install")
class TestKamMirrorSignals(KamCommon):
    """The churn signal of the decision unit names no stakeholder to a salesperson who
    reads the account but not its stakeholders (kam.stakeholder is the account team's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({f"kam_health_weight_{code}": 10 if code == "decision_unit" else 0
                           for code in HEALTH_WEIGHTS})
        role_dm = cls.env.ref("key_account_management.kam_decision_role_decision_maker")
        role_coach = cls.env.ref("key_account_management.kam_decision_role_coach")
        hard, gate, coach = cls.env["res.partner"].create([
            {"name": "Hugo Hardline", "parent_id": cls.account.id},
            {"name": "Greta Gatekeeper", "parent_id": cls.account.id},
            {"name": "Carl Confidant", "parent_id": cls.account.id}])
        cls.stakeholders = cls.env["kam.stakeholder"].create([
            {"partner_id": cls.account.id, "contact_id": hard.id, "influence": "high",
             "role_ids": [(6, 0, role_dm.ids)], "attitude": "-3"},
            {"partner_id": cls.account.id, "contact_id": gate.id, "influence": "medium",
             "role_ids": [(6, 0, role_dm.ids)], "attitude": "-3"},
            {"partner_id": cls.account.id, "contact_id": coach.id, "influence": "medium",
             "role_ids": [(6, 0, role_coach.ids)], "attitude": "5"},
        ])
        cls.stakeholders[2].action_archive()
        cls.names = ("Hugo", "Hardline", "Greta", "Gatekeeper", "Carl", "Confidant")
        cls.env["kam.scoring"]._recompute_companies(cls.company, partners=cls.account)
        cls.env.invalidate_all()

    def _assert_no_names(self, text, what):
        for name in self.names:
            self.assertNotIn(name, text or "", what)

    def test_salesperson_reads_counts_not_names(self):
        account = self.account.with_user(self.user_salesman)
        self.assertFalse(self.env["kam.stakeholder"].with_user(self.user_salesman)
                         .search_count([("partner_id", "=", self.account.id)]))
        self.assertTrue(account.kam_signal_decision_unit)
        for fname in ("kam_signal_details", "kam_signal_html", "kam_health_details",
                      "kam_health_html", "kam_health_drag"):
            self._assert_no_names(account[fname], fname)
        html = str(account.kam_signal_html)
        self.assertIn("against us: 2 decision maker(s)", html)
        self.assertIn("archived in the last 90 days: 1 coach(es)", html)
        # the stored figures carry ids and roles only
        figures = json.loads(account.kam_signal_details)["decision_unit"]
        self.assertEqual(figures["negative"]["decision_makers"], 2)
        self.assertEqual(figures["gone"]["coaches"], 1)
        self._assert_no_names("; ".join(account._kam_signal_lines()), "signal lines")

    def test_account_team_reads_names(self):
        html = str(self.account.with_user(self.user_kam).kam_signal_html)
        self.assertIn("Greta Gatekeeper, Hugo Hardline", html)
        self.assertIn("Carl Confidant", html)

    def test_churn_activity_names_nobody(self):
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.account.id),
            ("summary", "like", "Churn signal")])
        self.assertTrue(activities)
        for activity in activities.with_user(self.user_salesman):
            self._assert_no_names(str(activity.note), "activity note")
        self.assertIn("2 decision maker(s)", " ".join(str(a.note) for a in activities))


@tagged("post_install", "-at_install")
class TestKamMirrorCredit(KamCommon):
    """The credit rating, its limit and the reason of a change are for the key-account
    groups: the account's chatter (read by every employee who reads the customer) and the
    refusal shown to a salesperson carry none of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_credit_ratings("MIR", director_beyond_limit=True)

    def _apply(self, rating):
        request = self.env["kam.credit.rating.request"].with_user(self.user_kam).create({
            "partner_id": self.account.id, "new_rating_id": rating.id,
            "reason": "Late payer since the merger"})
        request.action_submit()
        request.with_user(self.user_director).action_approve()
        return request

    def test_partner_chatter_says_nothing_of_the_limit(self):
        request = self._apply(self.rating_b)
        self.env.invalidate_all()
        bodies = " ".join(str(body) for body in self.account.with_user(self.user_salesman)
                          .message_ids.mapped("body"))
        self.assertIn("credit conditions", bodies)
        for secret in ("1,000", "1000", "MIR-B", "Fair", "Late payer"):
            self.assertNotIn(secret, bodies)
        # the details are on the request, which the salesperson cannot read
        details = str(request.message_ids[0].body)
        self.assertIn("MIR-B", details)
        self.assertIn("Late payer", details)
        self.assertFalse(request.with_user(self.user_salesman).has_access("read"))
        self.assertTrue(request.with_user(self.user_kam).has_access("read"))

    def test_salesperson_refusal_without_figures(self):
        self._apply(self.rating_b)  # limit 1,000, a director beyond it
        order = self._make_order(self.account, 1500.0, confirm=False)
        order.user_id = self.user_salesman
        with self.assertRaises(UserError) as caught:
            order.with_user(self.user_salesman).action_confirm()
        message = str(caught.exception)
        self.assertIn("exceeds the credit allowance", message)
        self.assertIn("Key Account Director", message)
        for secret in ("1,000", "1,500", "MIR-B", "credit rating", "credit limit"):
            self.assertNotIn(secret, message)
        # the account's KAM reads the figures (on their own order)
        order_kam = self._make_order(self.account, 1500.0, confirm=False)
        order_kam.user_id = self.user_kam
        with self.assertRaises(UserError) as caught:
            order_kam.with_user(self.user_kam).action_confirm()
        self.assertIn("1,000", str(caught.exception))
        self.assertEqual(order.state, "draft")


@tagged("post_install", "-at_install")
class TestKamMirrorVisit(KamVisitCommon):
    """A visit's calendar event is private to the visit's people: any other employee
    (another company's director or KAM) reads the slot as Busy, without objective,
    location or the stakeholders met; whoever may change the visit keeps changing it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_kam_c2 = new_test_user(
            cls.env, login="kamt_manager_c2", name="Cleo Manager C2",
            groups="key_account_management.key_account_management_group_manager",
            company_id=cls.company_2.id, company_ids=[(6, 0, cls.company_2.ids)])

    def test_other_company_reads_busy(self):
        visit = self._visit(objective="Secret pilot pricing", location="Acme HQ room 4",
                            stakeholder_ids=[(6, 0, self.stakeholder.ids)],
                            colleague_ids=[(6, 0, self.user_kam_2.ids)])
        event = visit.calendar_event_id
        self.assertEqual(event.privacy, "private")
        for user in (self.user_director_2, self.user_kam_c2, self.user_salesman):
            with self.subTest(user=user.login):
                self.env.invalidate_all()  # as in a request of that user: nothing in cache
                data = event.with_user(user).read(
                    ["name", "location", "description", "partner_ids", "display_name"])[0]
                self.assertEqual(data["name"], "Busy")
                self.assertEqual(data["display_name"], "Busy")
                self.assertFalse(data["location"])
                self.assertFalse(data["partner_ids"])
                self.assertNotIn("Secret", str(data))
        # the visit's people read it
        for user in (self.user_kam, self.user_kam_2):
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                data = event.with_user(user).read(["name", "location"])[0]
                self.assertIn("Secret pilot pricing", data["name"])
                self.assertEqual(data["location"], "Acme HQ room 4")

    def test_team_and_directors_keep_the_event_in_step(self):
        """A team member and a director, not attendees of the private event, change the
        visit: its event follows (in its organizer's name), also to a new KAM."""
        visit = self._visit(objective="Kick-off")
        event = visit.calendar_event_id
        self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_kam_2.id, "role": "technical"})
        visit.with_user(self.user_kam_2).write({"location": "Team member edits"})
        self.assertEqual(event.location, "Team member edits")
        visit.with_user(self.user_director).write({"objective": "Director",
                                                   "user_id": self.user_kam_2.id})
        self.assertEqual(event.user_id, self.user_kam_2)
        self.assertIn("Director", event.name)
        self.assertEqual(event.privacy, "private")
        visit.with_user(self.user_director).write({"cancel_reason": "Customer asked",
                                                   "state": "cancelled"})
        self.assertFalse(event.exists())
        # a director plans a visit for a KAM: the event is the KAM's
        planned = self._visit(user=self.user_kam).with_user(self.user_director)
        self.assertEqual(planned.calendar_event_id.user_id, self.user_kam)
