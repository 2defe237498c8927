from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KamCommon, KamHttpCase


class KamVisitCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the KAMs work in their company's time zone: a visit "at noon" of the company's
        # today is dated today, at any hour of UTC
        (cls.user_kam | cls.user_kam_2 | cls.user_director).write(
            {"tz": cls.env.company._kam_tz()})
        cls.today = cls.env.company._kam_today()
        cls.contact_2 = cls.env["res.partner"].create(
            {"name": "Bob Engineer", "parent_id": cls.account.id})
        cls.stakeholder, cls.stakeholder_2 = cls.env["kam.stakeholder"].create([
            {"partner_id": cls.account.id, "contact_id": cls.account_contact.id},
            {"partner_id": cls.account.id, "contact_id": cls.contact_2.id},
        ])
        cls.account_2_contact = cls.env["res.partner"].create(
            {"name": "Carl Other", "parent_id": cls.account_2.id})
        cls.stakeholder_other = cls.env["kam.stakeholder"].create(
            {"partner_id": cls.account_2.id, "contact_id": cls.account_2_contact.id})

    def _trigger(self, xmlid):
        """Run a cron the way the scheduler does; its new cursor sees the test's data."""
        with self.enter_registry_test_mode():
            self.env.ref(f"key_account_management.{xmlid}").method_direct_trigger()

    @classmethod
    def _at(cls, day, hour=12):
        """``hour`` o'clock of ``day`` in the KAMs' time zone, as the naive UTC Odoo stores."""
        return cls.env["kam.visit"]._utc_datetime(day, hour, cls.user_kam)

    @classmethod
    def _visit(cls, partner=None, day=None, user=None, **vals):
        """A visit at noon of ``day`` (tomorrow by default)."""
        day = day or (cls.today + timedelta(days=1))
        partner = partner or cls.account
        user = user or partner.kam_manager_id or cls.user_kam
        return cls.env["kam.visit"].create({
            "partner_id": partner.id, "user_id": user.id,
            "date_start": cls._at(day), "date_end": cls._at(day, 13), **vals,
        })

    @classmethod
    def _done_visit(cls, partner, days_ago, **vals):
        return cls._visit(partner, day=cls.today - timedelta(days=days_ago), state="done",
                          summary="<p>Met them</p>", **vals)


