"""Issue 27, the key accounts' screens as a KAM meets them: the list had nineteen
columns and cut the names ("Pacific Un…"), 走访逾期 stood twice in the filters, years
read "2,026", revenue on the list and the kanban had no currency."""

from lxml import etree

from odoo.tests import tagged

from .common import KamCommon, KamHttpCase

PREFIX = "key_account_management."
# the columns of the key-account list a KAM sees without choosing any
DEFAULT_COLUMNS = {"name", "kam_tier_color", "kam_tier_id", "kam_manager_id", "kam_state",
                   "kam_revenue_12m", "kam_score", "kam_health_score", "kam_next_visit_date"}


@tagged("post_install", "-at_install")
class TestKamAccountScreens(KamCommon):
    def _arch(self, view_xmlid, view_type, user=None, lang=None):
        view = self.env.ref(PREFIX + view_xmlid)
        model = self.env["res.partner"].with_user(user or self.user_kam)
        if lang:
            model = model.with_context(lang=lang)
        arch = model.get_views([(view.id, view_type)])["views"][view_type]["arch"]
        return etree.fromstring(arch)

    def test_list_default_columns(self):
        arch = self._arch("res_partner_view_list_key_accounts", "list")
        columns = arch.xpath("/list/field")
        shown = {node.get("name") for node in columns
                 if node.get("optional") != "hide"
                 and node.get("column_invisible") not in ("1", "True")}
        self.assertEqual(shown, DEFAULT_COLUMNS)
        self.assertGreater(len(columns), 15, "the other columns are optional, not gone")
        [name] = [node for node in columns if node.get("name") == "name"]
        self.assertEqual(name.get("width"), "260px", "wide enough for the account's name")
        # every other column can be hidden by the user (all but the colour tag)
        fixed = {node.get("name") for node in columns if not node.get("optional")
                 and node.get("column_invisible") not in ("1", "True")}
        self.assertEqual(fixed, {"name", "kam_tier_color"})

    def test_revenue_with_currency(self):
        for xmlid, view_type in (("res_partner_view_list_key_accounts", "list"),
                                 ("res_partner_view_kanban_key_accounts", "kanban")):
            with self.subTest(view=xmlid):
                arch = self._arch(xmlid, view_type)
                [revenue] = arch.xpath("//field[@name='kam_revenue_12m']")
                self.assertEqual(revenue.get("widget"), "monetary")
                self.assertIn("kam_currency_id", revenue.get("options"))
                self.assertTrue(arch.xpath("//field[@name='kam_currency_id']"))
        self.assertEqual(self.account.kam_currency_id, self.company.currency_id)
        self.assertEqual(self.account.with_company(self.company_2).kam_currency_id,
                         self.company_2.currency_id)

    def test_visit_overdue_filter_once(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        for lang, word in (("en_US", "Visit"), ("zh_CN", "走访")):
            with self.subTest(lang=lang):
                arch = self._arch("res_partner_view_search_key_accounts", "search", lang=lang)
                overdue = [node.get("string") for node in arch.iter("filter")
                           if "overdue" in (node.get("domain") or "")
                           and "visit" in (node.get("domain") or "")]
                self.assertEqual(len(overdue), 1, overdue)
                self.assertIn(word, overdue[0])
                if lang == "zh_CN":
                    labels = [node.get("string") or "" for node in arch.iter("filter")]
                    self.assertEqual(sum("走访逾期" in label for label in labels), 1, labels)

    def test_years_without_thousands_separator(self):
        """An integer year in a list, form or kanban is shown 2026, not 2,026."""
        data = self.env["ir.model.data"].search([
            ("module", "=", "key_account_management"), ("model", "=", "ir.ui.view")])
        views = self.env["ir.ui.view"].browse(data.mapped("res_id")).filtered(
            lambda v: v.type in ("list", "form", "kanban"))
        checked = []
        for view in views:
            arch = etree.fromstring(view.get_combined_arch())
            for node in arch.iter("field"):
                # the model of the node: the view's, or that of the x2many it sits in
                model = self.env[view.model]
                for parent in reversed(list(node.iterancestors("field"))):
                    model = self.env[model._fields[parent.get("name")].comodel_name]
                field = model._fields.get(node.get("name"))
                if field and field.type == "integer" and "year" in field.name:
                    checked.append((view.xml_id, node.get("name")))
                    with self.subTest(view=view.xml_id, field=field.name):
                        self.assertRegex(node.get("options") or "",
                                         r"['\"]enable_formatting['\"]:\s*(false|False|0)")
        self.assertGreaterEqual(len(checked), 4)


@tagged("post_install", "-at_install")
class TestKamAccountScreensUi(KamHttpCase):
    def test_tour_kam_account_list(self):
        """The director opens the key accounts: the kanban's and the list's revenue
        have their currency, the list shows a few columns and the whole name."""
        company = self.env.ref("base.main_company")
        cny = self.env.ref("base.CNY")
        cny.active = True
        # a company of its own in yuan, the admin's current one, an account of it
        test_company = self.env["res.company"].create(
            {"name": "KAMT List Co", "currency_id": cny.id})
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, test_company.id), (4, company.id)],
                     "company_id": test_company.id})
        env = self.env(context=dict(self.env.context, allowed_company_ids=test_company.ids))
        tier = env["kam.tier"].create(
            {"name": "Strategic", "code": "KLS", "company_id": test_company.id})
        account = env["res.partner"].create(
            {"name": "Pacific Union Bank Holdings", "is_company": True})
        account.with_company(test_company).write(
            {"kam_state": "registered", "kam_tier_id": tier.id, "kam_manager_id": admin.id})
        self.start_tour(
            "/odoo/action-key_account_management.res_partner_action_key_accounts",
            "kam_account_list_tour", login="admin")
