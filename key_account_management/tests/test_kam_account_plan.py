from contextlib import contextmanager
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import KamCommon, KamHttpCase


class KamPlanCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.year = cls.today.year
        cls.start, cls.end = date(cls.year, 1, 1), date(cls.year, 12, 31)
        cls.Plan = cls.env["kam.account.plan"]
        cls.user_team = new_test_user(
            cls.env, login="kamt_team_tech", name="Tina Tech",
            groups="sales_team.group_sale_salesman")
        cls.env["kam.team.member"].create({
            "partner_id": cls.account.id, "user_id": cls.user_team.id, "role": "technical"})

    @classmethod
    def _make_plan(cls, partner=None, **vals):
        return cls.env["kam.account.plan"].create({
            "partner_id": (partner or cls.account).id, "revenue_target": 10000.0, **vals})

    @contextmanager
    def assertRefused(self, pattern, exception=ValidationError):
        """assertRaises (which rolls back to a savepoint) plus the message."""
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertRegex(str(cm.exception), pattern)

    def _in_period(self, month, day=1):
        """A day of the current year not after today."""
        return min(date(self.year, month, day), self.today)


@tagged("post_install", "-at_install")
class TestKamAccountPlan(KamPlanCommon):
    # ---- defaults and figures ----
    def test_defaults_from_account(self):
        plan = self._make_plan()
        self.assertEqual((plan.date_start, plan.date_end), (self.start, self.end))
        self.assertEqual(plan.user_id, self.user_kam)
        self.assertEqual(plan.tier_id, self.tier_a)
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.name, f"Acme Telecom Group {self.year}")

    def test_actuals_from_orders(self):
        plan = self._make_plan(wallet_amount=20000.0)
        self._make_order(self.account, 3000.0, self._in_period(2))
        self._make_order(self.account_contact, 1000.0, self._in_period(3))  # child counts
        self._make_order(self.account, 500.0, date(self.year - 1, 12, 31))  # before period
        self._make_order(self.account, 700.0, confirm=False)  # quotation
        self._make_order(self.account_2, 900.0, self._in_period(2))  # another account
        plan.invalidate_recordset()
        self.assertAlmostEqual(plan.actual_revenue, 4000.0)
        self.assertAlmostEqual(plan.achievement, 40.0)
        self.assertAlmostEqual(plan.wallet_share, 20.0)

    def test_actuals_from_invoices_with_refund(self):
        self.env.company.kam_revenue_basis = "invoice"
        plan = self._make_plan()
        self._make_order(self.account, 3000.0, self._in_period(2))  # not the basis
        self._make_invoice(self.account, 5000.0, self._in_period(3))
        self._make_invoice(self.account, 1500.0, self._in_period(4), move_type="out_refund")
        self._make_invoice(self.account, 800.0, date(self.year - 1, 6, 1))
        plan.invalidate_recordset()
        self.assertAlmostEqual(plan.actual_revenue, 3500.0)
        self.assertAlmostEqual(plan.achievement, 35.0)

    def test_forecast_from_open_opportunities(self):
        plan = self._make_plan()
        self._make_order(self.account, 2000.0, self._in_period(1))
        Lead = self.env["crm.lead"]
        Lead.create([
            {"name": "In period", "type": "opportunity", "partner_id": self.account_contact.id,
             "expected_revenue": 10000.0, "probability": 50.0, "date_deadline": self.end},
            {"name": "Next year", "type": "opportunity", "partner_id": self.account.id,
             "expected_revenue": 99000.0, "probability": 50.0,
             "date_deadline": self.end + timedelta(days=1)},
            {"name": "Other account", "type": "opportunity", "partner_id": self.account_2.id,
             "expected_revenue": 7000.0, "probability": 50.0, "date_deadline": self.end},
        ])
        lost = Lead.create({"name": "Lost", "type": "opportunity", "partner_id": self.account.id,
                            "expected_revenue": 5000.0, "probability": 30.0,
                            "date_deadline": self.end})
        lost.action_set_lost()
        plan.invalidate_recordset()
        self.assertAlmostEqual(plan.pipeline_amount, 10000.0)
        self.assertAlmostEqual(plan.weighted_amount, 5000.0)
        self.assertAlmostEqual(plan.forecast_revenue, 7000.0)
        self.assertAlmostEqual(plan.forecast_achievement, 70.0)
        self.assertEqual(plan.opportunity_ids.mapped("name"), ["In period"])

    def test_multi_company_plan(self):
        """A plan of the second company takes that company's KAM and its revenue only."""
        kam_c2 = new_test_user(
            self.env, login="kamt_manager_c2", name="Kai Manager C2",
            groups="key_account_management.key_account_management_group_manager",
            company_id=self.company_2.id, company_ids=[(6, 0, self.company_2.ids)])
        self.account.with_company(self.company_2).kam_manager_id = kam_c2
        plan_c2 = self.Plan.with_company(self.company_2).create({
            "partner_id": self.account.id, "company_id": self.company_2.id,
            "revenue_target": 1000.0})
        plan = self._make_plan()
        self.assertEqual(plan_c2.user_id, kam_c2)
        self.assertEqual(plan.user_id, self.user_kam)
        self._make_order(self.account, 400.0, self._in_period(1), company=self.company_2)
        self._make_order(self.account, 700.0, self._in_period(1))
        self.env.invalidate_all()
        self.assertAlmostEqual(plan_c2.actual_revenue, 400.0)
        self.assertAlmostEqual(plan.actual_revenue, 700.0)
        plan_c2.with_user(self.user_director_2).read(["name"])
        with self.assertRaises(AccessError):
            plan_c2.with_user(self.user_kam).read(["name"])
        # both companies' plans of the same account may be approved at once
        (plan | plan_c2).action_submit()
        plan.with_user(self.user_director).action_approve()
        plan_c2.with_user(self.user_director_2).action_approve()
        self.assertEqual((plan | plan_c2).mapped("state"), ["approved", "approved"])

    def test_new_opportunity_from_plan(self):
        plan = self._make_plan()
        action = plan.action_new_opportunity()
        with Form(self.env["crm.lead"].with_context(**action["context"])) as lead_form:
            lead_form.name = "Managed firewall"
            lead_form.expected_revenue = 4000.0
        lead = lead_form.record
        self.assertEqual(lead.kam_account_plan_id, plan)
        self.assertEqual(lead.partner_id, self.account)
        self.assertEqual(lead.user_id, self.user_kam)
        plan.invalidate_recordset()
        self.assertIn(lead, plan.opportunity_ids)
        self.assertEqual(plan.opportunity_count, 1)

    # ---- whitespace ----
    def _whitespace(self, plan):
        self.env.flush_all()
        self.env["kam.account.plan.whitespace"].invalidate_model()
        plan.invalidate_recordset(["whitespace_ids"])
        return {w.categ_id: w for w in plan.whitespace_ids}

    def test_whitespace_from_order_lines(self):
        Categ = self.env["product.category"]
        categ_net, categ_cloud, categ_security = Categ.create(
            [{"name": "WS Network"}, {"name": "WS Cloud"}, {"name": "WS Security"}])
        Product = self.env["product.product"]
        net, cloud, security = Product.create([
            {"name": "WS Fibre", "categ_id": categ_net.id, "type": "service"},
            {"name": "WS Cloud VM", "categ_id": categ_cloud.id, "type": "service"},
            {"name": "WS Firewall", "categ_id": categ_security.id, "type": "service"},
        ])
        plan = self._make_plan()
        self._make_order(self.account, 1200.0, self.today - timedelta(days=30), product=net)
        self._make_order(self.account_contact, 300.0, self.today - timedelta(days=400), product=net)
        self._make_order(self.account, 800.0, self.today - timedelta(days=800), product=cloud)
        self._make_order(self.account, 999.0, confirm=False, product=security)
        self._make_order(self.account_2, 500.0, self.today, product=security)
        grid = self._whitespace(plan)
        self.assertTrue(grid[categ_net].bought)
        self.assertAlmostEqual(grid[categ_net].amount, 1500.0)
        self.assertFalse(grid[categ_cloud].bought, "bought more than 24 months ago: a gap")
        self.assertFalse(grid[categ_security].bought,
                         "a quotation or another account is no purchase")

        action = grid[categ_security].action_create_opportunity()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.partner_id, self.account)
        self.assertEqual(lead.kam_account_plan_id, plan)
        self.assertEqual(lead.kam_product_categ_id, categ_security)
        self.assertEqual(lead.type, "opportunity")
        grid = self._whitespace(plan)
        self.assertTrue(grid[categ_security].has_opportunity)
        with self.assertRaises(UserError):
            grid[categ_security].action_create_opportunity()

    def test_whitespace_of_the_company_product_lines(self):
        """With product lines named in Settings, the whitespace lists those and their
        subcategories only (bought or not); without, every category of a product for
        sale (Odoo's sample ones included)."""
        Categ = self.env["product.category"]
        line = Categ.create({"name": "WS Telecom"})
        fibre, cloud = Categ.create([{"name": "WS Fibre", "parent_id": line.id},
                                     {"name": "WS Cloud", "parent_id": line.id}])
        furniture = Categ.create({"name": "WS Office Furniture"})
        Product = self.env["product.product"]
        fibre_line, desk = Product.create([
            {"name": "WS Fibre 1G", "categ_id": fibre.id, "type": "service"},
            {"name": "WS Desk", "categ_id": furniture.id, "type": "consu"},
        ])
        Product.create({"name": "WS Cloud VM", "categ_id": cloud.id, "type": "service"})
        plan = self._make_plan()
        self._make_order(self.account, 1000.0, self.today, product=fibre_line)
        self._make_order(self.account, 200.0, self.today, product=desk)
        grid = self._whitespace(plan)
        self.assertLessEqual({fibre, cloud, furniture}, set(grid))
        self.env.company.kam_whitespace_categ_ids = line
        grid = self._whitespace(plan)
        self.assertEqual(set(grid), {fibre, cloud})
        self.assertTrue(grid[fibre].bought)
        self.assertFalse(grid[cloud].bought)
        # the Settings write the company's product lines
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.kam_whitespace_categ_ids, line)
        settings.kam_whitespace_categ_ids = fibre | furniture
        settings.execute()
        grid = self._whitespace(plan)
        self.assertEqual(set(grid), {fibre, furniture})

    def test_whitespace_from_invoice_lines(self):
        self.env.company.kam_revenue_basis = "invoice"
        plan = self._make_plan()
        categ = self.env["product.category"].create({"name": "WS Connectivity"})
        self.product.categ_id = categ
        self._make_order(self.account, 1000.0, self.today)
        grid = self._whitespace(plan)
        self.assertFalse(grid[categ].bought, "orders do not count on the invoice basis")
        self._make_invoice(self.account, 2000.0, self.today - timedelta(days=10))
        self._make_invoice(self.account, 500.0, self.today, move_type="out_refund")
        grid = self._whitespace(plan)
        self.assertTrue(grid[categ].bought)
        self.assertAlmostEqual(grid[categ].amount, 1500.0)

    # ---- behaviour ----
    def test_copy_to_next_period(self):
        competitor = self.env["res.partner"].create({"name": "Rival Net", "is_company": True})
        plan = self._make_plan(
            wallet_amount=50000.0, target_wallet_share=30.0,
            objective_ids=[(0, 0, {"name": "Open one", "status": "on_track", "target_value": 5}),
                           (0, 0, {"name": "Achieved", "status": "achieved"})],
            action_ids=[(0, 0, {"name": "Open action", "user_id": self.user_kam.id,
                                "date_deadline": self.end}),
                        (0, 0, {"name": "Done action", "user_id": self.user_kam.id,
                                "date_deadline": self.start, "state": "done"})],
            competitor_ids=[(0, 0, {"competitor_id": competitor.id, "share": 40.0,
                                    "counter_strategy": "Bundle"})],
            need_ids=[(0, 0, {"need_type": "business", "name": "Lower latency"})],
            swot_ids=[(0, 0, {"swot_type": "threat", "name": "Price war"})],
        )
        action = plan.action_copy_next_period()
        new = self.Plan.browse(action["res_id"])
        self.assertEqual((new.date_start, new.date_end),
                         (date(self.year + 1, 1, 1), date(self.year + 1, 12, 31)))
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.previous_plan_id, plan)
        self.assertEqual(new.user_id, self.user_kam)
        self.assertEqual(new.wallet_amount, 50000.0)
        self.assertEqual(new.objective_ids.mapped("name"), ["Open one"])
        self.assertEqual(new.action_ids.mapped("name"), ["Open action"])
        self.assertEqual(new.competitor_ids.competitor_id, competitor)
        self.assertEqual(new.competitor_ids.share, 40.0)
        self.assertEqual(new.need_ids.mapped("name"), ["Lower latency"])
        self.assertFalse(new.swot_ids)
        self.assertTrue(new.action_ids.activity_id)
        with self.assertRaises(UserError):
            plan.action_copy_next_period()

    def test_carry_over_values_of_plan_lines(self):
        """Each kind of plan line carries exactly its own fields (with ids for
        many2one fields) into the next period's plan."""
        competitor = self.env["res.partner"].create({"name": "Rival Net", "is_company": True})
        stakeholder = self.env["kam.stakeholder"].create(
            {"partner_id": self.account.id, "contact_id": self.account_contact.id})
        plan = self._make_plan(
            objective_ids=[(0, 0, {"sequence": 3, "name": "Sites", "measure": "sites",
                                   "target_value": 5, "current_value": 2,
                                   "date_deadline": self.end, "status": "at_risk"})],
            action_ids=[(0, 0, {"sequence": 4, "name": "Workshop", "user_id": self.user_kam.id,
                                "date_deadline": self.end, "note": "With IT"})],
            competitor_ids=[(0, 0, {"sequence": 5, "competitor_id": competitor.id, "share": 40.0,
                                    "strengths": "Price", "weaknesses": "Support",
                                    "counter_strategy": "Bundle"})],
            need_ids=[(0, 0, {"sequence": 6, "need_type": "personal", "name": "Promotion",
                              "stakeholder_id": stakeholder.id})],
        )
        self.assertEqual(plan.objective_ids._get_carry_over_vals(), {
            "sequence": 3, "name": "Sites", "measure": "sites", "target_value": 5.0,
            "current_value": 2.0, "date_deadline": self.end, "status": "at_risk"})
        self.assertEqual(plan.action_ids._get_carry_over_vals(), {
            "sequence": 4, "name": "Workshop", "user_id": self.user_kam.id,
            "date_deadline": self.end, "state": "todo", "note": "With IT"})
        self.assertEqual(plan.competitor_ids._get_carry_over_vals(), {
            "sequence": 5, "competitor_id": competitor.id, "share": 40.0, "strengths": "Price",
            "weaknesses": "Support", "counter_strategy": "Bundle"})
        self.assertEqual(plan.need_ids._get_carry_over_vals(), {
            "sequence": 6, "need_type": "personal", "name": "Promotion",
            "stakeholder_id": stakeholder.id})

    def test_copy_to_next_period_of_a_half_year(self):
        plan = self._make_plan(date_start=date(self.year, 1, 1), date_end=date(self.year, 6, 30))
        new = self.Plan.browse(plan.action_copy_next_period()["res_id"])
        self.assertEqual((new.date_start, new.date_end),
                         (date(self.year, 7, 1), date(self.year, 12, 31)))

    def test_one_approved_plan_per_account_and_period(self):
        first = self._make_plan()
        second = self._make_plan(date_start=date(self.year, 7, 1),
                                 date_end=date(self.year + 1, 6, 30))
        other_year = self._make_plan(date_start=date(self.year + 1, 7, 1),
                                     date_end=date(self.year + 2, 6, 30))
        (first | second | other_year).action_submit()
        first.with_user(self.user_director).action_approve()
        with self.assertRefused("overlapping"):
            second.with_user(self.user_director).action_approve()
        self.assertEqual(second.state, "submitted")
        other_year.with_user(self.user_director).action_approve()
        self.assertEqual(other_year.state, "approved")
        first.with_user(self.user_director).action_close()
        second.with_user(self.user_director).action_approve()
        self.assertEqual(second.state, "approved")

    def test_competitor_shares_up_to_the_whole_spend(self):
        plan = self._make_plan()
        rivals = self.env["res.partner"].create(
            [{"name": "Rival A", "is_company": True}, {"name": "Rival B", "is_company": True}])
        plan.competitor_ids = [(0, 0, {"competitor_id": rivals[0].id, "share": 60.0}),
                               (0, 0, {"competitor_id": rivals[1].id, "share": 40.0})]
        self.assertEqual(sum(plan.competitor_ids.mapped("share")), 100.0)
        with self.assertRefused("add up to 100.5"):
            plan.competitor_ids[1].share = 40.5
        self.assertEqual(plan.competitor_ids[1].share, 40.0)

    def test_bad_input(self):
        with self.assertRefused("period end"):
            self._make_plan(date_start=date(self.year, 6, 1), date_end=date(self.year, 5, 31))
        with self.assertRefused("revenue target cannot be negative"):
            self._make_plan(revenue_target=-1.0)
        with self.assertRefused("share of wallet"):
            self._make_plan(target_wallet_share=120.0)
        plan = self._make_plan()
        with self.assertRefused("customer of the plan itself"):
            plan.competitor_ids = [(0, 0, {"competitor_id": self.account_contact.id})]
        with self.assertRefused("our own company"):
            plan.competitor_ids = [(0, 0, {"competitor_id": self.env.company.partner_id.id})]
        rival = self.env["res.partner"].create({"name": "Rival", "is_company": True})
        with self.assertRefused("estimated share"):
            plan.competitor_ids = [(0, 0, {"competitor_id": rival.id, "share": 101.0})]
        other_rival = self.env["res.partner"].create({"name": "Other Rival", "is_company": True})
        with self.assertRefused("add up to 110"):
            plan.competitor_ids = [(0, 0, {"competitor_id": rival.id, "share": 60.0}),
                                   (0, 0, {"competitor_id": other_rival.id, "share": 50.0})]
        with self.assertRefused("not an internal user"):
            plan.action_ids = [(0, 0, {"name": "Outside", "user_id": self.user_director_2.id})]
        with self.assertRefused("target cannot be negative"):
            plan.objective_ids = [(0, 0, {"name": "Neg", "target_value": -3})]
        with self.assertRefused("personal need must name"):
            plan.need_ids = [(0, 0, {"need_type": "personal", "name": "Promotion"})]
        plan.invalidate_recordset()
        self.assertFalse(plan.competitor_ids)
        self.assertFalse(plan.action_ids)
        self.assertFalse(plan.need_ids)
        self.assertFalse(plan.objective_ids)

    def test_personal_need_of_a_stakeholder(self):
        plan = self._make_plan()
        stakeholder = self.env["kam.stakeholder"].create(
            {"partner_id": self.account.id, "contact_id": self.account_contact.id})
        plan.need_ids = [(0, 0, {"need_type": "personal", "name": "Promotion",
                                 "stakeholder_id": stakeholder.id})]
        self.assertEqual(plan.need_ids.stakeholder_id, stakeholder)
        # the account team (here a salesman serving on it) reads its decision unit
        self.assertEqual(stakeholder.with_user(self.user_team).read(["name"])[0]["name"],
                         "Alice Buyer")
        # ... and a sales user outside the team does not
        with self.assertRaises(AccessError):
            stakeholder.with_user(self.user_salesman).read(["name"])
        need = plan.need_ids.with_user(self.user_team)
        self.assertEqual(need.read(["stakeholder_name"])[0]["stakeholder_name"], "Alice Buyer")
        arch = self.env["kam.account.plan"].with_user(self.user_team).get_views(
            [(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="stakeholder_id"', arch)
        self.assertIn('name="stakeholder_name"', arch)
        other = self.env["kam.stakeholder"].create({
            "partner_id": self.account_2.id,
            "contact_id": self.env["res.partner"].create(
                {"name": "Bob", "parent_id": self.account_2.id}).id})
        with self.assertRefused("not a stakeholder"):
            plan.need_ids = [(0, 0, {"need_type": "personal", "name": "X",
                                     "stakeholder_id": other.id})]

    def test_action_activity_kept_in_step(self):
        plan = self._make_plan()
        plan.action_ids = [(0, 0, {"name": "Workshop", "user_id": self.user_kam.id,
                                   "date_deadline": self.end})]
        action = plan.action_ids
        activity = action.activity_id
        self.assertEqual((activity.user_id, activity.date_deadline, activity.res_id),
                         (self.user_kam, self.end, plan.id))
        action.write({"user_id": self.user_kam_2.id, "date_deadline": self.end - timedelta(days=1)})
        self.assertEqual(action.activity_id, activity)
        self.assertEqual(activity.user_id, self.user_kam_2)
        self.assertEqual(activity.date_deadline, self.end - timedelta(days=1))
        action.state = "done"
        self.assertFalse(activity.active, "the activity is marked done")
        self.assertFalse(action.activity_id)
        self.assertFalse(plan.activity_ids)
        action.state = "todo"
        self.assertTrue(action.activity_id)
        action.state = "cancelled"
        self.assertFalse(plan.activity_ids)

    def test_handover_moves_open_plans_and_actions(self):
        plan = self._make_plan(action_ids=[
            (0, 0, {"name": "Open", "user_id": self.user_kam.id, "date_deadline": self.end}),
            (0, 0, {"name": "Team", "user_id": self.user_team.id, "date_deadline": self.end}),
        ])
        closed = self._make_plan(date_start=date(self.year - 1, 1, 1),
                                 date_end=date(self.year - 1, 12, 31))
        closed.write({"state": "closed"})
        self.account._kam_handover_records(self.user_kam, self.user_kam_2)
        self.assertEqual(plan.user_id, self.user_kam_2)
        self.assertEqual(closed.user_id, self.user_kam)
        open_action = plan.action_ids.filtered(lambda a: a.name == "Open")
        self.assertEqual(open_action.user_id, self.user_kam_2)
        self.assertEqual(open_action.activity_id.user_id, self.user_kam_2)
        team_action = plan.action_ids.filtered(lambda a: a.name == "Team")
        self.assertEqual(team_action.user_id, self.user_team)

    def test_smart_button_on_account(self):
        self._make_plan()
        self._make_plan(date_start=date(self.year + 1, 1, 1), date_end=date(self.year + 1, 12, 31))
        self.assertEqual(self.account.kam_account_plan_count, 2)
        self.assertEqual(self.account_2.kam_account_plan_count, 0)
        action = self.account.action_view_kam_account_plans()
        self.assertEqual(self.Plan.search(action["domain"]), self.account.kam_account_plan_ids)

    def test_current_plan_on_account(self):
        draft = self._make_plan()
        approved = self._make_plan(date_start=date(self.year, 1, 1),
                                   date_end=date(self.year, 12, 31))
        approved.action_submit()
        approved.with_user(self.user_director).action_approve()
        self._make_order(self.account, 2500.0, self._in_period(1))
        self.env.invalidate_all()
        self.assertEqual(self.account.kam_current_plan_id, approved)
        self.assertAlmostEqual(self.account.kam_current_plan_achievement, 25.0)
        self.assertEqual(approved.report_actual_revenue, 2500.0, "reported with the order")
        approved.with_user(self.user_director).action_close()
        self.assertEqual(approved.report_actual_revenue, 2500.0, "final figures at closing")
        approved.with_user(self.user_director).action_reopen()
        approved.action_submit()
        approved.with_user(self.user_director).action_approve()
        self.assertFalse(self.account_2.kam_current_plan_id)
        self.assertEqual(self.account.action_view_kam_current_plan()["res_id"], approved.id)
        approved.with_user(self.user_director).action_close()
        self.env.invalidate_all()
        self.assertEqual(self.account.kam_current_plan_id, draft)

    def test_pdf_renders(self):
        competitor = self.env["res.partner"].create({"name": "Rival Net", "is_company": True})
        plan = self._make_plan(
            strategy="<p>Win the branches</p>",
            objective_ids=[(0, 0, {"name": "Connect 300 branches", "target_value": 300})],
            swot_ids=[(0, 0, {"swot_type": "threat", "name": "Price war"})],
            competitor_ids=[(0, 0, {"competitor_id": competitor.id, "share": 25})],
            action_ids=[(0, 0, {"name": "Pilot", "user_id": self.user_kam.id})],
        )
        html, _ = self.env["ir.actions.report"]._render_qweb_html(
            "key_account_management.kam_account_plan_report", plan.ids)
        html = html.decode()
        for text in (plan.name, "Win the branches", "Connect 300 branches", "Price war",
                     "Rival Net", "Pilot", "Threats"):
            self.assertIn(text, html)
        action = plan.action_print()
        report = action.get("context", {}).get("report_action", action)
        self.assertEqual(report["report_name"],
                         "key_account_management.kam_account_plan_report_document")

    # ---- access ----
    def test_access_kam_edits_own_plan_until_submitted(self):
        plan = self.Plan.with_user(self.user_kam).create({"partner_id": self.account.id})
        plan.write({"revenue_target": 5000.0})
        plan.objective_ids = [(0, 0, {"name": "Grow"})]
        plan.action_ids = [(0, 0, {"name": "Call", "user_id": self.user_kam.id})]
        plan.action_submit()
        with self.assertRaises(AccessError):
            plan.write({"revenue_target": 6000.0})
        with self.assertRaises(UserError):
            plan.objective_ids.write({"name": "Other"})
        with self.assertRaises(AccessError):
            plan.objective_ids.write({"current_value": 1.0})
        with self.assertRaises(UserError):
            plan.action_approve()
        plan.with_user(self.user_director).action_approve()
        # progress of an approved plan is still tracked by its KAM
        plan.objective_ids.write({"current_value": 3.0, "status": "on_track"})
        plan.action_ids.write({"state": "done"})
        with self.assertRaises(UserError):
            plan.objective_ids.write({"target_value": 1.0})
        with self.assertRaises(UserError):
            plan.action_ids.write({"name": "Renamed"})
        with self.assertRaises(UserError):
            plan.action_reopen()
        plan.with_user(self.user_director).action_reopen()
        self.assertEqual(plan.state, "draft")

    def test_access_team_reads_others_do_not(self):
        plan = self._make_plan(objective_ids=[(0, 0, {"name": "Grow"})])
        plan.with_user(self.user_team).read(["name", "actual_revenue"])
        plan.objective_ids.with_user(self.user_team).read(["name"])
        with self.assertRaises(AccessError):
            plan.with_user(self.user_team).write({"revenue_target": 1.0})
        with self.assertRaises(AccessError):
            plan.with_user(self.user_kam_2).read(["name"])
        with self.assertRaises(AccessError):
            plan.with_user(self.user_salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.user_kam_2).create({"partner_id": self.account.id,
                                                         "user_id": self.user_kam.id})
        # directors see all plans of their companies, not those of other companies
        plan.with_user(self.user_director).write({"revenue_target": 2.0})
        with self.assertRaises(AccessError):
            plan.with_user(self.user_director_2).read(["name"])

    def test_access_action_owner_updates_own_action(self):
        plan = self._make_plan(action_ids=[(0, 0, {"name": "Demo", "user_id": self.user_team.id})])
        plan.action_submit()
        plan.with_user(self.user_director).action_approve()
        action = plan.action_ids.with_user(self.user_team)
        action.write({"state": "done"})
        self.assertEqual(action.state, "done")
        with self.assertRaises(UserError):
            action.write({"date_deadline": self.end})


@tagged("post_install", "-at_install")
class TestKamAccountPlanReported(KamPlanCommon):
    """Issue 27: Plans vs Actuals showed blank actual and forecast columns, and the
    dashboard's plan-achievement chart was empty, until the nightly job ran. The
    reported figures are written with the plan and with every order, invoice and
    opportunity of its account; no scheduled action runs in these tests."""

    def _reported(self, plan):
        """What the graph of Plans vs Actuals and the dashboard read."""
        [(actual, forecast, achievement)] = self.Plan._read_group(
            [("id", "=", plan.id)], [],
            ["report_actual_revenue:sum", "report_forecast_revenue:sum", "report_achievement:avg"])
        return actual, forecast, achievement

    def test_fresh_plan_reports_its_figures(self):
        self._make_order(self.account, 3000.0, self._in_period(1))
        plan = self._make_plan()
        self.assertEqual(self._reported(plan), (3000.0, 3000.0, 30.0))
        self.assertEqual(plan.report_date, self.today)

    def test_orders_refresh_reported_figures(self):
        plan = self._make_plan()
        self.assertEqual(self._reported(plan), (0.0, 0.0, 0.0))
        order = self._make_order(self.account_contact, 2500.0, self._in_period(1))
        self.assertEqual(self._reported(plan), (2500.0, 2500.0, 25.0))
        order.order_line.price_unit = 4000.0
        self.assertEqual(self._reported(plan)[0], 4000.0)
        order._action_cancel()
        self.assertEqual(self._reported(plan), (0.0, 0.0, 0.0))
        plan.revenue_target = 20000.0
        self._make_order(self.account, 5000.0, self._in_period(1))
        self.assertEqual(self._reported(plan), (5000.0, 5000.0, 25.0))

    def test_invoices_refresh_reported_figures(self):
        self.env.company.kam_revenue_basis = "invoice"
        plan = self._make_plan()
        self._make_order(self.account, 3000.0, self._in_period(1))  # not the basis
        self.assertEqual(self._reported(plan)[0], 0.0)
        self._make_invoice(self.account, 5000.0, self._in_period(1))
        self.assertEqual(self._reported(plan)[0], 5000.0)
        refund = self._make_invoice(
            self.account, 1500.0, self._in_period(1), move_type="out_refund")
        self.assertEqual(self._reported(plan)[0], 3500.0)
        refund.button_draft()
        self.assertEqual(self._reported(plan)[0], 5000.0)

    def test_opportunities_refresh_reported_forecast(self):
        plan = self._make_plan()
        lead = self.env["crm.lead"].create({
            "name": "Core upgrade", "type": "opportunity", "partner_id": self.account.id,
            "expected_revenue": 10000.0, "probability": 40.0, "date_deadline": self.end})
        self.assertEqual(self._reported(plan)[1], 4000.0)
        lead.probability = 60.0
        self.assertEqual(self._reported(plan)[1], 6000.0)
        lead.action_set_lost()
        self.assertEqual(self._reported(plan)[1], 0.0)

    def test_dashboard_chart_has_approved_plan(self):
        """The dashboard's "Plan Achievement by Manager" reads the approved plans'
        reported achievement by KAM."""
        self._make_order(self.account, 6500.0, self._in_period(1))
        plan = self._make_plan()
        plan.action_submit()
        plan.with_user(self.user_director).action_approve()
        groups = dict(self.Plan._read_group(
            [("state", "in", ["approved", "closed"]), ("company_id", "=", self.company.id)],
            ["user_id"], ["report_achievement:avg"]))
        self.assertEqual(groups, {self.user_kam: 65.0})


@tagged("post_install", "-at_install")
class TestKamAccountPlanUi(KamHttpCase):
    def test_tour_kam_account_plan(self):
        """From an account: create its plan, add an objective and an action, submit,
        approve as director (admin; the plan is its KAM's: nobody approves their own)."""
        admin = self.env.ref("base.user_admin")
        kam = new_test_user(self.env, login="kamt_tour_plan_kam", name="Tara Tour KAM",
                            groups="key_account_management.key_account_management_group_manager")
        account = self.env["res.partner"].create({"name": "Tour Harbour Bank", "is_company": True})
        account.write({"kam_state": "registered", "kam_manager_id": kam.id})
        self.start_tour("/odoo", "kam_account_plan_tour", login="admin")
        plan = self.env["kam.account.plan"].search([("partner_id", "=", account.id)])
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.state, "approved")
        self.assertEqual((plan.user_id, plan.approved_by_id), (kam, admin))
        self.assertEqual(plan.revenue_target, 750000.0)
        self.assertEqual(plan.objective_ids.name, "Open the data centre deal")
        self.assertEqual(plan.action_ids.name, "Meet the CIO")
        self.assertEqual(plan.action_ids.activity_id.user_id, admin)
