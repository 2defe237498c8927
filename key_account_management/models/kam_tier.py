from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import COLOR, MAX_AMOUNT, MAX_DAYS, MAX_HOURS, PERCENT, SEQUENCE

# field: (minimum, maximum), the rules of the SQL constraints below, and the bounds of
# what the engine adds to dates (visit cadence, SLA deadlines) and of the columns
TIER_LIMITS = {
    "min_score": PERCENT,
    "min_revenue": (0, MAX_AMOUNT),
    "max_discount": PERCENT,
    "visit_interval_days": (0, MAX_DAYS),
    "response_sla_hours": (0, MAX_HOURS),
    "resolution_sla_hours": (0, MAX_HOURS),
    "sequence": SEQUENCE,
    "color": COLOR,
}


class KamTier(models.Model):
    """A key-account level (A/B/C star level): what an account must reach to
    qualify, and what the level gives it (visit cadence, prices, service)."""

    _name = "kam.tier"
    _description = "Key Account Tier"
    _inherit = ["kam.bounds.mixin"]
    _kam_bounds = TIER_LIMITS
    _order = "sequence, id"

    # ---- Identity ----
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code, unique per company, e.g. A, B, C.")
    sequence = fields.Integer(default=10, help="Lower sequence = higher tier.")
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)

    # ---- Qualification ----
    min_score = fields.Float(
        string="Minimum Score", help="Score (0-100) an account needs to qualify for this tier.")
    min_revenue = fields.Monetary(
        string="Minimum Yearly Revenue",
        help="Revenue of the trailing 12 months an account needs to qualify for this tier.")
    group_qualification = fields.Boolean(
        string="Qualify on the Group Total",
        help="A group customer (集团客户) qualifies with the 12-month revenue of the whole "
             "group (its own and its members', at every level) against the minimum yearly "
             "revenue; its members without a higher tier of their own get the group's tier.")
    currency_id = fields.Many2one(related="company_id.currency_id")

    # ---- What the tier gives ----
    visit_interval_days = fields.Integer(
        string="Visit Interval (days)", default=30,
        help="A registered account of this tier must get a visit at least this often.")
    pricelist_id = fields.Many2one(
        "product.pricelist", check_company=True,
        help="Applied to the sales orders of registered accounts of this tier.")
    max_discount = fields.Float(
        string="Maximum Line Discount (%)",
        help="A sales order line discount above this needs a Key Account Director to confirm.")
    response_sla_hours = fields.Float(string="Response SLA (hours)")
    resolution_sla_hours = fields.Float(string="Resolution SLA (hours)")
    service_standard = fields.Html(translate=True, help="What an account of this tier is entitled to.")

    partner_count = fields.Integer(compute="_compute_partner_count", string="Accounts")

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)",
        "A tier code must be unique per company.",
    )
    _min_score_range = models.Constraint(
        "CHECK(min_score >= 0 AND min_score <= 100)",
        "The minimum score of a tier must be between 0 and 100.",
    )
    _min_revenue_positive = models.Constraint(
        "CHECK(min_revenue >= 0)",
        "The minimum yearly revenue of a tier cannot be negative.",
    )
    _max_discount_range = models.Constraint(
        "CHECK(max_discount >= 0 AND max_discount <= 100)",
        "The maximum line discount of a tier must be between 0 and 100 %.",
    )
    _visit_interval_positive = models.Constraint(
        "CHECK(visit_interval_days >= 0)",
        "The visit interval of a tier cannot be negative.",
    )
    _sla_positive = models.Constraint(
        "CHECK(response_sla_hours >= 0 AND resolution_sla_hours >= 0)",
        "The SLA hours of a tier cannot be negative.",
    )

    # ---- Compute ----
    def _compute_partner_count(self):
        counts = dict(self.env["res.partner"]._read_group(
            [("kam_tier_id", "in", self.ids)], ["kam_tier_id"], ["__count"]))
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    # ---- Constraints ----
    @api.constrains(*TIER_LIMITS)
    def _check_thresholds(self):
        for tier in self:
            tier._check_threshold_values(tier.name, {f: tier[f] for f in TIER_LIMITS})

    @api.model
    def _check_threshold_values(self, name, values):
        """The rules of the SQL constraints, with a translated message naming the field
        (``create`` and ``write`` check their values first: kam.bounds.mixin)."""
        for fname, (low, high) in TIER_LIMITS.items():
            value = values.get(fname)
            if value is None or value is False:
                continue
            if not low <= value <= high:
                field = self._fields[fname]._description_string(self.env)
                raise ValidationError(self.env._(
                    "%(field)s of tier %(tier)s must be between %(min)s and %(max)s (%(value)s).",
                    field=field, tier=name, min=low, max=high, value=value))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers._ensure_pricelist_feature()
        return tiers

    def write(self, vals):
        res = super().write(vals)
        if vals.get("pricelist_id"):
            self._ensure_pricelist_feature()
        return res

    # ---- Actions ----
    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.res_partner_action_key_accounts")
        action["domain"] = [("kam_tier_id", "=", self.id)]
        action["context"] = {}
        return action

    def _ensure_pricelist_feature(self):
        """A tier's pricelist only applies when Odoo's pricelist feature is on: switch it on
        as the Settings do (the feature's group implied by every internal user's group).
        Without it, saving the Settings archives every pricelist, the tiers' included.
        The groups and default pricelists are written as superuser, as
        ``res.config.settings`` does: whoever may give a tier a pricelist needs the
        feature, not the right to edit groups or every company's pricelists."""
        if not self.filtered("pricelist_id"):
            return
        feature = self.env.ref("product.group_product_pricelist")
        employee = self.env.ref("base.group_user")
        if feature not in employee.all_implied_ids:
            employee.sudo()._apply_group(feature.sudo())
            # as the Settings do when the feature is switched on: each company gets its
            # default pricelist (first in sequence), so that a customer without a tier
            # does not fall back on a tier's pricelist
            self.env["res.company"].sudo()._activate_or_create_pricelists()

    @api.model
    def _tiers_using_pricelists(self):
        """Tiers of every company (archived ones included: they keep their pricelist)
        that give a pricelist; read as superuser since the Settings must not switch off a
        feature another company's tier uses."""
        return self.sudo().with_context(active_test=False).search(
            [("pricelist_id", "!=", False)])

    @api.model
    def _get_tiers_by_rank(self, company):
        """Active tiers of a company, highest first."""
        return self.search([("company_id", "=", company.id)], order="sequence, id")
