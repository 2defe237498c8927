"""The workflows' rules hold in the model, whatever the path: a plain ``write``
as the user concerned (what the external API does) and an import (``load``)
are refused when they skip a step or its rule; the buttons still work."""

from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .test_kam_visit import KamVisitCommon

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


@tagged("post_install", "-at_install")
class TestKamStateRules(KamVisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_director_b = new_test_user(
            cls.env, login="kamt_director_b", name="Bea Director", groups=GROUP_DIRECTOR)
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Omega Freight", "is_company": True})
        # a visit can be done once it took place: yesterday, whatever the hour of UTC
        cls.yesterday = cls.today - timedelta(days=1)

    def _refused(self, exception=UserError, pattern=None):
        return self.assertRaisesRegex(exception, pattern) if pattern \
            else self.assertRaises(exception)

    # ---- visits ----
    def test_visit_done_needs_summary(self):
        visit = self._visit(day=self.yesterday).with_user(self.user_kam)
        with self._refused(pattern="summary"):
            visit.write({"state": "done"})
        self.assertEqual(visit.state, "planned")
        with self._refused(pattern="summary"):
            visit.write({"state": "done", "summary": "<p><br></p>"})
        visit.write({"state": "done", "summary": "<p>Agreed on the pilot</p>"})
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.done_datetime, "the completion date is set on any path")
        # a done visit keeps its report
        with self._refused(pattern="summary"):
            visit.write({"summary": False})

    def test_visit_cancel_needs_reason_and_no_jump(self):
        visit = self._visit(day=self.yesterday).with_user(self.user_kam)
        with self._refused(pattern="Cancellation Reason"):
            visit.write({"state": "cancelled"})
        visit.write({"summary": "<p>Done</p>", "state": "done"})
        with self._refused(pattern="directly"):
            visit.write({"state": "cancelled", "cancel_reason": "Late"})
        self.assertEqual(visit.state, "done")
        # the buttons take the steps in order
        visit.action_reset_planned()
        visit.write({"cancel_reason": "Customer moved the meeting"})
        visit.action_cancel()
        self.assertEqual(visit.state, "cancelled")

    def test_visit_created_done_needs_summary(self):
        Visit = self.env["kam.visit"].with_user(self.user_kam)
        vals = {"partner_id": self.account.id, "user_id": self.user_kam.id,
                "date_start": self._at(self.today), "date_end": self._at(self.today, 13),
                "state": "done"}
        with self._refused(pattern="summary"):
            Visit.create(vals)
        visit = Visit.create(dict(vals, summary="<p>Past visit</p>"))
        self.assertTrue(visit.done_datetime)

    def test_visit_import_done_without_summary_refused(self):
        """The same rule through an import (``load``) as the KAM."""
        visit = self._visit(day=self.yesterday)
        xmlid = visit.export_data(["id"])["datas"][0][0]
        result = self.env["kam.visit"].with_user(self.user_kam).load(
            ["id", "state"], [[xmlid, "done"]])
        self.assertFalse(result["ids"])
        self.assertTrue(any("summary" in m["message"] for m in result["messages"]),
                        result["messages"])
        self.assertEqual(visit.state, "planned")
        result = self.env["kam.visit"].with_user(self.user_kam).load(
            ["id", "state", "summary"], [[xmlid, "done", "<p>Imported report</p>"]])
        self.assertEqual(result["ids"], visit.ids, result["messages"])
        self.assertEqual(visit.state, "done")

    # ---- visit plans ----
    def _plan(self, user, submitted=True):
        plan = self.env["kam.visit.plan"].create({"user_id": user.id})
        self._visit(plan_id=plan.id, user=user)
        if submitted:
            plan.with_user(user).action_submit()
        return plan

    def test_visit_plan_owner_cannot_approve_own(self):
        draft = self._plan(self.user_kam, submitted=False)
        with self._refused(pattern="directly"):
            draft.with_user(self.user_kam).write({"state": "approved"})
        self.assertEqual(draft.state, "draft")
        plan = self._plan(self.user_kam)
        with self._refused(pattern="Only a key account director|Only a Key Account Director"):
            plan.with_user(self.user_kam).write({"state": "approved"})
        # a director's own plan needs another director, on any path
        own = self._plan(self.user_director)
        with self._refused(pattern="your own"):
            own.with_user(self.user_director).write({"state": "approved"})
        with self._refused(pattern="your own"):
            own.with_user(self.user_director).action_approve()
        own.with_user(self.user_director_b).write({"state": "approved"})
        self.assertEqual(own.state, "approved")

    def test_visit_plan_refusal_needs_director_and_comment(self):
        plan = self._plan(self.user_kam)
        with self._refused(pattern="Director's Comment"):
            plan.with_user(self.user_director).write({"state": "refused"})
        with self._refused(pattern="name of the user who takes it"):
            plan.with_user(self.user_director).write({"reviewer_id": self.user_director_b.id})
        plan.with_user(self.user_director).write(
            {"state": "refused", "review_comment": "Too many visits for the budget"})
        self.assertEqual(plan.state, "refused")
        with self._refused(pattern="directly"):
            plan.with_user(self.user_kam).write({"state": "done"})

    def test_visit_plan_submit_needs_visits(self):
        plan = self.env["kam.visit.plan"].create({"user_id": self.user_kam.id})
        with self._refused(pattern="no visit"):
            plan.with_user(self.user_kam).write({"state": "submitted"})
        with self._refused(pattern="start as"):
            self.env["kam.visit.plan"].with_user(self.user_kam).create({"state": "approved"})

    # ---- account plans ----
    def _account_plan(self, user=None, partner=None):
        return self.env["kam.account.plan"].create({
            "partner_id": (partner or self.account).id, "user_id": (user or self.user_kam).id,
            "revenue_target": 1000.0})

    def test_account_plan_rules(self):
        plan = self._account_plan()
        with self._refused(pattern="directly"):
            plan.with_user(self.user_director).write({"state": "approved"})
        plan.with_user(self.user_kam).action_submit()
        with self._refused(pattern="Only a key account director|Only a Key Account Director"):
            plan.with_user(self.user_kam).write({"state": "approved"})
        with self._refused(pattern="name of the user who takes it"):
            plan.with_user(self.user_director).write(
                {"state": "approved", "approved_by_id": self.user_director_b.id})
        plan.with_user(self.user_director).write({"state": "approved"})
        self.assertEqual(plan.state, "approved")
        # a director's own plan is approved by another director
        own = self._account_plan(self.user_director, partner=self.account_2)
        own.with_user(self.user_director).action_submit()
        with self._refused(pattern="your own"):
            own.with_user(self.user_director).action_approve()
        own.with_user(self.user_director_b).action_approve()
        self.assertEqual(own.approved_by_id, self.user_director_b)
        with self._refused(pattern="start as"):
            self.env["kam.account.plan"].with_user(self.user_kam).create(
                {"partner_id": self.account.id, "state": "approved"})

    # ---- nominations ----
    def _nominate(self):
        form = Form(self.env["kam.nomination"].with_user(self.user_salesman).with_context(
            default_partner_id=self.prospect.id))
        form.reason = "Orders doubled"
        form.proposed_tier_id = self.tier_b
        form.proposed_manager_id = self.user_kam
        return form.save()

    def test_nomination_decided_only_by_the_buttons_rule(self):
        nomination = self._nominate()
        with self._refused(AccessError):
            nomination.with_user(self.user_salesman).write({"state": "approved"})
        # a bare change of state would leave the account "nominated"
        with self._refused(pattern="Approve button"):
            nomination.with_user(self.user_director).write({"state": "approved"})
        with self._refused(pattern="Rejection Reason"):
            nomination.with_user(self.user_director).write({"state": "rejected"})
        with self._refused(pattern="Reject button"):
            nomination.with_user(self.user_director).write(
                {"state": "rejected", "rejection_reason": "Too small"})
        with self._refused(pattern="name of the user who takes it"):
            nomination.with_user(self.user_director).write(
                {"decided_by_id": self.user_director_b.id})
        self.assertEqual(nomination.state, "to_approve")
        self.assertEqual(self.prospect.kam_state, "nominated")
        nomination.with_user(self.user_director).action_approve()
        self.assertEqual(nomination.state, "approved")
        self.assertEqual(self.prospect.kam_state, "registered")
        with self._refused(pattern="directly"):
            nomination.with_user(self.user_director).write(
                {"state": "rejected", "rejection_reason": "Changed my mind"})
