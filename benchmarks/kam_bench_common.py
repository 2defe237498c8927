"""What the benchmarks of ``benchmarks/`` share.

* the run of a benchmark: a fresh database of its own (addon installed, no demo
  data), an environment on it, and the database dropped at the end unless
  ``--keep`` is given (:func:`run`, :func:`environment`);
* the command line: the sizes, ``--scale`` and ``--keep`` (:func:`main`);
* the plain-SQL data generator: customer companies and confirmed sales orders
  over 24 months, posted customer invoices, done visits, the three tiers
  (:func:`generate`, :func:`generate_invoices`, :func:`generate_visits`,
  :func:`setup_tiers`);
* the measurement of one step: wall and Python CPU time, SQL query count, memory
  growth (:func:`measure`), and VACUUM ANALYZE before a measured run
  (:func:`vacuum`).
"""

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))

import kamctl  # noqa: E402

# --- the run of a benchmark ------------------------------------------------------------


def main(doc, db, bench, sizes, add_args=None):
    """The command line of a benchmark: an integer option per entry of ``sizes``
    (``name: default`` or ``name: (default, help)``), the options ``add_args(parser)``
    adds, ``--scale`` (multiplies the ``sizes``) and ``--keep``; then :func:`run`."""
    parser = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, default in sizes.items():
        default, help_ = default if isinstance(default, tuple) else (default, None)
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default, help=help_)
    if add_args:
        add_args(parser)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every size by this factor (e.g. 0.05 for a quick check)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if args.scale != 1.0:
        for name in sizes:
            setattr(args, name, max(1, round(getattr(args, name) * args.scale)))
    return run(db, args, bench)


def install(conf, db):
    cmd = kamctl.odoo_cmd(conf, "-d", db, "-i", kamctl.ADDON, "--stop-after-init",
                          "--log-level", "warn")
    subprocess.run(cmd, check=True, cwd=REPO)


def run(db, args, bench):
    """Create ``db`` with the addon installed, return ``bench(conf, settings, args)``
    and drop ``db`` at the end unless ``args.keep``."""
    kamctl.check_odoo()
    settings = kamctl.db_settings()
    conf = kamctl.write_config(db, settings, kamctl.free_port())
    kamctl.create_db(conf, settings, db, demo=False)
    try:
        kamctl.say(f"installing {kamctl.ADDON} in {db}")
        install(conf, db)
        return bench(conf, settings, args)
    finally:
        if not args.keep:
            import odoo
            from odoo.modules.registry import Registry
            Registry.delete(db)
            odoo.sql_db.close_db(db)
            kamctl.drop_db(settings, db)
            kamctl.say(f"dropped {db}")


@contextlib.contextmanager
def environment(conf, db):
    """A superuser environment on a cursor of ``db`` (closed at the end)."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", conf, "--log-level", "warn"])
    registry = Registry(db)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


# --- measurement -----------------------------------------------------------------------


def rss_mb():
    """Peak resident memory of this process so far, in MB (Linux: KB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def measure(env, func, invalidate=True, flush=True, commit=False):
    """Run ``func()`` and flush (unless ``flush=False``: a pure read) and commit if
    asked (what a cron does); return its
    ``result``, wall ``time``, Python ``cpu`` time, SQL ``queries`` and memory growth
    (``peak_growth`` of the max RSS, ``rss_growth`` of the current RSS, in MB)."""
    cr = env.cr
    if invalidate:
        env.invalidate_all()
    queries = cr.sql_log_count
    rss_before, peak_before = current_rss_mb(), rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    if flush:
        cr.flush()
    if commit:
        cr.commit()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"result": result, "time": elapsed, "cpu": cpu,
            "queries": cr.sql_log_count - queries,
            "peak_growth": max(rss_mb() - peak_before, 0.0),
            "rss_growth": current_rss_mb() - rss_before}


def vacuum(settings, db, tables=("res_partner", "sale_order", "account_move", "kam_visit")):
    """Fresh statistics and no dead rows before a measured run (what
    autovacuum does on a live server)."""
    subprocess.run(["psql", "-q", "-d", db, "-c", f"VACUUM ANALYZE {', '.join(tables)}"],
                   check=True, env=kamctl.psql_env(settings))


# --- data generator --------------------------------------------------------------------


def _currency(cr, company_id):
    cr.execute("SELECT currency_id FROM res_company WHERE id = %s", [company_id])
    return cr.fetchone()[0]


