"""Issue 20, the accounts' guards over the network: nominations (four eyes, decisions by
the buttons only), credit rating requests and the partner's credit fields, the bounds
of the key-account figures, the mirrors of private data (churn and health texts,
activities, chatter and tracking of credit changes, visits' calendar events) and the
cron progress key a client sends with a manual recompute.

Each attack is replayed as the roles concerned (salesperson without key-account group,
KAM, KAM of the other company, service user, director) over JSON-2, the web client's
JSON-RPC and /jsonrpc execute_kw; a context key sent by the client unlocks nothing."""

import uuid

import pytest
from attack_paths import FORGED_CONTEXTS, GUARD_ERRORS, Json2, every_path, refused
from conftest import connect
from odoo_json2 import OdooError

XMLID = "key_account_management.{}".format


def _ref(admin, name):
    return admin.ref(XMLID(name))


@pytest.fixture(scope="module")
def ids(admin):
    return {
        "company": admin.ref("base.main_company"),
        "tier": _ref(admin, "kam_tier_demo_growth"),
        "kam_li": connect("kam_li", "kam_li").uid,
        "kam_wang": connect("kam_wang", "kam_wang").uid,
        "director": connect("kam_director", "kam_director").uid,
        "bank": _ref(admin, "kam_demo_customer_bank"),
        "hospital": _ref(admin, "kam_demo_customer_hospital"),
        "rating_a": _ref(admin, "kam_credit_rating_demo_a"),
    }


# ---- Nominations ----
@pytest.fixture(scope="module")
def nominee(admin):
    """make(): a new customer company, nobody's key account yet; its nominations still
    open at the end are rejected (by admin, a director who nominated none of them)."""
    made = []

    def make():
        partner = admin["res.partner"].create(
            {"name": f"Attack Nominee {uuid.uuid4().hex[:6]}", "is_company": True})
        made.append(partner)
        return partner
    yield make
    left = admin["kam.nomination"].search(
        [("partner_id", "in", made), ("state", "=", "to_approve")])
    if left:
        admin["kam.nomination"].write(left, {"rejection_reason": "attack suite"})
        admin["kam.nomination"].action_reject(left)


def _nominate(login, partner, ids):
    return Json2(login)("kam.nomination", "create", vals_list=[{
        "partner_id": partner, "reason": "Attack suite: a nomination to decide",
        "proposed_tier_id": ids["tier"], "proposed_manager_id": ids["kam_li"]}])[0]


def _nomination(admin, nomination):
    return admin["kam.nomination"].read(
        [nomination], ["state", "decided_by_id", "nominated_by_id", "partner_id"])[0]


def test_salesperson_and_kam_do_not_decide_a_nomination(admin, ids, nominee):
    partner = nominee()
    nomination = _nominate("kam_wang", partner, ids)
    before = _nomination(admin, nomination)
    assert before["state"] == "to_approve" and before["nominated_by_id"][0] == ids["kam_wang"]
    for login in ("kam_wang", "kam_li"):
        for path in every_path(login):
            for method in ("action_approve", "action_reject"):
                refused(path, "kam.nomination", method, [nomination])
            for vals in ({"state": "approved"}, {"decided_by_id": ids["director"]},
                         {"nominated_by_id": ids["director"]},
                         {"decision_date": "2020-01-01 00:00:00"}):
                refused(path, "kam.nomination", "write", [nomination], vals=vals)
                for context in FORGED_CONTEXTS:
                    refused(path, "kam.nomination", "write", [nomination], vals=vals,
                            context=context)
    assert _nomination(admin, nomination) == before


def test_a_nomination_is_created_to_approve_in_ones_own_name(admin, ids, nominee):
    partner = nominee()
    for path in every_path("kam_wang"):
        for vals in ({"state": "approved"}, {"nominated_by_id": ids["director"]},
                     {"decided_by_id": ids["director"]}):
            refused(path, "kam.nomination", "create", vals_list=[{
                "partner_id": partner, "reason": "forged", "proposed_tier_id": ids["tier"],
                "proposed_manager_id": ids["kam_li"], **vals}])
    assert not admin["kam.nomination"].search([("partner_id", "=", partner)])


