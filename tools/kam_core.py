#!/usr/bin/env python3
"""Odoo's own tests of the apps a customer runs beside key_account_management.

    python3 tools/kamctl.py test-core             # = make test-core
    python3 tools/kamctl.py test-core --baseline  # = make test-core-baseline

A database without demo data holds the customer's apps (APPS below) and the addon;
Odoo runs there the test classes listed in tools/kam_core_tests.txt and the
scenarios of the test-only module tools/core_tests/kam_core_scenarios (checkout as
a public visitor and a portal customer, a POS sale to a new customer, a contact
import, a partner merge, invoices of a key account: by users without any
key-account group), which must all pass. Each test's outcome is compared
with tools/core_baseline.json: the outcome of the same tests on a database with the
apps only, measured on the same machine. A test that passes without the addon and
does not pass with it (failed, error, skipped, not run) is a regression: exit 1.

``--baseline`` runs the tests on a database with the apps only and writes
tools/core_baseline.json (with the time it took).

Both databases start from the same template (click-odoo-initdb, cached under the
prefix ``kamcore``): the apps without demo data. The tests run after the install,
in a run of their own (``--test-tags`` without ``-i``), so that every module's
Python code, the addon's included, is loaded when they run: only ``post_install``
classes are listed (an ``at_install`` class runs while its module loads, before the
modules that come after it in the graph, the addon maybe).
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kamctl  # tools/, beside this file

REPO = kamctl.REPO
ADDON = kamctl.ADDON
TOOLS = os.path.join(REPO, "tools")
TESTS_FILE = os.path.join(TOOLS, "kam_core_tests.txt")
BASELINE_FILE = os.path.join(TOOLS, "core_baseline.json")
CORE_ADDONS = os.path.join(TOOLS, "core_tests")
SCENARIOS = "kam_core_scenarios"  # the test-only module of tools/core_tests/
CACHE_PREFIX = "kamcore"

# the apps of issue 21: what a customer runs beside the addon
APPS = ["website_sale", "sale_management", "account", "point_of_sale", "stock", "purchase",
        "hr_expense", "project"]

LOG_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) \S+ (\S+): (.*)$")
MODULE_RE = re.compile(r"^odoo\.addons\.(\w+)\.tests\b")
START_RE = re.compile(r"^Starting (\w+)\.(\w+) \.\.\.$")
FAILURE_RE = re.compile(r"^(FAIL|ERROR): (?:Subtest )?(\w+)\.(\w+)\b")
CLASS_ERROR_RE = re.compile(r"^ERROR: (setUpClass|tearDownClass|setUpModule|tearDownModule) "
                            r"\((?:odoo\.addons\.)?(\w+)\.tests\.[\w.]*?(\w+)\)")
SKIP_RE = re.compile(r"^skipped (\w+)\.(\w+) : (.*)$")
# the order of outcomes: a test is as bad as the worst thing logged for it
RANK = {"pass": 0, "skip": 1, "fail": 2, "error": 3}


def say(msg):
    print(f"[kam_core] {msg}", flush=True)


def read_tags(path=TESTS_FILE):
    """The --test-tags of the list: one tag a line, `#` starts a comment."""
    tags = []
    with open(path) as fh:
        for line in fh:
            tag = line.split("#", 1)[0].strip()
            if tag:
                tags.append(tag)
    if not tags:
        raise kamctl.KamError(f"{path} lists no test")
    return tags


def parse_outcomes(log_path):
    """``({test: outcome}, summary)`` of an Odoo test log: ``test`` is
    ``module:Class.method`` (the module of the test file), the outcome ``pass``,
    ``fail``, ``error`` or ``skip``; an error of a class's set-up is recorded as the
    test ``module:Class.setUpClass``. ``summary`` is Odoo's closing count (failed,
    errors, run) or None."""
    outcomes, summary = {}, None

    def mark(test, outcome):
        if RANK[outcome] > RANK.get(outcomes.get(test, "pass"), 0) or test not in outcomes:
            outcomes[test] = outcome

    with open(log_path, errors="replace") as fh:
        for line in fh:
            match = LOG_RE.match(line.rstrip())
            if not match:
                continue
            level, logger, message = match.groups()
            result = kamctl.RESULT_RE.search(message)
            if result:
                summary = tuple(int(x) for x in result.groups())
                continue
            if (found := CLASS_ERROR_RE.match(message)):
                # logged by odoo.tests.suite, not by the test's module
                mark(f"{found[2]}:{found[3]}.{found[1]}", "error")
                continue
            module = MODULE_RE.match(logger)
            if not module:
                continue
            module = module.group(1)
            if (found := START_RE.match(message)):
                outcomes.setdefault(f"{module}:{found[1]}.{found[2]}", "pass")
            elif level == "ERROR" and (found := FAILURE_RE.match(message)):
                mark(f"{module}:{found[2]}.{found[3]}", found[1].lower())
            elif (found := SKIP_RE.match(message)):
                mark(f"{module}:{found[1]}.{found[2]}", "skip")
    return outcomes, summary


def compare(baseline, current):
    """``(regressions, fixed, unknown)``: tests that pass in the baseline and not now
    (with the outcome now, ``missing`` when it did not run), tests that pass now and
    not in the baseline, tests that ran now and not in the baseline."""
    regressions, fixed, unknown = {}, {}, {}
    for test, before in sorted(baseline.items()):
        now = current.get(test, "missing")
        if before == "pass" and now != "pass":
            regressions[test] = now
        elif before != "pass" and now == "pass":
            fixed[test] = before
    for test, now in sorted(current.items()):
        if test not in baseline:
            unknown[test] = now
    return regressions, fixed, unknown


def odoo_commit():
    """The commit of the Odoo source this Python imports (``unknown`` without git)."""
    import odoo.release
    src = os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__)))
    proc = subprocess.run(["git", "-C", src, "log", "-1", "--format=%H %cs"],
                          capture_output=True, text=True)
    return proc.stdout.strip() or "unknown"


def with_core_addons(conf):
    """The test-only module of the scenarios on the addons path of ``conf``."""
    with open(conf) as fh:
        text = fh.read()
    text = re.sub(r"^addons_path = (.*)$", lambda m: f"addons_path = {m[1]},{CORE_ADDONS}",
                  text, count=1, flags=re.M)
    with open(conf, "w") as fh:
        fh.write(text)


def create_apps_db(conf, settings, db):
    """A fresh database with the apps and no demo data, from the cached template."""
    kamctl.drop_db(settings, db)
    cmd = ["click-odoo-initdb", "-c", conf, "-n", db, "-m", ",".join(APPS),
           "--cache-prefix", CACHE_PREFIX, "--cache-max-size", "2", "--no-demo"]
    say(f"creating database {db}: {', '.join(APPS)} (no demo data)")
    for attempt in range(4):
        # creating from a template fails while another run copies the same template
        if subprocess.run(cmd, cwd=REPO).returncode == 0:
            return
        kamctl.drop_db(settings, db)
        time.sleep(5 + 5 * attempt)
    raise kamctl.KamError(f"could not create database {db} (click-odoo-initdb failed)")


def set_base_url(settings, db, conf):
    """``web.base.url`` of the port the tests serve on: the template keeps the one of
    the run that made it, and Odoo's tests compare links with their server's URL."""
    with open(conf) as fh:
        port = re.search(r"^http_port = (\d+)$", fh.read(), re.M)[1]
    subprocess.run(["psql", "-d", db, "-qtAc",
                    f"UPDATE ir_config_parameter SET value = 'http://localhost:{int(port)}' "
                    "WHERE key = 'web.base.url'"],
                   env=kamctl.psql_env(settings), check=True)


def log_problems(log_path):
    problems = []
    with open(log_path, errors="replace") as fh:
        for line in fh:
            match = kamctl.LOGLINE_RE.match(line)
            if match and match.group(1) in ("ERROR", "CRITICAL"):
                problems.append(line.strip())
    return problems


def install_addon(conf, settings, db, prefix):
    log = os.path.join(kamctl.WORK, "logs", f"{prefix}_install.log")
    rc = kamctl.run_logged(kamctl.odoo_cmd(conf, "-d", db, "-i", f"{ADDON},{SCENARIOS}",
                                           "--stop-after-init", "--log-level", "info"), log)
    problems = log_problems(log)
    if rc != 0 or problems or kamctl.module_state(settings, db) != "installed":
        raise kamctl.KamError(
            f"installing {ADDON} beside the apps failed (exit {rc}); see "
            f"{os.path.relpath(log, REPO)}" + "".join(f"\n  {p}" for p in problems[:20]))


def run_tests(conf, db, tags, prefix):
    log = os.path.join(kamctl.WORK, "logs", f"{prefix}_tests.log")
    start = time.time()
    rc = kamctl.run_logged(kamctl.odoo_cmd(
        conf, "-d", db, "--test-tags", ",".join(tags), "--stop-after-init",
        "--log-level", "info"), log)
    outcomes, summary = parse_outcomes(log)
    return outcomes, summary, rc, time.time() - start, log


def counts_of(outcomes):
    counts = dict.fromkeys(("pass", "fail", "error", "skip"), 0)
    for outcome in outcomes.values():
        counts[outcome] += 1
    return counts


def write_baseline(outcomes, tags, test_seconds, total_seconds):
    import odoo.release
    data = {
        "about": "Outcome of Odoo's own tests (tools/kam_core_tests.txt) on a database "
                 "with the apps below and no demo data, without key_account_management: "
                 "what `make test-core` compares with. Written by `make test-core-baseline`.",
        "odoo": f"{odoo.release.version} {odoo_commit()}",
        "apps": APPS,
        "measured": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "test_minutes": round(test_seconds / 60, 1),
        "run_minutes": round(total_seconds / 60, 1),
        "counts": counts_of(outcomes),
        "tags": tags,
        "tests": dict(sorted(outcomes.items())),
    }
    with open(BASELINE_FILE, "w") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    say(f"baseline written: {os.path.relpath(BASELINE_FILE, REPO)}")


def cmd_core(args):
    tags = read_tags(args.tests)
    baseline = None
    if not args.baseline:
        if not os.path.isfile(BASELINE_FILE):
            raise kamctl.KamError(f"no baseline in {os.path.relpath(BASELINE_FILE, REPO)}: "
                                  "run `make test-core-baseline` first")
        with open(BASELINE_FILE) as fh:
            baseline = json.load(fh)
        if baseline["tags"] != tags or baseline["apps"] != APPS:
            raise kamctl.KamError(
                f"{os.path.relpath(BASELINE_FILE, REPO)} was measured for another list of "
                f"tests or apps than {os.path.relpath(args.tests, REPO)}: run "
                "`make test-core-baseline` again")
    kamctl.check_odoo(for_tests=True)
    settings = kamctl.db_settings()
    prefix = args.db_prefix
    db = f"{prefix}_{'apps' if args.baseline else 'kam'}"
    conf = kamctl.write_config(db, settings, kamctl.free_port())
    with_core_addons(conf)
    os.makedirs(os.path.join(kamctl.WORK, "logs"), exist_ok=True)
    t0 = time.time()
    try:
        create_apps_db(conf, settings, db)
        if not args.baseline:
            say(f"installing {ADDON} beside the apps in {db}")
            install_addon(conf, settings, db, db)
        set_base_url(settings, db, conf)
        run_tags = tags if args.baseline or args.no_scenarios else [*tags, f"/{SCENARIOS}"]
        outcomes, summary, rc, test_seconds, log = run_tests(conf, db, run_tags, db)
    finally:
        if not args.keep:
            kamctl.remove_db(settings, db)
    total_seconds = time.time() - t0
    scenarios = {test: outcome for test, outcome in outcomes.items()
                 if test.startswith(f"{SCENARIOS}:")}
    outcomes = {test: outcome for test, outcome in outcomes.items() if test not in scenarios}
    counts = counts_of(outcomes)
    say(f"{len(outcomes)} tests in {test_seconds / 60:.1f} min (whole run "
        f"{total_seconds / 60:.1f} min): {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['error']} errors, {counts['skip']} skipped; log "
        f"{os.path.relpath(log, REPO)}")
    if summary is None:
        raise kamctl.KamError(f"no test summary in {os.path.relpath(log, REPO)}: the run failed "
                              f"(exit {rc})")
    if not outcomes:
        raise kamctl.KamError("Odoo ran no test: are the tags of kam_core_tests.txt right?")
    if args.baseline:
        write_baseline(outcomes, tags, test_seconds, total_seconds)
        return 0
    regressions, fixed, unknown = compare(baseline["tests"], outcomes)
    for test, now in regressions.items():
        say(f"REGRESSION {test}: passes without {ADDON}, {now} with it")
    for test, before in fixed.items():
        say(f"note: {test} passes with {ADDON} ({before} without it)")
    for test, now in unknown.items():
        say(f"note: {test} ({now}) is not in the baseline")
    for test, outcome in sorted(baseline["tests"].items()):
        if outcome != "pass":
            say(f"note: {test} does not pass without {ADDON} either ({outcome})")
    failed_scenarios = {k: v for k, v in scenarios.items() if v != "pass"}
    for name, outcome in sorted(scenarios.items()):
        say(f"scenario {name}: {outcome}")
    if not args.no_scenarios and not scenarios:
        failed_scenarios["(none ran)"] = f"see {os.path.relpath(log, REPO)}"
    same = sum(1 for test, before in baseline["tests"].items() if outcomes.get(test) == before)
    say(f"{same} of {len(baseline['tests'])} tests as in the baseline; "
        f"{len(regressions)} regressions; scenarios: "
        f"{len(scenarios) - len(failed_scenarios)} of {len(scenarios)} ok; "
        f"whole run {total_seconds / 60:.1f} min")
    # the closing line CI reads
    print(f"{counts['pass']} passed, {len(regressions) + len(failed_scenarios)} failed "
          f"(regressions against the baseline and failed scenarios)")
    return 1 if regressions or failed_scenarios else 0


def add_arguments(parser):
    parser.add_argument("--baseline", action="store_true",
                        help="run the tests on the apps without the addon and write "
                        "tools/core_baseline.json")
    parser.add_argument("--tests", default=TESTS_FILE,
                        help="the list of test tags (default: tools/kam_core_tests.txt)")
    parser.add_argument("--db-prefix", default=f"kam_core_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--no-scenarios", action="store_true",
                        help="only Odoo's tests, not the scenarios of tools/core_tests/")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return cmd_core(args)
    except kamctl.KamError as exc:
        print(f"[kam_core] error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
