"""The cron worker killed in the middle of a job (issue 21): the scoring engine, the
monthly snapshots and the SLA escalation.

A database of its own (the addon without demo data, two companies with generated
customers, orders, key accounts and open service requests, some at risk or past their
deadline) is copied before any job runs: the copy gets one clean run of each job, the
original is served by a server with a cron worker (``--workers 1 --max-cron-threads 1``).
For each job, a lock of this test stops the cron worker in the middle of its run (the
engine after it committed its first company, when it starts the second one; the
snapshots and the escalation while they insert their rows and notes); the test then kills
the worker (``kill -9``), releases the lock, lets the server start a new worker and waits
until the job, due again, ran to its end. Then the figures (scores, tiers, health, Pareto
classes), the tier history, the activities, the snapshots, the escalation flags and notes
are those of the clean run, and nothing is there twice.

Run by `make test` with the other system tests, or alone (about 3 minutes):

    python3 -m pytest -p no:odoo tests/test_cron_faults.py
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import kamctl  # noqa: E402

psycopg2 = pytest.importorskip("psycopg2")

DB = f"kam_faults_{os.getpid()}"
REF = f"{DB}_ref"
CRONS = {"engine": "ir_cron_kam_recompute", "snapshots": "ir_cron_kam_account_snapshot",
         "escalation": "ir_cron_kam_service_escalate"}

# run with the database's configuration: the data of the test (SQL generator of the
# benchmarks, users, tiers, teams), every other scheduled action switched off
SETUP = r"""
import sys
sys.path.insert(0, sys.argv[3])
import kam_bench_common as common
from bench_kam_service import generate_requests

with common.environment(sys.argv[1], sys.argv[2]) as env:
    cr = env.cr
    main = env.company
    main.sequence = 1  # the engine scores the companies in their order: main first
    other = env["res.company"].create({"name": "ZZ Fault Components", "sequence": 100})
    env.user.company_ids |= other
    kam = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Fault KAM", "login": "fault_kam", "email": "fault_kam@example.com",
        "company_id": main.id, "company_ids": [(6, 0, (main | other).ids)],
        "group_ids": [(6, 0, [env.ref(
            "key_account_management.key_account_management_group_manager").id])]})
    for offset, company in enumerate((main, other)):
        tiers = common.setup_tiers(env, company)
        first = common.generate(cr, company.id, 1500, 15000, offset * 10 ** 6)
        # the biggest customers are key accounts (registered, half of them with a KAM)
        key = str(company.id)
        cr.execute('''UPDATE res_partner SET kam_state = jsonb_build_object(%s, 'registered'),
                             kam_tier_id = jsonb_build_object(%s, %s),
                             kam_manager_id = CASE WHEN id %% 2 = 0
                                              THEN jsonb_build_object(%s, %s) END
                       WHERE id >= %s AND id < %s''',
                   [key, key, tiers[2].id, key, kam.id, first, first + 60])
        if company == main:
            team = env["kam.service.team"].create({"name": "Fault team"})
            category = env["kam.service.category"].create(
                {"name": "Fault category", "team_id": team.id})
            generate_requests(cr, company.id, tiers.ids, category.ids, team.ids, kam.id,
                              first, 60, 300, False, 0)
            cr.execute('''UPDATE kam_service_request
                             SET resolution_risk_date = now() - interval '1 minute'
                           WHERE id IN (SELECT id FROM kam_service_request ORDER BY id LIMIT 40)''')
            cr.execute('''UPDATE kam_service_request
                             SET resolution_deadline = now() - interval '1 hour',
                                 resolution_risk_date = now() - interval '2 hours'
                           WHERE id IN (SELECT id FROM kam_service_request
                                         ORDER BY id DESC LIMIT 30)''')
    cron_ids = [env.ref(f"key_account_management.{x}").id for x in sys.argv[4].split(",")]
    cr.execute("UPDATE ir_cron SET active = (id = ANY(%s)), nextcall = now() + interval '1 day'",
               [cron_ids])
    cr.commit()
"""

# the clean run of the copy: the three jobs one after the other, as the cron runs them
CLEAN = r"""
import sys
sys.path.insert(0, sys.argv[3])
import kam_bench_common as common

with common.environment(sys.argv[1], sys.argv[2]) as env:
    env["kam.scoring"]._cron_recompute()
    env.cr.commit()
    env["kam.account.snapshot"]._cron_take_snapshots()
    env.cr.commit()
    env["kam.service.request"]._cron_escalate()
    env.cr.commit()
