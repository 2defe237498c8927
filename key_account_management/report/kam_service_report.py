from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.kam_service_request import REQUEST_STATES
from ..models.kam_sla_policy import SERVICE_PRIORITIES


class KamServiceReport(models.Model):
    """Service levels of the green channel: one row per request, with its clocks
    turned into met/breached rates and working hours, for pivot and graph by
    tier, priority, category, team and month."""

    _name = "kam.service.report"
    _description = "Key Account Service Levels"
    _auto = False
    _order = "request_date desc"
    _rec_name = "request_id"

    request_id = fields.Many2one("kam.service.request", string="Service Request", readonly=True)
    request_date = fields.Datetime(string="Requested On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    tier_id = fields.Many2one("kam.tier", readonly=True)
    priority = fields.Selection(SERVICE_PRIORITIES, readonly=True)
    category_id = fields.Many2one("kam.service.category", readonly=True)
    team_id = fields.Many2one("kam.service.team", readonly=True)
    kam_manager_id = fields.Many2one("res.users", string="Key Account Manager", readonly=True)
    state = fields.Selection(REQUEST_STATES, readonly=True)
    request_count = fields.Integer(string="Requests", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    response_met_rate = fields.Float(
        string="Response Met (%)", readonly=True, aggregator="avg", digits=(16, 1))
    resolution_met_rate = fields.Float(
        string="Resolution Met (%)", readonly=True, aggregator="avg", digits=(16, 1))
    breached_rate = fields.Float(
        string="Breached (%)", readonly=True, aggregator="avg", digits=(16, 1))
    # as the scorecard counts it: the share of requests that breached no clock
    sla_compliance = fields.Float(
        string="SLA Compliance (%)", readonly=True, aggregator="avg", digits=(16, 1))
    response_hours = fields.Float(
        string="Avg Response (working h)", readonly=True, aggregator="avg", digits=(16, 2))
    resolution_hours = fields.Float(
        string="Avg Resolution (working h)", readonly=True, aggregator="avg", digits=(16, 2))
    satisfaction = fields.Float(readonly=True, aggregator="avg", digits=(16, 2))

    def _query(self):
        return SQL("""
            SELECT r.id, r.id AS request_id, r.request_date, r.partner_id, r.company_id,
                   r.tier_id, r.priority, r.category_id, r.team_id, r.kam_manager_id, r.state,
                   1 AS request_count,
                   CASE WHEN r.is_breached THEN 1 ELSE 0 END AS breached_count,
                   CASE r.response_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0
                   END AS response_met_rate,
                   CASE r.resolution_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0
                   END AS resolution_met_rate,
                   CASE WHEN r.is_breached THEN 100.0 ELSE 0.0 END AS breached_rate,
                   CASE WHEN r.is_breached THEN 0.0 ELSE 100.0 END AS sla_compliance,
                   CASE WHEN r.response_reached_date IS NOT NULL THEN r.response_hours
                   END AS response_hours,
                   CASE WHEN r.resolution_reached_date IS NOT NULL THEN r.resolution_hours
                   END AS resolution_hours,
                   NULLIF(r.satisfaction, 0) AS satisfaction
              FROM kam_service_request r
             WHERE r.state != 'cancelled'
        """)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)",
                                SQL.identifier(self._table), self._query()))
