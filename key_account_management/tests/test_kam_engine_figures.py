"""Figures only the engine writes (issue 14): the scoring figures, the visit
alert date and the computed red flags and visit dates refuse a write or a
create from any user, over the external API too; the engine writes them with
SQL or with the context key ``kam_engine_write``."""

from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from ..models.res_partner_scoring import KAM_ENGINE
from .common import KamCommon

# a forged value per engine figure
FORGED = {
    "kam_score": 99.0,
    "kam_score_revenue": 30.0,
    "kam_revenue_12m": 9999999.0,
    "kam_revenue_share": 90.0,
    "kam_growth_rate": 500.0,
    "kam_order_count": 99,
    "kam_pareto_class": "a",
    "kam_metrics_date": "2020-01-01",
    "kam_downgrade_pending_since": "2020-01-01",
    "kam_visit_alert_date": "2020-01-01",
    "kam_last_visit_date": "2020-01-01",
    "kam_has_red_flags": True,
}


@tagged("post_install", "-at_install")
class TestKamEngineFigures(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales = new_test_user(
            cls.env, login="kamt_fig_salesman", name="Sid Seller",
            groups="sales_team.group_sale_salesman")
        cls.user_kam_c2 = new_test_user(
            cls.env, login="kamt_fig_kam_c2", name="Cora Manager C2",
            groups="key_account_management.key_account_management_group_manager",
            company_id=cls.company_2.id, company_ids=[(6, 0, cls.company_2.ids)])
        cls.env["res.partner"].with_company(cls.company_2).browse(cls.account.id).write(
            {"kam_manager_id": cls.user_kam_c2.id})
        cls.account.with_context(kam_engine_write=KAM_ENGINE).write(
            {"kam_score": 42.0, "kam_revenue_12m": 1000.0, "kam_pareto_class": "b"})
        cls.FORGED = dict(FORGED, kam_suggested_tier_id=cls.tier_a.id)

    def _write_as(self, user, vals, company=None):
        """``write`` of the account by ``user`` as the external API calls it."""
        context = {"allowed_company_ids": (company or user.company_id).ids}
        return call_kw(self.env["res.partner"].with_user(user), "write",
                       [[self.account.id], vals], {"context": context})

    def test_nobody_writes_engine_figures(self):
        users = {
            "salesman": (self.user_sales, None),
            "kam of the account": (self.user_kam, None),
            "kam of another company": (self.user_kam_c2, self.company_2),
            "director": (self.user_director, None),
        }
        for role, (user, company) in users.items():
            for fname, value in self.FORGED.items():
                with self.subTest(role=role, field=fname), \
                        self.assertRaises(UserError) as caught:  # AccessError is one too
                    self._write_as(user, {fname: value}, company)
                if role == "director":
                    # the director may write the partner: the refusal is the rule's,
                    # and it names the field
                    self.assertNotIsInstance(caught.exception, AccessError)
                    label = self.account._fields[fname]._description_string(self.env)
                    self.assertIn(label, str(caught.exception))
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_score, 42.0)
        self.assertEqual(self.account.kam_revenue_12m, 1000.0)
        self.assertEqual(self.account.kam_pareto_class, "b")
        self.assertFalse(self.account.kam_visit_alert_date)

    def test_figures_among_allowed_changes_refused(self):
        """A director's legitimate change does not carry a forged figure with it."""
        with self.assertRaises(UserError):
            self._write_as(self.user_director, {"kam_strategic_value": 4,
                                                "kam_score": 100.0})
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_score, 42.0)
        self.assertFalse(self.account.kam_strategic_value)
        # the same change without the figure goes through
        self._write_as(self.user_director, {"kam_strategic_value": 4})
        self.assertEqual(self.account.kam_strategic_value, 4)

    def test_superuser_and_create_refused(self):
        with self.assertRaises(UserError):
            self.account.sudo().write({"kam_score": 100.0})
        with self.assertRaises(UserError):
            call_kw(self.env["res.partner"].with_user(self.user_director), "create",
                    [{"name": "Forged Co", "is_company": True, "kam_revenue_12m": 5e6}], {})
        with self.assertRaises(UserError):
            self.env["res.partner"].create({"name": "Forged Co", "kam_pareto_class": "a"})
        # an empty figure is what any new contact has
        partner = self.env["res.partner"].create({"name": "Plain Co", "kam_score": 0.0})
        self.assertEqual(partner.kam_score, 0.0)

    def test_engine_flag_writes(self):
        self.account.with_context(kam_engine_write=KAM_ENGINE).write({"kam_score": 77.0})
        self.assertEqual(self.account.kam_score, 77.0)
        self.account._kam_write_engine_figures({"kam_pareto_class": "c"})
        self.assertEqual(self.account.kam_pareto_class, "c")
        # a client cannot send the flag: the API carries plain values only
        for flag in (True, 1, "KAM_ENGINE"):
            with self.subTest(flag=flag), self.assertRaises(UserError):
                call_kw(self.env["res.partner"].with_user(self.user_director), "write",
                        [[self.account.id], {"kam_score": 100.0}],
                        {"context": {"kam_engine_write": flag}})
        with self.assertRaises(AccessError):
            call_kw(self.env["res.partner"].with_user(self.user_director),
                    "_kam_write_engine_figures", [[self.account.id], {"kam_score": 100.0}], {})
        self.assertEqual(self.account.kam_score, 77.0)
        # the engine itself writes with SQL: a recompute still changes the figures
        self._make_order(self.account, 50000.0)
        self.env["kam.scoring"]._recompute_companies(self.company, partners=self.account)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_revenue_12m, 50000.0)
        self.assertTrue(self.account.kam_metrics_date)
