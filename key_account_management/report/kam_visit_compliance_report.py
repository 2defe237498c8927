from odoo import fields, models, tools
from odoo.tools import SQL


class KamVisitComplianceReport(models.Model):
    """Visit compliance (走访达成率): per registered account, key account manager
    and month of the last twelve, the visits done against the visits the tier's
    cadence requires (days of the month / visit interval). Past months use the
    tier and KAM of the account's monthly snapshot (``kam.account.snapshot``)
    when there is one, today's otherwise."""

    _name = "kam.visit.compliance.report"
    _description = "Key Account Visit Compliance"
    _auto = False
    _order = "month desc, partner_id"

    month = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Account", readonly=True)
    user_id = fields.Many2one("res.users", string="Key Account Manager", readonly=True)
    tier_id = fields.Many2one("kam.tier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    visits_done = fields.Integer(readonly=True, aggregator="sum")
    # the fraction of the month (days / visit interval), shown in whole visits as on the
    # scorecards (``kam_visit_count``); the totals are summed before they are rounded
    visits_required = fields.Float(
        readonly=True, aggregator="sum", digits=(16, 0))
    compliance = fields.Float(
        string="Compliance (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Visits done / visits required, in percent (capped at 100 per row).")

    def _query(self):
        return SQL("""
            WITH accounts AS (
                SELECT p.id AS partner_id,
                       c.key::int AS company_id,
                       (p.kam_tier_id ->> c.key)::int AS tier_id,
                       (p.kam_manager_id ->> c.key)::int AS user_id
                  FROM res_partner p
                  CROSS JOIN LATERAL jsonb_each_text(p.kam_state) AS c(key, value)
                 WHERE c.value = 'registered'
                   AND p.kam_tier_id ? c.key
                   AND p.active
            ),
            months AS (
                SELECT generate_series(
                    date_trunc('month', now()) - interval '11 months',
                    date_trunc('month', now()), interval '1 month')::date AS month
            ),
            done AS (
                SELECT partner_id, company_id,
                       date_trunc('month', visit_date)::date AS month,
                       count(*) AS visits_done
                  FROM kam_visit
                 WHERE state = 'done'
                 GROUP BY partner_id, company_id, date_trunc('month', visit_date)
            )
            SELECT row_number() OVER (ORDER BY m.month, a.partner_id, a.company_id) AS id,
                   m.month, a.partner_id, COALESCE(s.user_id, a.user_id) AS user_id,
                   t.id AS tier_id, a.company_id,
                   COALESCE(d.visits_done, 0) AS visits_done,
                   req.required AS visits_required,
                   LEAST(100.0, 100.0 * COALESCE(d.visits_done, 0) / req.required)
                       AS compliance
              FROM accounts a
             CROSS JOIN months m
              -- past months: the tier and KAM of the month's snapshot, when there is one
              LEFT JOIN kam_account_snapshot s
                     ON s.partner_id = a.partner_id AND s.company_id = a.company_id
                    AND s.month = m.month AND m.month < date_trunc('month', now())::date
              JOIN kam_tier t ON t.id = COALESCE(s.tier_id, a.tier_id)
                             AND t.visit_interval_days > 0
             CROSS JOIN LATERAL (
                SELECT ((m.month + interval '1 month')::date - m.month)::numeric
                       / t.visit_interval_days AS required
             ) req
              LEFT JOIN done d ON d.partner_id = a.partner_id AND d.company_id = a.company_id
                              AND d.month = m.month
        """)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)",
                                SQL.identifier(self._table), self._query()))
