import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

from .kam_reader import reader_env
from .kam_scoring import IDX_ALERTS, IDX_LIFECYCLE, IDX_SIGNAL_DETAILS
from .kam_stakeholder import INFLUENCE_WEIGHTS

# the health components: code, weight field on res.company
HEALTH_COMPONENTS = (
    ("revenue", "kam_health_weight_revenue"),
    ("recency", "kam_health_weight_recency"),
    ("receivables", "kam_health_weight_receivables"),
    ("visits", "kam_health_weight_visits"),
    ("decision_unit", "kam_health_weight_decision_unit"),
    ("service", "kam_health_weight_service"),
)
# the churn signals, in display order (field kam_signal_<code> on res.partner)
CHURN_SIGNALS = (
    "no_order", "revenue_drop", "overdue", "decision_unit", "sla", "satisfaction", "visits",
)
# days of overdue receivables at which the receivables component gives no points
RECEIVABLES_ZERO_DAYS = 90
# days looked back for green-channel figures and stakeholder departures
RECENT_DAYS = 90
# lifecycle: growth (%) from which a mature account counts as growing
GROWING_PCT = 10.0


def _clamp(value):
    return min(max(value, 0.0), 1.0)


class KamScoring(models.AbstractModel):
    """Account health (0-100), churn signals and lifecycle stages of the key
    accounts, computed inside the nightly engine (``kam.scoring``).

    Inputs are read per company in one query each, for the key accounts only
    (``_read_health_inputs``); the per-account computation is pure Python
    (``_compute_account_health``). What is stored is language-neutral (codes
    and figures in JSON); ``res.partner`` renders the reasons in the reader's
    language.
    """

    _inherit = "kam.scoring"

    # ---- Inputs ----
    @api.model
    def _read_health_inputs(self, company, tiers, current, today):
        """The health inputs (:meth:`_read_account_health_inputs`) of the key
        accounts of ``current`` (what ``_read_current_values`` returned)."""
        return self._read_account_health_inputs(company, tiers, sorted(
            pid for pid, cur in current.items() if cur["state"] != "none" and cur["is_company"]),
            today)

    @api.model
    def _read_account_health_inputs(self, company, tiers, ids, today):
        """``{"receivables": {pid: (overdue, oldest_due, invoices)},
        "visits": {pid: (last_done, [recent done dates])},
        "stakeholders": {pid: [rows]}, "service": {pid: {...}},
        "previous": {pid: health score of last month's snapshot}}`` for the
        key accounts ``ids`` (a constant number of queries)."""
        inputs = {"receivables": {}, "visits": {}, "stakeholders": {}, "service": {},
                  "previous": {}}
        if not ids:
            return inputs
        cr = self.env.cr
        # overdue receivables: posted customer invoices past due, open residual
        self.env["account.move"].flush_model([
            "state", "move_type", "company_id", "commercial_partner_id", "invoice_date_due",
            "amount_residual_signed", "payment_state", "invoice_date"])
        cr.execute(SQL(
            """SELECT am.commercial_partner_id,
                      COALESCE(SUM(am.amount_residual_signed) FILTER (WHERE %(overdue)s), 0),
                      MIN(am.invoice_date_due) FILTER (WHERE %(overdue)s),
                      COUNT(*)
                 FROM account_move am
                WHERE am.state = 'posted' AND am.move_type = 'out_invoice'
                  AND am.company_id = %(company)s
                  AND am.commercial_partner_id = ANY(%(ids)s)
                  AND (am.invoice_date >= %(since)s OR am.amount_residual_signed > 0)
             GROUP BY am.commercial_partner_id""",
            overdue=SQL("am.invoice_date_due < %s AND am.amount_residual_signed > 0 AND "
                        "am.payment_state NOT IN ('paid', 'in_payment', 'reversed')", today),
            company=company.id, ids=ids, since=today - relativedelta(years=2)))
        inputs["receivables"] = {row[0]: row[1:] for row in cr.fetchall()}
        # done visits: the last one, and those of the last two periods of the longest cadence
        longest = max([t.visit_interval_days for t in tiers] or [0])
        self.env["kam.visit"].flush_model(["state", "company_id", "partner_id", "visit_date"])
        cr.execute(SQL(
            """SELECT v.partner_id, MAX(v.visit_date),
                      ARRAY_AGG(v.visit_date) FILTER (WHERE v.visit_date >= %(since)s)
                 FROM kam_visit v
                WHERE v.state = 'done' AND v.company_id = %(company)s
                  AND v.partner_id = ANY(%(ids)s) AND v.visit_date <= %(today)s
             GROUP BY v.partner_id""",
            since=today - timedelta(days=2 * longest), company=company.id, ids=ids,
            today=today))
        inputs["visits"] = {row[0]: (row[1], row[2] or []) for row in cr.fetchall()}
        # decision unit: active stakeholders, and decision makers / coaches
        # archived in the last 90 days
        self.env["kam.stakeholder"].flush_model([
            "partner_id", "company_id", "active", "name", "is_decision_maker", "is_coach",
            "attitude", "attitude_value", "influence"])
        cr.execute(SQL(
            """SELECT s.partner_id, s.active, s.name, s.is_decision_maker, s.is_coach,
                      s.attitude, s.attitude_value, s.influence, s.id
                 FROM kam_stakeholder s
                WHERE s.company_id = %(company)s AND s.partner_id = ANY(%(ids)s)
                  AND (s.active OR ((s.is_decision_maker OR s.is_coach)
                                    AND s.write_date >= %(since)s))
             ORDER BY s.partner_id, s.sequence, s.id""",
            company=company.id, ids=ids, since=today - timedelta(days=RECENT_DAYS)))
        for row in cr.fetchall():
            inputs["stakeholders"].setdefault(row[0], []).append(row[1:])
        inputs["service"] = self._get_service_figures(
            company, ids, today - timedelta(days=RECENT_DAYS), today)
        # last month's snapshot, for the trend
        self.env["kam.account.snapshot"].flush_model(
            ["company_id", "month", "partner_id", "health_score"])
        cr.execute(SQL(
            """SELECT partner_id, health_score FROM kam_account_snapshot
                WHERE company_id = %s AND month = %s AND health_score IS NOT NULL""",
            company.id, today.replace(day=1) - relativedelta(months=1)))
        inputs["previous"] = dict(cr.fetchall())
        return inputs

    @api.model
    def _get_service_figures(self, company, partner_ids, date_from, date_to):
        """Green-channel figures of the accounts over [date_from, date_to]:
        ``{partner_id: {"requests": int, "breaches": int, "satisfaction":
        average rating 1-5 or None}}`` from the service requests
        (``kam.service.request``) filed in that period, in two grouped reads.
        An account without requests has no service component (it is left out
        of its health, never scored 0)."""
        Request = self.env["kam.service.request"].sudo()  # figures only, read by the engine
        domain = Domain.AND([
            [("company_id", "=", company.id), ("partner_id", "in", list(partner_ids)),
             ("state", "!=", "cancelled"),
             ("request_date", ">=", date_from),
             ("request_date", "<", date_to + timedelta(days=1))],
        ])
        result = {}
        for partner, count in Request._read_group(domain, ["partner_id"], ["__count"]):
            result[partner.commercial_partner_id.id] = {
                "requests": count, "breaches": 0, "satisfaction": None}
        for partner, breaches in Request._read_group(
                Domain.AND([domain, [("is_breached", "=", True)]]), ["partner_id"], ["__count"]):
            result[partner.commercial_partner_id.id]["breaches"] = breaches
        for partner, satisfaction in Request._read_group(
                Domain.AND([domain, [("satisfaction", ">", 0)]]), ["partner_id"],
                ["satisfaction:avg"]):
            result[partner.commercial_partner_id.id]["satisfaction"] = satisfaction
        return result

    # ---- Computation ----
    @api.model
    def _health_context(self, company, tiers, today):
        """The settings and constants of a company's health run."""
        return {
            "today": today,
            "today_str": today.isoformat(),
            "period": today.strftime("%Y-%m"),
            "weights": {code: company[fname] or 0 for code, fname in HEALTH_COMPONENTS},
            "red_max": company.kam_health_red_max,
            "yellow_max": company.kam_health_yellow_max,
            "revenue_drop": company.kam_signal_revenue_drop,
            "overdue_days": company.kam_signal_overdue_days,
            "sla_breaches": company.kam_signal_sla_breaches,
            "satisfaction_min": company.kam_signal_satisfaction_min,
            "intervals": {tier.id: tier.visit_interval_days for tier in tiers},
            "year_ago": today - relativedelta(years=1),
        }

    @api.model
    def _compute_account_health(self, pid, cur, stat, growth, inputs, ctx, events):
        """The health values of one key account, in the order of the health
        columns of ``SCORING_COLUMNS`` (score, band, trend, details, the seven
        signals, their count, details and alerts, lifecycle stage and rule);
        appends its new signals and lifecycle change to ``events``."""
        today = ctx["today"]
        registered = cur["state"] == "registered"
        components = []  # (code, factor 0-1, figures)
        signals = {}  # code: figures
        if registered:
            self._health_revenue(stat, growth, ctx, components, signals)
            self._health_recency(stat, today, components, signals)
            self._health_receivables(inputs["receivables"].get(pid), ctx, components, signals)
            self._health_visits(inputs["visits"].get(pid), cur, ctx, components, signals)
            self._health_decision_unit(inputs["stakeholders"].get(pid), components, signals)
            self._health_service(inputs["service"].get(pid), ctx, components, signals)
        weights = ctx["weights"]
        present = [(code, factor, figures) for code, factor, figures in components
                   if weights.get(code)]
        total_weight = sum(weights[code] for code, _f, _fig in present)
        if total_weight:
            details = []
            for code, factor, figures in present:
                maximum = weights[code] * 100 / total_weight
                details.append({"code": code, "points": round(maximum * factor, 1),
                                "max": round(maximum, 1), **figures})
            score = round(sum(item["points"] for item in details), 1)
            band = ("red" if score <= ctx["red_max"]
                    else "yellow" if score <= ctx["yellow_max"] else "green")
            previous = inputs["previous"].get(pid)
            trend = round(score - previous, 1) if previous is not None else None
            details_json = json.dumps(details, sort_keys=True)
        else:
            score = band = trend = details_json = None

        # signals: dated (kept since the day they were raised), one activity
        # per signal and period (month)
        old = cur["values"]
        old_details = json.loads(old[IDX_SIGNAL_DETAILS]) if old[IDX_SIGNAL_DETAILS] else {}
        alerts = json.loads(old[IDX_ALERTS]) if old[IDX_ALERTS] else {}
        signal_details = {}
        for code in CHURN_SIGNALS:
            if code not in signals:
                continue
            since = old_details.get(code, {}).get("since") or ctx["today_str"]
            signal_details[code] = {"since": since, **signals[code]}
            if alerts.get(code) != ctx["period"] and code not in old_details:
                alerts[code] = ctx["period"]
                events["signals"].append((pid, code, signal_details[code], cur["manager_id"]))

        stage, rule = self._lifecycle_stage(cur, stat, growth, signals, ctx)
        if stage != old[IDX_LIFECYCLE]:
            events["lifecycle"].append((pid, old[IDX_LIFECYCLE], stage, rule))
        return (
            score, band, trend, details_json,
            *(code in signals for code in CHURN_SIGNALS), len(signals),
            json.dumps(signal_details, sort_keys=True) if signal_details else None,
            json.dumps(alerts, sort_keys=True) if alerts else None,
            stage, rule,
        )

    @api.model
    def _health_revenue(self, stat, growth, ctx, components, signals):
        """12 months against the 12 before, last 3 months against the same 3 a
        year earlier: full points from +50 %, none at -50 % or below."""
        if not stat or not (stat.revenue_prev > 0 or stat.revenue_3m_last_year > 0):
            return
        figures, factors = {}, []
        if stat.revenue_prev > 0:
            figures["growth"] = round(growth, 1)
            factors.append(_clamp((growth + 50) / 100))
        if stat.revenue_3m_last_year > 0:
            growth_3m = (stat.revenue_3m - stat.revenue_3m_last_year) \
                / stat.revenue_3m_last_year * 100
            figures["growth_3m"] = round(growth_3m, 1)
            factors.append(_clamp((growth_3m + 50) / 100))
        components.append(("revenue", sum(factors) / len(factors), figures))
        if stat.revenue_prev > 0 and growth < -ctx["revenue_drop"]:
            signals["revenue_drop"] = {"growth": round(growth, 1), "limit": ctx["revenue_drop"]}

    @api.model
    def _health_recency(self, stat, today, components, signals):
        """Days since the last order against the account's usual interval
        between orders (24 months): full points within it, none at three times
        it. Needs two orders."""
        if not stat or stat.count_24m < 2 or not stat.last_date:
            return
        interval = max((stat.last_date - stat.first_date).days / (stat.count_24m - 1), 1.0)
        days = (today - stat.last_date).days
        factor = 1.0 if days <= interval else _clamp(1 - (days - interval) / (2 * interval))
        figures = {"days": days, "interval": round(interval)}
        components.append(("recency", factor, figures))
        if days > 2 * interval:
            signals["no_order"] = dict(figures, last=stat.last_date.isoformat())

    @api.model
    def _health_receivables(self, receivables, ctx, components, signals):
        """Overdue receivables: full points without any, none from 90 days
        overdue. Accounts without invoices have no receivables component."""
        if not receivables or not receivables[2]:
            return
        amount, oldest_due, _count = receivables
        if not oldest_due or amount <= 0:
            components.append(("receivables", 1.0, {"days": 0, "amount": 0.0}))
            return
        days = (ctx["today"] - oldest_due).days
        figures = {"days": days, "amount": round(amount, 2)}
        components.append(("receivables", _clamp(1 - days / RECEIVABLES_ZERO_DAYS), figures))
        if days > ctx["overdue_days"]:
            signals["overdue"] = dict(figures, limit=ctx["overdue_days"])

    @api.model
    def _health_visits(self, visits, cur, ctx, components, signals):
        """Done visits of the last two periods of the tier's cadence against the
        two it asks for. Signal: no done visit for two periods (a never visited
        account scores 0 here but raises no signal: it has no period yet)."""
        interval = ctx["intervals"].get(cur["tier_id"]) or 0
        if interval <= 0:
            return
        last, recent = visits or (None, [])
        since = ctx["today"] - timedelta(days=2 * interval)
        done = sum(1 for day in recent if day >= since)
        figures = {"done": done, "interval": interval,
                   "last": last.isoformat() if last else None}
        components.append(("visits", min(done / 2, 1.0), figures))
        if last and last < since:
            signals["visits"] = dict(figures, days=(ctx["today"] - last).days)

    @api.model
    def _health_decision_unit(self, rows, components, signals):
        """Support index (-10..+5) and red flags (no decision maker, no coach,
        decision maker not won, influential opponent): half the points each.
        Signal: a decision maker or coach archived in the last 90 days, or
        against us now."""
        rows = rows or []
        active = [row for row in rows if row[0]]
        if active:
            weights = [(INFLUENCE_WEIGHTS[row[6]], row[5]) for row in active if row[4]]
            total = sum(weight for weight, _value in weights)
            support = round(sum(w * v for w, v in weights) / total, 1) if total else 0.0
            flags = sum((
                not any(row[2] for row in active),
                not any(row[3] for row in active),
                any(row[2] and row[5] <= 0 for row in active),
                any(row[6] == "high" and row[4] and row[5] <= -3 for row in active),
            ))
            factor = 0.5 * _clamp((support + 5) / 10) + 0.5 * (1 - flags / 4)
            components.append(("decision_unit", factor, {"support": support, "flags": flags}))
        # the stakeholders' ids and roles, never their names: the signal is read by every
        # sales user who reads the account, the stakeholders by its team and directors only
        # (res.partner._kam_signal_text names them to the readers who may read them)
        gone = [row for row in rows if not row[0]]
        negative = [row for row in active if (row[2] or row[3]) and row[4] and row[5] < 0]
        if gone or negative:
            signals["decision_unit"] = {
                key: {"ids": sorted(row[7] for row in group),
                      "decision_makers": sum(1 for row in group if row[2]),
                      "coaches": sum(1 for row in group if row[3] and not row[2])}
                for key, group in (("gone", gone), ("negative", negative)) if group}

    @api.model
    def _health_service(self, service, ctx, components, signals):
        """Green channel of the last 90 days: SLA breaches (none: full half,
        three or more: nothing) and satisfaction (1-5)."""
        if not service or not service.get("requests"):
            return
        breaches = service.get("breaches") or 0
        satisfaction = service.get("satisfaction")
        factors = [1 - min(breaches / 3, 1.0)]
        if satisfaction:
            factors.append(_clamp((satisfaction - 1) / 4))
        figures = {"requests": service["requests"], "breaches": breaches,
                   "satisfaction": round(satisfaction, 1) if satisfaction else None}
        components.append(("service", sum(factors) / len(factors), figures))
        if breaches >= ctx["sla_breaches"]:
            signals["sla"] = {"breaches": breaches, "limit": ctx["sla_breaches"]}
        if satisfaction and satisfaction < ctx["satisfaction_min"]:
            signals["satisfaction"] = {"satisfaction": round(satisfaction, 1),
                                       "limit": ctx["satisfaction_min"]}

    @api.model
    def _lifecycle_stage(self, cur, stat, growth, signals, ctx):  # noqa: PLR0911
        """``(stage, rule code)``. A stage set by a director stays (the rule
        is then ``manual``) until a director gives it back to the engine."""
        old = cur["values"]
        if cur["lifecycle_manual"]:
            return old[IDX_LIFECYCLE], old[IDX_LIFECYCLE + 1]
        state = cur["state"]
        if state == "lost":
            return "lost", "state_lost"
        if state != "registered":
            return "potential", "not_registered"
        revenue = stat.revenue if stat else 0.0
        if revenue <= 0 and stat and stat.revenue_prev > 0:
            return "lost", "no_revenue_12m"
        if signals:
            return "at_risk", "signals"
        if not stat or not stat.first_date or stat.first_date > ctx["year_ago"]:
            return "developing", "tenure"
        if growth >= GROWING_PCT:
            return "growing", "growth"
        return "mature", "stable"

    # ---- Events ----
    @api.model
    def _signal_activity_vals(self, company, signal_events, activity_type):
        """One activity for the KAM per new signal (the alerts column keeps
        the period, so that a signal gives one activity per month at most)."""
        if not signal_events:
            return []
        Partner = self.env["res.partner"].with_company(company)
        partner_model = self.env["ir.model"]._get_id("res.partner")
        names = dict(Partner.browse({e[0] for e in signal_events}).mapped(
            lambda p: (p.id, p.display_name)))
        managers = self.env["res.users"].browse({e[3] for e in signal_events if e[3]})
        # each KAM reads the activity in the KAM's own language
        envs = {user.id: reader_env(self.env, user, company._kam_tz()) for user in managers}
        vals = []
        for pid, code, figures, manager_id in signal_events:
            if not manager_id:
                continue
            env = envs[manager_id]
            vals.append({
                "res_model_id": partner_model, "res_id": pid,
                "activity_type_id": activity_type.id if activity_type else False,
                "user_id": manager_id, "automated": True,
                "summary": env._("Churn signal: %(account)s", account=names.get(pid)),
                # an activity is read by whoever reads the account: no stakeholder names
                "note": Partner.with_env(env).with_company(company)._kam_signal_text(
                    code, figures, names=False),
            })
        return vals

    @api.model
    def _log_lifecycle_changes(self, company, changes, stats):
        """Lifecycle changes made by the engine, in the account's history."""
        if not changes:
            return
        # history rows are written by the engine only (no create right for users)
        self.env["kam.tier.history"].sudo().create([{
            "partner_id": pid, "company_id": company.id, "change_type": "lifecycle",
            "old_lifecycle": old or False, "new_lifecycle": new, "cause": "score",
            # the rule, not its text: the history shows it in the reader's language
            "lifecycle_rule": rule,
            "user_id": self.env.uid,
        } for pid, old, new, rule in changes])
        stats["lifecycle_changes"] += len(changes)