@tagged("post_install", "-at_install")
class TestKamVisit(KamVisitCommon):
    # ---- calendar ----
    def test_sequence_and_calendar_event(self):
        visit = self._visit(colleague_ids=[(6, 0, self.user_kam_2.ids)],
                            stakeholder_ids=[(6, 0, self.stakeholder.ids)],
                            objective="Present 5G", location="HQ")
        self.assertTrue(visit.name.startswith("KV/"))
        event = visit.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.start, visit.date_start)
        self.assertEqual(event.stop, visit.date_end)
        self.assertEqual(event.user_id, self.user_kam)
        self.assertEqual(event.location, "HQ")
        self.assertIn("Present 5G", event.name)
        self.assertEqual((event.res_model, event.res_id), ("kam.visit", visit.id))
        self.assertEqual(event.partner_ids, self.user_kam.partner_id
                         | self.user_kam_2.partner_id | self.account_contact)

    def test_calendar_follows_the_visit(self):
        visit = self._visit()
        event = visit.calendar_event_id
        new_start = self._at(self.today + timedelta(days=3), 8)
        visit.write({"date_start": new_start, "date_end": new_start + timedelta(hours=2),
                     "stakeholder_ids": [(6, 0, self.stakeholder_2.ids)]})
        self.assertEqual(visit.calendar_event_id, event)
        self.assertEqual((event.start, event.stop), (new_start, new_start + timedelta(hours=2)))
        self.assertIn(self.contact_2, event.partner_ids)
        visit.cancel_reason = "Customer postponed"
        visit.action_cancel()
        self.assertEqual(visit.state, "cancelled")
        self.assertFalse(visit.calendar_event_id)
        self.assertFalse(event.exists())
        visit.action_reset_planned()
        self.assertTrue(visit.calendar_event_id, "a visit planned again gets a new event")
        new_event = visit.calendar_event_id
        visit.unlink()
        self.assertFalse(new_event.exists())

    def test_time_zone(self):
        """Datetimes are stored in UTC; the visit's day and the follow-up visit's
        hour are those of the KAM's time zone (Asia/Shanghai, UTC+8)."""
        self.user_kam.tz = "Asia/Shanghai"
        start = datetime(2026, 3, 1, 17, 0)  # 2 March 01:00 in Shanghai
        visit = self.env["kam.visit"].with_user(self.user_kam).create({
            "partner_id": self.account.id, "date_start": start,
            "date_end": start + timedelta(hours=1),
        })
        self.assertEqual(visit.visit_date, date(2026, 3, 2))
        self.assertEqual(visit.calendar_event_id.start, start)
        self.assertEqual(visit.calendar_event_id.with_user(self.user_kam).start, start)
        visit.write({"summary": "<p>ok</p>", "next_step": "Demo", "next_step_mode": "visit",
                     "next_step_date": date(2026, 3, 10)})
        visit.action_done()
        follow_up = visit.follow_up_visit_id
        # 10:00 in Shanghai is 02:00 UTC
        self.assertEqual(follow_up.date_start, datetime(2026, 3, 10, 2, 0))
        self.assertEqual(follow_up.visit_date, date(2026, 3, 10))
        self.assertEqual(follow_up.calendar_event_id.start, datetime(2026, 3, 10, 2, 0))

    # ---- completion ----
    def test_done_requires_summary(self):
        visit = self._visit(next_step="Call", next_step_date=self.today)
        with self.assertRaisesRegex(UserError, "summary"):
            visit.action_done()
        self.assertEqual(visit.state, "planned")
        self.assertFalse(visit.activity_ids)
        visit.summary = "<p><br></p>"
        with self.assertRaisesRegex(UserError, "summary"):
            visit.action_done()

    def test_done_cancelled_refused(self):
        visit = self._visit(summary="<p>x</p>")
        with self.assertRaisesRegex(UserError, "reason"):
            visit.action_cancel()
        self.assertEqual(visit.state, "planned")
        visit.cancel_reason = "Strike"
        visit.action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            visit.action_done()
        self.assertEqual(visit.state, "cancelled")
        self.assertFalse(self.account.kam_last_visit_date)

    def test_done_future_refused(self):
        """A visit dated next week cannot be done today: the account's last visit would be a
        date to come and the compliance would count a visit that did not happen."""
        visit = self._visit(day=self.today + timedelta(days=7), summary="<p>x</p>")
        with self.assertRaisesRegex(ValidationError, "after today"):
            visit.action_done()
        self.assertEqual(visit.state, "planned")
        # assertRaises (not ...Regex) rolls the failed write back, as a request would
        with self.assertRaises(ValidationError):
            visit.write({"state": "done"})
        self.env.invalidate_all()
        self.assertEqual(visit.state, "planned")
        self.assertFalse(self.account.kam_last_visit_date)
        # today's visit can be completed, and then not moved to next week
        today_visit = self._visit(day=self.today, summary="<p>x</p>")
        today_visit.action_done()
        self.assertEqual(today_visit.state, "done")
        with self.assertRaises(ValidationError):
            today_visit.write({"date_start": self._at(self.today + timedelta(days=7)),
                               "date_end": self._at(self.today + timedelta(days=7), 13)})

    def test_done_batch_all_or_nothing(self):
        good = self._visit(summary="<p>x</p>")
        bad = self._visit()
        with self.assertRaises(UserError):
            (good | bad).action_done()
        self.assertEqual((good | bad).mapped("state"), ["planned", "planned"])

    def test_done_creates_activity_and_updates_dates(self):
        day = self.today - timedelta(days=1)
        visit = self._visit(day=day, stakeholder_ids=[(6, 0, self.stakeholder.ids)],
                            summary="<p>Good talk</p>", next_step="Send the proposal",
                            next_step_date=self.today + timedelta(days=5))
        self.assertTrue(self.account.kam_visit_overdue)
        visit.action_done()
        self.assertEqual(visit.state, "done")
        activity = visit.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_kam)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=5))
        self.assertEqual(activity.summary, "Send the proposal")
        self.assertEqual(self.stakeholder.last_contact_date, day)
        self.assertFalse(self.stakeholder_2.last_contact_date)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_last_visit_date, day)
        self.assertFalse(self.account.kam_visit_overdue)
        with self.assertRaisesRegex(UserError, "already done"):
            visit.action_done()
        # reopening the visit takes its date back from the stakeholder
        visit.action_reset_planned()
        self.assertFalse(self.stakeholder.last_contact_date)

    def test_done_follow_up_visit(self):
        visit = self._visit(day=self.today, summary="<p>ok</p>", next_step="Technical workshop",
                            next_step_mode="visit", next_step_date=self.today + timedelta(days=7),
                            colleague_ids=[(6, 0, self.user_kam_2.ids)])
        visit.action_done()
        follow_up = visit.follow_up_visit_id
        self.assertEqual(follow_up.state, "planned")
        self.assertEqual(follow_up.objective, "Technical workshop")
        self.assertEqual(follow_up.visit_date, self.today + timedelta(days=7))
        self.assertEqual(follow_up.colleague_ids, self.user_kam_2)
        self.assertFalse(visit.activity_ids)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_next_visit_date, self.today + timedelta(days=7))

    # ---- bad input ----
    def test_end_before_start(self):
        with self.assertRaisesRegex(ValidationError, "end"):
            self._visit(date_end=self._at(self.today, 1))
        visit = self._visit()
        start = visit.date_start
        with self.assertRaisesRegex(ValidationError, "end"):
            visit.write({"date_end": start - timedelta(hours=1)})

    def test_satisfaction_range(self):
        visit = self._visit()
        for value in (0, 1, 5):
            visit.satisfaction = value
        for value in (6, -1):
            with self.assertRaisesRegex(ValidationError, "satisfaction"), self.env.cr.savepoint():
                visit.write({"satisfaction": value})
        visit.invalidate_recordset()
        self.assertEqual(visit.satisfaction, 5)

    def test_negative_expenses(self):
        with self.assertRaisesRegex(ValidationError, "expenses"):
            self._visit(expense_planned=-1)
        visit = self._visit(expense_planned=10)
        with self.assertRaisesRegex(ValidationError, "expenses"):
            visit.write({"expense_amount": -5})

    def test_stakeholder_of_other_account(self):
        with self.assertRaisesRegex(ValidationError, "stakeholders"):
            self._visit(stakeholder_ids=[(6, 0, self.stakeholder_other.ids)])

    def test_done_visit_not_deleted(self):
        visit = self._done_visit(self.account, 1)
        with self.assertRaises(UserError):
            visit.unlink()

    # ---- cadence and overdue ----
    def test_overdue_by_tier(self):
        """Each tier's interval: visited exactly `interval` days ago is on time,
        one day more is overdue, never visited is overdue."""
        Partner = self.env["res.partner"]
        for tier in (self.tier_a, self.tier_b, self.tier_c):
            on_time, late, never = Partner.create([
                {"name": f"{tier.code} on time", "is_company": True},
                {"name": f"{tier.code} late", "is_company": True},
                {"name": f"{tier.code} never", "is_company": True},
            ])
            (on_time | late | never).write({
                "kam_state": "registered", "kam_tier_id": tier.id,
                "kam_manager_id": self.user_kam.id})
            interval = tier.visit_interval_days
            self._done_visit(on_time, interval)
            self._done_visit(late, interval + 1)
            self.assertFalse(on_time.kam_visit_overdue, tier.name)
            self.assertEqual(on_time.kam_visit_due_date, self.today)
            self.assertTrue(late.kam_visit_overdue, tier.name)
            self.assertEqual(late.kam_visit_due_date, self.today - timedelta(days=1))
            self.assertEqual(late.kam_last_visit_date, self.today - timedelta(days=interval + 1))
            self.assertTrue(never.kam_visit_overdue, tier.name)
            overdue = Partner.search([("kam_visit_overdue", "=", True),
                                      ("id", "in", (on_time | late | never).ids)])
            self.assertEqual(overdue, late | never)
            not_overdue = Partner.search([("kam_visit_overdue", "=", False),
                                          ("id", "in", (on_time | late | never).ids)])
            self.assertEqual(not_overdue, on_time)

    def test_overdue_only_registered_with_cadence(self):
        self.account_2.kam_state = "nominated"
        self.assertFalse(self.account_2.kam_visit_overdue)
        self.account_2.kam_state = "registered"
        self.tier_b.visit_interval_days = 0
        self.account_2.invalidate_recordset()
        self.assertFalse(self.account_2.kam_visit_overdue)
        self.tier_b.visit_interval_days = 30
        self.account_2.invalidate_recordset()
        self.assertTrue(self.account_2.kam_visit_overdue)

    def test_overdue_ignores_cancelled_and_planned(self):
        self._visit(day=self.today - timedelta(days=1), state="cancelled", cancel_reason="x")
        self._visit(day=self.today + timedelta(days=2))
        self.assertTrue(self.account.kam_visit_overdue)
        self.assertFalse(self.account.kam_last_visit_date)
        self.assertEqual(self.account.kam_next_visit_date, self.today + timedelta(days=2))
        self.assertEqual(self.account.kam_visit_count, 2)

    def test_overdue_per_company(self):
        """Visits of another company do not count for this company's cadence."""
        self.env["kam.visit"].create({
            "partner_id": self.account.id, "user_id": self.user_kam.id,
            "company_id": self.company_2.id, "state": "done", "summary": "<p>x</p>",
            "date_start": self._at(self.today), "date_end": self._at(self.today, 13),
        })
        self.assertTrue(self.account.kam_visit_overdue)
        self.assertFalse(self.account.kam_last_visit_date)

    def test_visit_dates_batch_query_count(self):
        """The account list computes the visit figures of all rows in a fixed
        number of queries, whatever their number."""
        Partner = self.env["res.partner"]

        def make(count):
            partners = Partner.create([
                {"name": f"Batch {count} {i}", "is_company": True} for i in range(count)])
            partners.write({"kam_state": "registered", "kam_tier_id": self.tier_b.id,
                            "kam_manager_id": self.user_kam.id})
            for partner in partners:
                self._done_visit(partner, 3)
            self.env.invalidate_all()
            return Partner.browse(partners.ids)

        small, large = make(3), make(12)
        with self.assertQueryCount(4):
            small.mapped("kam_visit_overdue")
        with self.assertQueryCount(4):
            large.mapped("kam_visit_overdue")
        self.assertFalse(any(large.mapped("kam_visit_overdue")))

    # ---- stakeholder ----
    def test_stakeholder_visits(self):
        visit = self._visit(stakeholder_ids=[(6, 0, (self.stakeholder | self.stakeholder_2).ids)],
                            summary="<p>x</p>", day=self.today - timedelta(days=2))
        older = self._visit(stakeholder_ids=[(6, 0, self.stakeholder.ids)],
                            summary="<p>x</p>", day=self.today - timedelta(days=9))
        (visit | older).action_done()
        self.assertEqual(self.stakeholder.visit_count, 2)
        self.assertEqual(self.stakeholder.visit_ids, visit | older)
        self.assertEqual(self.stakeholder.last_contact_date, self.today - timedelta(days=2))
        self.assertEqual(self.stakeholder_2.last_contact_date, self.today - timedelta(days=2))
        dates = (self.stakeholder | self.stakeholder_2)._get_last_contact_dates()
        self.assertEqual(dates, {self.stakeholder.id: self.today - timedelta(days=2),
                                 self.stakeholder_2.id: self.today - timedelta(days=2)})
        action = self.stakeholder.action_view_visits()
        self.assertEqual(self.env["kam.visit"].search(action["domain"]), visit | older)
        form = self.env["kam.stakeholder"].with_user(self.user_kam).get_views(
            [(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_view_visits"', form, "the stakeholder form has a Visits button")

    # ---- handover ----
    def test_handover_moves_planned_visits(self):
        planned = self._visit()
        done = self._done_visit(self.account, 2)
        self.account._kam_handover_records(self.user_kam, self.user_kam_2)
        self.assertEqual(planned.user_id, self.user_kam_2)
        self.assertEqual(planned.calendar_event_id.user_id, self.user_kam_2)
        self.assertEqual(done.user_id, self.user_kam)

    # ---- access ----
    def test_access_per_group(self):
        visit = self._visit()
        Visit = self.env["kam.visit"]
        # the KAM of the account reads and edits it
        visit.with_user(self.user_kam).write({"objective": "Mine"})
        # another KAM does not see it, until they join the account team
        self.assertFalse(Visit.with_user(self.user_kam_2).search([("id", "=", visit.id)]))
        with self.assertRaises(AccessError):
            visit.with_user(self.user_kam_2).read(["objective"])
        with self.assertRaises(AccessError):
            Visit.with_user(self.user_kam_2).create({
                "partner_id": self.account.id, "user_id": self.user_kam.id,
                "date_start": self._at(self.today), "date_end": self._at(self.today, 13)})
        self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_kam_2.id, "role": "technical"})
        visit.with_user(self.user_kam_2).write({"location": "Team member edits"})
        # a plain salesman has no access to visits at all, but still reads the
        # account (its visit dates included)
        with self.assertRaises(AccessError):
            visit.with_user(self.user_salesman).read(["objective"])
        data = self.account.with_user(self.user_salesman).read(
            ["kam_visit_overdue", "kam_last_visit_date", "kam_next_visit_date"])[0]
        self.assertTrue(data["kam_visit_overdue"])
        self.assertEqual(data["kam_next_visit_date"], visit.visit_date)
        self.assertNotIn("kam_visit_ids",
                         self.env["res.partner"].with_user(self.user_salesman).fields_get())
        # directors see all visits of their companies, not of other companies
        visit.with_user(self.user_director).write({"objective": "Director"})
        with self.assertRaises(AccessError):
            visit.with_user(self.user_director_2).read(["objective"])

    def test_kam_creates_visit_from_account(self):
        action = self.account.with_user(self.user_kam).action_view_kam_visits()
        visit = self.env["kam.visit"].with_user(self.user_kam).with_context(
            **action["context"]).create({
                "date_start": self._at(self.today), "date_end": self._at(self.today, 13)})
        self.assertEqual(visit.partner_id, self.account)
        self.assertEqual(visit.user_id, self.user_kam)
        self.assertEqual(self.env["kam.visit"].search(action["domain"]), visit)
        self.assertTrue(visit.calendar_event_id)

    # ---- printing ----
    def test_visit_report_renders(self):
        visit = self._done_visit(
            self.account, 1, objective="Pilot kick-off", selling_points="<p>Fast roll-out</p>",
            product_line_ids=[(0, 0, {"product_id": self.product.id, "quantity": 12})],
            satisfaction=4)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "key_account_management.kam_visit_report_action", visit.ids)
        html = html.decode()
        for text in (visit.name, "Pilot kick-off", "Fast roll-out", "Met them",
                     "Fibre Line 1G", "Acme Telecom Group"):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestKamVisitCompliance(KamVisitCommon):
    def test_compliance_report(self):
        """Visits done / visits required by the tier's cadence, per account,
        KAM and month, limited to the accounts a KAM serves."""
        month = self.today.replace(day=1)
        self._done_visit(self.account, 0)
        days = ((month + relativedelta(months=1)) - month).days
        self.env.flush_all()
        Report = self.env["kam.visit.compliance.report"]
        rows = Report.search([("month", "=", month),
                              ("partner_id", "in", (self.account | self.account_2).ids)])
        self.assertEqual(len(rows), 2)
        row = rows.filtered(lambda r: r.partner_id == self.account)
        self.assertEqual((row.user_id, row.tier_id, row.company_id),
                         (self.user_kam, self.tier_a, self.company))
        self.assertEqual(row.visits_done, 1)
        self.assertAlmostEqual(row.visits_required, days / 14, places=2)
        self.assertAlmostEqual(row.compliance, min(100.0, 100 * 14 / days), places=1)
        row_2 = rows - row
        self.assertEqual((row_2.visits_done, row_2.compliance), (0, 0))
        self.assertAlmostEqual(row_2.visits_required, days / 30, places=2)
        # twelve months per account
        self.assertEqual(Report.search_count([("partner_id", "=", self.account.id)]), 12)
        # pivot figures per KAM
        groups = dict(Report._read_group(
            [("month", "=", month), ("partner_id", "in", (self.account | self.account_2).ids)],
            ["user_id"], ["visits_done:sum"]))
        self.assertEqual(groups, {self.user_kam: 1, self.user_kam_2: 0})
        # a KAM sees the rows of their accounts only
        mine = Report.with_user(self.user_kam).search([("month", "=", month)])
        self.assertEqual(mine.partner_id, self.account)
        self.assertEqual(Report.with_user(self.user_director_2).search_count([]), 0)


@tagged("post_install", "-at_install")
class TestKamVisitUi(KamHttpCase):
    def test_tour_kam_visit(self):
        """A KAM plans a visit from an overdue account, completes it with a
        report and sees the account no longer overdue."""
        kam = new_test_user(
            self.env, login="kamt_tour_user", name="Tour KAM", tz="UTC",
            groups="key_account_management.key_account_management_group_manager")
        tier = self.env["kam.tier"].create(
            {"name": "Tour Tier", "code": "TT", "visit_interval_days": 14})
        account = self.env["res.partner"].create(
            {"name": "Tour Overdue Account", "is_company": True})
        account.write({"kam_state": "registered", "kam_tier_id": tier.id,
                       "kam_manager_id": kam.id})
        self.assertTrue(account.kam_visit_overdue)
        self.start_tour("/odoo", "kam_visit_tour", login="kamt_tour_user")
        visit = self.env["kam.visit"].search([("partner_id", "=", account.id)])
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.objective, "Quarterly review")
        self.assertIn("Renewal agreed", visit.summary)
        account.invalidate_recordset()
        self.assertFalse(account.kam_visit_overdue)
