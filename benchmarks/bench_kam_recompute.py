#!/usr/bin/env python3
"""Benchmark of the key-account scoring engine (``kam.scoring``).

    python3 benchmarks/bench_kam_recompute.py [--customers 20000] [--orders 200000]
        [--invoices 100000] [--visits 10000] [--registered 100] [--profile] [--scale 1] [--keep]

Creates its own fresh database (addon installed, no demo data), generates
customer companies, confirmed sales orders over 24 months, posted customer
invoices with their payment state (paid, partly paid, open; 30-day terms) and
done visits of the registered key accounts with plain SQL, then prints:

* the full recompute time: metrics, score, tier, health, churn signals and
  lifecycle (target <= 3 s),
* a second run with no data change (target <= 0.5 s, zero writes: the ``ctid``
  of every partner row is compared before and after, so any UPDATE shows): the
  engine compares the digest of its inputs with the one of its last run and
  stops; and the same run computed all the same (digest forgotten, what a run
  with nothing new costs when the digest differs, e.g. the next day),
* the peak memory growth of the process (target <= 300 MB),
* the SQL query count of each run (it does not depend on the number of
  accounts, apart from the accounts whose tier or status changes),
* the time ratio of a full recompute when the data doubles (target <= 2.2),
* the time of each step of the engine in these runs,
* side by side, the time Odoo takes to compute the partners' own
  ``sale_order_count`` on the same data.

Before each measured run the benchmark runs VACUUM ANALYZE on res_partner and
sale_order (what autovacuum does on a live server), so that both data sizes
are measured on the same footing. The database is dropped at the end unless
--keep is given.
"""

import contextlib
import sys
import time
from collections import defaultdict

import kam_bench_common as common
from kam_bench_common import generate, generate_invoices, generate_visits, kamctl, setup_tiers

DB = "kam_bench_recompute"
SIZES = {"customers": 20000, "orders": 200000, "invoices": 100000, "visits": 10000,
         "registered": (100, "customers registered as key accounts before the first run")}


def vacuum(settings):
    common.vacuum(settings, DB)


def row_versions(cr):
    cr.execute("SELECT md5(string_agg(ctid::text, ',' ORDER BY id)) FROM res_partner")
    return cr.fetchone()[0]


# the engine's steps whose time the report shows (model, method)
PHASES = (
    ("kam.scoring", "_get_key_account_ids"),
    ("kam.scoring", "_read_account_health_inputs"),
    ("kam.revenue", "_get_revenue_windows_digest"),
    ("kam.scoring", "_get_inputs_digest"),
    ("kam.revenue", "_get_revenue_windows"),
    ("kam.scoring", "_read_current_values"),
    ("kam.scoring", "_compute_values"),
    ("kam.scoring", "_write_values"),
    ("kam.scoring", "_apply_events"),
)


