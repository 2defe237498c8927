"""Issue 20, the plans' and scorecards' guards over the network: a frozen scorecard keeps
its figures and only a director unfreezes it; visit plans and account plans move by their
buttons and the director's approval (never their owner's, never a bare write of the
state); an approved visit plan keeps its period and its budget (the planned expenses of
its visits). Over JSON-2, the web client's JSON-RPC and /jsonrpc execute_kw, with the
context keys a client may send (the flow key as a value, the old unlock keys)."""

import datetime

import pytest
from attack_paths import FORGED_CONTEXTS, Json2, every_path, refused
from conftest import connect

XMLID = "key_account_management.{}".format
SCORECARD_FIELDS = ["revenue", "revenue_target", "score", "rank", "visits_done",
                    "visit_compliance", "state", "frozen_by_id", "frozen_date", "computed_date"]


def _ref(admin, name):
    return admin.ref(XMLID(name))


# ---- Scorecards ----
@pytest.fixture(scope="module")
def frozen(admin):
    """Last year's scorecards of the main company, frozen by the demo director."""
    cards = admin["kam.scorecard"].search([("state", "=", "frozen")])
    assert cards, "the demo froze last year's scorecards"
    return cards


def _cards(admin, cards):
    return admin["kam.scorecard"].read(cards, SCORECARD_FIELDS)


def test_frozen_scorecard_keeps_its_figures(admin, frozen):
    before = _cards(admin, frozen)
    card = frozen[:1]
    for login in ("kam_director", "kam_li"):
        for path in every_path(login):
            for vals in ({"revenue": 1.0}, {"score": 99.0}, {"rank": 1}, {"state": "open"},
                         {"frozen_by_id": False}, {"computed_date": "2020-01-01 00:00:00"}):
                refused(path, "kam.scorecard", "write", card, vals=vals)
                for context in FORGED_CONTEXTS:
                    refused(path, "kam.scorecard", "write", card, vals=vals, context=context)
            refused(path, "kam.scorecard", "unlink", card)
    # a director's refresh, whatever the context says, leaves a frozen period alone
    for path in every_path("kam_director"):
        for context in FORGED_CONTEXTS:
            path("kam.scorecard", "action_refresh", context=context)
    assert _cards(admin, frozen) == before


def test_only_a_director_unfreezes_or_refreshes(admin, frozen):
    before = _cards(admin, frozen)
    card = frozen[:1]
    for login in ("kam_li", "kam_zhang", "kam_noc", "kam_liu", "kam_wang"):
        for path in every_path(login):
            refused(path, "kam.scorecard", "action_unfreeze", card)
            refused(path, "kam.scorecard", "action_refresh")
            for context in FORGED_CONTEXTS:
                refused(path, "kam.scorecard", "action_unfreeze", card, context=context)
    assert _cards(admin, frozen) == before


# ---- Monthly snapshots ----
def test_snapshots_are_the_engines_record(admin):
    """The monthly snapshots (churn rate, tier migration) are written by the daily job and
    the directors' back-fill only: a director forged a month's health and status."""
    bank = _ref(admin, "kam_demo_customer_bank")
    company = admin.ref("base.main_company")
    director = Json2("kam_director")
    last_month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(
        day=1).isoformat()
    wizard = director("kam.snapshot.analysis.wizard", "create", vals_list=[
        {"company_id": company, "month_from": last_month, "month_to": last_month}])[0]
    director("kam.snapshot.analysis.wizard", "action_backfill", [wizard])
    snapshots = admin["kam.account.snapshot"].search([("month", "=", last_month)])
    assert snapshots, "the back-fill (the directors' flow) writes the snapshots"
    fields = ["health_score", "score", "kam_state", "tier_id", "month", "partner_id"]
    before = admin["kam.account.snapshot"].read(snapshots, fields)
    for path in every_path("kam_director"):
        refused(path, "kam.account.snapshot", "create", vals_list=[{
            "partner_id": bank, "company_id": company, "month": "2020-01-01",
            "kam_state": "registered", "health_score": 99.0}])
        for vals in ({"health_score": 1.0}, {"kam_state": "lost"}, {"score": 100.0},
                     {"month": "2020-01-01"}):
            refused(path, "kam.account.snapshot", "write", snapshots[:1], vals=vals,
                    match="workflow only")
            for context in FORGED_CONTEXTS:
                refused(path, "kam.account.snapshot", "write", snapshots[:1], vals=vals,
                        context=context)
        refused(path, "kam.account.snapshot", "unlink", snapshots[:1], match="by hand")
    for path in every_path("kam_li"):
        refused(path, "kam.account.snapshot", "write", snapshots[:1],
                vals={"health_score": 1.0})
    assert admin["kam.account.snapshot"].read(snapshots, fields) == before