def test_director_writes_no_decision_around_the_buttons(admin, ids, nominee):
    nomination = _nominate("kam_wang", nominee(), ids)
    before = _nomination(admin, nomination)
    for path in every_path("kam_director"):
        # a bare change of state leaves the account behind: the Approve button only
        refused(path, "kam.nomination", "write", [nomination], vals={"state": "approved"},
                match="Approve button")
        for context in FORGED_CONTEXTS:
            refused(path, "kam.nomination", "write", [nomination],
                    vals={"state": "approved"}, context=context)
        # who nominated never changes; a decision is in the name of who takes it
        refused(path, "kam.nomination", "write", [nomination],
                vals={"nominated_by_id": ids["director"]})
        refused(path, "kam.nomination", "write", [nomination],
                vals={"decided_by_id": ids["kam_li"]})
    assert _nomination(admin, nomination) == before


def test_director_does_not_approve_own_nomination(admin, ids, nominee):
    partner = nominee()
    nomination = _nominate("kam_director", partner, ids)
    for path in every_path("kam_director"):
        refused(path, "kam.nomination", "action_approve", [nomination],
                match="your own nomination")
        for context in FORGED_CONTEXTS:
            refused(path, "kam.nomination", "action_approve", [nomination], context=context)
    # around the button: register the account by hand, then mark the nomination approved
    director = Json2("kam_director")
    director("res.partner", "write", [partner], vals={
        "kam_state": "registered", "kam_tier_id": ids["tier"], "kam_manager_id": ids["kam_li"]})
    for path in every_path("kam_director"):
        refused(path, "kam.nomination", "write", [nomination], vals={"state": "approved"},
                match="your own nomination")
    assert _nomination(admin, nomination)["state"] == "to_approve"
    # the other directors are asked, not the one who nominated
    asked = admin["mail.activity"].search_read(
        [("res_model", "=", "kam.nomination"), ("res_id", "=", nomination)], ["user_id"])
    assert asked and ids["director"] not in [a["user_id"][0] for a in asked]


# ---- Credit ----
@pytest.fixture(scope="module")
def credit_requests(admin):
    made = []
    yield made
    left = admin["kam.credit.rating.request"].search(
        [("id", "in", made), ("state", "!=", "approved")])
    if left:
        admin["kam.credit.rating.request"].unlink(left)


def _credit(admin, partner):
    return admin.call("res.partner", "read", ids=[partner], fields=[
        "credit_limit", "kam_credit_rating_id", "kam_credit_rating", "property_payment_term_id"])


def _request_rating(login, ids, credit_requests):
    client = Json2(login)
    request = client("kam.credit.rating.request", "create", vals_list=[{
        "partner_id": ids["hospital"], "new_rating_id": ids["rating_a"],
        "reason": "Attack suite: a better rating"}])[0]
    credit_requests.append(request)
    client("kam.credit.rating.request", "action_submit", [request])
    return request


def test_kam_does_not_approve_a_credit_rating(admin, ids, credit_requests):
    before = _credit(admin, ids["hospital"])
    request = _request_rating("kam_li", ids, credit_requests)
    for path in every_path("kam_li"):
        for method in ("action_approve", "action_refuse"):
            refused(path, "kam.credit.rating.request", method, [request])
        for vals in ({"state": "approved"}, {"decided_by_id": ids["director"]},
                     {"decided_on": "2020-01-01 00:00:00"},
                     {"requested_by_id": ids["director"]}):
            refused(path, "kam.credit.rating.request", "write", [request], vals=vals)
            for context in FORGED_CONTEXTS:
                refused(path, "kam.credit.rating.request", "write", [request], vals=vals,
                        context=context)
        # what the director decides on is fixed once submitted
        refused(path, "kam.credit.rating.request", "write", [request],
                vals={"reason": "changed after submission"})
    state = admin["kam.credit.rating.request"].read([request], ["state"])[0]["state"]
    assert state == "submitted"
    assert _credit(admin, ids["hospital"]) == before


