import calendar
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .ir_cron import kam_retry_on_conflict
from .kam_bounds import SEQUENCE

OCCASION_TYPES = [
    ("birthday", "Stakeholders' Birthdays"),
    ("anniversary", "Account Anniversary"),
    ("fixed", "Fixed Yearly Date"),
    ("dated", "Date Entered per Year"),
]


def occasion_date(year, month, day):
    """``month``/``day`` in ``year``; 29 February falls on 28 February in a
    non-leap year (the last day of February: a birthday is celebrated in its month)."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return date(year, month, day)


def next_occurrence(month, day, today):
    """The first yearly occurrence of ``month``/``day`` on or after ``today``."""
    current = occasion_date(today.year, month, day)
    return current if current >= today else occasion_date(today.year + 1, month, day)


class KamCareOccasion(models.Model):
    """A customer-care occasion (客户关怀): stakeholders' birthdays, the account's
    anniversary, or a company-defined occasion (a holiday) on a fixed yearly date
    or on a date entered per year (lunar holidays). A daily scheduled action gives
    the relationship owner one activity ``lead_days`` before each occasion."""

    _name = "kam.care.occasion"
    _description = "Key Account Care Occasion"
    _inherit = ["kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE}
    _order = "sequence, id"
    _check_company_auto = True

    # ---- Definition ----
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the occasion applies to every company.")
    occasion_type = fields.Selection(
        OCCASION_TYPES, string="Type", required=True, default="fixed",
        help="Birthdays: every stakeholder with a birthday. Anniversary: the account's contract "
             "date, else its first confirmed order. Fixed: the same month and day every year. "
             "Per year: a date entered for each year (lunar holidays such as Spring Festival).")
    fixed_month = fields.Integer(string="Month", help="1-12, for a fixed yearly date.")
    fixed_day = fields.Integer(string="Day", help="Day of the month, for a fixed yearly date.")
    date_ids = fields.One2many(
        "kam.care.occasion.date", "occasion_id", string="Dates per Year", copy=True)
    tier_ids = fields.Many2many(
        "kam.tier", "kam_care_occasion_tier_rel", "occasion_id", "tier_id", string="Tiers",
        help="The tiers of the registered key accounts concerned; empty: every tier.")
    lead_days = fields.Integer(
        default=7, help="How many days before the occasion the reminder is given.")
    gesture = fields.Char(
        string="Suggested Gesture", translate=True,
        help="What the team usually does: a card, a gift, a call, an invitation...")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id)
    budget = fields.Monetary(
        currency_field="currency_id", help="Budget per account (or per person for birthdays).")
    next_date = fields.Date(
        compute="_compute_next_date",
        help="The next occurrence of a fixed or per-year occasion.")
    reminder_ids = fields.One2many("kam.care.reminder", "occasion_id", string="Reminders Sent")

    # ---- Compute ----
    @api.depends("occasion_type", "fixed_month", "fixed_day", "date_ids.date")
    @api.depends_context("date")
    def _compute_next_date(self):
        today = self.env.company._kam_today()
        for occasion in self:
            occasion.next_date = occasion._kam_next_date(today) or False

    # ---- Constraints ----
    @api.constrains("occasion_type", "fixed_month", "fixed_day", "date_ids", "lead_days", "budget")
    def _check_occasion(self):
        for occasion in self:
            if occasion.lead_days < 0:
                raise ValidationError(self.env._(
                    "Lead Days of the care occasion %(occasion)s cannot be negative.",
                    occasion=occasion.name))
            if occasion.budget < 0:
                raise ValidationError(self.env._(
                    "Budget of the care occasion %(occasion)s cannot be negative.",
                    occasion=occasion.name))
            if occasion.occasion_type == "fixed":
                month, day = occasion.fixed_month, occasion.fixed_day
                # 2000 is a leap year: 29 February is a valid fixed date
                if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
                    raise ValidationError(self.env._(
                        "Date: the care occasion %(occasion)s needs a valid month (1-12) and "
                        "day of the month for its fixed yearly date.", occasion=occasion.name))
            elif occasion.occasion_type == "dated" and not occasion.date_ids:
                raise ValidationError(self.env._(
                    "Dates per Year: the care occasion %(occasion)s needs at least one date.",
                    occasion=occasion.name))

    # ---- Business ----
    def _kam_next_date(self, today):
        """The next occurrence on or after ``today`` of a fixed or per-year occasion."""
        self.ensure_one()
        if self.occasion_type == "fixed" and self.fixed_month and self.fixed_day:
            return next_occurrence(self.fixed_month, self.fixed_day, today)
        if self.occasion_type == "dated":
            return min((d for d in self.date_ids.mapped("date") if d >= today), default=None)
        return None

    def _kam_due(self, when, today):
        """Whether an occurrence on ``when`` is within the lead days of ``today``
        (a missed daily run still reminds until the day itself)."""
        return when is not None and today <= when <= today + timedelta(days=self.lead_days)

    @api.model
    @kam_retry_on_conflict
    def _cron_kam_care_reminders(self):
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            self.with_company(company)._kam_send_care_reminders(company, company._kam_today())

    @api.model
    def _kam_send_care_reminders(self, company, today):
        """Give one activity per due occasion, account (and stakeholder) and
        year to the relationship owner: the stakeholder's owner, else the
        account's key account manager. What was sent is kept in kam.care.reminder,
        so a second run sends nothing."""
        occasions = self.search([("company_id", "in", [False, company.id])])
        if not occasions:
            return self.env["kam.care.reminder"]
        accounts = self.env["res.partner"].with_company(company).search(
            [("is_company", "=", True), ("kam_state", "=", "registered")])
        if not accounts:
            return self.env["kam.care.reminder"]
        stakeholders = self.env["kam.stakeholder"]
        if "birthday" in occasions.mapped("occasion_type"):
            stakeholders = stakeholders.search([
                ("partner_id", "in", accounts.ids), ("company_id", "=", company.id),
                ("birthday", "!=", False)])
        first_orders = {}
        if "anniversary" in occasions.mapped("occasion_type"):
            first_orders = self._kam_first_order_dates(company, accounts)

        candidates = []  # (occasion, account, stakeholder, date, user)
        for occasion in occasions:
            concerned = accounts.filtered(
                lambda a, o=occasion: not o.tier_ids or a.kam_tier_id in o.tier_ids)
            if occasion.occasion_type == "birthday":
                for person in stakeholders.filtered(lambda s, c=concerned: s.partner_id in c):
                    when = next_occurrence(person.birthday.month, person.birthday.day, today)
                    if occasion._kam_due(when, today):
                        user = person.owner_user_id or person.partner_id.kam_manager_id
                        candidates.append((occasion, person.partner_id, person, when, user))
                continue
            for account in concerned:
                if occasion.occasion_type == "anniversary":
                    start = account.kam_contract_date or first_orders.get(account.id)
                    when = start and next_occurrence(start.month, start.day, today)
                    if not when or when.year <= start.year:
                        continue
                else:
                    when = occasion._kam_next_date(today)
                if occasion._kam_due(when, today):
                    candidates.append((occasion, account, self.env["kam.stakeholder"], when,
                                       account.kam_manager_id))
        return self.env["kam.care.reminder"]._kam_create(company, candidates)

    @api.model
    def _kam_first_order_dates(self, company, accounts):
        """{account id: date of its first confirmed order in ``company``}, one query."""
        self.env["sale.order"].flush_model(["partner_id", "state", "company_id", "date_order"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(SQL(
            """SELECT p.commercial_partner_id, MIN(so.date_order)::date
                 FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                WHERE so.state = 'sale' AND so.company_id = %s
                  AND p.commercial_partner_id = ANY(%s)
             GROUP BY p.commercial_partner_id""",
            company.id, accounts.ids))
        return dict(self.env.cr.fetchall())
