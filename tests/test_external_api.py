"""The addon seen from outside: login, menus, models, and a Key Account Manager
working through the external API (JSON-2; one test on XML-RPC while Odoo 19 serves it)."""

import os
import xmlrpc.client

import pytest
from odoo_json2 import OdooError

MANAGER = "key_account_management.key_account_management_group_manager"
DIRECTOR = "key_account_management.key_account_management_group_director"


def test_addon_installed(admin):
    module = admin["ir.module.module"].search_read(
        [("name", "=", "key_account_management")], ["state", "latest_version"])
    assert module and module[0]["state"] == "installed"
    assert module[0]["latest_version"].startswith("19.0.")


def test_xmlrpc_still_served(admin):
    """Odoo 19 still serves XML-RPC (deprecated, removed in Odoo 20; the server logs a
    deprecation warning for this call): existing integrations keep working meanwhile."""
    url, db = os.environ["KAM_ODOO_URL"], os.environ["KAM_ODOO_DB"]
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, "kam_li", "kam_li", {})
    assert uid
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    accounts = models.execute_kw(db, uid, "kam_li", "res.partner", "search_read",
                                 [[("kam_state", "=", "registered")]], {"fields": ["name"]})
    assert bank in [a["id"] for a in accounts]


def test_key_accounts_menu_visible_to_admin(admin):
    root = admin.ref("key_account_management.key_account_management_menu_root")
    menus = admin["ir.ui.menu"].search_read([("id", "=", root)], ["name"])
    assert [m["id"] for m in menus] == [root]
    assert menus[0]["name"] == "Key Accounts"


def test_menu_models_readable(admin):
    """Every window action under the Key Accounts menu opens a readable model."""
    root = admin.ref("key_account_management.key_account_management_menu_root")
    menus = admin["ir.ui.menu"].search_read(
        [("id", "child_of", root), ("action", "!=", False)], ["action"])
    models = set()
    for menu in menus:
        kind, action_id = menu["action"].split(",")
        if kind == "ir.actions.act_window":
            models.add(admin[kind].read([int(action_id)], ["res_model"])[0]["res_model"])
    assert {"kam.tier", "res.partner"} <= models
    for model in models:
        admin[model].search([], limit=1)


def test_demo_tiers_and_account(admin):
    tiers = admin["kam.tier"].search_read([], ["code", "name"], order="sequence")
    assert [t["code"] for t in tiers][:3] == ["A", "B", "C"]
    accounts = admin["res.partner"].search_read(
        [("kam_state", "=", "registered")], ["name", "kam_tier_id", "kam_manager_id"])
    assert accounts, "the demo data registers key accounts"
    assert all(a["kam_tier_id"] and a["kam_manager_id"] for a in accounts)


def test_manager_reads_and_serves_own_account(admin, make_user):
    """A Key Account Manager reads tiers, sees the account they manage and builds its team."""
    kam = make_user(MANAGER, "External KAM")
    kam_uid = kam.uid
    partner_id = admin["res.partner"].create({"name": "External API Customer",
                                                  "is_company": True})
    admin["res.partner"].write([partner_id], {
        "kam_state": "registered", "kam_manager_id": kam_uid})

    assert kam["kam.tier"].search_read([], ["code"])
    mine = kam["res.partner"].search([("kam_user_ids", "in", [kam_uid])])
    assert partner_id in mine

    colleague = admin["res.users"].create({"name": "Tech Colleague", "login": "kam_sys_tech"})
    member_id = kam["kam.team.member"].create({
        "partner_id": partner_id, "user_id": colleague, "role": "technical"})
    member = kam["kam.team.member"].read([member_id], ["role", "user_id"])[0]
    assert member["role"] == "technical" and member["user_id"][0] == colleague


def test_manager_cannot_configure_tiers(admin, make_user):
    kam = make_user(MANAGER)
    with pytest.raises(OdooError) as caught:
        kam["kam.tier"].create({"name": "Hacked", "code": "HX"})
    assert caught.value.name == "odoo.exceptions.AccessError" and caught.value.status == 403
