from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamParetoCurve(KamCommon):
    def test_curve_of_the_current_month_only(self):
        """The curve reads this month's ranks: a past month's snapshot (one account,
        100 % at rank 1) is not mixed into it, so the cumulative share never falls
        from one rank to the next (the demo drew 70, 95, 100, 96)."""
        company = self.env.company
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        Partner = env["res.partner"]
        partners = Partner.create([{"name": f"Pareto {i}", "is_company": True}
                                   for i in range(4)])
        for partner, revenue in zip(partners, (700.0, 250.0, 40.0, 10.0), strict=True):
            partner._kam_write_engine_figures({"kam_revenue_12m": revenue})
        last_month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        env["kam.account.snapshot"].create({
            "month": last_month, "partner_id": partners[3].id, "company_id": company.id,
            "revenue_12m": 999999.0})
        env.flush_all()
        groups = env["kam.pareto.curve"].formatted_read_group(
            [("series", "=", "curve"), ("company_id", "=", company.id),
             ("partner_id", "in", partners.ids)], ["rank"], ["value:max"])
        ranks = {g["rank"]: g["value:max"] for g in groups}
        others = env["kam.pareto.report"].search_count([
            ("month", "=", fields.Date.today().replace(day=1)),
            ("company_id", "=", company.id), ("partner_id", "not in", partners.ids)])
        if not others:  # alone in the company: the shares are exact
            self.assertEqual(ranks, {1: 70.0, 2: 95.0, 3: 99.0, 4: 100.0})
        values = [ranks[r] for r in sorted(ranks)]
        self.assertEqual(values, sorted(values), "the cumulative share never falls")
        self.assertEqual(len(values), 4, "one point per account of this month")
