import logging
from collections import defaultdict
from decimal import Decimal

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .ir_cron import kam_retry_on_conflict
from .kam_flow_mixin import kam_trusted
from .kam_scoring import pg_array
from .res_company_relationship import RELATIONSHIP_KINDS

_logger = logging.getLogger(__name__)

# the threads of an account on which a message counts as a touch (the account or its
# contacts, its orders, its opportunities, its service requests)
MESSAGE_MODELS = ("res.partner", "sale.order", "crm.lead", "kam.service.request")
# the model each kind of touch lists in the drill-down
KIND_MODELS = {
    "message": "mail.message",
    "meeting": "calendar.event",
    "visit": "kam.visit",
    "request": "kam.service.request",
}
# the fields of a relationship the nightly job writes, compared before a write
RELATIONSHIP_VALUES = (
    "partner_id", "stakeholder_id", "strength", "last_touch_date", "message_count",
    "meeting_count", "visit_count", "request_count", "is_strongest",
)
# their types in the batched writes of the nightly job
RELATIONSHIP_SQL_TYPES = {
    "partner_id": "int4[]", "stakeholder_id": "int4[]", "strength": "float8[]",
    "last_touch_date": "date[]", "message_count": "int4[]", "meeting_count": "int4[]",
    "visit_count": "int4[]", "request_count": "int4[]", "is_strongest": "bool[]",
}
# pairs per batched UPDATE or INSERT of the nightly job
WRITE_BATCH = 20000