"""

FIGURES = {
    "engine": """
        SELECT p.id, c.id, p.kam_state->>c.id::text, p.kam_tier_id->>c.id::text,
               p.kam_score->>c.id::text, p.kam_pareto_class->>c.id::text,
               p.kam_revenue_12m->>c.id::text, p.kam_health_score->>c.id::text,
               p.kam_health_band->>c.id::text, p.kam_lifecycle_stage->>c.id::text,
               p.kam_signal_count->>c.id::text
          FROM res_partner p CROSS JOIN res_company c
         WHERE p.kam_score->>c.id::text IS NOT NULL OR p.kam_state->>c.id::text IS NOT NULL
         ORDER BY 1, 2""",
    "history": """
        SELECT partner_id, company_id, change_type, old_tier_id, new_tier_id, old_state,
               new_state, old_lifecycle, new_lifecycle, cause, count(*)
          FROM kam_tier_history
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10""",
    "activities": """
        SELECT res_model, res_id, activity_type_id, summary, note, user_id, count(*)
          FROM mail_activity GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6""",
    "digests": "SELECT id, kam_scoring_digest IS NOT NULL FROM res_company ORDER BY id",
    "snapshots": """
        SELECT partner_id, company_id, month, user_id, tier_id, kam_state, score,
               revenue_12m, pareto_class, health_score, health_band, lifecycle_stage,
               signal_count, signal_codes, count(*)
          FROM kam_account_snapshot GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
         ORDER BY 1, 2, 3""",
    "escalation": """
        SELECT id, state, response_status, resolution_status, is_breached,
               response_risk_notified, resolution_risk_notified,
               escalation_kam_date IS NOT NULL, escalation_director_date IS NOT NULL
          FROM kam_service_request ORDER BY id""",
    "notes": """
        SELECT res_id, regexp_replace(body, '\\d{4}-\\d\\d-\\d\\d[ T][0-9:]+', 'DATE', 'g'),
               count(*)
          FROM mail_message
         WHERE model = 'kam.service.request'
      GROUP BY 1, 2 ORDER BY 1, 2""",
}


def _psql(settings, db, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql], check=True,
                   env=kamctl.psql_env(settings), stdout=subprocess.DEVNULL)


def _figures(conn):
    result = {}
    with conn.cursor() as cr:
        for name, query in FIGURES.items():
            cr.execute(query)
            result[name] = cr.fetchall()
    return result


def _cron_id(conn, job):
    with conn.cursor() as cr:
        cr.execute("""SELECT res_id FROM ir_model_data
                       WHERE module = 'key_account_management' AND name = %s""", [CRONS[job]])
        return cr.fetchone()[0]


def _make_due(conn, cron_id):
    with conn.cursor() as cr:
        cr.execute("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' - interval '1 minute'"
                   " WHERE id = %s", [cron_id])


def _notify(conn):
    """Wake the cron worker: it listens on the ``postgres`` database (``ir.cron._notifydb``)."""
    info = conn.info
    wake = psycopg2.connect(dbname="postgres", host=info.host, port=info.port, user=info.user,
                            password=info.password)
    wake.autocommit = True  # a NOTIFY is sent at the commit
    try:
        with wake.cursor() as cr:
            cr.execute("SELECT pg_notify('cron_trigger', %s)", [DB])
    finally:
        wake.close()


def _blocked_worker(conn, server, deadline):
    """The pid of the worker of ``server`` whose database session waits for our lock
    (found by the client port of the session: the application name of a worker's
    sessions is its master's, ``odoo-{pid}`` being resolved before the fork)."""
    import psutil
    with conn.cursor() as cr:
        while time.time() < deadline:
            cr.execute("""SELECT client_port, query FROM pg_stat_activity
                           WHERE datname = %s AND wait_event_type = 'Lock'
                             AND pid != pg_backend_pid()""", [DB])
            ports = dict(cr.fetchall())
            if ports:
                for child in psutil.Process(server.pid).children():
                    for c in child.connections(kind="tcp"):
                        if c.laddr and c.laddr.port in ports:
                            return child.pid, ports[c.laddr.port]
            _notify(conn)
            time.sleep(0.5)
    raise AssertionError("no worker of the server reached the lock of the test")


def _wait_done(conn, cron_id, deadline, server):
    """Until the job ran to its end: rescheduled for its next interval, not running."""
    with conn.cursor() as cr:
        while time.time() < deadline:
            assert server.poll() is None, "the server stopped"
            cr.execute("""SELECT nextcall > now() AT TIME ZONE 'UTC' + interval '5 minutes'
                            FROM ir_cron WHERE id = %s""", [cron_id])
            if cr.fetchone()[0]:
                cr.execute("""SELECT count(*) FROM ir_cron WHERE id = %s AND id NOT IN (
                                  SELECT id FROM ir_cron WHERE id = %s
                                  FOR NO KEY UPDATE SKIP LOCKED)""", [cron_id, cron_id])
                if not cr.fetchone()[0]:
                    return
            _notify(conn)
            time.sleep(1)
    raise AssertionError(f"cron {cron_id} did not finish after its worker was killed")


def _kill_in_the_middle(settings, conn, server, job, lock_sql, check_partial=None):
    """Make ``job`` due while ``lock_sql`` holds a lock the job needs, kill -9 the cron
    worker that waits for it, release the lock and wait until a new worker finished."""
    cron_id = _cron_id(conn, job)
    lock = kamctl.pg_connect(settings, DB)
    lock.autocommit = False
    try:
        with lock.cursor() as cr:
            cr.execute(lock_sql)
        _make_due(conn, cron_id)
        pid, query = _blocked_worker(conn, server, time.time() + 120)
        os.kill(pid, signal.SIGKILL)
        if check_partial:
            check_partial(query)
    finally:
        lock.rollback()
        lock.close()
    _wait_done(conn, cron_id, time.time() + 180, server)


@pytest.fixture(scope="module")
def faulted():
    """``(figures after the faulted runs, figures of the clean run, partial states)``."""
    settings = kamctl.db_settings()
    conf = kamctl.write_config(DB, settings, kamctl.free_port())
    stack = contextlib.ExitStack()  # the server, stopped before the databases are dropped
    try:
        kamctl.create_db(conf, settings, DB, demo=False)
        subprocess.run(kamctl.odoo_cmd(conf, "-d", DB, "-i", kamctl.ADDON, "--stop-after-init",
                                       "--log-level", "warn"), check=True, cwd=REPO)
        args = [conf, DB, os.path.join(REPO, "benchmarks"), ",".join(CRONS.values())]
        subprocess.run([sys.executable, "-c", SETUP, *args], check=True, cwd=REPO)
        _psql(settings, "postgres", f'CREATE DATABASE "{REF}" TEMPLATE "{DB}"')
        subprocess.run([sys.executable, "-c", CLEAN, conf, REF, *args[2:]], check=True,
                       cwd=REPO)

        log_path = os.path.join(kamctl.WORK, "logs", f"{DB}-server.log")
        server, _url = stack.enter_context(kamctl.odoo_server(
            conf, DB, log_path, "--workers", "1", "--max-cron-threads", "1",
            "--log-level", "warn", "--log-handler", "odoo.addons.base.models.ir_cron:INFO",
            "--log-handler", "odoo.addons.key_account_management.models.kam_scoring:INFO",
            workers=True, timeout=120))
        conn = kamctl.pg_connect(settings, DB)
        partial = {}

        with conn.cursor() as cr:
            cr.execute("SELECT id FROM res_company WHERE name = 'ZZ Fault Components'")
            second = cr.fetchone()[0]

        def digests(query):
            with conn.cursor() as cr:
                cr.execute(FIGURES["digests"])
                partial["engine"] = cr.fetchall()
                partial["engine query"] = query

        # the engine scores the first company, commits, and waits for the second one's row
        # to clear its stored digest before writing its figures
        _kill_in_the_middle(settings, conn, server, "engine",
                            f"SELECT 1 FROM res_company WHERE id = {second} FOR NO KEY UPDATE",
                            digests)

        def snapshots(_query):
            with conn.cursor() as cr:
                cr.execute("SELECT count(*) FROM kam_account_snapshot")
                partial["snapshots"] = cr.fetchone()[0]

        _kill_in_the_middle(settings, conn, server, "snapshots",
                            "LOCK TABLE kam_account_snapshot IN SHARE MODE", snapshots)

        def notes(_query):
            with conn.cursor() as cr:
                cr.execute("""SELECT count(*) FROM kam_service_request
                               WHERE resolution_risk_notified OR escalation_kam_date IS NOT NULL""")
                partial["escalation"] = cr.fetchone()[0]

        _kill_in_the_middle(settings, conn, server, "escalation",
                            "LOCK TABLE mail_message IN SHARE MODE", notes)
        result = _figures(conn)
        conn.close()
        ref = kamctl.pg_connect(settings, REF)
        clean = _figures(ref)
        ref.close()
        yield result, clean, partial
    finally:
        stack.close()
        kamctl.remove_db(settings, REF)
        kamctl.remove_db(settings, DB)


def test_engine_killed_after_a_company_finishes_the_next_run(faulted):
    result, clean, partial = faulted
    # killed in the middle: the first company committed (digest stored), not the second
    assert [stored for _id, stored in partial["engine"]] == [True, False], \
        partial["engine query"]
    assert result["engine"] and result["engine"] == clean["engine"]
    assert result["history"] == clean["history"]
    assert all(row[-1] == 1 for row in result["history"]), "a tier change logged twice"
    assert result["activities"] == clean["activities"]
    assert all(row[-1] == 1 for row in result["activities"]), "an activity given twice"
    assert result["digests"] == clean["digests"]


def test_snapshots_killed_written_once_by_the_next_run(faulted):
    result, clean, partial = faulted
    assert partial["snapshots"] == 0
    assert result["snapshots"] and result["snapshots"] == clean["snapshots"]
    assert all(row[-1] == 1 for row in result["snapshots"])


def test_escalation_killed_notifies_once(faulted):
    result, clean, partial = faulted
    assert partial["escalation"] == 0  # the killed run left no flag without its note
    assert result["escalation"] == clean["escalation"]
    assert any(row[6] for row in result["escalation"]) and any(
        row[7] for row in result["escalation"])
    assert result["notes"] and result["notes"] == clean["notes"]
    assert all(row[-1] == 1 for row in result["notes"]), "a request notified twice"
