"""One trust notion (issue 20): the flow token of our own flows, or the system itself
(uid 1 outside another user's request). ``sudo()`` is not trusted, nor the superuser
serving a customer's portal request; each guard of the models holds against both, as
the real users of each group; the flow token still passes; a rating of a service
request is read by who reads the request and written by the rating flow only."""

import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from ..models import kam_flow_mixin
from ..models.kam_flow_mixin import kam_acting_user, kam_flow, kam_has_group, kam_trusted
from .test_kam_service_request import NOW_PATH, KamServiceCommon, at

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"
ADDON = Path(__file__).resolve().parent.parent
# the uses of ``env.su`` left in the addon: none decides a write of ours
ENV_SU_ALLOWED = {
    # read side: the tier's colour on the kanban cards, shown to the system and sales
    ("models/res_partner_scoring.py", "show = self.env.su or self.env.user.has_group(SALES_GROUP)"),
    # read side: whether the needs tab is shown (a flag of the form, no write)
    ("models/kam_account_plan.py", "if self.env.su or self.env.user.has_group(DIRECTOR_GROUP):"),
    # the visit's calendar mirror keeps Odoo's superuser mode of a system flow (calendar's
    # own rules), it exempts nothing of ours
    ("models/kam_visit.py", "self.env.su).with_context("),
    # the docstring of the trust notion
    ("models/kam_flow_mixin.py", "``sudo()`` environment of a user is not trusted (``env.su`` is never a"),
}


def _api(record, user, method, *args, **kwargs):
    """``method`` of ``record`` called by ``user`` as the external API calls it."""
    return call_kw(record.env[record._name].with_user(user), method, [record.ids, *args],
                   dict(kwargs, context=dict(
                       kwargs.pop("context", {}), allowed_company_ids=user.company_ids.ids)))


