#!/usr/bin/env python3
"""Writes the "Key Accounts" spreadsheet dashboard (o-spreadsheet JSON, the
format of Odoo 19's shipped dashboards, version 18.5.10) to
key_account_management/data/files/key_accounts_dashboard.json.

    python3 tools/kam_dashboard.py

The JSON is generated rather than edited by hand: change this script and run
it again. The addon's test (tests/test_kam_dashboard.py) checks that every
model and field the dashboard uses exists.
"""

import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "key_account_management", "data", "files",
                   "key_accounts_dashboard.json")

# global filters
PERIOD, COMPANY, KAM, TIER = (
    "a1f0c2d4-0001-4000-8000-000000000001",
    "a1f0c2d4-0002-4000-8000-000000000002",
    "a1f0c2d4-0003-4000-8000-000000000003",
    "a1f0c2d4-0004-4000-8000-000000000004",
)
GLOBAL_FILTERS = [
    {"id": PERIOD, "type": "date", "label": "Period", "defaultValue": "this_year"},
    {"id": COMPANY, "type": "relation", "label": "Company", "modelName": "res.company",
     "defaultValueDisplayNames": []},
    {"id": KAM, "type": "relation", "label": "Key Account Manager", "modelName": "res.users",
     "defaultValueDisplayNames": []},
    {"id": TIER, "type": "relation", "label": "Tier", "modelName": "kam.tier",
     "defaultValueDisplayNames": []},
]


def matching(date=None, date_type="date", company="company_id", kam=None, tier=None):
    """fieldMatching of a data source: which of its fields each global filter filters."""
    result = {}
    if date:
        result[PERIOD] = {"chain": date, "type": date_type, "offset": 0}
    if company:
        result[COMPANY] = {"chain": company, "type": "many2one"}
    if kam:
        result[KAM] = {"chain": kam, "type": "many2one"}
    if tier:
        result[TIER] = {"chain": tier, "type": "many2one"}
    return result


SALE = matching("date", "datetime", kam="kam_manager_id", tier="kam_tier_id")
CURVE = matching(kam="kam_manager_id", tier="tier_id")
VISITS = matching("month", kam="user_id", tier="tier_id")
PLANS = matching("date_start", kam="user_id", tier="tier_id")
CARDS = matching("date_start", kam="user_id")
ACCOUNTS = matching(company=None, kam="kam_manager_id", tier="kam_tier_id")
SERVICE = matching("request_date", "datetime", kam="kam_manager_id", tier="tier_id")
# the key accounts and their health (company-dependent values of res.partner)
REGISTERED = [["kam_state", "=", "registered"]]
AT_RISK = ["&", ["kam_state", "=", "registered"],
           "|", ["kam_health_band", "=", "red"], ["kam_lifecycle_stage", "=", "at_risk"]]


def odoo_chart(chart_id, kind, title, model, group_by, measure, domain, fields, x, y, w, h,
               action=None, **extra):
    data = {
        "title": {"text": title, "bold": True, "color": "#434343"},
        "background": "#FFFFFF",
        "legendPosition": extra.pop("legend", "none"),
        "metaData": {"groupBy": group_by, "measure": measure, "order": None,
                     "resModel": model, "mode": kind.split("_")[1], "cumulatedStart": False},
        "searchParams": {"comparison": None, "context": {"group_by": []}, "domain": domain,
                         "groupBy": group_by, "orderBy": []},
        "type": kind,
        "dataSets": [{}],
        "verticalAxisPosition": "left",
        "stacked": extra.pop("stacked", False),
        "cumulatedStart": False,
        "chartId": chart_id,
        "fieldMatching": fields,
    }
    if action:
        data["actionXmlId"] = action
    data.update(extra)
    return {"id": chart_id, "width": w, "height": h, "tag": "chart", "data": data,
            "offset": {"x": x, "y": y}, "col": 0, "row": 0}


def kpi(chart_id, title, key_cell, x, baseline=None, baseline_text=None):
    data = {"title": {"text": title, "bold": True, "color": "#434343"}, "type": "scorecard",
            "background": "#EFF6FF", "keyValue": f"Data!{key_cell}", "humanize": True,
            "chartId": chart_id, "baselineColorDown": "#DC6965", "baselineColorUp": "#00A04A"}
    if baseline:
        data.update({"baseline": f"Data!{baseline}", "baselineMode": "difference",
                     "baselineDescr": {"text": baseline_text}})
    return {"id": chart_id, "width": 265, "height": 101, "tag": "chart", "data": data,
            "offset": {"x": x, "y": 45}, "col": 0, "row": 0}