@contextlib.contextmanager
def phase_timer(env):
    """Time spent in each of the engine's steps (``PHASES``) while inside:
    ``{method: seconds}`` (a step called by another counts in both)."""
    times = defaultdict(float)
    originals = []
    for model, name in PHASES:
        cls = type(env[model])
        original = getattr(cls, name)

        def timed(*args, _original=original, _name=name, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                times[_name] += time.perf_counter() - start

        originals.append((cls, name, original))
        setattr(cls, name, timed)
    try:
        yield times
    finally:
        for cls, name, original in originals:
            setattr(cls, name, original)


def timed_run(env, profile=False):
    """One full recompute of every company, committed like the cron does."""
    if profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            return timed_run(env)
        finally:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    with phase_timer(env) as phases:
        run = common.measure(env, env["kam.scoring"]._recompute_companies, invalidate=False,
                             commit=True)
    run["stats"] = run.pop("result")
    run["phases"] = dict(phases)
    return run


def reset_scoring(cr, company_id):
    """Back to an unscored database (same situation as the first run)."""
    cr.execute("""
        UPDATE res_partner
           SET kam_revenue_12m = NULL, kam_revenue_prev_12m = NULL, kam_growth_rate = NULL,
               kam_order_count = NULL, kam_last_order_date = NULL, kam_revenue_share = NULL,
               kam_pareto_class = NULL, kam_score = NULL, kam_score_revenue = NULL,
               kam_score_growth = NULL, kam_score_frequency = NULL, kam_score_strategic = NULL,
               kam_score_potential = NULL, kam_score_credit = NULL, kam_suggested_tier_id = NULL,
               kam_downgrade_pending_since = NULL, kam_metrics_date = NULL,
               kam_health_score = NULL, kam_health_band = NULL, kam_health_trend = NULL,
               kam_health_details = NULL, kam_signal_no_order = NULL,
               kam_signal_revenue_drop = NULL, kam_signal_overdue = NULL,
               kam_signal_decision_unit = NULL, kam_signal_sla = NULL,
               kam_signal_satisfaction = NULL, kam_signal_visits = NULL,
               kam_signal_count = NULL, kam_signal_details = NULL, kam_signal_alerts = NULL,
               kam_lifecycle_stage = NULL, kam_lifecycle_rule = NULL,
               kam_state = CASE WHEN kam_state->>%(cid)s = 'candidate' THEN kam_state - %(cid)s
                                ELSE kam_state END
         WHERE kam_score IS NOT NULL
    """, {"cid": str(company_id)})


def sale_order_count_time(env, partner_ids):
    """Time and queries of Odoo's own ``sale_order_count`` of the partners."""
    partners = env["res.partner"].browse(partner_ids)
    run = common.measure(env, partners._compute_sale_order_count, flush=False)
    return run["time"], run["queries"]


def register_accounts(env, tiers, first_partner, count):
    """The ``count`` first customers are registered key accounts, all in the
    lowest tier: the ones that score higher are upgraded by the first run."""
    partners = env["res.partner"].browse(range(first_partner, first_partner + count))
    director = env.ref("base.user_admin")
    partners.with_context(kam_change_cause="manual").write({
        "kam_state": "registered", "kam_tier_id": tiers[-1].id, "kam_manager_id": director.id})
    env.cr.commit()


def add_args(parser):
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of the first two runs (slower)")


def main():
    return common.main(__doc__, DB, bench, SIZES, add_args)


def bench(conf, settings, args):
    results = {}
    with common.environment(conf, DB) as env:
        cr = env.cr
        company = env.company
        tiers = setup_tiers(env, company)
        cr.commit()

        start = time.perf_counter()
        first = generate(cr, company.id, args.customers, args.orders, offset=0)
        generate_invoices(env, company.id, first, args.customers, args.invoices, offset=0)
        generate_visits(cr, company.id, first, args.registered, args.visits, offset=0)
        cr.commit()
        kamctl.say(f"generated {args.customers} customers, {args.orders} confirmed orders, "
                   f"{args.invoices} posted invoices and {args.visits} visits "
                   f"in {time.perf_counter() - start:.1f} s")
        register_accounts(env, tiers, first, args.registered)
        vacuum(settings)
        env.invalidate_all()

        results["full"] = full = timed_run(env, profile=args.profile)
        vacuum(settings)
        versions = row_versions(cr)
        results["again"] = again = timed_run(env, profile=args.profile)
        again["zero_writes"] = row_versions(cr) == versions
        # the same, computed (the stored digest of the inputs forgotten): what a run
        # costs when its inputs digest differs but no value changes (e.g. the next
        # day without new documents)
        env["kam.scoring"]._set_stored_digest(company, None)
        cr.commit()
        vacuum(settings)
        results["forced"] = forced = timed_run(env)
        forced["zero_writes"] = row_versions(cr) == versions

        partner_ids = list(range(first, first + args.customers))
        results["soc"] = sale_order_count_time(env, partner_ids)

        # double the data and recompute from an unscored state again
        # everything doubles: customers, orders and registered accounts; the
        # registered accounts of the first run go back to the lowest tier
        first_2 = generate(cr, company.id, args.customers, args.orders, offset=args.customers)
        generate_invoices(env, company.id, first_2, args.customers, args.invoices,
                          offset=args.customers)
        generate_visits(cr, company.id, first_2, args.registered, args.visits,
                        offset=args.customers)
        reset_scoring(cr, company.id)
        cr.commit()
        env.invalidate_all()
        register_accounts(env, tiers, first, args.registered)
        register_accounts(env, tiers, first_2, args.registered)
        vacuum(settings)
        env.invalidate_all()
        results["double"] = double = timed_run(env)
        vacuum(settings)
        results["double_again"] = timed_run(env)
        results["soc_double"] = sale_order_count_time(
            env, partner_ids + list(range(first + args.customers, first + 2 * args.customers)))
        cr.rollback()

    soc_time, soc_queries = results["soc"]
    soc2_time, soc2_queries = results["soc_double"]
    ratio = double["time"] / full["time"]
    n, n2 = args.customers, 2 * args.customers
    print()
    print(f"Key account scoring benchmark ({n} customers, {args.orders} confirmed orders, "
          f"{args.invoices} posted invoices, {args.visits} visits, 24 months, "
          f"{args.registered} registered accounts)")
    print("-" * 96)
    print(f"{'measure':44} {'value':>16} {'target':>12}  ok")

    def line(label, value, target, ok):
        print(f"{label:44} {value:>16} {target:>12}  {'yes' if ok else 'NO'}")

    line("full recompute time", f"{full['time']:.2f} s", "<= 3 s", full["time"] <= 3)
    line("second run, no data change", f"{again['time']:.2f} s", "<= 0.5 s",
         again["time"] <= 0.5)
    line("  rows written by the second run", str(again["stats"].get("written", 0)), "0",
         not again["stats"].get("written"))
    line("  partner rows updated (ctid check)", "0" if again["zero_writes"] else "SOME", "0",
         again["zero_writes"])
    line("  computed all the same (digest forgotten)", f"{forced['time']:.2f} s", "-", True)
    line("    rows written, partner rows updated",
         f"{forced['stats'].get('written', 0)}, "
         f"{'0' if forced['zero_writes'] else 'SOME'}", "0, 0",
         not forced["stats"].get("written") and forced["zero_writes"])
    line("peak memory growth (max RSS), full run", f"{full['peak_growth']:.0f} MB", "<= 300 MB",
         full["peak_growth"] <= 300)
    line("peak memory growth, doubled data", f"{double['peak_growth']:.0f} MB", "<= 300 MB",
         double["peak_growth"] <= 300)
    line("time ratio when the data doubles", f"{ratio:.2f}", "<= 2.2", ratio <= 2.2)
    print()
    print(f"{'SQL queries':44} {f'{n} customers':>16} {f'{n2} customers':>16}")
    print(f"{'  full run':44} {full['queries']:>16} {double['queries']:>16}")
    print(f"{'  second run (no change)':44} {again['queries']:>16} "
          f"{results['double_again']['queries']:>16}")
    for label, key in (("  partners scored", "partners"), ("  rows written", "written"),
                       ("  tier changes (ORM writes)", "tier_changes"),
                       ("  new candidates (ORM writes)", "candidates"),
                       ("  lifecycle changes (history rows)", "lifecycle_changes"),
                       ("  activities created", "activities")):
        print(f"{label:44} {full['stats'].get(key, 0):>16} {double['stats'].get(key, 0):>16}")
    print(f"{'  of the full run: ORM events (history, chatter)':44} "
          f"{full['stats'].get('events_seconds', 0):>14.2f} s "
          f"{double['stats'].get('events_seconds', 0):>14.2f} s")
    print()
    print(f"{'where the time goes (s)':44} {'full run':>12} {'second run':>12} {'computed':>12}")
    for _model, name in PHASES:
        print(f"{'  ' + name:44} {full['phases'].get(name, 0):>12.3f} "
              f"{again['phases'].get(name, 0):>12.3f} {forced['phases'].get(name, 0):>12.3f}")
    print()
    print(f"{'side by side':44} {f'{n} customers':>16} {f'{n2} customers':>16}")
    print(f"{'  kam.scoring full recompute':44} {full['time']:>14.2f} s "
          f"{double['time']:>14.2f} s")
    print(f"{'  kam.scoring second run':44} {again['time']:>14.2f} s "
          f"{results['double_again']['time']:>14.2f} s")
    print(f"{'  Odoo res.partner.sale_order_count':44} {soc_time:>14.2f} s {soc2_time:>14.2f} s")
    print(f"{'  (its SQL queries)':44} {soc_queries:>16} {soc2_queries:>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
