"""Decision units over the external API, on the demo data: the bank's KAM maps
its decision unit and sees its red flags; another KAM is refused."""

import pytest
from conftest import connect
from odoo_json2 import OdooError


@pytest.fixture(scope="module")
def kam_li():
    return connect("kam_li", "kam_li")


@pytest.fixture(scope="module")
def kam_zhang():
    return connect("kam_zhang", "kam_zhang")


def _id(admin, xmlid):
    return admin.ref(f"key_account_management.{xmlid}")


def test_kam_reads_decision_unit_and_red_flags(admin, kam_li):
    bank = _id(admin, "kam_demo_customer_bank")
    stakeholders = kam_li["kam.stakeholder"].search_read(
        [("partner_id", "=", bank)], ["name", "attitude", "attitude_value", "influence",
                                      "competitor_id", "reports_to_id"])
    by_name = {s["name"]: s for s in stakeholders}
    assert {"Zhou Hong", "Sun Lei", "Ma Li"} <= set(by_name)
    assert by_name["Ma Li"]["attitude_value"] == -10 and by_name["Ma Li"]["competitor_id"]
    assert by_name["Sun Lei"]["reports_to_id"][1] == "Zhou Hong"
    account = kam_li["res.partner"].read(
        [bank], ["kam_has_red_flags", "kam_flag_opponent", "kam_support_index"])[0]
    assert account["kam_has_red_flags"] and account["kam_flag_opponent"]
    flagged = kam_li["res.partner"].search([("kam_has_red_flags", "=", True)])
    assert bank in flagged


def test_kam_adds_stakeholder_with_new_person(admin, kam_li):
    bank = _id(admin, "kam_demo_customer_bank")
    person = kam_li["res.partner"].create({"name": "API New Person", "parent_id": bank})
    role = _id(admin, "kam_decision_role_influencer")
    stakeholder = kam_li["kam.stakeholder"].create({
        "partner_id": bank, "contact_id": person, "attitude": "2", "role_ids": [(6, 0, [role])]})
    assert kam_li["kam.stakeholder"].read([stakeholder], ["attitude_value"])[0][
        "attitude_value"] == 2
    with pytest.raises(OdooError, match="not on the scale"):
        kam_li["kam.stakeholder"].write([stakeholder], {"attitude": "9"})
    kam_li["kam.stakeholder"].unlink([stakeholder])


def test_other_kam_is_refused(admin, kam_zhang):
    bank = _id(admin, "kam_demo_customer_bank")
    assert not kam_zhang["kam.stakeholder"].search([("partner_id", "=", bank)])
    cio = _id(admin, "kam_demo_stakeholder_bank_cio")
    with pytest.raises(OdooError):
        kam_zhang["kam.stakeholder"].read([cio], ["personal_needs"])
