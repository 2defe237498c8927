import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .ir_cron import kam_retry_on_conflict
from .kam_scoring import SCORING_COLUMNS
from .kam_scoring_health import CHURN_SIGNALS
from .res_partner import KAM_STATE_SELECTION, kam_partner_selection
from .res_partner_health import HEALTH_BANDS

_logger = logging.getLogger(__name__)

# key-account states that get a snapshot (lost accounts too: the churn rate counts them)
SNAPSHOT_STATES = ("registered", "lost")
COL = {name: index for index, name in enumerate(SCORING_COLUMNS)}


class KamAccountSnapshot(models.Model):
    """The state of a key account at the end of a month: tier, KAM, score,
    health and its components, 12-month revenue, Pareto class, lifecycle and
    signals. The daily scheduled action keeps the snapshot of the current
    month up to date (one row per account and month, rewritten only when a
    value changed), so the row of a past month is its last day's state.

    Past months can be back-filled from the documents (``_backfill_month``):
    revenue, Pareto class, score, revenue trend, order recency and visit
    coverage are recomputed as of the month's end; tier, status and KAM come
    from the account's history. Overdue receivables (payments are not dated
    per invoice) and the decision unit (attitudes have no history) cannot be
    reconstructed and are left out of a back-filled health score; strategic
    value, potential and credit rating are today's.
    """

    _name = "kam.account.snapshot"
    _inherit = ["kam.flow.mixin"]
    _description = "Key Account Monthly Snapshot"
    # the engine's monthly record (churn rate, tier migration): written by the daily job
    # and the directors' back-fill only, never by hand (a director forged a month's
    # health and status over the API)
    _kam_flow_fields = (
        "month", "partner_id", "company_id", "user_id", "tier_id", "kam_state", "score",
        "revenue_12m", "pareto_class", "health_score", "health_band", "health_details",
        "lifecycle_stage", "signal_count", "signal_codes", "backfilled", "account_count")
    _order = "month desc, partner_id"
    _rec_name = "partner_id"

    month = fields.Date(required=True, index=True, readonly=True,
                        help="First day of the month of the snapshot.")
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade",
        readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Key Account Manager", readonly=True)
    tier_id = fields.Many2one("kam.tier", readonly=True)
    kam_state = fields.Selection(KAM_STATE_SELECTION, string="Key Account Status",
                                 readonly=True)
    score = fields.Float(readonly=True, aggregator="avg", digits=(16, 2))
    revenue_12m = fields.Float(string="Revenue (12 months)", readonly=True, digits=(16, 2))
    pareto_class = fields.Selection([("a", "A"), ("b", "B"), ("c", "C")], readonly=True)
    health_score = fields.Float(string="Health", readonly=True, aggregator="avg",
                                digits=(16, 1))
    health_band = fields.Selection(HEALTH_BANDS, readonly=True)
    health_details = fields.Text(string="Health Components (data)", readonly=True)
    lifecycle_stage = fields.Selection(
        kam_partner_selection("kam_lifecycle_stage"),
        readonly=True)
    signal_count = fields.Integer(string="Churn Signals", readonly=True, aggregator="sum")
    signal_codes = fields.Char(string="Signals", readonly=True)
    backfilled = fields.Boolean(
        readonly=True, help="Reconstructed from the documents after the month ended.")
    account_count = fields.Integer(string="Accounts", readonly=True, default=1,
                                   aggregator="sum")

    _partner_month_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id, month)",
        "An account has one snapshot per company and month.")

    # ---- Constraints ----
    @api.constrains("month")
    def _check_month(self):
        for snapshot in self:
            if snapshot.month > snapshot.company_id._kam_today():
                raise ValidationError(self.env._(
                    "The month of a snapshot cannot be in the future (got %(month)s).",
                    month=snapshot.month))

    # ---- ORM ----
    @api.ondelete(at_uninstall=False)
    def _unlink_except_engine(self):
        if not self._kam_trusted():
            raise UserError(self.env._(
                "Key account snapshots are the engine's monthly record of the accounts: "
                "they cannot be deleted by hand."))

    # ---- Cron ----
    @api.model
    @kam_retry_on_conflict
    def _cron_take_snapshots(self):
        """Daily: the snapshot of the current month of every key account, from
        the values of the nightly engine. Idempotent: a second run the same
        day writes nothing."""
        # every company by design: snapshots are per company
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        written = 0
        for company in companies:
            month = company._kam_today().replace(day=1)
            written += self._take_snapshots(company, month)
        _logger.info("Key account snapshots: %s rows written", written)
        return written

    @api.model
    def _take_snapshots(self, company, month):
        """Insert or update (only when a value changed) the snapshot of
        ``month`` of the key accounts of ``company``; return the rows written."""
        self.env["res.partner"].flush_model([
            "kam_state", "kam_manager_id", "kam_tier_id", "kam_score", "kam_revenue_12m",
            "kam_pareto_class", "kam_health_score", "kam_health_band", "kam_health_details",
            "kam_lifecycle_stage", "kam_signal_count",
            *(f"kam_signal_{code}" for code in CHURN_SIGNALS)])
        self.flush_model()
        cid = str(company.id)
        codes = SQL(", ").join(
            SQL("CASE WHEN (p.%s->>%s)::boolean THEN %s END",
                SQL.identifier(f"kam_signal_{code}"), cid, code) for code in CHURN_SIGNALS)
        self.env.cr.execute(SQL(
            """
            INSERT INTO kam_account_snapshot AS s
                   (month, partner_id, company_id, user_id, tier_id, kam_state, score,
                    revenue_12m, pareto_class, health_score, health_band, health_details,
                    lifecycle_stage, signal_count, signal_codes, backfilled, account_count,
                    create_uid, write_uid, create_date, write_date)
            SELECT %(month)s, p.id, %(company)s, (p.kam_manager_id->>%(cid)s)::int,
                   (p.kam_tier_id->>%(cid)s)::int, p.kam_state->>%(cid)s,
                   (p.kam_score->>%(cid)s)::float8, (p.kam_revenue_12m->>%(cid)s)::float8,
                   p.kam_pareto_class->>%(cid)s, (p.kam_health_score->>%(cid)s)::float8,
                   p.kam_health_band->>%(cid)s, p.kam_health_details->>%(cid)s,
                   p.kam_lifecycle_stage->>%(cid)s,
                   COALESCE((p.kam_signal_count->>%(cid)s)::int, 0),
                   NULLIF(concat_ws(',', %(codes)s), ''), FALSE, 1,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM res_partner p
             WHERE p.kam_state->>%(cid)s IN %(states)s
            ON CONFLICT (partner_id, company_id, month) DO UPDATE
               SET user_id = EXCLUDED.user_id, tier_id = EXCLUDED.tier_id,
                   kam_state = EXCLUDED.kam_state, score = EXCLUDED.score,
                   revenue_12m = EXCLUDED.revenue_12m, pareto_class = EXCLUDED.pareto_class,
                   health_score = EXCLUDED.health_score, health_band = EXCLUDED.health_band,
                   health_details = EXCLUDED.health_details,
                   lifecycle_stage = EXCLUDED.lifecycle_stage,
                   signal_count = EXCLUDED.signal_count, signal_codes = EXCLUDED.signal_codes,
                   backfilled = FALSE, write_uid = EXCLUDED.write_uid,
                   write_date = EXCLUDED.write_date
             WHERE (s.user_id, s.tier_id, s.kam_state, s.score, s.revenue_12m, s.pareto_class,
                    s.health_score, s.health_band, s.health_details, s.lifecycle_stage,
                    s.signal_count, s.signal_codes, s.backfilled)
                   IS DISTINCT FROM
                   (EXCLUDED.user_id, EXCLUDED.tier_id, EXCLUDED.kam_state, EXCLUDED.score,
                    EXCLUDED.revenue_12m, EXCLUDED.pareto_class, EXCLUDED.health_score,
                    EXCLUDED.health_band, EXCLUDED.health_details, EXCLUDED.lifecycle_stage,
                    EXCLUDED.signal_count, EXCLUDED.signal_codes, FALSE)
            """,
            month=month, company=company.id, cid=cid, codes=codes, uid=self.env.uid,
            states=SNAPSHOT_STATES))
        written = self.env.cr.rowcount
        self.invalidate_model()
        return written

    # ---- Back-fill ----
    @api.model
    def _backfill_month(self, company, month):
        """Reconstruct the snapshots of a past ``month`` (first day) from the
        documents and the accounts' history; the snapshots the cron wrote
        (not back-filled) are kept. Return the rows written."""
        today = company._kam_today()
        month = month.replace(day=1)
        if month >= today.replace(day=1):
            raise ValidationError(self.env._(
                "Only past months can be back-filled (got %(month)s); the current month's "
                "snapshot is written by the scheduled action.", month=month))
        month_end = month + relativedelta(months=1, days=-1)
        Scoring = self.env["kam.scoring"].with_company(company)
        states = self._history_as_of(company, month_end)
        windows = self.env["kam.revenue"]._get_revenue_windows(company, month_end)
        tiers = self.env["kam.tier"].with_company(company)._get_tiers_by_rank(company)
        current = Scoring._read_current_values(company, windows)
        blank = (None,) * len(SCORING_COLUMNS)
        for pid, cur in current.items():
            state, tier_id, _manager = states.get(pid, (cur["state"], cur["tier_id"], None))
            cur.update(values=blank, state=state, tier_id=tier_id, locked=True,
                       lifecycle_manual=False)
        inputs = Scoring._read_health_inputs(company, tiers, current, month_end)
        # not reconstructible: receivables (payment dates) and the decision unit
        inputs["receivables"], inputs["stakeholders"] = {}, {}
        changed, _events = Scoring._compute_values(
            company, tiers, windows, current, today=month_end, health_inputs=inputs)
        existing = self.search([("company_id", "=", company.id), ("month", "=", month)])
        real = set(existing.filtered(lambda s: not s.backfilled).partner_id.ids)
        by_partner = {s.partner_id.id: s for s in existing}
        vals_list, written = [], 0
        for pid, cur in current.items():
            if cur["state"] not in SNAPSHOT_STATES or pid in real or not cur["is_company"]:
                continue
            values = changed.get(pid, blank)
            _state, tier_id, manager_id = states.get(
                pid, (cur["state"], cur["tier_id"], cur["manager_id"]))
            vals = {
                "month": month, "partner_id": pid, "company_id": company.id,
                "user_id": manager_id or False, "tier_id": tier_id or False,
                "kam_state": cur["state"], "score": values[COL["kam_score"]] or 0.0,
                "revenue_12m": values[COL["kam_revenue_12m"]] or 0.0,
                "pareto_class": values[COL["kam_pareto_class"]] or False,
                "health_score": values[COL["kam_health_score"]],
                "health_band": values[COL["kam_health_band"]] or False,
                "health_details": values[COL["kam_health_details"]] or False,
                "lifecycle_stage": values[COL["kam_lifecycle_stage"]] or False,
                "signal_count": values[COL["kam_signal_count"]] or 0,
                "signal_codes": ",".join(
                    code for code in CHURN_SIGNALS if values[COL[f"kam_signal_{code}"]])
                or False,
                "backfilled": True,
            }
            if pid in by_partner:
                by_partner[pid]._kam_flow_write(vals)
            else:
                vals_list.append(vals)
            written += 1
        self._kam_flow().create(vals_list)
        return written

    @api.model
    def _history_as_of(self, company, day):
        """``{partner_id: (state, tier_id, manager_id)}`` as of the end of
        ``day``, for the accounts whose state, tier or manager changed since:
        the old value of the first change after ``day`` (one query)."""
        self.env["kam.tier.history"].flush_model()
        self.env["res.partner"].flush_model(["kam_state", "kam_tier_id", "kam_manager_id"])
        cid = str(company.id)
        self.env.cr.execute(SQL(
            """SELECT p.id,
                      COALESCE((SELECT h.old_state FROM kam_tier_history h
                                 WHERE h.partner_id = p.id AND h.company_id = %(company)s
                                   AND h.change_type = 'state' AND h.date > %(day)s
                              ORDER BY h.date, h.id LIMIT 1),
                               p.kam_state->>%(cid)s, 'none'),
                      (SELECT ARRAY[h.old_tier_id] FROM kam_tier_history h
                        WHERE h.partner_id = p.id AND h.company_id = %(company)s
                          AND h.change_type = 'tier' AND h.date > %(day)s
                     ORDER BY h.date, h.id LIMIT 1),
                      (SELECT ARRAY[h.old_manager_id] FROM kam_tier_history h
                        WHERE h.partner_id = p.id AND h.company_id = %(company)s
                          AND h.change_type = 'manager' AND h.date > %(day)s
                     ORDER BY h.date, h.id LIMIT 1),
                      (p.kam_tier_id->>%(cid)s)::int, (p.kam_manager_id->>%(cid)s)::int
                 FROM res_partner p
                WHERE p.id IN (SELECT partner_id FROM kam_tier_history
                                WHERE company_id = %(company)s)""",
            company=company.id, day=day + relativedelta(days=1), cid=cid))
        result = {}
        for pid, state, tier, manager, cur_tier, cur_manager in self.env.cr.fetchall():
            result[pid] = (state, tier[0] if tier else cur_tier,
                           manager[0] if manager else cur_manager)
        return result

    # ---- Analysis ----
    @api.model
    def _churn_figures(self, company, month_from, month_to):
        """Churn between two months: ``(accounts registered at the start,
        accounts of them lost at the end, rate in %)``. An account is lost
        when its snapshot of ``month_to`` is lost (status or lifecycle) or
        when it has none (no longer a key account)."""
        start = self.search([("company_id", "=", company.id), ("month", "=", month_from),
                             ("kam_state", "=", "registered")])
        end = self.search([("company_id", "=", company.id), ("month", "=", month_to),
                           ("partner_id", "in", start.partner_id.ids)])
        kept = defaultdict(bool)
        for snapshot in end:
            kept[snapshot.partner_id.id] = snapshot.kam_state == "registered" \
                and snapshot.lifecycle_stage != "lost"
        lost = sum(1 for snapshot in start if not kept[snapshot.partner_id.id])
        rate = round(lost * 100 / len(start), 1) if start else 0.0
        return len(start), lost, rate
