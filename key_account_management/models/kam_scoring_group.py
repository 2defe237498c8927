import hashlib
import logging
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from .kam_scoring import RETRIED_ERRORS
from .kam_service_request import OPEN_STATES
from .res_partner_group import GROUP_ROLLUP_FIELDS

_logger = logging.getLogger(__name__)

# the roll-up columns, in the order of GROUP_ROLLUP_FIELDS, with the SQL type of their value
GROUP_ROLLUP_TYPES = {
    "kam_group_member_count": "int8", "kam_group_buying_count": "int8",
    "kam_group_coverage": "numeric", "kam_group_revenue_children_12m": "numeric",
    "kam_group_revenue_12m": "numeric", "kam_group_revenue_prev_children_12m": "numeric",
    "kam_group_revenue_prev_12m": "numeric", "kam_group_order_count": "int8",
    "kam_group_growth_rate": "numeric", "kam_group_revenue_share": "numeric",
    "kam_group_open_requests": "int8", "kam_group_breached_requests": "int8",
    "kam_group_worst_health": "numeric", "kam_group_worst_member_id": "int4",
}
assert tuple(GROUP_ROLLUP_TYPES) == GROUP_ROLLUP_FIELDS


class KamScoring(models.AbstractModel):
    """Roll-ups of group customers (集团客户, issue 22) in the engine's pass.

    After the accounts' own figures of a company are written, ONE statement
    walks the company's group hierarchy (``kam_group_parent_id``, a recursive
    query: any depth, a loop written behind the constraints' back stops at the
    first repeated account), sums the members' stored figures per group
    account (own / members / total revenue of both windows, orders, growth,
    share of the company's revenue, buying members and coverage, open and
    breached service requests, the weakest health and its account) and updates
    only the accounts whose roll-ups changed (and clears those of an account
    left without members): a run where nothing changed writes nothing.
    """

    _inherit = "kam.scoring"

    @api.model
    def _recompute_company(self, company, partners=None, today=None, commit=False, stats=None):
        stats = stats if stats is not None else defaultdict(int)
        unchanged = stats.get("unchanged", 0)
        done = super()._recompute_company(
            company, partners=partners, today=today, commit=commit, stats=stats)
        # a run stopped by the digest (nothing changed) has nothing to roll up either
        if done and stats.get("unchanged", 0) == unchanged:
            try:
                with self.env.cr.savepoint():
                    written = self._recompute_group_rollups(company)
            except RETRIED_ERRORS:
                raise
            except Exception as error:  # the accounts' own figures are written: go on
                _logger.warning("Key account group roll-ups of %s skipped: %s", company.name,
                                error, exc_info=True)
                stats["group_failed"] += 1
                self._set_stored_digest(company, None)  # the next run tries again
            else:
                stats["group_written"] += written
                if written:
                    stats["written"] += written
        return done

    @api.model
    def _get_inputs_digest(self, company, tiers, today, health_inputs, revenue=None):
        """The engine's digest with the open service requests of the company (their
        state and breach: the groups' open and breached requests; the hierarchy itself is
        one of the digested partner columns): one query more."""
        res = super()._get_inputs_digest(company, tiers, today, health_inputs, revenue=revenue)
        self.env["kam.service.request"].flush_model(
            ["partner_id", "company_id", "state", "is_breached"])
        self.env.cr.execute(SQL(
            """SELECT md5(string_agg(concat_ws('|', r.id, r.partner_id, r.state, r.is_breached),
                                     ',' ORDER BY r.id))
                 FROM kam_service_request r
                WHERE r.company_id = %s AND r.state IN %s""", company.id, OPEN_STATES))
        requests = self.env.cr.fetchone()[0] or ""
        res["digest"] = hashlib.md5(f"{res['digest']}:{requests}".encode()).hexdigest()
        return res

    @api.model
    def _group_revenue_totals(self, company, revenue):
        """The 12-month revenue of each group account's whole group (its own and its
        members' at every level, rounded as the engine stores them), from the run's
        ``revenue``: one query for the hierarchy (the members below each account)."""
        self.env["res.partner"].flush_model(["kam_group_parent_id"])
        cid = str(company.id)
        self.env.cr.execute(SQL(
            """WITH RECURSIVE edges AS (
                   SELECT p.id AS child, (p.kam_group_parent_id->>%(cid)s)::int4 AS parent
                     FROM res_partner p
                    WHERE p.kam_group_parent_id->>%(cid)s IS NOT NULL
               ), tree(ancestor, node, path) AS (
                   SELECT parent, child, ARRAY[parent, child] FROM edges
                    WHERE parent != child
                UNION ALL
                   SELECT t.ancestor, e.child, t.path || e.child
                     FROM tree t JOIN edges e ON e.parent = t.node
                    WHERE NOT e.child = ANY(t.path)
               )
               SELECT DISTINCT ancestor, node FROM tree WHERE ancestor != node""", cid=cid))
        totals = {}
        for ancestor, node in self.env.cr.fetchall():
            if ancestor not in totals:
                own = revenue.get(ancestor)
                totals[ancestor] = round(own.revenue, 2) if own else 0.0
            stat = revenue.get(node)
            if stat:
                totals[ancestor] += round(stat.revenue, 2)
        return {pid: round(total, 2) for pid, total in totals.items()}

    @api.model
    def _group_rollup_query(self, company):
        """SQL of the rows ``(id, <GROUP_ROLLUP_FIELDS>)``: the new roll-ups of every
        group account of ``company`` (an account with at least one member), and a row of
        NULLs for each account that still carries roll-ups but has no member any more."""
        cid = str(company.id)
        return SQL(
            """WITH RECURSIVE edges AS (
                   SELECT p.id AS child, g.id AS parent
                     FROM res_partner p
                     JOIN res_partner g ON g.id = (p.kam_group_parent_id->>%(cid)s)::int4
                    WHERE p.kam_group_parent_id->>%(cid)s IS NOT NULL AND g.id != p.id
               ), tree(ancestor, node, path) AS (
                   SELECT parent, child, ARRAY[parent, child] FROM edges
                UNION ALL
                   SELECT t.ancestor, e.child, t.path || e.child
                     FROM tree t JOIN edges e ON e.parent = t.node
                    WHERE NOT e.child = ANY(t.path)
               ), links AS (
                   SELECT DISTINCT ancestor, node FROM tree WHERE ancestor != node
               ), nodes AS (
                   SELECT ancestor AS id FROM links UNION SELECT node FROM links
               ), requests AS (
                   SELECT rp.commercial_partner_id AS pid,
                          COUNT(*) AS open,
                          COUNT(*) FILTER (WHERE r.is_breached) AS breached
                     FROM kam_service_request r
                     JOIN res_partner rp ON rp.id = r.partner_id
                    WHERE r.company_id = %(company)s AND r.state IN %(open_states)s
                 GROUP BY 1
               ), figures AS (
                   SELECT p.id,
                          COALESCE((p.kam_revenue_12m->>%(cid)s)::numeric, 0) AS rev,
                          COALESCE((p.kam_revenue_prev_12m->>%(cid)s)::numeric, 0) AS prev,
                          COALESCE((p.kam_order_count->>%(cid)s)::int8, 0) AS orders,
                          (p.kam_health_score->>%(cid)s)::numeric AS health,
                          COALESCE(rq.open, 0) AS open, COALESCE(rq.breached, 0) AS breached
                     FROM nodes n
                     JOIN res_partner p ON p.id = n.id
                LEFT JOIN requests rq ON rq.pid = p.id
               ), company_total AS (
                   SELECT COALESCE(SUM((p.kam_revenue_12m->>%(cid)s)::numeric)
                                   FILTER (WHERE (p.kam_revenue_12m->>%(cid)s)::numeric > 0),
                                   0) AS amount
                     FROM res_partner p
                    WHERE p.kam_revenue_12m->>%(cid)s IS NOT NULL
               ), agg AS (
                   SELECT l.ancestor AS id, COUNT(*) AS members,
                          COUNT(*) FILTER (WHERE f.rev > 0) AS buying,
                          SUM(f.rev) AS rev, SUM(f.prev) AS prev, SUM(f.orders) AS orders,
                          SUM(f.open) AS open, SUM(f.breached) AS breached
                     FROM links l JOIN figures f ON f.id = l.node
                 GROUP BY l.ancestor
               ), worst AS (
                   SELECT DISTINCT ON (g.id) g.id, f.id AS member, f.health
                     FROM (SELECT ancestor AS id, node FROM links
                           UNION SELECT ancestor, ancestor FROM links) g
                     JOIN figures f ON f.id = g.node
                    WHERE f.health IS NOT NULL
                 ORDER BY g.id, f.health, f.id
               ), rollups AS (
                   SELECT a.id, a.members, a.buying,
                          round(a.buying * 100.0 / a.members, 2) AS coverage,
                          a.rev AS rev_children, o.rev + a.rev AS rev_total,
                          a.prev AS prev_children, o.prev + a.prev AS prev_total,
                          o.orders + a.orders AS orders,
                          CASE WHEN o.prev + a.prev > 0
                               THEN round((o.rev + a.rev - o.prev - a.prev) * 100.0
                                          / (o.prev + a.prev), 2)
                               WHEN o.rev + a.rev > 0 THEN 100.0 ELSE 0.0 END AS growth,
                          CASE WHEN ct.amount > 0 AND o.rev + a.rev > 0
                               THEN round((o.rev + a.rev) * 100.0 / ct.amount, 2)
                               ELSE 0.0 END AS share,
                          o.open + a.open AS open, o.breached + a.breached AS breached,
                          w.health AS worst_health, w.member AS worst_member
                     FROM agg a
                     JOIN figures o ON o.id = a.id
                LEFT JOIN worst w ON w.id = a.id
               CROSS JOIN company_total ct
               )
               SELECT * FROM rollups
               UNION ALL
               SELECT p.id, NULL::int8, NULL::int8, NULL::numeric, NULL::numeric,
                      NULL::numeric, NULL::numeric, NULL::numeric, NULL::int8, NULL::numeric,
                      NULL::numeric, NULL::int8, NULL::int8, NULL::numeric, NULL::int4
                 FROM res_partner p
                WHERE p.kam_group_member_count->>%(cid)s IS NOT NULL
                  AND p.id NOT IN (SELECT id FROM rollups)""",
            cid=cid, company=company.id, open_states=OPEN_STATES)

    @api.model
    def _recompute_group_rollups(self, company):
        """Write the roll-ups of ``company``'s group accounts that changed (one UPDATE);
        return the number of accounts written."""
        Partner = self.env["res.partner"]
        Partner.flush_model([
            "kam_group_parent_id", "kam_revenue_12m", "kam_revenue_prev_12m", "kam_order_count",
            "kam_health_score", "commercial_partner_id", *GROUP_ROLLUP_FIELDS])
        self.env["kam.service.request"].flush_model(
            ["partner_id", "company_id", "state", "is_breached"])
        cid = str(company.id)
        names = SQL(", ").join(SQL.identifier(col) for col in GROUP_ROLLUP_FIELDS)
        sets = SQL(", ").join(SQL(
            "%(col)s = CASE WHEN v.%(col)s IS NULL"
            " THEN NULLIF(COALESCE(p.%(col)s, '{}'::jsonb) - %(cid)s, '{}'::jsonb)"
            " ELSE COALESCE(p.%(col)s, '{}'::jsonb) || jsonb_build_object(%(cid)s, v.%(col)s)"
            " END", col=SQL.identifier(col), cid=cid) for col in GROUP_ROLLUP_FIELDS)
        old = SQL(", ").join(SQL("p.%s->%s", SQL.identifier(col), cid)
                             for col in GROUP_ROLLUP_FIELDS)
        new = SQL(", ").join(SQL("to_jsonb(v.%s)", SQL.identifier(col))
                             for col in GROUP_ROLLUP_FIELDS)
        self.env.cr.execute(SQL(
            """UPDATE res_partner p SET %(sets)s
                 FROM (%(query)s) AS v(id, %(names)s)
                WHERE p.id = v.id AND ROW(%(old)s) IS DISTINCT FROM ROW(%(new)s)""",
            sets=sets, query=self._group_rollup_query(company), names=names, old=old, new=new))
        written = self.env.cr.rowcount
        if written:
            Partner.invalidate_model(list(GROUP_ROLLUP_FIELDS))
        return written
