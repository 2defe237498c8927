"""Issue 15, as it was found: over the external API, on the demo database, a Key
Account Manager tries to give themselves access to another KAM's account."""

import pytest
from odoo_json2 import OdooError

MANAGER = "key_account_management.key_account_management_group_manager"


def test_kam_cannot_relink_team_row_to_another_account(admin, make_user):
    kam = make_user(MANAGER, "Relink KAM")
    other = make_user(MANAGER, "Relink Other KAM")
    Partner = admin["res.partner"]
    mine = Partner.create({"name": "Relink Own Account", "is_company": True})
    theirs = Partner.create({"name": "Relink Other Account", "is_company": True})
    Partner.write([mine], {"kam_state": "registered", "kam_manager_id": kam.uid})
    Partner.write([theirs], {"kam_state": "registered", "kam_manager_id": other.uid})
    person = Partner.create({"name": "Relink Person", "parent_id": theirs})
    secret = admin["kam.stakeholder"].create({
        "partner_id": theirs, "contact_id": person, "personal_needs": "Relink secret"})
    helper = admin["res.users"].create({"name": "Relink Helper", "login": "kam_sys_relink"})
    row = kam["kam.team.member"].create({"partner_id": mine, "user_id": helper})

    with pytest.raises(OdooError, match="cannot be changed once the record exists"):
        kam["kam.team.member"].write([row], {"partner_id": theirs, "user_id": kam.uid})
    assert admin["kam.team.member"].read([row], ["partner_id"])[0]["partner_id"][0] == mine
    assert kam["kam.stakeholder"].search([("partner_id", "=", theirs)]) == []
    with pytest.raises(OdooError):
        kam["kam.stakeholder"].read([secret], ["personal_needs"])