def test_director_does_not_approve_own_credit_request(admin, ids, credit_requests):
    before = _credit(admin, ids["hospital"])
    request = _request_rating("kam_director", ids, credit_requests)
    for path in every_path("kam_director"):
        refused(path, "kam.credit.rating.request", "action_approve", [request],
                match="another Key Account Director")
        refused(path, "kam.credit.rating.request", "write", [request],
                vals={"state": "approved"})
    assert _credit(admin, ids["hospital"]) == before


def test_partner_credit_fields_are_written_by_an_approval_only(admin, ids):
    before = _credit(admin, ids["hospital"])
    term = admin["account.payment.term"].search([], limit=1)
    for login in ("kam_li", "kam_wang", "kam_director"):
        for path in every_path(login):
            for vals in ({"credit_limit": 10 ** 9}, {"kam_credit_rating_id": ids["rating_a"]},
                         {"kam_credit_rating": "a"}, {"property_payment_term_id": term[0]}):
                if vals.get("property_payment_term_id") == before[0]["property_payment_term_id"]:
                    continue
                refused(path, "res.partner", "write", [ids["hospital"]], vals=vals)
                for context in FORGED_CONTEXTS:
                    refused(path, "res.partner", "write", [ids["hospital"]], vals=vals,
                            context=context)
    assert _credit(admin, ids["hospital"]) == before


# ---- Bounds ----
def test_out_of_range_figures_get_a_clear_error_and_jam_nothing(admin, ids):
    before = admin["res.partner"].read([ids["bank"]], ["kam_strategic_value"])[0]
    for path in every_path("kam_li"):
        for vals, field in (({"kam_strategic_value": 3000000000}, "Strategic Value"),
                            ({"kam_strategic_value": -1}, "Strategic Value"),
                            ({"kam_potential_revenue": 1e20}, "Potential")):
            error = refused(path, "res.partner", "write", [ids["bank"]], vals=vals,
                            match="between")
            assert field.lower() in error.message.lower(), error.message
    for path in every_path("kam_director"):
        for vals in ({"visit_interval_days": 3000000000}, {"min_score": 3000000000},
                     {"response_sla_hours": 10 ** 7}, {"max_discount": 1000}):
            refused(path, "kam.tier", "write", [ids["tier"]], vals=vals)
    # the account list still reads, the figures of the night still compute
    for login in ("kam_li", "kam_director", "admin"):
        client = connect(login, login)
        rows = client["res.partner"].search_read(
            [("kam_state", "=", "registered")],
            ["name", "kam_strategic_value", "kam_potential_revenue", "kam_score"])
        assert rows
    assert admin["res.partner"].read([ids["bank"]], ["kam_strategic_value"])[0] == before


def test_service_clocks_and_settings_are_bounded(admin, ids):
    """An SLA policy's hours of 1e308 were accepted: from then on every urgent request of
    a Strategic account (the portal's too) failed with an OverflowError. The clocks and
    the green channel's settings hold what the engine adds to dates."""
    policies = admin["kam.sla.policy"].search_read(
        [("company_id", "=", ids["company"])], ["response_hours", "resolution_hours",
                                                 "confirmation_hours"])
    assert policies, "the demo has SLA policies"
    for path in every_path("kam_director"):
        for fname in ("response_hours", "resolution_hours", "confirmation_hours"):
            for value in (1e308, 10.0 ** 6):
                refused(path, "kam.sla.policy", "write", [policies[0]["id"]],
                        vals={fname: value}, match="between")
    for path in every_path("admin"):
        for vals in ({"kam_service_confirmation_hours": 1e308},
                     {"kam_service_director_hours": 1e308},
                     {"kam_service_return_visit_days": 10 ** 6},
                     {"kam_service_risk_percent": 1e308},
                     {"kam_service_dispatch_share": 1e308},
                     {"kam_plan_pace_threshold": 1e308}):
            refused(path, "res.company", "write", [ids["company"]], vals=vals,
                    match="between")
    assert admin["kam.sla.policy"].search_read(
        [("company_id", "=", ids["company"])],
        ["response_hours", "resolution_hours", "confirmation_hours"]) == policies