# ---- Visit plans ----
@pytest.fixture(scope="module")
def next_year():
    year = datetime.date.today().year + 1
    return f"{year}-06-01", f"{year}-06-30", f"{year}-06-15 08:00:00", f"{year}-06-15 09:00:00"


@pytest.fixture(scope="module")
def visit_plans(admin):
    made = []
    yield made
    for plan in made:
        state = admin["kam.visit.plan"].read([plan], ["state"])[0]["state"]
        if state == "submitted":
            admin["kam.visit.plan"].write([plan], {"review_comment": "attack suite"})
            admin["kam.visit.plan"].action_refuse([plan])
        elif state == "approved":
            admin["kam.visit.plan"].action_cancel([plan])
        if admin["kam.visit.plan"].read([plan], ["state"])[0]["state"] in ("refused", "cancelled"):
            admin["kam.visit.plan"].action_draft([plan])
        visits = admin["kam.visit"].search([("plan_id", "=", plan)])
        if visits:
            admin["kam.visit"].unlink(visits)
        admin["kam.visit.plan"].unlink([plan])


def _plan_with_visit(login, account, period, visit_plans, expense=100.0):
    client = Json2(login)
    start, end, visit_start, visit_end = period
    plan = client("kam.visit.plan", "create", vals_list=[
        {"date_start": start, "date_end": end}])[0]
    visit_plans.append(plan)
    visit = client("kam.visit", "create", vals_list=[{
        "partner_id": account, "plan_id": plan, "objective": "Attack suite: a planned visit",
        "date_start": visit_start, "date_end": visit_end, "expense_planned": expense}])[0]
    client("kam.visit.plan", "action_submit", [plan])
    return plan, visit


def _plan(admin, plan):
    return admin["kam.visit.plan"].read(
        [plan], ["state", "date_start", "date_end", "user_id", "reviewer_id", "planned_budget",
                 "visit_count"])[0]


def test_visit_plan_moves_by_its_buttons_and_a_director(admin, next_year, visit_plans):
    bank = _ref(admin, "kam_demo_customer_bank")
    plan, _visit = _plan_with_visit("kam_li", bank, next_year, visit_plans)
    before = _plan(admin, plan)
    li = connect("kam_li", "kam_li").uid
    for path in every_path("kam_li"):
        refused(path, "kam.visit.plan", "action_approve", [plan])
        for vals in ({"state": "approved"}, {"state": "draft"}, {"reviewer_id": li},
                     {"review_comment": "self-approved"}):
            refused(path, "kam.visit.plan", "write", [plan], vals=vals)
            for context in FORGED_CONTEXTS:
                refused(path, "kam.visit.plan", "write", [plan], vals=vals, context=context)
    for path in every_path("kam_liu"):  # the other company's KAM
        refused(path, "kam.visit.plan", "read", [plan], fields=["state"])
        refused(path, "kam.visit.plan", "action_approve", [plan])
    # a director approves with the button, not by writing the state
    for path in every_path("kam_director"):
        refused(path, "kam.visit.plan", "write", [plan],
                vals={"reviewer_id": connect("kam_li", "kam_li").uid})
    assert _plan(admin, plan) == before


def test_director_does_not_approve_own_visit_plan(admin, next_year, visit_plans):
    bank = _ref(admin, "kam_demo_customer_bank")
    plan, _visit = _plan_with_visit("kam_director", bank, next_year, visit_plans)
    for path in every_path("kam_director"):
        refused(path, "kam.visit.plan", "action_approve", [plan], match="your own")
        refused(path, "kam.visit.plan", "write", [plan], vals={"state": "approved"},
                match="your own")
    assert _plan(admin, plan)["state"] == "submitted"


def test_approved_visit_plan_keeps_its_period_and_budget(admin, next_year, visit_plans):
    bank = _ref(admin, "kam_demo_customer_bank")
    plan, visit = _plan_with_visit("kam_li", bank, next_year, visit_plans)
    director = Json2("kam_director")
    director("kam.visit.plan", "write", [plan], vals={"review_comment": "Go ahead"})
    director("kam.visit.plan", "action_approve", [plan])
    before = _plan(admin, plan)
    assert before["state"] == "approved" and before["planned_budget"] == 100.0
    zhang = connect("kam_zhang", "kam_zhang").uid
    start, end, visit_start, visit_end = next_year
    for login in ("kam_li", "kam_director"):
        for path in every_path(login):
            for vals in ({"date_start": start[:5] + "01-01"}, {"date_end": end[:5] + "12-31"},
                         {"user_id": zhang}, {"state": "draft"}, {"state": "submitted"}):
                refused(path, "kam.visit.plan", "write", [plan], vals=vals)
                for context in FORGED_CONTEXTS:
                    refused(path, "kam.visit.plan", "write", [plan], vals=vals,
                            context=context)
            # the budget: the planned expenses of its visits, raised tenfold
            refused(path, "kam.visit", "write", [visit], vals={"expense_planned": 1000.0},
                    match="budget")
            for context in FORGED_CONTEXTS:
                refused(path, "kam.visit", "write", [visit], vals={"expense_planned": 1000.0},
                        context=context)
            # a new visit (and its expense) in the approved plan, or one taken out of it
            refused(path, "kam.visit", "create", vals_list=[{
                "partner_id": bank, "plan_id": plan, "objective": "Attack: one more",
                "date_start": visit_start, "date_end": visit_end, "expense_planned": 5000.0}])
            refused(path, "kam.visit", "write", [visit], vals={"plan_id": False})
    after = _plan(admin, plan)
    assert after == before
    assert admin["kam.visit"].read([visit], ["expense_planned"])[0]["expense_planned"] == 100.0


