"""Issue 20, "public methods are safe to call by anyone who can read the record": every
method without a leading underscore that the addon defines (its kam.* models and its
extensions of res.partner, sale.order, ...; read from the addon's source, so a new one is
swept the day it is written), called over JSON-2 by a user who only reads the record,
with bogus arguments. It must refuse (AccessError, UserError, ValidationError) or change
nothing: the record's stored fields and the number of records of the models an action
could create are compared before and after. The director-only wizards are refused at
creation to everyone else.

ALLOWED lists the methods meant to be called by any reader, with the reason."""

import ast
import glob
import os

import pytest
from attack_paths import GUARD_ERRORS, Json2
from conftest import connect
from odoo_json2 import OdooError

ADDON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "key_account_management")
# the ORM's own entry points (create, write, unlink...) and Odoo's base and mail methods
# the addon overrides: attacked field by field in the other suites
ORM_METHODS = {"create", "write", "unlink", "copy", "read", "search", "init", "default_get",
               "name_search", "fields_get", "message_new", "message_update",
               # the settings' save, for administrators only (res.config.settings' ACL)
               "set_values"}
# the models whose records an action could create or change besides its own record
COUNTED = ("crm.lead", "kam.visit", "kam.visit.plan", "kam.account.plan", "sale.order",
           "mail.activity", "kam.nomination", "kam.credit.rating.request", "rating.rating",
           "kam.tier.history")
SKIPPED_FIELDS = {"write_date", "write_uid", "__last_update", "message_ids",
                  "website_message_ids", "message_follower_ids", "activity_ids",
                  "rating_ids", "activity_date_deadline", "message_is_follower"}

# methods any reader may call: they open a screen or read, and change nothing (the sweep
# still checks that they change nothing)
ALLOWED = {
    "action_view_": "opens a list or form of related records (an action dictionary)",
    "action_open_": "opens a dialog or form (an action dictionary)",
    "action_print": "prints the account plan (a report action)",
    "action_kam_view_": "opens the account's related records",
    "action_kam_open_org_chart": "opens the decision unit's org chart",
    "action_kam_request_credit_rating": "opens the request dialog; the request is checked",
    "action_kam_nominate": "opens the nomination dialog; the nomination is checked",
    # the only reader of a closed visit plan who is not a director is its owner
    "action_prepare_next_period": "the owner prepares their own next plan (a new draft)",
    # the only readers of a pause are the people who handle its request
    "action_end": "Resume, by whoever handles the request (the account's KAM, its team)",
}

# who reads a record of the model without being the one who may change it, in order of
# preference, and which records (admin's domain)
READERS = {
    "kam.account.plan": (["kam_wang"], []),
    "kam.account.plan.whitespace": (["kam_wang", "kam_zhang"], []),
    "kam.care.reminder": (["kam_wang", "kam_zhang", "kam_liu", "kam_li"], []),
    "kam.credit.rating.request": (["kam_zhang", "kam_li"], [("state", "=", "submitted")]),
    "kam.nomination": (["kam_li", "kam_zhang", "kam_wang"], [("state", "=", "to_approve")]),
    # the bank's team reads its relationships (issue 26); none may write one
    "kam.relationship": (["kam_wang", "kam_li"], []),
    "kam.scorecard": (["kam_li", "kam_zhang"], []),
    "kam.service.dispatch": (["kam_zhang", "kam_noc", "kam_li"], []),
    "kam.service.pause": (["kam_zhang", "kam_noc", "kam_li"], []),
    "kam.service.request": (["kam_zhang", "kam_noc", "kam_field", "kam_li"], []),
    "kam.stakeholder": (["kam_wang"], []),
    "kam.tier": (["kam_noc", "kam_wang", "kam_li"], []),
    "kam.visit": (["kam_wang"], []),
    # only its owner and the directors read a visit plan: its owner, on a closed one
    "kam.visit.plan": (["kam_li"], [("state", "=", "done")]),
    "res.partner": (["kam_wang", "kam_noc"], [("kam_state", "=", "registered")]),
    "sale.order": (["kam_wang", "kam_zhang", "kam_li"], []),
}
WIZARDS = ("kam.discount.approval.wizard", "kam.handover.wizard", "kam.lifecycle.wizard",
           "kam.snapshot.analysis.wizard", "kam.tier.lock.wizard",
           # merging contacts copies a key account's values onto the one kept
           "base.partner.merge.automatic.wizard")


