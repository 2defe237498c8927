import hashlib
import json
import logging
import time
from collections import defaultdict
from datetime import timedelta

import psycopg2
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.modules import get_manifest
from odoo.tools import SQL

from .ir_cron import kam_retry_on_conflict
from .kam_reader import reader_env

_logger = logging.getLogger(__name__)

# advisory lock class id of the scoring runs ("KAM" in ASCII); the company id is the object id
KAM_SCORING_LOCK = 0x4B414D

# company-dependent columns written by the engine, with the kind of their JSON value
SCORING_COLUMNS = {
    "kam_revenue_12m": "float",
    "kam_revenue_prev_12m": "float",
    "kam_growth_rate": "float",
    "kam_order_count": "int",
    "kam_last_order_date": "date",
    "kam_revenue_share": "float",
    "kam_pareto_class": "text",
    "kam_score": "float",
    "kam_score_revenue": "float",
    "kam_score_growth": "float",
    "kam_score_frequency": "float",
    "kam_score_strategic": "float",
    "kam_score_potential": "float",
    "kam_score_credit": "float",
    "kam_suggested_tier_id": "int",
    "kam_downgrade_pending_since": "date",
    # health, churn signals and lifecycle (kam.scoring health part, kam_scoring_health.py)
    "kam_health_score": "float",
    "kam_health_band": "text",
    "kam_health_trend": "float",
    "kam_health_details": "text",
    "kam_signal_no_order": "bool",
    "kam_signal_revenue_drop": "bool",
    "kam_signal_overdue": "bool",
    "kam_signal_decision_unit": "bool",
    "kam_signal_sla": "bool",
    "kam_signal_satisfaction": "bool",
    "kam_signal_visits": "bool",
    "kam_signal_count": "int",
    "kam_signal_details": "text",
    "kam_signal_alerts": "text",
    "kam_lifecycle_stage": "text",
    "kam_lifecycle_rule": "text",
    "kam_metrics_date": "date",
}
IDX_SUGGESTED = list(SCORING_COLUMNS).index("kam_suggested_tier_id")
IDX_PENDING = list(SCORING_COLUMNS).index("kam_downgrade_pending_since")
IDX_HEALTH = list(SCORING_COLUMNS).index("kam_health_score")
IDX_ALERTS = list(SCORING_COLUMNS).index("kam_signal_alerts")
IDX_SIGNAL_DETAILS = list(SCORING_COLUMNS).index("kam_signal_details")
IDX_LIFECYCLE = list(SCORING_COLUMNS).index("kam_lifecycle_stage")
HEALTH_SIZE = IDX_LIFECYCLE + 2 - IDX_HEALTH
# the score components: (field of the points, weight field on res.company)
SCORE_COMPONENTS = (
    ("kam_score_revenue", "kam_weight_revenue"),
    ("kam_score_growth", "kam_weight_growth"),
    ("kam_score_frequency", "kam_weight_frequency"),
    ("kam_score_strategic", "kam_weight_strategic"),
    ("kam_score_potential", "kam_weight_potential"),
    ("kam_score_credit", "kam_weight_credit"),
)
# orders a year that give the full order-frequency points (one a month)
FULL_FREQUENCY_ORDERS = 12
CREDIT_FACTORS = {"a": 1.0, "b": 0.6, "c": 0.2}
UNRATED_CREDIT_FACTOR = 0.5
# rows per UPDATE statement (and per committed batch when run by the cron)
WRITE_BATCH_SIZE = 10000
# partners per query when the values of a company must be read again batch by batch, past
# a value the database cannot read (an out-of-range number written before the constraints)
READ_RETRY_BATCH_SIZE = 1000
# errors of the run, not of an account: never skipped, they stop the run (the cron retries it)
RETRIED_ERRORS = (psycopg2.extensions.TransactionRollbackError, psycopg2.OperationalError)
# the partner columns whose values are the engine's inputs (besides the documents)
INPUT_COLUMNS = (
    "kam_state", "kam_tier_id", "kam_tier_locked", "kam_manager_id", "kam_strategic_value",
    "kam_potential_revenue", "kam_credit_rating", "kam_credit_rating_id",
    "kam_lifecycle_manual", "kam_lifecycle_stage", "kam_lifecycle_rule",
    # the group hierarchy (roll-ups of group customers, kam_scoring_group.py)
    "kam_group_parent_id",
    # outputs, so that values changed outside the engine (SQL) are noticed
    "kam_score", "kam_metrics_date", "kam_downgrade_pending_since",
)


