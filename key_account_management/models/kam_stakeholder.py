from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .ir_cron import kam_retry_on_conflict
from .kam_bounds import SEQUENCE

# The attitude scale of the practice (DOMAIN.md section 3): key = value on the scale.
ATTITUDE_SELECTION = [
    ("5", "+5 Fully supports us"),
    ("4", "+4 Advocates"),
    ("3", "+3 Supports"),
    ("2", "+2 Interested"),
    ("1", "+1 Willing to continue"),
    ("-1", "-1 Does not oppose"),
    ("-2", "-2 Not interested"),
    ("-3", "-3 Opposes"),
    ("-5", "-5 Strongly opposes"),
    ("-10", "-10 Favours a competitor"),
]
ATTITUDE_KEYS = {key for key, _label in ATTITUDE_SELECTION}
ATTITUDE_COMPETITOR = "-10"
# weight of each influence level in the support index (influence-weighted average attitude)
INFLUENCE_WEIGHTS = {"low": 1, "medium": 2, "high": 3}


class KamStakeholder(models.Model):
    """One person's place in one key account's decision unit (决策链): the roles
    they play in a purchase, their attitude towards us on the practice's scale
    (+5 fully supports ... -10 favours a competitor), their influence, whom they
    report to, their business and personal needs.

    Private: only the account's KAM and team and the directors see it (record
    rules in security/key_account_management_rules.xml).
    """

    _name = "kam.stakeholder"
    _description = "Key Account Stakeholder"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.private.mixin", "kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE}
    _kam_fixed_link_fields = ("partner_id", "company_id")
    _order = "partner_id, sequence, id"
    _check_company_auto = True

    # ---- Identity ----
    sequence = fields.Integer(default=10)
    name = fields.Char(related="contact_id.name", store=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade",
        domain=[("is_company", "=", True)], tracking=True, check_company=True)
    contact_id = fields.Many2one(
        "res.partner", string="Person", required=True, index=True, ondelete="restrict",
        domain="[('is_company', '=', False), ('commercial_partner_id', '=', partner_id)]",
        check_company=True,
        help="A contact of the account. Type a new name to create the person in the account.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    function = fields.Char(related="contact_id.function", string="Job Position", readonly=False)
    email = fields.Char(related="contact_id.email", readonly=True)
    phone = fields.Char(related="contact_id.phone", readonly=True)
    avatar_128 = fields.Image(related="contact_id.avatar_128", readonly=True)
    last_contact_date = fields.Date(
        readonly=True, copy=False,
        help="Last time a member of the account team met or talked with this person "
             "(done visits, logged meetings).")

    # ---- Place in the decision unit ----
    role_ids = fields.Many2many(
        "kam.decision.role", "kam_stakeholder_decision_role_rel", "stakeholder_id", "role_id",
        string="Roles", tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]")
    is_decision_maker = fields.Boolean(
        compute="_compute_role_flags", store=True, string="Decision Maker",
        help="One of the roles is a decision-maker role.")
    is_coach = fields.Boolean(
        compute="_compute_role_flags", store=True, string="Coach",
        help="One of the roles is a coach role.")
    attitude = fields.Selection(
        ATTITUDE_SELECTION, tracking=True,
        help="Where the person stands towards us, from +5 (fully supports us) to -10 "
             "(favours a competitor). Empty while unknown.")
    attitude_value = fields.Integer(
        compute="_compute_attitude_value", store=True, aggregator="avg",
        help="The attitude as a number (0 while unknown), for sorting and averages.")
    competitor_id = fields.Many2one(
        "res.partner", string="Favoured Competitor", tracking=True, check_company=True,
        domain=[("is_company", "=", True)],
        help="The competitor this person favours (required at -10).")
    influence = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium", required=True, tracking=True)
    reports_to_id = fields.Many2one(
        "kam.stakeholder", index=True, ondelete="set null",
        domain="[('partner_id', '=', partner_id), ('id', '!=', id)]",
        check_company=True, tracking=True)
    report_ids = fields.One2many("kam.stakeholder", "reports_to_id", string="Direct Reports")
    influence_link_ids = fields.One2many(
        "kam.stakeholder.link", "source_id", string="Influences",
        help="People this person influences.")
    influenced_by_link_ids = fields.One2many(
        "kam.stakeholder.link", "target_id", string="Influenced By",
        help="People who influence this person.")

    # ---- Needs and relationship ----
    business_needs = fields.Text(
        help="What the person's organisation needs from us (enterprise needs).")
    personal_needs = fields.Text(
        help="What the person wants for themselves: recognition, career, less risk... Private.")
    interests = fields.Text(string="Interests and Hobbies")
    birthday = fields.Date()
    owner_user_id = fields.Many2one(
        "res.users", string="Relationship Owner", index=True, tracking=True,
        domain="[('share', '=', False)]", default=lambda self: self.env.user,
        help="The member of the account team who owns the relationship with this person.")

    # ---- Compute ----
    @api.depends("role_ids.is_decision_maker", "role_ids.is_coach")
    def _compute_role_flags(self):
        for stakeholder in self:
            stakeholder.is_decision_maker = any(stakeholder.role_ids.mapped("is_decision_maker"))
            stakeholder.is_coach = any(stakeholder.role_ids.mapped("is_coach"))

    @api.depends("attitude")
    def _compute_attitude_value(self):
        for stakeholder in self:
            stakeholder.attitude_value = int(stakeholder.attitude or 0)

    # ---- Constraints and onchanges ----
    @api.constrains("partner_id", "contact_id")
    def _check_contact_account(self):
        for stakeholder in self:
            contact, account = stakeholder.contact_id, stakeholder.partner_id
            if contact.commercial_partner_id != account.commercial_partner_id or contact == account:
                raise ValidationError(self.env._(
                    "Person: %(person)s does not belong to the account %(account)s (they belong "
                    "to %(other)s). A stakeholder must be a contact of the account; create the "
                    "person as a contact of %(account)s.",
                    person=contact.name, account=account.display_name,
                    other=contact.commercial_partner_id.display_name))

    @api.constrains("partner_id", "contact_id", "company_id")
    def _check_contact_unique(self):
        groups = self.with_context(active_test=False)._read_group(
            [("partner_id", "in", self.partner_id.ids), ("contact_id", "in", self.contact_id.ids),
             ("company_id", "in", self.company_id.ids)],
            ["partner_id", "contact_id", "company_id"], ["__count"])
        for account, contact, _company, count in groups:
            if count > 1:
                raise ValidationError(self.env._(
                    "Person: %(person)s is already a stakeholder of %(account)s (maybe archived). "
                    "The same person cannot appear twice in one account's decision unit.",
                    person=contact.name, account=account.display_name))

    @api.constrains("reports_to_id", "partner_id")
    def _check_reports_to(self):
        for stakeholder in self:
            boss = stakeholder.reports_to_id
            if boss and boss.partner_id != stakeholder.partner_id:
                raise ValidationError(self.env._(
                    "Reports To: %(person)s (%(account)s) cannot report to %(boss)s, a stakeholder "
                    "of another account (%(other)s).",
                    person=stakeholder.name, account=stakeholder.partner_id.display_name,
                    boss=boss.name, other=boss.partner_id.display_name))
        if self._has_cycle("reports_to_id"):
            raise ValidationError(self.env._(
                "Reports To: this reporting line would create a cycle (a person who reports, "
                "directly or not, to themselves)."))

    @api.constrains("attitude", "competitor_id", "partner_id")
    def _check_competitor(self):
        for stakeholder in self:
            if stakeholder.attitude == ATTITUDE_COMPETITOR and not stakeholder.competitor_id:
                raise ValidationError(self.env._(
                    "Favoured Competitor: %(person)s is at -10 (favours a competitor): name "
                    "the competitor.", person=stakeholder.name))
            if stakeholder.competitor_id and stakeholder.competitor_id == stakeholder.partner_id:
                raise ValidationError(self.env._(
                    "Favoured Competitor: the account %(account)s cannot be its own competitor.",
                    account=stakeholder.partner_id.display_name))

    def _check_attitude_vals(self, vals):
        """Refuse an attitude outside the scale with a clear message (the ORM would
        only raise a technical error)."""
        attitude = vals.get("attitude")
        if attitude not in (None, False) and str(attitude) not in ATTITUDE_KEYS:
            raise ValidationError(self.env._(
                "Attitude: %(value)s is not on the scale. Use +5, +4, +3, +2, +1, -1, -2, -3, "
                "-5 or -10 (favours a competitor).", value=attitude))
        if attitude not in (None, False):
            vals["attitude"] = str(attitude)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = False
        if self.reports_to_id and self.reports_to_id.partner_id != self.partner_id:
            self.reports_to_id = False

    @api.onchange("attitude")
    def _onchange_attitude(self):
        if self.attitude != ATTITUDE_COMPETITOR:
            self.competitor_id = False

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_attitude_vals(vals)
        stakeholders = super().create(vals_list)
        stakeholders._update_last_contact_date()
        return stakeholders

    def write(self, vals):
        self._check_attitude_vals(vals)
        res = super().write(vals)
        if "contact_id" in vals:
            self._update_last_contact_date()
        return res

    # ---- Actions ----
    def action_open_org_chart(self):
        """The org chart of the account of this stakeholder."""
        self.ensure_one()
        return self.partner_id.action_kam_open_org_chart()

    # ---- Business ----
    def _get_last_contact_dates(self):
        """``{stakeholder_id: date}`` of the latest contact with each stakeholder of
        ``self``, read in batch. Extended by every source of contacts (visits,
        meetings); each extension merges its dates with the ``super()`` result
        keeping the latest one."""
        return self._merge_contact_dates({}, self._get_meeting_contact_dates())

    def _get_meeting_contact_dates(self):
        """``{stakeholder_id: date}`` of the latest past calendar meeting the
        stakeholder's person attended (not declined), in one query."""
        if not self.ids:
            return {}
        self.env["calendar.event"].flush_model(["start", "start_date", "allday", "active", "res_model"])
        self.env["calendar.attendee"].flush_model(["event_id", "partner_id", "state"])
        self.flush_model(["contact_id"])
        self.env.cr.execute(SQL(
            """
            SELECT s.id,
                   -- the day of the meeting at the stakeholder's company (its "today")
                   MAX(CASE WHEN e.allday THEN e.start_date
                            ELSE (e.start AT TIME ZONE 'UTC' AT TIME ZONE
                                  COALESCE(rc.tz, cp.tz, 'UTC'))::date END)
              FROM kam_stakeholder s
         LEFT JOIN res_company c ON c.id = s.company_id
         LEFT JOIN res_partner cp ON cp.id = c.partner_id
         LEFT JOIN resource_calendar rc ON rc.id = c.resource_calendar_id
              JOIN calendar_attendee a ON a.partner_id = s.contact_id
                                      AND a.state IS DISTINCT FROM 'declined'
              JOIN calendar_event e ON e.id = a.event_id
             WHERE s.id = ANY(%(ids)s)
               AND e.active
               AND e.start <= %(now)s
               -- a visit's meeting counts once the visit is done, through the visit itself
               AND e.res_model IS DISTINCT FROM 'kam.visit'
          GROUP BY s.id
            """, ids=list(self.ids), now=fields.Datetime.now()))
        return dict(self.env.cr.fetchall())

    def _update_last_contact_date(self):
        """Store the latest contact date of each stakeholder of ``self``; writes
        only the stakeholders whose date changed."""
        dates = self._get_last_contact_dates()
        by_date = {}
        for stakeholder in self:
            new = dates.get(stakeholder.id) or False
            if new != stakeholder.last_contact_date:
                by_date.setdefault(new, []).append(stakeholder.id)
        for new, ids in by_date.items():
            self.browse(ids).write({"last_contact_date": new})

    @api.model
    def _merge_contact_dates(self, dates, more):
        """Merge ``more`` into ``dates`` (both ``{id: date}``), keeping the latest."""
        for key, value in more.items():
            if value and (not dates.get(key) or value > dates[key]):
                dates[key] = value
        return dates

    @api.model
    @kam_retry_on_conflict
    def _cron_update_last_contact_date(self, batch_size=1000):
        """Daily: refresh the last contact date of every stakeholder (meetings
        that moved into the past, declined invitations...). Idempotent: only
        changed dates are written."""
        # every stakeholder (archived too) by design; processed in batches below
        stakeholders = self.with_context(active_test=False).search(  # pylint: disable=no-search-all
            [], order="id")
        total = len(stakeholders)
        for start in range(0, total, batch_size):
            batch = stakeholders[start:start + batch_size]
            batch._update_last_contact_date()
            remaining = total - start - len(batch)
            if self.env["ir.cron"]._kam_commit_progress(len(batch), remaining=remaining) <= 0:
                break

    @api.model
    def _not_contacted_domain(self, days, today=None):
        """Domain of the stakeholders nobody contacted in the last ``days`` days."""
        limit = (today or self.env.company._kam_today()) - timedelta(days=days)
        return Domain("last_contact_date", "=", False) | Domain("last_contact_date", "<", limit)
