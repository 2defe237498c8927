from odoo import api, models

# what a customer invoice's revenue depends on (see ``kam.revenue._revenue_source``)
INVOICE_REVENUE_FIELDS = frozenset(
    ("state", "invoice_date", "partner_id", "commercial_partner_id", "company_id",
     "move_type", "invoice_line_ids", "line_ids"))


class AccountMove(models.Model):
    """A posted, reset or cancelled customer invoice or refund refreshes the reported
    figures of its account's plans (Plans vs Actuals, the dashboard) without waiting
    for the daily run."""

    _inherit = "account.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves.filtered(lambda m: m.state == "posted")._kam_refresh_plans()
        return moves

    def write(self, vals):
        if not INVOICE_REVENUE_FIELDS.intersection(vals):
            return super().write(vals)
        before = self.filtered(lambda m: m.state == "posted")
        res = super().write(vals)
        (before | self.filtered(lambda m: m.state == "posted"))._kam_refresh_plans(
            partners=before.commercial_partner_id)
        return res

    def _kam_refresh_plans(self, partners=None):
        """The plans of the accounts of these customer invoices and refunds (and of
        ``partners``, their accounts before a change), in the companies counting
        revenue by invoice."""
        invoices = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        companies = invoices.company_id.filtered(lambda c: c.kam_revenue_basis == "invoice")
        if companies:
            self.env["kam.account.plan"]._refresh_plans_of(
                invoices.commercial_partner_id | (partners or self.env["res.partner"]),
                companies)
