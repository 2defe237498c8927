from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.res_partner import KAM_STATE_SELECTION


class KamTierMigrationReport(models.Model):
    """Tier migration matrix: for every two months of snapshots of a company
    (from, to) and every account snapshotted in the first, its tier then and
    its tier in the second (empty when it has no snapshot then: no longer a
    key account). Pivot rows from tier, columns to tier."""

    _name = "kam.tier.migration.report"
    _description = "Key Account Tier Migration"
    _auto = False
    _order = "from_month desc, to_month desc"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Account", readonly=True)
    from_month = fields.Date(readonly=True)
    to_month = fields.Date(readonly=True)
    from_tier_id = fields.Many2one("kam.tier", readonly=True)
    to_tier_id = fields.Many2one("kam.tier", readonly=True)
    from_state = fields.Selection(KAM_STATE_SELECTION, string="From Status", readonly=True)
    to_state = fields.Selection(KAM_STATE_SELECTION, string="To Status", readonly=True)
    account_count = fields.Integer(string="Accounts", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW kam_tier_migration_report AS (
                SELECT row_number() OVER (ORDER BY a.id, m.month) AS id,
                       a.company_id, a.partner_id, a.month AS from_month, m.month AS to_month,
                       a.tier_id AS from_tier_id, b.tier_id AS to_tier_id,
                       a.kam_state AS from_state, COALESCE(b.kam_state, 'none') AS to_state,
                       1 AS account_count
                  FROM kam_account_snapshot a
                  JOIN (SELECT DISTINCT company_id, month FROM kam_account_snapshot) m
                    ON m.company_id = a.company_id AND m.month > a.month
             LEFT JOIN kam_account_snapshot b
                    ON b.partner_id = a.partner_id AND b.company_id = a.company_id
                   AND b.month = m.month
            )"""))