def test_out_of_range_dates_get_a_clear_error(admin, ids):
    """A visit dated where the time zone or the engine's cadence leaves the calendar, a
    plan of ten thousand years: refused with a message naming the field, not a server
    error (OverflowError) on every later read of the record."""
    bank = ids["bank"]
    attempts = [
        ("kam.visit", {"partner_id": bank, "objective": "Attack: far away",
                       "date_start": "9999-12-31 20:00:00", "date_end": "9999-12-31 21:00:00"}),
        ("kam.visit", {"partner_id": bank, "objective": "Attack: long ago",
                       "date_start": "0001-01-01 00:30:00", "date_end": "0001-01-01 01:00:00"}),
        ("kam.visit.plan", {"date_start": "9999-12-01", "date_end": "9999-12-31"}),
        ("kam.account.plan", {"partner_id": ids["hospital"], "revenue_target": 1.0,
                              "date_start": "0001-01-01", "date_end": "9999-12-31"}),
    ]
    for path in every_path("kam_li"):
        for model, vals in attempts:
            refused(path, model, "create", vals_list=[vals], match="between")
    # and on a record that exists
    visit = admin["kam.visit"].search([("partner_id", "=", bank), ("state", "=", "planned")],
                                      limit=1)
    plan = _ref(admin, "kam_account_plan_demo_bank")
    for path in every_path("kam_director"):
        if visit:
            refused(path, "kam.visit", "write", visit, match="between",
                    vals={"date_start": "9999-12-31 20:00:00", "date_end": "9999-12-31 21:00:00"})
        refused(path, "kam.account.plan", "write", [plan], vals={"date_end": "9999-12-31"},
                match="between")
    assert connect("kam_li", "kam_li")["kam.visit"].search_read(
        [("partner_id", "=", bank)], ["visit_date", "date_start"])



# the numbers of the configuration a director types in, by model: (field, its label)
CONFIG_NUMBERS = {
    "kam.tier": (("sequence", "Sequence"), ("color", "Color"),
                 ("min_revenue", "Minimum Yearly Revenue"), ("min_score", "Minimum Score"),
                 ("max_discount", "Maximum Line Discount"),
                 ("visit_interval_days", "Visit Interval"),
                 ("response_sla_hours", "Response SLA"),
                 ("resolution_sla_hours", "Resolution SLA")),
    "kam.sla.policy": (("response_hours", "Response Hours"),
                       ("resolution_hours", "Resolution Hours"),
                       ("confirmation_hours", "Confirmation Hours")),
    "kam.service.team": (("sequence", "Sequence"), ("color", "Color"),
                         ("deadline_share", "Deadline Share")),
    "kam.service.category": (("sequence", "Sequence"),),
    "kam.team.member": (("sequence", "Sequence"),),
    "kam.visit.product.line": (("sequence", "Sequence"), ("quantity", "Quantity")),
    "kam.scorecard.template.line": (("sequence", "Sequence"), ("target", "Target"),
                                    ("weight", "Weight"), ("cap", "Cap")),
    "kam.decision.role": (("sequence", "Sequence"), ("color", "Color")),
    "kam.credit.rating": (("sequence", "Sequence"),),
}
AMOUNTS = ("min_revenue", "target")
# the company's key-account settings an administrator types in
SETTINGS_NUMBERS = (
    ("kam_weight_revenue", "Revenue Rank Weight"), ("kam_weight_credit", "Credit Rating Weight"),
    ("kam_downgrade_grace_days", "Tier Downgrade Grace"),
    ("kam_health_weight_revenue", "Revenue Trend Weight"),
    ("kam_health_red_max", "Red Band Up To"), ("kam_health_yellow_max", "Yellow Band Up To"),
    ("kam_signal_revenue_drop", "Revenue Drop Signal"),
    ("kam_signal_overdue_days", "Overdue Receivables Signal"),
    ("kam_signal_sla_breaches", "SLA Breaches Signal"),
    ("kam_signal_satisfaction_min", "Low Satisfaction Signal"),
    ("kam_service_risk_percent", "Service Clock At Risk"),
    ("kam_service_return_visit_days", "Return Visit After"),
    ("kam_plan_pace_threshold", "Account Plan Pace Threshold"),
)


