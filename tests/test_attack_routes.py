"""Issue 20, every route of the addon (key_account_management/controllers/) hit over plain
HTTP by an anonymous visitor and by the wrong portal user (a contact of another key
account, and one of a customer that is nobody's key account): a redirect to the login
or a 404, never the page of another customer's request, never a server error, never a
change. The list of routes is read from the controllers' source, so a new route is hit
the day it is written; the sale portal's overrides (an empty ``@http.route()``) are
Odoo's routes of the same method."""

import ast
import glob
import os
import re
import uuid

import pytest
import requests
from attack_paths import GUARD_ERRORS, server
from conftest import connect
from odoo_json2 import OdooError, WebSession

CONTROLLERS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "key_account_management", "controllers")
# the routes the addon overrides without repeating them (Odoo's sale portal)
OVERRIDDEN = {"portal_quote_accept": ["/my/orders/<int:order_id>/accept"],
              "portal_order_transaction": ["/my/orders/<int:order_id>/transaction"]}
CONFIRMED = "Branch network outage: 12 Pudong branches offline"
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
       "60e6kgAAAABJRU5ErkJggg==")


def routes():
    """[(path, type, methods, function name)] of the addon's controllers."""
    found = []
    for path in sorted(glob.glob(os.path.join(CONTROLLERS, "*.py"))):
        tree = ast.parse(open(path, encoding="utf-8").read())
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            for deco in fn.decorator_list:
                if not (isinstance(deco, ast.Call) and ast.unparse(deco.func) == "http.route"):
                    continue
                kwargs = {k.arg: ast.literal_eval(k.value) for k in deco.keywords
                          if k.arg in ("type", "methods", "auth")}
                paths = ast.literal_eval(deco.args[0]) if deco.args else OVERRIDDEN[fn.name]
                kind = kwargs.get("type", "jsonrpc" if fn.name in OVERRIDDEN else "http")
                for url in [paths] if isinstance(paths, str) else paths:
                    found.append((url, kind, kwargs.get("methods") or ["GET", "POST"], fn.name))
    return found


@pytest.fixture(scope="module")
def request_id(admin):
    found = admin["kam.service.request"].search_read([("subject", "=", CONFIRMED)], ["state"])
    assert found, "the demo data is loaded"
    return found[0]["id"]


@pytest.fixture(scope="module")
def quotation(admin):
    """A quotation of kam_li for the bank, to sign online."""
    li = connect("kam_li", "kam_li")
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    product = li["product.product"].search([("sale_ok", "=", True)], limit=1)
    order = li["sale.order"].create({
        "partner_id": bank, "require_signature": True, "require_payment": False,
        "order_line": [(0, 0, {"product_id": product[0], "product_uom_qty": 1,
                               "price_unit": 100.0, "tax_ids": [(6, 0, [])]})]})
    yield order
    admin["sale.order"].action_cancel([order])
    admin["sale.order"].unlink([order])


def _portal_user(admin, company_vals):
    company = admin["res.partner"].create({"is_company": True, **company_vals}) \
        if "name" in company_vals else company_vals["id"]
    login = f"attack_portal_{uuid.uuid4().hex[:6]}"
    contact = admin["res.partner"].create({"name": f"Attack {login}", "parent_id": company,
                                           "email": f"{login}@example.com"})
    admin["res.users"].create({
        "name": f"Attack {login}", "login": login, "password": login + "-pw",
        "partner_id": contact, "group_ids": [(6, 0, [admin.ref("base.group_portal")])]})
    url, db = server()
    return WebSession(url, db, login, login + "-pw")


@pytest.fixture(scope="module")
def strangers(admin):
    """A portal contact of another key account (Dragon Motor), and one of a customer
    that is nobody's key account."""
    dragon = admin.ref("key_account_management.kam_demo_customer_auto")
    return {"other account": _portal_user(admin, {"id": dragon}),
            "no account": _portal_user(admin, {"name": "Attack Stranger Ltd"})}


def _url(path, ids):
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids.get(m.group(1), 1)), path)


