"""Group customers (集团客户, issue 22) over JSON-2: who sets an account's group, and its
bad input (loops), as over the form."""

import pytest
from odoo_json2 import OdooError

MANAGER = "key_account_management.key_account_management_group_manager"


def test_group_parent_over_api(admin, make_user):
    kam = make_user(MANAGER, "External Group KAM")
    other = make_user(MANAGER, "External Member KAM")
    group_id = admin["res.partner"].create({"name": "External Group HQ", "is_company": True})
    member_id = admin["res.partner"].create(
        {"name": "External Group Branch", "is_company": True})
    admin["res.partner"].write([group_id], {"kam_state": "registered", "kam_manager_id": kam.uid})
    admin["res.partner"].write([member_id], {"kam_state": "registered",
                                             "kam_manager_id": other.uid})
    # the member's KAM is not in the group's team, the group's KAM not in the member's
    with pytest.raises(OdooError, match="account team"):
        other["res.partner"].write([member_id], {"kam_group_parent_id": group_id})
    with pytest.raises(OdooError, match="account team"):
        kam["res.partner"].write([member_id], {"kam_group_parent_id": group_id})
    # a plain context value is no permission
    with pytest.raises(OdooError, match="account team"):
        other.call("res.partner", "write", ids=[member_id],
                   vals={"kam_group_parent_id": group_id}, context={"kam_flow": True})
    admin["res.partner"].write([member_id], {"kam_group_parent_id": group_id})
    assert admin["res.partner"].read([member_id], ["kam_group_parent_id"])[0][
        "kam_group_parent_id"][0] == group_id
    with pytest.raises(OdooError, match="cannot contain itself"):
        admin["res.partner"].write([group_id], {"kam_group_parent_id": member_id})