def test_configuration_numbers_are_bounded(admin, ids):
    """3,000,000,000 in a sequence or a colour was Odoo's "integer out of range", 1e308 in
    a target, a weight or a minimum revenue was stored (or an OverflowError): every number
    of the configuration, sent by a director (the settings by an administrator) over
    every path, is refused with an error naming the field and its range, and nothing
    changes."""
    records = {}
    for model, fields in CONFIG_NUMBERS.items():
        # decision roles are shared by the companies
        domain = [] if model == "kam.decision.role" else [
            ("company_id", "in", [ids["company"], False])]
        found = admin[model].search_read(domain, [f for f, _label in fields], limit=1)
        assert found, f"the demo has a {model}"
        records[model] = found[0]
    settings = [f for f, _label in SETTINGS_NUMBERS]
    before_settings = admin["res.company"].read([ids["company"]], settings)
    for path in every_path("kam_director"):
        for model, fields in CONFIG_NUMBERS.items():
            for fname, label in fields:
                # amounts may reach a trillion: ten trillion is beyond
                huge = 10 ** 13 if fname in AMOUNTS else 3000000000
                for value in (huge, 1e308):
                    error = refused(path, model, "write", [records[model]["id"]],
                                    vals={fname: value}, match="between")
                    assert label.lower() in error.message.lower(), (path, model, error.message)
        refused(path, "kam.service.team", "create", vals_list=[
            {"name": "Attack: huge team", "sequence": 3000000000}], match="Sequence")
    for path in every_path("admin"):
        for fname, label in SETTINGS_NUMBERS:
            for value in (3000000000, 1e308):
                error = refused(path, "res.company", "write", [ids["company"]],
                                vals={fname: value}, match="between")
                assert label.lower() in error.message.lower(), (path, fname, error.message)
    for model, fields in CONFIG_NUMBERS.items():
        after = admin[model].read([records[model]["id"]], [f for f, _label in fields])[0]
        assert after == records[model], f"{model} changed"
    assert admin["res.company"].read([ids["company"]], settings) == before_settings
    assert not admin["kam.service.team"].search([("name", "=", "Attack: huge team")])


# ---- Mirrors ----
@pytest.fixture(scope="module")
def outsider(make_user):
    """A salesperson outside every account team (no key-account group)."""
    client = make_user("sales_team.group_sale_salesman", name="Attack Outsider")
    return client


def _stakeholder_names(admin, partners):
    rows = admin.call(
        "kam.stakeholder", "search_read", domain=[("partner_id", "in", partners)],
        fields=["contact_id", "partner_id"], context={"active_test": False})
    names = {}
    for row in rows:
        if row["contact_id"]:
            names.setdefault(row["partner_id"][0], set()).add(row["contact_id"][1].split(", ")[-1])
    return names


MIRROR_FIELDS = ["kam_signal_details", "kam_health_details", "kam_signal_html",
                 "kam_health_html", "kam_health_drag"]


def test_salesperson_outside_the_team_reads_no_stakeholder_in_the_texts(admin, outsider):
    accounts = admin["res.partner"].search([("kam_state", "=", "registered")])
    names = _stakeholder_names(admin, accounts)
    assert names, "the demo accounts have stakeholders"
    assert not outsider["kam.stakeholder"].search([("partner_id", "in", accounts)])
    rows = outsider["res.partner"].read(accounts, [*MIRROR_FIELDS, "kam_signal_decision_unit"])
    assert any(row["kam_signal_decision_unit"] for row in rows), \
        "a demo account has a decision-unit signal (someone against us)"
    for row in rows:
        text = " ".join(str(row[f] or "") for f in MIRROR_FIELDS)
        for name in names.get(row["id"], ()):
            assert name not in text, f"{name} in the texts of account {row['id']}"
    # the churn activities of the accounts
    activities = admin["mail.activity"].search(
        [("res_model", "=", "res.partner"), ("res_id", "in", accounts)])
    readable = outsider["mail.activity"].search_read(
        [("id", "in", activities)], ["note", "summary", "res_id"])
    for activity in readable:
        text = f"{activity['summary']} {activity['note']}"
        for name in names.get(activity["res_id"], ()):
            assert name not in text, f"{name} in activity {activity['id']}"


