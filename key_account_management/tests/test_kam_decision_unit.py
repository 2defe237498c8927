import ast
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamHttpCase
from .test_kam_stakeholder import KamStakeholderCommon

ALL_FLAGS = (
    "no_decision_maker", "no_coach", "decision_maker_not_supportive", "opponent",
    "single_threaded", "key_person_not_contacted",
)


@tagged("post_install", "-at_install")
class TestKamDecisionUnit(KamStakeholderCommon):
    def _flags(self, partner):
        partner.invalidate_recordset()
        return {flag for flag in ALL_FLAGS if partner[f"kam_flag_{flag}"]}

    def _contacted(self, stakeholder, days_ago):
        stakeholder.sudo().write({"last_contact_date": self.today - timedelta(days=days_ago)})

    def test_empty_decision_unit(self):
        """A key account without stakeholders: no decision maker, no coach, single-threaded."""
        self.assertEqual(self._flags(self.account),
                         {"no_decision_maker", "no_coach", "single_threaded"})
        self.assertTrue(self.account.kam_has_red_flags)
        self.assertEqual(self.account.kam_red_flag_count, 3)
        self.assertEqual(self.account.kam_support_index, 0.0)
        self.assertIn("No decision maker identified", self.account.kam_red_flag_html)
        # not a key account: no flags
        customer = self.env["res.partner"].create({"name": "Plain Customer", "is_company": True})
        self.assertEqual(self._flags(customer), set())
        self.assertFalse(customer.kam_red_flag_html)

    def test_each_flag(self):
        boss = self._stakeholder(
            self.account_contact, role_ids=[(6, 0, self.role_dm.ids)], attitude="3",
            influence="high")
        coach = self._stakeholder(
            self.person_2, role_ids=[(6, 0, self.role_coach.ids)], attitude="5", influence="medium")
        self._contacted(boss, 5)
        self._contacted(coach, 60)
        self.assertEqual(self._flags(self.account), set())
        self.assertFalse(self.account.kam_has_red_flags)

        # a decision maker at 0 or below (or unknown)
        boss.attitude = "-1"
        self.assertEqual(self._flags(self.account), {"decision_maker_not_supportive"})
        self.assertIn("Decision maker not won over: Alice Buyer (-1 Does not oppose)",
                      self.account.kam_red_flag_html)
        boss.attitude = False
        self.assertIn("Alice Buyer (attitude unknown)", self.account.kam_red_flag_html)
        boss.attitude = "2"
        self.assertEqual(self._flags(self.account), set())

        # a high-influence opponent; a medium-influence one is not flagged
        buyer = self._stakeholder(self.person_3, attitude="-3", influence="medium")
        self._contacted(buyer, 1)
        self.assertEqual(self._flags(self.account), set())
        buyer.influence = "high"
        self.assertEqual(self._flags(self.account), {"opponent"})
        buyer.write({"attitude": "-10", "competitor_id": self.competitor.id})
        self.assertIn("Carol Finance (-10 Favours a competitor: Rival Networks)",
                      self.account.kam_red_flag_html)
        buyer.write({"attitude": "-2", "influence": "medium"})
        self.assertEqual(self._flags(self.account), set())

        # single-threaded: fewer than 2 people contacted in 90 days
        self._contacted(coach, 91)
        self._contacted(buyer, 95)
        self.assertEqual(self._flags(self.account), {"single_threaded"})
        self.assertIn("1 stakeholder(s) contacted in the last 90 days",
                      self.account.kam_red_flag_html)
        self._contacted(coach, 90)

        # a high-influence stakeholder beyond the tier's visit interval (tier A: 14 days)
        self._contacted(boss, 15)
        self.assertEqual(self._flags(self.account), {"key_person_not_contacted"})
        self.assertIn("not contacted within 14 days", self.account.kam_red_flag_html)
        self.tier_a.visit_interval_days = 30
        self.assertEqual(self._flags(self.account), set())
        boss.sudo().last_contact_date = False
        self.assertIn("Alice Buyer (never)", self.account.kam_red_flag_html)

        # no coach, no decision maker
        coach.role_ids = self.role_user
        boss.role_ids = self.role_tech
        self.assertEqual(self._flags(self.account), {
            "no_coach", "no_decision_maker", "key_person_not_contacted", "single_threaded"})
        self.assertEqual(self.account.kam_red_flag_count, 4)
        # archived stakeholders do not count
        coach.role_ids = self.role_coach
        coach.action_archive()
        self.assertIn("no_coach", self._flags(self.account))

    def test_support_index(self):
        """Influence-weighted average attitude (high 3, medium 2, low 1), -10 counted as such,
        unknown attitudes left out."""
        self._stakeholder(self.account_contact, attitude="5", influence="high")
        self._stakeholder(self.person_2, attitude="-10", influence="low",
                          competitor_id=self.competitor.id)
        self._stakeholder(self.person_3, attitude="2", influence="medium")
        self._stakeholder(self.person_4, influence="high")
        self.account.invalidate_recordset()
        # (3*5 + 1*-10 + 2*2) / (3 + 1 + 2) = 9 / 6 = 1.5
        self.assertAlmostEqual(self.account.kam_support_index, 1.5)
        self.assertEqual(self.account.kam_stakeholder_count, 4)

    def test_search_red_flags(self):
        """The "Accounts with red flags" filter and the per-flag filters."""
        self._stakeholder(self.account_contact, attitude="4", influence="high",
                          role_ids=[(6, 0, (self.role_dm | self.role_coach).ids)])
        self._stakeholder(self.person_2, attitude="3")
        for stakeholder in self.account.kam_stakeholder_ids:
            self._contacted(stakeholder, 2)
        Partner = self.env["res.partner"]
        accounts = self.account | self.account_2
        in_accounts = [("id", "in", accounts.ids)]
        self.assertEqual(Partner.search([*in_accounts, ("kam_has_red_flags", "=", True)]),
                         self.account_2)
        self.assertEqual(Partner.search([*in_accounts, ("kam_has_red_flags", "=", False)]),
                         self.account)
        self.assertEqual(
            Partner.search([("id", "in", accounts.ids), ("kam_flag_no_coach", "=", True)]),
            self.account_2)
        self.assertFalse(Partner.search(
            [("id", "in", accounts.ids), ("kam_flag_opponent", "=", True)]))
        # the filter of the Key Accounts action
        action = self.env.ref("key_account_management.res_partner_action_key_accounts")
        domain = [*ast.literal_eval(action.domain), ("kam_has_red_flags", "=", True)]
        found = Partner.search(domain)
        self.assertIn(self.account_2, found)
        self.assertNotIn(self.account, found)

    def test_privacy_of_account_fields(self):
        """Another KAM sees no flag nor index on an account they do not serve; a user outside the
        sales groups cannot read the fields at all."""
        self._stakeholder(self.account_contact, role_ids=[(6, 0, self.role_dm.ids)],
                          attitude="-5", influence="high")
        self.assertIn("opponent", self._flags(self.account))
        account_as_other = self.account.with_user(self.user_kam_2)
        self.assertFalse(account_as_other.kam_has_red_flags)
        self.assertFalse(account_as_other.kam_red_flag_html)
        self.assertEqual(account_as_other.kam_support_index, 0.0)
        self.assertEqual(account_as_other.kam_stakeholder_count, 0)
        self.assertNotIn(self.account, self.env["res.partner"].with_user(self.user_kam_2).search(
            [("kam_has_red_flags", "=", True)]))
        account_as_kam = self.account.with_user(self.user_kam)
        self.assertTrue(account_as_kam.kam_flag_opponent)
        self.assertEqual(account_as_kam.kam_support_index, -5.0)
        self.assertTrue(self.account.with_user(self.user_director).kam_flag_opponent)
        portal = self.env["res.users"].create({
            "name": "Internal No Sales", "login": "kamt_internal_nosales",
            "group_ids": [(6, 0, self.env.ref("base.group_user").ids)]})
        with self.assertRaises(AccessError):
            self.account.with_user(portal).read(["kam_red_flag_html"])

    def test_red_flags_batch_queries(self):
        """Flags of many accounts cost a constant number of queries."""
        Partner = self.env["res.partner"]
        accounts = Partner.create([{"name": f"Account {i}", "is_company": True} for i in range(6)])
        accounts.write({"kam_state": "registered", "kam_tier_id": self.tier_b.id,
                        "kam_manager_id": self.user_kam.id})
        for account in accounts:
            person = Partner.create({"name": f"Person of {account.name}", "parent_id": account.id})
            self._stakeholder(person, account=account, attitude="3", influence="high",
                              role_ids=[(6, 0, self.role_dm.ids)])
        self.env.flush_all()
        accounts[:1].with_user(self.user_kam).mapped("kam_red_flag_count")  # warm the caches
        self.env.invalidate_all()
        few = accounts[1:3].with_user(self.user_kam)
        # 18: one more than before issue 26, whether the relationships were computed in the
        # company (test_kam_relationship checks the constant count once they are)
        with self.assertQueryCount(18):
            few.mapped("kam_red_flag_count")
        # no coach, single-threaded, key person never contacted
        self.assertEqual(few.mapped("kam_red_flag_count"), [3, 3])
        self.env.invalidate_all()
        many = accounts.with_user(self.user_kam)
        with self.assertQueryCount(18):
            many.mapped("kam_red_flag_count")

    def test_handover_moves_relationships(self):
        mine = self._stakeholder(self.account_contact, owner_user_id=self.user_kam.id)
        theirs = self._stakeholder(self.person_2, owner_user_id=self.user_director.id)
        self.account._kam_handover_records(self.user_kam, self.user_kam_2)
        self.assertEqual(mine.owner_user_id, self.user_kam_2)
        self.assertEqual(theirs.owner_user_id, self.user_director)

    def test_digest_section(self):
        """The directors' digest lists the accounts with red flags, worst first."""
        self._stakeholder(self.account_contact, role_ids=[(6, 0, self.role_dm.ids)],
                          attitude="-5", influence="high")
        sections = self.env["kam.digest"]._get_digest_sections(self.env.company)
        titles = [title for title, _html in sections]
        section = sections[titles.index(next(t for t in titles if "red flags" in t))][1]
        self.assertIn("Acme Telecom Group", section)
        self.assertIn("Influential opponent", section)
        self.assertLess(section.index("Acme Telecom Group"), section.index("Beta Manufacturing"))

    def test_org_chart_action(self):
        action = self.account.action_kam_open_org_chart()
        self.assertEqual(action["res_model"], "kam.stakeholder")
        self.assertEqual(action["domain"], [("partner_id", "=", self.account.id)])
        self.assertTrue(action["view_mode"].startswith("hierarchy"))


@tagged("post_install", "-at_install")
class TestKamDecisionUnitUi(KamHttpCase):
    def test_tour_kam_decision_unit(self):
        """A KAM opens an account, adds a stakeholder with a role and an attitude and finds
        them in the org chart."""
        account = self.env["res.partner"].create({"name": "Tour Harbour Bank", "is_company": True})
        account.write({"kam_state": "registered",
                       "kam_manager_id": self.env.ref("base.user_admin").id})
        self.start_tour("/odoo", "kam_decision_unit_tour", login="admin")
        stakeholder = self.env["kam.stakeholder"].search([("partner_id", "=", account.id)])
        self.assertEqual(stakeholder.name, "Tour Newcomer")
        self.assertEqual(stakeholder.contact_id.parent_id, account)
        self.assertEqual(stakeholder.attitude, "4")
        self.assertEqual(stakeholder.role_ids, self.env.ref(
            "key_account_management.kam_decision_role_decision_maker"))