def public_methods():
    """{model: {method: (names of its positional parameters, number of defaults,
    whether it is a model method)}} of the addon's source."""
    found = {}
    for path in sorted(glob.glob(os.path.join(ADDON, "models", "*.py"))
                       + glob.glob(os.path.join(ADDON, "wizard", "*.py"))):
        tree = ast.parse(open(path, encoding="utf-8").read())
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            names = {
                stmt.targets[0].id: stmt.value.value for stmt in cls.body
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Constant)}
            model = names.get("_name") or names.get("_inherit")
            if not model:
                continue
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and not fn.name.startswith("_") \
                        and fn.name not in ORM_METHODS:
                    params = [a.arg for a in fn.args.args[1:]]
                    on_model = any(ast.unparse(d) == "api.model" for d in fn.decorator_list)
                    found.setdefault(model, {})[fn.name] = (
                        params, len(fn.args.defaults), on_model)
    return found


def _allowed(method):
    return next((reason for prefix, reason in ALLOWED.items() if method.startswith(prefix)),
                None)


def _bogus(params, defaults):
    """A bogus value for each parameter without default (ids of nobody, a rating of 5)."""
    required = params[:len(params) - defaults] if defaults else params
    return {name: (5 if name in ("rate", "satisfaction") else 999999) for name in required}


@pytest.fixture(scope="module")
def stored_fields(admin):
    cache = {}

    def get(model):
        if model not in cache:
            desc = admin.call(model, "fields_get", attributes=["type", "store"])
            cache[model] = sorted(
                name for name, attrs in desc.items()
                if attrs.get("store") and attrs["type"] not in ("binary", "one2many")
                and name not in SKIPPED_FIELDS)
        return cache[model]
    return get


def _snapshot(admin, model, record, fields):
    counts = {m: admin.call(m, "search_count", domain=[], context={"active_test": False})
              for m in COUNTED}
    row = admin.call(model, "read", ids=[record], fields=fields,
                     context={"active_test": False})
    return row, counts


def test_the_sweep_finds_the_addons_public_methods():
    methods = public_methods()
    assert "action_approve" in methods["kam.nomination"]
    assert "action_kam_recompute" in methods["res.partner"]
    assert "rating_apply" in methods["kam.service.request"]
    assert "write" not in methods["kam.visit"]
    unswept = sorted(set(methods) - set(READERS) - set(WIZARDS))
    # models whose public methods are the ORM's only, or abstract (no record to call)
    assert not unswept, f"no reader chosen for {unswept}"


@pytest.fixture(scope="module")
def pause(admin):
    """A request of the bank waiting on the customer (the demo has no pause)."""
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    request = admin["kam.service.request"].create(
        {"subject": "Attack sweep: a request waiting", "partner_id": bank})
    pause = admin["kam.service.pause"].create({"request_id": request, "reason": "attack"})
    yield pause
    admin["kam.service.pause"].action_end([pause])
    admin["kam.service.request"].write([request], {"cancel_reason": "attack suite"})
    admin["kam.service.request"].action_cancel([request])


@pytest.mark.parametrize("model", sorted(READERS))
def test_public_methods_refuse_or_change_nothing(admin, stored_fields, pause, model):
    methods = public_methods().get(model, {})
    assert methods, f"{model} has no public method of the addon: update READERS"
    logins, domain = READERS[model]
    candidates = admin.call(model, "search", domain=domain, limit=200,
                            context={"active_test": False})
    assert candidates, f"the demo has a {model} record"
    record = reader = None
    for login in logins:
        try:
            readable = connect(login, login).call(
                model, "search", domain=[("id", "in", candidates)], limit=1)
        except OdooError:
            continue  # no read access to the model at all
        if readable:
            record, reader = readable[0], Json2(login)
            break
    assert record, f"none of {logins} reads a {model} record"
    fields = stored_fields(model)
    problems = []
    for method, (params, defaults, on_model) in sorted(methods.items()):
        before = _snapshot(admin, model, record, fields)
        try:
            reader(model, method, None if on_model else [record], **_bogus(params, defaults))
            outcome = "returned"
        except OdooError as exc:
            outcome = "refused" if exc.name in GUARD_ERRORS else f"failed ({exc.name})"
        after = _snapshot(admin, model, record, fields)
        if after != before and not _allowed(method):
            changed = [f for f in fields if before[0][0].get(f) != after[0][0].get(f)]
            counts = [m for m in COUNTED if before[1][m] != after[1][m]]
            problems.append(f"{model}.{method} as {reader.login} ({outcome}) changed "
                            f"{changed} {counts}")
        elif outcome == "returned" and not _allowed(method):
            # a success that changed nothing is fine, but say so for review
            print(f"{model}.{method} as {reader.login}: returned, changed nothing")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("login", ["kam_li", "kam_wang", "kam_noc"])
def test_director_wizards_are_refused_to_others(admin, login):
    client = Json2(login)
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    for wizard in WIZARDS:
        with pytest.raises(OdooError) as caught:
            client(wizard, "create", vals_list=[{"partner_id": bank, "reason": "attack"}
                                                if "lock" in wizard or "lifecycle" in wizard
                                                else {}])
        assert caught.value.name in GUARD_ERRORS, caught.value
