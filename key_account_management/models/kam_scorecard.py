from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare

from .ir_cron import kam_retry_on_conflict
from .kam_flow_mixin import kam_has_group, kam_in_flow
from .kam_visit import kam_visit_count

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

# figures written by the batch refresh (never by hand); a frozen scorecard keeps them
SCORECARD_FIGURES = (
    "account_count", "revenue", "revenue_target", "revenue_achievement", "revenue_prev",
    "growth", "company_revenue", "key_account_share", "target_share", "visits_done", "visits_required",
    "visit_compliance", "plan_count", "plan_coverage", "won_count", "lost_count",
    "pipeline_amount", "health_avg", "request_count", "breached_count", "sla_compliance",
    "satisfaction", "score", "rank",
)


class KamScorecard(models.Model):
    """The scorecard (考核) of one key account manager for one period (month,
    quarter or year) in one company: key-account revenue against their
    target, growth, share of the company's revenue, visit compliance,
    accounts with an approved plan, accounts won and lost, pipeline, and
    (when those capabilities are installed) health and service figures; a
    score from the year's scorecard template and a rank among the managers.

    Rows are written in batch by :meth:`_refresh_scorecards` (cron, button,
    benchmark): a fixed number of grouped SQL queries per company and year,
    whatever the number of managers and periods. A director can freeze a
    period: its rows are then never rewritten, until a director unfreezes it.

    The figures, the freeze and the computation date are the flow's
    (``_kam_flow_fields``): the refresh and the Freeze / Unfreeze buttons write
    them, nobody else (no context key a client could send unlocks them).
    """

    _name = "kam.scorecard"
    _inherit = ["kam.flow.mixin"]
    _description = "Key Account Manager Scorecard"
    _kam_flow_fields = (*SCORECARD_FIGURES, "computed_date", "state", "frozen_by_id",
                        "frozen_date")
    _order = "date_start desc, period_type, rank, id"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Key Account Manager", required=True, index=True, readonly=True)
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        required=True, readonly=True, index=True)
    date_start = fields.Date(string="Period Start", required=True, readonly=True, index=True)
    date_end = fields.Date(string="Period End", required=True, readonly=True)
    year = fields.Integer(required=True, readonly=True, index=True, aggregator=None)
    period_label = fields.Char(string="Period", compute="_compute_name")

    # ---- Figures (written by the refresh) ----
    account_count = fields.Integer(
        string="Key Accounts", readonly=True,
        help="Registered key accounts managed by the key account manager.")
    revenue = fields.Monetary(
        string="Key-Account Revenue", currency_field="currency_id", readonly=True,
        help="Revenue of their key accounts in the period, on the company's revenue basis.")
    revenue_target = fields.Monetary(
        currency_field="currency_id", readonly=True,
        help="Their yearly key-account target, prorated to the period.")
    revenue_achievement = fields.Float(
        string="Revenue vs Target (%)", readonly=True, digits=(16, 1), aggregator="avg")
    revenue_prev = fields.Monetary(
        string="Revenue Last Year", currency_field="currency_id", readonly=True,
        help="Revenue of the same accounts in the same period of the previous year.")
    growth = fields.Float(string="Growth (%)", readonly=True, digits=(16, 1), aggregator="avg")
    company_revenue = fields.Monetary(
        currency_field="currency_id", readonly=True, aggregator="max",
        help="Revenue of all the customers of the company in the period.")
    key_account_share = fields.Float(
        string="Share of Company Revenue (%)", readonly=True, digits=(16, 1))
    target_share = fields.Float(
        string="Target Share (%)", readonly=True, digits=(16, 1), aggregator="max",
        help="The company's target for the key accounts' share of its revenue (same on every "
             "manager's row).")
    visits_done = fields.Integer(readonly=True)
    visits_required = fields.Integer(
        readonly=True,
        help="Visits the tier cadence asks of the portfolio in the period (days of the "
             "period / visit interval, summed over the accounts, rounded to whole visits as "
             "in the Visit Compliance report).")
    visit_compliance = fields.Float(
        string="Visit Compliance (%)", readonly=True, digits=(16, 1), aggregator="avg",
        help="Visits done against the tier cadence, each account counted up to its required "
             "visits.")
    plan_count = fields.Integer(
        string="Accounts with a Plan", readonly=True,
        help="Key accounts with an approved (or closed) account plan covering the period.")
    plan_coverage = fields.Float(
        string="Plan Coverage (%)", readonly=True, digits=(16, 1), aggregator="avg")
    won_count = fields.Integer(string="Accounts Won", readonly=True)
    lost_count = fields.Integer(string="Accounts Lost", readonly=True)
    pipeline_amount = fields.Monetary(
        string="Plans' Pipeline", currency_field="currency_id", readonly=True,
        help="Expected revenue of the open opportunities of their account plans covering the "
             "period.")
    health_avg = fields.Float(
        string="Average Health", readonly=True, digits=(16, 1), aggregator="avg")
    request_count = fields.Integer(string="Service Requests", readonly=True)
    breached_count = fields.Integer(string="SLA Breaches", readonly=True)
    sla_compliance = fields.Float(
        string="SLA Compliance (%)", readonly=True, digits=(16, 1), aggregator="avg")
    satisfaction = fields.Float(readonly=True, digits=(16, 1), aggregator="avg")
    score = fields.Float(readonly=True, digits=(16, 1), aggregator="avg",
                         help="Weighted points of the year's scorecard template.")
    rank = fields.Integer(readonly=True, aggregator="min",
                          help="Rank of the score among the company's managers in the period.")
    computed_date = fields.Datetime(string="Computed On", readonly=True)

    # ---- Freeze ----
    state = fields.Selection(
        [("open", "Open"), ("frozen", "Frozen")], default="open", required=True,
        readonly=True, index=True)
    frozen_by_id = fields.Many2one("res.users", readonly=True)
    frozen_date = fields.Datetime(string="Frozen On", readonly=True)
    has_service_requests = fields.Boolean(compute="_compute_has_service_requests")

    _user_period_uniq = models.Constraint(
        "UNIQUE(company_id, user_id, period_type, date_start)",
        "There is one scorecard per key account manager, company and period.")

    # ---- Compute ----
    @api.depends("user_id", "period_type", "date_start")
    def _compute_name(self):
        for card in self:
            start = card.date_start
            if not start:
                card.period_label = card.name = False
                continue
            if card.period_type == "month":
                label = f"{start.year}-{start.month:02d}"
            elif card.period_type == "quarter":
                label = f"{start.year} Q{(start.month - 1) // 3 + 1}"
            else:
                label = str(start.year)
            card.period_label = label
            card.name = f"{card.user_id.name or ''} {label}".strip()

    def _compute_has_service_requests(self):
        self.has_service_requests = "kam.service.request" in self.env

    # ---- ORM ----
    def write(self, vals):
        # only the model's own flow (the flow token, never a context key a client sends)
        # may touch a frozen scorecard
        if self.filtered(lambda c: c.state == "frozen") and \
                set(vals) & (set(SCORECARD_FIGURES) | {"user_id", "date_start", "date_end"}) \
                and not kam_in_flow(self.env):
            raise UserError(self.env._(
                "A frozen scorecard keeps its figures: it cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if self.filtered(lambda c: c.state == "frozen"):
            raise UserError(self.env._("A frozen scorecard cannot be deleted."))

    # ---- Actions ----
    def _check_director(self):
        if not kam_has_group(self.env, "key_account_management.key_account_management_group_director"):
            raise UserError(self.env._("Only a key account director can do this."))

    def _period_domain(self):
        """Every manager's scorecard of the companies and periods of ``self``."""
        return Domain.OR([
            Domain("company_id", "=", card.company_id.id)
            & Domain("period_type", "=", card.period_type)
            & Domain("date_start", "=", card.date_start)
            for card in self
        ]) if self else Domain.FALSE

    def action_freeze(self):
        """Freeze the periods of these scorecards: every manager's scorecard
        of the same company and period keeps its figures from now on."""
        self._check_director()
        periods = self._period_domain()
        cards = self.search(periods & Domain("state", "=", "open"))
        cards._kam_flow_write({"state": "frozen", "frozen_by_id": self.env.uid,
                               "frozen_date": fields.Datetime.now()})
        return True

    def action_unfreeze(self):
        """Unfreeze the periods of these scorecards (a director's correction): the
        next refresh computes their figures again."""
        self._check_director()
        periods = self._period_domain()
        cards = self.search(periods & Domain("state", "=", "frozen"))
        cards._kam_flow_write({"state": "open", "frozen_by_id": False, "frozen_date": False})
        return True

    @api.model
    def action_refresh(self):
        """Recompute the open scorecards of this year (and of last year in
        January) for the companies of the director."""
        self._check_director()
        today = self.env.company._kam_today()
        years = {today.year, (today - relativedelta(months=1)).year}
        for company in self.env.companies:
            for year in sorted(years):
                # the director refreshes every manager's figures of their companies: the
                # figures read every account, order and visit, whatever the record rules
                self.sudo()._refresh_scorecards(company, year)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    @kam_retry_on_conflict
    def _cron_refresh_scorecards(self):
        today = self.env.company._kam_today()
        years = {today.year, (today - relativedelta(months=1)).year}
        # deliberately every company: the cron refreshes each company's scorecards
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            for year in sorted(years):
                self._refresh_scorecards(company, year)

    # ---- Drill-down ----
    def _accounts(self):
        """The key accounts behind the scorecard (current assignment)."""
        self.ensure_one()
        return self.env["res.partner"].with_company(self.company_id).search([
            ("kam_state", "=", "registered"), ("kam_manager_id", "=", self.user_id.id),
            ("is_company", "=", True)])

    def _drill(self, name, model, domain, views="list,form"):
        return {
            "type": "ir.actions.act_window", "name": name, "res_model": model,
            "view_mode": views, "views": [(False, view) for view in views.split(",")],
            "domain": domain,
            "context": {"allowed_company_ids": [self.company_id.id]
                        + [c for c in self.env.context.get("allowed_company_ids", [])
                           if c != self.company_id.id]},
        }

    def action_view_accounts(self):
        self.ensure_one()
        return self._drill(self.env._("Key Accounts of %s", self.name), "res.partner",
                           [("id", "in", self._accounts().ids)], "list,kanban,form")

    def action_view_orders(self):
        self.ensure_one()
        accounts = self._accounts()
        if self.company_id.kam_revenue_basis == "invoice":
            return self._drill(self.env._("Invoices of %s", self.name), "account.move", [
                ("commercial_partner_id", "in", accounts.ids),
                ("company_id", "=", self.company_id.id), ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", self.date_start), ("invoice_date", "<=", self.date_end)])
        return self._drill(self.env._("Orders of %s", self.name), "sale.order", [
            ("partner_id", "child_of", accounts.ids), ("company_id", "=", self.company_id.id),
            ("state", "=", "sale"), ("date_order", ">=", self.date_start),
            ("date_order", "<", self.date_end + relativedelta(days=1))])

    def action_view_visits(self):
        self.ensure_one()
        return self._drill(self.env._("Visits of %s", self.name), "kam.visit", [
            ("partner_id", "in", self._accounts().ids), ("company_id", "=", self.company_id.id),
            ("state", "=", "done"), ("visit_date", ">=", self.date_start),
            ("visit_date", "<=", self.date_end)], "list,calendar,form")

    def action_view_plans(self):
        self.ensure_one()
        return self._drill(self.env._("Account Plans of %s", self.name), "kam.account.plan", [
            ("partner_id", "in", self._accounts().ids), ("company_id", "=", self.company_id.id),
            ("state", "in", ("approved", "closed")), ("date_start", "<=", self.date_end),
            ("date_end", ">=", self.date_start)])

    def action_view_opportunities(self):
        self.ensure_one()
        return self._drill(self.env._("Pipeline of %s", self.name), "crm.lead", [
            ("kam_account_plan_id.user_id", "=", self.user_id.id),
            ("kam_account_plan_id.company_id", "=", self.company_id.id),
            ("kam_account_plan_id.date_start", "<=", self.date_end),
            ("kam_account_plan_id.date_end", ">=", self.date_start),
            ("type", "=", "opportunity"), ("won_status", "=", "pending")], "list,kanban,form")

    def action_view_won_lost(self):
        self.ensure_one()
        managed = self.env["res.partner"].with_company(self.company_id).search(
            [("kam_manager_id", "=", self.user_id.id)])
        return self._drill(self.env._("Accounts Won and Lost by %s", self.name),
                           "kam.tier.history", [
            ("partner_id", "in", managed.ids), ("company_id", "=", self.company_id.id),
            ("change_type", "=", "state"), ("date", ">=", self.date_start),
            ("date", "<", self.date_end + relativedelta(days=1)),
            "|", ("new_state", "=", "registered"), ("old_state", "=", "registered")])

    def action_view_requests(self):
        self.ensure_one()
        if "kam.service.request" not in self.env:
            raise UserError(self.env._("The green channel (service requests) is not installed."))
        # HOOK (green channel): the request model's account field is assumed to be partner_id
        return self._drill(self.env._("Service Requests of %s", self.name), "kam.service.request", [
            ("partner_id", "in", self._accounts().ids), ("company_id", "=", self.company_id.id)])

    # ---- Batch computation ----
    @api.model
    def _periods(self, year, period_types=("month", "quarter", "year"), until=None):
        """``[(period_type, date_start, date_end)]`` of ``year`` starting on or before ``until``."""
        periods = []
        for period_type in period_types:
            months = PERIOD_MONTHS[period_type]
            for first in range(1, 13, months):
                start = date(year, first, 1)
                if until and start > until:
                    continue
                periods.append((period_type, start,
                                start + relativedelta(months=months, days=-1)))
        return periods

    @api.model
    def _refresh_scorecards(self, company, year, period_types=("month", "quarter", "year")):
        """Compute and write the scorecards of every key account manager of
        ``company`` for the periods of ``year`` begun by today. Frozen rows are
        left as they are; unchanged rows are not written.

        :return: dict of counters (``created``, ``written``, ``frozen``)
        """
        today = company._kam_today()
        periods = self._periods(year, period_types, until=today)
        values = self._compute_scorecard_values(company, year, periods)
        # the refresh writes the figures as the model's flow (they are flow-owned)
        Scorecard = self._kam_flow()
        existing = Scorecard.search([("company_id", "=", company.id), ("year", "=", year),
                                ("period_type", "in", list(period_types))])
        by_key = {(c.user_id.id, c.period_type, c.date_start): c for c in existing}
        to_create, stats = [], {"created": 0, "written": 0, "frozen": 0}
        now = fields.Datetime.now()
        for key, vals in values.items():
            card = by_key.get(key)
            if not card:
                to_create.append(dict(vals, company_id=company.id, user_id=key[0],
                                      period_type=key[1], date_start=key[2], year=year,
                                      computed_date=now))
            elif card.state == "frozen":
                stats["frozen"] += 1
            else:
                changed = {f: v for f, v in vals.items()
                           if not self._same(card._fields[f], card[f], v, self.env)}
                if changed:
                    card.write(dict(changed, computed_date=now))
                    stats["written"] += 1
        if to_create:
            Scorecard.create(to_create)
            stats["created"] = len(to_create)
        return stats

    @staticmethod
    def _same(field, old, new, env):
        """Whether ``new`` would store as ``old`` (floats compared at the precision
        the field stores)."""
        if field.type in ("float", "monetary"):
            digits = field.get_digits(env) if field.type == "float" else None
            precision = digits[1] if digits else 2
            return float_compare(old or 0.0, new or 0.0, precision_digits=precision) == 0
        return old == new

    @api.model
    def _compute_scorecard_values(self, company, year, periods):
        """Figures of every key account manager of ``company`` for ``periods``
        (of one ``year``): ``{(user_id, period_type, date_start): {field: value}}``.
        A fixed number of grouped queries, whatever the number of managers."""
        cid = str(company.id)
        year_start, year_end = date(year, 1, 1), date(year + 1, 1, 1)
        cr = self.env.cr
        self.env["res.partner"].flush_model(["kam_state", "kam_manager_id", "kam_tier_id"])
        # accounts with a manager in the company: registered ones are the portfolio,
        # the others may have been won or lost in the year
        cr.execute(SQL("""
            SELECT p.id, (p.kam_manager_id->>%(cid)s)::int, (p.kam_tier_id->>%(cid)s)::int,
                   COALESCE(p.kam_state->>%(cid)s, 'none') = 'registered' AND p.is_company
              FROM res_partner p
             WHERE p.kam_manager_id->>%(cid)s IS NOT NULL AND p.active
        """, cid=cid))
        manager_of, tier_of, portfolio = {}, {}, defaultdict(list)
        for partner_id, user_id, tier_id, registered in cr.fetchall():
            manager_of[partner_id] = user_id
            if registered:
                tier_of[partner_id] = tier_id
                portfolio[user_id].append(partner_id)
        targets, target_share = {}, 0.0
        for target in self.env["kam.target"].sudo().search(
                [("company_id", "=", company.id), ("year", "=", year)]):
            if target.user_id:
                targets[target.user_id.id] = target.revenue_target
            else:
                target_share = target.target_share
        users = set(portfolio) | set(targets)
        if not users:
            return {}
        interval = {t.id: t.visit_interval_days for t in self.env["kam.tier"].sudo().search(
            [("company_id", "in", [company.id, False])])}

        # revenue by partner and month, this year and last year
        # (the key accounts' rows only, and the company's total per month)
        Revenue = self.env["kam.revenue"]
        account_month = Revenue._get_monthly_revenue_by_partner(
            company, date(year - 1, 1, 1), year_end, partner_ids=list(tier_of))
        total_by_month = defaultdict(float, {
            month: amount for (__, month), amount in Revenue._get_monthly_revenue_by_partner(
                company, year_start, year_end, by_partner=False).items()})

        # visits done by account and month
        self.env["kam.visit"].flush_model(["partner_id", "company_id", "state", "visit_date"])
        cr.execute(SQL("""
            SELECT partner_id, date_trunc('month', visit_date)::date, COUNT(*)
              FROM kam_visit
             WHERE state = 'done' AND company_id = %(company)s
               AND visit_date >= %(start)s AND visit_date < %(end)s
          GROUP BY 1, 2
        """, company=company.id, start=year_start, end=year_end))
        visits = {(partner_id, month): count for partner_id, month, count in cr.fetchall()}

        # approved plans by account
        self.env["kam.account.plan"].flush_model(
            ["partner_id", "company_id", "state", "date_start", "date_end", "user_id"])
        cr.execute(SQL("""
            SELECT partner_id, date_start, date_end
              FROM kam_account_plan
             WHERE company_id = %(company)s AND state IN ('approved', 'closed')
               AND date_start < %(end)s AND date_end >= %(start)s
        """, company=company.id, start=year_start, end=year_end))
        plans = defaultdict(list)
        for partner_id, start, end in cr.fetchall():
            plans[partner_id].append((start, end))

        # pipeline: open opportunities of the managers' plans
        self.env["crm.lead"].flush_model(
            ["kam_account_plan_id", "active", "type", "won_status", "expected_revenue"])
        cr.execute(SQL("""
            SELECT pl.user_id, pl.date_start, pl.date_end, SUM(l.expected_revenue)
              FROM crm_lead l
              JOIN kam_account_plan pl ON pl.id = l.kam_account_plan_id
             WHERE l.active AND l.type = 'opportunity' AND l.won_status = 'pending'
               AND pl.company_id = %(company)s
               AND pl.date_start < %(end)s AND pl.date_end >= %(start)s
          GROUP BY 1, 2, 3
        """, company=company.id, start=year_start, end=year_end))
        pipeline = defaultdict(list)
        for user_id, start, end, amount in cr.fetchall():
            pipeline[user_id].append((start, end, amount or 0.0))

        # accounts won and lost: status changes of the year
        self.env["kam.tier.history"].flush_model(
            ["partner_id", "company_id", "change_type", "date", "old_state", "new_state"])
        cr.execute(SQL("""
            SELECT partner_id, date::date, new_state = 'registered'
              FROM kam_tier_history
             WHERE company_id = %(company)s AND change_type = 'state'
               AND date >= %(start)s AND date < %(end)s
               AND (new_state = 'registered') != (COALESCE(old_state, 'none') = 'registered')
        """, company=company.id, start=year_start, end=year_end))
        changes = defaultdict(list)
        for partner_id, day, won in cr.fetchall():
            if partner_id in manager_of:
                changes[manager_of[partner_id]].append((day, won))

        health = self._scorecard_health_by_partner(company, list(tier_of))
        service_requests = defaultdict(list)
        for partner_id, day, breached, satisfaction in self._scorecard_service_requests(
                company, year_start, year_end):
            if partner_id in tier_of:
                service_requests[manager_of[partner_id]].append((day, breached, satisfaction))

        template = self.env["kam.scorecard.template"].sudo().search(
            [("company_id", "=", company.id), ("year", "=", year)], limit=1)

        user_month = defaultdict(float)
        for (partner_id, month), amount in account_month.items():
            user_month[manager_of[partner_id], month] += amount

        result = {}
        for period_type, start, end in periods:
            months = [start + relativedelta(months=i) for i in range(PERIOD_MONTHS[period_type])]
            prev_months = [m - relativedelta(years=1) for m in months]
            days = (end - start).days + 1
            company_revenue = sum(total_by_month[m] for m in months)
            fraction = PERIOD_MONTHS[period_type] / 12.0
            for user_id in users:
                accounts = portfolio.get(user_id, [])
                revenue = sum(user_month[user_id, m] for m in months)
                revenue_prev = sum(user_month[user_id, m] for m in prev_months)
                target = targets.get(user_id, 0.0) * fraction
                done = required = counted = 0.0
                plan_count = 0
                for partner_id in accounts:
                    done_account = sum(visits.get((partner_id, m), 0) for m in months)
                    done += done_account
                    step = interval.get(tier_of[partner_id]) or 0
                    if step:
                        need = days / step
                        required += need
                        counted += min(done_account, need)
                    if any(s <= end and e >= start for s, e in plans.get(partner_id, ())):
                        plan_count += 1
                won = sum(1 for day, w in changes.get(user_id, ()) if w and start <= day <= end)
                lost = sum(1 for day, w in changes.get(user_id, ())
                           if not w and start <= day <= end)
                pipe = sum(a for s, e, a in pipeline.get(user_id, ()) if s <= end and e >= start)
                scores = [health[p] for p in accounts if p in health]
                reqs = [r for r in service_requests.get(user_id, ()) if start <= r[0] <= end]
                sats = [r[2] for r in reqs if r[2] is not None]
                vals = {
                    "account_count": len(accounts),
                    "revenue": revenue,
                    "revenue_target": target,
                    "revenue_achievement": revenue / target * 100.0 if target else 0.0,
                    "revenue_prev": revenue_prev,
                    "growth": (revenue - revenue_prev) / revenue_prev * 100.0
                    if revenue_prev else 0.0,
                    "company_revenue": company_revenue,
                    "key_account_share": revenue / company_revenue * 100.0
                    if company_revenue else 0.0,
                    "target_share": target_share,
                    "visits_done": int(done),
                    "visits_required": kam_visit_count(required),
                    "visit_compliance": counted / required * 100.0 if required else 0.0,
                    "plan_count": plan_count,
                    "plan_coverage": plan_count / len(accounts) * 100.0 if accounts else 0.0,
                    "won_count": won,
                    "lost_count": lost,
                    "pipeline_amount": pipe,
                    "health_avg": sum(scores) / len(scores) if scores else 0.0,
                    "request_count": len(reqs),
                    "breached_count": sum(1 for r in reqs if r[1]),
                    "sla_compliance": (len(reqs) - sum(1 for r in reqs if r[1])) / len(reqs)
                    * 100.0 if reqs else 0.0,
                    "satisfaction": sum(sats) / len(sats) if sats else 0.0,
                    "date_end": end,
                }
                vals["score"] = template._score(vals) if template else 0.0
                result[user_id, period_type, start] = vals
            # rank by score, then revenue (1 = best)
            keys = sorted((k for k in result if k[1] == period_type and k[2] == start),
                          key=lambda k: (-round(result[k]["score"], 4), -result[k]["revenue"], k[0]))
            for position, key in enumerate(keys, 1):
                result[key]["rank"] = position
        return result

    # ---- Hooks for the capabilities built elsewhere ----
    @api.model
    def _scorecard_health_by_partner(self, company, partner_ids):
        """Health score (0-100) of the accounts: ``{partner_id: health}``.

        HOOK (health score): reads ``res.partner.kam_health_score`` when the
        field exists; empty otherwise, and the scorecard's average health
        stays 0. The health capability may instead read its monthly
        ``kam.account.snapshot`` here to score past periods as they were.
        """
        Partner = self.env["res.partner"]
        if "kam_health_score" not in Partner._fields or not partner_ids:
            return {}
        partners = Partner.sudo().with_company(company).browse(partner_ids)
        return {row["id"]: row["kam_health_score"] or 0.0
                for row in partners.read(["kam_health_score"])}

    @api.model
    def _scorecard_service_requests(self, company, date_from, date_to):
        """Service requests (green channel) of the company's accounts opened in
        [date_from, date_to): an iterable of ``(partner_id, date, breached,
        satisfaction or None)``.

        One query over the green channel's requests (``kam.service.request``,
        cancelled ones left out; a satisfaction of 0 means not rated). The
        scorecard counts requests and breaches, and derives SLA compliance and
        average satisfaction per manager and period.
        """
        self.env["kam.service.request"].flush_model(
            ["company_id", "partner_id", "request_date", "state", "is_breached", "satisfaction"])
        self.env.cr.execute(SQL(
            """SELECT r.partner_id, (r.request_date AT TIME ZONE 'UTC')::date, r.is_breached,
                      NULLIF(r.satisfaction, 0)
                 FROM kam_service_request r
                WHERE r.company_id = %s AND r.state != 'cancelled'
                  AND r.request_date >= %s AND r.request_date < %s""",
            company.id, date_from, date_to))
        return [(pid, day, bool(breached), satisfaction)
                for pid, day, breached, satisfaction in self.env.cr.fetchall()]

    # ---- Demo ----
    @api.model
    def _demo_scorecards(self):
        """Demo data: the main company's scorecards of last year (frozen by the
        demo director on 5 January, as after a year-end review) and of this year."""
        company = self.env.ref("base.main_company")
        today = company._kam_today()
        for year in (today.year - 1, today.year):
            self._refresh_scorecards(company, year)
        director = self.env.ref("key_account_management.kam_demo_user_director",
                                raise_if_not_found=False) or self.env.user
        self.search([("company_id", "=", company.id), ("year", "=", today.year - 1)]).write({
            "state": "frozen", "frozen_by_id": director.id,
            "frozen_date": fields.Datetime.to_datetime(date(today.year, 1, 5)),
        })
