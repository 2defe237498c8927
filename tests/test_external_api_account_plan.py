"""Account plans through the external API, as the demo key account managers."""

import pytest
from conftest import connect
from odoo_json2 import OdooError


def test_kam_reads_own_approved_plan_with_figures(admin):
    li = connect("kam_li", "kam_li")
    plan_id = admin.ref("key_account_management.kam_account_plan_demo_bank")
    plan = li["kam.account.plan"].read(
        [plan_id], ["state", "revenue_target", "actual_revenue", "achievement", "forecast_revenue",
                    "weighted_amount", "competitor_ids", "objective_ids"])[0]
    assert plan["state"] == "approved"
    assert plan["revenue_target"] == 2400000
    assert plan["weighted_amount"] >= 240000  # the demo SD-WAN opportunity, 40 % of 600k
    assert plan["forecast_revenue"] >= plan["actual_revenue"] + 240000 - 0.01
    assert plan["competitor_ids"] and len(plan["objective_ids"]) == 3
    with pytest.raises(OdooError):
        li["kam.account.plan"].write([plan_id], {"revenue_target": 1})


def test_other_kam_does_not_see_the_bank_plan(admin):
    zhang = connect("kam_zhang", "kam_zhang")
    plan_id = admin.ref("key_account_management.kam_account_plan_demo_bank")
    assert plan_id not in zhang["kam.account.plan"].search([])
    own = admin.ref("key_account_management.kam_account_plan_demo_auto")
    assert own in zhang["kam.account.plan"].search([])


def test_kam_plans_a_new_account_and_submits(admin):
    zhang = connect("kam_zhang", "kam_zhang")
    zhang_uid = zhang.uid
    partner_id = admin["res.partner"].create({"name": "External Plan Customer",
                                                  "is_company": True})
    admin["res.partner"].write([partner_id], {"kam_state": "registered",
                                                  "kam_manager_id": zhang_uid})
    Plan = zhang["kam.account.plan"]
    plan_id = Plan.create({
        "partner_id": partner_id, "revenue_target": 300000,
        "objective_ids": [(0, 0, {"name": "First order", "target_value": 1})],
        "action_ids": [(0, 0, {"name": "Kick-off meeting", "user_id": zhang_uid})],
    })
    plan = Plan.read([plan_id], ["user_id", "state", "achievement"])[0]
    assert plan["user_id"][0] == zhang_uid and plan["state"] == "draft"
    Plan.action_submit([plan_id])
    with pytest.raises(OdooError):
        Plan.write([plan_id], {"revenue_target": 1})
    assert Plan.read([plan_id], ["state"])[0]["state"] == "submitted"