def build():
    pivots = {
        "1": {
            "type": "ODOO", "id": "1", "formulaId": "1", "name": "Scorecards (year)",
            "model": "kam.scorecard", "domain": [["period_type", "=", "year"]],
            "context": {}, "columns": [], "rows": [],
            "measures": [{"id": f, "fieldName": f} for f in (
                "revenue", "revenue_target", "key_account_share", "target_share",
                "visit_compliance", "plan_coverage", "score")],
            "fieldMatching": CARDS,
        },
        "2": {
            "type": "ODOO", "id": "2", "formulaId": "2", "name": "Top Key Account Managers",
            "model": "kam.scorecard", "domain": [["period_type", "=", "year"]],
            "context": {}, "columns": [], "rows": [{"fieldName": "user_id"}],
            # no userDefinedName: a pivot's own headers are not translated (the table
            # below has headers of its own, in _t() cells, as Odoo's dashboards do)
            "measures": [{"id": f, "fieldName": f} for f in (
                "score", "revenue", "revenue_achievement", "visit_compliance")],
            "sortedColumn": {"measure": "score", "order": "desc", "domain": []},
            "fieldMatching": CARDS,
        },
    }
    list_columns = ["name", "kam_tier_id", "kam_manager_id", "kam_health_score",
                    "kam_health_band", "kam_revenue_12m"]
    lists = {
        "1": {
            "columns": list_columns, "model": "res.partner", "context": {}, "id": "1",
            "name": "Accounts at Risk",
            "domain": AT_RISK,
            "orderBy": [{"name": "kam_revenue_12m", "asc": False}],
            "fieldMatching": ACCOUNTS,
        },
    }
    cells = {
        "A1": '=_t("Key Accounts")',
        "A34": '=_t("Top Key Account Managers")',
        # the pivot without its own header rows (its corner reads the pivot's name and
        # its measures row the field labels, neither as the table's headers should:
        # PIVOT(id, rows, totals, column titles, columns, measure titles)); the headers
        # are translated cells
        "A35": '=_t("Key Account Manager")',
        "B35": '=_t("Score")',
        "C35": '=_t("Revenue")',
        "D35": '=_t("vs Target (%)")',
        "E35": '=_t("Visits (%)")',
        "A36": "=PIVOT(2, 10, FALSE, FALSE, 4, FALSE)",
        "A49": '=_t("Accounts at Risk")',
    }
    styles = {"A1": 1, "A34": 2, "A49": 2, "A35": 3, "B35:E35": 4, "A50:F50": 3}
    for col, field in zip("ABCDEF", list_columns, strict=True):
        cells[f"{col}50"] = f'=ODOO.LIST.HEADER(1, "{field}")'
        for i in range(1, 11):
            cells[f"{col}{50 + i}"] = f'=ODOO.LIST(1,{i},"{field}")'
    data_cells = {
        "A1": '=_t("KPI")', "B1": '=_t("Value")',
        "A2": '=_t("Key-account revenue")', "B2": '=PIVOT.VALUE(1,"revenue")',
        "A3": '=_t("Revenue target")', "B3": '=PIVOT.VALUE(1,"revenue_target")',
        "A4": '=_t("Key-account share of revenue (%)")',
        "B4": '=PIVOT.VALUE(1,"key_account_share")',
        "A5": '=_t("Target share (%)")', "B5": '=PIVOT.VALUE(1,"target_share")',
        "A6": '=_t("Visit compliance (%)")', "B6": '=PIVOT.VALUE(1,"visit_compliance")',
        "A7": '=_t("Accounts with a plan (%)")', "B7": '=PIVOT.VALUE(1,"plan_coverage")',
        "A8": '=_t("Average score")', "B8": '=PIVOT.VALUE(1,"score")',
    }
    figures = [
        kpi("kam-kpi-revenue", "Key-Account Revenue", "B2", 0, "B3", "target"),
        kpi("kam-kpi-share", "Key-Account Share (%)", "B4", 275, "B5", "target"),
        kpi("kam-kpi-visits", "Visit Compliance (%)", "B6", 550),
        kpi("kam-kpi-plans", "Accounts with a Plan (%)", "B7", 825),
        odoo_chart("kam-chart-revenue-tier", "odoo_bar", "Revenue by Tier and Month",
                   "sale.report", ["date:month", "kam_tier_id"], "price_subtotal",
                   [["state", "=", "sale"], ["kam_tier_id", "!=", False]], SALE,
                   0, 160, 545, 330, legend="top", stacked=True),
        odoo_chart("kam-chart-pareto", "odoo_line", "Pareto Curve (12 months)",
                   "kam.pareto.curve", ["rank", "series"], "value", [], CURVE,
                   555, 160, 545, 330, action="key_account_management.kam_pareto_curve_action",
                   legend="top"),
        odoo_chart("kam-chart-visits", "odoo_line", "Visit Compliance by Month",
                   "kam.visit.compliance.report", ["month:month"], "compliance", [], VISITS,
                   0, 500, 545, 300,
                   action="key_account_management.kam_visit_compliance_report_action"),
        odoo_chart("kam-chart-plans", "odoo_bar", "Plan Achievement by Manager (%)",
                   "kam.account.plan", ["user_id"], "report_achievement",
                   [["state", "in", ["approved", "closed"]]], PLANS, 555, 500, 545, 300),
        odoo_chart("kam-chart-health", "odoo_pie", "Key Accounts by Health Band",
                   "res.partner", ["kam_health_band"], "__count", REGISTERED, ACCOUNTS,
                   0, 810, 545, 300,
                   action="key_account_management.res_partner_action_key_accounts",
                   legend="top"),
        odoo_chart("kam-chart-sla", "odoo_line", "SLA Compliance by Month (%)",
                   "kam.service.report", ["request_date:month"], "sla_compliance", [],
                   SERVICE, 555, 810, 545, 300,
                   action="key_account_management.kam_service_report_action"),
    ]
    # the figures are anchored at A1 with pixel offsets; the tables start below them
    # 32 rows of 35 px hold the 1110 px of figures
    rows = {str(r): {"size": 35} for r in range(1, 33)}
    rows.update({"0": {"size": 40}, "33": {"size": 40}, "48": {"size": 40}})
    sheet = {
        "id": "sheet1", "name": "Dashboard", "colNumber": 6, "rowNumber": 64,
        "rows": rows, "cols": {"0": {"size": 300}, "1": {"size": 160}, "2": {"size": 200},
                               "3": {"size": 160}, "4": {"size": 160}, "5": {"size": 100}},
        "merges": [], "cells": cells, "styles": styles, "formats": {}, "borders": {},
        "conditionalFormats": [], "dataValidationRules": [], "figures": figures,
        "tables": [], "areGridLinesVisible": False, "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []}, "comments": {},
    }
    data_sheet = {
        "id": "sheet2", "name": "Data", "colNumber": 4, "rowNumber": 20, "rows": {},
        "cols": {"0": {"size": 260}, "1": {"size": 120}}, "merges": [], "cells": data_cells,
        "styles": {}, "formats": {}, "borders": {}, "conditionalFormats": [],
        "dataValidationRules": [], "figures": [], "tables": [], "areGridLinesVisible": True,
        "isVisible": True, "headerGroups": {"ROW": [], "COL": []}, "comments": {},
    }
    return {
        "version": "18.5.10",
        "sheets": [sheet, data_sheet],
        "styles": {
            "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
            "2": {"textColor": "#01666b", "bold": True, "fontSize": 14},
            "3": {"bold": True, "textColor": "#434343"},
            # headers of figures, over the pivot's right-aligned numbers
            "4": {"bold": True, "textColor": "#434343", "align": "right"},
        },
        "formats": {}, "borders": {}, "revisionId": "START_REVISION", "uniqueFigureIds": True,
        "settings": {"locale": {"name": "English (US)", "code": "en_US",
                                "thousandsSeparator": ",", "decimalSeparator": ".",
                                "dateFormat": "mm/dd/yyyy", "timeFormat": "hh:mm:ss",
                                "formulaArgSeparator": ",", "weekStart": 7}},
        "pivots": pivots, "pivotNextId": 3, "customTableStyles": {},
        "globalFilters": GLOBAL_FILTERS, "lists": lists, "listNextId": 2,
        "chartOdooMenusReferences": {
            "kam-kpi-revenue": "key_account_management.kam_scorecard_menu",
            "kam-kpi-share": "key_account_management.kam_target_menu",
            "kam-kpi-visits": "key_account_management.kam_visit_compliance_report_menu",
            "kam-kpi-plans": "key_account_management.kam_account_plan_menu",
            "kam-chart-plans": "key_account_management.kam_account_plan_menu_plans_vs_actuals",
            "kam-chart-revenue-tier": "key_account_management.kam_pareto_report_menu",
            "kam-chart-health": "key_account_management.res_partner_menu_key_accounts_at_risk",
            "kam-chart-sla": "key_account_management.kam_service_report_menu",
        },
    }


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(build(), fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    print(OUT)


if __name__ == "__main__":
    main()
