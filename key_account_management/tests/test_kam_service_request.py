"""Green channel: SLA terms, working-time deadlines, pauses, states, dispatch,
confirmation, return visits, escalation, mail alias and access."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import KamCommon

NOW_PATH = "odoo.fields.Datetime.now"


def at(*args):
    """A naive UTC datetime."""
    return datetime(*args)


class KamServiceCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company calendar in Shanghai: Mon-Fri 09:00-12:00 and 13:00-18:00 (8 h/day),
        # with the National Day holiday on Wednesday 1 October 2025
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "KAMT Shanghai office", "tz": "Asia/Shanghai",
            "company_id": cls.company.id,
            "attendance_ids": [
                (0, 0, {"name": f"d{d}{p}", "dayofweek": str(d), "hour_from": h0,
                        "hour_to": h1, "day_period": p})
                for d in range(5)
                for p, h0, h1 in (("morning", 9, 12), ("afternoon", 13, 18))
            ],
        })
        cls.env["resource.calendar.leaves"].create({
            "name": "National Day", "calendar_id": cls.calendar.id,
            "date_from": at(2025, 9, 30, 16, 0), "date_to": at(2025, 10, 1, 16, 0),
        })
        cls.company.resource_calendar_id = cls.calendar
        cls.company.write({
            "kam_service_risk_percent": 80.0, "kam_service_director_hours": 4.0,
            "kam_service_return_visit_days": 7, "kam_service_dispatch_share": 50.0,
        })
        groups_service = "key_account_management.key_account_management_group_service"
        cls.user_tech = new_test_user(
            cls.env, login="kamt_svc_tech", name="Tina Technician", groups=groups_service,
            tz="Asia/Shanghai")
        cls.user_tech_2 = new_test_user(
            cls.env, login="kamt_svc_tech2", name="Tom Other Team", groups=groups_service)
        cls.team_noc = cls.env["kam.service.team"].create({
            "name": "KAMT Network Operations", "leader_id": cls.user_tech.id,
            "member_ids": [(6, 0, cls.user_tech.ids)], "calendar_id": cls.calendar.id,
        })
        cls.team_field = cls.env["kam.service.team"].create({
            "name": "KAMT Field Service", "member_ids": [(6, 0, cls.user_tech_2.ids)],
            "deadline_share": 25.0,
        })
        cls.category_outage = cls.env["kam.service.category"].create({
            "name": "KAMT Outage", "team_id": cls.team_noc.id})
        cls.tier_a.write({"response_sla_hours": 2.0, "resolution_sla_hours": 16.0})
        cls.tier_b.write({"response_sla_hours": 8.0, "resolution_sla_hours": 40.0})
        cls.Policy = cls.env["kam.sla.policy"]
        cls.policy_a_urgent = cls.Policy.create({
            "tier_id": cls.tier_a.id, "priority": "3", "response_hours": 1.0,
            "resolution_hours": 4.0, "confirmation_hours": 8.0, "time_mode": "always",
        })
        cls.policy_a_normal = cls.Policy.create({
            "tier_id": cls.tier_a.id, "priority": "1", "response_hours": 4.0,
            "resolution_hours": 10.0, "confirmation_hours": 16.0, "time_mode": "working",
        })
        cls.Request = cls.env["kam.service.request"]

    def _request(self, when, **vals):
        values = {"subject": "Line down", "partner_id": self.account.id,
                  "requester_id": self.account_contact.id, "priority": "1"}
        values.update(vals)
        with patch(NOW_PATH, return_value=when):
            return self.Request.create(dict(values, request_date=when))


@tagged("post_install", "-at_install")
class TestKamServiceSla(KamServiceCommon):

    def test_working_time_deadline_across_night_weekend_and_holiday(self):
        # Friday 26 September 2025 17:00 Shanghai (09:00 UTC): 4 working hours for the
        # response: 1 h on Friday, then Monday 09:00-12:00 -> Monday 12:00 (04:00 UTC)
        request = self._request(at(2025, 9, 26, 9, 0))
        self.assertEqual(request.policy_id, self.policy_a_normal)
        self.assertEqual(request.sla_calendar_id, self.calendar)
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 4, 0))
        # resolution 10 h: Fri 1 h, Mon 8 h, Tue 1 h -> Tuesday 10:00 Shanghai (02:00 UTC)
        self.assertEqual(request.resolution_deadline, at(2025, 9, 30, 2, 0))
        self.assertEqual(request.response_status, "running")

    def test_public_holiday_is_skipped(self):
        # Tuesday 30 September 17:00 Shanghai: 4 h -> Tue 1 h, Wednesday 1 October is a
        # public holiday, Thursday 09:00-12:00 -> Thursday 12:00 (04:00 UTC)
        request = self._request(at(2025, 9, 30, 9, 0))
        self.assertEqual(request.response_deadline, at(2025, 10, 2, 4, 0))

    def test_round_the_clock_policy(self):
        request = self._request(at(2025, 9, 27, 14, 0), priority="3")  # a Saturday night
        self.assertEqual(request.policy_id, self.policy_a_urgent)
        self.assertFalse(request.sla_calendar_id)
        self.assertEqual(request.response_deadline, at(2025, 9, 27, 15, 0))
        self.assertEqual(request.resolution_deadline, at(2025, 9, 27, 18, 0))

    def test_matrix_category_row_and_tier_fallback(self):
        by_category = self.Policy.create({
            "tier_id": self.tier_a.id, "priority": "1", "category_id": self.category_outage.id,
            "response_hours": 1.0, "resolution_hours": 2.0, "confirmation_hours": 4.0,
        })
        request = self._request(at(2025, 9, 29, 1, 0), category_id=self.category_outage.id)
        self.assertEqual(request.policy_id, by_category)
        self.assertEqual(request.team_id, self.team_noc, "the category's team by default")
        # Monday 09:00 Shanghai + 1 h
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 2, 0))
        # tier B has no row: its own 8 h / 40 h in the company's working time
        request_b = self._request(
            at(2025, 9, 29, 1, 0), partner_id=self.account_2.id, requester_id=False)
        self.assertFalse(request_b.policy_id)
        self.assertEqual(request_b.tier_id, self.tier_b)
        self.assertEqual(request_b.response_deadline, at(2025, 9, 29, 10, 0))
        self.assertEqual(request_b.resolution_deadline, at(2025, 10, 6, 10, 0))

    def test_terms_follow_priority_until_first_response(self):
        request = self._request(at(2025, 9, 29, 1, 0))
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 10)):
            request.priority = "3"
        self.assertEqual(request.policy_id, self.policy_a_urgent)
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 2, 0))
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 30)):
            note = request.with_user(self.user_kam).message_post(
                body="Checking internally", message_type="comment", subtype_xmlid="mail.mt_note")
            self.assertEqual(request.response_status, "running", "an internal note is no reply")
            reply = request.with_user(self.user_kam).message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment")
            self.assertTrue(note and reply)
        self.assertEqual(request.response_status, "met")
        self.assertEqual(request.response_hours, 0.5)
        deadline = request.resolution_deadline
        request.priority = "1"
        self.assertEqual(request.resolution_deadline, deadline, "kept after the first response")
        self.assertEqual(request.policy_id, self.policy_a_urgent)

    def test_pause_moves_deadlines_by_paused_working_time(self):
        # Monday 29 September 09:00 Shanghai; response due 13:00 + lunch = 14:00 Shanghai
        request = self._request(at(2025, 9, 29, 1, 0))
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 6, 0))
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            pause = self.env["kam.service.pause"].create(
                {"request_id": request.id, "reason": "Waiting for the site access badge"})
        self.assertEqual(request.state, "waiting")
        self.assertEqual(request.response_status, "paused")
        # resumed at 17:00 Shanghai: 6 working hours paused (10-12, 13-17)
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 9, 0)):
            request.action_resume()
        self.assertEqual(pause.paused_hours, 6.0)
        self.assertEqual(pause.user_id, self.env.user)
        self.assertEqual(request.state, "new")
        self.assertEqual(request.response_status, "running")
        # 14:00 + 6 working hours (Monday 14-18, Tuesday 9-11) = Tuesday 11:00 Shanghai
        self.assertEqual(request.response_deadline, at(2025, 9, 30, 3, 0))
        self.assertEqual(request.paused_hours, 6.0)

    def test_first_response_while_waiting_does_not_count_the_wait(self):
        # Monday 09:00 Shanghai, response due 14:00; waiting on the customer from 10:00
        request = self._request(at(2025, 9, 29, 1, 0))
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            self.env["kam.service.pause"].create(
                {"request_id": request.id, "reason": "Which branch is down?"})
        # the first reply at 15:00, still waiting: 1 working hour used, not 5; the
        # deadline moved by the 4 working hours waited so far (10-12, 13-15): 18:00
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 7, 0)):
            request.with_user(self.user_kam).message_post(
                body="Any news on the branch?", message_type="comment",
                subtype_xmlid="mail.mt_comment")
        self.assertEqual(request.response_reached_date, at(2025, 9, 29, 7, 0))
        self.assertEqual(request.response_hours, 1.0)
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 10, 0))
        self.assertEqual(request.response_status, "met")
        self.assertFalse(request.is_breached)
        # resumed at 17:00: the met clock stays as it is, the resolution moves by 6 h
        resolution_deadline = request.resolution_deadline
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 9, 0)):
            request.action_resume()
        self.assertEqual(request.paused_hours, 6.0)
        self.assertEqual((request.response_status, request.response_hours), ("met", 1.0))
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 10, 0))
        self.assertEqual(request.resolution_deadline, self.Policy._add_hours(
            resolution_deadline, 6.0, self.calendar))
        self.assertEqual(request.resolution_status, "running")

    def test_pause_needs_a_reason(self):
        request = self._request(at(2025, 9, 29, 1, 0))
        with self.assertRaisesRegex(ValidationError, "reason"):
            self.env["kam.service.pause"].create({"request_id": request.id, "reason": "  "})
        self.assertEqual(request.state, "new")

    def test_policy_hours_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "greater than 0"):
            self.Policy.create({"tier_id": self.tier_b.id, "priority": "2",
                                "response_hours": 0, "resolution_hours": 8})
        with self.assertRaises(ValidationError):
            self.Policy.create({"tier_id": self.tier_a.id, "priority": "1",
                                "response_hours": 1, "resolution_hours": 8})


@tagged("post_install", "-at_install")
class TestKamServiceFlow(KamServiceCommon):

    def test_bad_input(self):
        other_contact = self.env["res.partner"].create(
            {"name": "Bob Beta", "parent_id": self.account_2.id})
        with self.assertRaisesRegex(ValidationError, "must be a contact of the account"):
            self._request(at(2025, 9, 29, 1, 0), requester_id=other_contact.id)
        stranger = self.env["res.partner"].create({"name": "KAMT Walk-in", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "not a registered key account"):
            self._request(at(2025, 9, 29, 1, 0), partner_id=stranger.id, requester_id=False)
        self.company.kam_service_allow_unregistered = True
        self._request(at(2025, 9, 29, 1, 0), partner_id=stranger.id, requester_id=False)

    def test_dispatch_rules_and_internal_deadline(self):
        request = self._request(at(2025, 9, 29, 1, 0))  # resolution Tue 11:00 Shanghai
        self.assertEqual(request.resolution_deadline, at(2025, 9, 30, 3, 0))
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 0)):
            line = self.env["kam.service.dispatch"].create({
                "request_id": request.id, "team_id": self.team_noc.id,
                "instruction": "Check the core router"})
        # 10 working hours left, the company share is 50 %: 5 h -> Monday 15:00 Shanghai
        self.assertEqual(line.internal_deadline, at(2025, 9, 29, 7, 0))
        self.assertEqual(request.state, "dispatched")
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 0)):
            field = self.env["kam.service.dispatch"].create({
                "request_id": request.id, "team_id": self.team_field.id,
                "instruction": "Send a technician"})
        # the field team takes 25 %, round the clock? no: the request's calendar -> 2.5 h
        self.assertEqual(field.internal_deadline, at(2025, 9, 29, 3, 30))
        with self.assertRaisesRegex(ValidationError, "not a member"):
            self.env["kam.service.dispatch"].create({
                "request_id": request.id, "team_id": self.team_noc.id,
                "user_id": self.user_tech_2.id, "instruction": "x"})
        self.team_field.active = False
        with self.assertRaisesRegex(ValidationError, "archived"):
            self.env["kam.service.dispatch"].create({
                "request_id": request.id, "team_id": self.team_field.id, "instruction": "x"})
        # a team member accepts: response met, request in progress
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 30)):
            line.with_user(self.user_tech).action_accept()
        self.assertEqual(line.user_id, self.user_tech)
        self.assertEqual(request.state, "in_progress")
        self.assertEqual(request.response_status, "met")
        with self.assertRaisesRegex(UserError, "not yours"):
            line.with_user(self.user_tech_2).action_done()

    def test_dispatch_while_waiting_is_kept_at_resume(self):
        # dispatched and taken while the request waits on the customer: the resume goes
        # back to where the request is now, not to "new"
        request = self._request(at(2025, 9, 29, 1, 0))
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 10)):
            self.env["kam.service.pause"].create(
                {"request_id": request.id, "reason": "Waiting for the site address"})
            line = self.env["kam.service.dispatch"].create({
                "request_id": request.id, "team_id": self.team_noc.id,
                "instruction": "Check the core router"})
        self.assertEqual(request.state, "waiting", "still waiting on the customer")
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 20)):
            request.action_resume()
        self.assertEqual(request.state, "dispatched")
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 1, 30)):
            self.env["kam.service.pause"].create(
                {"request_id": request.id, "reason": "Waiting for the site access badge"})
            line.with_user(self.user_tech).action_accept()
        self.assertEqual(request.state, "waiting")
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_resume()
        self.assertEqual(request.state, "in_progress")
        self.assertFalse(request.state_before_wait)

    def test_complete_confirm_return_visit_once(self):
        request = self._request(at(2025, 9, 29, 1, 0))
        with self.assertRaisesRegex(UserError, "before it is completed"):
            request.action_confirm_phone()
        with self.assertRaisesRegex(UserError, "resolution"):
            request.action_complete()
        self.env.flush_all()
        with self.assertRaisesRegex(ValidationError, "resolution"):
            request.write({"state": "completed"})
        request.invalidate_recordset(flush=False)
        self.assertEqual(request.state, "new", "nothing half-written")
        request.resolution = "<p>Replaced the line card</p>"
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_complete()
        self.assertEqual(request.state, "completed")
        self.assertEqual(request.resolution_status, "met")
        self.assertEqual(request.resolution_hours, 1.0)
        self.assertEqual(request.completed_by_id, self.env.user)
        # 16 working hours to confirm: Monday 10:00 + 16 h = Wednesday... holiday: Thursday 10:00
        self.assertEqual(request.confirmation_deadline, at(2025, 10, 2, 2, 0))
        request.satisfaction = 6 if False else 0
        with self.assertRaisesRegex(ValidationError, "between 1 and 5"):
            request.write({"satisfaction": 6})
        with self.assertRaisesRegex(ValidationError, "between 1 and 5"):
            request._confirm_portal(self.account_contact, 0)
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 3, 0)):
            request._confirm_portal(self.account_contact, 4, "Fast")
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.satisfaction, 4)
        self.assertEqual(request.confirmed_by_partner_id, self.account_contact)
        self.assertEqual(request.confirmation_status, "met")
        self.assertEqual(request.rating_last_value, 4)
        visit = request.return_visit_id
        self.assertTrue(visit)
        self.assertEqual(visit.visit_type, "return")
        self.assertEqual(visit.service_request_id, request)
        self.assertEqual(visit.user_id, self.user_kam)
        # a week after the day of the confirmation (29 September at the company)
        self.assertEqual(visit.visit_date, date(2025, 10, 6))
        # reopened and confirmed again (by phone this time): still one return visit
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 3, 30)):
            request.action_reopen()
        self.assertEqual(request.state, "in_progress")
        request.action_complete()
        request.action_confirm_phone()
        self.assertEqual(request.confirmation_mode, "phone")
        self.assertEqual(request.confirmation_recorded_by_id, self.env.user)
        self.assertEqual(self.env["kam.visit"].search_count(
            [("service_request_id", "=", request.id)]), 1)

    def test_reopen_only_within_confirmation_window(self):
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>done</p>")
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_complete()
        with patch(NOW_PATH, return_value=at(2025, 10, 9, 2, 0)):
            with self.assertRaisesRegex(UserError, "confirmation window"):
                request.action_reopen()

    def test_cancel_needs_reason(self):
        request = self._request(at(2025, 9, 29, 1, 0))
        with self.assertRaisesRegex(UserError, "reason"):
            request.action_cancel()
        request.cancel_reason = "Duplicate of another request"
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")

    def test_cancelled_request_leaves_the_deadlines(self):
        # a cancelled request is neither due (kanban, list) nor in the calendar of deadlines
        request = self._request(at(2025, 9, 29, 1, 0))
        self.assertEqual(request.next_deadline, at(2025, 9, 29, 6, 0), "the response deadline")
        calendar_domain = [("id", "=", request.id), ("next_deadline", "!=", False)]
        self.assertEqual(self.Request.search(calendar_domain), request)
        request.cancel_reason = "Duplicate of another request"
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertFalse(request.next_deadline)
        self.assertFalse(self.Request.search(calendar_domain))

    def test_cancel_while_waiting_keeps_the_wait(self):
        # Monday 09:00 Shanghai, waiting from 10:00, cancelled at 15:00: 4 working hours
        request = self._request(at(2025, 9, 29, 1, 0))
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            pause = self.env["kam.service.pause"].create(
                {"request_id": request.id, "reason": "Which branch is down?"})
        request.cancel_reason = "The customer found a loose cable"
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 7, 0)):
            request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertFalse(request.state_before_wait)
        self.assertEqual(pause.date_to, at(2025, 9, 29, 7, 0))
        self.assertEqual(pause.paused_hours, 4.0)
        self.assertEqual(request.paused_hours, 4.0)

    def test_account_smart_button_figures(self):
        self._request(at(2025, 9, 29, 1, 0))
        breached = self._request(fields.Datetime.now() - timedelta(days=10), priority="3")
        self.Request._mark_breaches(fields.Datetime.now())
        self.assertEqual(breached.response_status, "breached")
        self.assertEqual(self.account.kam_service_open_count, 2)
        self.assertEqual(self.account.kam_service_breach_count, 1)


@tagged("post_install", "-at_install")
class TestKamServiceEscalation(KamServiceCommon):

    def _run_cron(self, when):
        with patch(NOW_PATH, return_value=when), self.enter_registry_test_mode():
            self.env.ref("key_account_management.ir_cron_kam_service_escalate"
                         ).method_direct_trigger()

    def _notes(self, request):
        return request.message_ids.filtered(lambda m: m.subtype_id == self.env.ref(
            "mail.mt_note"))

    def test_at_risk_then_breach_then_directors_once(self):
        request = self._request(at(2025, 9, 27, 14, 0), priority="3", user_id=self.user_kam_2.id)
        # round the clock: response 1 h, at risk at 80 % (48 min)
        self._run_cron(at(2025, 9, 27, 14, 30))
        self.assertFalse(request.response_risk_notified)
        self._run_cron(at(2025, 9, 27, 14, 50))
        self.assertTrue(request.response_risk_notified)
        risk = self._notes(request).filtered(lambda m: "at risk" in (m.body or ""))
        self.assertEqual(len(risk), 1)
        self.assertEqual(risk.partner_ids, self.user_kam_2.partner_id, "the assignee")
        self._run_cron(at(2025, 9, 27, 14, 55))
        self.assertEqual(len(self._notes(request).filtered(lambda m: "at risk" in (m.body or ""))), 1)
        # breach: the KAM once
        self._run_cron(at(2025, 9, 27, 15, 5))
        request.invalidate_recordset()
        self.assertEqual(request.response_status, "breached")
        self.assertTrue(request.is_breached)
        self.assertEqual(request.escalation_kam_date, at(2025, 9, 27, 15, 5))
        kam_notes = self._notes(request).filtered(lambda m: "take charge" in (m.body or ""))
        self.assertEqual(len(kam_notes), 1)
        self.assertEqual(kam_notes.partner_ids, self.user_kam.partner_id)
        self._run_cron(at(2025, 9, 27, 15, 20))
        self.assertEqual(len(self._notes(request).filtered(
            lambda m: "take charge" in (m.body or ""))), 1)
        self.assertFalse(request.escalation_director_date)
        # four hours later: the directors, once
        self._run_cron(at(2025, 9, 27, 19, 10))
        self._run_cron(at(2025, 9, 27, 19, 25))
        director_notes = self._notes(request).filtered(lambda m: "directors" in (m.body or ""))
        self.assertEqual(len(director_notes), 1)
        self.assertIn(self.user_director.partner_id, director_notes.partner_ids)
        self.assertNotIn(self.user_director_2.partner_id, director_notes.partner_ids,
                         "a director of another company is not told")

    def _count(self, request, *words):
        return len(self._notes(request).filtered(
            lambda m: all(w in (m.body or "") for w in words)))

    def test_reopen_warns_the_resolution_clock_again_once(self):
        # round the clock: resolution 4 h, at risk at 80 % (17:12), deadline 18:00
        request = self._request(at(2025, 9, 27, 14, 0), priority="3", user_id=self.user_kam_2.id)
        request._reach_clock("response", at(2025, 9, 27, 14, 10))
        self._run_cron(at(2025, 9, 27, 17, 15))
        self.assertEqual(self._count(request, "resolution clock", "at risk"), 1)
        request.resolution = "<p>Router restarted</p>"
        with patch(NOW_PATH, return_value=at(2025, 9, 27, 17, 20)):
            request.action_complete()
        self.assertEqual(request.resolution_status, "met")
        with patch(NOW_PATH, return_value=at(2025, 9, 27, 17, 30)):
            request.action_reopen()
        self.assertEqual(request.resolution_status, "running")
        self.assertFalse(request.resolution_risk_notified)
        # still at risk (17:12 is past): warned a second time, once
        self._run_cron(at(2025, 9, 27, 17, 35))
        self._run_cron(at(2025, 9, 27, 17, 40))
        self.assertEqual(self._count(request, "resolution clock", "at risk"), 2)
        self.assertTrue(request.resolution_risk_notified)
        # the deadline passes: escalated to the KAM, once
        self._run_cron(at(2025, 9, 27, 18, 5))
        self._run_cron(at(2025, 9, 27, 18, 10))
        self.assertEqual(self._count(request, "take charge"), 1)

    def test_reopen_escalates_the_breach_again_once(self):
        request = self._request(at(2025, 9, 27, 14, 0), priority="3")
        request._reach_clock("response", at(2025, 9, 27, 14, 10))
        # resolution breached at 18:00: the KAM at 18:05, the directors four hours later
        self._run_cron(at(2025, 9, 27, 18, 5))
        self._run_cron(at(2025, 9, 27, 22, 10))
        self.assertEqual(self._count(request, "take charge"), 1)
        self.assertEqual(self._count(request, "directors"), 1)
        request.resolution = "<p>Line replaced</p>"
        with patch(NOW_PATH, return_value=at(2025, 9, 27, 22, 30)):
            request.action_complete()
        with patch(NOW_PATH, return_value=at(2025, 9, 28, 1, 0)):
            request.action_reopen()
        self.assertEqual(request.resolution_status, "breached")
        self.assertFalse(request.escalation_kam_date)
        self.assertFalse(request.escalation_director_date)
        # the reopened request is late again: the KAM once, then the directors once
        self._run_cron(at(2025, 9, 28, 1, 5))
        self._run_cron(at(2025, 9, 28, 1, 10))
        self.assertEqual(self._count(request, "take charge"), 2)
        self.assertEqual(request.escalation_kam_date, at(2025, 9, 28, 1, 5))
        self._run_cron(at(2025, 9, 28, 5, 10))
        self._run_cron(at(2025, 9, 28, 5, 20))
        self.assertEqual(self._count(request, "directors"), 2)
        self.assertEqual(self._count(request, "take charge"), 2)

    def test_reopen_by_any_path_resets_the_warnings(self):
        # a write moving a completed request back to work (not through Reopen) resets too
        request = self._request(at(2025, 9, 27, 14, 0), priority="3")
        request._reach_clock("response", at(2025, 9, 27, 14, 10))
        self._run_cron(at(2025, 9, 27, 17, 15))
        self._run_cron(at(2025, 9, 27, 18, 5))
        self.assertTrue(request.resolution_risk_notified)
        self.assertTrue(request.escalation_kam_date)
        request.resolution = "<p>Line replaced</p>"
        with patch(NOW_PATH, return_value=at(2025, 9, 27, 18, 30)):
            request.action_complete()
        request.write({"state": "in_progress"})
        self.assertFalse(request.resolution_risk_notified)
        self.assertFalse(request.escalation_kam_date)

    def test_reopen_does_not_escalate_the_old_response_breach_again(self):
        # the response clock was late (escalated); the resolution is on time: a reopen
        # leaves the response breach as it was, escalated once
        request = self._request(at(2025, 9, 27, 14, 0), priority="3")
        self._run_cron(at(2025, 9, 27, 15, 5))
        self.assertEqual(self._count(request, "take charge"), 1)
        request.resolution = "<p>Line replaced</p>"
        with patch(NOW_PATH, return_value=at(2025, 9, 27, 15, 30)):
            request.action_complete()
        with patch(NOW_PATH, return_value=at(2025, 9, 27, 15, 40)):
            request.action_reopen()
        self.assertEqual(request.escalation_kam_date, at(2025, 9, 27, 15, 5))
        self._run_cron(at(2025, 9, 27, 15, 45))
        self.assertEqual(self._count(request, "take charge"), 1)

    def test_director_delay_is_each_requests_company_setting(self):
        # the cron runs in one company; each request waits its own company's delay
        self.env.user.company_ids = [(4, self.company_2.id)]
        self.company.kam_service_director_hours = 4.0
        self.company_2.kam_service_director_hours = 1.0
        kam_c2 = new_test_user(
            self.env, login="kamt_svc_kam_c2", name="Kai KAM C2",
            groups="key_account_management.key_account_management_group_manager",
            company_id=self.company_2.id, company_ids=[(6, 0, self.company_2.ids)])
        tier_c2 = self.env["kam.tier"].create({
            "name": "Strategic C2", "code": "TA2", "company_id": self.company_2.id,
            "response_sla_hours": 1.0, "resolution_sla_hours": 4.0})
        self.Policy.create({
            "company_id": self.company_2.id, "tier_id": tier_c2.id, "priority": "3",
            "response_hours": 1.0, "resolution_hours": 4.0, "confirmation_hours": 8.0,
            "time_mode": "always"})
        account_c2 = self.env["res.partner"].create(
            {"name": "Gamma Shipping", "is_company": True, "company_id": self.company_2.id})
        account_c2.with_company(self.company_2).write({
            "kam_state": "registered", "kam_tier_id": tier_c2.id,
            "kam_manager_id": kam_c2.id})
        request = self._request(at(2025, 9, 27, 14, 0), priority="3")
        request_c2 = self._request(
            at(2025, 9, 27, 14, 0), priority="3", partner_id=account_c2.id,
            requester_id=False, company_id=self.company_2.id)
        self.assertEqual(request_c2.policy_id.company_id, self.company_2)
        self.assertEqual(self.env.company, self.company, "the cron runs in the first company")
        self._run_cron(at(2025, 9, 27, 15, 5))  # both response clocks breached
        self.assertEqual((request | request_c2).mapped("escalation_kam_date"),
                         [at(2025, 9, 27, 15, 5)] * 2)
        # 1 h 5 min later: the second company's delay (1 h) is over, not the first's (4 h)
        self._run_cron(at(2025, 9, 27, 16, 10))
        self.assertEqual(request_c2.escalation_director_date, at(2025, 9, 27, 16, 10))
        self.assertFalse(request.escalation_director_date)
        notes = self._notes(request_c2).filtered(lambda m: "directors" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn(self.user_director_2.partner_id, notes.partner_ids)
        self.assertNotIn(self.user_director.partner_id, notes.partner_ids)
        # run in the second company: the first company's request still waits its 4 h
        with patch(NOW_PATH, return_value=at(2025, 9, 27, 16, 20)):
            self.Request.with_company(self.company_2)._cron_escalate()
        self.assertFalse(request.escalation_director_date)
        self._run_cron(at(2025, 9, 27, 19, 10))
        self.assertEqual(request.escalation_director_date, at(2025, 9, 27, 19, 10))
        self.assertEqual(request_c2.escalation_director_date, at(2025, 9, 27, 16, 10),
                         "told once")

    def test_overlapping_runs_notify_once(self):
        requests = self._request(at(2025, 9, 27, 14, 0), priority="3") \
            | self._request(at(2025, 9, 27, 14, 0), priority="3")
        Request = type(self.Request)
        original = Request._notify_breach_kam
        calls = []

        def notify_and_rerun(recs):
            # a second worker starting while the first one is notifying
            calls.append(recs.ids)
            if len(calls) == 1:
                self.Request._cron_escalate()
            return original(recs)

        with patch.object(Request, "_notify_breach_kam", notify_and_rerun), \
                patch(NOW_PATH, return_value=at(2025, 9, 27, 15, 5)):
            self.Request._cron_escalate()
        self.assertEqual(calls, [requests.ids])
        for request in requests:
            self.assertEqual(len(self._notes(request).filtered(
                lambda m: "take charge" in (m.body or ""))), 1)

    def test_cron_query_count_does_not_grow_with_open_requests(self):
        when = at(2025, 9, 29, 1, 5)

        def count_queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with patch(NOW_PATH, return_value=when):
                self.Request._cron_escalate()
            return self.env.cr.sql_log_count - before

        self._request(at(2025, 9, 29, 1, 0))
        count_queries()
        few = count_queries()
        for _i in range(30):
            self._request(at(2025, 9, 29, 1, 0))
        count_queries()
        self.assertEqual(count_queries(), few)
        self.assertLessEqual(few, 10)


@tagged("post_install", "-at_install")
class TestKamServiceAccessAndMail(KamServiceCommon):

    def test_access_per_group(self):
        request = self._request(at(2025, 9, 29, 1, 0))
        other = self._request(at(2025, 9, 29, 1, 0), partner_id=self.account_2.id,
                              requester_id=False)
        Request = self.Request
        # team member: nothing until dispatched to their team
        self.assertFalse(Request.with_user(self.user_tech).search([("id", "in", (request | other).ids)]))
        self.env["kam.service.dispatch"].create({
            "request_id": request.id, "team_id": self.team_noc.id, "instruction": "Check"})
        self.assertEqual(Request.with_user(self.user_tech).search(
            [("id", "in", (request | other).ids)]), request)
        # the KAM of another account sees only theirs
        self.assertEqual(Request.with_user(self.user_kam_2).search(
            [("id", "in", (request | other).ids)]), other)
        with self.assertRaises(AccessError):
            request.with_user(self.user_kam_2).read(["subject"])
        # a director of another company sees neither
        self.assertFalse(Request.with_user(self.user_director_2).search(
            [("id", "in", (request | other).ids)]))
        self.assertEqual(Request.with_user(self.user_director).search(
            [("id", "in", (request | other).ids)]), request | other)
        # a service user cannot edit the SLA matrix
        with self.assertRaises(AccessError):
            self.policy_a_normal.with_user(self.user_tech).write({"response_hours": 99})

    def test_mail_alias_known_and_unknown_sender(self):
        alias = self.env.ref("key_account_management.mail_alias_kam_service_request")
        self.assertEqual(alias.alias_contact, "partners")
        self.account_contact.email = "alice.buyer@acme.example.com"
        domain = alias.alias_domain_id.name or "example.com"
        template = (
            "From: {sender}\r\nTo: {to}@{domain}\r\nSubject: {subject}\r\n"
            "Message-ID: <{mid}@acme.example.com>\r\nContent-Type: text/plain\r\n\r\n{body}\r\n")
        MailThread = self.env["mail.thread"]
        mail = template.format(sender="Alice Buyer <alice.buyer@acme.example.com>",
                               to=alias.alias_name, domain=domain, subject="VPN down",
                               mid="kamt1", body="Our VPN is down since 9:00.")
        res_id = MailThread.message_process("kam.service.request", mail)
        request = self.Request.browse(res_id)
        self.assertEqual(request.partner_id, self.account)
        self.assertEqual(request.requester_id, self.account_contact)
        self.assertEqual(request.channel, "email")
        self.assertEqual(request.subject, "VPN down")
        # a reply threads into the request
        reply = template.format(sender="Alice Buyer <alice.buyer@acme.example.com>",
                                to=alias.alias_name, domain=domain, subject="Re: VPN down",
                                mid="kamt2", body="Still down.").replace(
            "Content-Type", "In-Reply-To: <kamt1@acme.example.com>\r\nContent-Type")
        MailThread.message_process("kam.service.request", reply)
        self.assertTrue(request.message_ids.filtered(lambda m: "Still down" in (m.body or "")))
        # an unknown sender: no request
        count = self.Request.search_count([])
        unknown = template.format(sender="spam@nowhere.example.com", to=alias.alias_name,
                                  domain=domain, subject="Buy now", mid="kamt3", body="x")
        with self.assertRaises(ValueError):
            MailThread.message_process(False, unknown)
        self.assertEqual(self.Request.search_count([]), count)


@tagged("post_install", "-at_install")
class TestKamServiceDemo(TransactionCase):
    """The green channel's demo tells its story as of the day it was installed: the
    clocks were computed then (no cron has run since in a test database)."""

    def _demo(self, xmlid):
        return self.env.ref(f"key_account_management.{xmlid}", raise_if_not_found=False)

    def test_demo_requests_breach_only_where_the_story_says(self):
        bank = self._demo("kam_demo_service_request_bank_outage")
        if not bank:
            return  # a database without demo data: nothing to check
        # resolved within its service level yesterday, confirmed and rated since
        self.assertEqual(bank.state, "confirmed")
        self.assertEqual([bank[f"{c}_status"] for c in ("response", "resolution",
                                                        "confirmation")], ["met"] * 3)
        self.assertFalse(bank.is_breached)
        self.assertLess(bank.request_date, bank.response_reached_date)
        self.assertLess(bank.response_reached_date, bank.response_deadline)
        self.assertEqual(bank.completed_date, bank.resolution_reached_date)
        self.assertLess(bank.resolution_reached_date, bank.resolution_deadline)
        self.assertLess(bank.completed_date, bank.confirmation_reached_date)
        self.assertTrue(all(d.state == "done" and d.done_date <= bank.completed_date
                            and not d.is_late for d in bank.dispatch_ids))
        self.assertEqual(bank.satisfaction, 5)
        self.assertTrue(bank.return_visit_id)
        # in progress, within its service level
        move = self._demo("kam_demo_service_request_auto_move")
        self.assertEqual(move.state, "in_progress")
        self.assertEqual(move.response_status, "met")
        self.assertEqual(move.resolution_status, "running")
        self.assertFalse(move.is_breached)
        self.assertLess(move.create_date, move.resolution_deadline)
        # the one breach: the hospital's resolution, with its reason, told to the KAM
        hospital = self._demo("kam_demo_service_request_hospital_install")
        self.assertEqual(hospital.state, "in_progress")
        self.assertEqual(hospital.response_status, "met")
        self.assertEqual(hospital.resolution_status, "breached")
        self.assertTrue(hospital.escalation_kam_date)
        field_user = self._demo("kam_demo_user_field")
        reason = hospital.message_ids.filtered(lambda m: m.author_id == field_user.partner_id)
        self.assertIn("back-ordered", str(reason.body))
        self.assertTrue(hospital.message_ids.filtered(lambda m: "take charge" in str(m.body)))
        billing = self._demo("kam_demo_service_request_auto_billing")
        self.assertEqual((billing.state, billing.response_status), ("new", "running"))
        demo_requests = bank | move | hospital | billing
        self.assertEqual(demo_requests.filtered("is_breached"), hospital)

    def test_demo_clocks_count_shanghai_office_hours(self):
        hospital = self._demo("kam_demo_service_request_hospital_install")
        if not hospital:
            return  # a database without demo data: nothing to check
        # the demo companies work in Shanghai: the working-time clocks count its hours
        for company in (self.env.ref("base.main_company"),
                        self._demo("kam_demo_company_mfg")):
            self.assertEqual(company.resource_calendar_id.tz, "Asia/Shanghai", company.name)
        self.assertNotEqual(self.env.ref("base.main_company").resource_calendar_id,
                            self.env.ref("resource.resource_calendar_std"),
                            "Odoo's standard calendar is left to the other modules")
        for xmlid in ("kam_demo_service_request_auto_move",
                      "kam_demo_service_request_hospital_install",
                      "kam_demo_service_request_auto_billing"):
            request = self._demo(xmlid)
            self.assertEqual(request.sla_calendar_id.tz, "Asia/Shanghai", xmlid)
            for clock in ("response", "resolution"):
                local = fields.Datetime.context_timestamp(
                    request.with_context(tz="Asia/Shanghai"), request[f"{clock}_deadline"])
                # a working-time deadline falls within the office hours (09:00-18:00)
                self.assertTrue(
                    local.weekday() < 5 and (9, 0) <= (local.hour, local.minute) <= (18, 0),
                    f"{xmlid}: {clock} deadline {local} outside the Shanghai office hours")
