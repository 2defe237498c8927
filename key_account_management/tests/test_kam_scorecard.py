from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import KamCommon


class KamScorecardCommon(TransactionCase):
    """A company of its own (no other data interferes), two key account
    managers, a director, and crafted orders, targets, visits, plans,
    opportunities and status changes in the previous year (every month of it
    is over)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True, mail_notrack=True))
        cls.year = cls.env.company._kam_today().year - 1
        cls.co = cls.env["res.company"].create({"name": "KAMT Scorecard Co"})
        manager = "key_account_management.key_account_management_group_manager"
        director = "key_account_management.key_account_management_group_director"
        company_vals = {"company_id": cls.co.id, "company_ids": [(6, 0, cls.co.ids)]}
        cls.kam_1 = new_test_user(cls.env, login="kamt_sc_kam1", name="Kai One",
                                  groups=manager, **company_vals)
        cls.kam_2 = new_test_user(cls.env, login="kamt_sc_kam2", name="Kai Two",
                                  groups=manager, **company_vals)
        cls.director = new_test_user(cls.env, login="kamt_sc_dir", name="Dee Director",
                                     groups=director, **company_vals)
        cls.other_director = new_test_user(cls.env, login="kamt_sc_dir_other",
                                           name="Oscar Other", groups=director)
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.co.ids))
        cls.tier = env["kam.tier"].create({
            "name": "Strategic", "code": "KS", "sequence": 1, "min_score": 70,
            "min_revenue": 100000, "visit_interval_days": 30, "company_id": cls.co.id})
        Partner = env["res.partner"]
        cls.a1, cls.a2, cls.b1, cls.walk_in, cls.gone = Partner.create([
            {"name": "KAMT Alpha", "is_company": True},
            {"name": "KAMT Beta", "is_company": True},
            {"name": "KAMT Gamma", "is_company": True},
            {"name": "KAMT Walk-in", "is_company": True},
            {"name": "KAMT Gone", "is_company": True},
        ])
        (cls.a1 | cls.a2).write({"kam_state": "registered", "kam_tier_id": cls.tier.id,
                                 "kam_manager_id": cls.kam_1.id})
        cls.b1.write({"kam_state": "registered", "kam_tier_id": cls.tier.id,
                      "kam_manager_id": cls.kam_2.id})
        cls.gone.write({"kam_state": "lost", "kam_manager_id": cls.kam_1.id})
        cls.product = cls.env["product.product"].create({
            "name": "KAMT Line", "type": "service", "list_price": 1.0})
        y = cls.year
        for partner, amount, when in (
            (cls.a1, 3000.0, date(y, 3, 10)), (cls.a2, 1000.0, date(y, 3, 20)),
            (cls.b1, 2000.0, date(y, 3, 5)), (cls.walk_in, 4000.0, date(y, 3, 15)),
            (cls.a1, 500.0, date(y, 7, 1)), (cls.a1, 2000.0, date(y - 1, 3, 10)),
        ):
            cls._order(partner, amount, when)
        cls.env["kam.target"].create({"year": y, "company_id": cls.co.id,
                                      "user_id": cls.kam_1.id, "revenue_target": 12000.0})
        for day in (3, 17):
            env["kam.visit"].create({
                "partner_id": cls.a1.id, "user_id": cls.kam_1.id, "company_id": cls.co.id,
                "date_start": datetime(y, 3, day, 10), "date_end": datetime(y, 3, day, 11),
                "state": "done", "summary": "<p>Met</p>"})
        cls.plan = env["kam.account.plan"].create({
            "partner_id": cls.a1.id, "company_id": cls.co.id, "user_id": cls.kam_1.id,
            "date_start": date(y, 1, 1), "date_end": date(y, 12, 31), "revenue_target": 5000.0})
        cls.plan.write({"state": "approved"})
        env["crm.lead"].create({
            "name": "KAMT upsell", "type": "opportunity", "partner_id": cls.a1.id,
            "company_id": cls.co.id, "expected_revenue": 5000.0,
            "kam_account_plan_id": cls.plan.id})
        History = cls.env["kam.tier.history"]
        History.create([
            {"partner_id": cls.a2.id, "company_id": cls.co.id, "change_type": "state",
             "old_state": "candidate", "new_state": "registered", "date": datetime(y, 3, 15)},
            {"partner_id": cls.gone.id, "company_id": cls.co.id, "change_type": "state",
             "old_state": "registered", "new_state": "lost", "date": datetime(y, 3, 20)},
        ])
        cls.template = cls.env["kam.scorecard.template"].create({
            "name": "KAMT assessment", "year": y, "company_id": cls.co.id,
            "line_ids": [
                (0, 0, {"measure": "revenue_achievement", "target": 100, "weight": 3}),
                (0, 0, {"measure": "visit_compliance", "target": 100, "weight": 1}),
                (0, 0, {"measure": "lost_count", "target": 0, "weight": 1, "scale": "lower"}),
            ]})
        cls.Scorecard = cls.env["kam.scorecard"]

    @classmethod
    def _order(cls, partner, amount, when):
        order = cls.env["sale.order"].with_company(cls.co).create({
            "partner_id": partner.id, "company_id": cls.co.id,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1,
                                   "price_unit": amount, "tax_ids": [(6, 0, [])]})]})
        order.action_confirm()
        order.date_order = datetime.combine(when, datetime.min.time().replace(hour=12))
        return order

    def _card(self, user, period_type, start):
        return self.Scorecard.search([
            ("company_id", "=", self.co.id), ("user_id", "=", user.id),
            ("period_type", "=", period_type), ("date_start", "=", start)])


@tagged("post_install", "-at_install")
class TestKamScorecard(KamScorecardCommon):
    def test_figures_against_hand_computed(self):
        stats = self.Scorecard._refresh_scorecards(self.co, self.year)
        # 2 managers x (12 months + 4 quarters + 1 year)
        self.assertEqual(stats["created"], 34)
        march = self._card(self.kam_1, "month", date(self.year, 3, 1))
        self.assertEqual(march.account_count, 2)
        self.assertAlmostEqual(march.revenue, 4000.0)
        self.assertAlmostEqual(march.revenue_target, 1000.0)        # 12000 / 12
        self.assertAlmostEqual(march.revenue_achievement, 400.0)
        self.assertAlmostEqual(march.revenue_prev, 2000.0)
        self.assertAlmostEqual(march.growth, 100.0)
        self.assertAlmostEqual(march.company_revenue, 10000.0)
        self.assertAlmostEqual(march.key_account_share, 40.0)
        # 31 days / 30-day cadence = 1.0333 visits per account; Alpha's 2 count for 1.0333
        self.assertEqual(march.visits_done, 2)
        self.assertEqual(march.visits_required, 2)  # 2.07 in whole visits
        self.assertAlmostEqual(march.visit_compliance, 50.0, places=2)
        self.assertEqual(march.plan_count, 1)
        self.assertAlmostEqual(march.plan_coverage, 50.0)
        self.assertEqual((march.won_count, march.lost_count), (1, 1))
        self.assertAlmostEqual(march.pipeline_amount, 5000.0)
        # (3 x min(400, 120) + 1 x 50 + 1 x 0) / 5
        self.assertAlmostEqual(march.score, 82.0)
        self.assertEqual(march.rank, 1)
        march_2 = self._card(self.kam_2, "month", date(self.year, 3, 1))
        self.assertAlmostEqual(march_2.revenue, 2000.0)
        self.assertAlmostEqual(march_2.revenue_achievement, 0.0)    # no target
        self.assertAlmostEqual(march_2.key_account_share, 20.0)
        self.assertEqual((march_2.won_count, march_2.lost_count), (0, 0))
        self.assertAlmostEqual(march_2.score, 20.0)                 # only "no account lost"
        self.assertEqual(march_2.rank, 2)

        year = self._card(self.kam_1, "year", date(self.year, 1, 1))
        self.assertAlmostEqual(year.revenue, 4500.0)
        self.assertAlmostEqual(year.revenue_target, 12000.0)
        self.assertAlmostEqual(year.revenue_achievement, 37.5)
        self.assertAlmostEqual(year.growth, 125.0)
        self.assertAlmostEqual(year.key_account_share, 4500.0 / 10500.0 * 100.0, places=1)
        q1 = self._card(self.kam_1, "quarter", date(self.year, 1, 1))
        self.assertAlmostEqual(q1.revenue_target, 3000.0)
        self.assertEqual(q1.date_end, date(self.year, 3, 31))
        self.assertEqual(march.period_label, f"{self.year}-03")

        # a second run with no data change writes nothing
        again = self.Scorecard._refresh_scorecards(self.co, self.year)
        self.assertEqual((again["created"], again["written"]), (0, 0))

    def test_weights_change_the_score(self):
        self.template.line_ids.filtered(lambda line: line.measure == "visit_compliance").weight = 5
        self.Scorecard._refresh_scorecards(self.co, self.year)
        march = self._card(self.kam_1, "month", date(self.year, 3, 1))
        # (3 x 120 + 5 x 50 + 1 x 0) / 9
        self.assertAlmostEqual(march.score, 610.0 / 9.0, places=1)
        self.template.line_ids.filtered(lambda line: line.measure == "revenue_achievement").scale = \
            "threshold"
        self.Scorecard._refresh_scorecards(self.co, self.year)
        self.assertAlmostEqual(march.score, (300.0 + 250.0) / 9.0, places=1)

    def test_template_rules(self):
        with self.assertRaises(ValidationError):
            self.template.line_ids[0].weight = 0
        with self.assertRaises(ValidationError):
            self.template.line_ids[0].target = -1

    def test_drill_down_actions(self):
        self.Scorecard._refresh_scorecards(self.co, self.year)
        march = self._card(self.kam_1, "month", date(self.year, 3, 1))
        accounts = self.env["res.partner"].search(march.action_view_accounts()["domain"])
        self.assertEqual(accounts, self.a1 | self.a2)
        orders = self.env["sale.order"].search(march.action_view_orders()["domain"])
        self.assertEqual(sum(orders.mapped("amount_untaxed")), march.revenue)
        visits = self.env["kam.visit"].search(march.action_view_visits()["domain"])
        self.assertEqual(len(visits), march.visits_done)
        plans = self.env["kam.account.plan"].search(march.action_view_plans()["domain"])
        self.assertEqual(plans, self.plan)
        leads = self.env["crm.lead"].search(march.action_view_opportunities()["domain"])
        self.assertEqual(sum(leads.mapped("expected_revenue")), march.pipeline_amount)
        changes = self.env["kam.tier.history"].search(march.action_view_won_lost()["domain"])
        self.assertEqual(len(changes), march.won_count + march.lost_count)
        if "kam.service.request" not in self.env:
            with self.assertRaises(UserError):
                march.action_view_requests()

    def test_frozen_period_keeps_its_figures(self):
        self.Scorecard._refresh_scorecards(self.co, self.year)
        march = self._card(self.kam_1, "month", date(self.year, 3, 1))
        with self.assertRaises(UserError):
            march.with_user(self.kam_1).action_freeze()
        march.with_user(self.director).action_freeze()
        march_2 = self._card(self.kam_2, "month", date(self.year, 3, 1))
        self.assertEqual((march.state, march_2.state), ("frozen", "frozen"))
        self.assertEqual(march.frozen_by_id, self.director)
        self.assertTrue(march.frozen_date)
        april = self._card(self.kam_1, "month", date(self.year, 4, 1))
        self.assertEqual(april.state, "open")
        # a late correction: another March order
        self._order(self.a2, 1000.0, date(self.year, 3, 25))
        stats = self.Scorecard._refresh_scorecards(self.co, self.year)
        self.assertGreaterEqual(stats["frozen"], 2)
        self.assertAlmostEqual(march.revenue, 4000.0)
        self.assertAlmostEqual(self._card(self.kam_1, "year", date(self.year, 1, 1)).revenue,
                               5500.0)
        with self.assertRaises(UserError):
            march.write({"revenue": 1.0})
        with self.assertRaises(UserError):
            march.unlink()

    def test_frozen_scorecard_no_context_key_unfreezes(self):
        """A context key is client input: ``kam_scorecard_unfreeze`` (or ``kam_flow``
        sent as a plain value) lets nobody rewrite a frozen scorecard, ``sudo()``
        neither; the director's Unfreeze button opens the period again."""
        self.Scorecard._refresh_scorecards(self.co, self.year)
        march = self._card(self.kam_1, "month", date(self.year, 3, 1))
        march_2 = self._card(self.kam_2, "month", date(self.year, 3, 1))
        march.with_user(self.director).action_freeze()
        revenue = march.revenue
        for context in ({"kam_scorecard_unfreeze": True}, {"kam_flow": True}):
            with self.subTest(context=context):
                card = march.with_user(self.director).with_context(**context)
                with self.assertRaises(UserError):
                    card.write({"revenue": revenue * 10})
                with self.assertRaises(AccessError):
                    card.write({"state": "open"})
                with self.assertRaises(AccessError):
                    card.sudo().write({"state": "open"})
        self.assertEqual((march.state, march.revenue), ("frozen", revenue))
        # an open scorecard's figures are the refresh's too
        april = self._card(self.kam_1, "month", date(self.year, 4, 1))
        with self.assertRaises(AccessError):
            april.with_user(self.director).write({"revenue": 1.0})
        with self.assertRaises(AccessError):
            april.with_user(self.director).write({"state": "frozen"})
        # the model's own path: a director unfreezes the period, the refresh rewrites it
        with self.assertRaises(UserError):
            march.with_user(self.kam_1).action_unfreeze()
        march.with_user(self.director).action_unfreeze()
        self.assertEqual((march.state, march_2.state), ("open", "open"))
        self.assertFalse(march.frozen_by_id or march.frozen_date)
        self._order(self.a2, 1000.0, date(self.year, 3, 25))
        # as the director's Refresh button does it (sudo, which is not the system)
        self.Scorecard.with_user(self.director).sudo()._refresh_scorecards(self.co, self.year)
        self.assertAlmostEqual(march.revenue, revenue + 1000.0)

    def test_access(self):
        self.Scorecard._refresh_scorecards(self.co, self.year)
        Scorecard = self.Scorecard.with_context(allowed_company_ids=self.co.ids)
        own = Scorecard.with_user(self.kam_1).search([])
        self.assertTrue(own)
        self.assertEqual(own.user_id, self.kam_1)
        # over the API (search_read / read) too
        rows = Scorecard.with_user(self.kam_1).search_read([], ["user_id"])
        self.assertEqual({r["user_id"][0] for r in rows}, {self.kam_1.id})
        other = self._card(self.kam_2, "year", date(self.year, 1, 1))
        with self.assertRaises(AccessError):
            other.with_user(self.kam_1).read(["revenue"])
        with self.assertRaises(AccessError):
            own[:1].with_user(self.kam_1).write({"state": "open"})
        seen = Scorecard.with_user(self.director).search([]).user_id
        self.assertEqual(seen, self.kam_1 | self.kam_2)
        # a director of another company sees none of them
        self.assertFalse(self.Scorecard.with_user(self.other_director).search(
            [("company_id", "=", self.co.id)]))
        with self.assertRaises(AccessError):
            other.with_user(self.other_director).read(["revenue"])

    def test_cron_refresh(self):
        with self.enter_registry_test_mode():
            self.env.ref("key_account_management.ir_cron_kam_scorecard_refresh") \
                .method_direct_trigger()
        cards = self.Scorecard.search([("company_id", "=", self.co.id)])
        self.assertTrue(cards)
        before = {c.id: c.computed_date for c in cards}
        with self.enter_registry_test_mode():
            self.env.ref("key_account_management.ir_cron_kam_scorecard_refresh") \
                .method_direct_trigger()
        cards.invalidate_recordset()
        self.assertEqual({c.id: c.computed_date for c in cards}, before)


@tagged("post_install", "-at_install")
class TestKamScorecardMainCompany(KamCommon):
    def test_refresh_button_for_directors(self):
        with self.assertRaises(UserError):
            self.env["kam.scorecard"].with_user(self.user_kam).action_refresh()
        self.env["kam.scorecard"].with_user(self.user_director).action_refresh()
        cards = self.env["kam.scorecard"].with_user(self.user_director).search(
            [("user_id", "=", self.user_kam.id)])
        self.assertTrue(cards)
