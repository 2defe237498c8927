"""Issue 26: relationship strengths are their nightly job's. Nobody writes, creates or
deletes one over JSON-2, the web client's JSON-RPC or the external JSON-RPC, with or
without forged context keys, a director or the administrator neither; the bank's relationships are read by its
team and not by the KAM of another account."""

from attack_paths import FORGED_CONTEXTS, every_path, refused
from conftest import connect

MODEL = "kam.relationship"


def _bank_relationships(admin):
    bank = admin.ref("key_account_management.kam_demo_customer_bank")
    return admin.call(MODEL, "search_read", domain=[("partner_id", "=", bank)],
                      fields=["strength", "user_id", "contact_id", "company_id"])


def test_relationships_written_by_the_job_only(admin):
    rows = _bank_relationships(admin)
    assert rows, "the demo computes the bank's relationships"
    row = rows[0]
    for login in ("kam_li", "kam_director", "admin"):
        for path in every_path(login):
            for context in (None, *FORGED_CONTEXTS):
                refused(path, MODEL, "write", [row["id"]], context=context,
                        vals={"strength": 99.0})
                refused(path, MODEL, "create", context=context, vals_list=[{
                    "user_id": row["user_id"][0], "contact_id": row["contact_id"][0],
                    "partner_id": admin.ref("key_account_management.kam_demo_customer_bank"),
                    "company_id": row["company_id"][0], "strength": 50.0}])
                refused(path, MODEL, "unlink", [row["id"]], context=context)
    assert _bank_relationships(admin) == rows


def test_relationships_private_to_the_team(admin):
    ids = sorted(row["id"] for row in _bank_relationships(admin))
    li = connect("kam_li", "kam_li")
    assert sorted(li.call(MODEL, "search", domain=[("id", "in", ids)])) == ids
    # the KAM of Dragon Motor is not on the bank's team
    assert connect("kam_zhang", "kam_zhang").call(
        MODEL, "search", domain=[("id", "in", ids)]) == []
    # the drill-down opens the touches behind a relationship the reader reads
    action = li.call(MODEL, "action_open_messages", ids=ids[:1])
    assert action["res_model"] == "mail.message"
