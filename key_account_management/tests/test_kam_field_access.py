"""Field-level access to the key-account fields of res.partner and sale.order
(issue 15): sales users read the figures and the classification, only the key
account groups read the credit rating and the tier lock reason, portal users and
internal users outside sales read none of them, over the external API too; and
every screen showing them still loads for each of these users."""

import re

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from ..models.res_partner_scoring import KAM_ENGINE
from .common import KamCommon

# fields the salesman reads, and those only the key account groups read
SALES_FIELDS = [
    "kam_state", "kam_tier_id", "kam_manager_id", "kam_tier_locked", "kam_lifecycle_stage",
    "kam_strategic_value", "kam_potential_revenue", "kam_revenue_12m", "kam_growth_rate",
    "kam_pareto_class", "kam_score", "kam_score_revenue", "kam_suggested_tier_id",
    "kam_metrics_date", "kam_last_visit_date", "kam_visit_overdue", "kam_support_index",
    "kam_red_flag_count", "kam_account_plan_count", "kam_user_ids",
]
KAM_ONLY_FIELDS = ["kam_credit_rating", "kam_tier_lock_reason", "kam_score_credit"]
# expressions of a view that may name fields
EXPR_ATTRS = ("invisible", "readonly", "required", "column_invisible", "domain", "context",
              "t-if", "highlight_color")