CREDIT_SECRETS = ("credit limit", "Credit Limit", "Reason:")


def test_credit_changes_are_for_the_key_account_groups(admin, outsider):
    accounts = admin["res.partner"].search([("kam_state", "=", "registered")])
    requests_ = admin["kam.credit.rating.request"].search([])
    assert requests_, "the demo has credit rating requests"
    ratings = admin["kam.credit.rating"].search_read([], ["code", "credit_limit"])
    for client in (outsider, connect("kam_noc", "kam_noc"), connect("kam_liu", "kam_liu"),
                   connect("kam_wang", "kam_wang")):
        messages = client["mail.message"].search_read(
            [("model", "=", "res.partner"), ("res_id", "in", accounts)], ["body"])
        for message in messages:
            for secret in CREDIT_SECRETS:
                assert secret not in (message["body"] or ""), message
        assert not client["mail.message"].search(
            [("model", "=", "kam.credit.rating.request"), ("res_id", "in", requests_)])
        try:
            tracked = client["mail.tracking.value"].search_read(
                [("field_id.name", "in", ["credit_limit", "kam_credit_rating_id",
                                          "kam_credit_rating", "property_payment_term_id"])],
                ["old_value_char", "new_value_char", "new_value_float"])
        except OdooError as exc:
            assert exc.name in GUARD_ERRORS
            tracked = []
        assert not tracked, tracked
        for rating in ratings:
            assert not [m for m in messages
                        if f"credit rating {rating['code']}" in (m["body"] or "")]


def test_visit_events_are_private_to_the_visits_people(admin):
    visits = admin["kam.visit"].search_read(
        [("calendar_event_id", "!=", False), ("company_id", "=", admin.ref("base.main_company"))],
        ["calendar_event_id", "objective", "location"])
    assert visits, "the demo visits have calendar events"
    events = [v["calendar_event_id"][0] for v in visits]
    for login in ("kam_liu", "kam_noc"):
        client = connect(login, login)
        for path in every_path(login)[:2]:
            try:
                rows = path("calendar.event", "read", events,
                            fields=["name", "location", "description", "partner_ids"])
            except OdooError as exc:
                assert exc.name in GUARD_ERRORS
                continue
            for row in rows:
                assert row["name"] == "Busy", (login, row)
                assert not row["location"] and not row["description"] and not row["partner_ids"]
        try:
            assert not client["kam.visit"].search([("calendar_event_id", "in", events)])
        except OdooError as exc:
            assert exc.name in GUARD_ERRORS


# ---- Cron progress ----
def test_cron_progress_key_of_a_client_commits_nothing(admin, ids):
    """A director's "Recompute now" with the context of a running cron (its progress
    record): the manual recompute does not take it as a cron run."""
    cron = _ref(admin, "ir_cron_kam_recompute")
    progress = admin["ir.cron.progress"].create({"cron_id": cron, "remaining": 7, "done": 0})
    context = {"ir_cron_progress_id": progress, "cron_id": cron}
    try:
        for path in every_path("kam_director"):
            path("res.partner", "action_kam_recompute", [ids["bank"]], context=context)
            path("kam.scorecard", "action_refresh", context=context)
        row = admin["ir.cron.progress"].read([progress], ["remaining", "done"])[0]
        assert (row["remaining"], row["done"]) == (7, 0), row
        # a salesperson's or a KAM's context gets no further than the rights check
        for login in ("kam_li", "kam_wang"):
            for path in every_path(login):
                refused(path, "res.partner", "action_kam_recompute", [ids["bank"]],
                        context=context)
    finally:
        admin["ir.cron.progress"].unlink([progress])
