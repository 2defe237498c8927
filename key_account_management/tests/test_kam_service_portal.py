"""Green channel in the portal (HTTP) and the browser tours of the service flow."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import new_test_user, tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamServicePortal(KamHttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.company
        cls.tier = env["kam.tier"].create({
            "name": "KAMT Portal Tier", "code": "KPT", "response_sla_hours": 2,
            "resolution_sla_hours": 8})
        cls.kam = new_test_user(
            env, login="kamt_portal_kam", name="Pat KAM", password="kamt_portal_kam",
            groups="key_account_management.key_account_management_group_manager")
        Partner = env["res.partner"]
        cls.account = Partner.create({"name": "KAMT Portal Bank", "is_company": True})
        cls.account.with_company(company).write({
            "kam_state": "registered", "kam_tier_id": cls.tier.id, "kam_manager_id": cls.kam.id})
        cls.other_account = Partner.create({"name": "KAMT Other Corp", "is_company": True})
        cls.other_account.with_company(company).write({
            "kam_state": "registered", "kam_tier_id": cls.tier.id, "kam_manager_id": cls.kam.id})
        cls.contact = Partner.create({"name": "Carla Contact", "parent_id": cls.account.id,
                                      "email": "carla@kamt-bank.example.com"})
        cls.other_contact = Partner.create({"name": "Oscar Other",
                                            "parent_id": cls.other_account.id,
                                            "email": "oscar@kamt-other.example.com"})
        cls.portal_user = new_test_user(
            env, login="kamt_portal_carla", password="kamt_portal_carla",
            groups="base.group_portal", partner_id=cls.contact.id)
        cls.other_portal_user = new_test_user(
            env, login="kamt_portal_oscar", password="kamt_portal_oscar",
            groups="base.group_portal", partner_id=cls.other_contact.id)
        Request = env["kam.service.request"]
        cls.request = Request.create({
            "subject": "Tour completed request", "partner_id": cls.account.id,
            "requester_id": cls.contact.id, "resolution": "<p>Fixed</p>"})
        cls.request.action_complete()

    def csrf_token(self):
        return Request.csrf_token(self)

    def test_contact_of_the_account_sees_and_confirms(self):
        self.authenticate("kamt_portal_carla", "kamt_portal_carla")
        res = self.url_open("/my/service_requests")
        self.assertEqual(res.status_code, 200)
        self.assertIn(self.request.name, res.text)
        res = self.url_open(f"/my/service_requests/{self.request.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Tour completed request", res.text)
        res = self.url_open(f"/my/service_requests/{self.request.id}/confirm",
                            data={"rating": "9", "csrf_token": self.csrf_token()})
        self.assertEqual(self.request.state, "completed", "a rating outside 1-5 is refused")
        res = self.url_open(f"/my/service_requests/{self.request.id}/confirm",
                            data={"rating": "5", "comment": "Great",
                                  "csrf_token": self.csrf_token()})
        self.assertEqual(res.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "confirmed")
        self.assertEqual(self.request.satisfaction, 5)
        self.assertEqual(self.request.confirmation_mode, "portal")
        self.assertEqual(self.request.confirmed_by_partner_id, self.contact)
        self.assertEqual(self.request.rating_last_value, 5)

    def test_contact_files_a_request(self):
        self.authenticate("kamt_portal_carla", "kamt_portal_carla")
        res = self.url_open("/my/service_requests/new", data={
            "subject": "KAMT portal filed", "priority": "2", "description": "Help",
            "csrf_token": self.csrf_token()})
        self.assertEqual(res.status_code, 200)
        filed = self.env["kam.service.request"].search([("subject", "=", "KAMT portal filed")])
        self.assertEqual(filed.partner_id, self.account)
        self.assertEqual(filed.requester_id, self.contact)
        self.assertEqual(filed.channel, "portal")
        self.assertTrue(filed.response_deadline)

    def test_refused_confirmation_leaves_nothing_half_written(self):
        """A confirmation refused after the rating is written (here: by a later step of the
        flow) leaves neither a rating nor a message nor a state: the controller's savepoint
        (issue 20). Without it the request's transaction keeps the rating."""
        Model = type(self.env["kam.service.request"])
        original = Model.rating_apply

        def rating_then_refused(record, *args, **kwargs):
            original(record, *args, **kwargs)
            raise UserError("refused after the rating")  # pylint: disable=translation-required

        messages = self.request.message_ids
        self.authenticate("kamt_portal_carla", "kamt_portal_carla")
        with patch.object(Model, "rating_apply", rating_then_refused):
            res = self.url_open(f"/my/service_requests/{self.request.id}/confirm",
                                data={"rating": "5", "comment": "Half",
                                      "csrf_token": self.csrf_token()})
        self.assertEqual(res.status_code, 200)
        self.assertIn("refused after the rating", res.url.replace("%20", " "))
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "completed")
        self.assertFalse(self.request.satisfaction)
        self.assertFalse(self.env["rating.rating"].search([
            ("res_model", "=", "kam.service.request"), ("res_id", "=", self.request.id),
            ("rating", ">", 0)]))
        self.assertEqual(self.request.message_ids, messages)

    def test_refused_request_leaves_nothing_half_written(self):
        """A request refused after its creation (a later step of the flow) is not left
        behind: the controller's savepoint (issue 20)."""
        Model = type(self.env["kam.service.request"])
        original = Model.create

        def created_then_refused(model, vals_list):
            original(model, vals_list)
            raise UserError("refused after the creation")  # pylint: disable=translation-required

        self.authenticate("kamt_portal_carla", "kamt_portal_carla")
        with patch.object(Model, "create", created_then_refused):
            res = self.url_open("/my/service_requests/new", data={
                "subject": "KAMT half written", "priority": "1",
                "csrf_token": self.csrf_token()})
        self.assertEqual(res.status_code, 200)
        self.assertIn("refused after the creation", res.text)
        self.assertFalse(self.env["kam.service.request"].search(
            [("subject", "=", "KAMT half written")]))

    def test_other_account_and_public_get_nothing(self):
        self.authenticate("kamt_portal_oscar", "kamt_portal_oscar")
        res = self.url_open(f"/my/service_requests/{self.request.id}")
        self.assertEqual(res.status_code, 404)
        self.assertNotIn(self.request.name, res.text)
        res = self.url_open("/my/service_requests")
        self.assertNotIn(self.request.name, res.text)
        res = self.url_open(f"/my/service_requests/{self.request.id}/confirm",
                            data={"rating": "5", "csrf_token": self.csrf_token()})
        self.assertEqual(res.status_code, 404)
        self.assertEqual(self.request.state, "completed")
        self.authenticate(None, None)
        res = self.url_open(f"/my/service_requests/{self.request.id}")
        self.assertEqual(res.status_code, 404)
        self.assertNotIn(self.request.name, res.text)
        res = self.url_open(f"/my/service_requests/{self.request.id + 100000}")
        self.assertEqual(res.status_code, 404)

    def test_tour_portal_contact_files_and_confirms(self):
        self.start_tour("/my/service_requests", "kam_service_portal_tour",
                        login="kamt_portal_carla")
        self.assertEqual(self.request.state, "confirmed")
        self.assertEqual(self.request.satisfaction, 4)
        self.assertTrue(self.env["kam.service.request"].search(
            [("subject", "=", "Tour: VPN to the data centre is down")]))

    def test_tour_kam_dispatches_and_team_completes(self):
        member = new_test_user(
            self.env, login="kamt_portal_tech", password="kamt_portal_tech",
            name="Terry Tech",
            groups="key_account_management.key_account_management_group_service")
        team = self.env["kam.service.team"].create(
            {"name": "Tour Field Team", "member_ids": [(6, 0, member.ids)]})
        Request = self.env["kam.service.request"]
        printer = Request.create({"subject": "Tour printer down", "partner_id": self.account.id})
        self.start_tour("/odoo/action-key_account_management.kam_service_request_action",
                        "kam_service_kam_tour", login="kamt_portal_kam")
        self.assertEqual(printer.state, "dispatched")
        self.assertEqual(printer.dispatch_ids.team_id, team)
        router = Request.create({"subject": "Tour router down", "partner_id": self.account.id})
        self.env["kam.service.dispatch"].create(
            {"request_id": router.id, "team_id": team.id, "instruction": "Swap it"})
        self.start_tour("/odoo/action-key_account_management.kam_service_dispatch_action_my",
                        "kam_service_team_tour", login="kamt_portal_tech")
        self.assertEqual(router.state, "completed")
        self.assertEqual(router.completed_by_id, member)
