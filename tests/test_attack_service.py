"""Issue 20, the green channel's figures, as they were found on the demo database: the
KAM and the service users write the clocks, the satisfaction and the confirmation by
hand, move a request to another customer, call the portal's confirmation in a customer's
name, read the rating tokens; a context key sent by the client unlocks nothing. Over
JSON-2 (an integrator's API key) and JSON-RPC (the web client's session)."""

import os

import pytest
from conftest import connect
from odoo_json2 import OdooError, WebSession

# the demo's stories: the bank's outage was completed yesterday and confirmed today on the
# portal (5 stars); Dragon Motor's leased line move is in progress
CONFIRMED = "Branch network outage: 12 Pudong branches offline"
IN_PROGRESS = "Move the Wuhan plant's leased line to the new data room"


def _request(admin, subject):
    found = admin["kam.service.request"].search_read(
        [("subject", "=", subject)],
        ["state", "partner_id", "kam_manager_id", "resolution_status", "satisfaction",
         "resolution_deadline"])
    assert found, "the demo data is loaded"
    return found[0]


def _login(admin, user_id):
    return admin["res.users"].read([user_id], ["login"])[0]["login"]


@pytest.fixture(scope="module")
def confirmed(admin):
    return _request(admin, CONFIRMED)


@pytest.fixture(scope="module")
def in_progress(admin):
    return _request(admin, IN_PROGRESS)


@pytest.fixture(scope="module")
def kam_of(admin):
    def _kam(request):
        login = _login(admin, request["kam_manager_id"][0])
        return connect(login, login)  # the demo users' password is their login
    return _kam


@pytest.fixture(scope="module")
def technician(admin, in_progress):
    """The service user the request is dispatched to (field service in the demo)."""
    lines = admin["kam.service.dispatch"].search_read(
        [("request_id", "=", in_progress["id"]), ("user_id", "!=", False)], ["user_id"])
    assert lines
    return _login(admin, lines[0]["user_id"][0])


def test_clocks_satisfaction_and_confirmation_refused_over_json2(
        admin, confirmed, in_progress, kam_of, technician):
    for client in (kam_of(in_progress), connect(technician, technician)):
        for vals in ({"resolution_status": "met"},
                     {"resolution_deadline": "2099-01-01 00:00:00"},
                     {"paused_hours": 500.0},
                     {"confirmed_by_partner_id": in_progress["partner_id"][0]}):
            with pytest.raises(OdooError, match="workflow only"):
                client["kam.service.request"].write([in_progress["id"]], vals)
            # a context key is client input: it unlocks nothing
            with pytest.raises(OdooError, match="workflow only"):
                client.call("kam.service.request", "write", ids=[in_progress["id"]],
                            vals=vals, context={"kam_flow": True})
        with pytest.raises(OdooError, match="by hand"):
            client["kam.service.request"].write(
                [in_progress["id"]], {"state": "confirmed"})
    kam = kam_of(confirmed)
    with pytest.raises(OdooError, match="cannot be changed afterwards"):
        kam["kam.service.request"].write([confirmed["id"]], {"satisfaction": 1})
    assert _request(admin, IN_PROGRESS) == in_progress
    assert _request(admin, CONFIRMED) == confirmed


def test_clocks_refused_over_json_rpc(admin, in_progress, technician):
    url, db = os.environ["KAM_ODOO_URL"], os.environ["KAM_ODOO_DB"]
    web = WebSession(url, db, technician, technician)
    with pytest.raises(OdooError, match="workflow only"):
        web.call_kw("kam.service.request", "write",
                    [[in_progress["id"]], {"resolution_status": "met"}],
                    {"context": {"kam_flow": True}})
    assert _request(admin, IN_PROGRESS) == in_progress


def test_request_cannot_move_to_another_customer(admin, in_progress, kam_of):
    other = admin["res.partner"].search(
        [("is_company", "=", True), ("id", "!=", in_progress["partner_id"][0]),
         ("kam_state", "=", "registered")], limit=1)
    assert other
    for client in (kam_of(in_progress), connect("kam_director", "kam_director")):
        with pytest.raises(OdooError, match="cannot be changed once it is filed"):
            client["kam.service.request"].write(
                [in_progress["id"]], {"partner_id": other[0], "requester_id": False})
    assert _request(admin, IN_PROGRESS)["partner_id"] == in_progress["partner_id"]


def test_portal_confirmation_not_callable_in_a_customers_name(admin, in_progress, kam_of):
    kam = kam_of(in_progress)
    contact = admin["res.partner"].search(
        [("parent_id", "=", in_progress["partner_id"][0])], limit=1)
    for method in ("action_confirm_portal", "_confirm_portal"):
        with pytest.raises(OdooError):
            kam.call("kam.service.request", method, ids=[in_progress["id"]],
                     partner=contact[0] if contact else 1, satisfaction=5)
    assert _request(admin, IN_PROGRESS) == in_progress


def test_rating_tokens_are_not_readable_by_employees(admin, confirmed, kam_of):
    ratings = admin["rating.rating"].search_read(
        [("res_model", "=", "kam.service.request"), ("res_id", "=", confirmed["id"])],
        ["access_token"])
    assert ratings and ratings[0]["access_token"], "the bank rated its outage on the portal"
    # the KAM of the other company (Precision Components), the account's own KAM and a
    # service user
    for login in ("kam_liu", _login(admin, confirmed["kam_manager_id"][0]), "kam_noc"):
        client = connect(login, login)
        with pytest.raises(OdooError):
            client["rating.rating"].read([ratings[0]["id"]], ["access_token"])
        with pytest.raises(OdooError):
            client["rating.rating"].search(
                [("access_token", "=", ratings[0]["access_token"])])