def generate(cr, company_id, customers, orders, offset):
    """``customers`` companies and ``orders`` confirmed orders spread over the
    last 24 months, with a skewed (Pareto-like) revenue distribution: the
    customer of an order is ``floor(customers * random()^3)``. Returns the id of
    the first customer (the customers' ids are consecutive)."""
    currency_id = _currency(cr, company_id)
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    first = cr.fetchone()[0] + 1
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, lang,
                                 autopost_bills, create_date, write_date)
        SELECT 'Bench Customer ' || (%(offset)s + g), 'Bench Customer ' || (%(offset)s + g),
               TRUE, TRUE, 'contact', 'en_US', 'ask', now(), now()
          FROM generate_series(1, %(n)s) g
    """, {"offset": offset, "n": customers})
    cr.execute("UPDATE res_partner SET commercial_partner_id = id "
               "WHERE id >= %s AND commercial_partner_id IS NULL", [first])
    cr.execute("""
        INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id,
                                partner_shipping_id, currency_id, currency_rate, date_order,
                                state, amount_untaxed, amount_tax, amount_total,
                                create_date, write_date)
        SELECT 'BENCH/' || (%(offset)s * 10 + g), %(company)s, p, p, p, %(currency)s, 1.0,
               now() - (random() * interval '729 days'), 'sale', a, 0, a, now(), now()
          FROM (SELECT g, %(first)s + floor(%(customers)s * power(random(), 3))::int AS p,
                       round((200 + random() * 4800)::numeric, 2) AS a
                  FROM generate_series(1, %(n)s) g) s
    """, {"offset": offset, "company": company_id, "currency": currency_id, "first": first,
          "customers": customers, "n": orders})
    return first


def generate_invoices(env, company_id, first, customers, invoices, offset):
    """``invoices`` posted customer invoices over 24 months, same skew as the
    orders, due after 30 days: 70 % paid, 10 % partly paid (half open), the
    rest open (the payment state and residual the payments leave)."""
    cr = env.cr
    journal = env["account.journal"].search(
        [("company_id", "=", company_id), ("type", "=", "sale")], limit=1)
    if not journal:
        journal = env["account.journal"].create(
            {"name": "Bench Sales", "code": "BSAL", "type": "sale", "company_id": company_id})
    currency_id = _currency(cr, company_id)
    cr.execute("""
        INSERT INTO account_move (name, move_type, state, auto_post, company_id, journal_id,
                                  currency_id, partner_id, commercial_partner_id, date,
                                  invoice_date, invoice_date_due, amount_untaxed,
                                  amount_untaxed_signed, amount_total, amount_total_signed,
                                  amount_residual, amount_residual_signed, payment_state,
                                  create_date, write_date)
        SELECT 'BINV/' || (%(offset)s * 10 + g), 'out_invoice', 'posted', 'no', %(company)s,
               %(journal)s, %(currency)s, p, p, d, d, d + 30, a, a, a, a, r, r,
               CASE WHEN r = 0 THEN 'paid' WHEN r < a THEN 'partial' ELSE 'not_paid' END,
               now(), now()
          FROM (SELECT g, p, d, a,
                       CASE WHEN x < 0.7 THEN 0 WHEN x < 0.8 THEN round(a / 2, 2) ELSE a END
                           AS r
                  FROM (SELECT g, %(first)s + floor(%(customers)s * power(random(), 3))::int AS p,
                               (now() - (random() * interval '729 days'))::date AS d,
                               round((200 + random() * 4800)::numeric, 2) AS a,
                               random() AS x
                          FROM generate_series(1, %(n)s) g) s) t
    """, {"offset": offset, "company": company_id, "journal": journal.id,
          "currency": currency_id, "first": first, "customers": customers, "n": invoices})


def generate_visits(cr, company_id, first, accounts, visits, offset):
    """``visits`` done visits of the ``accounts`` first customers over 12 months."""
    cr.execute("""
        INSERT INTO kam_visit (name, partner_id, company_id, user_id, visit_type, state,
                               date_start, date_end, visit_date, create_date, write_date)
        SELECT 'BV/' || (%(offset)s * 10 + g), p, %(company)s, 2, 'onsite', 'done',
               d, d + interval '1 hour', d::date, now(), now()
          FROM (SELECT g, %(first)s + floor(%(accounts)s * random())::int AS p,
                       now() - (random() * interval '365 days') AS d
                  FROM generate_series(1, %(n)s) g) s
    """, {"offset": offset, "company": company_id, "first": first, "accounts": accounts,
          "n": visits})


def setup_tiers(env, company):
    """The company's tiers replaced by three: Strategic (A), Key (B), Growth (C)."""
    env["kam.tier"].search([("company_id", "=", company.id)]).unlink()
    return env["kam.tier"].create([
        {"name": "Strategic", "code": "A", "sequence": 1, "min_score": 62,
         "min_revenue": 1000000, "company_id": company.id},
        {"name": "Key", "code": "B", "sequence": 2, "min_score": 60,
         "min_revenue": 400000, "company_id": company.id},
        {"name": "Growth", "code": "C", "sequence": 3, "min_score": 55,
         "min_revenue": 150000, "company_id": company.id},
    ])
