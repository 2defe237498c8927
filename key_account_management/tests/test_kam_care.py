from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamCare(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the shipped (and demo) occasions are archived: each test defines its own
        cls.env["kam.care.occasion"].search([]).action_archive()
        cls.stakeholder = cls.env["kam.stakeholder"].create({
            "partner_id": cls.account.id, "contact_id": cls.account_contact.id,
            "owner_user_id": cls.user_kam_2.id, "birthday": date(1980, 2, 29)})
        cls.accounts = cls.account | cls.account_2

    def _occasion(self, **vals):
        return self.env["kam.care.occasion"].create({"name": "Test Occasion", **vals})

    def _run_cron(self, day):
        with freeze_time(datetime.combine(day, datetime.min.time().replace(hour=6))):
            with self.enter_registry_test_mode():
                self.env.ref("key_account_management.ir_cron_kam_care_reminders") \
                    .method_direct_trigger()
        return self._reminders()

    def _reminders(self):
        return self.env["kam.care.reminder"].search([("partner_id", "in", self.accounts.ids)])

    # ---- Birthdays ----
    def test_birthday_29_february_in_a_non_leap_year(self):
        occasion = self._occasion(occasion_type="birthday", lead_days=3, gesture="Card")
        self.assertFalse(self._run_cron(date(2027, 2, 24)))
        reminders = self._run_cron(date(2027, 2, 25))
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.occasion_date, date(2027, 2, 28))
        self.assertEqual(reminders.stakeholder_id, self.stakeholder)
        self.assertEqual(reminders.user_id, self.user_kam_2, "the relationship owner")
        activity = reminders.activity_id
        self.assertEqual(activity.res_id, self.account.id)
        self.assertEqual(activity.user_id, self.user_kam_2)
        self.assertEqual(activity.date_deadline, date(2027, 2, 28))
        self.assertIn("Alice Buyer", activity.summary)
        self.assertEqual(activity.activity_type_id,
                         self.env.ref("key_account_management.mail_activity_type_kam_care"))
        # the second run and the next days send nothing more
        self.assertEqual(self._run_cron(date(2027, 2, 25)), reminders)
        self.assertEqual(self._run_cron(date(2027, 2, 28)), reminders)
        self.assertEqual(occasion.reminder_ids, reminders)
        # in a leap year the birthday is on 29 February again
        reminders = self._run_cron(date(2028, 2, 26))
        self.assertEqual(sorted(reminders.mapped("occasion_date")),
                         [date(2027, 2, 28), date(2028, 2, 29)])

    def test_birthday_without_owner_goes_to_the_kam(self):
        self.stakeholder.owner_user_id = False
        self._occasion(occasion_type="birthday", lead_days=0)
        reminders = self._run_cron(date(2026, 2, 28))
        self.assertEqual(reminders.user_id, self.user_kam)
        self.assertEqual(reminders.activity_id.user_id, self.user_kam)

    # ---- Company occasions ----
    def test_fixed_occasion_across_the_year_end(self):
        self._occasion(occasion_type="fixed", fixed_month=1, fixed_day=3, lead_days=7,
                       budget=200)
        self.assertFalse(self._run_cron(date(2026, 12, 26)))
        reminders = self._run_cron(date(2026, 12, 28))
        self.assertEqual(reminders.partner_id, self.accounts)
        self.assertEqual(set(reminders.mapped("occasion_date")), {date(2027, 1, 3)})
        self.assertEqual(set(reminders.mapped("year")), {2027})
        self.assertEqual(reminders.mapped("user_id"), self.user_kam | self.user_kam_2)
        # the following runs until the day itself send nothing more
        self.assertEqual(self._run_cron(date(2026, 12, 28)), reminders)
        self.assertEqual(self._run_cron(date(2027, 1, 3)), reminders)
        self.assertEqual(len(self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "in", self.accounts.ids),
            ("activity_type_id", "=",
             self.env.ref("key_account_management.mail_activity_type_kam_care").id)])), 2)

    def test_account_of_two_companies_reminded_in_each(self):
        """An occasion of every company reminds an account registered in two companies
        once in each (its relationship owner there), and still once per company."""
        self.account.with_company(self.company_2).write({
            "kam_state": "registered", "kam_manager_id": self.user_director_2.id})
        self._occasion(occasion_type="fixed", fixed_month=1, fixed_day=3, lead_days=7)
        reminders = self._run_cron(date(2026, 12, 28))
        mine = reminders.filtered(lambda r: r.partner_id == self.account)
        self.assertEqual(len(mine), 2)
        self.assertEqual(mine.company_id, self.company | self.company_2)
        self.assertEqual(len(set(mine.mapped("key"))), 1, "the same key in each company")
        self.assertEqual(mine.filtered(lambda r: r.company_id == self.company_2).user_id,
                         self.user_director_2)
        self.assertEqual(mine.activity_id.user_id, self.user_kam | self.user_director_2)
        self.assertEqual(len(reminders - mine), 1, "the account of the first company only")
        # the following runs send nothing more, in either company
        self.assertEqual(self._run_cron(date(2026, 12, 29)), reminders)
        self.assertEqual(self.env["kam.care.reminder"].with_user(self.user_director_2).search(
            [("partner_id", "=", self.account.id)]).company_id, self.company_2)

    def test_occasion_per_tier(self):
        self._occasion(occasion_type="fixed", fixed_month=6, fixed_day=1, lead_days=5,
                       tier_ids=[(6, 0, self.tier_a.ids)])
        reminders = self._run_cron(date(2026, 5, 30))
        self.assertEqual(reminders.partner_id, self.account, "only the tier A account")

    def test_lunar_occasion_dated_per_year(self):
        self._occasion(occasion_type="dated", lead_days=14, date_ids=[
            (0, 0, {"date": date(2026, 2, 17)}), (0, 0, {"date": date(2027, 2, 6)})])
        self.assertFalse(self._run_cron(date(2027, 1, 20)))
        reminders = self._run_cron(date(2027, 1, 25))
        self.assertEqual(set(reminders.mapped("occasion_date")), {date(2027, 2, 6)})
        self.assertEqual(self._run_cron(date(2027, 1, 26)), reminders)

    def test_anniversary_from_contract_date_or_first_order(self):
        self._occasion(occasion_type="anniversary", lead_days=7)
        self.account.kam_contract_date = date(2020, 6, 10)
        order = self._make_order(self.account_2, 500.0, when=datetime(2024, 3, 5, 10, 0))
        self.assertEqual(order.state, "sale")
        reminders = self._run_cron(date(2026, 3, 1))
        self.assertEqual(reminders.partner_id, self.account_2)
        self.assertEqual(reminders.occasion_date, date(2026, 3, 5))
        reminders = self._run_cron(date(2026, 6, 5))
        self.assertEqual(reminders.partner_id, self.accounts)
        self.assertEqual(self._run_cron(date(2026, 6, 6)), reminders)

    def test_no_anniversary_in_the_first_year(self):
        self._occasion(occasion_type="anniversary", lead_days=7)
        self.account.kam_contract_date = date(2026, 6, 10)
        self.assertFalse(self._run_cron(date(2026, 6, 5)))
        self.assertEqual(self._run_cron(date(2027, 6, 5)).occasion_date, date(2027, 6, 10))

    # ---- Bad input ----
    def test_bad_input_refused(self):
        with self.assertRaisesRegex(ValidationError, "Date"):
            self._occasion(occasion_type="fixed")
        with self.assertRaisesRegex(ValidationError, "Date"):
            self._occasion(occasion_type="fixed", fixed_month=2, fixed_day=30)
        with self.assertRaisesRegex(ValidationError, "Dates per Year"):
            self._occasion(occasion_type="dated")
        with self.assertRaisesRegex(ValidationError, "Lead Days"):
            self._occasion(occasion_type="birthday", lead_days=-1)
        with self.assertRaisesRegex(ValidationError, "Budget"):
            self._occasion(occasion_type="birthday", budget=-5)
        # 29 February is a valid fixed date
        self.assertTrue(self._occasion(occasion_type="fixed", fixed_month=2, fixed_day=29))

    # ---- Care visits and spend ----
    def test_care_visit_cost_in_the_report(self):
        occasion = self._occasion(occasion_type="fixed", fixed_month=9, fixed_day=25,
                                  lead_days=10, budget=800, gesture="Mooncakes")
        reminder = self._run_cron(date(2026, 9, 20)).filtered(
            lambda r: r.partner_id == self.account)
        action = reminder.action_kam_record_gesture()
        self.assertEqual(action["context"]["default_visit_type"], "care")
        Visit = self.env["kam.visit"].with_user(self.user_kam).with_context(**action["context"])
        visit = Visit.create({"date_start": datetime(2026, 9, 22, 2, 0),
                              "date_end": datetime(2026, 9, 22, 3, 0),
                              "expense_amount": 650.0})
        self.assertEqual(visit.care_occasion_id, occasion)
        self.assertEqual(visit.expense_planned, 800)
        self.assertEqual(reminder.visit_ids, visit)
        cancelled = Visit.create({"date_start": datetime(2026, 9, 23, 2, 0),
                                  "date_end": datetime(2026, 9, 23, 3, 0),
                                  "expense_amount": 999.0})
        cancelled.write({"state": "cancelled", "cancel_reason": "Customer postponed"})
        self.env["kam.visit"].create({
            "partner_id": self.account_2.id, "user_id": self.user_kam_2.id, "visit_type": "care",
            "date_start": datetime(2026, 9, 22, 2, 0), "date_end": datetime(2026, 9, 22, 3, 0),
            "expense_amount": 120.0})
        Report = self.env["kam.care.report"]
        spend = dict(Report._read_group(
            [("partner_id", "in", self.accounts.ids)], ["tier_id"], ["expense_amount:sum"]))
        self.assertEqual(spend, {self.tier_a: 650.0, self.tier_b: 120.0})
        # the KAM sees the spend of their own accounts only
        mine = Report.with_user(self.user_kam).search([("partner_id", "in", self.accounts.ids)])
        self.assertEqual(mine.partner_id, self.account)

    # ---- Access ----
    def test_access_per_group(self):
        self._occasion(occasion_type="fixed", fixed_month=1, fixed_day=3, lead_days=7)
        self._run_cron(date(2026, 12, 28))
        Reminder = self.env["kam.care.reminder"]
        mine = Reminder.with_user(self.user_kam).search([("partner_id", "in", self.accounts.ids)])
        self.assertEqual(mine.partner_id, self.account)
        everything = Reminder.with_user(self.user_director).search(
            [("partner_id", "in", self.accounts.ids)])
        self.assertEqual(everything.partner_id, self.accounts)
        with self.assertRaises(AccessError):
            Reminder.with_user(self.user_salesman).search([])
        with self.assertRaises(AccessError):
            self.env["kam.care.report"].with_user(self.user_salesman).search([])
        with self.assertRaises(AccessError):
            self.env["kam.care.occasion"].with_user(self.user_kam).create(
                {"name": "Mine", "occasion_type": "birthday"})
