"""The visit system over the external API: a KAM of the demo completes a visit,
a director approves a plan."""

import datetime

import pytest
from conftest import connect
from odoo_json2 import OdooError

XMLID = "key_account_management.{}".format


def _ref(client, name):
    return client.ref(XMLID(name))


def test_demo_visits_and_overdue_hospital(admin):
    hospital = _ref(admin, "kam_demo_customer_hospital")
    data = admin["res.partner"].read([hospital], ["kam_visit_overdue", "kam_last_visit_date"])
    assert data[0]["kam_visit_overdue"] is True
    assert data[0]["kam_last_visit_date"]
    overdue = admin["res.partner"].search([("kam_visit_overdue", "=", True)])
    assert hospital in overdue
    plan = admin["kam.visit.plan"].read([_ref(admin, "kam_demo_visit_plan_li")],
                                            ["state", "visit_count", "planned_budget"])[0]
    assert plan["state"] == "submitted" and plan["visit_count"] == 2
    assert plan["planned_budget"] == 1700


def test_kam_completes_a_visit(admin):
    li = connect("kam_li", "kam_li")
    bank = _ref(admin, "kam_demo_customer_bank")
    Visit = li["kam.visit"]
    assert Visit.search([("user_id", "=", li.uid)]), "Li Wei has demo visits"
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    visit_id = Visit.create({
        "partner_id": bank, "objective": "External API visit",
        "date_start": (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S"),
        "date_end": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
    })
    with pytest.raises(OdooError):
        li["kam.visit"].action_done([visit_id])
    Visit.write([visit_id], {"summary": "<p>Pilot signed</p>", "satisfaction": 5})
    li["kam.visit"].action_done([visit_id])
    visit = Visit.read([visit_id], ["state", "visit_date", "calendar_event_id"])[0]
    assert visit["state"] == "done" and visit["calendar_event_id"]
    last = li["res.partner"].read([bank], ["kam_last_visit_date"])[0]["kam_last_visit_date"]
    assert last == visit["visit_date"]


def test_plan_approval_rights(admin):
    plan_id = _ref(admin, "kam_demo_visit_plan_li")
    li = connect("kam_li", "kam_li")
    with pytest.raises(OdooError):
        li["kam.visit.plan"].write([plan_id], {"note": "<p>changed while submitted</p>"})
    with pytest.raises(OdooError):
        li["kam.visit.plan"].action_approve([plan_id])
    director = connect("kam_director", "kam_director")
    director["kam.visit.plan"].write([plan_id], {"review_comment": "Go ahead"})
    director["kam.visit.plan"].action_approve([plan_id])
    assert admin["kam.visit.plan"].read([plan_id], ["state"])[0]["state"] == "approved"
