import json
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..models.kam_service_request import OPEN_STATES

SVG_WIDTH, SVG_HEIGHT, SVG_BARS_HEIGHT = 600, 150, 115


class ReportKamAccountReview(models.AbstractModel):
    """The one-page account review of the quarterly business review: every
    figure of one key account (or of a whole portfolio), read in batch for all
    the printed accounts."""

    _name = "report.key_account_management.kam_account_review_document"
    _description = "Key Account Review"

    @api.model
    def _get_report_values(self, docids, data=None):
        company = self.env.company
        partners = self.env["res.partner"].with_company(company).browse(docids)
        today = self.env.company._kam_today()
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "today": today,
            "review": self._review_values(partners, company, today),
        }

    @api.model
    def _review_values(self, partners, company, today):
        """``{partner_id: {...}}``: revenue bars, visits, plan and actions,
        health and service figures of the accounts, in a fixed number of
        queries."""
        ids = partners.ids
        first = today.replace(day=1) - relativedelta(months=11)
        months = [first + relativedelta(months=i) for i in range(12)]
        monthly = self.env["kam.revenue"]._get_monthly_revenue_by_partner(
            company, first, today.replace(day=1) + relativedelta(months=1), partner_ids=ids)

        visit_groups = self.env["kam.visit"]._read_group(
            Domain("partner_id", "in", ids) & Domain("company_id", "=", company.id)
            & (Domain("state", "=", "planned")
               | (Domain("state", "=", "done")
                  & Domain("visit_date", ">=", today - timedelta(days=365)))),
            ["partner_id", "state"], ["__count"])
        visits = defaultdict(lambda: {"done": 0, "planned": 0})
        for partner, state, count in visit_groups:
            visits[partner.id][state] = count

        plans = partners.mapped("kam_current_plan_id")
        actions = self.env["kam.account.plan.action"].search(
            [("plan_id", "in", plans.ids), ("state", "in", ("todo", "in_progress"))],
            order="date_deadline, id")
        actions_by_plan = defaultdict(lambda: self.env["kam.account.plan.action"])
        for action in actions:
            actions_by_plan[action.plan_id.id] |= action

        health = self._review_health(partners, company)
        service_requests = self._review_requests(partners, company)
        see_decision_unit = self.env.user.has_group("sales_team.group_sale_salesman")
        result = {}
        for partner in partners:
            amounts = [monthly.get((partner.id, m), 0.0) for m in months]
            top = max(amounts) or 1.0
            step = SVG_WIDTH / 12
            bars = []
            for i, (month, amount) in enumerate(zip(months, amounts, strict=True)):
                height = max(amount, 0.0) / top * SVG_BARS_HEIGHT
                bars.append({
                    "label": month.strftime("%m/%y"), "amount": amount,
                    "x": round(i * step + 6, 1), "width": round(step - 12, 1),
                    "y": round(SVG_BARS_HEIGHT - height + 5, 1), "height": round(height, 1),
                    "label_x": round(i * step + step / 2, 1),
                })
            plan = partner.kam_current_plan_id
            result[partner.id] = {
                "bars": bars,
                # the engine's figure, as on the account and the dashboard (the bars
                # are calendar months, the current one included)
                "revenue_12m": partner.kam_revenue_12m,
                "visits_done": visits[partner.id]["done"],
                "visits_planned": visits[partner.id]["planned"],
                "plan": plan,
                "open_actions": actions_by_plan[plan.id] if plan else self.env[
                    "kam.account.plan.action"],
                "health": health.get(partner.id),
                "requests": service_requests.get(partner.id),
                "see_decision_unit": see_decision_unit,
            }
        return result

    # ---- Hooks for the capabilities built elsewhere ----
    @api.model
    def _review_health(self, partners, company):
        """``{partner_id: {"score": float, "components": [(label, value)],
        "signals": [text]}}``: the health score, each component's reason with
        its points, and the explanations of the open churn signals."""
        result = {}
        for partner in partners.with_company(company):
            details = json.loads(partner.kam_health_details) if partner.kam_health_details \
                else []
            result[partner.id] = {
                "score": partner.kam_health_score or 0.0,
                "components": [
                    (partner._kam_health_component_text(item),
                     f"{item['points']} / {item['max']}") for item in details],
                "signals": partner._kam_signal_lines(),
            }
        return result

    @api.model
    def _review_requests(self, partners, company):
        """``{partner_id: {"open": int, "breached": int}}``: the account's open
        green-channel requests, and its requests with a breached SLA among those
        of the last 90 days, cancelled ones left out as in the health and the
        scorecard (two grouped reads)."""
        Request = self.env["kam.service.request"]
        base = [("company_id", "=", company.id), ("partner_id", "in", partners.ids)]
        result = {pid: {"open": 0, "breached": 0} for pid in partners.ids}
        for partner, count in Request._read_group(
                [*base, ("state", "in", list(OPEN_STATES))], ["partner_id"], ["__count"]):
            result[partner.id]["open"] = count
        since = fields.Datetime.now() - timedelta(days=90)
        for partner, count in Request._read_group(
                [*base, ("is_breached", "=", True), ("state", "!=", "cancelled"),
                 ("request_date", ">=", since)],
                ["partner_id"], ["__count"]):
            result[partner.id]["breached"] = count
        return result
