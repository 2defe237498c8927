from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .ir_cron import kam_retry_on_conflict
from .res_partner import SALES_GROUP

OVERDUE_ACTIVITY_TYPE = "key_account_management.mail_activity_type_kam_visit_overdue"


class ResPartner(models.Model):
    """Visit cadence of a key account: last and next visit, overdue flag and
    the alert sent for the current overdue period."""

    _inherit = "res.partner"

    kam_visit_ids = fields.One2many(
        "kam.visit", "partner_id", string="Visits",
        groups="key_account_management.key_account_management_group_manager")
    kam_visit_count = fields.Integer(
        compute="_compute_kam_visit_count", string="Visit Count",
        groups="key_account_management.key_account_management_group_manager")
    kam_last_visit_date = fields.Date(
        string="Last Visit", compute="_compute_kam_visit_dates",
        help="Date of the last done visit of the current company.",
        groups=SALES_GROUP)
    kam_next_visit_date = fields.Date(
        string="Next Visit", compute="_compute_kam_visit_dates",
        help="Date of the next planned visit of the current company.",
        groups=SALES_GROUP)
    kam_visit_due_date = fields.Date(
        string="Visit Due", compute="_compute_kam_visit_dates",
        help="Last visit plus the visit interval of the tier (today if never visited).",
        groups=SALES_GROUP)
    kam_visit_overdue = fields.Boolean(
        string="Visit Overdue", compute="_compute_kam_visit_dates",
        search="_search_kam_visit_overdue",
        help="A registered account with a tier that has no done visit within the visit "
             "interval of its tier.",
        groups=SALES_GROUP)
    kam_visit_alert_date = fields.Date(
        string="Overdue Visit Alerted On", company_dependent=True, copy=False, readonly=True,
        help="When the key account manager was last alerted that a visit is overdue; "
             "one alert per overdue period.",
        groups=SALES_GROUP)

    # ---- Compute ----
    @api.depends_context("company")
    def _compute_kam_visit_count(self):
        counts = dict(self.env["kam.visit"]._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id"], ["__count"]))
        for partner in self:
            partner.kam_visit_count = counts.get(partner, 0)

    @api.depends_context("company")
    @api.depends("kam_tier_id", "kam_state")
    def _compute_kam_visit_dates(self):
        dates = self.env["kam.visit"]._get_visit_dates(self._origin.ids)
        today = self.env.company._kam_today()
        for partner in self:
            last, nxt = dates.get(partner._origin.id, (False, False))
            partner.kam_last_visit_date = last
            partner.kam_next_visit_date = nxt
            interval = partner.kam_tier_id.visit_interval_days
            if partner.kam_state == "registered" and interval > 0:
                due = last + timedelta(days=interval) if last else today
                partner.kam_visit_due_date = due
                partner.kam_visit_overdue = not last or due < today
            else:
                partner.kam_visit_due_date = False
                partner.kam_visit_overdue = False

    def _search_kam_visit_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        if True in value and False in value:
            return Domain.TRUE
        candidates = self.search([
            ("is_company", "=", True), ("kam_state", "=", "registered"),
            ("kam_tier_id.visit_interval_days", ">", 0),
        ])
        overdue = candidates.filtered("kam_visit_overdue")
        if True in value:
            return Domain("id", "in", overdue.ids)
        return Domain("id", "not in", overdue.ids)

    # ---- Business ----
    def _kam_due_visit_dates(self, date_start, date_end):
        """``{partner_id: [dates]}``: the days in ``date_start``-``date_end`` on which
        each account of ``self`` (current company) is due for a visit by its tier's
        cadence and has no planned or done visit yet. Two grouped reads for the
        whole batch."""
        company = self.env.company
        today = self.env.company._kam_today()
        Visit = self.env["kam.visit"].sudo()
        base = Domain("partner_id", "in", self.ids) & Domain("company_id", "=", company.id)
        before = dict(Visit._read_group(
            base & Domain("visit_date", "<", date_start)
            & (Domain("state", "=", "done")
               | (Domain("state", "=", "planned") & Domain("visit_date", ">=", today))),
            ["partner_id"], ["visit_date:max"]))
        inside = dict(Visit._read_group(
            base & Domain("visit_date", ">=", date_start) & Domain("visit_date", "<=", date_end)
            & Domain("state", "in", ("planned", "done")),
            ["partner_id"], ["__count"]))
        result = {}
        for partner in self:
            interval = partner.kam_tier_id.visit_interval_days
            if partner.kam_state != "registered" or interval <= 0:
                continue
            last = before.get(partner)
            first = last + timedelta(days=interval) if last else date_start
            first = max(first, date_start, today if today <= date_end else date_start)
            days = []
            day = first
            while day <= date_end:
                days.append(day)
                day += timedelta(days=interval)
            days = days[inside.get(partner, 0):]
            if days:
                result[partner.id] = days
        return result

    def _kam_handover_records(self, old_user, new_user):
        """Also move the planned visits of these accounts, taking them out of
        the old KAM's plans (the new KAM plans them in their own)."""
        res = super()._kam_handover_records(old_user, new_user)
        visits = self.env["kam.visit"].search([
            ("partner_id", "in", self.ids), ("user_id", "=", old_user.id),
            ("state", "=", "planned"),
        ])
        movable = visits.filtered(lambda v: not v.plan_id or v.plan_id.state in (
            "draft", "refused", "cancelled"))
        movable.write({"user_id": new_user.id, "plan_id": False})
        (visits - movable).write({"user_id": new_user.id})
        return res

    @api.model
    @kam_retry_on_conflict
    def _cron_kam_visit_overdue(self):
        """Daily: one activity for the KAM of each overdue account per overdue
        period; the alert date stored on the account prevents duplicates."""
        # every company by design: the overdue accounts are searched per company
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            partners = self.with_company(company)
            overdue = partners.search([("kam_visit_overdue", "=", True),
                                       ("kam_manager_id", "!=", False)])
            todo = overdue.filtered(lambda p: not p.kam_visit_alert_date or (
                p.kam_last_visit_date and p.kam_visit_alert_date < p.kam_last_visit_date))
            today = company._kam_today()
            activity_type = self.env.ref(OVERDUE_ACTIVITY_TYPE)
            model_id = self.env["ir.model"]._get_id("res.partner")
            batch_size = 200
            for start in range(0, len(todo), batch_size):
                batch = todo[start:start + batch_size]
                self.env["mail.activity"].with_company(company).create([{
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": today,
                    "automated": True,
                    "summary": self.env._("Visit overdue: %(account)s", account=partner.name),
                    "note": self.env._(
                        "No visit since %(last)s; the %(tier)s tier asks for one every "
                        "%(days)s days.",
                        last=partner.kam_last_visit_date, tier=partner.kam_tier_id.name,
                        days=partner.kam_tier_id.visit_interval_days)
                    if partner.kam_last_visit_date else self.env._(
                        "Never visited; the %(tier)s tier asks for a visit every %(days)s days.",
                        tier=partner.kam_tier_id.name,
                        days=partner.kam_tier_id.visit_interval_days),
                    "user_id": partner.kam_manager_id.id,
                } for partner in batch])
                batch._kam_write_engine_figures({"kam_visit_alert_date": today})
                remaining = len(todo) - start - len(batch)
                if not self.env["ir.cron"]._kam_commit_progress(len(batch), remaining=remaining):
                    return

    # ---- Actions ----
    def action_view_kam_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_visit_action")
        action.update({
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
            "view_mode": "list,calendar,kanban,form,pivot,graph",
            "views": [(False, "list"), (False, "calendar"), (False, "kanban"),
                      (False, "form"), (False, "pivot"), (False, "graph")],
        })
        return action
