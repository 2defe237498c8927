import re
from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo.addons.key_account_management.models.kam_flow_mixin import KAM_FLOW_KEY
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

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

    def test_touch_on_the_company_day(self):
        """A message sent at 20:00 UTC counts on the next day in Shanghai."""
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        self.assertEqual(self.company._kam_tz(), "Asia/Shanghai")
        today = self.company._kam_today()
        day = today - timedelta(days=3)
        message = self._message(0, self.account, self.bob)
        message.write({"date": datetime.combine(day - timedelta(days=1), time(20, 0))})
        self.account.message_subscribe(partner_ids=self.user_kam_2.partner_id.ids)
        self.Relationship._kam_recompute(self.company)
        rel = self._rel(self.user_kam_2, self.bob)
        self.assertEqual(rel.last_touch_date, day)
        self.assertAlmostEqual(rel.strength, round(0.5 ** (3 / 90), 2), places=2)

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
        original = Relationship._kam_write_rows

        def counting_write(records, rows):
            writes.append(([rid for rid, _values in rows], rows))
            return original(records, rows)

        with patch.object(Relationship, "_kam_write_rows", counting_write, create=True):
            stats = self.Relationship._kam_recompute(self.company)
        self.assertEqual(stats, {"created": 0, "written": 0, "deleted": 0})
        self.assertEqual(writes, [])
        # a new touch writes that pair only
        self._message(1, self.account, self.user_kam.partner_id, self.bob)
        self._message(1, self.account, self.alice)
        with patch.object(Relationship, "_kam_write_rows", counting_write, create=True):
            stats = self.Relationship._kam_recompute(self.company)
        self.assertEqual(stats, {"created": 1, "written": 1, "deleted": 0})
        rel_alice = self._rel(self.user_kam, self.alice)
        self.assertEqual([ids for ids, _rows in writes], [rel_alice.ids])
        # the batched SQL wrote the new values, the cache shows them
        self.assertEqual((rel_alice.message_count, rel_alice.last_touch_date),
                         (3, self.today - timedelta(days=1)))
        self.assertTrue(rel_alice.is_strong and rel_alice.is_decision_maker)
        rel_bob = self._rel(self.user_kam, self.bob)
        self.assertEqual((rel_bob.message_count, rel_bob.partner_id, rel_bob.is_strong,
                          rel_bob.create_uid.id, rel_bob.write_uid.id),
                         (1, self.account, False, self.env.uid, self.env.uid))
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
                    # nor the job's batched SQL writes, called from other server code
                    values = {"strength": 99.0}
                    with self.assertRaises(AccessError):
                        record._kam_write_rows([(rel.id, values)])
                    with self.assertRaises(AccessError):
                        record._kam_insert_rows(
                            {(user.id, self.bob.id, self.company.id): values})
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


