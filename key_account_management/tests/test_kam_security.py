from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamSecurity(KamCommon):
    def test_group_implications(self):
        """Director implies manager; both imply the right sales groups."""
        self.assertTrue(self.user_kam.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.user_kam.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertFalse(self.user_kam.has_group(
            "key_account_management.key_account_management_group_director"))
        self.assertTrue(self.user_director.has_group(
            "key_account_management.key_account_management_group_manager"))
        self.assertTrue(self.user_director.has_group("sales_team.group_sale_salesman_all_leads"))
        privilege = self.env.ref("key_account_management.res_groups_privilege_key_accounts")
        self.assertEqual(
            privilege.group_ids,
            self.env.ref("key_account_management.key_account_management_group_manager")
            | self.env.ref("key_account_management.key_account_management_group_director")
            | self.env.ref("key_account_management.key_account_management_group_service"))

    def test_app_menu_visibility(self):
        root = self.env.ref("key_account_management.key_account_management_menu_root")
        visible_kam = self.env["ir.ui.menu"].with_user(self.user_kam)._visible_menu_ids()
        visible_sales = self.env["ir.ui.menu"].with_user(self.user_salesman)._visible_menu_ids()
        self.assertIn(root.id, visible_kam)
        self.assertNotIn(root.id, visible_sales)

    def test_tier_access(self):
        """Sales users read tiers; only directors change them."""
        self.tier_a.with_user(self.user_salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.tier_a.with_user(self.user_kam).write({"name": "Renamed"})
        self.tier_a.with_user(self.user_director).write({"name": "Renamed"})
        self.assertEqual(self.tier_a.name, "Renamed")

    def test_tier_multi_company(self):
        """A director of another company does not see this company's tiers."""
        tiers = self.env["kam.tier"].with_user(self.user_director_2).search([])
        self.assertFalse(tiers & (self.tier_a | self.tier_b | self.tier_c))
        with self.assertRaises(AccessError):
            self.tier_a.with_user(self.user_director_2).read(["name"])

    def test_team_member_access(self):
        """The account's KAM edits its team; another KAM only reads it."""
        member = self.env["kam.team.member"].with_user(self.user_kam).create({
            "partner_id": self.account.id, "user_id": self.user_kam_2.id, "role": "technical",
        })
        self.assertIn(self.user_kam_2, self.account.kam_user_ids)
        member.with_user(self.user_kam_2).read(["role"])
        with self.assertRaises(AccessError):
            member.with_user(self.user_kam_2).write({"role": "service"})
        with self.assertRaises(AccessError):
            self.env["kam.team.member"].with_user(self.user_kam_2).create({
                "partner_id": self.account.id, "user_id": self.user_salesman.id,
            })
        member.with_user(self.user_director).write({"role": "service"})
        self.assertEqual(member.role, "service")

    def test_kam_user_ids_search(self):
        """`kam_user_ids` finds the accounts a user manages or serves on."""
        self.env["kam.team.member"].create({
            "partner_id": self.account_2.id, "user_id": self.user_kam.id, "role": "service"})
        Partner = self.env["res.partner"]
        found = Partner.search([("kam_user_ids", "in", self.user_kam.ids)])
        self.assertEqual(found & (self.account | self.account_2), self.account | self.account_2)
        found_2 = Partner.search([("kam_user_ids", "in", self.user_kam_2.ids)])
        self.assertEqual(found_2 & (self.account | self.account_2), self.account_2)