@tagged("post_install", "-at_install")
class TestKamTrust(KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_credit_ratings("TRU")
        cls.portal = new_test_user(cls.env, login="kamt_trust_portal",
                                   groups="base.group_portal",
                                   partner_id=cls.account_contact.id)
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Gamma Logistics", "is_company": True})
        cls.prospect.kam_state = "candidate"
        cls.stakeholder = cls.env["kam.stakeholder"].create(
            {"partner_id": cls.account.id, "contact_id": cls.account_contact.id})
        cls.user_kam.tz = cls.user_director.tz = cls.env.company._kam_tz()

    @contextmanager
    def _portal_request(self, user=None):
        """As inside an HTTP request of ``user`` (the portal contact by default): what
        Odoo's portal signature, payment and /rate routes run in when they switch to
        the superuser."""
        fake = SimpleNamespace(env=SimpleNamespace(uid=(user or self.portal).id))
        with patch.object(kam_flow_mixin, "request", fake):
            yield

    def _nomination(self):
        return self.env["kam.nomination"].with_user(self.user_salesman).create({
            "partner_id": self.prospect.id, "reason": "Orders doubled",
            "proposed_tier_id": self.tier_b.id, "proposed_manager_id": self.user_kam.id,
        }).with_env(self.env)

    def _plan(self, state="draft"):
        Visit = self.env["kam.visit"]
        plan = self.env["kam.visit.plan"].create({"user_id": self.user_kam.id})
        day = plan.date_start
        start = Visit._utc_datetime(day, 12, self.user_kam)
        Visit.create({"partner_id": self.account.id, "user_id": self.user_kam.id,
                      "plan_id": plan.id, "date_start": start,
                      "date_end": start + timedelta(hours=1), "expense_planned": 100})
        if state != "draft":
            plan.with_user(self.user_kam).action_submit()
        return plan

    # ---- the notion ----
    def test_who_is_trusted(self):
        self.assertTrue(kam_trusted(self.env), "the system outside any request")
        kam = self.env["res.partner"].with_user(self.user_kam)
        self.assertFalse(kam_trusted(kam.env))
        self.assertFalse(kam_trusted(kam.sudo().env), "sudo() is no permission")
        self.assertEqual(kam_acting_user(kam.sudo().env), self.user_kam)
        self.assertFalse(kam_has_group(self.env["res.partner"].with_user(
            self.user_kam).sudo().env, GROUP_DIRECTOR))
        self.assertTrue(kam_trusted(kam_flow(kam).env), "our own flow")
        self.assertTrue(kam_trusted(kam_flow(kam.sudo()).env))
        # a client cannot send the token: the API carries plain values
        for value in (True, 1, "KAM_FLOW"):
            self.assertFalse(kam_trusted(kam.with_context(kam_flow=value).env))
        with self._portal_request():
            self.assertEqual(self.env.uid, SUPERUSER_ID)
            self.assertFalse(kam_trusted(self.env), "uid 1 serving a customer's request")
            self.assertEqual(kam_acting_user(self.env), self.portal)
            self.assertFalse(kam_has_group(self.env, GROUP_DIRECTOR),
                             "the superuser is not a director there")
            self.assertTrue(kam_trusted(kam_flow(self.account).env))
            # a scheduled action run by the system from an administrator's screen (Run
            # Manually) is the system: the scheduler's private object says so
            cron = self.env.ref("key_account_management.ir_cron_kam_recompute")
            run, _progress = cron._add_progress()
            self.assertTrue(kam_trusted(run.env))
            self.assertFalse(kam_trusted(self.env["ir.cron"].with_context(
                ir_cron_progress_id=_progress.id, cron_id=cron.id).env))
            self.assertFalse(kam_trusted(run.with_user(self.user_kam).env))

    # ---- nominations ----
    def test_sudo_kam_cannot_decide_a_nomination(self):
        nomination = self._nomination()
        self.assertEqual(self.prospect.kam_state, "nominated", "the nomination's own flow")
        as_kam = nomination.with_user(self.user_kam).sudo()
        with self.assertRaisesRegex(AccessError, "Only a Key Account Director"):
            as_kam.action_approve()
        with self.assertRaisesRegex(AccessError, "Only a Key Account Director"):
            as_kam.write({"state": "approved", "decided_by_id": self.user_kam.id})
        with self.assertRaisesRegex(AccessError, "Only a Key Account Director"):
            self.env["kam.nomination"].with_user(self.user_kam).sudo().create({
                "partner_id": self.account_2.id, "reason": "x", "state": "approved"})
        with self._portal_request(), self.assertRaisesRegex(AccessError, "Director"):
            nomination.action_approve()
        self.assertEqual(nomination.state, "to_approve")
        # a director still decides
        nomination.with_user(self.user_director).action_approve()
        self.assertEqual(nomination.state, "approved")
        self.assertEqual(self.prospect.kam_state, "registered")

    # ---- visit plans ----
    def test_sudo_kam_cannot_move_a_visit_plan(self):
        plan = self._plan(state="submitted")
        as_kam = plan.with_user(self.user_kam).sudo()
        with self.assertRaisesRegex(UserError, "Only a Key Account Director"):
            as_kam.write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "Only a Key Account Director"):
            as_kam.write({"reviewer_id": self.user_kam.id})
        with self.assertRaisesRegex(UserError, "Only a Key Account Director"):
            as_kam.write({"review_comment": "Fine by me"})
        with self.assertRaisesRegex(UserError, "Only a Key Account Director"):
            as_kam.action_approve()
        with self.assertRaisesRegex(UserError, "cannot become"):
            as_kam.write({"state": "draft"})
        with self._portal_request(), self.assertRaisesRegex(UserError, "Director"):
            plan.write({"state": "approved"})
        self.assertEqual(plan.state, "submitted")
        # the budget of a submitted plan is fixed for sudo() too
        with self.assertRaises(UserError):
            plan.visit_ids.with_user(self.user_kam).sudo().write({"expense_planned": 1000})
        plan.with_user(self.user_director).action_approve()
        self.assertEqual(plan.state, "approved")
        # the system (uid 1, no request) is trusted
        plan.write({"state": "draft"})
        self.assertEqual(plan.state, "draft")

    # ---- fixed links, registry, credit ----
    def test_sudo_kam_cannot_move_fixed_links(self):
        with self.assertRaisesRegex(UserError, "cannot be changed once the record exists"):
            self.stakeholder.with_user(self.user_kam).sudo().write(
                {"partner_id": self.account_2.id})
        with self._portal_request(), \
                self.assertRaisesRegex(UserError, "cannot be changed once the record exists"):
            self.stakeholder.write({"partner_id": self.account_2.id})
        self.assertEqual(self.stakeholder.partner_id, self.account)

    def test_sudo_kam_cannot_write_registry_or_credit(self):
        account = self.account.with_user(self.user_kam).sudo()
        for vals in ({"kam_tier_id": self.tier_c.id}, {"kam_state": "none"},
                     {"kam_manager_id": self.user_kam_2.id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "Director"):
                account.write(vals)
        for vals in ({"kam_credit_rating_id": self.rating_aa.id}, {"kam_credit_rating": "c"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "Credit Rating"):
                account.write(vals)
        with self._portal_request(), self.assertRaisesRegex(AccessError, "Credit Rating"):
            self.account.write({"kam_credit_rating_id": self.rating_aa.id})
        with self._portal_request(), self.assertRaisesRegex(AccessError, "Director"):
            self.account.write({"kam_tier_id": self.tier_c.id})
        self.assertEqual(self.account.kam_tier_id, self.tier_a)
        self.assertFalse(self.account.kam_credit_rating_id)

    def test_credit_request_on_the_flow_token(self):
        Request = self.env["kam.credit.rating.request"]
        with self.assertRaisesRegex(AccessError, "set by its buttons only"):
            Request.with_user(self.user_kam).sudo().create({
                "partner_id": self.account.id, "new_rating_id": self.rating_aa.id,
                "reason": "Paid on time", "state": "approved"})
        request = Request.with_user(self.user_kam).create({
            "partner_id": self.account.id, "new_rating_id": self.rating_aa.id,
            "reason": "Paid on time"})
        request.action_submit()
        for vals in ({"state": "approved"}, {"decided_by_id": self.user_kam.id}):
            with self.subTest(vals=vals), \
                    self.assertRaisesRegex(AccessError, "set by its buttons only"):
                request.sudo().write(vals)
            with self.subTest(vals=vals, api=True), \
                    self.assertRaisesRegex(AccessError, "set by its buttons only"):
                _api(request, self.user_kam, "write", vals, context={
                    "kam_flow": True, "kam_credit_request_flow": True})
        with self.assertRaisesRegex(AccessError, "Only a Key Account Director"):
            request.sudo().action_approve()
        with self._portal_request(), self.assertRaisesRegex(AccessError, "Director"):
            request.with_user(SUPERUSER_ID).action_approve()
        # the director's approval writes the account's rating through the flow token
        request.with_user(self.user_director).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.user_director)
        self.assertEqual(self.account.kam_credit_rating_id, self.rating_aa)
        self.assertEqual(self.account.credit_limit, self.rating_aa.credit_limit)

    # ---- ratings of service requests ----
    def _rated_request(self):
        self.account_contact.email = "kamt.trust@acme-telecom.example.com"
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>Line card</p>")
        if not request.dispatch_ids.filtered(lambda d: d.team_id == self.team_noc):
            self.env["kam.service.dispatch"].create(
                {"request_id": request.id, "team_id": self.team_noc.id,
                 "instruction": "Check the line card"})
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 2, 0)):
            request.action_complete()
        rating = self.env["rating.rating"].search(
            [("res_model", "=", request._name), ("res_id", "=", request.id)])
        self.assertEqual(len(rating), 1, "the completion asked the requester")
        self.assertEqual(rating.kam_request_id, request)
        return request, rating

    def test_request_rating_read_by_request_readers_only(self):
        _request, rating = self._rated_request()
        other = self.env["rating.rating"].create({
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.account_2.id, "partner_id": self.account_2.id})
        outsider = new_test_user(self.env, login="kamt_trust_employee", groups="base.group_user")
        for user in (outsider, self.user_salesman, self.user_kam_2, self.user_tech_2):
            with self.subTest(user=user.login):
                Rating = self.env["rating.rating"].with_user(user)
                self.assertFalse(Rating.search([("id", "=", rating.id)]))
                with self.assertRaises(AccessError):
                    rating.with_user(user).read(["rating", "feedback"])
                # another document's rating stays as Odoo has it
                self.assertEqual(Rating.search([("id", "=", other.id)]), other)
                other.with_user(user).write({"feedback": "Fine"})
        for user in (self.user_kam, self.user_director):
            with self.subTest(user=user.login):
                self.assertEqual(self.env["rating.rating"].with_user(user).search(
                    [("id", "=", rating.id)]), rating)
        self.assertEqual(self.env["rating.rating"].with_user(self.user_tech).search(
            [("id", "=", rating.id)]), rating, "the dispatched technician reads it")

    def test_request_rating_written_by_the_rating_flow_only(self):
        request, rating = self._rated_request()
        for user in (self.user_kam, self.user_director):
            for vals in ({"rating": 5}, {"feedback": "Perfect"}, {"consumed": True},
                         {"res_id": self.account.id}):
                with self.subTest(user=user.login, vals=vals), \
                        self.assertRaisesRegex(AccessError, "given by the customer only"):
                    _api(rating, user, "write", vals)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                _api(request, user, "rating_apply", 5, rating=rating.id)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                _api(request, user, "message_post", body="5 stars", rating_value=5)
        with self.assertRaisesRegex(AccessError, "given by the customer only"):
            rating.with_user(self.user_kam).sudo().write({"rating": 5})
        # another document's rating cannot be moved onto the request either
        other = self.env["rating.rating"].create({
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.account.id, "partner_id": self.account.id, "rating": 1})
        with self.assertRaisesRegex(AccessError, "given by the customer only"):
            _api(other, self.user_kam, "write", {
                "res_model_id": self.env["ir.model"]._get_id(request._name),
                "res_id": request.id})
        self.assertEqual((rating.rating, rating.consumed), (0, False))
        # the customer's link (the rating found by its token, as /rate does) rates it
        with self._portal_request(self.env.ref("base.public_user")), \
                patch(NOW_PATH, return_value=at(2025, 9, 29, 3, 0)):
            request.with_user(self.env.ref("base.public_user")).sudo().rating_apply(
                4, rating=rating.sudo(), feedback="Quick")
        self.assertEqual((rating.rating, rating.feedback, rating.consumed), (4, "Quick", True))
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.satisfaction, 4)

    # ---- the static check ----
    def test_no_env_su_write_bypass(self):
        """``env.su`` decides no write of ours: a guard exempts the trusted
        (``kam_trusted``), never ``sudo()``. A new use of ``env.su`` fails here until
        it is the trusted check, or is listed above with why it decides no write."""
        found = set()
        for path in sorted(ADDON.glob("**/*.py")):
            rel = path.relative_to(ADDON).as_posix()
            if rel.startswith(("tests/", "migrations/")):
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if re.search(r"\benv\.su\b|\.su\s*(?:\)|$|or|and)", line):
                    found.add((rel, line.strip()))
        unexpected = {item for item in found if item not in ENV_SU_ALLOWED}
        self.assertFalse(unexpected, "env.su decides a write: use kam_trusted(env)")
        self.assertTrue(found, "the scan reads the models")
