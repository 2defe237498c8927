from odoo import fields, models
from odoo.tools import SQL


class KamParetoCurve(models.Model):
    """The Pareto curve: for every customer rank, the cumulative share of the
    company's 12-month revenue, with the 80 % and 95 % lines (class A and B
    limits) as two constant series, so that a line graph grouped by rank and
    series draws the three lines. Built on ``kam.pareto.report``, of the current
    month only: the past months' snapshots (fewer accounts, other ranks) would
    mix other curves into one rank and make the cumulative share fall."""

    _name = "kam.pareto.curve"
    _description = "Key Account Pareto Curve"
    _auto = False
    _order = "company_id, rank, series"

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    rank = fields.Integer(readonly=True, aggregator="min")
    series = fields.Selection(
        [("curve", "Cumulative Share"), ("line_80", "80 %"), ("line_95", "95 %")],
        readonly=True)
    value = fields.Float(string="Cumulative Share (%)", readonly=True, aggregator="max")
    tier_id = fields.Many2one("kam.tier", readonly=True)
    kam_manager_id = fields.Many2one("res.users", string="Key Account Manager", readonly=True)
    pareto_class = fields.Selection([("a", "A"), ("b", "B"), ("c", "C")], readonly=True)

    @property
    def _table_query(self):
        return SQL("""
            SELECT ROW_NUMBER() OVER (ORDER BY r.company_id, r.rank, r.partner_id, s.series) AS id,
                   r.company_id, r.partner_id, r.rank, r.tier_id, r.kam_manager_id,
                   r.pareto_class, s.series,
                   CASE s.series WHEN 'curve' THEN r.cumulative_share
                                 WHEN 'line_80' THEN 80.0 ELSE 95.0 END AS value
              FROM (%s) r
             CROSS JOIN (VALUES ('curve'), ('line_80'), ('line_95')) AS s(series)
             WHERE r.month = date_trunc('month', now())::date
        """, self.env["kam.pareto.report"]._table_query)
