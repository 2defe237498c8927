from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestKamGraphViews(TransactionCase):
    """Issue 27: the Pareto curve was drawn stacked (Odoo stacks graphs unless told not
    to): its 80 % and 95 % lines stood at 180 and 275 on a 300 axis, and Plans vs Actuals
    piled the actual on top of the target. A line chart, a chart of several measures
    compared side by side, or of an average (a rate, a score: adding them up means
    nothing) is never stacked."""

    def _graph_views(self):
        data = self.env["ir.model.data"].search([
            ("module", "=", "key_account_management"), ("model", "=", "ir.ui.view")])
        views = self.env["ir.ui.view"].browse(data.mapped("res_id")).filtered(
            lambda v: v.type == "graph")
        self.assertTrue(views)
        return views

    def test_lines_and_compared_measures_not_stacked(self):
        checked = []
        for view in self._graph_views():
            arch = etree.fromstring(view.get_combined_arch())
            measures = arch.xpath("//field[@type='measure']")
            model = self.env[view.model]
            averages = [m for m in measures
                        if model._fields[m.get("name")].aggregator == "avg"]
            several_lines = arch.get("type") == "line"
            if len(measures) > 1 or several_lines or averages:
                checked.append(view.xml_id)
                with self.subTest(view=view.xml_id):
                    self.assertEqual(arch.get("stacked"), "0", f"{view.xml_id} is drawn stacked")
        self.assertIn("key_account_management.kam_pareto_curve_view_graph", checked)
        self.assertIn("key_account_management.kam_account_plan_view_graph", checked)
        self.assertIn("key_account_management.kam_visit_compliance_report_view_graph", checked)
