from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import MAX_HOURS, bounds_error

SERVICE_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
SLA_CLOCKS = ("response", "resolution", "confirmation")


class KamSlaPolicy(models.Model):
    """One cell of the service-level matrix of a company: tier x priority
    (optionally x category) -> response, resolution and confirmation hours,
    counted in working time or round the clock."""

    _name = "kam.sla.policy"
    _description = "Key Account SLA Policy"
    _inherit = ["kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {f"{clock}_hours": (0, MAX_HOURS) for clock in SLA_CLOCKS}
    _order = "tier_sequence, tier_id, priority desc, category_id, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    tier_id = fields.Many2one(
        "kam.tier", required=True, index=True, ondelete="cascade", check_company=True)
    tier_sequence = fields.Integer(related="tier_id.sequence", store=True)
    priority = fields.Selection(SERVICE_PRIORITIES, required=True, default="1")
    category_id = fields.Many2one(
        "kam.service.category", ondelete="cascade", check_company=True,
        help="Empty: the row applies to every category without a row of its own.")
    # hours of a service level: a group of policies does not add them up
    response_hours = fields.Float(required=True, default=4.0, aggregator=False)
    resolution_hours = fields.Float(required=True, default=24.0, aggregator=False)
    confirmation_hours = fields.Float(required=True, default=72.0, aggregator=False)
    time_mode = fields.Selection(
        [("working", "Working Time"), ("always", "Round the Clock (24/7)")],
        string="Clock Counts", required=True, default="working")
    calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", check_company=True,
        help="Working time and public holidays (calendar leaves) the clocks count; the "
             "company's working hours when empty.")
    active = fields.Boolean(default=True)

    _cell_uniq = models.UniqueIndex(
        "(company_id, tier_id, priority, COALESCE(category_id, 0)) WHERE active",
        "The SLA matrix already has a row for this tier, priority and category.")

    @api.depends("tier_id", "priority", "category_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # the priority's label in the reader's language (the module's list is English)
        labels = dict(self._fields["priority"]._description_selection(self.env))
        for policy in self:
            name = f"{policy.tier_id.name or ''} / {labels.get(policy.priority, '')}"
            if policy.category_id:
                name += f" / {policy.category_id.name}"
            policy.display_name = name

    @api.constrains("response_hours", "resolution_hours", "confirmation_hours")
    def _check_hours(self):
        for policy in self:
            for clock in SLA_CLOCKS:
                value = policy[f"{clock}_hours"]
                if value <= 0:
                    field = self._fields[f"{clock}_hours"]._description_string(self.env)
                    raise ValidationError(self.env._(
                        "SLA policy %(policy)s: %(field)s must be greater than 0 (%(value)s).",
                        policy=policy.display_name, field=field, value=value))
                # the clocks add these hours to dates: beyond ten years, every request
                # of the cell (the portal's too) fails with an overflow
                if value > MAX_HOURS:
                    raise bounds_error(self.env, self._fields[f"{clock}_hours"], 0, MAX_HOURS,
                                       value, record=policy.display_name)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("active", True):
                self._check_free_cell(
                    vals.get("company_id") or self.env.company.id, vals.get("tier_id"),
                    vals.get("priority") or "1", vals.get("category_id") or False)
        return super().create(vals_list)

    def write(self, vals):
        if {"company_id", "tier_id", "priority", "category_id", "active"} & set(vals):
            for policy in self:
                if vals.get("active", policy.active):
                    self._check_free_cell(
                        vals.get("company_id", policy.company_id.id),
                        vals.get("tier_id", policy.tier_id.id),
                        vals.get("priority", policy.priority),
                        vals.get("category_id", policy.category_id.id) or False,
                        exclude=policy.id)
        return super().write(vals)

    @api.model
    def _check_free_cell(self, company_id, tier_id, priority, category_id, exclude=None):
        """One active row per company, tier, priority and category (checked before the
        unique index so the message names the cell)."""
        domain = [("company_id", "=", company_id), ("tier_id", "=", tier_id),
                  ("priority", "=", priority), ("category_id", "=", category_id)]
        if exclude:
            domain.append(("id", "!=", exclude))
        if self.with_context(active_test=True).search_count(domain, limit=1):
            tier = self.env["kam.tier"].browse(tier_id)
            category = self.env["kam.service.category"].browse(category_id)
            raise ValidationError(self.env._(
                "The SLA matrix already has a row for tier %(tier)s, priority %(priority)s and "
                "category %(category)s.", tier=tier.display_name,
                priority=dict(SERVICE_PRIORITIES).get(priority, priority),
                category=category.display_name or self.env._("(any)")))

    # ---- Business ----
    @api.model
    def _find_policy(self, company, tier, priority, category):
        """The most specific active row of the matrix: with the category, then without."""
        if not tier:
            return self.browse()
        candidates = self.search([
            ("company_id", "=", company.id), ("tier_id", "=", tier.id),
            ("priority", "=", priority), ("category_id", "in", [category.id, False]),
        ])
        return candidates.filtered(lambda p: p.category_id == category)[:1] \
            or candidates.filtered(lambda p: not p.category_id)[:1]

    @api.model
    def _get_terms(self, company, tier, priority, category):
        """What the clocks of a request count: ``(policy, hours by clock, calendar or
        False for round the clock)``. Without a row, the tier's own response and
        resolution hours in the company's working time (confirmation: the company
        setting)."""
        policy = self._find_policy(company, tier, priority, category)
        if policy:
            hours = {clock: policy[f"{clock}_hours"] for clock in SLA_CLOCKS}
            calendar = (policy.calendar_id or company.resource_calendar_id) \
                if policy.time_mode == "working" else False
            return policy, hours, calendar
        hours = {
            "response": tier.response_sla_hours,
            "resolution": tier.resolution_sla_hours,
            "confirmation": company.kam_service_confirmation_hours,
        }
        return policy, hours, company.resource_calendar_id or False

    # ---- Time arithmetic (working time or round the clock) ----
    @api.model
    def _add_hours(self, start, hours, calendar):
        """The naive UTC datetime ``hours`` (working hours on ``calendar``, public
        holidays excluded; wall-clock hours when no calendar) after ``start``."""
        if not hours or hours <= 0:
            return start
        if not calendar:
            return start + timedelta(hours=hours)
        end = calendar.plan_hours(
            hours, pytz.utc.localize(start), compute_leaves=True)
        return end.astimezone(pytz.utc).replace(tzinfo=None) if end else False

    @api.model
    def _hours_between(self, start, end, calendar):
        """Working hours (or wall-clock hours) between two naive UTC datetimes."""
        if not start or not end or end <= start:
            return 0.0
        if not calendar:
            return (end - start).total_seconds() / 3600
        intervals = calendar._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(end))[False]
        return sum((stop - begin).total_seconds() / 3600 for begin, stop, _meta in intervals)
