"""An urgent request reaches the KAM and the team at once, and the kanban counts its time
left as the service level does: in hours and minutes."""

from unittest.mock import patch

from odoo.tests import Form, tagged

from .test_kam_service_request import NOW_PATH, KamServiceCommon, at


@tagged("post_install", "-at_install")
class TestKamServiceNotify(KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.kam_manager_id = cls.user_kam
        cls.user_kam.lang = "en_US"

    def test_urgent_request_notifies_the_kam_and_the_team(self):
        # filed by the customer on the portal: created as the system for the contact
        request = self._request(at(2025, 9, 29, 1, 0), priority="3",
                                category_id=self.category_outage.id)
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 2, 0))
        followers = request.message_partner_ids
        for user in (self.user_kam, self.user_tech):
            self.assertIn(user.partner_id, followers)
        notes = request.message_ids.filtered(lambda m: "response is due" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn(self.user_kam.partner_id, notes.partner_ids)
        self.assertIn(self.user_tech.partner_id, notes.partner_ids)
        activities = request.activity_ids
        self.assertEqual(activities.user_id, self.user_kam | self.user_tech)  # KAM, leader
        # due the day of the response deadline at the office (Shanghai: 29 September)
        self.assertEqual(set(activities.mapped("date_deadline")),
                         {at(2025, 9, 29).date()})

    def test_urgent_request_recorded_after_its_deadline(self):
        """Recorded (by phone, an import) after its response deadline: the note says
        by how much the response is overdue, not that it "is due in 2 h overdue"."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        self.user_tech.lang = "zh_CN"
        values = {"subject": "Line down", "partner_id": self.account.id,
                  "requester_id": self.account_contact.id, "priority": "3",
                  "category_id": self.category_outage.id,
                  "request_date": at(2025, 9, 29, 1, 0)}
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 4, 30)):
            request = self.Request.create(values)
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 2, 0))
        english = request.message_ids.filtered(
            lambda m: self.user_kam.partner_id in m.partner_ids)
        self.assertIn("The response is overdue by 2 h 30 min.", english.body)
        self.assertNotIn("due in", english.body)
        chinese = request.message_ids.filtered(
            lambda m: self.user_tech.partner_id in m.partner_ids)
        self.assertIn("响应已超时 2 小时 30 分钟。", chinese.body)
        self.assertNotIn("须在", chinese.body)

    def test_normal_request_followed_without_alarm(self):
        request = self._request(at(2025, 9, 29, 1, 0), priority="1",
                                category_id=self.category_outage.id)
        self.assertIn(self.user_kam.partner_id, request.message_partner_ids)
        self.assertIn(self.user_tech.partner_id, request.message_partner_ids)
        self.assertFalse(request.activity_ids)

    def test_time_left_in_hours_and_minutes(self):
        request = self._request(at(2025, 9, 29, 1, 0), priority="3")
        self.assertEqual(request.next_deadline, at(2025, 9, 29, 2, 0))
        for now, text in ((at(2025, 9, 29, 1, 30), "30 min"),
                          (at(2025, 9, 28, 23, 50), "2 h 10 min"),
                          (at(2025, 9, 29, 2, 45), "45 min overdue"),
                          (at(2025, 9, 26, 1, 0), "3 d 1 h")):
            with self.subTest(now=now), patch(NOW_PATH, return_value=now):
                request.invalidate_recordset(["time_left"])
                self.assertEqual(request.time_left, text)

    def test_dispatch_button_opens_a_new_line_for_the_team(self):
        request = self._request(at(2025, 9, 29, 1, 0), category_id=self.category_outage.id)
        action = request.with_user(self.user_kam).action_open_dispatch()
        self.assertEqual((action["res_model"], action["target"]), ("kam.service.dispatch", "new"))
        dispatch = Form(self.env["kam.service.dispatch"].with_user(self.user_kam).with_context(
            **action["context"]), view=action["views"][0][0])
        self.assertEqual(dispatch.team_id, self.team_noc)
        dispatch.instruction = "Check the aggregation node"
        line = dispatch.save()
        self.assertEqual(line.request_id, request)
        self.assertEqual(request.state, "dispatched")

    def test_sla_matrix_groups_do_not_add_up_hours(self):
        """The list's group rows (by tier, priority) show no sum of hours: the web client
        sums the fields that fields_get gives an aggregator."""
        described = self.Policy.fields_get(
            ["response_hours", "resolution_hours", "confirmation_hours"], ["aggregator"])
        for fname, attrs in described.items():
            with self.subTest(field=fname):
                self.assertFalse(attrs.get("aggregator"))
