from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .res_partner import KAM_GROUP, SALES_GROUP


class _KamEngineWrite:
    """The value of the context key ``kam_engine_write`` that lets the engine
    write its figures through the ORM: a Python object, which no call of the
    external API can put into a context (JSON and XML-RPC only carry plain
    values), so ``{"kam_engine_write": True}`` sent by a client changes nothing."""

    __slots__ = ()

    def __repr__(self):
        return "KAM_ENGINE"


# The key-account engine's own ORM writes of the fields below carry
# ``kam_engine_write=KAM_ENGINE`` in their context (see
# ``res.partner._kam_write_engine_figures``); the scoring engine writes its
# figures with SQL. No user writes them, a director neither.
KAM_ENGINE_WRITE = "kam_engine_write"
KAM_ENGINE = _KamEngineWrite()
# what only the engine writes: the stored figures of the scoring engine and of
# the crons, and the figures computed on read (a write of those would only fake
# them in the writer's cache: refused the same way)
KAM_ENGINE_FIELDS = (
    # scoring (kam.scoring, stored per company)
    "kam_revenue_12m", "kam_revenue_prev_12m", "kam_growth_rate", "kam_order_count",
    "kam_last_order_date", "kam_revenue_share", "kam_pareto_class", "kam_score",
    "kam_score_revenue", "kam_score_growth", "kam_score_frequency", "kam_score_strategic",
    "kam_score_potential", "kam_score_credit", "kam_suggested_tier_id",
    "kam_downgrade_pending_since", "kam_metrics_date",
    # visits (overdue-visit cron, computed dates)
    "kam_visit_alert_date", "kam_last_visit_date", "kam_next_visit_date", "kam_visit_due_date",
    "kam_visit_overdue",
    # decision unit (computed red flags and support index)
    "kam_support_index", "kam_stakeholder_count", "kam_flag_no_decision_maker",
    "kam_flag_no_coach", "kam_flag_decision_maker_not_supportive", "kam_flag_opponent",
    "kam_flag_single_threaded", "kam_flag_key_person_not_contacted", "kam_red_flag_count",
    "kam_flag_no_economic_buyer_link", "kam_flag_held_by_leaving", "kam_flag_coach_cold",
    "kam_has_red_flags", "kam_red_flag_html",
    # health, churn signals and lifecycle (kam.scoring; a director sets the stage by hand
    # through the lifecycle wizard, which writes as the engine: issue 12)
    "kam_lifecycle_stage", "kam_health_score", "kam_health_band", "kam_health_trend", "kam_health_details",
    "kam_health_drag", "kam_health_html", "kam_signal_no_order", "kam_signal_revenue_drop",
    "kam_signal_overdue", "kam_signal_decision_unit", "kam_signal_sla",
    "kam_signal_satisfaction", "kam_signal_visits", "kam_signal_count", "kam_signal_details",
    "kam_signal_alerts", "kam_signal_html", "kam_lifecycle_rule", "kam_lifecycle_manual",
    "kam_lifecycle_reason",
)

# engine columns that every scored customer has: no index (the IS NOT NULL index Odoo makes
# for a company-dependent field would select nearly every row and cost the engine's UPDATE a
# new index entry per row; dropped in existing databases by the 19.0.1.2.0 migration)
UNINDEXED_COLUMNS = (
    "kam_revenue_12m", "kam_revenue_prev_12m", "kam_growth_rate", "kam_order_count",
    "kam_last_order_date", "kam_revenue_share", "kam_pareto_class", "kam_score",
    "kam_score_revenue", "kam_score_growth", "kam_score_frequency", "kam_score_strategic",
    "kam_score_potential", "kam_score_credit", "kam_metrics_date",
)

