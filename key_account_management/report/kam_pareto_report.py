from odoo import fields, models
from odoo.tools import SQL

from ..models.res_partner import KAM_STATE_SELECTION


class KamParetoReport(models.Model):
    """Pareto analysis: every customer with 12-month revenue in a company,
    ranked by revenue, with its share and the cumulative share (window
    function) of the company's revenue. Reads the metrics written by the
    scoring engine (``kam.scoring``) for the current month; past months come
    from the monthly snapshots (``kam.account.snapshot``: revenue, class,
    score, tier and KAM of that month; key accounts only, so their shares are
    among the key accounts)."""

    _name = "kam.pareto.report"
    _description = "Key Account Pareto Analysis"
    _auto = False
    _order = "company_id, rank"
    _rec_name = "partner_id"

    month = fields.Date(readonly=True, help="The current month, or a past month's snapshot.")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    rank = fields.Integer(readonly=True, aggregator="min")
    revenue_12m = fields.Float(string="Revenue (12 months)", readonly=True)
    revenue_share = fields.Float(string="Revenue Share (%)", readonly=True)
    cumulative_share = fields.Float(
        string="Cumulative Share (%)", readonly=True, aggregator="max",
        help="Share of the company's revenue made by this customer and all the bigger ones.")
    pareto_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], readonly=True)
    score = fields.Float(readonly=True, aggregator="avg")
    tier_id = fields.Many2one("kam.tier", readonly=True)
    kam_manager_id = fields.Many2one("res.users", string="Key Account Manager", readonly=True)
    kam_state = fields.Selection(KAM_STATE_SELECTION, string="Key Account Status", readonly=True)

    @property
    def _table_query(self):
        return SQL("""
            SELECT ROW_NUMBER() OVER (ORDER BY r.month DESC, r.company_id, r.revenue_12m DESC,
                                      r.partner_id) AS id,
                   r.month, r.partner_id, r.company_id, r.revenue_12m, r.pareto_class, r.score,
                   r.tier_id, r.kam_manager_id, r.kam_state,
                   RANK() OVER company_rank AS rank,
                   ROUND((r.revenue_12m * 100
                          / NULLIF(SUM(r.revenue_12m) OVER company_all, 0))::numeric, 2)::float8
                       AS revenue_share,
                   ROUND((SUM(r.revenue_12m) OVER company_cumul * 100
                          / NULLIF(SUM(r.revenue_12m) OVER company_all, 0))::numeric, 2)::float8
                       AS cumulative_share
              FROM (
                SELECT date_trunc('month', now())::date AS month,
                       p.id AS partner_id, c.id AS company_id,
                       (p.kam_revenue_12m->>c.id::text)::float8 AS revenue_12m,
                       p.kam_pareto_class->>c.id::text AS pareto_class,
                       COALESCE((p.kam_score->>c.id::text)::float8, 0) AS score,
                       (p.kam_tier_id->>c.id::text)::int4 AS tier_id,
                       (p.kam_manager_id->>c.id::text)::int4 AS kam_manager_id,
                       COALESCE(p.kam_state->>c.id::text, 'none') AS kam_state
                  FROM res_partner p
                  JOIN res_company c ON p.kam_revenue_12m ? c.id::text
                 WHERE (p.kam_revenue_12m->>c.id::text)::float8 > 0
                UNION ALL
                SELECT s.month, s.partner_id, s.company_id, s.revenue_12m, s.pareto_class,
                       COALESCE(s.score, 0), s.tier_id, s.user_id, s.kam_state
                  FROM kam_account_snapshot s
                 WHERE s.month < date_trunc('month', now())::date AND s.revenue_12m > 0
              ) r
            WINDOW company_all AS (PARTITION BY r.company_id, r.month),
                   company_rank AS (PARTITION BY r.company_id, r.month
                                    ORDER BY r.revenue_12m DESC),
                   company_cumul AS (PARTITION BY r.company_id, r.month
                                     ORDER BY r.revenue_12m DESC, r.partner_id
                                     ROWS UNBOUNDED PRECEDING)
        """)
