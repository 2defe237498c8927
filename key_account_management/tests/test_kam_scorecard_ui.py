
from odoo.tests import new_test_user, tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamScorecardUi(KamHttpCase):
    def test_tour_kam_scorecard(self):
        """A director opens the Key Accounts dashboard, filters it on one key
        account manager and opens their account at risk, then opens the manager's
        scorecard and drills down to the account behind it."""
        director = new_test_user(
            self.env, login="kamt_sc_tour_dir", name="Tara Director",
            groups="key_account_management.key_account_management_group_director")
        kam = new_test_user(
            self.env, login="kamt_sc_tour_kam", name="Tess Tour",
            groups="key_account_management.key_account_management_group_manager")
        partner = self.env["res.partner"].create({"name": "Tour Scorecard Co", "is_company": True})
        partner.write({"kam_state": "registered", "kam_manager_id": kam.id})
        # red health: the account is in the dashboard's list of accounts at risk
        partner._kam_write_engine_figures({"kam_health_band": "red", "kam_health_score": 20.0})
        today = self.env.company._kam_today()
        self.env["kam.target"].create(
            {"year": today.year, "user_id": kam.id, "revenue_target": 10000.0})
        product = self.env["product.product"].create(
            {"name": "Tour Scorecard Line", "type": "service", "list_price": 5000})
        order = self.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1,
                                   "price_unit": 5000, "tax_ids": [(6, 0, [])]})],
        })
        order.action_confirm()
        order.date_order = today.replace(day=1)
        self.env["kam.scorecard"]._refresh_scorecards(self.env.company, today.year)
        self.start_tour("/odoo", "kam_scorecard_tour", login=director.login)
