#!/usr/bin/env python3
"""Benchmark of the green channel (``kam.service.request``).

    python3 benchmarks/bench_kam_service.py [--accounts 2000] [--open 10000] [--closed 100000]
        [--scale 1] [--keep]

Creates its own fresh database (addon installed, no demo data), generates
registered key accounts and service requests with plain SQL, then prints:

* the escalation cron's time and query count with ``--open`` open requests whose
  clocks are running and not yet at risk (target <= 2 s), and again with twice as
  many open requests (the query count must not change);
* the cron's time when 200 of them are at risk (one notice each, sent once);
* the service level report (``kam.service.report``) grouped by tier x priority,
  by category x month and by team, as a director, over ``--closed`` closed
  requests (target <= 1 s each).

The database is dropped at the end unless --keep is given.
"""

import sys
import time

import kam_bench_common as common
from kam_bench_common import kamctl

DB = "kam_bench_service"
SIZES = {"accounts": 2000, "open": 10000, "closed": 100000}


def generate_accounts(cr, company_id, tier_id, kam_id, count):
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    first = cr.fetchone()[0] + 1
    key = str(company_id)
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, lang,
                                 autopost_bills, create_date, write_date,
                                 kam_state, kam_tier_id, kam_manager_id)
        SELECT 'Bench Account ' || g, 'Bench Account ' || g, TRUE, TRUE, 'contact', 'en_US',
               'ask', now(), now(), jsonb_build_object(%(key)s, 'registered'),
               jsonb_build_object(%(key)s, %(tier)s), jsonb_build_object(%(key)s, %(kam)s)
          FROM generate_series(1, %(n)s) g
    """, {"key": key, "tier": tier_id, "kam": kam_id, "n": count})
    cr.execute("UPDATE res_partner SET commercial_partner_id = id "
               "WHERE id >= %s AND commercial_partner_id IS NULL", [first])
    return first


def generate_requests(cr, company_id, tiers, categories, teams, kam_id, first_account,
                      accounts, count, closed, offset):
    """``count`` requests, open with running clocks due in 1-30 days, or closed
    (confirmed) with met or breached clocks, hours and satisfaction."""
    cr.execute("""
        INSERT INTO kam_service_request (
            name, subject, partner_id, company_id, tier_id, priority, channel, request_date,
            state, team_id, category_id, kam_manager_id,
            response_deadline, response_risk_date, response_status,
            resolution_deadline, resolution_risk_date, resolution_status,
            response_reached_date, response_hours, resolution_reached_date, resolution_hours,
            completed_date, confirmation_reached_date, confirmation_status, satisfaction,
            is_breached, paused_hours, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || (%(offset)s + g), 'Bench request ' || g,
               %(first)s + (g %% %(accounts)s), %(company)s,
               (%(tiers)s)[1 + g %% array_length(%(tiers)s, 1)],
               (g %% 4)::text, 'phone', d.request_date,
               CASE WHEN %(closed)s THEN 'confirmed' ELSE 'in_progress' END,
               (%(teams)s)[1 + g %% array_length(%(teams)s, 1)],
               (%(categories)s)[1 + g %% array_length(%(categories)s, 1)], %(kam)s,
               d.due, d.risk, CASE WHEN %(closed)s THEN d.status ELSE 'running' END,
               d.due + interval '2 days', d.risk + interval '2 days',
               CASE WHEN %(closed)s THEN d.status ELSE 'running' END,
               CASE WHEN %(closed)s THEN d.request_date + interval '1 hour' END,
               CASE WHEN %(closed)s THEN random() * 8 ELSE 0 END,
               CASE WHEN %(closed)s THEN d.request_date + interval '1 day' END,
               CASE WHEN %(closed)s THEN random() * 40 ELSE 0 END,
               CASE WHEN %(closed)s THEN d.request_date + interval '1 day' END,
               CASE WHEN %(closed)s THEN d.request_date + interval '2 days' END,
               CASE WHEN %(closed)s THEN 'met' END,
               CASE WHEN %(closed)s THEN 1 + (g %% 5) ELSE 0 END,
               %(closed)s AND d.status = 'breached', 0, 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g
          CROSS JOIN LATERAL (
            SELECT CASE WHEN %(closed)s THEN now() - random() * interval '700 days'
                        ELSE now() - interval '1 hour' END AS request_date,
                   now() + interval '1 day' + random() * interval '29 days' AS due,
                   now() + interval '20 hours' + random() * interval '20 days' AS risk,
                   CASE WHEN random() < 0.15 THEN 'breached' ELSE 'met' END AS status
          ) d
    """, {"offset": offset, "first": first_account, "accounts": accounts,
          "company": company_id, "tiers": tiers, "teams": teams, "categories": categories,
          "kam": kam_id, "closed": closed, "n": count})


def timed_cron(env):
    """The escalation cron, committed like the scheduler does: (time, queries)."""
    run = common.measure(env, env["kam.service.request"]._cron_escalate, commit=True)
    return run["time"], run["queries"]


def timed_report(env, user, groupby, aggregates):
    """The service level report read as ``user``: (time, rows)."""
    Report = env["kam.service.report"].with_user(user)
    run = common.measure(env, lambda: len(Report._read_group([], groupby, aggregates)),
                         flush=False)
    return run["time"], run["result"]


def bench(conf, settings, args):
    with common.environment(conf, DB) as env:
        cr = env.cr
        company = env.company
        director = env.ref("base.user_admin")
        tiers = env["kam.tier"].create([
            {"name": f"Bench {c}", "code": f"BN{c}", "sequence": i, "company_id": company.id,
             "response_sla_hours": 4, "resolution_sla_hours": 24}
            for i, c in enumerate("ABC")])
        teams = env["kam.service.team"].create([{"name": f"Bench team {i}"} for i in range(5)])
        categories = env["kam.service.category"].create(
            [{"name": f"Bench category {i}"} for i in range(8)])
        cr.commit()
        start = time.perf_counter()
        first = generate_accounts(cr, company.id, tiers[0].id, director.id, args.accounts)
        generate_requests(cr, company.id, tiers.ids, categories.ids, teams.ids, director.id,
                          first, args.accounts, args.open, False, 0)
        generate_requests(cr, company.id, tiers.ids, categories.ids, teams.ids, director.id,
                          first, args.accounts, args.closed, True, 10 ** 7)
        cr.commit()
        cr.execute("ANALYZE kam_service_request")
        cr.execute("ANALYZE res_partner")
        cr.commit()
        kamctl.say(f"generated {args.accounts} accounts, {args.open} open and {args.closed} "
                   f"closed requests in {time.perf_counter() - start:.1f} s")

        results = {}
        timed_cron(env)  # warm-up (caches, prepared plans)
        results["cron"] = timed_cron(env)
        generate_requests(cr, company.id, tiers.ids, categories.ids, teams.ids, director.id,
                          first, args.accounts, args.open, False, 2 * 10 ** 7)
        cr.execute("ANALYZE kam_service_request")
        cr.commit()
        results["cron_double"] = timed_cron(env)
        # 200 requests at risk: one notice each, then a rerun sends none
        cr.execute("""UPDATE kam_service_request SET resolution_risk_date = now() - interval '1 minute'
                       WHERE id IN (SELECT id FROM kam_service_request
                                     WHERE state = 'in_progress' ORDER BY id LIMIT 200)""")
        cr.commit()
        results["cron_risk"] = timed_cron(env)
        results["cron_risk_again"] = timed_cron(env)

        results["report_tier_priority"] = timed_report(
            env, director, ["tier_id", "priority"],
            ["request_count:sum", "response_met_rate:avg", "resolution_met_rate:avg",
             "response_hours:avg", "resolution_hours:avg", "satisfaction:avg"])
        results["report_category_month"] = timed_report(
            env, director, ["category_id", "request_date:month"],
            ["request_count:sum", "breached_rate:avg", "satisfaction:avg"])
        results["report_team"] = timed_report(
            env, director, ["team_id"],
            ["request_count:sum", "resolution_met_rate:avg", "resolution_hours:avg"])
        cr.rollback()

    open_n = args.open
    print()
    print(f"escalation cron, {open_n} open requests:        "
          f"{results['cron'][0]:.3f} s, {results['cron'][1]} queries (target <= 2 s)")
    print(f"escalation cron, {2 * open_n} open requests:        "
          f"{results['cron_double'][0]:.3f} s, {results['cron_double'][1]} queries "
          f"({'same' if results['cron'][1] == results['cron_double'][1] else 'DIFFERENT'} "
          f"query count)")
    print(f"escalation cron, 200 at risk (notified):    "
          f"{results['cron_risk'][0]:.3f} s, {results['cron_risk'][1]} queries")
    print(f"escalation cron, rerun (nobody notified):   "
          f"{results['cron_risk_again'][0]:.3f} s, {results['cron_risk_again'][1]} queries")
    for key in ("report_tier_priority", "report_category_month", "report_team"):
        print(f"service level report {key[7:]:<16} over {args.closed} closed: "
              f"{results[key][0]:.3f} s, {results[key][1]} rows (target <= 1 s)")
    ok = results["cron"][0] <= 2 and results["cron_double"][0] <= 2 \
        and results["cron"][1] == results["cron_double"][1] \
        and all(results[k][0] <= 1 for k in results if k.startswith("report"))
    return 0 if ok else 1


def main():
    return common.main(__doc__, DB, bench, SIZES)


if __name__ == "__main__":
    sys.exit(main())
