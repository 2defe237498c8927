from odoo import fields, models, tools
from odoo.tools import SQL


class KamCareReport(models.Model):
    """Care spend (客户关怀费用): the care visits (gestures) and their cost per
    account, tier (the account's tier today), relationship owner, occasion and day."""

    _name = "kam.care.report"
    _description = "Key Account Care Spend"
    _auto = False
    _order = "visit_date desc, id desc"

    visit_id = fields.Many2one("kam.visit", string="Care Visit", readonly=True)
    visit_date = fields.Date(string="Date", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Account", readonly=True)
    tier_id = fields.Many2one("kam.tier", readonly=True)
    user_id = fields.Many2one("res.users", string="Key Account Manager", readonly=True)
    care_occasion_id = fields.Many2one("kam.care.occasion", string="Occasion", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done")], readonly=True)
    expense_amount = fields.Monetary(
        string="Care Spend", readonly=True, aggregator="sum", currency_field="currency_id")
    expense_planned = fields.Monetary(
        string="Planned Spend", readonly=True, aggregator="sum", currency_field="currency_id")
    visit_count = fields.Integer(string="Gestures", readonly=True, aggregator="sum")

    def _query(self):
        return SQL("""
            SELECT v.id AS id, v.id AS visit_id, v.visit_date, v.partner_id,
                   (p.kam_tier_id ->> v.company_id::text)::int AS tier_id,
                   v.user_id, v.care_occasion_id, v.company_id, c.currency_id, v.state,
                   COALESCE(v.expense_amount, 0) AS expense_amount,
                   COALESCE(v.expense_planned, 0) AS expense_planned,
                   1 AS visit_count
              FROM kam_visit v
              JOIN res_partner p ON p.id = v.partner_id
              JOIN res_company c ON c.id = v.company_id
             WHERE v.visit_type = 'care' AND v.state != 'cancelled'
        """)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)",
                                SQL.identifier(self._table), self._query()))
