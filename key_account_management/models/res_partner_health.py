import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from .kam_flow_mixin import kam_has_group
from .kam_reader import reader_amount
from .kam_scoring_health import CHURN_SIGNALS

SALES_GROUP = "sales_team.group_sale_salesman"
DIRECTOR_GROUP = "key_account_management.key_account_management_group_director"
HEALTH_BANDS = [("red", "Red"), ("yellow", "Yellow"), ("green", "Green")]


class ResPartner(models.Model):
    """Health (0-100), churn signals and lifecycle stage of a key account, per
    company. Written by the nightly engine (``kam.scoring``) with SQL; what is
    stored is language-neutral (codes and figures), the reasons are rendered
    in the reader's language here."""

    _inherit = "res.partner"

    # ---- Health ----
    kam_health_score = fields.Float(
        string="Health", company_dependent=True, copy=False, readonly=True, digits=(16, 1),
        groups=SALES_GROUP,
        help="0-100: revenue trend, order recency, overdue receivables, visit coverage, "
             "decision unit and green channel, weighted in Settings; a component without "
             "data is left out and the others re-weighted.")
    kam_health_band = fields.Selection(
        HEALTH_BANDS, string="Health Band", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_health_trend = fields.Float(
        string="Health Trend", company_dependent=True, copy=False, readonly=True,
        digits=(16, 1), groups=SALES_GROUP,
        help="Change of the health score since last month's snapshot, in points.")
    kam_health_details = fields.Text(
        string="Health Components (data)", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_health_drag = fields.Char(
        string="Biggest Drag", compute="_compute_kam_health_texts", groups=SALES_GROUP,
        help="The component that costs the account the most points.")
    kam_health_html = fields.Html(
        string="Health Components", compute="_compute_kam_health_texts", sanitize=False,
        groups=SALES_GROUP)

    # ---- Churn signals ----
    kam_signal_no_order = fields.Boolean(
        string="Signal: No Order", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP, help="No order within twice the account's usual interval.")
    kam_signal_revenue_drop = fields.Boolean(
        string="Signal: Revenue Drop", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP, help="12-month revenue down more than the Settings' percentage.")
    kam_signal_overdue = fields.Boolean(
        string="Signal: Overdue Receivables", company_dependent=True, copy=False,
        readonly=True, groups=SALES_GROUP,
        help="An invoice overdue by more than the Settings' days.")
    kam_signal_decision_unit = fields.Boolean(
        string="Signal: Decision Unit", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP,
        help="A decision maker or coach archived in the last 90 days, or against us.")
    kam_signal_sla = fields.Boolean(
        string="Signal: SLA Breaches", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP, help="Repeated green-channel SLA breaches in 90 days.")
    kam_signal_satisfaction = fields.Boolean(
        string="Signal: Low Satisfaction", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP, help="Average green-channel rating of 90 days below the Settings.")
    kam_signal_visits = fields.Boolean(
        string="Signal: Visits Overdue", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP, help="No done visit for two periods of the tier's cadence.")
    kam_signal_count = fields.Integer(
        string="Churn Signals", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_signal_details = fields.Text(
        string="Churn Signals (data)", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_signal_alerts = fields.Text(
        string="Churn Signal Alerts (data)", company_dependent=True, copy=False,
        readonly=True, groups=SALES_GROUP,
        help="The month of the last activity of each signal: one activity per signal and month.")
    kam_signal_html = fields.Html(
        string="Churn Signal Details", compute="_compute_kam_health_texts", sanitize=False,
        groups=SALES_GROUP)

    # ---- Lifecycle ----
    kam_lifecycle_rule = fields.Char(
        string="Lifecycle Rule (code)", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_lifecycle_manual = fields.Boolean(
        string="Lifecycle Set by Hand", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP,
        help="A director set the stage: the engine keeps it until a director gives it back.")
    kam_lifecycle_reason = fields.Char(
        string="Lifecycle Reason", company_dependent=True, copy=False, readonly=True,
        groups=SALES_GROUP)
    kam_lifecycle_rule_text = fields.Char(
        string="Lifecycle Placed By", compute="_compute_kam_health_texts", groups=SALES_GROUP)

    # ---- Compute ----
    @api.depends_context("company", "lang", "uid")
    @api.depends("kam_health_details", "kam_signal_details", "kam_lifecycle_rule",
                 "kam_lifecycle_reason")
    def _compute_kam_health_texts(self):
        for partner in self:
            details = json.loads(partner.kam_health_details) if partner.kam_health_details \
                else []
            rows = []
            for item in details:
                rows.append(Markup(
                    '<tr class="o_kam_health_component"><td>%s</td>'
                    '<td class="text-end">%s / %s</td></tr>') % (
                    partner._kam_health_component_text(item), item["points"], item["max"]))
            partner.kam_health_html = Markup(
                '<table class="table table-sm o_kam_health_table">%s</table>'
            ) % Markup("").join(rows) if rows else False
            drag = max(details, key=lambda i: i["max"] - i["points"], default=None)
            partner.kam_health_drag = self.env._(
                "%(reason)s: −%(points)s points",
                reason=partner._kam_health_component_text(drag),
                points=round(drag["max"] - drag["points"], 1),
            ) if drag and drag["max"] - drag["points"] >= 0.1 else False
            signals = json.loads(partner.kam_signal_details) if partner.kam_signal_details \
                else {}
            partner.kam_signal_html = Markup("").join(
                Markup('<div class="o_kam_signal"><span class="badge text-bg-warning me-2">%s'
                       '</span>%s</div>') % (
                    self.env._("since %(date)s", date=format_date(self.env, signals[code]["since"])),
                    partner._kam_signal_text(code, signals[code]))
                for code in CHURN_SIGNALS if code in signals) or False
            rule = partner.kam_lifecycle_rule
            partner.kam_lifecycle_rule_text = partner._kam_lifecycle_rule_text(
                rule, partner.kam_lifecycle_reason) if rule else False

    # ---- Texts (rendered in the reader's language) ----
    @api.model
    def _kam_health_component_text(self, item):  # noqa: PLR0911
        """One line for a health component (``code`` and its figures)."""
        code = item["code"]
        if code == "revenue":
            parts = []
            if "growth" in item:
                parts.append(self.env._("revenue 12 months %(growth)+.1f %% vs the 12 before",
                               growth=item["growth"]))
            if "growth_3m" in item:
                parts.append(self.env._("last 3 months %(growth)+.1f %% vs a year earlier",
                               growth=item["growth_3m"]))
            return self.env._("Revenue trend: %(parts)s", parts="; ".join(parts))
        if code == "recency":
            return self.env._("Last order %(days)s days ago, usually every %(interval)s days",
                     days=item["days"], interval=item["interval"])
        if code == "receivables":
            if not item["days"]:
                return self.env._("No overdue receivables")
            return self.env._("Receivables %(days)s days overdue (%(amount)s)",
                     days=item["days"], amount=reader_amount(
                         self.env, item["amount"], self.env.company.currency_id))
        if code == "visits":
            return self.env._("%(done)s visit(s) in the last %(days)s days, the tier asks one every "
                     "%(interval)s days", done=item["done"], days=2 * item["interval"],
                     interval=item["interval"])
        if code == "decision_unit":
            return self.env._("Decision unit: support index %(support)s, %(flags)s red flag(s)",
                     support=item["support"], flags=item["flags"])
        if code == "service":
            if item.get("satisfaction"):
                return self.env._("Green channel: %(breaches)s SLA breach(es) in %(requests)s "
                         "request(s), satisfaction %(satisfaction)s / 5",
                         breaches=item["breaches"], requests=item["requests"],
                         satisfaction=item["satisfaction"])
            return self.env._("Green channel: %(breaches)s SLA breach(es) in %(requests)s request(s)",
                     breaches=item["breaches"], requests=item["requests"])
        return code

    @api.model
    def _kam_stakeholders_text(self, group, names=True):
        """The stakeholders of a decision-unit signal (``{"ids", "decision_makers",
        "coaches"}``): their names for a reader who may read them all (the account
        team, directors), else how many decision makers and coaches."""
        if isinstance(group, list):  # figures of an earlier release: names, no roles
            group = {"ids": [], "people": len(group)}
        if names and group.get("ids"):
            stakeholders = self.env["kam.stakeholder"].with_context(active_test=False).browse(
                group["ids"]).exists()
            if stakeholders and stakeholders.has_access("read"):
                return ", ".join(sorted(name or "?" for name in stakeholders.mapped("name")))
        parts = []
        if group.get("decision_makers"):
            parts.append(self.env._("%(count)s decision maker(s)",
                                    count=group["decision_makers"]))
        if group.get("coaches"):
            parts.append(self.env._("%(count)s coach(es)", count=group["coaches"]))
        if group.get("people"):
            parts.append(self.env._("%(count)s person(s)", count=group["people"]))
        return ", ".join(parts)

    @api.model
    def _kam_signal_text(self, code, figures, names=True):  # noqa: PLR0911
        """The explanation of a churn signal from its figures. The stakeholders of a
        decision-unit signal are named only with ``names`` and to a reader who may read
        them (else counted by role)."""
        if code == "no_order":
            return self.env._("No order for %(days)s days (last on %(last)s): more than twice the "
                     "usual %(interval)s days.", days=figures["days"],
                     last=format_date(self.env, figures["last"]) if figures["last"] else "-",
                     interval=figures["interval"])
        if code == "revenue_drop":
            return self.env._("12-month revenue %(growth)s %% against the 12 months before (signal "
                     "below -%(limit)s %%).", growth=figures["growth"], limit=figures["limit"])
        if code == "overdue":
            return self.env._("Receivables of %(amount)s overdue for %(days)s days (signal after "
                     "%(limit)s days).", amount=reader_amount(
                         self.env, figures["amount"], self.env.company.currency_id),
                     days=figures["days"],
                     limit=figures["limit"])
        if code == "decision_unit":
            parts = []
            if figures.get("gone"):
                parts.append(self.env._(
                    "archived in the last 90 days: %(people)s",
                    people=self._kam_stakeholders_text(figures["gone"], names=names)))
            if figures.get("negative"):
                parts.append(self.env._(
                    "against us: %(people)s",
                    people=self._kam_stakeholders_text(figures["negative"], names=names)))
            return self.env._("Decision maker or coach %(parts)s.", parts="; ".join(parts))
        if code == "sla":
            return self.env._("%(breaches)s green-channel SLA breaches in 90 days (signal from "
                     "%(limit)s).", breaches=figures["breaches"], limit=figures["limit"])
        if code == "satisfaction":
            return self.env._("Green-channel satisfaction %(value)s / 5 in 90 days (signal below "
                     "%(limit)s).", value=figures["satisfaction"], limit=figures["limit"])
        if code == "visits":
            return self.env._("No visit for %(days)s days: two periods of the tier's %(interval)s-day "
                     "cadence.", days=figures["days"], interval=figures["interval"])
        return code

    @api.model
    def _kam_lifecycle_rule_text(self, rule, reason=None):
        texts = {
            "manual": self.env._("Set by a director: %(reason)s", reason=reason or "-"),
            "state_lost": self.env._("The key account is marked lost."),
            "not_registered": self.env._("Not a registered key account yet."),
            "no_revenue_12m": self.env._("No revenue in the last 12 months after revenue the year "
                                "before."),
            "signals": self.env._("Churn signals are raised."),
            "tenure": self.env._("First order less than 12 months ago."),
            "growth": self.env._("Revenue growing 10 % or more over 12 months."),
            "stable": self.env._("Customer for more than a year, revenue stable."),
        }
        return texts.get(rule, rule)

    def _kam_signal_lines(self):
        """The explanations of the account's open churn signals."""
        self.ensure_one()
        signals = json.loads(self.kam_signal_details) if self.kam_signal_details else {}
        return [self._kam_signal_text(code, signals[code])
                for code in CHURN_SIGNALS if code in signals]

    # ---- Actions ----
    def action_kam_set_lifecycle(self):
        """Open the wizard with which a director sets the stage by hand."""
        self.ensure_one()
        self._kam_check_director()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.lifecycle.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id,
                        "default_stage": self.kam_lifecycle_stage},
        }

    def action_kam_lifecycle_automatic(self):
        """Give the stage back to the engine (recomputed by its next run)."""
        self._kam_check_director()
        self._kam_write_engine_figures({
            "kam_lifecycle_manual": False, "kam_lifecycle_reason": False})
        self.env["kam.scoring"]._recompute_companies(
            self.env.company, partners=self.commercial_partner_id)
        return True

    def _kam_set_lifecycle(self, stage, reason):
        """A director sets the stage by hand with a reason; the engine keeps it."""
        self._kam_check_director()
        if not (reason or "").strip():
            raise UserError(self.env._(
                "Give a reason to set the lifecycle stage by hand (field Reason)."))
        self._kam_with_change("manual", reason)._kam_write_engine_figures({
            "kam_lifecycle_stage": stage, "kam_lifecycle_manual": True,
            "kam_lifecycle_rule": "manual", "kam_lifecycle_reason": reason})

    def _kam_check_director(self):
        if not kam_has_group(self.env, DIRECTOR_GROUP):
            raise AccessError(self.env._(
                "Only a Key Account Director can set the lifecycle stage by hand."))
