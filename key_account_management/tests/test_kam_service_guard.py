"""The green channel's figures are the flow's: the clocks, the completion, the confirmation
and the customer's satisfaction feed the health, the SLA compliance and every KAM's
scorecard, so no user writes them by hand, over any path (a ``write`` as the user is
what JSON-2 and JSON-RPC do; an import is ``load``)."""

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_kam_service_request import NOW_PATH, KamServiceCommon, at


@tagged("post_install", "-at_install")
class TestKamServiceGuard(KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.kam_manager_id = cls.user_kam

    def _dispatched(self):
        request = self._request(at(2025, 9, 29, 1, 0))
        self.env["kam.service.dispatch"].create({
            "request_id": request.id, "team_id": self.team_noc.id, "instruction": "Check"})
        return request

    def test_clocks_and_completion_refused_to_the_kam_and_the_service_user(self):
        request = self._dispatched()
        for user in (self.user_kam, self.user_tech, self.user_director):
            mine = request.with_user(user)
            for vals in ({"resolution_status": "met"},
                         {"resolution_deadline": at(2026, 1, 1)},
                         {"response_reached_date": at(2025, 9, 29, 1, 5)},
                         {"paused_hours": 40.0},
                         {"completed_date": at(2025, 9, 29, 2, 0)},
                         {"confirmed_by_partner_id": self.account_contact.id},
                         {"escalation_kam_date": at(2025, 9, 29, 2, 0)},
                         {"request_date": at(2025, 10, 29, 1, 0)}):
                with self.subTest(user=user.login, vals=vals), \
                        self.assertRaises(AccessError):
                    mine.write(vals)
        self.assertEqual(request.resolution_status, "running")
        self.assertFalse(request.completed_date)
        # an import is refused the same way
        xmlid = request.export_data(["id"])["datas"][0][0]
        result = self.Request.with_user(self.user_kam).load(
            ["id", "resolution_status"], [[xmlid, "met"]])
        self.assertFalse(result["ids"])
        self.assertEqual(request.resolution_status, "running")

    def test_state_jumps_refused_kanban_moves_kept(self):
        request = self._dispatched().with_user(self.user_kam)
        request.write({"resolution": "<p>Card replaced</p>"})
        for state in ("completed", "confirmed", "waiting", "cancelled"):
            with self.subTest(state=state), self.assertRaises(UserError):
                request.write({"state": state, "cancel_reason": "x"})
        self.assertEqual(request.state, "dispatched")
        # between the steps of the work, a drag in the kanban still moves it
        request.write({"state": "in_progress"})
        self.assertEqual(request.state, "in_progress")
        # a new request starts as New, over the API too
        with self.assertRaises(UserError):
            self.Request.with_user(self.user_kam).create({
                "subject": "Forged", "partner_id": self.account.id, "state": "confirmed"})
        # the buttons take the steps with their rules and clocks
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_complete()
        self.assertEqual(request.state, "completed")
        self.assertEqual(request.resolution_status, "met")
        with self.assertRaises(UserError):
            request.write({"state": "in_progress"})

    def test_satisfaction_only_while_awaiting_confirmation(self):
        request = self._dispatched().with_user(self.user_kam)
        with self.assertRaises(AccessError):
            request.write({"satisfaction": 5})
        request.write({"resolution": "<p>Card replaced</p>"})
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_complete()
        # the KAM records what the customer said on the phone, then confirms
        request.write({"satisfaction": 4, "satisfaction_comment": "Good"})
        request.action_confirm_phone()
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.satisfaction, 4)
        self.assertEqual(request.confirmation_recorded_by_id, self.user_kam)
        for vals in ({"satisfaction": 5}, {"satisfaction_comment": "Excellent"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                request.write(vals)
        self.assertEqual(request.satisfaction, 4)
        with self.assertRaises(AccessError):
            self.Request.with_user(self.user_kam).create({
                "subject": "Rated", "partner_id": self.account.id, "satisfaction": 5})

    def test_request_stays_with_its_customer(self):
        request = self._dispatched()
        for user in (self.user_kam, self.user_director):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                request.with_user(user).write(
                    {"partner_id": self.account_2.id, "requester_id": False})
        self.assertEqual(request.partner_id, self.account)

    def test_portal_confirmation_is_private_and_the_customers(self):
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>done</p>")
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_complete()
        self.assertFalse(hasattr(request, "action_confirm_portal"))
        # not in a customer's name by someone else's contact
        stranger = self.env["res.partner"].create(
            {"name": "Stranger", "parent_id": self.account_2.id})
        with self.assertRaises(AccessError):
            request._confirm_portal(stranger, 5)
        self.assertEqual(request.state, "completed")

    def test_rating_tokens_are_the_systems(self):
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>done</p>")
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_complete()
        token = request._rating_get_access_token()
        self.assertTrue(token)
        ratings = request.rating_ids
        for user in (self.user_kam, self.user_director, self.user_director_2, self.user_tech):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ratings.with_user(user).read(["access_token"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["rating.rating"].with_user(user).search(
                    [("access_token", "=", token)])
        # a forged rating with a token of one's own cannot be made either
        with self.assertRaises(AccessError):
            self.env["rating.rating"].with_user(self.user_kam).create({
                "res_model_id": self.env["ir.model"]._get_id(request._name),
                "res_id": request.id, "partner_id": self.account_contact.id,
                "access_token": "forged"})
        self.assertEqual(request.state, "completed")

    def test_pause_and_dispatch_steps_are_their_buttons(self):
        request = self._dispatched()
        line = request.dispatch_ids
        with self.assertRaises(AccessError):
            line.with_user(self.user_tech).write({"state": "done"})
        with self.assertRaises(AccessError):
            line.with_user(self.user_kam).write({"done_date": at(2025, 9, 29, 2, 0)})
        line.with_user(self.user_tech).action_accept()
        self.assertEqual(line.state, "accepted")
        pause = self.env["kam.service.pause"].with_user(self.user_kam).create(
            {"request_id": request.id, "reason": "Waiting for the site access"})
        self.assertEqual(request.state, "waiting")
        for vals in ({"date_from": at(2025, 9, 20)}, {"paused_hours": 100.0},
                     {"date_to": at(2025, 9, 29, 3, 0)}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                pause.with_user(self.user_kam).write(vals)
        with self.assertRaises(AccessError):
            self.env["kam.service.pause"].with_user(self.user_kam).create(
                {"request_id": request.id, "reason": "Backdated",
                 "date_from": at(2025, 9, 1)})
        pause.with_user(self.user_kam).action_end()
        self.assertEqual(request.state, "in_progress")
