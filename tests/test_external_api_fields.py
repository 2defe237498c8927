"""Key-account fields over the external API: a customer's own portal contact and an
internal user outside sales read none of them, a salesman reads the figures but not
the credit rating, and nobody (a director neither) overwrites the engine's figures,
even with the engine's context key sent by the client."""

import uuid

import pytest
from conftest import _server, connect
from odoo_json2 import OdooError, WebSession

SALESMAN = "sales_team.group_sale_salesman"
BANK = "key_account_management.kam_demo_customer_bank"


@pytest.fixture(scope="module")
def bank(admin):
    return admin.ref(BANK)


def _portal_contact_of(admin, company_id):
    login = f"kamt_sys_portal_{uuid.uuid4().hex[:8]}"
    contact_id = admin["res.partner"].create(
        {"name": "Portal Buyer", "parent_id": company_id, "email": f"{login}@example.com"})
    admin.call("res.users", "create", context={"no_reset_password": True}, vals_list=[{
        "login": login, "password": login + "-pw", "partner_id": contact_id,
        "group_ids": [(6, 0, [admin.ref("base.group_portal")])],
    }])
    # portal users may not create API keys: they reach the ORM through their web session
    url, db = _server()
    return WebSession(url, db, login, login + "-pw")


def test_portal_contact_reads_no_internal_field(admin, bank):
    portal = _portal_contact_of(admin, bank)
    assert portal["res.partner"].read([bank], ["name"])[0]["name"]
    for fname in ("kam_credit_rating", "kam_score", "kam_revenue_12m", "kam_tier_id"):
        with pytest.raises(OdooError):
            portal["res.partner"].read([bank], [fname])


def test_internal_user_outside_sales_and_salesman(admin, make_user, bank):
    internal = make_user("base.group_user", "Warehouse Clerk")
    for fname in ("kam_credit_rating", "kam_score", "kam_revenue_12m", "kam_state"):
        with pytest.raises(OdooError):
            internal["res.partner"].read([bank], [fname])
    salesman = make_user(SALESMAN, "Field Seller")
    data = salesman["res.partner"].read([bank], ["kam_score", "kam_revenue_12m"])[0]
    assert data["kam_score"] > 0 and data["kam_revenue_12m"] > 0
    with pytest.raises(OdooError):
        salesman["res.partner"].read([bank], ["kam_credit_rating"])


def test_nobody_forges_engine_figures(admin, bank):
    before = admin["res.partner"].read([bank], ["kam_score", "kam_revenue_12m"])[0]
    for login in ("kam_li", "kam_director"):
        client = connect(login, login)
        for vals in ({"kam_score": 1.0}, {"kam_revenue_12m": 1.0}, {"kam_pareto_class": "c"}):
            with pytest.raises(OdooError, match="nobody can change it"):
                client["res.partner"].write([bank], vals)
            with pytest.raises(OdooError):
                client.call("res.partner", "write", ids=[bank], vals=vals,
                            context={"kam_engine_write": True})
    after = admin["res.partner"].read([bank], ["kam_score", "kam_revenue_12m"])[0]
    assert after == before