@tagged("post_install", "-at_install")
class TestKamRelationshipCoverage(KamRelationshipCommon):
    """Red flags from strength on the decision unit, the coverage map, who knows whom,
    the handover wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dan = Partner.create({"name": "Dan Director", "parent_id": cls.account.id})
        cls.cora = Partner.create({"name": "Cora Coach", "parent_id": cls.account.id})
        dm_role = cls.env.ref("key_account_management.kam_decision_role_decision_maker")
        coach_role = cls.env.ref("key_account_management.kam_decision_role_coach")
        cls.stakeholder_dan = cls.env["kam.stakeholder"].create({
            "partner_id": cls.account.id, "contact_id": cls.dan.id,
            "role_ids": [(6, 0, dm_role.ids)], "influence": "medium"})
        cls.stakeholder_cora = cls.env["kam.stakeholder"].create({
            "partner_id": cls.account.id, "contact_id": cls.cora.id,
            "role_ids": [(6, 0, coach_role.ids)], "influence": "low"})
        # Kim: a visit with Alice today (5.0, strong), a message from Cora 100 days ago
        cls._visit(0, cls.stakeholder_alice)
        cls.account.message_subscribe(partner_ids=cls.user_kam.partner_id.ids)
        cls._message(100, cls.account, cls.cora)

    def _flags(self, user=None):
        account = self.account.with_user(user or self.user_kam)
        account.invalidate_recordset()
        return {flag for flag in ("single_threaded", "no_economic_buyer_link",
                                  "held_by_leaving", "coach_cold")
                if account[f"kam_flag_{flag}"]}

    def test_flags_wait_for_the_first_run(self):
        """Before the job ran in the company, single-threaded counts contacted
        stakeholders (Alice only: flagged) and the strength flags are not raised."""
        self.assertEqual(self._flags(), {"single_threaded"})

    def test_flags_from_strength(self):
        Relationship = self.Relationship
        Relationship._kam_recompute(self.company)
        self.assertEqual(self._flags(), {"single_threaded", "coach_cold"})
        html = self.account.with_user(self.user_kam).kam_red_flag_html
        self.assertIn("1 strong link(s)", html)
        self.assertIn("Kim Manager - Alice Buyer", html)
        self.assertIn("Cora Coach (last ", html)
        # Ken, off the team, meets Dan twice today: a second strong link, held by someone
        # who is not on the team
        self._meeting(0, self.user_kam_2, self.dan)
        self._meeting(0, self.user_kam_2, self.dan)
        Relationship._kam_recompute(self.company)
        self.assertTrue(self._rel(self.user_kam_2, self.dan).is_strong)
        self.assertEqual(self._flags(), {"held_by_leaving", "coach_cold"})
        self.assertIn("Dan Director (by Ken Manager)",
                      self.account.with_user(self.user_kam).kam_red_flag_html)
        # Ken joins the team: the link is the team's
        self.user_kam_2.write({"company_ids": [(4, self.company.id)]})
        self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_kam_2.id, "role": "sales"})
        self.assertEqual(self._flags(), {"coach_cold"})
        # Kim archived: Alice's only strong link is held by someone leaving, and one
        # strong link of an active user is left
        self.user_kam.action_archive()
        self.assertEqual(self._flags(self.user_director),
                         {"single_threaded", "no_economic_buyer_link", "held_by_leaving",
                          "coach_cold"})
        self.user_kam.action_unarchive()
        # the economic buyer: the decision makers of high influence (Dan now), linked
        # to Ken only; without Ken's link nobody of us has one
        self.stakeholder_alice.influence = "medium"
        self.stakeholder_dan.influence = "high"
        self.assertNotIn("no_economic_buyer_link", self._flags())
        self.company.kam_rel_strong_min = 7.0
        self.assertIn("no_economic_buyer_link", self._flags())
        # Cora touched recently: the coach is warm again
        self._message(1, self.account, self.cora)
        Relationship._kam_recompute(self.company)
        self.assertNotIn("coach_cold", self._flags())

    def test_flags_batch_queries(self):
        """The flags from strength of many accounts cost as many queries as of a few."""
        Partner = self.env["res.partner"]
        dm_role = self.env.ref("key_account_management.kam_decision_role_decision_maker")
        accounts = Partner.create([{"name": f"Bank {i}", "is_company": True} for i in range(6)])
        accounts.write({"kam_state": "registered", "kam_tier_id": self.tier_b.id,
                        "kam_manager_id": self.user_kam.id})
        for account in accounts:
            person = Partner.create({"name": f"Person of {account.name}", "parent_id": account.id})
            stakeholder = self.env["kam.stakeholder"].create({
                "partner_id": account.id, "contact_id": person.id, "influence": "high",
                "role_ids": [(6, 0, dm_role.ids)]})
            self._meeting(2, self.user_kam, person)
            self._meeting(3, self.user_kam_2, person)
            self.assertTrue(stakeholder)
        self.Relationship._kam_recompute(self.company)
        self.env.flush_all()

        def count(records):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            values = records.with_user(self.user_kam).mapped("kam_red_flag_count")
            return self.env.cr.sql_log_count - start, values

        count(accounts[:1])  # warm the caches
        count(accounts[:1])
        few, _few_values = count(accounts[1:3])
        many, many_values = count(accounts)
        few_again, _few_values = count(accounts[1:3])
        self.assertEqual(few, few_again)
        self.assertEqual(many, few)
        # single-threaded (no strong link), no link to the economic buyer, no coach...
        self.assertTrue(all(many_values))
        self.assertTrue(accounts.with_user(self.user_kam).mapped("kam_flag_no_economic_buyer_link")[0])

    def test_flags_private(self):
        self.Relationship._kam_recompute(self.company)
        self.assertFalse(self._flags(self.user_kam_2))
        self.assertFalse(self.account.with_user(self.user_kam_2).kam_red_flag_html)

    def test_coverage_map_and_who_knows(self):
        self.Relationship._kam_recompute(self.company)
        action = self.account.with_user(self.user_kam).action_kam_view_coverage_map()
        self.assertEqual(action["res_model"], "kam.relationship")
        shown = self.Relationship.with_user(self.user_kam).search(action["domain"])
        self.assertEqual(shown.contact_id, self.alice | self.cora)
        alice_rel = self._rel(self.user_kam, self.alice)
        self.assertTrue(alice_rel.is_strongest)
        action = self.alice.with_user(self.user_kam).action_kam_view_relationships()
        self.assertEqual(self.Relationship.with_user(self.user_kam).search(action["domain"]),
                         alice_rel)
        # who is not on the team sees nothing of it
        self.assertFalse(self.Relationship.with_user(self.user_kam_2).search(action["domain"]))

    def test_handover_shows_moving_relationships(self):
        self.account_2.kam_manager_id = self.user_kam
        carol = self.env["res.partner"].create(
            {"name": "Carol Beta", "parent_id": self.account_2.id})
        self._meeting(3, self.user_kam, carol)
        self.Relationship._kam_recompute(self.company)
        wizard = self.env["kam.handover.wizard"].with_user(self.user_director).create({
            "from_user_id": self.user_kam.id, "to_user_id": self.user_kam_2.id,
            "partner_ids": [(6, 0, self.account.ids)]})
        self.assertEqual(wizard.relationship_move_ids.contact_id, self.alice | self.cora)
        self.assertEqual(wizard.relationship_stay_ids.contact_id, carol)

    def test_cron_outside_scheduler(self):
        """The job run from code (no scheduler) computes, and commits nothing."""
        with patch.object(self.env.cr, "commit") as commit:
            self.Relationship._cron_kam_relationships()
        commit.assert_not_called()
        self.assertTrue(self._rel(self.user_kam, self.alice))


@tagged("post_install", "-at_install")
class TestKamRelationshipDemo(TransactionCase):
    """The demo's bank: one strong link to the CIO who decides (single-threaded) and a
    coach gone cold. Runs on a database with the demo data only."""

    def test_bank_relationships(self):
        bank = self.env.ref("key_account_management.kam_demo_customer_bank",
                            raise_if_not_found=False)
        if not bank:
            return  # a database without demo data: nothing to check
        li = self.env.ref("key_account_management.kam_demo_user_kam_li")
        cio = self.env.ref("key_account_management.kam_demo_contact_bank_cio")
        branch = self.env.ref("key_account_management.kam_demo_contact_bank_branch")
        company = self.env.ref("base.main_company")
        Relationship = self.env["kam.relationship"]
        strong_cio = Relationship.search([("contact_id", "=", cio.id), ("is_strong", "=", True),
                                          ("company_id", "=", company.id)])
        self.assertEqual(strong_cio.user_id, li, strong_cio.mapped("strength"))
        coach = Relationship.search([("contact_id", "=", branch.id)])
        self.assertEqual(coach.user_id, li)
        self.assertEqual(coach.message_count, 1)
        bank_as_li = bank.with_user(li).with_company(company)
        self.assertTrue(bank_as_li.kam_flag_single_threaded)
        self.assertTrue(bank_as_li.kam_flag_coach_cold)
        self.assertIn(branch.name, bank_as_li.kam_red_flag_html)
        # the job run again on the demo writes nothing
        self.assertEqual(Relationship._kam_recompute(),
                         {"created": 0, "written": 0, "deleted": 0})
