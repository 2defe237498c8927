import re
from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo.addons.key_account_management.models.kam_flow_mixin import KAM_FLOW_KEY
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KamCommon

GROUP_SERVICE = "key_account_management.key_account_management_group_service"


class KamRelationshipCommon(KamCommon):
    """One account (Acme, KAM Kim) with two contacts, Alice and Bob; touches at known
    ages so that the strengths can be computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Relationship = cls.env["kam.relationship"]
        cls.today = cls.company._kam_today()
        cls.alice = cls.account_contact
        cls.bob = cls.env["res.partner"].create(
            {"name": "Bob Engineer", "parent_id": cls.account.id, "type": "contact"})
        cls.carol = cls.env["res.partner"].create(
            {"name": "Carol Beta", "parent_id": cls.account_2.id, "type": "contact"})
        cls.user_service = new_test_user(
            cls.env, login="kamt_rel_service", name="Sam Service", groups=GROUP_SERVICE)
        dm_role = cls.env.ref("key_account_management.kam_decision_role_decision_maker")
        cls.stakeholder_alice = cls.env["kam.stakeholder"].create({
            "partner_id": cls.account.id, "contact_id": cls.alice.id,
            "role_ids": [(6, 0, dm_role.ids)], "influence": "high",
            "owner_user_id": cls.user_kam.id,
        })

    # ---- helpers ----
    @classmethod
    def _noon(cls, days_ago):
        return datetime.combine(cls.today - timedelta(days=days_ago), time(12, 0))

    @classmethod
    def _visit(cls, days_ago, stakeholders, user=None, colleagues=None):
        visit = cls.env["kam.visit"].create({
            "partner_id": cls.account.id, "user_id": (user or cls.user_kam).id,
            "colleague_ids": [(6, 0, (colleagues or cls.env["res.users"]).ids)],
            "stakeholder_ids": [(6, 0, stakeholders.ids)], "summary": "<p>Met</p>",
            "date_start": cls._noon(days_ago), "date_end": cls._noon(days_ago) + timedelta(hours=1),
        })
        visit.action_done()
        return visit

    @classmethod
    def _meeting(cls, days_ago, user, contact):
        return cls.env["calendar.event"].create({
            "name": "Lunch", "user_id": user.id,
            "partner_ids": [(6, 0, (user.partner_id | contact).ids)],
            "start": cls._noon(days_ago), "stop": cls._noon(days_ago) + timedelta(hours=1),
        })

    @classmethod
    def _message(cls, days_ago, record, author, partners=None):
        message = record.message_post(
            body="Hello", author_id=author.id, message_type="comment",
            subtype_xmlid="mail.mt_comment", partner_ids=(partners.ids if partners else []))
        message.write({"date": cls._noon(days_ago)})
        return message

    @classmethod
    def _request(cls, days_ago, contact, user):
        return cls.env["kam.service.request"].create({
            "subject": "Line down", "partner_id": cls.account.id, "requester_id": contact.id,
            "priority": "1", "user_id": user.id, "request_date": cls._noon(days_ago),
        })

    def _rel(self, user, contact):
        return self.Relationship.search([
            ("user_id", "=", user.id), ("contact_id", "=", contact.id),
            ("company_id", "=", self.company.id)])


@tagged("post_install", "-at_install")
class TestKamRelationship(KamRelationshipCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Kim and Alice: a visit 90 days ago, a meeting 180 days ago, a message from Kim
        # to Alice and one from Alice on the account Kim follows, 10 days ago, a service
        # request of Alice's handled by Kim 45 days ago
        cls.account.message_subscribe(partner_ids=cls.user_kam.partner_id.ids)
        cls.visit = cls._visit(90, cls.stakeholder_alice)
        cls.meeting = cls._meeting(180, cls.user_kam, cls.alice)
        cls.message_out = cls._message(10, cls.account, cls.user_kam.partner_id, cls.alice)
        cls.message_in = cls._message(10, cls.account, cls.alice)
        cls.request = cls._request(45, cls.alice, cls.user_kam)
        # noise: an internal note naming Alice, a declined meeting, a cancelled visit
        cls.account.message_post(body="note", author_id=cls.user_kam.partner_id.id,
                                 message_type="comment", subtype_xmlid="mail.mt_note",
                                 partner_ids=cls.alice.ids)
        declined = cls._meeting(5, cls.user_kam, cls.alice)
        declined.attendee_ids.filtered(lambda a: a.partner_id == cls.alice).state = "declined"
        # Ken (KAM of Beta) met Carol of Beta
        cls.meeting_carol = cls._meeting(30, cls.user_kam_2, cls.carol)
        cls.stats = cls.Relationship._kam_recompute(cls.company)

    def test_strength_by_hand(self):
        """Strength = sum of weight x 0.5 ** (age / half-life), default weights message 1,
        meeting 3, visit 5, request 2 and half-life 90 days."""
        rel = self._rel(self.user_kam, self.alice)
        expected = 5 * 0.5 ** (90 / 90) + 3 * 0.5 ** (180 / 90) \
            + 2 * 1 * 0.5 ** (10 / 90) + 2 * 0.5 ** (45 / 90)
        self.assertAlmostEqual(expected, 6.516, places=3)
        self.assertAlmostEqual(rel.strength, 6.52, places=2)
        self.assertEqual((rel.message_count, rel.meeting_count, rel.visit_count,
                          rel.request_count), (2, 1, 1, 1))
        self.assertEqual(rel.last_touch_date, self.today - timedelta(days=10))
        self.assertEqual(rel.partner_id, self.account)
        self.assertEqual(rel.stakeholder_id, self.stakeholder_alice)
        self.assertTrue(rel.is_decision_maker)
        self.assertTrue(rel.is_strong)
        self.assertTrue(rel.is_strongest)
        # Ken and Carol: one meeting 30 days ago
        rel_carol = self._rel(self.user_kam_2, self.carol)
        self.assertAlmostEqual(rel_carol.strength, round(3 * 0.5 ** (30 / 90), 2), places=2)
        self.assertFalse(rel_carol.is_strong)
        # nothing for Bob, whom nobody touched; our own people are no contacts
        self.assertFalse(self.Relationship.search([("contact_id", "=", self.bob.id)]))
        self.assertFalse(self.Relationship.search(
            [("contact_id", "in", self.user_kam.partner_id.ids)]))

    def test_settings_change_strength(self):
        self.company.write({"kam_rel_weight_visit": 10.0, "kam_rel_half_life_days": 45})
        self.Relationship._kam_recompute(self.company)
        rel = self._rel(self.user_kam, self.alice)
        expected = 10 * 0.5 ** 2 + 3 * 0.5 ** 4 + 2 * 0.5 ** (10 / 45) + 2 * 0.5 ** 1
        self.assertAlmostEqual(rel.strength, round(expected, 2), places=2)

    def test_second_run_writes_nothing(self):
        self.assertEqual(self.stats["written"], 0)
        self.assertGreaterEqual(self.stats["created"], 2)
        Relationship = type(self.Relationship)
        writes = []
        original = Relationship.write

        def counting_write(records, vals):
            writes.append((records.ids, vals))
            return original(records, vals)

        with patch.object(Relationship, "write", counting_write, create=True):
            stats = self.Relationship._kam_recompute(self.company)
        self.assertEqual(stats, {"created": 0, "written": 0, "deleted": 0})
        self.assertEqual(writes, [])
        # a new touch writes that pair only
        self._message(1, self.account, self.user_kam.partner_id, self.bob)
        self._message(1, self.account, self.alice)
        with patch.object(Relationship, "write", counting_write, create=True):
            stats = self.Relationship._kam_recompute(self.company)
        self.assertEqual(stats, {"created": 1, "written": 1, "deleted": 0})
        self.assertEqual([ids for ids, _vals in writes],
                         [self._rel(self.user_kam, self.alice).ids])
        # a pair left without touch is removed
        self.meeting_carol.unlink()
        stats = self.Relationship._kam_recompute(self.company)
        self.assertEqual(stats["deleted"], 1)
        self.assertFalse(self._rel(self.user_kam_2, self.carol))

    def test_drill_down(self):
        rel = self._rel(self.user_kam, self.alice).with_user(self.user_kam)
        action = rel.action_open_messages()
        self.assertEqual(action["res_model"], "mail.message")
        self.assertEqual(sorted(action["domain"][0][2]),
                         sorted((self.message_out | self.message_in).ids))
        self.assertEqual(rel.action_open_meetings()["domain"][0][2], self.meeting.ids)
        self.assertEqual(rel.action_open_visits()["domain"][0][2], self.visit.ids)
        self.assertEqual(rel.action_open_requests()["domain"][0][2], self.request.ids)
        # who cannot read the relationship cannot list its touches
        with self.assertRaises(AccessError):
            rel.with_user(self.user_kam_2).action_open_messages()

    # ---- trust ----
    def test_flow_owned(self):
        """Nobody writes a relationship, over any path: as KAM, director, administrator,
        with ``sudo()`` or a context key a client sends."""
        rel = self._rel(self.user_kam, self.alice)
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, self.company.id)]})
        for user in (self.user_kam, self.user_director, admin):
            for env in (rel.with_user(user).env, rel.with_user(user).sudo().env,
                        rel.with_user(user).with_context(**{KAM_FLOW_KEY: True}).sudo().env):
                record = rel.with_env(env)
                with self.subTest(user=user.login, su=env.su):
                    with self.assertRaises(AccessError):
                        record.write({"strength": 99.0})
                    with self.assertRaises(AccessError):
                        record.write({"user_id": self.user_kam_2.id})
                    with self.assertRaises(AccessError):
                        record.unlink()
                    with self.assertRaises(AccessError):
                        record.create({"user_id": user.id, "contact_id": self.bob.id,
                                       "partner_id": self.account.id,
                                       "company_id": self.company.id, "strength": 50})
                    with self.assertRaises(AccessError):
                        self.Relationship.with_env(env)._kam_recompute(self.company)
        self.assertAlmostEqual(rel.strength, 6.52, places=2)

    # ---- privacy ----
    def test_privacy(self):
        rel_alice = self._rel(self.user_kam, self.alice)
        rel_carol = self._rel(self.user_kam_2, self.carol)
        both = rel_alice | rel_carol

        def visible(user):
            return self.Relationship.with_user(user).search([("id", "in", both.ids)])

        self.assertEqual(visible(self.user_kam), rel_alice)
        self.assertEqual(visible(self.user_kam_2), rel_carol)
        self.assertEqual(visible(self.user_director), both)
        self.assertFalse(visible(self.user_director_2))
        self.assertFalse(visible(self.user_salesman))
        self.assertFalse(visible(self.user_service))
        with self.assertRaises(AccessError):
            rel_alice.with_user(self.user_kam_2).read(["strength"])
        with self.assertRaises(AccessError):
            rel_alice.with_user(self.user_service).read(["strength"])
        # a team member of the account sees the account's relationships
        self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_salesman.id, "role": "sales"})
        self.assertEqual(visible(self.user_salesman), rel_alice)

    def test_own_relationship_visible(self):
        """A service user who handled Bob's request sees their own relationship."""
        self.user_service.write({"company_ids": [(4, self.company.id)],
                                 "company_id": self.company.id})
        self._request(3, self.bob, self.user_service)
        self.Relationship._kam_recompute(self.company)
        rel = self._rel(self.user_service, self.bob)
        self.assertTrue(rel)
        self.assertEqual(self.Relationship.with_user(self.user_service).search([]), rel)

    # ---- bad input ----
    def test_settings_bounds(self):
        for fname, value in (("kam_rel_half_life_days", 0), ("kam_rel_weight_message", -1),
                             ("kam_rel_weight_visit", 1e308), ("kam_rel_cold_days", 100000),
                             ("kam_rel_strong_min", -5)):
            label = self.company._fields[fname]._description_string(self.env)
            with self.subTest(field=fname), self.assertRaisesRegex(ValidationError, re.escape(label)):
                self.company.write({fname: value})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"kam_rel_half_life_days": -3}).execute()
        self.assertEqual(self.company.kam_rel_half_life_days, 90)
