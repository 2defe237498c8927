from datetime import timedelta

from odoo.tests import tagged

from .test_kam_account_plan import KamPlanCommon

CRON = "key_account_management.ir_cron_kam_account_plan_check"


@tagged("post_install", "-at_install")
class TestKamAccountPlanCron(KamPlanCommon):
    def _run_cron(self, xmlid=CRON):
        # the cron runs in its own cursor: let it share the test transaction
        with self.enter_registry_test_mode():
            self.env.ref(xmlid).method_direct_trigger()

    def _activities(self, plan, user, summary_like=""):
        return self.env["mail.activity"].search([
            ("res_model", "=", "kam.account.plan"), ("res_id", "=", plan.id),
            ("user_id", "=", user.id), ("summary", "ilike", summary_like),
        ])

    def test_cron_definition(self):
        cron = self.env.ref(CRON)
        self.assertEqual(cron.model_id.model, "kam.account.plan")
        self.assertEqual(cron.code.strip(), "model._cron_check_plans()")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))

    def test_overdue_action_gives_one_activity(self):
        plan = self._make_plan(action_ids=[
            (0, 0, {"name": "Overdue, activity done by hand", "user_id": self.user_team.id,
                    "date_deadline": self.today - timedelta(days=3)}),
            (0, 0, {"name": "Overdue with its activity", "user_id": self.user_kam.id,
                    "date_deadline": self.today - timedelta(days=3)}),
            (0, 0, {"name": "Not due", "user_id": self.user_kam_2.id,
                    "date_deadline": self.today + timedelta(days=3)}),
            (0, 0, {"name": "Done", "user_id": self.user_kam_2.id,
                    "date_deadline": self.today - timedelta(days=3), "state": "done"}),
        ])
        by_name = {a.name: a for a in plan.action_ids}
        by_name["Overdue, activity done by hand"].activity_id.action_feedback(feedback="called")
        self.assertFalse(self._activities(plan, self.user_team))
        for _run in range(2):
            self._run_cron()
            overdue = self._activities(plan, self.user_team)
            self.assertEqual(len(overdue), 1)
            self.assertIn("Overdue plan action", overdue.summary)
            self.assertEqual(by_name["Overdue, activity done by hand"].activity_id, overdue)
            self.assertEqual(len(self._activities(plan, self.user_kam, "action")), 1,
                             "the action's own activity is the one activity of its owner")
            self.assertEqual(len(self._activities(plan, self.user_kam_2, "action")), 1)

    def test_draft_plan_reminds_kam_once(self):
        late = self._make_plan(date_start=self.today - timedelta(days=45),
                               date_end=self.today + timedelta(days=300))
        recent = self._make_plan(partner=self.account_2, date_start=self.today - timedelta(days=10),
                                 date_end=self.today + timedelta(days=300))
        submitted = self._make_plan(date_start=self.today - timedelta(days=400),
                                    date_end=self.today - timedelta(days=40))
        submitted.action_submit()
        for _run in range(2):
            self._run_cron()
            reminders = self._activities(late, self.user_kam, "Submit the account plan")
            self.assertEqual(len(reminders), 1)
            self.assertTrue(late.draft_reminder_sent)
            self.assertFalse(self._activities(recent, self.user_kam_2))
            self.assertFalse(self._activities(submitted, self.user_kam))
        # the KAM marks the reminder done: the cron does not nag again
        self._activities(late, self.user_kam).action_feedback(feedback="on it")
        self._run_cron()
        self.assertFalse(self._activities(late, self.user_kam))

    def test_report_figures_refreshed_idempotent(self):
        plan = self._make_plan()
        self._make_order(self.account, 2500.0, self._in_period(1))
        self._run_cron()
        self.assertEqual(plan.report_actual_revenue, 2500.0)
        self.assertEqual(plan.report_achievement, 25.0)
        self.assertEqual(plan.report_date, self.today)
        self.env.flush_all()
        self.env.cr.execute("SELECT write_date FROM kam_account_plan WHERE id = %s", [plan.id])
        before = self.env.cr.fetchone()[0]
        self._run_cron()
        self.env.flush_all()
        self.env.cr.execute("SELECT write_date FROM kam_account_plan WHERE id = %s", [plan.id])
        self.assertEqual(self.env.cr.fetchone()[0], before, "a second run writes nothing")

    def test_digest_lists_plans_behind_pace(self):
        self.env.company.kam_plan_pace_threshold = 80.0
        period = {"date_start": self.today - timedelta(days=100),
                  "date_end": self.today + timedelta(days=99)}
        behind = self._make_plan(revenue_target=100000.0, **period)
        ahead = self._make_plan(partner=self.account_2, revenue_target=1000.0, **period)
        self._make_order(self.account, 30000.0, self.today - timedelta(days=1))  # 30 % < 40 %
        self._make_order(self.account_2, 900.0, self.today - timedelta(days=1))  # 90 %
        draft = self._make_plan(
            partner=self.env["res.partner"].create({"name": "Draft Co", "is_company": True}),
            revenue_target=100000.0, **period)
        (behind | ahead).action_submit()
        (behind | ahead).with_user(self.user_director).action_approve()
        self.assertAlmostEqual(behind.pace, 50.5, delta=0.5)
        self.assertTrue(behind.behind_pace)
        self.assertFalse(ahead.behind_pace)
        self.assertFalse(draft.behind_pace)
        sections = [
            section for section in self.env["kam.digest"]._get_digest_sections(self.env.company)
            if "behind pace" in section[0]
        ]
        self.assertEqual(len(sections), 1)
        _title, html = sections[0]
        self.assertIn(behind.name, html)
        self.assertNotIn(ahead.name, html)
        self.assertNotIn("Draft Co", html)
        self.assertFalse(self.env["kam.digest"]._get_digest_sections(self.company_2))
        self.env["res.company"].search([]).kam_digest_last_week = False  # not sent this week
        self._run_cron("key_account_management.ir_cron_kam_director_digest")
        message = self.env["mail.message"].search([
            ("partner_ids", "in", self.user_director.partner_id.ids),
            ("subject", "like", "Key accounts weekly digest")])
        self.assertEqual(len(message), 1)
        self.assertIn(behind.name, message.body)
