from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamTarget(models.Model):
    """The yearly key-account revenue target of the company (no user) or of one
    key account manager, compared with the plans that decompose it and with the
    real revenue of the key accounts.

    Figures are computed in batch: one ``kam.revenue`` call per company and
    year, one grouped read of the plans, one search of the key accounts.
    """

    _name = "kam.target"
    _description = "Key Account Revenue Target"
    _inherit = ["kam.private.mixin", "kam.bounds.mixin"]
    _kam_fixed_link_fields = ("user_id", "company_id")
    _order = "year desc, company_id, user_id nulls first, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    year = fields.Integer(
        required=True, index=True, default=lambda self: self.env.company._kam_today().year)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Key Account Manager", index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Empty: the target of the whole company.")
    revenue_target = fields.Monetary(
        currency_field="currency_id", required=True,
        help="Key-account revenue expected in the year, on the company's revenue basis.")
    target_share = fields.Float(
        string="Target Key-Account Share (%)", digits=(16, 1),
        help="Company target: part of the company's total revenue the key accounts should bring.")
    note = fields.Text()

    # ---- Figures (non-stored, batch) ----
    plan_target = fields.Monetary(
        string="Plans' Targets", currency_field="currency_id", compute="_compute_figures",
        help="Sum of the revenue targets of the account plans starting in the year "
             "(of this key account manager, or of the company).")
    plan_gap = fields.Monetary(
        string="Not Yet Planned", currency_field="currency_id", compute="_compute_figures",
        help="Target minus the plans' targets: what no account plan carries yet.")
    actual_revenue = fields.Monetary(
        currency_field="currency_id", compute="_compute_figures",
        help="Revenue in the year of the registered key accounts (of this manager, or of "
             "the company).")
    achievement = fields.Float(string="Achievement (%)", compute="_compute_figures", digits=(16, 1))
    total_revenue = fields.Monetary(
        string="Company Revenue", currency_field="currency_id", compute="_compute_figures",
        help="Revenue of all customers of the company in the year.")
    key_account_share = fields.Float(
        string="Key-Account Share (%)", compute="_compute_figures", digits=(16, 1),
        help="Part of the company's revenue brought by these key accounts.")
    account_count = fields.Integer(string="Key Accounts", compute="_compute_figures")

    @api.depends("year", "user_id", "company_id")
    def _compute_name(self):
        for target in self:
            target.name = self.env._(
                "%(year)s %(who)s", year=target.year,
                who=target.user_id.name or target.company_id.name or "")

    @api.depends("year", "user_id", "company_id", "revenue_target")
    def _compute_figures(self):
        batches = defaultdict(self.browse)
        for target in self:
            if target.company_id and target.year:
                batches[target.company_id, target.year] |= target
        for (company, year), targets in batches.items():
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
            revenue = self.env["kam.revenue"]._get_revenue_by_partner(company, start, end)
            total = sum(stat.revenue for stat in revenue.values())
            accounts = self.env["res.partner"].with_company(company).search(
                [("kam_state", "=", "registered"), ("is_company", "=", True)])
            by_user = defaultdict(lambda: [0.0, 0])
            for account in accounts:
                amount = revenue[account.id].revenue if account.id in revenue else 0.0
                for key in (account.kam_manager_id.id, False):
                    by_user[key][0] += amount
                    by_user[key][1] += 1
            # the plans of the whole company count, whoever reads the target
            plan_groups = self.env["kam.account.plan"].sudo()._read_group(
                [("company_id", "=", company.id),
                 ("date_start", ">=", start), ("date_start", "<", end)],
                ["user_id"], ["revenue_target:sum"])
            plans_by_user = defaultdict(float)
            for user, amount in plan_groups:
                plans_by_user[user.id] += amount
                plans_by_user[False] += amount
            for target in targets:
                key = target.user_id.id or False
                actual, count = by_user[key] if key in by_user else (0.0, 0)
                target.actual_revenue = actual
                target.account_count = count
                target.plan_target = plans_by_user[key]
                target.plan_gap = target.revenue_target - plans_by_user[key]
                target.achievement = actual / target.revenue_target * 100.0 \
                    if target.revenue_target else 0.0
                target.total_revenue = total
                target.key_account_share = actual / total * 100.0 if total else 0.0
        for target in self - sum(batches.values(), self.browse()):
            target.update({
                "plan_target": 0.0, "plan_gap": 0.0, "actual_revenue": 0.0, "achievement": 0.0,
                "total_revenue": 0.0, "key_account_share": 0.0, "account_count": 0,
            })

    # ---- Constraints ----
    @api.constrains("revenue_target", "target_share", "year")
    def _check_values(self):
        for target in self:
            if target.revenue_target < 0:
                raise ValidationError(self.env._(
                    "Target %(target)s: the revenue target cannot be negative (%(value)s).",
                    target=target.name, value=target.revenue_target))
            if not 0 <= target.target_share <= 100:
                raise ValidationError(self.env._(
                    "Target %(target)s: the target key-account share must be between 0 and "
                    "100 %% (%(value)s).", target=target.name, value=target.target_share))
            if not 2000 <= target.year <= 2999:
                raise ValidationError(self.env._(
                    "Target %(target)s: %(year)s is not a valid year.",
                    target=target.name, year=target.year))

    @api.constrains("year", "user_id", "company_id")
    def _check_unique(self):
        for target in self:
            if self.search_count([
                ("id", "!=", target.id), ("year", "=", target.year),
                ("company_id", "=", target.company_id.id), ("user_id", "=", target.user_id.id),
            ]):
                raise ValidationError(self.env._(
                    "There is already a %(year)s target for %(who)s.",
                    year=target.year, who=target.user_id.name or target.company_id.name))
