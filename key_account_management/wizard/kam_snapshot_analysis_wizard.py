from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamSnapshotAnalysisWizard(models.TransientModel):
    """Churn rate and tier migration between two months of snapshots, and the
    back-fill of past months' snapshots (directors)."""

    _name = "kam.snapshot.analysis.wizard"
    _description = "Key Account Churn and Tier Migration"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company)
    month_from = fields.Date(
        string="From Month", required=True,
        default=lambda self: self.env.company._kam_today().replace(day=1)
        - relativedelta(months=12))
    month_to = fields.Date(
        string="To Month", required=True,
        default=lambda self: self.env.company._kam_today().replace(day=1))
    start_count = fields.Integer(string="Key Accounts at Start", compute="_compute_churn")
    lost_count = fields.Integer(string="Lost in the Period", compute="_compute_churn")
    churn_rate = fields.Float(string="Churn Rate (%)", compute="_compute_churn", digits=(16, 1))
    backfilled_count = fields.Integer(readonly=True)

    @api.constrains("month_from", "month_to")
    def _check_months(self):
        today = self.env.company._kam_today()
        for wizard in self:
            if wizard.month_from > wizard.month_to or wizard.month_to > today:
                raise ValidationError(self.env._(
                    "From Month must be before To Month, and To Month cannot be in the "
                    "future (got %(start)s - %(end)s).",
                    start=wizard.month_from, end=wizard.month_to))

    @api.depends("company_id", "month_from", "month_to")
    def _compute_churn(self):
        Snapshot = self.env["kam.account.snapshot"]
        for wizard in self:
            if not (wizard.month_from and wizard.month_to):
                wizard.start_count = wizard.lost_count = wizard.churn_rate = 0
                continue
            wizard.start_count, wizard.lost_count, wizard.churn_rate = \
                Snapshot._churn_figures(wizard.company_id, wizard.month_from.replace(day=1),
                                        wizard.month_to.replace(day=1))

    def action_open_migration(self):
        """The tier migration matrix (from tier → to tier) between the months."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_tier_migration_report_action")
        action["domain"] = [("company_id", "=", self.company_id.id),
                            ("from_month", "=", self.month_from.replace(day=1)),
                            ("to_month", "=", self.month_to.replace(day=1))]
        return action

    def action_backfill(self):
        """Back-fill the snapshots of every month of the period before the
        current one (directors)."""
        self.ensure_one()
        Snapshot = self.env["kam.account.snapshot"]
        current = self.env.company._kam_today().replace(day=1)
        month = self.month_from.replace(day=1)
        written = 0
        while month <= self.month_to and month < current:
            written += Snapshot._backfill_month(self.company_id, month)
            month += relativedelta(months=1)
        self.backfilled_count = written
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new"}
