from contextlib import contextmanager
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import KamCommon


class KamStakeholderCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.person_2, cls.person_3, cls.person_4 = Partner.create([
            {"name": "Bob Engineer", "parent_id": cls.account.id},
            {"name": "Carol Finance", "parent_id": cls.account.id},
            {"name": "Dan Ops", "parent_id": cls.account.id},
        ])
        cls.account_2_person = Partner.create({"name": "Eve Other", "parent_id": cls.account_2.id})
        cls.competitor = Partner.create({"name": "Rival Networks", "is_company": True})
        cls.role_dm = cls.env.ref("key_account_management.kam_decision_role_decision_maker")
        cls.role_coach = cls.env.ref("key_account_management.kam_decision_role_coach")
        cls.role_tech = cls.env.ref("key_account_management.kam_decision_role_technical")
        cls.role_user = cls.env.ref("key_account_management.kam_decision_role_user")
        cls.today = cls.env.company._kam_today()

    @contextmanager
    def _refused(self, pattern):
        """The block raises a ValidationError whose message matches ``pattern``
        (rolled back, like ``assertRaises``)."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    @classmethod
    def _stakeholder(cls, contact, account=None, **vals):
        return cls.env["kam.stakeholder"].create({
            "partner_id": (account or cls.account).id, "contact_id": contact.id, **vals})


@tagged("post_install", "-at_install")
class TestKamStakeholder(KamStakeholderCommon):
    def test_decision_roles_data(self):
        """The eight roles of the practice exist; exactly one decision-maker and one coach role."""
        roles = self.env["kam.decision.role"].search([])
        self.assertGreaterEqual(len(roles), 8)
        self.assertEqual(roles.filtered("is_decision_maker"), self.role_dm)
        self.assertEqual(roles.filtered("is_coach"), self.role_coach)
        self.assertEqual(self.role_dm.name, "Decision Maker / Economic Buyer")

    def test_attitude_value_and_roles(self):
        stakeholder = self._stakeholder(
            self.account_contact, attitude="-5",
            role_ids=[(6, 0, (self.role_dm | self.role_tech).ids)])
        self.assertEqual(stakeholder.attitude_value, -5)
        self.assertTrue(stakeholder.is_decision_maker)
        self.assertFalse(stakeholder.is_coach)
        stakeholder.write({"attitude": 4, "role_ids": [(6, 0, self.role_coach.ids)]})
        self.assertEqual(stakeholder.attitude, "4")
        self.assertEqual(stakeholder.attitude_value, 4)
        self.assertFalse(stakeholder.is_decision_maker)
        self.assertTrue(stakeholder.is_coach)
        stakeholder.attitude = False
        self.assertEqual(stakeholder.attitude_value, 0)
        # numeric sort: +4 before +1 before -3
        others = self._stakeholder(self.person_2, attitude="1") | self._stakeholder(
            self.person_3, attitude="-3")
        stakeholder.attitude = "4"
        found = self.env["kam.stakeholder"].search(
            [("id", "in", (stakeholder | others).ids)], order="attitude_value desc")
        self.assertEqual(found.mapped("attitude_value"), [4, 1, -3])

    def test_attitude_outside_scale(self):
        with self._refused("Attitude: 7 is not on the scale"):
            self._stakeholder(self.account_contact, attitude="7")
        stakeholder = self._stakeholder(self.account_contact, attitude="2")
        with self._refused("not on the scale"):
            stakeholder.write({"attitude": "-4"})
        self.assertEqual(stakeholder.attitude, "2")

    def test_competitor_required_at_minus_ten(self):
        with self._refused("Favoured Competitor.*name the competitor"):
            self._stakeholder(self.account_contact, attitude="-10")
        stakeholder = self._stakeholder(
            self.account_contact, attitude="-10", competitor_id=self.competitor.id)
        self.assertEqual(stakeholder.attitude_value, -10)
        with self._refused("own competitor"):
            stakeholder.competitor_id = self.account

    def test_person_of_another_account(self):
        with self._refused("Eve Other does not belong to the account"):
            self._stakeholder(self.account_2_person)
        loner = self.env["res.partner"].create({"name": "Freelancer"})
        with self._refused("does not belong to the account"):
            self._stakeholder(loner)

    def test_person_of_another_company(self):
        """A person restricted to another company of the database is refused."""
        foreign = self.env["res.partner"].create({
            "name": "Foreign Person", "parent_id": self.account.id,
            "company_id": self.company_2.id})
        with self.assertRaises(UserError):
            self._stakeholder(foreign)

    def test_same_person_twice(self):
        first = self._stakeholder(self.account_contact)
        first.action_archive()
        with self._refused("already a stakeholder of Acme Telecom Group"):
            self._stakeholder(self.account_contact)
        # another company may map the same person in its own decision unit
        other = self.env["kam.stakeholder"].with_company(self.company_2).create({
            "partner_id": self.account.id, "contact_id": self.account_contact.id,
            "company_id": self.company_2.id})
        self.assertEqual(other.company_id, self.company_2)

    def test_reporting_lines(self):
        boss = self._stakeholder(self.account_contact)
        engineer = self._stakeholder(self.person_2, reports_to_id=boss.id)
        ops = self._stakeholder(self.person_3, reports_to_id=engineer.id)
        self.assertEqual(boss.report_ids, engineer)
        with self._refused("cycle"):
            boss.reports_to_id = ops
        with self._refused("cycle"):
            boss.reports_to_id = boss
        other = self._stakeholder(self.account_2_person, account=self.account_2)
        with self._refused("stakeholder of another account"):
            ops.reports_to_id = other
        self.assertEqual(ops.reports_to_id, engineer)

    def test_influence_links(self):
        a = self._stakeholder(self.account_contact)
        b = self._stakeholder(self.person_2)
        link = self.env["kam.stakeholder.link"].create(
            {"source_id": a.id, "target_id": b.id, "strength": "weak"})
        self.assertEqual(link.partner_id, self.account)
        self.assertEqual(a.influence_link_ids, link)
        self.assertEqual(b.influenced_by_link_ids, link)
        with self._refused("cannot influence themselves"):
            self.env["kam.stakeholder.link"].create({"source_id": a.id, "target_id": a.id})
        other = self._stakeholder(self.account_2_person, account=self.account_2)
        with self._refused("different accounts"):
            self.env["kam.stakeholder.link"].create({"source_id": a.id, "target_id": other.id})

    def test_kanban_grouped_by_role(self):
        """A stakeholder with two roles shows in both columns of the kanban by role."""
        stakeholder = self._stakeholder(
            self.account_contact, role_ids=[(6, 0, (self.role_dm | self.role_coach).ids)])
        groups = self.env["kam.stakeholder"]._read_group(
            [("id", "=", stakeholder.id)], ["role_ids"], ["__count"])
        self.assertEqual({role for role, _count in groups}, {self.role_dm, self.role_coach})

    def test_form_creates_person_inline(self):
        """A new person typed in the form is created as a contact of the account."""
        form = Form(self.env["kam.stakeholder"].with_context(default_partner_id=self.account.id))
        person = self.env["res.partner"].with_context(
            default_parent_id=self.account.id, default_type="contact").name_create("Grace New")[0]
        form.contact_id = self.env["res.partner"].browse(person)
        form.attitude = "3"
        form.role_ids.add(self.role_tech)
        stakeholder = form.save()
        self.assertEqual(stakeholder.contact_id.parent_id, self.account)
        self.assertEqual(stakeholder.name, "Grace New")
        self.assertEqual(stakeholder.owner_user_id, self.env.user)

    def test_last_contact_from_meetings(self):
        """Past meetings the person attended set the date; future and declined ones do not."""
        stakeholder = self._stakeholder(self.account_contact)
        engineer = self._stakeholder(self.person_2)
        self.assertFalse(stakeholder.last_contact_date)
        now = fields.Datetime.now()
        Event = self.env["calendar.event"]
        Event.create({
            "name": "Kick-off", "start": now - timedelta(days=10),
            "stop": now - timedelta(days=10, hours=-1),
            "partner_ids": [(6, 0, (self.account_contact | self.person_2).ids)],
        })
        self.assertEqual(stakeholder.last_contact_date, self.today - timedelta(days=10))
        self.assertEqual(engineer.last_contact_date, self.today - timedelta(days=10))
        later = Event.create({
            "name": "Review", "start": now - timedelta(days=3),
            "stop": now - timedelta(days=3, hours=-1),
            "partner_ids": [(6, 0, self.account_contact.ids)],
        })
        future = Event.create({
            "name": "Next steps", "start": now + timedelta(days=3),
            "stop": now + timedelta(days=3, hours=1),
            "partner_ids": [(6, 0, self.person_2.ids)],
        })
        self.assertEqual(stakeholder.last_contact_date, self.today - timedelta(days=3))
        self.assertEqual(engineer.last_contact_date, self.today - timedelta(days=10))
        # moving the meeting to the future, or declining it, removes it
        later.write({"start": now + timedelta(days=1), "stop": now + timedelta(days=1, hours=1)})
        self.assertEqual(stakeholder.last_contact_date, self.today - timedelta(days=10))
        # a future meeting that happens: the daily cron picks it up
        self.env.cr.execute(
            "UPDATE calendar_event SET start = start - interval '5 days', "
            "stop = stop - interval '5 days' WHERE id = %s", [future.id])
        future.invalidate_recordset()
        self.assertEqual(engineer.last_contact_date, self.today - timedelta(days=10))
        cron = self.env.ref("key_account_management.ir_cron_kam_stakeholder_last_contact")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(engineer.last_contact_date, self.today - timedelta(days=2))
        write_date = engineer.write_date
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(engineer.last_contact_date, self.today - timedelta(days=2))
        self.assertEqual(engineer.write_date, write_date, "a second run changes nothing")
        # deleting the meetings
        Event.search([("partner_ids", "in", self.account_contact.ids)]).unlink()
        self.assertFalse(stakeholder.last_contact_date)

    def test_last_contact_batch_query(self):
        """The meeting dates of many stakeholders are read in one query."""
        stakeholders = self._stakeholder(self.account_contact) | self._stakeholder(
            self.person_2) | self._stakeholder(self.person_3)
        self.env.flush_all()
        with self.assertQueryCount(1):
            stakeholders._get_meeting_contact_dates()


@tagged("post_install", "-at_install")
class TestKamStakeholderAccess(KamStakeholderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stakeholder = cls._stakeholder(
            cls.account_contact, attitude="3", personal_needs="Wants a promotion")
        cls.other_stakeholder = cls._stakeholder(cls.account_2_person, account=cls.account_2)
        cls.link = cls.env["kam.stakeholder.link"].create({
            "source_id": cls.stakeholder.id,
            "target_id": cls._stakeholder(cls.person_2).id,
        })

    def test_account_kam_allowed(self):
        stakeholder = self.stakeholder.with_user(self.user_kam)
        self.assertEqual(stakeholder.personal_needs, "Wants a promotion")
        stakeholder.write({"attitude": "4"})
        created = self.env["kam.stakeholder"].with_user(self.user_kam).create({
            "partner_id": self.account.id, "contact_id": self.person_3.id})
        self.assertEqual(created.partner_id, self.account)
        self.link.with_user(self.user_kam).read(["strength"])

    def test_other_kam_denied(self):
        """The manager of another account gets an access error, not an empty page."""
        stakeholder = self.stakeholder.with_user(self.user_kam_2)
        with self.assertRaises(AccessError):
            stakeholder.read(["personal_needs"])
        with self.assertRaises(AccessError):
            stakeholder.write({"attitude": "-3"})
        with self.assertRaises(AccessError):
            self.env["kam.stakeholder"].with_user(self.user_kam_2).create({
                "partner_id": self.account.id, "contact_id": self.person_3.id})
        with self.assertRaises(AccessError):
            self.link.with_user(self.user_kam_2).read(["strength"])
        found = self.env["kam.stakeholder"].with_user(self.user_kam_2).search([])
        self.assertEqual(found, self.other_stakeholder)

    def test_team_member_allowed(self):
        """A sales user on the account team (a technician) works on the decision unit."""
        with self.assertRaises(AccessError):
            self.stakeholder.with_user(self.user_salesman).read(["attitude"])
        self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_salesman.id, "role": "technical"})
        stakeholder = self.stakeholder.with_user(self.user_salesman)
        self.assertEqual(stakeholder.attitude, "3")
        stakeholder.write({"interests": "Tennis"})
        with self.assertRaises(AccessError):
            self.other_stakeholder.with_user(self.user_salesman).read(["attitude"])

    def test_director_allowed(self):
        found = self.env["kam.stakeholder"].with_user(self.user_director).search(
            [("id", "in", (self.stakeholder | self.other_stakeholder).ids)])
        self.assertEqual(found, self.stakeholder | self.other_stakeholder)
        self.stakeholder.with_user(self.user_director).write({"influence": "high"})
        self.link.with_user(self.user_director).write({"strength": "weak"})

    def test_director_other_company_denied(self):
        with self.assertRaises(AccessError):
            self.stakeholder.with_user(self.user_director_2).read(["attitude"])
        with self.assertRaises(AccessError):
            self.link.with_user(self.user_director_2).read(["strength"])

    def test_roles_access(self):
        """Everybody in sales reads the roles; only directors define them."""
        self.role_dm.with_user(self.user_salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.env["kam.decision.role"].with_user(self.user_kam).create(
                {"name": "X", "code": "X"})
        role = self.env["kam.decision.role"].with_user(self.user_director).create(
            {"name": "Project Manager", "code": "PM"})
        self.assertTrue(role.active)