class ResPartner(models.Model):
    """Metrics, score and suggested tier of a customer, per company.

    Written in batch by the scoring engine (``kam.scoring``), never by hand:
    the fields are read-only in the views.
    """

    _inherit = "res.partner"

    # ---- Metrics (trailing 12 months, company revenue basis) ----
    kam_currency_id = fields.Many2one(
        "res.currency", string="Key Account Currency", compute="_compute_kam_currency_id",
        groups=SALES_GROUP,
        help="The current company's currency: the one of the account's revenue figures.")
    kam_revenue_12m = fields.Float(
        string="Revenue (12 months)", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="Revenue of the trailing 12 months in company currency "
                             "(basis: the company's key account revenue setting).",
        groups=SALES_GROUP)
    kam_revenue_prev_12m = fields.Float(
        string="Revenue (previous 12 months)", company_dependent=True, index=False, copy=False,
        readonly=True, digits=(16, 2), help="Revenue of the 12 months before the last 12 months.",
        groups=SALES_GROUP)
    kam_growth_rate = fields.Float(
        string="Growth (%)", company_dependent=True, index=False, copy=False, readonly=True, digits=(16, 2),
        help="Change of the 12-month revenue against the 12 months before, in %. "
             "100 % for a new customer.",
        groups=SALES_GROUP)
    kam_order_count = fields.Integer(
        string="Orders (12 months)", company_dependent=True, index=False, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_last_order_date = fields.Date(
        string="Last Order", company_dependent=True, index=False, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_revenue_share = fields.Float(
        string="Revenue Share (%)", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="Share of the company's 12-month revenue, in %.",
        groups=SALES_GROUP)
    kam_pareto_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], string="Pareto Class", company_dependent=True, index=False,
        copy=False, readonly=True,
        help="A: the accounts that together make the first 80 % of the revenue; "
             "B: the next 15 %; C: the rest. Empty without revenue.",
        groups=SALES_GROUP)

    # ---- Score (0-100) and its breakdown ----
    kam_score = fields.Float(
        string="Score", company_dependent=True, index=False, copy=False, readonly=True, digits=(16, 2),
        help="0-100: the sum of the points of each component, weighted in Settings.",
        groups=SALES_GROUP)
    kam_score_revenue = fields.Float(
        string="Revenue Rank Points", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="Rank of the 12-month revenue among the company's customers.",
        groups=SALES_GROUP)
    kam_score_growth = fields.Float(
        string="Growth Points", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="Full points from +50 % growth, none at -50 % or below.",
        groups=SALES_GROUP)
    kam_score_frequency = fields.Float(
        string="Order Frequency Points", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="Full points from 12 orders in 12 months.",
        groups=SALES_GROUP)
    kam_score_strategic = fields.Float(
        string="Strategic Value Points", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="Strategic value 0-5.",
        groups=SALES_GROUP)
    kam_score_potential = fields.Float(
        string="Potential Points", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="Potential yearly revenue against the highest tier's minimum revenue.",
        groups=SALES_GROUP)
    kam_score_credit = fields.Float(
        string="Credit Rating Points", company_dependent=True, index=False, copy=False, readonly=True,
        digits=(16, 2), help="A: full points, B: 60 %, C: 20 %, not rated: 50 %.",
        groups=KAM_GROUP)
    kam_suggested_tier_id = fields.Many2one(
        "kam.tier", string="Suggested Tier", company_dependent=True, copy=False, readonly=True,
        help="The highest active tier whose minimum score and minimum revenue are met.",
        groups=SALES_GROUP)
    kam_downgrade_pending_since = fields.Date(
        string="Downgrade Pending Since", company_dependent=True, copy=False, readonly=True,
        help="The suggested tier is lower than the tier since this date; the tier follows "
             "once the grace period of the Settings has passed.",
        groups=SALES_GROUP)
    kam_metrics_date = fields.Date(
        string="Metrics Updated On", company_dependent=True, index=False, copy=False, readonly=True,
        groups=SALES_GROUP)
    # readable by everyone: the key accounts kanban colours its cards with it
    # (highlight_color), and the colour says the tier for sales users only
    kam_tier_color = fields.Integer(string="Tier Color", compute="_compute_kam_tier_color")

    # ---- Compute ----
    @api.depends_context("company")
    def _compute_kam_currency_id(self):
        self.kam_currency_id = self.env.company.currency_id

    @api.depends_context("uid", "company")
    @api.depends("kam_tier_id.color")
    def _compute_kam_tier_color(self):
        show = self.env.su or self.env.user.has_group(SALES_GROUP)
        for partner in self:
            partner.kam_tier_color = partner.kam_tier_id.color if show else 0

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # an empty figure is what a new contact has anyway
            self._kam_check_engine_fields([f for f in KAM_ENGINE_FIELDS if vals.get(f)])
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_engine_fields([f for f in KAM_ENGINE_FIELDS if f in vals])
        return super().write(vals)

    def _kam_check_engine_fields(self, fnames):
        """Refuse a change of the engine's figures ``fnames`` by anyone, superuser
        and directors included, unless the engine itself writes them (context
        key ``kam_engine_write`` set to ``KAM_ENGINE``)."""
        if fnames and self.env.context.get(KAM_ENGINE_WRITE) is not KAM_ENGINE:
            if "kam_lifecycle_stage" in fnames:
                raise UserError(self.env._(
                    "%(field)s is computed by the nightly key account engine: nobody changes "
                    "it directly. A Key Account Director sets it by hand with a reason (Set "
                    "stage on the Key Account tab); the change is kept in the account's "
                    "history.",
                    field=self._fields["kam_lifecycle_stage"]._description_string(self.env)))
            raise UserError(self.env._(
                "%(field)s is a key account figure computed by the system (the nightly "
                "scoring and the scheduled actions): nobody can change it by hand.",
                field=self._fields[fnames[0]]._description_string(self.env)))

    def _kam_write_engine_figures(self, vals):
        """Write engine figures (``KAM_ENGINE_FIELDS``): for the engine and its
        scheduled actions only (a private method, not callable over the API)."""
        return self.with_context(**{KAM_ENGINE_WRITE: KAM_ENGINE}).write(vals)

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
