from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import float_round, format_date

from .ir_cron import kam_retry_on_conflict
from .kam_bounds import check_date_values
from .kam_reader import report_filename, report_period

DIRECTOR_GROUP = "key_account_management.key_account_management_group_director"
# the fields of a plan its live figures depend on (see ``_compute_figures``)
FIGURE_INPUTS = frozenset(
    ("partner_id", "company_id", "date_start", "date_end", "revenue_target", "wallet_amount",
     "state"))


def kam_percent(part, whole):
    """A plan's achievement in whole percent (half up): the one rounding of the
    figure the form, the account, the review, the PDF and the dashboard show."""
    if not whole:
        return 0.0
    return float_round(part / whole * 100.0, precision_digits=0, rounding_method="HALF-UP")


LIVE_FIGURES = ["actual_revenue", "achievement", "forecast_revenue", "forecast_achievement",
                "pipeline_amount", "weighted_amount", "wallet_share", "pace", "behind_pace"]


class KamAccountPlan(models.Model):
    """A yearly plan for one key account (大客户年度计划): targets against real
    revenue, SWOT, competitors, needs, actions, opportunities and whitespace.

    Live figures (actual revenue, achievement, forecast, pipeline) are computed
    in batch: one call of ``kam.revenue`` per company and period and one grouped
    read of the opportunities for all the plans being read, whatever their
    number. The ``report_*`` fields keep a stored copy of those figures for the
    pivot and graph views ("Plans vs Actuals") and the dashboard: written when the
    plan is created or its figures' inputs change, when an order, invoice or
    opportunity of its account changes, and by the daily run (the passing of time).
    """

    _name = "kam.account.plan"
    _description = "Key Account Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.private.mixin", "kam.state.mixin", "kam.bounds.mixin"]
    _kam_fixed_link_fields = ("partner_id", "company_id", "user_id")
    # the owner submits; a director (not the owner) approves; directors close and reopen
    _kam_transitions = {
        "draft": ("submitted",),
        "submitted": ("approved", "draft"),
        "approved": ("closed", "draft"),
        "closed": ("draft",),
    }
    _kam_create_states = ("draft",)
    _order = "date_start desc, partner_id, id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    # ---- Identity ----
    name = fields.Char(compute="_compute_name", store=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="restrict",
        tracking=True, domain=[("is_company", "=", True)])
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(
        string="Period Start", required=True, tracking=True,
        default=lambda self: date(self.env.company._kam_today().year, 1, 1))
    date_end = fields.Date(
        string="Period End", required=True, tracking=True,
        default=lambda self: date(self.env.company._kam_today().year, 12, 31))
    user_id = fields.Many2one(
        "res.users", string="Key Account Manager", index=True, tracking=True,
        compute="_compute_user_id", store=True, readonly=False, precompute=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]")
    tier_id = fields.Many2one(
        "kam.tier", compute="_compute_tier_id", store=True, index=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("closed", "Closed"),
        ],
        default="draft", required=True, tracking=True, copy=False, index=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Date(readonly=True, copy=False)
    previous_plan_id = fields.Many2one(
        "kam.account.plan", readonly=True, copy=False,
        index="btree_not_null")
    draft_reminder_sent = fields.Boolean(readonly=True, copy=False)

    # ---- Strategy and targets ----
    vision = fields.Html(help="Where we want to be with this customer in a few years.")
    strategy = fields.Html(help="How we get there this period: focus, offers, relationships.")
    revenue_target = fields.Monetary(
        currency_field="currency_id", tracking=True,
        help="Revenue expected from the account in the period, on the company's revenue basis.")
    wallet_amount = fields.Monetary(
        string="Wallet", currency_field="currency_id",
        help="Estimated total spend of the customer in our categories during the period, "
             "with us and with our competitors.")
    target_wallet_share = fields.Float(
        string="Target Share of Wallet (%)", digits=(16, 1),
        help="Part of the wallet we aim to win in the period.")

    # ---- Lines ----
    objective_ids = fields.One2many(
        "kam.account.plan.objective", "plan_id", string="Objectives", copy=True)
    swot_ids = fields.One2many("kam.account.plan.swot", "plan_id", string="SWOT", copy=True)
    competitor_ids = fields.One2many(
        "kam.account.plan.competitor", "plan_id", string="Competitors", copy=True)
    action_ids = fields.One2many("kam.account.plan.action", "plan_id", string="Actions", copy=False)
    need_ids = fields.One2many("kam.account.plan.need", "plan_id", string="Needs", copy=True)
    whitespace_ids = fields.One2many(
        "kam.account.plan.whitespace", "plan_id", readonly=True)
    kam_can_read_needs = fields.Boolean(
        string="Can Read Needs", compute="_compute_kam_can_read_needs",
        help="The current user is on the account team or a director: the needs, personal "
             "needs of named stakeholders included, are shown to them (screen and PDF).")
    opportunity_ids = fields.Many2many(
        "crm.lead", string="Opportunities", compute="_compute_opportunity_ids")
    opportunity_count = fields.Integer(compute="_compute_opportunity_ids")

    # ---- Live figures (non-stored, computed in batch) ----
    actual_revenue = fields.Monetary(
        currency_field="currency_id", compute="_compute_figures",
        help="Revenue of the account in the period on the company's revenue basis "
             "(confirmed orders or posted invoices net of refunds).")
    achievement = fields.Float(
        string="Achievement (%)", compute="_compute_figures", digits=(16, 0),
        help="Actual revenue against the target, in whole percent.")
    wallet_share = fields.Float(
        string="Share of Wallet Reached (%)", compute="_compute_figures", digits=(16, 1))
    pipeline_amount = fields.Monetary(
        string="Pipeline", currency_field="currency_id", compute="_compute_figures",
        help="Expected revenue of the account's open opportunities closing in the period.")
    weighted_amount = fields.Monetary(
        string="Weighted Pipeline", currency_field="currency_id", compute="_compute_figures",
        help="Expected revenue times probability of the open opportunities closing in the period.")
    forecast_revenue = fields.Monetary(
        string="Forecast", currency_field="currency_id", compute="_compute_figures",
        help="Actual revenue plus the weighted pipeline: where the period should end.")
    forecast_achievement = fields.Float(
        string="Forecast Achievement (%)", compute="_compute_figures", digits=(16, 0))
    pace = fields.Float(
        string="Time Elapsed (%)", compute="_compute_figures", digits=(16, 1),
        help="Part of the period already elapsed: the achievement expected today.")
    behind_pace = fields.Boolean(
        compute="_compute_figures",
        help="Approved, running, and its achievement is below the company's pace threshold.")

    # ---- Reported figures (stored copy refreshed daily, for pivot and graph) ----
    report_actual_revenue = fields.Monetary(
        string="Actual Revenue (Reported)", currency_field="currency_id", readonly=True, copy=False)
    report_forecast_revenue = fields.Monetary(
        string="Forecast (Reported)", currency_field="currency_id", readonly=True, copy=False)
    report_achievement = fields.Float(
        string="Achievement (Reported, %)", readonly=True, copy=False, aggregator="avg")
    report_date = fields.Date(string="Figures As Of", readonly=True, copy=False)

    # ---- Compute ----
    @api.depends_context("uid")
    @api.depends("user_id", "partner_id", "company_id")
    def _compute_kam_can_read_needs(self):
        if self.env.su or self.env.user.has_group(DIRECTOR_GROUP):
            self.kam_can_read_needs = True
            return
        for plan in self:
            team = plan.partner_id.with_company(plan.company_id).kam_user_ids
            plan.kam_can_read_needs = self.env.user in (plan.user_id | team)

    @api.depends("partner_id.name", "date_start", "date_end")
    def _compute_name(self):
        for plan in self:
            if not plan.partner_id or not plan.date_start or not plan.date_end:
                plan.name = plan.partner_id.name or False
                continue
            start, end = plan.date_start, plan.date_end
            if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) \
                    and start.year == end.year:
                period = str(start.year)
            else:
                period = f"{start} - {end}"
            plan.name = f"{plan.partner_id.name} {period}"

    @api.depends("partner_id", "company_id")
    def _compute_user_id(self):
        for plan in self:
            manager = plan.partner_id.with_company(plan.company_id).kam_manager_id
            plan.user_id = manager or plan.user_id or self.env.user

    @api.depends("partner_id", "company_id", "partner_id.kam_tier_id")
    def _compute_tier_id(self):
        for plan in self:
            plan.tier_id = plan.partner_id.with_company(plan.company_id).kam_tier_id

    @api.depends("partner_id", "company_id", "date_start", "date_end")
    def _compute_opportunity_ids(self):
        """The account's opportunities closing in the period, plus those created
        from the plan; one search for all plans, read with the user's rights."""
        plans = self.filtered(lambda p: p.partner_id and p.date_start and p.date_end)
        (self - plans).opportunity_ids = False
        (self - plans).opportunity_count = 0
        if not plans:
            return
        leads = self.env["crm.lead"].search(Domain.AND([
            [("type", "=", "opportunity")],
            Domain("partner_id", "child_of", plans.partner_id.commercial_partner_id.ids)
            | Domain("kam_account_plan_id", "in", plans._origin.ids),
        ]))
        for plan in plans:
            commercial = plan.partner_id.commercial_partner_id
            mine = leads.filtered(lambda lead, plan=plan, commercial=commercial: (
                lead.kam_account_plan_id == plan._origin
                or (lead.partner_id.commercial_partner_id == commercial
                    and lead.company_id in (plan.company_id, self.env["res.company"])
                    and lead.date_deadline
                    and plan.date_start <= lead.date_deadline <= plan.date_end)))
            plan.opportunity_ids = mine
            plan.opportunity_count = len(mine)

    @api.depends("partner_id", "company_id", "date_start", "date_end", "revenue_target",
                 "wallet_amount", "state")
    def _compute_figures(self):
        revenue = self._get_actual_revenue()
        pipeline = self._get_pipeline()
        for plan in self:
            today = (plan.company_id or self.env.company)._kam_today()
            actual = revenue.get(plan, 0.0)
            amount, weighted = pipeline.get(plan, (0.0, 0.0))
            plan.actual_revenue = actual
            plan.pipeline_amount = amount
            plan.weighted_amount = weighted
            plan.forecast_revenue = actual + weighted
            target = plan.revenue_target
            plan.achievement = kam_percent(actual, target)
            plan.forecast_achievement = kam_percent(actual + weighted, target)
            plan.wallet_share = actual / plan.wallet_amount * 100.0 if plan.wallet_amount else 0.0
            plan.pace = plan._get_pace(today)
            threshold = plan.company_id.kam_plan_pace_threshold / 100.0
            plan.behind_pace = bool(
                plan.state == "approved" and target and plan.date_start
                and plan.date_start <= today <= plan.date_end
                and plan.achievement < plan.pace * threshold)

    def _get_pace(self, today):
        self.ensure_one()
        if not self.date_start or not self.date_end or today < self.date_start:
            return 0.0
        if today >= self.date_end:
            return 100.0
        total = (self.date_end - self.date_start).days + 1
        return ((today - self.date_start).days + 1) / total * 100.0

    def _get_actual_revenue(self):
        """``{plan: revenue}``: one ``kam.revenue`` call per (company, period)."""
        batches = defaultdict(self.browse)
        for plan in self:
            if plan.partner_id and plan.company_id and plan.date_start and plan.date_end:
                batches[plan.company_id, plan.date_start, plan.date_end] |= plan
        result = {}
        for (company, start, end), plans in batches.items():
            partners = plans.partner_id.commercial_partner_id
            stats = self.env["kam.revenue"]._get_revenue_by_partner(
                company, start, end + timedelta(days=1), partner_ids=partners.ids)
            for plan in plans:
                stat = stats.get(plan.partner_id.commercial_partner_id.id)
                result[plan] = stat.revenue if stat else 0.0
        return result

    def _get_pipeline(self):
        """``{plan: (pipeline, weighted)}`` of the open opportunities of each
        plan's account closing in its period; one grouped read for all plans.

        Read as superuser on purpose: a plan's forecast is a figure of the
        account and must not change with the viewer's own-leads rule; no lead
        content is shown through it (the opportunity list uses the user's rights).
        """
        plans = self.filtered(lambda p: p.partner_id and p.date_start and p.date_end)
        if not plans:
            return {}
        groups = self.env["crm.lead"].sudo()._read_group(
            [
                ("type", "=", "opportunity"),
                ("won_status", "=", "pending"),
                ("partner_id", "child_of", plans.partner_id.commercial_partner_id.ids),
                ("company_id", "in", [*plans.company_id.ids, False]),
                ("date_deadline", ">=", min(plans.mapped("date_start"))),
                ("date_deadline", "<=", max(plans.mapped("date_end"))),
            ],
            ["partner_id", "company_id", "date_deadline:day"],
            ["expected_revenue:sum", "prorated_revenue:sum"],
        )
        by_partner = defaultdict(list)
        for partner, company, day, expected, prorated in groups:
            by_partner[partner.commercial_partner_id.id].append((company, day, expected, prorated))
        result = {}
        for plan in plans:
            amount = weighted = 0.0
            for company, day, expected, prorated in by_partner.get(
                    plan.partner_id.commercial_partner_id.id, ()):
                if company in (plan.company_id, company.browse()) \
                        and plan.date_start <= day <= plan.date_end:
                    amount += expected
                    weighted += prorated
            result[plan] = (amount, weighted)
        return result

    # ---- Constraints ----
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for plan in self:
            if plan.date_start and plan.date_end and plan.date_end < plan.date_start:
                raise ValidationError(self.env._(
                    "Account plan %(plan)s: the period end (%(end)s) cannot be before the "
                    "period start (%(start)s).",
                    plan=plan.display_name, end=format_date(self.env, plan.date_end),
                    start=format_date(self.env, plan.date_start)))

    @api.constrains("revenue_target", "wallet_amount", "target_wallet_share")
    def _check_targets(self):
        for plan in self:
            if plan.revenue_target < 0:
                raise ValidationError(self.env._(
                    "Account plan %(plan)s: the revenue target cannot be negative (%(value)s).",
                    plan=plan.display_name, value=plan.revenue_target))
            if plan.wallet_amount < 0:
                raise ValidationError(self.env._(
                    "Account plan %(plan)s: the wallet cannot be negative (%(value)s).",
                    plan=plan.display_name, value=plan.wallet_amount))
            if not 0 <= plan.target_wallet_share <= 100:
                raise ValidationError(self.env._(
                    "Account plan %(plan)s: the target share of wallet must be between 0 and "
                    "100 %% (%(value)s).",
                    plan=plan.display_name, value=plan.target_wallet_share))

    @api.constrains("state", "partner_id", "company_id", "date_start", "date_end")
    def _check_single_approved(self):
        approved = self.filtered(lambda p: p.state == "approved")
        if not approved:
            return
        # the rule is global: check against every plan, whoever approves
        others = self.sudo().search([
            ("state", "=", "approved"), ("id", "not in", approved.ids),
            ("partner_id", "in", approved.partner_id.ids),
            ("company_id", "in", approved.company_id.ids),
        ])
        for plan in approved:
            for other in others | (approved - plan):
                if other.partner_id == plan.partner_id and other.company_id == plan.company_id \
                        and other.date_start <= plan.date_end and other.date_end >= plan.date_start:
                    raise ValidationError(self.env._(
                        "Account plan %(plan)s cannot be approved: %(other)s is already approved "
                        "for %(account)s over an overlapping period. Close it or reopen it first.",
                        plan=plan.display_name, other=other.display_name,
                        account=plan.partner_id.display_name))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_date_values(self, vals, ("date_start", "date_end"))
        self._kam_check_create_states(vals_list)
        # the activities of actions created with the plan are scheduled once the
        # plan (and its followers) exist
        plans = super(KamAccountPlan, self.with_context(kam_plan_defer_activity=True)).create(
            vals_list)
        plans = self.browse(plans.ids)
        plans.action_ids._sync_activity()
        plans._refresh_report_figures()
        return plans

    def write(self, vals):
        check_date_values(self, vals, ("date_start", "date_end"))
        self._kam_check_transitions(vals)
        if not self._kam_trusted() and ("approved_by_id" in vals or "approved_date" in vals):
            self._check_director()
            self._kam_check_signer(vals, "approved_by_id")
        res = super().write(vals)
        if FIGURE_INPUTS.intersection(vals):
            self._refresh_report_figures()
        return res

    def _kam_check_move(self, old, new, vals):
        if old is None or new == "submitted":
            return
        self._check_director()
        if new == "approved" and self._kam_value(vals, "user_id") == self._kam_acting_user():
            raise UserError(self.env._(
                "Account plan %(plan)s is your own: another key account director must "
                "approve it.", plan=self.display_name))

    # ---- Actions ----
    def _check_director(self):
        if not self._kam_is_director():
            raise UserError(self.env._("Only a key account director can approve, close or reopen "
                                       "an account plan."))

    def _check_state(self, states, action):
        for plan in self:
            if plan.state not in states:
                raise UserError(self.env._(
                    "Account plan %(plan)s is %(state)s: it cannot be %(action)s.",
                    plan=plan.display_name,
                    state=dict(plan._fields["state"]._description_selection(self.env))[plan.state],
                    action=action))

    def action_submit(self):
        self._check_state(("draft",), self.env._("submitted"))
        self.write({"state": "submitted"})
        return True

    def action_approve(self):
        self._check_director()
        self._check_state(("submitted",), self.env._("approved"))
        self.write({
            "state": "approved", "approved_by_id": self.env.user.id,
            "approved_date": (self.company_id[:1] or self.env.company)._kam_today(),
        })
        self._refresh_report_figures()
        return True

    def action_close(self):
        self._check_director()
        self._check_state(("approved",), self.env._("closed"))
        self._refresh_report_figures()
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        self._check_director()
        self._check_state(("submitted", "approved", "closed"), self.env._("reopened"))
        self.write({"state": "draft", "approved_by_id": False, "approved_date": False})
        return True

    def action_new_opportunity(self):
        """Open a new opportunity of the account, linked to the plan."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Opportunity"),
            "res_model": "crm.lead",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_type": "opportunity",
                "default_partner_id": self.partner_id.id,
                "default_user_id": self.user_id.id,
                "default_company_id": self.company_id.id,
                "default_kam_account_plan_id": self.id,
                "default_date_deadline": fields.Date.to_string(self.date_end),
            },
        }

    def action_view_opportunities(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action.update({
            "domain": [("id", "in", self.opportunity_ids.ids)],
            "context": {
                "default_type": "opportunity", "default_partner_id": self.partner_id.id,
                "default_kam_account_plan_id": self.id,
            },
        })
        return action

    def action_copy_next_period(self):
        """A new draft plan for the next period carrying over the open
        objectives, the open actions, the competitor positions and the needs."""
        self.ensure_one()
        start, end = self._get_next_period()
        existing = self.search([
            ("partner_id", "=", self.partner_id.id), ("company_id", "=", self.company_id.id),
            ("date_start", "<=", end), ("date_end", ">=", start), ("id", "!=", self.id),
        ], limit=1)
        if existing:
            raise UserError(self.env._(
                "%(account)s already has the plan %(plan)s for the next period.",
                account=self.partner_id.display_name, plan=existing.display_name))
        new_plan = self.create({
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "date_start": start,
            "date_end": end,
            "vision": self.vision,
            "strategy": self.strategy,
            "revenue_target": self.revenue_target,
            "wallet_amount": self.wallet_amount,
            "target_wallet_share": self.target_wallet_share,
            "previous_plan_id": self.id,
            "objective_ids": [
                Command.create(o._get_carry_over_vals())
                for o in self.objective_ids.filtered(
                    lambda o: o.status in OPEN_OBJECTIVE_STATUSES)],
            "action_ids": [
                Command.create(a._get_carry_over_vals())
                for a in self.action_ids.filtered(lambda a: a.state in ("todo", "in_progress"))],
            "competitor_ids": [
                Command.create(c._get_carry_over_vals()) for c in self.competitor_ids],
            "need_ids": [Command.create(n._get_carry_over_vals()) for n in self.need_ids],
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.account.plan",
            "res_id": new_plan.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_print(self):
        return self.env.ref("key_account_management.kam_account_plan_report").report_action(self)

    # ---- Report ----
    def _kam_report_filename(self):
        """The account plan's file name: its title, the account and the period, in
        the reader's language."""
        self.ensure_one()
        return report_filename(self.env._("Account Plan"), self.partner_id.name,
                               report_period(self.date_start, self.date_end))

    # ---- Business ----
    def _get_next_period(self):
        """The period right after this one, of the same length (whole months
        when the period is made of whole months)."""
        self.ensure_one()
        start = self.date_end + timedelta(days=1)
        after_end = self.date_end + timedelta(days=1)
        if self.date_start.day == 1 and after_end.day == 1:
            delta = relativedelta(after_end, self.date_start)
            months = delta.years * 12 + delta.months
            return start, start + relativedelta(months=months) - timedelta(days=1)
        return start, start + (self.date_end - self.date_start)

    def _refresh_report_figures(self):
        """Copy the live figures into the stored ``report_*`` fields, writing only
        the plans whose figures changed.

        As superuser: the ``report_*`` fields are the engine's copy (read-only on every
        screen), refreshed whoever changed an input, e.g. a salesperson confirming an
        order of an account whose plan they cannot read."""
        plans = self.sudo()
        # the live figures are cached in the transaction: an order confirmed since
        # they were last read is not seen without this
        plans.invalidate_recordset(LIVE_FIGURES)
        for plan in plans:
            today = (plan.company_id or self.env.company)._kam_today()
            vals = {
                "report_actual_revenue": plan.currency_id.round(plan.actual_revenue),
                "report_forecast_revenue": plan.currency_id.round(plan.forecast_revenue),
                "report_achievement": plan.achievement,
            }
            if any(plan[f] != v for f, v in vals.items()) or not plan.report_date:
                vals["report_date"] = today
                plan.write(vals)

    @api.model
    def _refresh_plans_of(self, partners, companies=None):
        """Refresh the reported figures of the plans (not closed) of these accounts:
        called when one of their orders, invoices or opportunities changes, so that
        Plans vs Actuals and the dashboard do not wait for the daily run. One search,
        then the batched computation of the figures."""
        accounts = partners.commercial_partner_id
        if not accounts:
            return
        domain = Domain("partner_id", "in", accounts.ids) & Domain("state", "!=", "closed")
        if companies:
            domain &= Domain("company_id", "in", companies.ids)
        self.sudo().search(domain)._refresh_report_figures()

    def _schedule_activity_once(self, summary, note, user, date_deadline):
        """One activity for ``user`` on the plan with this summary, unless it exists."""
        self.ensure_one()
        if self.activity_ids.filtered(lambda a: a.user_id == user and a.summary == summary):
            return self.env["mail.activity"]
        return self.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=date_deadline, summary=summary,
            note=note, user_id=user.id)

    @api.model
    @kam_retry_on_conflict
    def _cron_check_plans(self):
        """Daily: refresh the reported figures of running plans, give each owner
        of an overdue action one activity and remind the KAM of plans still in
        draft a month into their period. A second run changes nothing."""
        today = self.env.company._kam_today()
        cron = self.env["ir.cron"]
        plans = self.search([
            ("state", "!=", "closed"), ("date_end", ">=", today - relativedelta(months=1))])
        batch_size = 200
        for index in range(0, len(plans), batch_size):
            batch = plans[index:index + batch_size]
            batch._refresh_report_figures()
            if not cron._kam_commit_progress(len(batch), remaining=len(plans) - index - len(batch)):
                return
        self.env["kam.account.plan.action"]._remind_overdue()
        drafts = self.search([
            ("state", "=", "draft"), ("draft_reminder_sent", "=", False),
            ("date_start", "<=", today - relativedelta(months=1)), ("date_end", ">=", today),
        ])
        for plan in drafts:
            plan._schedule_activity_once(
                self.env._("Submit the account plan"),
                self.env._("The period started more than a month ago and the plan is still "
                           "a draft."),
                plan.user_id, today)
        drafts.write({"draft_reminder_sent": True})
        cron._kam_commit_progress(len(drafts))

    def _get_behind_pace_plans(self, company):
        """Approved plans of ``company`` running today whose achievement is below
        the pace threshold."""
        today = company._kam_today()
        plans = self.search([
            ("company_id", "=", company.id), ("state", "=", "approved"),
            ("date_start", "<=", today), ("date_end", ">=", today),
        ])
        return plans.filtered("behind_pace")

    def _digest_html(self):
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td style='text-align:right'>%s</td>"
                   "<td style='text-align:right'>%.0f %%</td>"
                   "<td style='text-align:right'>%.0f %%</td></tr>")
            % (plan.name, plan.user_id.name or "", plan.currency_id.format(plan.revenue_target),
               plan.achievement, plan.pace)
            for plan in self)
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>") % (
            self.env._("Plan"), self.env._("Key Account Manager"), self.env._("Target"),
            self.env._("Achievement"), self.env._("Time Elapsed"), rows)


OPEN_OBJECTIVE_STATUSES = ("not_started", "on_track", "at_risk")