class KamRelationship(models.Model):
    """How well one of our users knows one contact of a customer (关系强度), in one
    company: computed every night from the touches Odoo holds (see
    :meth:`_kam_source_sql`), each kind weighted and fading with the company's
    half-life (Settings):

        strength = sum over the touches of weight(kind) * 0.5 ** (age in days / half-life)

    Written by its nightly job only (``_kam_flow_fields``: every field; nobody
    creates, writes or deletes a relationship over any path, the API with any context
    included). Private: the account's team and the directors read the relationships
    of the account's contacts, a user their own (record rules).
    """

    _name = "kam.relationship"
    _description = "Relationship Strength"
    _inherit = ["kam.flow.mixin"]
    _order = "strength desc, id"
    _rec_name = "contact_id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users", string="Colleague", required=True, index=True, ondelete="cascade",
        readonly=True, help="The one of us who knows the contact.")
    contact_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade",
        readonly=True, help="The customer's person.")
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade",
        readonly=True, help="The company of the contact (key account or prospect).")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    stakeholder_id = fields.Many2one(
        "kam.stakeholder", index="btree_not_null", ondelete="set null", readonly=True,
        help="The contact's place in the account's decision unit, if they have one.")
    is_decision_maker = fields.Boolean(related="stakeholder_id.is_decision_maker", store=True,
                                       string="Decision Maker")
    is_coach = fields.Boolean(related="stakeholder_id.is_coach", store=True, string="Coach")
    strength = fields.Float(
        string="Relationship Strength", digits=(16, 2), readonly=True, aggregator="max",
        help="Sum of the touches, each weighted by its kind and halved every half-life "
             "(Settings).")
    is_strong = fields.Boolean(
        string="Strong Link", compute="_compute_is_strong", store=True,
        help="The strength reaches the company's strong-link threshold (Settings).")
    is_strongest = fields.Boolean(
        string="Strongest Link", readonly=True,
        help="Nobody of us has a stronger relationship with this contact.")
    last_touch_date = fields.Date(string="Last Touch", readonly=True)
    message_count = fields.Integer(string="Messages", readonly=True)
    meeting_count = fields.Integer(string="Meetings", readonly=True)
    visit_count = fields.Integer(string="Visits", readonly=True)
    request_count = fields.Integer(string="Service Requests", readonly=True)

    _kam_flow_fields = (
        "user_id", "contact_id", "partner_id", "company_id", "stakeholder_id", "strength",
        "is_strongest", "last_touch_date", "message_count", "meeting_count", "visit_count",
        "request_count",
    )

    _user_contact_company_uniq = models.Constraint(
        "UNIQUE(user_id, contact_id, company_id)",
        "A colleague has one relationship with a contact per company.",
    )

    # ---- Compute ----
    @api.depends("strength", "company_id.kam_rel_strong_min")
    def _compute_is_strong(self):
        for relationship in self:
            threshold = relationship.company_id.kam_rel_strong_min
            relationship.is_strong = relationship.strength > 0 \
                and relationship.strength >= threshold

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_job()
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_job()
        return super().write(vals)

    def unlink(self):
        self._kam_check_job()
        return super().unlink()

    def _kam_check_job(self):
        """Relationships are the nightly job's: refused to everyone else, on every path."""
        if not kam_trusted(self.env):
            raise AccessError(self.env._(
                "Relationship Strength: relationships are computed every night from the "
                "messages, meetings, visits and service requests; they cannot be created, "
                "changed or deleted by hand, over the API neither."))

    # ---- Actions (drill-down) ----
    def action_open_messages(self):
        return self._kam_open_events("message")

    def action_open_meetings(self):
        return self._kam_open_events("meeting")

    def action_open_visits(self):
        return self._kam_open_events("visit")

    def action_open_requests(self):
        return self._kam_open_events("request")

    def _kam_open_events(self, kind):
        """The touches of ``kind`` behind this relationship, as a list the reader's
        own rights then filter (a message, meeting, visit or request they may not read
        stays hidden)."""
        self.ensure_one()
        self.check_access("read")
        model = KIND_MODELS[kind]
        # only what the reader may read of them (their own rules), not even the ids
        ids = self.env[model].search([("id", "in", self._kam_event_ids(kind))]).ids
        labels = dict(self._kam_kind_labels())
        name = self.env._("%(kind)s: %(colleague)s and %(contact)s", kind=labels[kind],
                          colleague=self.user_id.name, contact=self.contact_id.name)
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", ids)],
            "context": {"create": False},
        }

    # ---- Business ----
    @api.model
    def _kam_kind_labels(self):
        return [
            ("message", self.env._("Messages")),
            ("meeting", self.env._("Meetings")),
            ("visit", self.env._("Visits")),
            ("request", self.env._("Service Requests")),
        ]

    def _kam_event_ids(self, kind):
        """Ids of the touches of ``kind`` behind this relationship (same query as the
        nightly job, for this pair)."""
        self.ensure_one()
        self._kam_flush_sources()
        self.env.cr.execute(SQL(
            """SELECT DISTINCT ev.event_id FROM (%s) ev
                WHERE ev.user_id = %s AND ev.contact_id = %s AND ev.company_id = %s
             ORDER BY 1""",
            self._kam_source_sql(kind), self.user_id.id, self.contact_id.id,
            self.company_id.id))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _kam_source_sql(self, kind):
        """The touches of one kind, one row per (user, contact, company, event, day).

        * message: a message (email or comment, not an internal note) on a thread
          of the contact's account: the account itself or one of its contacts, its
          sales orders, its opportunities, its service requests. It touches a user
          and a contact when the user wrote it to the contact (the contact among
          its recipients), or when the contact wrote it on a thread the user
          follows or handles (the salesperson of the order or opportunity, the
          assignee of the request).
        * meeting: a past calendar meeting (active, not a visit's: visits count as
          visits) where the contact is an attendee who did not decline, and the
          user is the organiser or an attendee who did not decline.
        * visit: a done visit where the contact was met (stakeholders met), for its
          KAM and its colleagues.
        * request: a service request (not cancelled) raised by the contact, for the
          user it is assigned to and the one who completed it.

        A touch counts in the company of its document; the threads of a contact or
        an account and meetings have none: they count in each company of the user.
        Its day is ``day`` (a visit's, an all-day meeting's) or the company's day of
        the moment ``at`` (UTC), like every date of the addon.
        """
        if kind == "visit":
            return SQL("""
                SELECT DISTINCT vu.user_id, s.contact_id, v.company_id, v.id AS event_id,
                       NULL::timestamp AS at, v.visit_date AS day
                  FROM kam_visit v
                  JOIN kam_visit_stakeholder_rel r ON r.visit_id = v.id
                  JOIN kam_stakeholder s ON s.id = r.stakeholder_id
                  JOIN (SELECT id AS visit_id, user_id FROM kam_visit
                        UNION SELECT visit_id, user_id FROM kam_visit_colleague_rel) vu
                    ON vu.visit_id = v.id
                 WHERE v.state = 'done' AND v.visit_date IS NOT NULL""")
        if kind == "request":
            return SQL("""
                SELECT DISTINCT ru.user_id, r.requester_id AS contact_id, r.company_id,
                       r.id AS event_id, r.request_date AS at, NULL::date AS day
                  FROM kam_service_request r
                 CROSS JOIN LATERAL (VALUES (r.user_id), (r.completed_by_id)) ru(user_id)
                 WHERE r.requester_id IS NOT NULL AND ru.user_id IS NOT NULL
                   AND r.state != 'cancelled'""")
        if kind == "meeting":
            return SQL("""
                WITH meetings AS (
                    SELECT e.id, CASE WHEN e.allday THEN NULL ELSE e.start END AS at,
                           CASE WHEN e.allday THEN e.start_date END AS day
                      FROM calendar_event e
                     WHERE e.active AND e.start <= %(now)s
                       AND e.res_model IS DISTINCT FROM 'kam.visit'
                ), ours AS (
                    SELECT m.id AS event_id, e.user_id
                      FROM meetings m JOIN calendar_event e ON e.id = m.id
                     WHERE e.user_id IS NOT NULL
                     UNION
                    SELECT a.event_id, u.id
                      FROM calendar_attendee a
                      JOIN meetings m ON m.id = a.event_id
                      JOIN res_users u ON u.partner_id = a.partner_id
                     WHERE a.state IS DISTINCT FROM 'declined'
                )
                SELECT DISTINCT o.user_id, a.partner_id AS contact_id, cu.cid AS company_id,
                       m.id AS event_id, m.at, m.day
                  FROM meetings m
                  JOIN ours o ON o.event_id = m.id
                  JOIN calendar_attendee a ON a.event_id = m.id
                                          AND a.state IS DISTINCT FROM 'declined'
                  JOIN res_company_users_rel cu ON cu.user_id = o.user_id""",
                now=fields.Datetime.now())
        assert kind == "message", kind
        return SQL("""
            WITH msg AS MATERIALIZED (
                SELECT m.id, m.author_id, m.model, m.res_id, m.date AS at,
                       COALESCE(rp.commercial_partner_id, sop.commercial_partner_id,
                                lp.commercial_partner_id, sr.partner_id) AS account_id,
                       COALESCE(so.company_id, l.company_id, sr.company_id) AS company_id,
                       COALESCE(so.user_id, l.user_id, sr.user_id) AS handler_id
                  FROM mail_message m
             LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
             LEFT JOIN res_partner rp ON m.model = 'res.partner' AND rp.id = m.res_id
             LEFT JOIN sale_order so ON m.model = 'sale.order' AND so.id = m.res_id
             LEFT JOIN res_partner sop ON sop.id = so.partner_id
             LEFT JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
             LEFT JOIN res_partner lp ON lp.id = l.partner_id
             LEFT JOIN kam_service_request sr ON m.model = 'kam.service.request'
                                             AND sr.id = m.res_id
                 WHERE m.model IN %(models)s AND m.res_id IS NOT NULL
                   AND m.message_type IN ('email', 'comment')
                   AND NOT COALESCE(m.is_internal, FALSE) AND NOT COALESCE(st.internal, FALSE)
                   AND m.author_id IS NOT NULL AND m.date <= %(now)s
            ), theirs AS MATERIALIZED (
                -- written by a contact of the thread's account
                SELECT msg.* FROM msg JOIN res_partner c ON c.id = msg.author_id
                 WHERE c.commercial_partner_id = msg.account_id
            ), touches AS (
                -- the contact wrote on a thread the user handles or follows (the
                -- handler once, a follower once: (model, res_id, partner) is unique)
                SELECT t.id, t.at, t.company_id, t.author_id AS contact_id,
                       t.handler_id AS user_id
                  FROM theirs t WHERE t.handler_id IS NOT NULL
                 UNION ALL
                SELECT t.id, t.at, t.company_id, t.author_id, u.id
                  FROM theirs t
                  JOIN mail_followers f ON f.res_model = t.model AND f.res_id = t.res_id
                  JOIN res_users u ON u.partner_id = f.partner_id
                 WHERE u.id IS DISTINCT FROM t.handler_id
                 UNION ALL
                -- the user wrote to the contact (a recipient once: the relation's key)
                SELECT msg.id, msg.at, msg.company_id, mr.res_partner_id, u.id
                  FROM msg JOIN res_users u ON u.partner_id = msg.author_id
                  JOIN mail_message_res_partner_rel mr ON mr.mail_message_id = msg.id
                  JOIN res_partner c ON c.id = mr.res_partner_id
                 WHERE c.commercial_partner_id = msg.account_id
            )
            -- one row per touch without de-duplication: the branches are disjoint for
            -- the contacts of a customer (the author is the contact in the first two,
            -- one of us in the third)
            SELECT t.user_id, t.contact_id, COALESCE(t.company_id, cu.cid) AS company_id,
                   t.id AS event_id, t.at, NULL::date AS day
              FROM touches t
         LEFT JOIN res_company_users_rel cu ON t.company_id IS NULL AND cu.user_id = t.user_id
             WHERE COALESCE(t.company_id, cu.cid) IS NOT NULL""",
            models=MESSAGE_MODELS, now=fields.Datetime.now())

    @api.model
    def _kam_flush_sources(self):
        for model in ("mail.message", "mail.followers", "calendar.event", "calendar.attendee",
                      "kam.visit", "kam.stakeholder", "kam.service.request", "sale.order",
                      "crm.lead", "res.partner", "res.users"):
            self.env[model].flush_model()

    @api.model
    def _kam_compute_pairs(self, companies):
        """``{(user_id, contact_id, company_id): values}`` of the relationships of
        ``companies``: one aggregate query per kind of touch."""
        params = SQL(", ").join(
            SQL("(%s, %s::date, %s::float8, %s)", company.id, company._kam_today(),
                company.kam_rel_half_life_days or 90, company._kam_tz() or "UTC")
            for company in companies)
        weights = {company.id: {kind: company[fname] for kind, fname in RELATIONSHIP_KINDS}
                   for company in companies}
        self._kam_flush_sources()
        # the planner overestimates the unions of touches by orders of magnitude and would
        # compile each pass (JIT): most of the time of a pass of 100,000 touches; off until
        # the end of this transaction (a cron's batch, the upgrade)
        self.env.cr.execute("SET LOCAL jit = off")
        # and aggregates hundreds of thousands of touches per pass: in memory, not on disk
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        # and, expecting a handful of touches, would read them again for each of our users
        # (a nested loop: 30 passes over 600,000 rows at 30 % of the size): every
        # pass reads whole tables, hash joins only, then back to the session's setting
        self.env.cr.execute("SET LOCAL enable_nestloop = off")
        pairs = {}
        for kind, _fname in RELATIONSHIP_KINDS:
            self.env.cr.execute(SQL(
                """
                SELECT ev.user_id, ev.contact_id, ev.company_id, c.commercial_partner_id,
                       COUNT(*), MAX(ev.day),
                       SUM(power(0.5, GREATEST(p.today - ev.day, 0) / p.half_life))
                  FROM (SELECT src.user_id, src.contact_id, src.company_id, src.event_id,
                               COALESCE(src.day, (src.at AT TIME ZONE 'UTC'
                                                  AT TIME ZONE p.tz)::date) AS day
                          FROM (%(source)s) src
                          JOIN (VALUES %(params)s) p(company_id, today, half_life, tz)
                            ON p.company_id = src.company_id) ev
                  JOIN (VALUES %(params)s) p(company_id, today, half_life, tz)
                    ON p.company_id = ev.company_id
                  JOIN res_users u ON u.id = ev.user_id
                  JOIN res_partner c ON c.id = ev.contact_id
                 WHERE NOT u.share AND u.id != %(superuser)s
                   AND NOT c.is_company AND c.commercial_partner_id != c.id
                   AND ev.day <= p.today
                   -- our own people are not contacts of a customer
                   AND NOT EXISTS (SELECT 1 FROM res_users iu
                                    WHERE iu.partner_id = c.id AND NOT iu.share)
                   AND NOT EXISTS (SELECT 1 FROM res_company rc
                                    WHERE rc.partner_id = c.commercial_partner_id)
              GROUP BY 1, 2, 3, 4
                """, source=self._kam_source_sql(kind), params=params,
                superuser=SUPERUSER_ID))
            for user_id, contact_id, company_id, account_id, count, last, decay \
                    in self.env.cr.fetchall():
                values = pairs.setdefault((user_id, contact_id, company_id), {
                    "partner_id": account_id, "strength": 0.0, "last_touch_date": False,
                    "message_count": 0, "meeting_count": 0, "visit_count": 0,
                    "request_count": 0,
                })
                values[f"{kind}_count"] = count
                values["strength"] += weights[company_id][kind] * decay
                if not values["last_touch_date"] or last > values["last_touch_date"]:
                    values["last_touch_date"] = last
        self.env.cr.execute("RESET enable_nestloop")
        # the stakeholders of the contacts (their place in the decision unit)
        stakeholders = {}
        if pairs:
            self.env.cr.execute(SQL(
                """SELECT s.contact_id, s.company_id, s.id FROM kam_stakeholder s
                    WHERE s.company_id IN %s AND s.active
                 ORDER BY s.id DESC""", tuple(companies.ids)))
            stakeholders = {(contact, company): sid
                            for contact, company, sid in self.env.cr.fetchall()}
        best = defaultdict(float)
        for (_user_id, contact_id, company_id), values in pairs.items():
            values["strength"] = round(values["strength"], 2)
            values["stakeholder_id"] = stakeholders.get((contact_id, company_id), False)
            best[contact_id, company_id] = max(best[contact_id, company_id], values["strength"])
        for (_user_id, contact_id, company_id), values in pairs.items():
            values["is_strongest"] = values["strength"] > 0 \
                and values["strength"] == best[contact_id, company_id]
        return pairs

    @api.model
    def _kam_recompute(self, companies=None):
        """Recompute the relationships of ``companies`` (all): create the new pairs,
        write the changed ones only, delete the pairs left without any touch.
        Returns ``{"created": n, "written": n, "deleted": n}``.

        The existing pairs are read and compared in one query; the changed and the
        new ones are written in batched SQL (:meth:`_kam_write_rows`,
        :meth:`_kam_insert_rows`, the stored ``is_strong``, ``is_decision_maker`` and
        ``is_coach`` computed in the same statements) and the cache invalidated:
        nothing else depends on a relationship's stored fields."""
        if not kam_trusted(self.env):
            raise AccessError(self.env._(
                "Relationship Strength: only the nightly job recomputes the relationships."))
        if companies is None:  # every company, a handful
            companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        stats = {"created": 0, "written": 0, "deleted": 0}
        if not companies:
            return stats
        Relationship = self._kam_flow()
        pairs = self._kam_compute_pairs(companies)
        Relationship.flush_model()
        self.env.cr.execute(SQL(
            """SELECT id, user_id, contact_id, company_id, %(columns)s
                 FROM kam_relationship WHERE company_id IN %(companies)s""",
            columns=SQL(", ").join(SQL.identifier(fname) for fname in RELATIONSHIP_VALUES),
            companies=tuple(companies.ids)))
        to_delete, to_write = [], []
        for row in self.env.cr.fetchall():
            values = pairs.pop(row[1:4], None)
            if values is None:
                to_delete.append(row[0])
            elif any(self._kam_differs(current, values[fname])
                     for fname, current in zip(RELATIONSHIP_VALUES, row[4:], strict=True)):
                to_write.append((row[0], values))
        if to_write:
            Relationship._kam_write_rows(to_write)
            stats["written"] = len(to_write)
        if to_delete:
            Relationship.browse(to_delete).unlink()
            stats["deleted"] = len(to_delete)
        if pairs:
            Relationship._kam_insert_rows(pairs)
            stats["created"] = len(pairs)
        if to_write or pairs:
            Relationship.invalidate_model()
        return stats

    @api.model
    def _kam_differs(self, current, value):
        if isinstance(current, (float, Decimal)) or isinstance(value, float):
            return round(float(current or 0.0) - (value or 0.0), 2) != 0
        return (current or False) != (value or False)

    @api.model
    def _kam_value_arrays(self, rows):
        """The ``unnest`` arrays of the values of ``rows`` (one per field of
        :data:`RELATIONSHIP_VALUES`), with their column names."""
        arrays = SQL(", ").join(
            SQL("%s::%s", pg_array([
                values[fname] if values[fname] is not False or fname == "is_strongest"
                else None for values in rows]),
                SQL(RELATIONSHIP_SQL_TYPES[fname]))
            for fname in RELATIONSHIP_VALUES)
        names = SQL(", ").join(SQL.identifier(fname) for fname in RELATIONSHIP_VALUES)
        return arrays, names

    @api.model
    def _kam_write_rows(self, rows):
        """Write ``[(id, values)]`` in batched ``UPDATE`` statements (the nightly job
        only, like every write)."""
        self._kam_check_job()
        for start in range(0, len(rows), WRITE_BATCH):
            batch = rows[start:start + WRITE_BATCH]
            arrays, names = self._kam_value_arrays([values for _id, values in batch])
            self.env.cr.execute(SQL(
                """UPDATE kam_relationship r
                      SET %(sets)s, is_strong = v.strength > 0
                              AND v.strength >= COALESCE(rc.kam_rel_strong_min, 0),
                          is_decision_maker = COALESCE(s.is_decision_maker, FALSE),
                          is_coach = COALESCE(s.is_coach, FALSE),
                          write_uid = %(uid)s, write_date = %(now)s
                     FROM unnest(%(ids)s::int4[], %(arrays)s) AS v(id, %(names)s)
                LEFT JOIN kam_stakeholder s ON s.id = v.stakeholder_id, res_company rc
                    WHERE r.id = v.id AND rc.id = r.company_id""",
                sets=SQL(", ").join(SQL("%s = v.%s", SQL.identifier(fname),
                                        SQL.identifier(fname))
                                    for fname in RELATIONSHIP_VALUES),
                uid=self.env.uid, now=fields.Datetime.now(),
                ids=pg_array([rid for rid, _values in batch]), arrays=arrays, names=names))

    @api.model
    def _kam_insert_rows(self, pairs):
        """Insert ``{(user_id, contact_id, company_id): values}`` in batched
        ``INSERT`` statements (the nightly job only, like every create)."""
        self._kam_check_job()
        items = list(pairs.items())
        for start in range(0, len(items), WRITE_BATCH):
            batch = items[start:start + WRITE_BATCH]
            arrays, names = self._kam_value_arrays([values for _key, values in batch])
            keys = [key for key, _values in batch]
            self.env.cr.execute(SQL(
                """INSERT INTO kam_relationship (user_id, contact_id, company_id, %(names)s,
                                                 is_strong, is_decision_maker, is_coach,
                                                 create_uid, create_date, write_uid,
                                                 write_date)
                   SELECT v.user_id, v.contact_id, v.company_id, %(vnames)s,
                          v.strength > 0 AND v.strength >= COALESCE(rc.kam_rel_strong_min, 0),
                          COALESCE(s.is_decision_maker, FALSE), COALESCE(s.is_coach, FALSE),
                          %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM unnest(%(users)s::int4[], %(contacts)s::int4[],
                                 %(companies)s::int4[], %(arrays)s)
                          AS v(user_id, contact_id, company_id, %(names)s)
                     JOIN res_company rc ON rc.id = v.company_id
                LEFT JOIN kam_stakeholder s ON s.id = v.stakeholder_id""",
                names=names,
                vnames=SQL(", ").join(SQL("v.%s", SQL.identifier(fname))
                                      for fname in RELATIONSHIP_VALUES),
                uid=self.env.uid, now=fields.Datetime.now(),
                users=pg_array([key[0] for key in keys]),
                contacts=pg_array([key[1] for key in keys]),
                companies=pg_array([key[2] for key in keys]), arrays=arrays))

    @api.model
    @kam_retry_on_conflict
    def _cron_kam_relationships(self):
        """Nightly: the relationships of every company, one company per batch (its
        own commit in the scheduler's run). A company whose computation fails is
        skipped and logged; the others go on."""
        companies = self.env["res.company"].search(  # pylint: disable=no-search-all
            [], order="id")  # every company, a handful
        done = 0
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    stats = self._kam_recompute(company)
                _logger.info("Relationships of %s: %s", company.name, stats)
            except (ValueError, ArithmeticError) as exc:
                _logger.warning("Relationships of %s skipped: %s", company.name, exc)
            done += 1
            if self.env["ir.cron"]._kam_commit_progress(
                    1, remaining=len(companies) - done) <= 0:
                break
