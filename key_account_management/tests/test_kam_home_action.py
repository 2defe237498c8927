"""The day's work first: KAMs and directors land on their key accounts, not in Discuss."""

from odoo.tests import new_test_user, tagged

from .common import KamCommon

GROUP_MANAGER = "key_account_management.key_account_management_group_manager"
GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


@tagged("post_install", "-at_install")
class TestKamHomeAction(KamCommon):
    def test_kams_and_directors_land_on_my_accounts(self):
        action = self.env.ref("key_account_management.res_partner_action_my_key_accounts")
        kam = new_test_user(self.env, login="kamt_home_kam", groups=GROUP_MANAGER)
        director = new_test_user(self.env, login="kamt_home_dir", groups=GROUP_DIRECTOR)
        salesman = new_test_user(self.env, login="kamt_home_sales",
                                 groups="sales_team.group_sale_salesman")
        self.assertEqual(kam.action_id.id, action.id)
        self.assertEqual(director.action_id.id, action.id)
        self.assertFalse(salesman.action_id)
        # a salesperson who becomes a KAM lands there too
        salesman.write({"group_ids": [(4, self.env.ref(GROUP_MANAGER).id)]})
        self.assertEqual(salesman.action_id.id, action.id)
        # a home action chosen by the user or the admin is kept
        own = self.env.ref("key_account_management.res_partner_action_key_accounts")
        chooser = new_test_user(self.env, login="kamt_home_own",
                                groups="sales_team.group_sale_salesman", action_id=own.id)
        chooser.write({"group_ids": [(4, self.env.ref(GROUP_MANAGER).id)]})
        self.assertEqual(chooser.action_id.id, own.id)
        # the action opens on the user's own accounts
        self.assertIn("search_default_my_accounts", action.context)
        self.assertEqual(self.env.ref("key_account_management.res_partner_menu_my_key_accounts")
                         .action, action)

    def test_existing_users_get_it_on_upgrade(self):
        kam = new_test_user(self.env, login="kamt_home_old", groups=GROUP_MANAGER)
        kam.action_id = False
        self.env["res.users"]._kam_init_home_actions()
        self.assertEqual(kam.action_id.id,
                         self.env.ref("key_account_management.res_partner_action_my_key_accounts").id)
