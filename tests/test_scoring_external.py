"""Scoring seen from outside: a Key Account Manager reads the metrics, score
breakdown and Pareto analysis of their accounts; only directors recompute."""

import pytest
from conftest import connect
from odoo_json2 import OdooError

BREAKDOWN = ("kam_score_revenue", "kam_score_growth", "kam_score_frequency",
             "kam_score_strategic", "kam_score_potential", "kam_score_credit")


@pytest.fixture(scope="module")
def kam_li():
    return connect("kam_li", "kam_li")


def test_manager_reads_metrics_and_breakdown(admin, kam_li):
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    fields = ["kam_revenue_12m", "kam_revenue_prev_12m", "kam_growth_rate", "kam_order_count",
              "kam_pareto_class", "kam_score", "kam_suggested_tier_id", *BREAKDOWN]
    data = kam_li["res.partner"].read([bank], fields)[0]
    # five demo orders in the last 12 months, one of them placed by the bank's CIO
    assert data["kam_revenue_12m"] >= 600000
    assert data["kam_order_count"] >= 5
    assert data["kam_pareto_class"] == "a"
    assert abs(sum(data[f] for f in BREAKDOWN) - data["kam_score"]) < 0.05
    tier = admin["kam.tier"].read([data["kam_suggested_tier_id"][0]], ["code"])[0]
    assert tier["code"] == "A"


def test_manager_pareto_analysis_limited_to_own_accounts(admin, kam_li):
    rows = kam_li["kam.pareto.report"].search_read(
        [], ["partner_id", "cumulative_share", "pareto_class"])
    mine = set(kam_li["res.partner"].search([("kam_user_ids", "in", [kam_li.uid])]))
    # and the members of their group customers, at every level (issue 22)
    members = set(mine)
    while members:
        members = set(kam_li["res.partner"].search(
            [("kam_group_parent_id", "in", sorted(members))])) - mine
        mine |= members
    seen = {row["partner_id"][0] for row in rows}
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    assert bank in seen
    assert seen <= mine, "a manager sees only the accounts they manage or serve on"
    assert all(0 < row["cumulative_share"] <= 100 for row in rows)


def test_only_directors_recompute(admin, kam_li):
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    with pytest.raises(OdooError):
        kam_li["res.partner"].action_kam_recompute([bank])
    director = connect("kam_director", "kam_director")
    director["res.partner"].action_kam_recompute([bank])
    data = director["res.partner"].read([bank], ["kam_score", "kam_metrics_date"])[0]
    assert data["kam_score"] > 0 and data["kam_metrics_date"]