def _csrf(http):
    url, _db = server()
    page = http.get(f"{url}/my", timeout=120).text
    match = re.search(r'csrf_token["\']?\s*[:=]\s*["\']([^"\']+)', page)
    return match.group(1) if match else ""


def _hit(http, method, kind, url, ids, who):
    base, db = server()
    target = base + _url(url, ids)
    if kind != "http":
        resp = http.post(target, json={"jsonrpc": "2.0", "method": "call", "params": {
            "name": "Stranger", "signature": PNG, "access_token": "bogus"}},
            headers={"X-Odoo-Database": db}, timeout=120)
        return resp
    if method == "POST":
        return http.post(target, data=_data(http, who), allow_redirects=False, timeout=120)
    return http.get(target, allow_redirects=False, timeout=120)


def _state(admin, request_id, order):
    request = admin["kam.service.request"].read(
        [request_id], ["state", "satisfaction", "partner_id", "confirmed_by_partner_id"])
    return request, admin["sale.order"].read([order], ["state"]), \
        admin.call("kam.service.request", "search_count", domain=[("subject", "=", "attack")])


def _data(http, who):
    """What a POST sends: a rating and a comment; a subject (a new request) only from
    visitors who have no account to file it for (the other account's contact may file
    for their own company)."""
    data = {"csrf_token": _csrf(http), "rating": "5", "comment": "attack"}
    if who in ("anonymous", "no account"):
        data["subject"] = "attack"
    return data


def test_the_routes_are_read_from_the_controllers():
    urls = [r[0] for r in routes()]
    assert "/my/service_requests/<int:request_id>/confirm" in urls
    assert "/my/orders/<int:order_id>/accept" in urls


def test_every_route_refuses_the_anonymous_and_the_wrong_portal_user(
        admin, request_id, quotation, strangers):
    ids = {"request_id": request_id, "order_id": quotation, "page": 1}
    before = _state(admin, request_id, quotation)
    visitors = {"anonymous": requests.Session(),
                **{name: web.http for name, web in strangers.items()}}
    problems = []
    for url, kind, methods, name in routes():
        for method in methods:
            for who, http in visitors.items():
                resp = _hit(http, method, kind, url, ids, who)
                where = f"{method} {url} ({name}) as {who}: {resp.status_code}"
                if resp.status_code >= 500:
                    problems.append(f"{where}, a server error")
                elif kind != "http":
                    body = resp.json()
                    result = body.get("result") or {}
                    if "error" not in body and not result.get("error"):
                        problems.append(f"{where}, answered {body}")
                elif resp.status_code == 200:
                    # only a page of the visitor's own (an empty list, a form to fill)
                    if CONFIRMED in resp.text or "Pudong" in resp.text:
                        problems.append(f"{where}, shows the bank's request")
                    if who in ("anonymous", "no account"):
                        problems.append(f"{where}, a page for a visitor without account")
                elif resp.status_code in (301, 302, 303):
                    location = resp.headers.get("Location", "")
                    if who == "anonymous" and "/web/login" not in location:
                        problems.append(f"{where}, redirected to {location}")
                    if who != "anonymous" and re.search(rf"/{request_id}(\D|$)", location):
                        problems.append(f"{where}, went through to {location}")
                elif resp.status_code not in (400, 403, 404):
                    problems.append(f"{where}, unexpected")
    assert not problems, "\n".join(problems)
    assert _state(admin, request_id, quotation) == before


def test_an_employee_sets_no_rating_token(admin, request_id):
    """A rating token is the customer's secret: an employee who may create ratings
    cannot choose one (then use it at /rate/<token>)."""
    kam = connect("kam_li", "kam_li")
    with pytest.raises(OdooError) as caught:
        kam["rating.rating"].create({
            "res_model_id": admin.call("ir.model", "search", domain=[
                ("model", "=", "kam.service.request")])[0],
            "res_id": request_id, "access_token": "attack-known-token"})
    assert caught.value.name in GUARD_ERRORS, caught.value
    url, _db = server()
    resp = requests.get(f"{url}/rate/attack-known-token/5", timeout=120)
    assert resp.status_code in (403, 404) or "attack" not in resp.text
