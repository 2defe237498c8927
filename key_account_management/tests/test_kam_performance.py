"""Query-count guards on the hot views of the Key Accounts app: the key accounts
list and kanban load every figure of their accounts (scores, red flags, visit
dates, plans) with a number of queries that does not grow with the accounts."""

from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamPerformance(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounts = cls.env["res.partner"]
        for i in range(12):
            account = cls.env["res.partner"].create({"name": f"Perf Account {i}", "is_company": True})
            account.write({"kam_state": "registered", "kam_tier_id": cls.tier_b.id,
                           "kam_manager_id": cls.user_kam.id})
            contact = cls.env["res.partner"].create(
                {"name": f"Perf Person {i}", "parent_id": account.id})
            cls.env["kam.stakeholder"].create({"partner_id": account.id, "contact_id": contact.id})
            # the same figures for all, so that every subset references the same tiers and
            # users: a difference in queries then comes from per-record work only
            cls._make_order(account, 1000.0)
            cls.accounts |= account
        cls.env["kam.scoring"]._recompute_companies()

    def _view_fields(self, view_type):
        """The field specification the web client sends for the key accounts action's view."""
        action = self.env.ref("key_account_management.res_partner_action_key_accounts")
        view_id = action.view_ids.filtered(lambda v: v.view_mode == view_type).view_id.id
        views = self.env["res.partner"].with_user(self.user_director).get_views(
            [(view_id, view_type)])
        fields_ = views["models"]["res.partner"]["fields"]
        return {name: {"fields": {"display_name": {}}} if fields_[name]["type"] in (
            "many2one", "many2many", "one2many") else {} for name in fields_}

    def _queries(self, view_type, accounts):
        spec = self._view_fields(view_type)
        Partner = self.env["res.partner"].with_user(self.user_director)
        self.env.invalidate_all()
        self.env.flush_all()
        start = self.cr.sql_log_count
        Partner.web_search_read([("id", "in", accounts.ids)], spec)
        return self.cr.sql_log_count - start

    def test_key_accounts_list_and_kanban_query_count(self):
        for view_type in ("list", "kanban"):
            with self.subTest(view_type=view_type):
                self._queries(view_type, self.accounts)  # warm the caches (views, rules, ...)
                few = self._queries(view_type, self.accounts[:3])
                many = self._queries(view_type, self.accounts)
                self.assertEqual(
                    few, many,
                    f"the key accounts {view_type} view takes {few} queries for 3 accounts "
                    f"and {many} for 12: something is computed per record")
