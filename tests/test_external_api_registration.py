"""Registration (备案) through the external API: a Key Account Manager nominates a
customer, cannot register it or change its tier; a director approves."""

import odoorpc.error
import pytest

MANAGER = "key_account_management.key_account_management_group_manager"


def test_nominate_and_approve_over_api(admin, make_user):
    kam = make_user(MANAGER, "External Nominator")
    partner_id = admin.env["res.partner"].create(
        {"name": "External Nominee Ltd", "is_company": True})
    tier_id = admin.env.ref("key_account_management.kam_tier_demo_key").id

    nomination_id = kam.env["kam.nomination"].create({
        "partner_id": partner_id, "reason": "Wants a 5G campus network",
        "proposed_tier_id": tier_id, "proposed_manager_id": kam.env.uid,
    })
    state = kam.env["res.partner"].read([partner_id], ["kam_state"])[0]["kam_state"]
    assert state == "nominated"

    with pytest.raises(odoorpc.error.RPCError, match="own nomination"):
        kam.env["kam.nomination"].action_approve([nomination_id])
    with pytest.raises(odoorpc.error.RPCError, match="Key Account Director"):
        kam.env["res.partner"].write([partner_id], {"kam_tier_id": tier_id})

    admin.env["kam.nomination"].action_approve([nomination_id])
    partner = admin.env["res.partner"].read(
        [partner_id], ["kam_state", "kam_tier_id", "kam_manager_id"])[0]
    assert partner["kam_state"] == "registered"
    assert partner["kam_tier_id"][0] == tier_id
    assert partner["kam_manager_id"][0] == kam.env.uid


def test_demo_registration_story(admin):
    logistics = admin.env.ref("key_account_management.kam_demo_customer_logistics").id
    pending = admin.env["kam.nomination"].search_read(
        [("partner_id", "=", logistics), ("state", "=", "to_approve")], ["nominated_by_id"])
    assert len(pending) == 1 and pending[0]["nominated_by_id"][1] == "Li Wei"
    order = admin.env.ref("key_account_management.kam_demo_order_auto_discount")
    assert order.state == "sale" and order.kam_tier_id.code == "B"
