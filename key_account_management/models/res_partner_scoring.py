from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ResPartner(models.Model):
    """Metrics, score and suggested tier of a customer, per company.

    Written in batch by the scoring engine (``kam.scoring``), never by hand:
    the fields are read-only in the views.
    """

    _inherit = "res.partner"

    # ---- Metrics (trailing 12 months, company revenue basis) ----
    kam_revenue_12m = fields.Float(
        string="Revenue (12 months)", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="Revenue of the trailing 12 months in company currency "
                             "(basis: the company's key account revenue setting).")
    kam_revenue_prev_12m = fields.Float(
        string="Revenue (previous 12 months)", company_dependent=True, copy=False,
        readonly=True, digits=(16, 2), help="Revenue of the 12 months before the last 12 months.")
    kam_growth_rate = fields.Float(
        string="Growth (%)", company_dependent=True, copy=False, readonly=True, digits=(16, 2),
        help="Change of the 12-month revenue against the 12 months before, in %. "
             "100 % for a new customer.")
    kam_order_count = fields.Integer(
        string="Orders (12 months)", company_dependent=True, copy=False, readonly=True)
    kam_last_order_date = fields.Date(
        string="Last Order", company_dependent=True, copy=False, readonly=True)
    kam_revenue_share = fields.Float(
        string="Revenue Share (%)", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="Share of the company's 12-month revenue, in %.")
    kam_pareto_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], string="Pareto Class", company_dependent=True,
        copy=False, readonly=True,
        help="A: the accounts that together make the first 80 % of the revenue; "
             "B: the next 15 %; C: the rest. Empty without revenue.")

    # ---- Score (0-100) and its breakdown ----
    kam_score = fields.Float(
        string="Score", company_dependent=True, copy=False, readonly=True, digits=(16, 2),
        help="0-100: the sum of the points of each component, weighted in Settings.")
    kam_score_revenue = fields.Float(
        string="Revenue Rank Points", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="Rank of the 12-month revenue among the company's customers.")
    kam_score_growth = fields.Float(
        string="Growth Points", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="Full points from +50 % growth, none at -50 % or below.")
    kam_score_frequency = fields.Float(
        string="Order Frequency Points", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="Full points from 12 orders in 12 months.")
    kam_score_strategic = fields.Float(
        string="Strategic Value Points", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="Strategic value 0-5.")
    kam_score_potential = fields.Float(
        string="Potential Points", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="Potential yearly revenue against the highest tier's minimum revenue.")
    kam_score_credit = fields.Float(
        string="Credit Rating Points", company_dependent=True, copy=False, readonly=True,
        digits=(16, 2), help="A: full points, B: 60 %, C: 20 %, not rated: 50 %.")
    kam_suggested_tier_id = fields.Many2one(
        "kam.tier", string="Suggested Tier", company_dependent=True, copy=False, readonly=True,
        help="The highest active tier whose minimum score and minimum revenue are met.")
    kam_downgrade_pending_since = fields.Date(
        string="Downgrade Pending Since", company_dependent=True, copy=False, readonly=True,
        help="The suggested tier is lower than the tier since this date; the tier follows "
             "once the grace period of the Settings has passed.")
    kam_metrics_date = fields.Date(
        string="Metrics Updated On", company_dependent=True, copy=False, readonly=True)
    kam_tier_color = fields.Integer(related="kam_tier_id.color", string="Tier Color")

    # ---- Actions ----
    def action_kam_recompute(self):
        """Recompute the metrics, score and tier of these accounts now
        (Key Account Directors only)."""
        if not self.env.user.has_group(
                "key_account_management.key_account_management_group_director"):
            raise AccessError(self.env._(
                "Only a Key Account Director can recompute the score of an account."))
        stats = self.env["kam.scoring"]._recompute_companies(
            self.env.company, partners=self.commercial_partner_id)
        if stats.get("skipped"):
            raise UserError(self.env._(
                "The key account scores of %(company)s are being recomputed right now; "
                "try again in a minute.", company=self.env.company.name))
        return True