@tagged("post_install", "-at_install")
class TestKamFieldAccess(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write({"kam_credit_rating": "a"})
        cls.account._kam_write_engine_figures({"kam_lifecycle_stage": "mature"})
        cls.tier_a.color = 3
        cls.account.with_context(kam_engine_write=KAM_ENGINE).write(
            {"kam_score": 81.5, "kam_revenue_12m": 250000.0, "kam_pareto_class": "a"})
        cls.user_portal = cls.env["res.users"].with_context(no_reset_password=True).create({
            "login": "kamt_portal_alice", "partner_id": cls.account_contact.id,
            "group_ids": [(6, 0, cls.env.ref("base.group_portal").ids)],
        })
        cls.user_internal = new_test_user(
            cls.env, login="kamt_internal", name="Ivan Warehouse", groups="base.group_user")
        cls.user_sales = new_test_user(
            cls.env, login="kamt_fa_salesman", name="Sam Seller",
            groups="sales_team.group_sale_salesman")
        cls.users = {
            "internal": cls.user_internal, "salesman": cls.user_sales,
            "kam": cls.user_kam, "director": cls.user_director,
        }

    def _rpc(self, user, model, method, *args, **kwargs):
        """``method`` of ``model`` called as ``user`` the way the external API does."""
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)

    def _assert_cannot_read(self, user, partner, fnames):
        for fname in fnames:
            with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                self._rpc(user, "res.partner", "read", [partner.id], [fname])

    # ---- who reads what ----
    def test_portal_contact_reads_none_of_their_company(self):
        # the portal contact does read their company (the refusals below are the fields')
        name = self._rpc(self.user_portal, "res.partner", "read", [self.account.id], ["name"])
        self.assertEqual(name[0]["name"], self.account.name)
        self._assert_cannot_read(self.user_portal, self.account,
                                 ["kam_credit_rating", "kam_score", "kam_revenue_12m"])
        self._assert_cannot_read(self.user_portal, self.account, SALES_FIELDS + KAM_ONLY_FIELDS)
        # nor by searching on them, nor in the fields they are told about
        with self.assertRaises(AccessError):
            self._rpc(self.user_portal, "res.partner", "search",
                      [("kam_score", ">", 80)])
        described = self._rpc(self.user_portal, "res.partner", "fields_get")
        self.assertEqual([f for f in described if f.startswith("kam_")], ["kam_tier_color"])

    def test_internal_user_outside_sales_reads_none(self):
        self._assert_cannot_read(self.user_internal, self.account,
                                 ["kam_credit_rating", "kam_score", "kam_revenue_12m"])
        self._assert_cannot_read(self.user_internal, self.account, SALES_FIELDS + KAM_ONLY_FIELDS)
        with self.assertRaises(AccessError):
            self._rpc(self.user_internal, "res.partner", "search_read",
                      [("kam_state", "=", "registered")], ["name"])
        described = self._rpc(self.user_internal, "res.partner", "fields_get")
        self.assertEqual([f for f in described if f.startswith("kam_")], ["kam_tier_color"])
        # the tier colour the kanban needs says nothing to them
        values = self._rpc(self.user_internal, "res.partner", "read", [self.account.id],
                           ["kam_tier_color"])
        self.assertEqual(values[0]["kam_tier_color"], 0)

    def test_contact_manager_outside_sales_duplicates_and_edits(self):
        """A contact manager outside sales edits and duplicates a key account (the
        key-account fields are not copied: a duplicate is no key account)."""
        user = new_test_user(self.env, login="kamt_contacts", name="Connie Contacts",
                             groups="base.group_user,base.group_partner_manager")
        self._rpc(user, "res.partner", "write", [self.account.id], {"phone": "+86 10 1234"})
        copy_id = self._rpc(user, "res.partner", "copy", [self.account.id])[0]
        copy = self.env["res.partner"].browse(copy_id)
        self.assertEqual(copy.kam_state, "none")
        self.assertFalse(copy.kam_credit_rating or copy.kam_lifecycle_stage or copy.kam_score)
        with self.assertRaisesRegex(UserError, "Lifecycle Stage"):
            self._rpc(user, "res.partner", "write", [self.account.id],
                      {"kam_lifecycle_stage": "at_risk"})

    def test_user_created_by_administrator_outside_sales(self):
        """An administrator of users (or an accountant, an HR officer) outside sales
        creates users: the new contact's key-account fields get their defaults
        without being "given" by a user who may not write them (issue 21)."""
        admin = new_test_user(
            self.env, login="kamt_user_admin", name="Ursula Users",
            groups="base.group_user,base.group_erp_manager,base.group_partner_manager")
        self.assertFalse(admin.has_group("sales_team.group_sale_salesman"))
        Users = self.env["res.users"].with_user(admin)
        user = Users.create({"name": "Nelly New", "login": "kamt_nelly"})
        self.assertEqual(user.sudo().partner_id.kam_state, "none")
        # a value given explicitly is still refused to them
        with self.assertRaises(AccessError):
            Users.create({"name": "Kurt Key", "login": "kamt_kurt", "kam_state": "registered"})

    def test_salesman_reads_figures_not_credit_rating(self):
        values = self._rpc(self.user_sales, "res.partner", "read", [self.account.id],
                           SALES_FIELDS)[0]
        self.assertEqual(values["kam_score"], 81.5)
        self.assertEqual(values["kam_revenue_12m"], 250000.0)
        self.assertEqual(values["kam_pareto_class"], "a")
        self.assertEqual(values["kam_state"], "registered")
        self.assertEqual(values["kam_lifecycle_stage"], "mature")
        color = self._rpc(self.user_sales, "res.partner", "read", [self.account.id],
                          ["kam_tier_color"])
        self.assertEqual(color[0]["kam_tier_color"], 3)
        self._assert_cannot_read(self.user_sales, self.account, KAM_ONLY_FIELDS)

    def test_key_account_groups_read_credit_rating(self):
        for user in (self.user_kam, self.user_director):
            values = self._rpc(user, "res.partner", "read", [self.account.id],
                               SALES_FIELDS + KAM_ONLY_FIELDS)[0]
            self.assertEqual(values["kam_credit_rating"], "a", user.login)
            self.assertEqual(values["kam_score"], 81.5, user.login)

    def test_sale_order_key_account_fields(self):
        order = self._make_order(self.account_contact, 1000.0, confirm=False)
        order.user_id = self.user_sales
        order.message_subscribe(partner_ids=self.account_contact.ids)
        self.assertEqual(order.kam_tier_id, self.tier_a)
        # the customer reads their order, not the account's tier and manager on it
        self._rpc(self.user_portal, "sale.order", "read", [order.id], ["name"])
        for fname in ("kam_tier_id", "kam_manager_id"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self._rpc(self.user_portal, "sale.order", "read", [order.id], [fname])
        values = self._rpc(self.user_sales, "sale.order", "read", [order.id],
                           ["kam_tier_id", "kam_manager_id"])[0]
        self.assertEqual(values["kam_tier_id"][0], self.tier_a.id)
        self.assertEqual(values["kam_manager_id"][0], self.user_kam.id)

    # ---- every screen still loads ----
    def _check_views(self, user, model, views):
        """Load ``views`` as ``user``: every field an expression of the arch names is
        in the fields sent along (the web client evaluates them), and the record
        reads with those fields."""
        result = self.env[model].with_user(user).get_views(views)
        fields = result["models"][model]["fields"]
        for view_type, arch_info in result["views"].items():
            arch = etree.fromstring(arch_info["arch"])
            named = set()
            for node in arch.iter(tag=etree.Element):
                if node.tag == "field" and node.getparent() is not None \
                        and self._in_model_scope(node, arch):
                    named.add(node.get("name"))
                for attr, value in node.attrib.items():
                    if attr in EXPR_ATTRS or attr.startswith("decoration-"):
                        named.update(re.findall(r"\bkam_\w+", value))
            missing = {name for name in named if name.startswith("kam_")} - set(fields)
            self.assertFalse(missing, f"{view_type} view of {model} as {user.login} names "
                                      f"fields it cannot read: {sorted(missing)}")
        return fields

    @staticmethod
    def _in_model_scope(node, root):
        """``node`` belongs to the view's own model (not to a sub-view of a x2many)."""
        parent = node.getparent()
        while parent is not None and parent is not root:
            if parent.tag == "field":
                return False
            parent = parent.getparent()
        return True

    def test_views_load_for_each_group(self):
        ref = self.env.ref
        partner_views = [
            (False, "form"),
            (ref("key_account_management.res_partner_view_kanban_key_accounts").id, "kanban"),
            (ref("key_account_management.res_partner_view_list_key_accounts").id, "list"),
            (ref("key_account_management.res_partner_view_search_key_accounts").id, "search"),
        ]
        order = self._make_order(self.account, 1000.0, confirm=False)
        order.user_id = False  # readable by every sales user ("own documents" included)
        for role, user in self.users.items():
            with self.subTest(role=role):
                fields = self._check_views(user, "res.partner", partner_views)
                kam_fields = {f for f in fields if f.startswith("kam_")}
                if role == "internal":
                    self.assertEqual(kam_fields, {"kam_tier_color"})  # 0 for them
                elif role == "salesman":
                    self.assertIn("kam_score", kam_fields)
                    self.assertFalse(kam_fields & set(KAM_ONLY_FIELDS))
                else:
                    self.assertIn("kam_credit_rating", kam_fields)
                # open the account with the fields of its views, and a new contact
                # (internal users outside sales and contacts do not create any)
                Partner = self.env["res.partner"].with_user(user)
                spec = {fname: {} for fname in fields
                        if fname.startswith("kam_") or fname in ("name", "is_company")}
                Partner.browse(self.account.id).web_read(spec)
                if Partner.has_access("create"):
                    Partner.onchange({}, [], spec)
                if role != "internal":
                    order_fields = self._check_views(user, "sale.order", [(False, "form")])
                    self.assertIn("kam_tier_id", order_fields)
                    self.env["sale.order"].with_user(user).browse(order.id).web_read(
                        {fname: {} for fname in order_fields
                         if fname.startswith("kam_") or fname in ("name", "partner_id")})
