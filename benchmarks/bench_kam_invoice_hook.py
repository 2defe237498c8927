#!/usr/bin/env python3
"""Cost of the account plans' refresh on invoice posting (``account.move`` write).

    python3 benchmarks/bench_kam_invoice_hook.py [--customers 2000] [--orders 20000]
                                                 [--accounts 200] [--invoices 200]
                                                 [--scale 1] [--keep]

Creates its own fresh database (addon installed, no demo data) with the data generator of
``kam_bench_common.py`` (customers and confirmed orders over 24 months), registers the
``--accounts`` biggest customers as key accounts, each with an approved plan of this year,
has the company count revenue by invoice (the refresh hook of
``models/account_move.py`` runs only then), and creates ``--invoices`` draft customer
invoices of these accounts, one line each. It then posts them, in a savepoint rolled back
after each measure, four ways: all at once (one ``action_post``, as the list's "Confirm"
does) and one by one (one ``action_post`` each, as a user confirming invoice after invoice
in the form does), each with the hook and with the hook disabled (what Odoo costs without
the addon's refresh). It prints the wall and Python CPU time and the SQL queries of each
(the best of two runs), the difference the hook makes, and the plans refreshed.

The database is dropped at the end unless --keep is given.
"""

import os
import sys
from datetime import date
from unittest import mock

import kam_bench_common as common

DB = "kam_bench_invoice_hook"
SIZES = {"customers": 2000, "orders": 20000, "accounts": 200, "invoices": 200}


def populate(env, args, first):
    """Key accounts with plans, revenue by invoice, the draft invoices; their ids."""
    cr = env.cr
    company = env.company
    cid = str(company.id)
    year = date.today().year
    tiers = common.setup_tiers(env, company)
    cr.execute("""
        UPDATE res_partner p
           SET kam_state = jsonb_build_object(%(cid)s, 'registered'),
               kam_tier_id = jsonb_build_object(%(cid)s, (%(tiers)s::int[])[1 + (p.id %% 3)]),
               kam_manager_id = jsonb_build_object(%(cid)s, 2)
         WHERE p.id >= %(first)s AND p.id < %(first)s + %(n)s
    """, {"cid": cid, "tiers": tiers.ids, "first": first, "n": args.accounts})
    cr.execute("""
        INSERT INTO kam_account_plan (name, partner_id, company_id, user_id, state,
                                      date_start, date_end, revenue_target, create_date,
                                      write_date)
        SELECT 'Bench plan ' || p, p, %(company)s, 2, 'approved', %(start)s, %(end)s,
               100000, now(), now()
          FROM generate_series(%(first)s, %(first)s + %(n)s - 1) p
    """, {"company": company.id, "first": first, "n": args.accounts,
          "start": f"{year}-01-01", "end": f"{year}-12-31"})
    env.invalidate_all()
    company.kam_revenue_basis = "invoice"
    product = env["product.product"].create({"name": "Bench Service", "type": "service",
                                             "list_price": 1000.0})
    invoices = env["account.move"].create([{
        "move_type": "out_invoice", "partner_id": first + i % args.accounts,
        "invoice_date": date.today(),
        "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1 + i % 5,
                                     "price_unit": 1000.0})],
    } for i in range(args.invoices)])
    env["kam.account.plan"].search([])._refresh_report_figures()
    cr.commit()
    return invoices.ids


def post(env, ids, one_by_one):
    moves = env["account.move"].browse(ids)
    if one_by_one:
        for move in moves:
            move.action_post()
    else:
        moves.action_post()
    return len(moves)


def measure(env, ids, one_by_one, hook):
    """The best of two runs, each in a savepoint rolled back afterwards."""
    Move = type(env["account.move"])
    refreshed = []
    original = Move._kam_refresh_plans

    def counting(self, partners=None):
        refreshed.append(1)
        return original(self, partners=partners)

    best = None
    for _run in range(2):
        refreshed.clear()
        env.cr.execute("SAVEPOINT bench_hook")
        with mock.patch.object(Move, "_kam_refresh_plans",
                               counting if hook else lambda self, partners=None: None):
            run = common.measure(env, lambda: post(env, ids, one_by_one))
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_hook")
        env.invalidate_all()
        if best is None or run["time"] < best["time"]:
            best = dict(run, calls=len(refreshed))
    return best


def bench(conf, settings, args):
    with common.environment(conf, DB) as env:
        first = common.generate(env.cr, env.company.id, args.customers, args.orders, offset=0)
        ids = populate(env, args, first)
        common.vacuum(settings, DB, tables=("res_partner", "sale_order", "account_move",
                                            "account_move_line", "kam_account_plan"))
        runs = {(one, hook): measure(env, ids, one, hook)
                for one in (False, True) for hook in (True, False)}
        plans = env["kam.account.plan"].search_count([])
    print()
    print(f"Posting {args.invoices} customer invoices of {args.accounts} key accounts with "
          f"{plans} plans ({args.customers} customers, {args.orders} orders; revenue by "
          "invoice), best of two runs")
    print("-" * 96)
    print(f"{'posting':34} {'hook':>8} {'time':>10} {'python cpu':>10} {'queries':>8} "
          f"{'hook calls':>10}")
    for (one, hook), run in runs.items():
        label = "one by one (action_post each)" if one else "all at once (one action_post)"
        print(f"{label:34} {'on' if hook else 'off':>8} {run['time']:>8.2f} s "
              f"{run['cpu']:>8.2f} s {run['queries']:>8} {run['calls'] if hook else '':>10}")
    for one in (False, True):
        on, off = runs[(one, True)], runs[(one, False)]
        label = "one by one" if one else "all at once"
        print(f"the hook, {label}: +{on['time'] - off['time']:.2f} s "
              f"({(on['time'] - off['time']) / off['time'] * 100:+.0f} %), "
              f"+{on['queries'] - off['queries']} queries, "
              f"{(on['time'] - off['time']) / args.invoices * 1000:.1f} ms an invoice")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(wall times grow with it)")
    return 0


def main():
    return common.main(__doc__, DB, bench, SIZES)


if __name__ == "__main__":
    sys.exit(main())