def pg_array(values):
    """A PostgreSQL array literal (``{1,2,NULL}``) of numbers, booleans,
    strings and ``None``: one string parameter instead of an ``ARRAY[...]``
    expression of one parameter per value, which the server parses far faster
    for the thousands of values of an engine batch."""
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
        elif isinstance(value, bool):
            items.append("t" if value else "f")
        elif isinstance(value, (int, float)):
            items.append(repr(value))
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            items.append(f'"{escaped}"')
    return "{" + ",".join(items) + "}"


class KamScoring(models.AbstractModel):
    """The one scoring engine of key accounts.

    For each company it reads the revenue of the trailing 12 months and of
    the 12 months before through ``kam.revenue`` (one aggregate over both
    windows with ``FILTER``), the inputs of the account health (receivables,
    visits, decision unit, green channel: one query each, for the key
    accounts only), reads
    the current key-account values of the partners concerned (one query),
    computes metrics, Pareto classes, scores, suggested tiers, health,
    churn signals and lifecycle stages in Python, and
    writes only the rows whose values changed with a few batched ``UPDATE``
    statements on the company-dependent (jsonb) columns. Tier changes and new
    candidates, the only per-account business events, go through the ORM so
    that history, chatter and activities are logged; new churn signals give
    an activity and lifecycle changes a history row. The events of a batch
    are logged in the same transaction as the batch's values: a cron run
    interrupted after a commit loses no candidate.

    Called by the daily cron (``_cron_recompute``), by the "Recompute now"
    button of a partner (``res.partner.action_kam_recompute``), by the
    benchmark and by demo data (``_recompute_companies``).
    """

    _name = "kam.scoring"
    _description = "Key Account Scoring Engine"

    # ---- Entry points ----
    @api.model
    @kam_retry_on_conflict
    def _cron_recompute(self):
        """Daily: every company, committing progress in batches."""
        # every company by design: scoring is per company
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        # commit in batches only in a run of the scheduler (its private object, not the
        # plain ``ir_cron_progress_id`` a client may send along with a manual call)
        stats = self._recompute_companies(
            companies, commit=self.env["ir.cron"]._kam_in_cron())
        _logger.info("Key account scoring of %s companies: %s", len(companies), stats)
        return stats

    @api.model
    def _recompute_companies(self, companies=None, partners=None, today=None, commit=False):
        """Recompute metrics, scores and tiers.

        :param companies: ``res.company`` records (all companies by default)
        :param partners: optional ``res.partner`` records: only their values
            are written (rank, shares and Pareto classes still come from the
            whole company)
        :param today: reference date (today by default)
        :param commit: commit progress in batches (cron only)
        :return: dict of counters: ``partners`` (scored), ``written`` (rows
            updated), ``tier_changes``, ``candidates``, ``activities``,
            ``skipped`` (companies locked by another run), ``events_seconds``
            (time spent logging tier changes and candidates through the ORM)
        """
        if companies is None:  # all companies by default (see :param companies:)
            companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        stats = defaultdict(int)
        if commit:
            self.env["ir.cron"]._commit_progress(0, remaining=len(companies))
        for index, company in enumerate(companies):
            if not self._try_lock(company):
                _logger.info("Key account scoring of %s skipped: another run holds it",
                             company.name)
                stats["skipped"] += 1
                continue
            done = self.with_company(company)._recompute_company(
                company, partners=partners, today=today or company._kam_today(), commit=commit,
                stats=stats)
            if commit:
                time_left = self.env["ir.cron"]._commit_progress(
                    1, remaining=len(companies) - index - 1)
                if not done or not time_left:
                    break
        return dict(stats)

    # ---- Engine ----
    @api.model
    def _try_lock(self, company):
        """Transaction-scoped lock per company: two overlapping runs never
        score the same company at the same time (the second one skips it)."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)",
                                KAM_SCORING_LOCK, company.id))
        return self.env.cr.fetchone()[0]

    @api.model
    def _recompute_company(self, company, partners=None, today=None, commit=False, stats=None):
        """Score one company; return False when it had to stop (lock lost or
        cron time over) and the next run must finish the work.

        A run of the whole company first compares the digest of its inputs
        (:meth:`_get_inputs_digest`) with the one left by the last complete
        run: when they are equal nothing can change and the run stops there
        (a re-run, a retried cron). The stored digest is cleared before the
        first write and set again at the end, so that a run interrupted
        between its batches is never taken for a complete one."""
        stats = stats if stats is not None else defaultdict(int)
        today = today or company._kam_today()
        tiers = self.env["kam.tier"].with_company(company)._get_tiers_by_rank(company)
        digest = health_inputs = None
        if partners is None:
            account_ids = self._get_key_account_ids(company)
            health_inputs = self._read_account_health_inputs(company, tiers, account_ids, today)
            digest = self._get_inputs_digest(company, tiers, today, health_inputs)
            if digest["digest"] == self._get_stored_digest(company):
                stats["unchanged"] += 1
                return True
            self._set_stored_digest(company, None)
        windows = self.env["kam.revenue"]._get_revenue_windows(company, today)
        failed = []
        current = self._read_current_values(company, windows, partners, failed=failed)
        if health_inputs is None:
            health_inputs = self._read_health_inputs(company, tiers, current, today)
        changed, events = self._compute_values(
            company, tiers, windows, current, today=today, health_inputs=health_inputs,
            failed=failed)

        # only the rows whose values changed, in a few UPDATEs; the business
        # events of the accounts of a batch go with the batch (same commit)
        event_ids = self._event_partner_ids(events)
        ids = list(changed) + sorted(event_ids - set(changed))
        for start in range(0, len(ids), WRITE_BATCH_SIZE):
            batch = ids[start:start + WRITE_BATCH_SIZE]
            self._write_batch_safely(company, tiers, batch, changed, events, stats, failed)
            if commit and start + WRITE_BATCH_SIZE < len(ids):
                self.env["ir.cron"]._commit_progress(0)
                if not self._try_lock(company):
                    return False
        stats["partners"] += len(set(current) - set(failed))
        if failed:
            stats["failed"] += len(failed)
            # the accounts that failed are scored again by the next run (no digest)
            return True
        if digest is not None:
            if ids:  # the accounts' data changed (values, tiers, states): digest them again
                new_account_ids = self._get_key_account_ids(company)
                if new_account_ids != account_ids:  # new candidates
                    health_inputs = self._read_account_health_inputs(
                        company, tiers, new_account_ids, today)
                digest = self._get_inputs_digest(
                    company, tiers, today, health_inputs, revenue=digest["revenue"])
            self._set_stored_digest(company, digest["digest"])
        return True

    # ---- Inputs digest ----
    @api.model
    def _get_key_account_ids(self, company):
        """The key accounts of the company (a key-account status, a company)."""
        self.env["res.partner"].flush_model(["kam_state", "is_company", "parent_id"])
        self.env.cr.execute(SQL(
            """SELECT id FROM res_partner
                WHERE COALESCE(kam_state->>%s, 'none') != 'none'
                  AND is_company AND parent_id IS NULL
             ORDER BY id""", str(company.id)))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _get_inputs_digest(self, company, tiers, today, health_inputs, revenue=None):
        """``{"revenue": digest of the revenue documents, "digest": digest of
        everything the values of a run depend on}``: the revenue documents
        (:meth:`kam.revenue._get_revenue_windows_digest`), the partners'
        commercial entities and key-account data in the company (:data:`INPUT_COLUMNS`),
        the health inputs of the key accounts, the settings, tiers and credit
        ratings of the company, the date and the addon's version. Two queries
        (one when ``revenue`` is given), whatever the number of accounts."""
        if revenue is None:
            revenue = self.env["kam.revenue"]._get_revenue_windows_digest(company, today)
        Partner = self.env["res.partner"]
        Partner.flush_model([*INPUT_COLUMNS, "is_company", "parent_id", "commercial_partner_id"])
        cid = str(company.id)
        self.env.cr.execute(SQL(
            """SELECT md5(string_agg(concat_ws('|', p.id, p.is_company, p.parent_id,
                                               p.commercial_partner_id, %s), ',' ORDER BY p.id))
                 FROM res_partner p""",
            SQL(", ").join(SQL("p.%s->>%s", SQL.identifier(col), cid)
                           for col in INPUT_COLUMNS)))
        partners = self.env.cr.fetchone()[0] or ""
        settings = [company[fname] for fname in (
            "kam_revenue_basis", "kam_downgrade_grace_days",
            *(weight for _points, weight in SCORE_COMPONENTS))]
        health = self._health_context(company, tiers, today)
        ratings = self.env["kam.credit.rating"].with_context(active_test=False).search_read(
            [("company_id", "=", company.id)], ["score"], order="id")
        payload = json.dumps([
            revenue, partners, settings,
            {key: value for key, value in health.items() if key != "intervals"},
            [(tier.id, tier.min_score, tier.min_revenue, tier.visit_interval_days,
              tier.group_qualification) for tier in tiers],
            [(rating["id"], rating["score"]) for rating in ratings],
            health_inputs, today, get_manifest("key_account_management").get("version"),
        ], sort_keys=True, default=str)
        return {"revenue": revenue, "digest": hashlib.md5(payload.encode()).hexdigest()}

    @api.model
    def _get_stored_digest(self, company):
        self.env.cr.execute(SQL("SELECT kam_scoring_digest FROM res_company WHERE id = %s",
                                company.id))
        return self.env.cr.fetchone()[0]

    @api.model
    def _set_stored_digest(self, company, digest):
        self.env.cr.execute(SQL("UPDATE res_company SET kam_scoring_digest = %s WHERE id = %s",
                                digest, company.id))
        company.invalidate_recordset(["kam_scoring_digest"])

    @api.model
    def _event_partner_ids(self, events):
        ids = {pid for changes in events["tier"].values() for pid, _old, _dir in changes}
        ids.update(pid for _score, pid in events["candidates"])
        ids.update(item[0] for item in events["signals"])
        ids.update(item[0] for item in events["lifecycle"])
        return ids

    @api.model
    def _filter_events(self, events, batch_ids):
        """The events of the partners of ``batch_ids``."""
        return {
            "tier": {target: [c for c in changes if c[0] in batch_ids]
                     for target, changes in events["tier"].items()},
            "candidates": [c for c in events["candidates"] if c[1] in batch_ids],
            "signals": [e for e in events["signals"] if e[0] in batch_ids],
            "lifecycle": [e for e in events["lifecycle"] if e[0] in batch_ids],
        }

    @api.model
    def _read_current_values(self, company, revenue_partner_ids, partners=None, failed=None):
        """One query: the partners to score and their current values in
        ``company``: the partners with revenue in the last 24 months, plus
        those that have key-account data in the company (metrics to reset,
        strategic value, potential, credit rating, a key-account status).

        A value the database cannot read as its type (a number out of range or
        a text where a number belongs, written before the fields were bounded)
        fails the query: the values are then read again in batches, and record
        by record in a batch that fails, and the partners that cannot be read
        are logged, added to ``failed`` and left out (the others are scored)."""
        Partner = self.env["res.partner"]
        columns = [
            *SCORING_COLUMNS, "kam_state", "kam_tier_id", "kam_tier_locked", "kam_manager_id",
            "kam_strategic_value", "kam_potential_revenue", "kam_credit_rating",
            "kam_lifecycle_manual", "kam_credit_rating_id"]
        Partner.flush_model([*columns, "is_company", "parent_id"])
        cid = str(company.id)
        kinds = {**SCORING_COLUMNS, "kam_state": "text", "kam_tier_id": "int",
                 "kam_tier_locked": "bool", "kam_manager_id": "int", "kam_strategic_value": "int",
                 "kam_potential_revenue": "float", "kam_credit_rating": "text",
                 "kam_lifecycle_manual": "bool", "kam_credit_rating_id": "int"}
        casts = {"float": SQL("::float8"), "int": SQL("::int4"), "bool": SQL("::boolean"),
                 "date": SQL(), "text": SQL()}
        select = SQL(", ").join(
            SQL("(p.%s->>%s)%s", SQL.identifier(col), cid, casts[kinds[col]]) for col in columns)
        scope = SQL(
            """p.id = ANY(%(ids)s::int4[])
               OR p.kam_score ? %(cid)s OR p.kam_revenue_12m ? %(cid)s
               OR p.kam_suggested_tier_id ? %(cid)s
               OR COALESCE(p.kam_state->>%(cid)s, 'none') != 'none'
               OR COALESCE(p.kam_strategic_value->%(cid)s, 'null') NOT IN ('0', 'null')
               OR COALESCE(p.kam_potential_revenue->%(cid)s, 'null') NOT IN ('0', 'null')
               OR p.kam_credit_rating->>%(cid)s IS NOT NULL
               OR p.kam_credit_rating_id ? %(cid)s""",
            ids=pg_array(sorted(revenue_partner_ids)), cid=cid)
        if partners is not None:
            scope = SQL("(%s) AND p.id = ANY(%s)", scope, partners.ids)
        query = SQL("SELECT p.id, p.is_company, p.parent_id, %s FROM res_partner p WHERE %s",
                    select, scope)
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                rows = self.env.cr.fetchall()
        except psycopg2.DataError:
            rows = self._read_current_rows_safely(company, select, scope, failed)
        current = {}
        size = len(SCORING_COLUMNS)
        for row in rows:
            pid, is_company, parent_id, *vals = row
            (state, tier_id, locked, manager_id, strategic, potential, credit, manual,
             credit_id) = vals[size:]
            current[pid] = {
                "is_company": bool(is_company) and not parent_id,
                # the stored values, in the order of SCORING_COLUMNS: the values
                # written by the engine read back identical (exact JSON numbers)
                "values": tuple(vals[:size]),
                "state": state or "none",
                "tier_id": tier_id or False,
                "locked": bool(locked),
                "manager_id": manager_id or False,
                "strategic": strategic or 0,
                "potential": potential or 0.0,
                "credit": credit or False,
                "credit_id": credit_id or False,
                "lifecycle_manual": bool(manual),
            }
        return current

    @api.model
    def _read_current_rows_safely(self, company, select, scope, failed):
        """The rows of :meth:`_read_current_values` (its ``select`` of the partners of its
        ``scope``) read in batches of
        partners, each in a savepoint, and record by record in a batch that fails: the
        partners whose values cannot be read are logged and added to ``failed``."""
        cr = self.env.cr
        cr.execute(SQL("SELECT p.id FROM res_partner p WHERE %s ORDER BY p.id", scope))
        ids = [row[0] for row in cr.fetchall()]
        rows = []

        def read(batch):
            with cr.savepoint(flush=False):
                cr.execute(SQL(
                    "SELECT p.id, p.is_company, p.parent_id, %s FROM res_partner p"
                    " WHERE p.id = ANY(%s::int4[])", select, pg_array(batch)),
                    log_exceptions=False)
                return cr.fetchall()

        for start in range(0, len(ids), READ_RETRY_BATCH_SIZE):
            batch = ids[start:start + READ_RETRY_BATCH_SIZE]
            try:
                rows += read(batch)
                continue
            except psycopg2.DataError:
                _logger.info("A batch of %s accounts has an unreadable value: read one by one",
                             len(batch))
            for pid in batch:
                try:
                    rows += read([pid])
                except psycopg2.DataError as error:
                    _logger.warning(
                        "Key account scoring of %s: partner %s skipped, its key account "
                        "values cannot be read: %s", company.name, pid,
                        str(error).strip().splitlines()[0])
                    if failed is not None:
                        failed.append(pid)
        return rows

    @api.model
    def _compute_values(self, company, tiers, revenue, current, *, today, health_inputs=None,
                        failed=None):
        """Pure Python: the new values (tuples in the order of
        ``SCORING_COLUMNS``) of the partners of ``current`` whose values
        changed, and the business events (tier changes, new candidates, new
        churn signals, lifecycle changes).

        :param revenue: ``{partner_id: RevenueWindows}`` (``kam.revenue``)
        :param health_inputs: what ``_read_health_inputs`` returned; without
            it, no health, signal or lifecycle is computed (back-fill of
            scores only)
        """
        # ranks, shares and Pareto classes over the whole company
        positive = sorted(
            ((stat.revenue, pid) for pid, stat in revenue.items() if stat.revenue > 0),
            key=lambda item: (-item[0], item[1]))
        total = sum(amount for amount, _pid in positive)
        count = len(positive)
        rank_factor, pareto = {}, {}
        cumulative = 0.0
        for rank, (amount, pid) in enumerate(positive):
            rank_factor[pid] = (count - rank) / count
            share_before = cumulative / total * 100 if total else 100.0
            pareto[pid] = "a" if share_before < 80 else ("b" if share_before < 95 else "c")
            cumulative += amount
        weights = [company[weight] or 0 for _points, weight in SCORE_COMPONENTS]
        weight_total = sum(weights) or 1
        scale = [w * 100 / weight_total for w in weights]
        potential_reference = max(tiers.mapped("min_revenue") or [0.0]) or (
            positive[0][0] if positive else 0.0)
        tier_rank = {tier.id: rank for rank, tier in enumerate(tiers)}
        tier_thresholds = [(tier.id, tier.min_score, tier.min_revenue, tier.group_qualification)
                           for tier in tiers]
        # group customers: the revenue of the whole group, for the tiers that qualify on it
        group_revenue = self._group_revenue_totals(company, revenue) \
            if any(tier.group_qualification for tier in tiers) else {}
        lowest_tier = tiers[-1:].id
        grace = timedelta(days=company.kam_downgrade_grace_days or 0)
        today_str = today.isoformat()
        no_health = (None,) * HEALTH_SIZE
        health_context = self._health_context(company, tiers, today) if health_inputs else None
        # the company's credit ratings: their score value (0-100) is the credit factor; an
        # account without a rating falls back to its a/b/c selection
        credit_factors = {
            rating.id: rating.score / 100.0
            for rating in self.env["kam.credit.rating"].with_context(active_test=False).search(
                [("company_id", "=", company.id)])}

        changed = {}
        events = {"tier": defaultdict(list), "candidates": [], "signals": [], "lifecycle": []}
        for pid, cur in current.items():
            try:
                stat = revenue.get(pid)
                if stat:
                    amount = round(stat.revenue, 2)
                    prev_amount = round(stat.revenue_prev, 2)
                    orders = stat.count
                    last_date = stat.last_date.isoformat() if stat.last_date else None
                else:
                    amount = prev_amount = 0.0
                    orders = 0
                    last_date = None
                if prev_amount > 0:
                    growth = (amount - prev_amount) / prev_amount * 100
                else:
                    growth = 100.0 if amount > 0 else 0.0
                strategic = cur["strategic"]
                points = [
                    round(scale[0] * rank_factor.get(pid, 0.0), 2),
                    round(scale[1] * (0.0 if not (amount or prev_amount)
                                      else min(max((growth + 50) / 100, 0.0), 1.0)), 2),
                    round(scale[2] * min(orders / FULL_FREQUENCY_ORDERS, 1.0), 2),
                    round(scale[3] * (min(strategic, 5) / 5 if strategic > 0 else 0.0), 2),
                    round(scale[4] * (min(max(cur["potential"], 0.0) / potential_reference, 1.0)
                                      if potential_reference > 0 else 0.0), 2),
                    round(scale[5] * credit_factors.get(
                        cur.get("credit_id"),
                        CREDIT_FACTORS.get(cur["credit"], UNRATED_CREDIT_FACTOR)), 2),
                ]
                score = round(sum(points), 2)
                suggested = next((
                    tier_id for tier_id, min_score, min_revenue, on_group in tier_thresholds
                    if score >= min_score
                    and (group_revenue.get(pid, amount) if on_group else amount) >= min_revenue),
                    False)
                old = cur["values"]
                pending = None
                effective_tier = False

                # tier follow rules of registered accounts
                if cur["state"] == "registered" and not cur["locked"] and tiers:
                    current_tier = cur["tier_id"]
                    target = suggested or lowest_tier
                    current_rank = tier_rank.get(current_tier, len(tiers))
                    if tier_rank[target] < current_rank:
                        events["tier"][target].append((pid, current_tier, "upgrade"))
                        effective_tier = target
                    elif tier_rank[target] > current_rank:
                        since = old[IDX_PENDING]
                        if since and fields.Date.to_date(since) + grace <= today:
                            events["tier"][target].append((pid, current_tier, "downgrade"))
                            effective_tier = target
                        else:
                            pending = since or today_str
                # customers that newly qualify become candidates
                effective = cur  # the account after this run's events (health follows them)
                if (cur["is_company"] and cur["state"] == "none" and suggested
                        and not old[IDX_SUGGESTED]):
                    events["candidates"].append((score, pid))
                    effective = dict(cur, state="candidate")
                elif effective_tier:
                    effective = dict(cur, tier_id=effective_tier)
                if health_context is None:
                    health = old[IDX_HEALTH:IDX_HEALTH + HEALTH_SIZE]
                elif effective["state"] == "none" or not cur["is_company"]:
                    health = no_health
                else:
                    health = self._compute_account_health(
                        pid, effective, stat, growth, health_inputs, health_context, events)
                new = (
                    amount, prev_amount, round(growth, 2), orders, last_date,
                    round(amount / total * 100, 2) if total and amount > 0 else 0.0,
                    pareto.get(pid), score, *points, suggested or None, pending, *health,
                )
                if new != old[:-1]:  # the last column is kam_metrics_date
                    changed[pid] = (*new, today_str)
            except Exception as error:  # noqa: BLE001 - one account never stops the others
                self._skip_failed_partner(company, pid, error, events, failed)
                changed.pop(pid, None)
        return changed, events

    @api.model
    def _group_revenue_totals(self, company, revenue):
        """``{partner_id: 12-month revenue of its group}`` (its own and its members' at every
        level, from ``revenue``) of the group accounts of ``company``: none here, see
        kam_scoring_group.py."""
        return {}

    @api.model
    def _skip_failed_partner(self, company, pid, error, events, failed):
        """Log a partner whose scoring failed and drop its events: the run goes on
        with the others."""
        _logger.warning("Key account scoring of %s: partner %s skipped: %s",
                        company.name, pid, error, exc_info=True)
        for changes in events["tier"].values():
            changes[:] = [change for change in changes if change[0] != pid]
        for key, index in (("candidates", 1), ("signals", 0), ("lifecycle", 0)):
            events[key][:] = [event for event in events[key] if event[index] != pid]
        if failed is not None:
            failed.append(pid)

    @api.model
    def _write_batch_safely(self, company, tiers, batch, changed, events, stats, failed):
        """Write the values and log the events of the partners of ``batch``, in one
        savepoint; when the batch fails, partner by partner, each in its own
        savepoint: a partner that fails is logged and skipped, the others are
        written."""
        try:
            self._write_batch(company, tiers, batch, changed, events, stats)
            return
        except RETRIED_ERRORS:
            raise  # a concurrent update or a lost connection: the cron retries the run
        except Exception as error:  # noqa: BLE001 - retried partner by partner below
            if len(batch) == 1:
                self._skip_failed_partner(company, batch[0], error, events, failed)
                return
            _logger.info("Key account scoring of %s: a batch failed (%s), written again "
                         "partner by partner", company.name, error)
        for pid in batch:
            try:
                self._write_batch(company, tiers, [pid], changed, events, stats)
            except RETRIED_ERRORS:
                raise
            except Exception as error:  # noqa: BLE001 - one account never stops the others
                self._skip_failed_partner(company, pid, error, events, failed)

    @api.model
    def _write_batch(self, company, tiers, batch, changed, events, stats):
        """One savepoint: the new values of the partners of ``batch`` (one UPDATE)
        and their business events; the counters go to ``stats`` once it succeeded."""
        batch_stats = defaultdict(int)
        with self.env.cr.savepoint():
            values = {pid: changed[pid] for pid in batch if pid in changed}
            if values:
                self._write_values(company, values)
                batch_stats["written"] += len(values)
            self.env["res.partner"].invalidate_model(list(SCORING_COLUMNS))
            started = time.perf_counter()
            self._apply_events(company, tiers, self._filter_events(events, set(batch)),
                               batch_stats)
            batch_stats["events_seconds"] += time.perf_counter() - started
        for key, value in batch_stats.items():
            stats[key] += value

    @api.model
    def _write_values(self, company, values_by_partner):
        """One UPDATE of the company-dependent columns of the given partners."""
        cid = str(company.id)
        ids = list(values_by_partner)
        arrays, sets = [], []
        sql_types = {"float": "float8[]", "int": "int4[]", "date": "text[]", "text": "text[]",
                     "bool": "bool[]"}
        for index, (col, kind) in enumerate(SCORING_COLUMNS.items()):
            arrays.append(SQL("%s::%s", pg_array([values_by_partner[pid][index] for pid in ids]),
                              SQL(sql_types[kind])))
            # no value: the key is removed (a JSON null cannot be read as a number)
            # (an object left empty becomes NULL: no entry in the column's IS NOT NULL index)
            sets.append(SQL(
                "%(col)s = CASE WHEN v.%(col)s IS NULL"
                " THEN NULLIF(COALESCE(p.%(col)s, '{}'::jsonb) - %(cid)s, '{}'::jsonb)"
                " ELSE COALESCE(p.%(col)s, '{}'::jsonb) || jsonb_build_object(%(cid)s, v.%(col)s)"
                " END",
                col=SQL.identifier(col), cid=cid))
        self.env.cr.execute(SQL(
            """UPDATE res_partner p SET %(sets)s
                 FROM unnest(%(ids)s::int4[], %(arrays)s) AS v(id, %(names)s)
                WHERE p.id = v.id""",
            sets=SQL(", ").join(sets), ids=pg_array(ids), arrays=SQL(", ").join(arrays),
            names=SQL(", ").join(SQL.identifier(col) for col in SCORING_COLUMNS)))

    @api.model
    def _apply_events(self, company, tiers, events, stats):
        """Tier changes and new candidates through the ORM (history, chatter),
        an activity for the KAM of each changed account, one activity for a
        director to review the new candidates."""
        Partner = self.env["res.partner"].with_company(company)
        Activity = self.env["mail.activity"].with_company(company)
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        partner_model = self.env["ir.model"]._get_id("res.partner")
        tier_by_id = {tier.id: tier for tier in tiers}
        activity_vals = []
        for target, changes in events["tier"].items():
            accounts = Partner.browse([pid for pid, _old, _direction in changes])
            accounts._kam_with_change("score").write({"kam_tier_id": target})
            stats["tier_changes"] += len(accounts)
            for account, (_pid, old_tier, direction) in zip(accounts, changes, strict=True):
                kam = account.kam_manager_id
                if not kam:
                    continue
                # the KAM reads the activity: in the KAM's language
                env = reader_env(self.env, kam, company._kam_tz())
                old_name = (tier_by_id.get(old_tier) or self.env["kam.tier"].browse(old_tier)
                            ).with_env(env).display_name if old_tier else "-"
                new_name = tier_by_id[target].with_env(env).display_name
                summary = (env._("Tier upgraded: %(old)s → %(new)s", old=old_name, new=new_name)
                           if direction == "upgrade" else
                           env._("Tier downgraded: %(old)s → %(new)s", old=old_name,
                                 new=new_name))
                activity_vals.append({
                    "res_model_id": partner_model, "res_id": account.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": kam.id, "summary": summary,
                    "note": env._(
                        "The score of %(account)s changed its key account tier. Review the "
                        "service level, visit cadence and prices with the customer.",
                        account=account.display_name),
                })
        if events["candidates"]:
            candidates = Partner.browse([pid for _score, pid in sorted(
                events["candidates"], key=lambda item: (-item[0], item[1]))])
            candidates._kam_with_change("score").write({"kam_state": "candidate"})
            stats["candidates"] += len(candidates)
            director = self._get_review_director(company)
            if director:
                env = reader_env(self.env, director, company._kam_tz())
                shown = candidates[:50]
                items = Markup("").join(
                    Markup("<li>%s</li>") % escape(c.display_name) for c in shown)
                more = len(candidates) - len(shown)
                activity_vals.append({
                    "res_model_id": partner_model, "res_id": candidates[0].id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": director.id,
                    "summary": env._("Review %(count)s new key account candidates",
                                     count=len(candidates)),
                    "note": Markup("<p>%s</p><ul>%s</ul>%s") % (
                        env._("These customers now qualify for a key account tier "
                              "(Key Accounts > Candidates):"),
                        items,
                        Markup("<p>%s</p>") % env._("and %(count)s more", count=more)
                        if more else ""),
                })
        self._log_lifecycle_changes(company, events["lifecycle"], stats)
        # tier changes, candidates and churn signals: automated activities shown in the
        # assignees' activities, without one notification mail each (a nightly run may
        # raise many at once; the directors' weekly digest sums them up)
        activity_vals += self._signal_activity_vals(company, events["signals"], activity_type)
        if activity_vals:
            Activity.with_context(mail_activity_quick_update=True).create(
                [dict(vals, automated=True) for vals in activity_vals])
            stats["activities"] += len(activity_vals)

    @api.model
    def _get_review_director(self, company):
        """The director who reviews new candidates: a Key Account Director of
        the company, preferring a real director over the administrator."""
        group = self.env.ref("key_account_management.key_account_management_group_director")
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        directors = group.all_user_ids.filtered(
            lambda u: u.active and not u.share and company in u.company_ids)
        return directors.sorted(lambda u: (u == admin, u.id))[:1]
