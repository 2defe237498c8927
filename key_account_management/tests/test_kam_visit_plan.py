from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import KamHttpCase
from .test_kam_visit import KamVisitCommon


@tagged("post_install", "-at_install")
class TestKamVisitPlan(KamVisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month_start = cls.today + relativedelta(day=1)
        cls.month_end = cls.today + relativedelta(day=31)
        cls.plan = cls.env["kam.visit.plan"].create({"user_id": cls.user_kam.id})
        cls.plan_visit = cls._visit(plan_id=cls.plan.id, day=cls.month_start,
                                    expense_planned=300)

    def test_defaults(self):
        plan = Form(self.env["kam.visit.plan"].with_user(self.user_kam)).save()
        self.assertEqual((plan.date_start, plan.date_end), (self.month_start, self.month_end))
        self.assertEqual(plan.user_id, self.user_kam)
        self.assertEqual(plan.state, "draft")
        self.assertIn(self.month_start.strftime("%Y-%m"), plan.name)

    def test_budget(self):
        self._visit(plan_id=self.plan.id, day=self.month_start, expense_planned=200,
                    expense_amount=150, state="done", summary="<p>x</p>")
        self._visit(plan_id=self.plan.id, day=self.month_start, expense_planned=1000,
                    state="cancelled", cancel_reason="x")
        self.assertEqual(self.plan.visit_count, 2)
        self.assertEqual(self.plan.visit_done_count, 1)
        self.assertEqual(self.plan.planned_budget, 500)
        self.assertEqual(self.plan.actual_expense, 150)

    def test_visit_outside_period(self):
        with self.assertRaisesRegex(ValidationError, "outside the period"):
            self._visit(plan_id=self.plan.id, day=self.month_end + timedelta(days=1))
        with self.assertRaisesRegex(ValidationError, "outside the period"), \
                self.env.cr.savepoint():
            self.plan_visit.write({"date_start": self._at(self.month_start - timedelta(days=1)),
                                   "date_end": self._at(self.month_start)})
        self.plan_visit.invalidate_recordset()
        self.assertEqual(self.plan_visit.visit_date, self.month_start)
        with self.assertRaisesRegex(ValidationError, "outside the period"):
            self.plan.write({"date_start": self.month_start + timedelta(days=1)})
        with self.assertRaisesRegex(ValidationError, "period end"):
            self.plan.write({"date_end": self.month_start - timedelta(days=1)})

    def test_state_machine(self):
        plan = self.plan.with_user(self.user_kam)
        empty = self.env["kam.visit.plan"].with_user(self.user_kam).create({})
        with self.assertRaisesRegex(UserError, "no visit"):
            empty.action_submit()
        plan.action_submit()
        self.assertEqual(plan.state, "submitted")
        # read-only for its owner while submitted
        with self.assertRaises(AccessError):
            plan.write({"note": "<p>changed</p>"})
        with self.assertRaisesRegex(UserError, "cannot be added or removed"):
            self.env["kam.visit"].with_user(self.user_kam).create({
                "partner_id": self.account.id, "plan_id": plan.id,
                "date_start": self._at(self.month_start),
                "date_end": self._at(self.month_start, 13)})
        # a KAM cannot approve, a director can't approve their own plan
        with self.assertRaisesRegex(UserError, "Only a Key Account Director"):
            plan.action_approve()
        with self.assertRaisesRegex(UserError, "Director's Comment"):
            plan.write({"review_comment": "self-approved"})
        own = self.env["kam.visit.plan"].create({"user_id": self.user_director.id})
        self._visit(plan_id=own.id, day=self.month_start, user=self.user_director)
        own.with_user(self.user_director).action_submit()
        with self.assertRaisesRegex(UserError, "your own"):
            own.with_user(self.user_director).action_approve()
        self.assertEqual(own.state, "submitted")
        # refusal needs a comment, then the owner edits and submits again
        as_director = self.plan.with_user(self.user_director)
        with self.assertRaisesRegex(UserError, "Comment"):
            as_director.action_refuse()
        self.assertEqual(self.plan.state, "submitted")
        as_director.write({"review_comment": "Add the second account"})
        as_director.action_refuse()
        self.assertEqual(self.plan.state, "refused")
        self.assertTrue(self.plan.activity_ids.filtered(lambda a: a.user_id == self.user_kam))
        plan.write({"note": "<p>revised</p>"})
        self._visit(plan_id=plan.id, partner=self.account, day=self.month_end)
        plan.action_submit()
        as_director.write({"review_comment": "OK, go"})
        as_director.action_approve()
        self.assertEqual(self.plan.state, "approved")
        self.assertEqual(self.plan.reviewer_id, self.user_director)
        self.assertTrue(self.plan.review_date)
        with self.assertRaisesRegex(UserError, "period"):
            plan.write({"date_end": self.month_end - timedelta(days=1)})
        with self.assertRaisesRegex(UserError, "approved"):
            as_director.action_approve()
        plan.action_done()
        self.assertEqual(self.plan.state, "done")
        with self.assertRaisesRegex(UserError, "cancelled"):
            plan.action_cancel()

    def test_approved_plan_content_no_context_key(self):
        """A context key is client input: ``kam_plan_transition`` (or ``kam_flow`` sent
        as a plain value) does not let the owner change an approved plan's period."""
        plan = self.plan.with_user(self.user_kam)
        plan.action_submit()
        self.plan.with_user(self.user_director).action_approve()
        self.assertEqual(self.plan.state, "approved")
        for context in ({"kam_plan_transition": True}, {"kam_flow": True}):
            for vals in ({"date_end": self.month_end - timedelta(days=1)},
                         {"date_start": self.month_start - timedelta(days=1)}):
                with self.subTest(context=context, vals=vals), \
                        self.assertRaises(UserError) as caught:
                    plan.with_context(**context).write(vals)
                self.assertIn("only change while it is a draft or refused", str(caught.exception))
        self.assertEqual((self.plan.date_start, self.plan.date_end),
                         (self.month_start, self.month_end))

    def test_approved_plan_budget_is_fixed(self):
        """The planned expenses of a plan's visits are its budget: once submitted (and
        approved) nobody raises them (the KAM, a director, sudo, a context key), nor
        brings a cancelled visit's expense back; the plan is revised first."""
        cancelled = self._visit(plan_id=self.plan.id, day=self.month_start,
                                expense_planned=500, state="cancelled", cancel_reason="Later")
        plan = self.plan.with_user(self.user_kam)
        visit = self.plan_visit.with_user(self.user_kam)
        plan.action_submit()
        with self.assertRaises(UserError) as caught:
            visit.write({"expense_planned": 3000})
        self.assertIn("Planned Expense", str(caught.exception))
        self.assertIn("refuse the plan", str(caught.exception))
        self.plan.with_user(self.user_director).action_approve()
        self.assertEqual((self.plan.state, self.plan.planned_budget), ("approved", 300))
        for writer in (visit, visit.with_context(kam_flow=True), visit.sudo(),
                       self.plan_visit.with_user(self.user_director)):
            with self.subTest(user=writer.env.user.login, su=writer.env.su), \
                    self.assertRaises(UserError) as caught:
                writer.write({"expense_planned": 3000})
            message = str(caught.exception)
            self.assertIn("Planned Expense", message)
            self.assertIn("Approved", message)
            self.assertIn("reset it to draft", message)
        # through the visit lines of the plan's form neither
        with self.assertRaises(UserError):
            plan.write({"visit_ids": [(1, visit.id, {"expense_planned": 3000})]})
        with self.assertRaises(UserError):
            cancelled.with_user(self.user_kam).action_reset_planned()
        self.assertEqual(cancelled.state, "cancelled")
        # the same value (a form sending it back) and the actual expense still save
        visit.write({"expense_planned": 300, "expense_amount": 280})
        self.assertEqual((self.plan.planned_budget, visit.expense_amount), (300, 280))
        # the revision: back to draft, changed, approved again
        plan.action_cancel()
        plan.action_draft()
        visit.write({"expense_planned": 3000})
        plan.action_submit()
        self.plan.with_user(self.user_director).action_approve()
        self.assertEqual((self.plan.state, self.plan.planned_budget), ("approved", 3000))

    def test_cancel_and_delete(self):
        self.plan.action_submit()
        with self.assertRaisesRegex(UserError, "deleted"):
            self.plan.unlink()
        self.plan.write({"review_comment": "No"})
        self.plan.with_user(self.user_director).action_refuse()
        self.plan.action_cancel()
        self.assertEqual(self.plan.state, "cancelled")
        self.plan.action_draft()
        self.plan.unlink()
        self.assertTrue(self.plan_visit.exists())
        self.assertFalse(self.plan_visit.plan_id)

    def test_access(self):
        self.assertFalse(self.env["kam.visit.plan"].with_user(self.user_kam_2).search(
            [("id", "=", self.plan.id)]))
        with self.assertRaises(AccessError):
            self.plan.with_user(self.user_kam_2).read(["name"])
        with self.assertRaises(AccessError):
            self.plan.with_user(self.user_salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.plan.with_user(self.user_director_2).read(["name"])
        self.plan.with_user(self.user_director).read(["name"])
        with self.assertRaises(AccessError):
            self.env["kam.visit.plan"].with_user(self.user_kam_2).create(
                {"user_id": self.user_kam.id})

    def test_prepare_button(self):
        """The button adds a visit for each due date of the owner's accounts, and
        nothing the second time."""
        self.plan_visit.write({"state": "cancelled", "cancel_reason": "moved"})
        plan = self.env["kam.visit.plan"].create({
            "user_id": self.user_kam.id,
            "date_start": self.month_start + relativedelta(months=1),
            "date_end": self.month_end + relativedelta(months=1, day=31),
        })
        plan.with_user(self.user_kam).action_prepare_visits()
        visits = plan.visit_ids
        self.assertEqual(visits.partner_id, self.account)
        # tier A: every 14 days, from the first day of the month
        expected = []
        day = plan.date_start
        while day <= plan.date_end:
            expected.append(day)
            day += timedelta(days=14)
        self.assertEqual(sorted(visits.mapped("visit_date")), expected)
        plan.action_prepare_visits()
        self.assertEqual(plan.visit_ids, visits)

    def test_prepare_next_period_from_list(self):
        action = self.env["kam.visit.plan"].with_user(self.user_kam).action_prepare_next_period()
        plan = self.env["kam.visit.plan"].browse(action["res_id"])
        self.assertEqual(plan.user_id, self.user_kam)
        self.assertEqual(plan.date_start, self.month_start + relativedelta(months=1))
        self.assertTrue(plan.visit_ids)
        count = len(plan.visit_ids)
        action_2 = self.env["kam.visit.plan"].with_user(self.user_kam).action_prepare_next_period()
        self.assertEqual(action_2["res_id"], plan.id)
        plan.invalidate_recordset()
        self.assertEqual(len(plan.visit_ids), count)
        self.assertEqual(self.env["kam.visit.plan"].search_count(
            [("user_id", "=", self.user_kam.id), ("date_start", "=", plan.date_start)]), 1)

    def test_plan_figures_query_count(self):
        """The plans list computes counts and budgets of all rows in a fixed number
        of queries."""
        Plan = self.env["kam.visit.plan"]

        def make(count):
            plans = Plan.create([{"user_id": self.user_kam.id} for _i in range(count)])
            for plan in plans:
                self._visit(plan_id=plan.id, day=self.month_start, expense_planned=10)
            self.env.invalidate_all()
            return Plan.browse(plans.ids)

        small, large = make(2), make(8)
        with self.assertQueryCount(4):
            small.mapped("planned_budget")
        with self.assertQueryCount(4):
            large.mapped("planned_budget")
        self.assertEqual(large.mapped("visit_count"), [1] * 8)

    def test_plan_report_renders(self):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "key_account_management.kam_visit_plan_report_action", self.plan.ids)
        html = html.decode()
        self.assertIn(self.plan.name, html)
        self.assertIn(self.plan_visit.name, html)
        self.assertIn("Acme Telecom Group", html)
        self.assertIn("300", html)


@tagged("post_install", "-at_install")
class TestKamVisitPlanUi(KamHttpCase):
    def test_tour_kam_visit_plan(self):
        """A KAM lands on this week's visits, prepares next month's plan and
        submits it."""
        kam = new_test_user(
            self.env, login="kamt_plan_tour_user", name="Plan Tour KAM", tz="UTC",
            groups="key_account_management.key_account_management_group_manager")
        tier = self.env["kam.tier"].create(
            {"name": "Plan Tour Tier", "code": "PT", "visit_interval_days": 30})
        account = self.env["res.partner"].create({"name": "Tour Due Account", "is_company": True})
        account.write({"kam_state": "registered", "kam_tier_id": tier.id,
                       "kam_manager_id": kam.id})
        self.start_tour("/odoo", "kam_visit_plan_tour", login="kamt_plan_tour_user")
        plan = self.env["kam.visit.plan"].search([("user_id", "=", kam.id)])
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.visit_ids.partner_id, account)
        next_month = self.env.company._kam_today() + relativedelta(months=1, day=1)
        self.assertEqual(plan.date_start, next_month)