# ---- Account plans ----
@pytest.fixture(scope="module")
def account_plans(admin):
    made = []
    yield made
    for plan in made:
        state = admin["kam.account.plan"].read([plan], ["state"])[0]["state"]
        if state != "draft":
            admin["kam.account.plan"].action_reopen([plan])
        admin["kam.account.plan"].unlink([plan])


def _account_plan(admin, plan):
    return admin["kam.account.plan"].read(
        [plan], ["state", "date_start", "date_end", "revenue_target", "approved_by_id",
                 "approved_date", "user_id", "partner_id"])[0]


def test_approved_account_plan_is_fixed_for_its_kam(admin):
    plan = _ref(admin, "kam_account_plan_demo_bank")
    before = _account_plan(admin, plan)
    assert before["state"] == "approved"
    li = connect("kam_li", "kam_li").uid
    for path in every_path("kam_li"):
        for method in ("action_close", "action_reopen", "action_approve"):
            refused(path, "kam.account.plan", method, [plan])
        for vals in ({"state": "draft"}, {"state": "closed"}, {"approved_by_id": li},
                     {"approved_date": "2020-01-01"}, {"revenue_target": 1.0},
                     {"date_start": "2000-01-01"}, {"date_end": "2099-12-31"}):
            refused(path, "kam.account.plan", "write", [plan], vals=vals)
            for context in FORGED_CONTEXTS:
                refused(path, "kam.account.plan", "write", [plan], vals=vals,
                        context=context)
    for login in ("kam_zhang", "kam_liu", "kam_noc"):
        for path in every_path(login):
            refused(path, "kam.account.plan", "write", [plan], vals={"revenue_target": 1.0})
            refused(path, "kam.account.plan", "action_close", [plan])
    assert _account_plan(admin, plan) == before


def test_account_plan_is_approved_by_another_director_with_the_button(admin, account_plans):
    hospital = _ref(admin, "kam_demo_customer_hospital")
    year = datetime.date.today().year + 2
    li = Json2("kam_li")
    plan = li("kam.account.plan", "create", vals_list=[{
        "partner_id": hospital, "revenue_target": 1000.0,
        "date_start": f"{year}-01-01", "date_end": f"{year}-12-31"}])[0]
    account_plans.append(plan)
    for path in every_path("kam_li"):
        refused(path, "kam.account.plan", "write", [plan], vals={"state": "approved"})
        refused(path, "kam.account.plan", "create", vals_list=[{
            "partner_id": hospital, "revenue_target": 1.0, "state": "approved",
            "date_start": f"{year + 1}-01-01", "date_end": f"{year + 1}-12-31"}])
    li("kam.account.plan", "action_submit", [plan])
    for path in every_path("kam_li"):
        refused(path, "kam.account.plan", "action_approve", [plan])
        refused(path, "kam.account.plan", "write", [plan], vals={"state": "approved"})
    # a director's own plan waits for another director
    director = Json2("kam_director")
    own = director("kam.account.plan", "create", vals_list=[{
        "partner_id": hospital, "revenue_target": 1000.0,
        "user_id": connect("kam_director", "kam_director").uid,
        "date_start": f"{year + 3}-01-01", "date_end": f"{year + 3}-12-31"}])[0]
    account_plans.append(own)
    director("kam.account.plan", "action_submit", [own])
    for path in every_path("kam_director"):
        refused(path, "kam.account.plan", "action_approve", [own], match="your own")
        refused(path, "kam.account.plan", "write", [own], vals={"state": "approved"},
                match="your own")
        for context in FORGED_CONTEXTS:
            refused(path, "kam.account.plan", "write", [own], vals={"state": "approved"},
                    context=context)
    assert admin["kam.account.plan"].read([plan, own], ["state"]) == [
        {"id": plan, "state": "submitted"}, {"id": own, "state": "submitted"}]
