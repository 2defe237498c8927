"""The addon seen from outside: login, menus, models, and a Key Account Manager
working through the external API."""

MANAGER = "key_account_management.key_account_management_group_manager"
DIRECTOR = "key_account_management.key_account_management_group_director"


def test_addon_installed(admin):
    module = admin.env["ir.module.module"].search_read(
        [("name", "=", "key_account_management")], ["state", "latest_version"])
    assert module and module[0]["state"] == "installed"
    assert module[0]["latest_version"].startswith("19.0.")


def test_key_accounts_menu_visible_to_admin(admin):
    root = admin.env.ref("key_account_management.key_account_management_menu_root")
    menus = admin.env["ir.ui.menu"].search([("id", "=", root.id)])
    assert menus == [root.id]
    assert root.name == "Key Accounts"


def test_menu_models_readable(admin):
    """Every window action under the Key Accounts menu opens a readable model."""
    root = admin.env.ref("key_account_management.key_account_management_menu_root")
    menus = admin.env["ir.ui.menu"].search_read(
        [("id", "child_of", root.id), ("action", "!=", False)], ["action"])
    models = set()
    for menu in menus:
        kind, action_id = menu["action"].split(",")
        if kind == "ir.actions.act_window":
            models.add(admin.env[kind].read([int(action_id)], ["res_model"])[0]["res_model"])
    assert {"kam.tier", "res.partner"} <= models
    for model in models:
        admin.env[model].search([], limit=1)


def test_demo_tiers_and_account(admin):
    tiers = admin.env["kam.tier"].search_read([], ["code", "name"], order="sequence")
    assert [t["code"] for t in tiers][:3] == ["A", "B", "C"]
    accounts = admin.env["res.partner"].search_read(
        [("kam_state", "=", "registered")], ["name", "kam_tier_id", "kam_manager_id"])
    assert accounts, "the demo data registers key accounts"
    assert all(a["kam_tier_id"] and a["kam_manager_id"] for a in accounts)


def test_manager_reads_and_serves_own_account(admin, make_user):
    """A Key Account Manager reads tiers, sees the account they manage and builds its team."""
    kam = make_user(MANAGER, "External KAM")
    kam_uid = kam.env.uid
    partner_id = admin.env["res.partner"].create({"name": "External API Customer",
                                                  "is_company": True})
    admin.env["res.partner"].write([partner_id], {
        "kam_state": "registered", "kam_manager_id": kam_uid})

    assert kam.env["kam.tier"].search_read([], ["code"])
    mine = kam.env["res.partner"].search([("kam_user_ids", "in", [kam_uid])])
    assert partner_id in mine

    colleague = admin.env["res.users"].create({"name": "Tech Colleague", "login": "kam_sys_tech"})
    member_id = kam.env["kam.team.member"].create({
        "partner_id": partner_id, "user_id": colleague, "role": "technical"})
    member = kam.env["kam.team.member"].read([member_id], ["role", "user_id"])[0]
    assert member["role"] == "technical" and member["user_id"][0] == colleague


def test_manager_cannot_configure_tiers(admin, make_user):
    import odoorpc.error

    kam = make_user(MANAGER)
    try:
        kam.env["kam.tier"].create({"name": "Hacked", "code": "HX"})
    except odoorpc.error.RPCError as exc:
        assert "access" in str(exc).lower() or "not allowed" in str(exc).lower()
    else:
        raise AssertionError("a Key Account Manager must not create tiers")
