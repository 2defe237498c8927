"""Registration (备案) through the external API: a Key Account Manager nominates a
customer, cannot register it or change its tier; a director approves."""

import pytest
from odoo_json2 import OdooError

MANAGER = "key_account_management.key_account_management_group_manager"


def test_nominate_and_approve_over_api(admin, make_user):
    kam = make_user(MANAGER, "External Nominator")
    partner_id = admin["res.partner"].create(
        {"name": "External Nominee Ltd", "is_company": True})
    tier_id = admin.ref("key_account_management.kam_tier_demo_key")

    nomination_id = kam["kam.nomination"].create({
        "partner_id": partner_id, "reason": "Wants a 5G campus network",
        "proposed_tier_id": tier_id, "proposed_manager_id": kam.uid,
    })
    state = kam["res.partner"].read([partner_id], ["kam_state"])[0]["kam_state"]
    assert state == "nominated"

    with pytest.raises(OdooError, match="own nomination"):
        kam["kam.nomination"].action_approve([nomination_id])
    with pytest.raises(OdooError, match="Key Account Director"):
        kam["res.partner"].write([partner_id], {"kam_tier_id": tier_id})

    admin["kam.nomination"].action_approve([nomination_id])
    partner = admin["res.partner"].read(
        [partner_id], ["kam_state", "kam_tier_id", "kam_manager_id"])[0]
    assert partner["kam_state"] == "registered"
    assert partner["kam_tier_id"][0] == tier_id
    assert partner["kam_manager_id"][0] == kam.uid


def test_demo_registration_story(admin):
    logistics = admin.ref("key_account_management.kam_demo_customer_logistics")
    pending = admin["kam.nomination"].search_read(
        [("partner_id", "=", logistics), ("state", "=", "to_approve")], ["nominated_by_id"])
    assert len(pending) == 1 and pending[0]["nominated_by_id"][1] == "Li Wei"
    order_id = admin.ref("key_account_management.kam_demo_order_auto_discount")
    order = admin["sale.order"].read([order_id], ["state", "kam_tier_id"])[0]
    tier = admin["kam.tier"].read([order["kam_tier_id"][0]], ["code"])[0]
    assert order["state"] == "sale" and tier["code"] == "B"
