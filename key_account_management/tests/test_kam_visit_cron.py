from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_kam_visit import KamVisitCommon


@tagged("post_install", "-at_install")
class TestKamVisitCron(KamVisitCommon):
    def _overdue_activities(self, partner):
        activity_type = self.env.ref(
            "key_account_management.mail_activity_type_kam_visit_overdue")
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", partner.id),
            ("activity_type_id", "=", activity_type.id),
        ])

    def _run_overdue_cron(self):
        self._trigger("ir_cron_kam_visit_overdue")

    def test_overdue_cron_one_activity_per_period(self):
        # account: visited recently (tier A, 14 days); account_2: never visited
        self._done_visit(self.account, 3)
        self._run_overdue_cron()
        self.assertFalse(self._overdue_activities(self.account))
        activity = self._overdue_activities(self.account_2)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_kam_2)
        self.assertEqual(activity.date_deadline, self.today)
        self.assertEqual(self.account_2.kam_visit_alert_date, self.today)

        # a second run (the next day as well) creates no duplicate
        self._run_overdue_cron()
        self.assertEqual(self._overdue_activities(self.account_2), activity)
        self.account_2._kam_write_engine_figures(
            {"kam_visit_alert_date": self.today - timedelta(days=1)})
        self._run_overdue_cron()
        self.assertEqual(self._overdue_activities(self.account_2), activity)

        # the account becomes overdue: its last visit is now 20 days ago
        visit = self.account.kam_visit_ids
        visit.write({"date_start": self._at(self.today - timedelta(days=20)),
                     "date_end": self._at(self.today - timedelta(days=20), 13)})
        self._run_overdue_cron()
        new = self._overdue_activities(self.account)
        self.assertEqual(len(new), 1)
        self.assertEqual(new.user_id, self.user_kam)
        self._run_overdue_cron()
        self.assertEqual(self._overdue_activities(self.account), new)

        # visited again, then overdue again: a new period gets a new alert
        new.action_feedback("planned")
        self.account._kam_write_engine_figures(
            {"kam_visit_alert_date": self.today - timedelta(days=30)})
        self._done_visit(self.account, 16)
        self.assertTrue(self.account.kam_visit_overdue)
        self._run_overdue_cron()
        self.assertEqual(len(self._overdue_activities(self.account)), 1)
        self.assertEqual(self.account.kam_visit_alert_date, self.today)

    def test_overdue_cron_skips_non_key_accounts(self):
        self.account_2.kam_state = "lost"
        self._run_overdue_cron()
        self.assertFalse(self._overdue_activities(self.account_2))
        self.assertTrue(self._overdue_activities(self.account))

    def test_digest_lists_overdue_accounts_by_kam(self):
        self._done_visit(self.account, 20)
        sections = [
            section for section in self.env["kam.digest"]._get_digest_sections(self.company)
            if "overdue for a visit" in section[0]
        ]
        self.assertEqual(len(sections), 1)
        title, html = sections[0]
        self.assertIn("(2)", title)
        for text in ("Acme Telecom Group", "Beta Manufacturing", "Kim Manager", "Ken Manager",
                     "6 days overdue", "never visited"):
            self.assertIn(text, html)
        self.assertLess(html.index("Ken Manager"), html.index("Kim Manager"))
        self.assertFalse(self.env["kam.digest"]._get_digest_sections(self.company_2))
        self._trigger("ir_cron_kam_director_digest")
        message = self.env["mail.message"].search([
            ("partner_ids", "in", self.user_director.partner_id.ids),
            ("subject", "like", "Key accounts weekly digest")])
        self.assertEqual(len(message), 1)
        self.assertIn("Beta Manufacturing", message.body)

    @freeze_time("2026-11-10 09:00:00")
    def test_plan_prepare_cron(self):
        today = date(2026, 11, 10)
        next_start, next_end = date(2026, 12, 1), date(2026, 12, 31)
        # account_2 (tier B, 30 days): visited yesterday, due on 9 December, and
        # already has a visit planned on 4 December
        self._visit(self.account_2, day=today - timedelta(days=1), state="done",
                    summary="<p>x</p>")
        self._visit(self.account_2, day=date(2026, 12, 4))
        # a third account, tier C (60 days), visited yesterday: not due in December
        account_3 = self.env["res.partner"].create({"name": "Gamma Ltd", "is_company": True})
        account_3.write({"kam_state": "registered", "kam_tier_id": self.tier_c.id,
                         "kam_manager_id": self.user_kam.id})
        self._visit(account_3, day=today - timedelta(days=1), state="done", summary="<p>x</p>")
        self._trigger("ir_cron_kam_visit_plan_prepare")
        Plan = self.env["kam.visit.plan"]
        # the cron prepares every company's plans (demo data included): look at ours
        next_plans = [("date_start", "=", next_start), ("company_id", "=", self.company.id)]
        plans = Plan.search(next_plans)
        self.assertEqual(plans.user_id, self.user_kam,
                         "the KAM of account_2 has nothing due: no plan for them")
        self.assertEqual(plans.date_end, next_end)
        self.assertEqual(plans.state, "draft")
        self.assertEqual(plans.visit_ids.partner_id, self.account)
        # tier A, never visited: due from the first day, every 14 days
        self.assertEqual(sorted(plans.visit_ids.mapped("visit_date")),
                         [date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 29)])
        self.assertTrue(all(v.state == "planned" and v.calendar_event_id for v in plans.visit_ids))
        count = self.env["kam.visit"].search_count([])

        self._trigger("ir_cron_kam_visit_plan_prepare")
        self.assertEqual(Plan.search(next_plans), plans)
        self.assertEqual(self.env["kam.visit"].search_count([]), count)

        # account_2's planned visit is cancelled: it becomes due, the next run adds it
        self.account_2.kam_visit_ids.filtered(lambda v: v.state == "planned").write(
            {"state": "cancelled", "cancel_reason": "x"})
        self._trigger("ir_cron_kam_visit_plan_prepare")
        plans_2 = Plan.search(next_plans)
        self.assertEqual(plans_2.user_id, self.user_kam | self.user_kam_2)
        self.assertEqual((plans_2 - plans).visit_ids.mapped("visit_date"), [date(2026, 12, 9)])
        self.assertEqual((plans_2 - plans).visit_ids.partner_id, self.account_2)

        # a submitted plan is left alone
        plans.action_submit()
        visits_before = plans.visit_ids
        plans.visit_ids[:1].write({"state": "cancelled", "cancel_reason": "x"})
        self._trigger("ir_cron_kam_visit_plan_prepare")
        self.assertEqual(plans.visit_ids, visits_before)
