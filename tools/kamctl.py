#!/usr/bin/env python3
"""Run the key_account_management addon: a demo server, or the whole test suite.

    python3 tools/kamctl.py demo            # fresh database with demo data, served on :8069
    python3 tools/kamctl.py test            # every test; exit 1 on any failure, error or skip
    python3 tools/kamctl.py test --tags /key_account_management:TestKamTier   # one class only
    python3 tools/kamctl.py test --help     # options (subset of tests, keep databases, ...)

`test` runs the addon's Odoo tests on a database without demo data and on one with demo
data (through pytest-odoo when it is installed), then the root system tests against a
server on the demo database; it removes its databases, their filestores and configs, and
keeps its logs in .kam/logs/.

PostgreSQL: the PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD) or an Odoo
configuration file (ODOO_RC or ~/.odoorc) say which server to use. When neither
does, a private cluster is created and started in ``.pgcluster/`` of this
repository with the machine's PostgreSQL binaries.

Odoo 19.0: the one this Python imports; without one, Odoo 19.0 is brought into
``.odoo/`` of this repository (tools/kam_bootstrap.py; ODOO_SRC, ODOO_BRANCH).
"""

import argparse
import ast
import configparser
import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kam_bootstrap  # tools/, beside this file, however kamctl is loaded
import kam_upgrade_check  # tools/ too

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = "key_account_management"
WORK = os.path.join(REPO, ".kam")
CLUSTER = os.path.join(REPO, ".pgcluster")
CLUSTER_PORT = int(os.environ.get("KAM_CLUSTER_PORT", "54329"))
CACHE_PREFIX = "kamtpl"
STARTED_CLUSTER = []  # the private cluster this process started, stopped again by `test`


class KamError(Exception):
    """A problem the user must fix; printed without a traceback."""


def say(msg):
    print(f"[kamctl] {msg}", flush=True)


# --------------------------------------------------------------------------
# Odoo and PostgreSQL
# --------------------------------------------------------------------------

def check_odoo(for_tests=False):
    """The Odoo version this Python imports. When it imports none, Odoo 19.0 is
    brought into ``.odoo/`` of this repository (tools/kam_bootstrap.py: a source
    checkout from ODOO_SRC and a virtualenv with its requirements) and this
    command runs again with that virtualenv's Python."""
    proc = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version)"],
        capture_output=True, text=True, cwd="/")
    if proc.returncode != 0:
        if os.environ.get("KAM_BOOTSTRAPPED") or os.environ.get("KAM_NO_BOOTSTRAP"):
            raise KamError(
                f"Odoo cannot be imported by {sys.executable}: `python3 -c 'import odoo'` "
                "fails. Install Odoo 19.0 from source (README.md, appendix), or unset "
                "KAM_NO_BOOTSTRAP to let this command bring it into .odoo/.")
        try:
            python = kam_bootstrap.ensure_odoo(REPO)
        except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
            raise KamError(f"could not bring Odoo 19.0 into .odoo/: {exc}") from exc
        say(f"using Odoo from .odoo/ ({python})")
        os.environ["KAM_BOOTSTRAPPED"] = "1"
        os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])
    version = proc.stdout.strip()
    if not version.startswith("19.0"):
        raise KamError(f"Odoo {version} found; this addon needs Odoo 19.0.")
    for tool, why, command in kam_bootstrap.missing_system_tools(for_tests):
        if for_tests and tool == "chromium":
            raise KamError(f"{tool} is missing ({why}; a skipped tour is a failure): {command}")
        say(f"warning: {tool} is missing ({why}): {command}")
    return version


def _odoo_rc():
    for path in (os.environ.get("ODOO_RC"), os.path.expanduser("~/.odoorc")):
        if path and os.path.isfile(path):
            return path
    return None


def _pg_bindir():
    """The folder of the machine's PostgreSQL server binaries, or None."""
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip()
        if out and os.path.isfile(os.path.join(out, "initdb")):
            return out
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    candidates += [p for p in (shutil.which("initdb"),) if p]
    for initdb in candidates:
        if os.path.isfile(os.path.join(os.path.dirname(initdb), "pg_ctl")):
            return os.path.dirname(initdb)
    return None


def _as_cluster_owner(cmd):
    """PostgreSQL refuses to run as root: run the cluster as the `postgres` user then."""
    if os.geteuid() != 0:
        return cmd
    try:
        import pwd
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise KamError(
            "Running as root and there is no 'postgres' system user to own the private "
            "PostgreSQL cluster: run as a normal user, or set PGHOST/PGPORT/PGUSER.") from exc
    return ["runuser", "-u", "postgres", "--", *cmd]


def _port_open(host, port):
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def start_private_cluster():
    bindir = _pg_bindir()
    if not bindir:
        raise KamError(
            "No PostgreSQL server is configured and no PostgreSQL binaries were found.\n"
            "Either point to a server with PGHOST, PGPORT, PGUSER (and PGPASSWORD), or an Odoo\n"
            "configuration file (ODOO_RC or ~/.odoorc with db_host, db_port, db_user),\n"
            "or install the PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql;\n"
            "initdb and pg_ctl are then found under /usr/lib/postgresql/<version>/bin).")
    data = os.path.join(CLUSTER, "data")
    sockdir = os.path.join(CLUSTER, "run")
    os.makedirs(sockdir, exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", CLUSTER], check=True)
    if not os.path.isfile(os.path.join(data, "PG_VERSION")):
        say(f"creating a private PostgreSQL cluster in {data}")
        subprocess.run(_as_cluster_owner([
            os.path.join(bindir, "initdb"), "-D", data, "-U", "odoo", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
    if not _port_open("127.0.0.1", CLUSTER_PORT):
        say(f"starting the private PostgreSQL cluster on 127.0.0.1:{CLUSTER_PORT}")
        subprocess.run(_as_cluster_owner([
            os.path.join(bindir, "pg_ctl"), "-D", data, "-w", "-l",
            os.path.join(CLUSTER, "postgresql.log"), "-o",
            f"-p {CLUSTER_PORT} -k {sockdir} -c listen_addresses=127.0.0.1", "start"]),
            check=True, stdout=subprocess.DEVNULL)
        STARTED_CLUSTER.append(data)
    return {"db_host": "127.0.0.1", "db_port": str(CLUSTER_PORT), "db_user": "odoo",
            "db_password": ""}


def stop_private_cluster(only_if_started=False):
    data = os.path.join(CLUSTER, "data")
    if only_if_started and data not in STARTED_CLUSTER:
        return
    bindir = _pg_bindir()
    if bindir and os.path.isfile(os.path.join(data, "postmaster.pid")):
        say("stopping the private PostgreSQL cluster")
        subprocess.run(_as_cluster_owner([os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast",
                                          "stop"]), stdout=subprocess.DEVNULL)


def db_settings():
    """Where PostgreSQL is: PG* variables, then an Odoo config, then a private cluster."""
    env = os.environ
    if any(env.get(v) for v in ("PGHOST", "PGPORT", "PGUSER")):
        settings = {
            "db_host": env.get("PGHOST", ""), "db_port": env.get("PGPORT", ""),
            "db_user": env.get("PGUSER", ""), "db_password": env.get("PGPASSWORD", ""),
        }
        if settings["db_user"] == "postgres":
            raise KamError("Odoo refuses the 'postgres' role: set PGUSER to a role of your own "
                           "(e.g. createuser -s odoo).")
        return settings
    rc = _odoo_rc()
    if rc:
        parser = configparser.ConfigParser()
        parser.read(rc)
        if parser.has_section("options") and any(
                parser.get("options", k, fallback="") not in ("", "False")
                for k in ("db_host", "db_port", "db_user")):
            return {k: parser.get("options", k, fallback="") for k in
                    ("db_host", "db_port", "db_user", "db_password")}
    return start_private_cluster()


def write_config(name, settings, http_port):
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, f"{name}.conf")
    cfg = configparser.ConfigParser(interpolation=None)
    cfg["options"] = {
        "addons_path": REPO,
        **{k: v for k, v in settings.items() if v and v != "False"},
        "http_interface": "127.0.0.1",
        "http_port": str(http_port),
        "data_dir": os.path.join(WORK, "filestore"),
        "admin_passwd": "admin",
        "without_demo": "True",
        "max_cron_threads": "0",
    }
    with open(path, "w") as fh:
        cfg.write(fh)
    return path


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manifest_depends():
    with open(os.path.join(REPO, ADDON, "__manifest__.py")) as fh:
        return ast.literal_eval(fh.read())["depends"]


def psql_env(settings):
    env = dict(os.environ)
    for key, var in (("db_host", "PGHOST"), ("db_port", "PGPORT"), ("db_user", "PGUSER"),
                     ("db_password", "PGPASSWORD")):
        if settings.get(key) and settings[key] != "False":
            env[var] = settings[key]
    return env


def drop_db(settings, name):
    subprocess.run(["dropdb", "--if-exists", "--force", name], env=psql_env(settings),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def remove_db(settings, name):
    """Drop a database of ours with what Odoo keeps beside it: its filestore and our .conf."""
    drop_db(settings, name)
    shutil.rmtree(os.path.join(WORK, "filestore", "filestore", name), ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(WORK, f"{name}.conf"))


def module_state(settings, db):
    proc = subprocess.run(
        ["psql", "-d", db, "-tAc",
         f"SELECT state FROM ir_module_module WHERE name = '{ADDON}'"],
        env=psql_env(settings), capture_output=True, text=True)
    return proc.stdout.strip()


def module_demo_flag(settings, db):
    """``(state, demo)`` of the addon in ``db``: Odoo clears ``demo`` when the demo data
    failed to load (it installs the module "without demo data" and exits 0)."""
    proc = subprocess.run(
        ["psql", "-d", db, "-tAc",
         f"SELECT state, demo FROM ir_module_module WHERE name = '{ADDON}'"],
        env=psql_env(settings), capture_output=True, text=True)
    state, _sep, demo = proc.stdout.strip().partition("|")
    return state, demo == "t"


DEMO_FAILED_RE = re.compile(r"demo data failed to install|installed without demo data")


def demo_install_problems(log_path, state, demo_loaded):
    """What went wrong installing the addon with its demo data: the ERROR and CRITICAL
    lines of the install log, Odoo's warning that demo data failed to load, a module not
    installed or installed without its demo data. Empty when all is well."""
    problems = []
    with open(log_path, errors="replace") as fh:
        for line in fh:
            match = LOGLINE_RE.match(line)
            if match and (match.group(1) in ("ERROR", "CRITICAL") or DEMO_FAILED_RE.search(line)):
                problems.append(line.strip())
    if state != "installed":
        problems.append(f"{ADDON} is not installed (state: {state or 'unknown'})")
    elif not demo_loaded:
        problems.append(f"{ADDON} is installed without its demo data "
                        "(ir_module_module.demo is false)")
    return problems


def odoo_cmd(conf, *args):
    return [sys.executable, "-m", "odoo", "server", "-c", conf, *args]


def odoo_server_cmd(conf, *args):
    """The command of a server with workers (``--workers``): through ``odoo-bin``, since
    the prefork server starts its websocket process as ``sys.argv[0] gevent``, which
    fails when ``sys.argv[0]`` is the ``__main__.py`` of ``python -m odoo``."""
    proc = subprocess.run(
        [sys.executable, "-c", "import odoo, os; print(os.path.dirname(odoo.__path__[0]))"],
        capture_output=True, text=True, cwd="/")
    odoo_bin = os.path.join(proc.stdout.strip(), "odoo-bin")
    if proc.returncode == 0 and os.path.isfile(odoo_bin):
        return [sys.executable, odoo_bin, "server", "-c", conf, *args]
    return odoo_cmd(conf, *args)


def create_db(conf, settings, name, demo):
    """A fresh database with the addon's dependencies, from a cached template."""
    drop_db(settings, name)
    cmd = ["click-odoo-initdb", "-c", conf, "-n", name, "-m", ",".join(manifest_depends()),
           "--cache-prefix", CACHE_PREFIX, "--cache-max-size", "4",
           "--demo" if demo else "--no-demo"]
    if shutil.which("click-odoo-initdb") is None:
        raise KamError("click-odoo-initdb is missing: pip install -r requirements.txt")
    say(f"creating database {name} ({'with' if demo else 'without'} demo data)")
    for attempt in range(6):
        # creating from a template fails while another run copies the same template
        proc = subprocess.run(cmd, cwd=REPO)
        if proc.returncode == 0:
            return
        drop_db(settings, name)
        time.sleep(5 + 5 * attempt)
    raise KamError(f"could not create database {name} (click-odoo-initdb failed 6 times)")


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------

RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
CLASS_ERROR_RE = re.compile(r" ERROR \S+ \S+: ERROR: (?:setUpClass|tearDownClass|setUpModule) \(")
SKIP_RE = re.compile(r" (?:INFO|WARNING) \S+ (\S+): skipped (.*)$")
LOGLINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
# a console warning of the browser during one of our tours: `WARNING <db>
# odoo.addons.key_account_management.tests.<module>.<Class>.<test>.browser: ...`
BROWSER_WARNING_RE = re.compile(
    rf" WARNING \S+ odoo\.addons\.{ADDON}\.tests\.\S+\.browser: ")


class Counts:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.errors = self.skipped = 0
        self.problems = []

    @property
    def ok(self):
        return not (self.failed or self.errors or self.skipped)


def parse_odoo_log(path, counts):
    summary = None
    log_errors = []
    class_errors = 0
    with open(path, errors="replace") as fh:
        for line in fh:
            if CLASS_ERROR_RE.search(line):
                # an error in setUpClass/tearDownClass: counted in Odoo's errors, not in its
                # "of N tests" (the tests of the class did not run)
                class_errors += 1
            match = RESULT_RE.search(line)
            if match:
                summary = tuple(int(x) for x in match.groups())
            skip = SKIP_RE.search(line)
            if skip and f"odoo.addons.{ADDON}." in skip.group(1):
                # a skipped test of ours (a tour without Chrome...) is a failure
                counts.skipped += 1
                counts.problems.append(f"skipped (counted as a failure): {skip.group(2).strip()}")
            elif skip:
                # Odoo's own tests (make test-core) skip what needs demo data: reported only
                counts.problems.append(f"skipped (Odoo's own test): {skip.group(2).strip()}")
            level = LOGLINE_RE.match(line)
            if level and level.group(1) in ("ERROR", "CRITICAL"):
                log_errors.append(line.strip())
            elif BROWSER_WARNING_RE.search(line):
                # a warning of our views in the browser console fails the run like an error
                counts.errors += 1
                counts.problems.append(f"browser warning in our tour: {line.strip()}")
    if summary is None:
        counts.errors += 1
        counts.problems.append(f"no test summary in {path}: the install or the run failed")
    else:
        failed, errors, run = summary
        counts.failed += failed
        counts.errors += errors
        counts.passed += max(run - failed - (errors - class_errors) - counts.skipped, 0)
        if run == 0:
            counts.errors += 1
            counts.problems.append("Odoo ran no test")
    if log_errors and not (counts.failed or counts.errors):
        # an ERROR in the log outside any test (install, cron, post-install hook) is a failure too
        counts.errors += 1
    counts.problems.extend(log_errors[:30])


def run_logged(cmd, log_path, env=None, timeout=None):
    say(f"running: {' '.join(cmd)}")
    say(f"log: {os.path.relpath(log_path, REPO)}")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, env=env, cwd=REPO, errors="replace")
        for line in proc.stdout:
            log.write(line)
            if os.environ.get("KAM_VERBOSE") or " ERROR " in line or " FAIL" in line \
                    or ": skipped " in line or "tests when loading database" in line:
                sys.stdout.write(line)
        return proc.wait(timeout=timeout)


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------

def run_odoo_tests(args, settings, counts, db, demo):
    """Install the addon in a fresh database; Odoo runs the tests named by --tags meanwhile."""
    port = free_port()
    conf = write_config(db, settings, port)
    create_db(conf, settings, db, demo=demo)
    log = os.path.join(WORK, "logs", f"{db}.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    cmd = odoo_cmd(conf, "-d", db, "-i", ADDON, "--test-tags", args.tags, "--stop-after-init",
                   "--log-level", "test", "--http-port", str(port))
    if demo:
        cmd.append("--with-demo")
    if args.update:
        # Odoo runs the tests of the modules it installs or updates in this run only
        cmd += ["-u", args.update]
    rc = run_logged(cmd, log)
    parse_odoo_log(log, counts)
    if rc != 0 and counts.ok:
        counts.errors += 1
        counts.problems.append(f"odoo exited with {rc}")
    return conf


def install_demo(args, settings, counts, db):
    """A database with the addon and its demo data, for the system tests only."""
    conf = write_config(db, settings, free_port())
    create_db(conf, settings, db, demo=True)
    log = os.path.join(WORK, "logs", f"{db}-install.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    rc = run_logged(odoo_cmd(conf, "-d", db, "-i", ADDON, "--with-demo", "--stop-after-init",
                             "--log-level", "info"), log)
    install_errors = demo_install_problems(log, *module_demo_flag(settings, db))
    if rc != 0 or install_errors:
        counts.errors += 1
        counts.problems.append(f"installing with demo data failed (exit {rc}); see {log}")
        counts.problems.extend(install_errors[:20])
    return conf


def run_upgrade(args, settings, counts, db_prefix):
    """The upgrade test (tools/kam_upgrade_check.py): each release of CHANGELOG.md installed
    with its demo data, upgraded to the working tree, compared with a fresh install."""
    env = psql_env(settings)
    os.makedirs(os.path.join(WORK, "logs"), exist_ok=True)
    fresh = f"{db_prefix}_fresh"
    conf = write_config(fresh, settings, free_port())
    created = [fresh]
    try:
        create_db(conf, settings, fresh, demo=False)
        log = os.path.join(WORK, "logs", f"{fresh}-install.log")
        if run_logged(odoo_cmd(conf, "-d", fresh, "-i", ADDON, "--stop-after-init"), log):
            counts.errors += 1
            counts.problems.append(f"fresh install failed, see {log}")
            return
        reference = kam_upgrade_check.metadata(env, fresh)
        for version, commit in kam_upgrade_check.releases(REPO):
            started = time.monotonic()
            name = f"{db_prefix}_from_{version.replace('.', '_')}"
            created.append(name)
            folder = os.path.join(WORK, f"release-{version}")
            kam_upgrade_check.cleanup(folder)
            kam_upgrade_check.extract_release(REPO, commit, folder)
            old_conf = write_config(name, settings, free_port())
            cfg = configparser.ConfigParser(interpolation=None)
            cfg.read(old_conf)
            cfg["options"]["addons_path"] = folder
            with open(old_conf, "w") as fh:
                cfg.write(fh)
            create_db(old_conf, settings, name, demo=True)
            log = os.path.join(WORK, "logs", f"{name}-install.log")
            rc = run_logged(odoo_cmd(old_conf, "-d", name, "-i", ADDON, "--with-demo",
                                     "--stop-after-init"), log)
            state, demo = module_demo_flag(settings, name)
            if rc or state != "installed" or not demo:
                counts.errors += 1
                counts.problems.append(f"{version} ({commit}) did not install with its demo "
                                       f"data, see {log}")
                continue
            before = kam_upgrade_check.row_counts(env, name)
            new_conf = write_config(name, settings, free_port())
            log = os.path.join(WORK, "logs", f"{name}-upgrade.log")
            rc = run_logged(odoo_cmd(new_conf, "-d", name, "-u", ADDON, "--stop-after-init"),
                            log)
            problems = [line for line in demo_install_problems(log, *module_demo_flag(
                settings, name)) if " ERROR " in line or " CRITICAL " in line]
            if rc:
                problems.append(f"the upgrade exited with {rc}, see {log}")
            problems += kam_upgrade_check.compare(reference, kam_upgrade_check.metadata(env, name))
            problems += kam_upgrade_check.lost_rows(before, kam_upgrade_check.row_counts(env, name))
            problems += kam_upgrade_check.broken_invariants(env, name)
            # the engine's figures are those of the new release: running the engine
            # once more on the upgraded database changes none of them
            upgraded_figures = kam_upgrade_check.engine_figures(env, name)
            log = os.path.join(WORK, "logs", f"{name}-engine.log")
            with open(log, "w") as fh:
                engine = subprocess.run(
                    [sys.executable, "-m", "odoo", "shell", "-c", new_conf, "-d", name,
                     "--no-http"], input=kam_upgrade_check.ENGINE_RUN, text=True,
                    stdout=fh, stderr=subprocess.STDOUT, cwd=REPO, check=False)
            if engine.returncode:
                problems.append(f"the engine run after the upgrade failed, see {log}")
            problems += kam_upgrade_check.not_recomputed(
                upgraded_figures, kam_upgrade_check.engine_figures(env, name))
            seconds = time.monotonic() - started
            if problems:
                counts.failed += 1
                counts.problems.append(f"upgrade from {version} ({commit}):")
                counts.problems.extend(f"  {p}" for p in problems[:30])
            else:
                counts.passed += 1
                say(f"upgrade from {version} ({commit}) with demo data: as a fresh install, "
                    f"no row lost ({seconds:.0f} s)")
            remove_db(settings, name)
            kam_upgrade_check.cleanup(folder)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        counts.errors += 1
        counts.problems.append(f"upgrade test: {exc}")
    finally:
        for name in created:
            remove_db(settings, name)


def junit_counts(junit, counts, rc, what):
    """Add the results of a pytest JUnit report to counts; skips count as failures."""
    if not os.path.isfile(junit):
        counts.errors += 1
        counts.problems.append(f"pytest wrote no report (exit {rc})")
        return
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    tests, fail = int(suite.get("tests")), int(suite.get("failures"))
    err, skip = int(suite.get("errors")), int(suite.get("skipped"))
    counts.failed += fail
    counts.errors += err
    counts.skipped += skip
    counts.passed += tests - fail - err - skip
    for case in suite.iter("testcase"):
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                counts.problems.append(f"{child.tag}: {case.get('classname')}.{case.get('name')}: "
                                       f"{(child.get('message') or '').splitlines()[0:1]}")
    if tests == 0:
        counts.errors += 1
        counts.problems.append(f"pytest ran no {what}")
    if skip:
        counts.problems.append(f"{skip} {what} skipped (counted as failures)")
    if rc not in (0, 1):
        counts.errors += 1
        counts.problems.append(f"pytest exited with {rc}")


def has_pytest_odoo():
    proc = subprocess.run([sys.executable, "-c", "import pytest_odoo"], capture_output=True,
                          cwd="/")
    return proc.returncode == 0


def tags_to_pytest(tags):
    """--test-tags of the addon as pytest node ids: `/key_account_management:TestX.test_y` ->
    `key_account_management/tests/test_x.py::TestX::test_y`; [] for the whole addon, None when
    a tag names something else (then Odoo's runner runs them)."""
    tests_dir = os.path.join(ADDON, "tests")
    nodes = []
    for tag in tags.split(","):
        tag = tag.strip()
        if tag in (f"/{ADDON}", ADDON):
            return []
        match = re.fullmatch(rf"/{ADDON}:(\w+)(?:\.(\w+))?", tag)
        if not match:
            return None
        cls, method = match.groups()
        files = [f for f in sorted(glob.glob(os.path.join(REPO, tests_dir, "test_*.py")))
                 if re.search(rf"^class {cls}\(", open(f).read(), re.M)]
        if len(files) != 1:
            return None
        nodes.append("::".join(
            [os.path.join(tests_dir, os.path.basename(files[0])), cls, *([method] if method else [])]))
    return nodes


def run_pytest_odoo(args, settings, counts, db, conf):
    """The addon's tests through pytest-odoo, on a database where the addon is installed."""
    nodes = tags_to_pytest(args.tags) or [os.path.join(ADDON, "tests")]
    junit = os.path.join(WORK, "logs", f"{db}-pytest-odoo.xml")
    log = os.path.join(WORK, "logs", f"{db}-pytest-odoo.log")
    # every log record in a file of Odoo's format, where the browser's console messages of the
    # tours are looked for (pytest shows captured logs of failing tests only)
    records = os.path.join(WORK, "logs", f"{db}-pytest-odoo-records.log")
    # --odoo-http: pytest-odoo serves HTTP, so the HttpCase tours run too
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfEs",
           f"--odoo-database={db}", f"--odoo-config={conf}", "--odoo-http",
           "--odoo-log-level=info", f"--junitxml={junit}", f"--log-file={records}",
           "--log-file-level=INFO", "--log-file-date-format=%Y-%m-%d %H:%M:%S",
           "--log-file-format=%(asctime)s %(process)d %(levelname)s pytest %(name)s: %(message)s",
           *nodes]
    rc = run_logged(cmd, log)
    junit_counts(junit, counts, rc, "test of the addon")
    for line in open(records, errors="replace") if os.path.isfile(records) else ():
        if BROWSER_WARNING_RE.search(line):
            counts.errors += 1
            counts.problems.append(f"browser warning in our tour: {line.strip()}")


def wait_http(url, proc, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise KamError(f"the Odoo server stopped (exit {proc.returncode}) before answering")
        try:
            with urllib.request.urlopen(url + "/web/health", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise KamError(f"the Odoo server did not answer at {url} within {timeout}s")


@contextlib.contextmanager
def odoo_server(conf, db, log_path, *args, workers=False, timeout=180):
    """A server of ``db`` on a free loopback port, its output in ``log_path``, started
    and answering ``/web/health`` on entry (``(process, url)``), stopped on exit (SIGTERM to
    its process group, SIGKILL after 30 s). ``workers``: started as a prefork server
    (``odoo_server_cmd``, for ``--workers``); ``args``: more options of the server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    command = odoo_server_cmd if workers else odoo_cmd
    with open(log_path, "w") as log:
        server = subprocess.Popen(command(conf, "-d", db, "--db-filter", f"^{db}$",
                                          "--http-interface", "127.0.0.1",
                                          "--http-port", str(port), *args),
                                  stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
                                  start_new_session=True)
    try:
        wait_http(url, server, timeout=timeout)
        yield server, url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def pg_connect(settings, db):
    """A psycopg2 connection to ``db`` of the PostgreSQL of ``settings``, in autocommit."""
    import psycopg2
    env = psql_env(settings)
    conn = psycopg2.connect(dbname=db, host=env.get("PGHOST"), port=env.get("PGPORT"),
                            user=env.get("PGUSER"), password=env.get("PGPASSWORD"))
    conn.autocommit = True
    return conn


def run_system(args, settings, counts, db, conf):
    """Root tests/: pytest drives a running server over the external API."""
    logdir = os.path.join(WORK, "logs")
    if module_state(settings, db) != "installed":
        counts.errors += 1
        counts.problems.append(f"{ADDON} is not installed in {db}: no system test ran")
        return
    server_log = os.path.join(logdir, f"{db}-server.log")
    with odoo_server(conf, db, server_log, "--log-level", "info") as (_server, url):
        junit = os.path.join(logdir, f"{db}-pytest.xml")
        env = dict(os.environ, KAM_ODOO_URL=url, KAM_ODOO_DB=db)
        # -p no:odoo: pytest-odoo, when installed, must not take over these tests (they talk to
        # a server; tests/pytest.ini says the same for a plain `pytest tests`)
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:odoo", "-q",
               "-rfEs", f"--junitxml={junit}", os.path.join(REPO, "tests"), *args.pytest_args]
        say(f"running: {' '.join(cmd)}")
        rc = subprocess.run(cmd, env=env, cwd=REPO).returncode
        junit_counts(junit, counts, rc, "system test")


def cmd_test(args):
    check_odoo(for_tests=True)
    settings = db_settings()
    try:
        return _run_tests(args, settings)
    finally:
        stop_private_cluster(only_if_started=True)


def cmd_test_core(args):
    # kam_core imports this module: the same one, not a second copy of it run as a script
    if __name__ in sys.modules:  # not when loaded by a spec without registering (a test)
        sys.modules.setdefault("kamctl", sys.modules[__name__])
    import kam_core
    try:
        return kam_core.cmd_core(args)
    finally:
        stop_private_cluster(only_if_started=True)


def cmd_stop(args):
    stop_private_cluster()
    return 0


def _run_tests(args, settings):
    # --tags runs what it names: the system tests only with --system
    system = args.system or (args.tags is None and not args.no_system)
    args.tags = args.tags or f"/{ADDON}"
    runner = args.runner
    if runner == "auto":
        runner = "pytest-odoo" if has_pytest_odoo() and tags_to_pytest(args.tags) is not None \
            else "odoo"
    results = []
    created = []
    if args.upgrade_only:
        args.no_unit = True
        system = False
        counts = Counts("upgrade from each release")
        run_upgrade(args, settings, counts, args.db_prefix)
        results.append(counts)
    try:
        if not args.no_unit:
            db = f"{args.db_prefix}_unit"
            created.append(db)
            counts = Counts("odoo tests, no demo data")
            run_odoo_tests(args, settings, counts, db, demo=False)
            results.append(counts)
        if (not args.no_unit and not args.no_demo) or system:
            db = f"{args.db_prefix}_demo"
            created.append(db)
            counts = Counts(f"odoo tests, demo data ({runner})")
            if args.no_unit or args.no_demo:
                conf = install_demo(args, settings, Counts("install"), db)
            elif runner == "pytest-odoo":
                conf = install_demo(args, settings, counts, db)
                if counts.ok:
                    run_pytest_odoo(args, settings, counts, db, conf)
                results.append(counts)
            else:
                conf = run_odoo_tests(args, settings, counts, db, demo=True)
                results.append(counts)
            if system:
                counts = Counts("system tests")
                run_system(args, settings, counts, db, conf)
                results.append(counts)
        if system and not args.no_upgrade and not args.upgrade_only:
            counts = Counts("upgrade from each release")
            run_upgrade(args, settings, counts, args.db_prefix)
            results.append(counts)
    finally:
        if not args.keep:
            for db in created:
                remove_db(settings, db)
    total = Counts("total")
    for counts in results:
        for attr in ("passed", "failed", "errors", "skipped"):
            setattr(total, attr, getattr(total, attr) + getattr(counts, attr))
        if counts.problems:
            say(f"{counts.name}: problems:")
            for problem in counts.problems:
                print(f"    {problem}")
        say(f"{counts.name}: {counts.passed} passed, {counts.failed} failed, "
            f"{counts.errors} errors, {counts.skipped} skipped")
    if args.keep:
        say(f"databases kept: {', '.join(created)} (configs in {os.path.relpath(WORK, REPO)}/)")
    say(f"logs stay in {os.path.relpath(os.path.join(WORK, 'logs'), REPO)}/ "
        f"(files {args.db_prefix}_*); the test databases, their filestores and configs are removed"
        if not args.keep else f"logs stay in {os.path.relpath(os.path.join(WORK, 'logs'), REPO)}/")
    # the closing line CI reads; errors and skips count as failures
    print(f"{total.passed} passed, {total.failed + total.errors + total.skipped} failed, "
          f"{total.skipped} skipped")
    return 0 if total.ok and total.passed else 1


def cmd_demo(args):
    check_odoo()
    settings = db_settings()
    conf = write_config(args.db, settings, args.port)
    create_db(conf, settings, args.db, demo=True)
    install = odoo_cmd(conf, "-d", args.db, "-i", ADDON, "--with-demo", "--stop-after-init",
                       "--log-level", "info")
    if args.lang:
        install += ["--load-language", args.lang]
    say(f"installing {ADDON} with its demo data in {args.db}")
    log = os.path.join(WORK, "logs", f"{args.db}-install.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    rc = run_logged(install, log)
    problems = demo_install_problems(log, *module_demo_flag(settings, args.db))
    if rc != 0 or problems:
        # Odoo installs the module "without demo data" and exits 0 when the demo fails
        raise KamError(
            f"installing {ADDON} with its demo data in {args.db} failed (exit {rc}); see "
            f"{os.path.relpath(log, REPO)}" + "".join(f"\n  {p}" for p in problems[:20]))
    if args.lang:
        subprocess.run([sys.executable, "-c", _SET_LANG, conf, args.db, args.lang], check=True,
                       cwd=REPO)
    if args.no_serve:
        return 0
    say(f"serving http://localhost:{args.port} (login admin / admin); Ctrl-C stops")
    serve = odoo_cmd(conf, "-d", args.db, "--db-filter", f"^{args.db}$",
                     "--http-interface", args.interface)
    os.execv(serve[0], serve)


def cmd_i18n(args):
    """Export the .pot from a fresh database and merge it into every .po file."""
    check_odoo()
    settings = db_settings()
    db = f"kam_i18n_{os.getpid()}"
    conf = write_config(db, settings, free_port())
    create_db(conf, settings, db, demo=True)
    try:
        subprocess.run(odoo_cmd(conf, "-d", db, "-i", ADDON, "--with-demo", "--stop-after-init",
                                "--log-level", "warn"), check=True, cwd=REPO)
        i18n = os.path.join(REPO, ADDON, "i18n")
        os.makedirs(i18n, exist_ok=True)
        pot = os.path.join(i18n, f"{ADDON}.pot")
        subprocess.run([sys.executable, "-m", "odoo", "i18n", "export", "-c", conf, "-d", db,
                        "-o", pot, ADDON], check=True, cwd="/")
        for po in sorted(glob.glob(os.path.join(i18n, "*.po"))):
            subprocess.run(["msgmerge", "--quiet", "--update", "--no-fuzzy-matching",
                            "--backup=none", "--no-wrap", po, pot], check=True)
            untranslated = subprocess.run(
                ["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", po],
                capture_output=True, text=True).stdout
            missing = untranslated.count("\nmsgid ") - (1 if untranslated else 0)
            say(f"{os.path.relpath(po, REPO)}: {max(missing, 0)} untranslated")
    finally:
        remove_db(settings, db)
    return 0


_SET_LANG = """
import sys, odoo
from odoo.tools import config
config.parse_config(['-c', sys.argv[1]])
from odoo.modules.registry import Registry
with Registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    # the terms of every installed module once more: with --load-language at install, the
    # records of Odoo's apps (dashboard groups such as Sales, units, activity types) stay
    # in English (the addon's terms, loaded with the addon, are there)
    env['ir.module.module'].search([('state', '=', 'installed')])._update_translations(
        sys.argv[3])
    env['res.users'].search([('share', '=', False)]).write({'lang': sys.argv[3]})
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="fresh demo database, served on http://localhost:8069")
    demo.add_argument("--db", default=os.environ.get("KAM_DEMO_DB", "kam_demo"))
    demo.add_argument("--port", type=int, default=int(os.environ.get("KAM_PORT", "8069")))
    demo.add_argument("--interface", default=os.environ.get("KAM_INTERFACE", "127.0.0.1"))
    demo.add_argument("--lang", default=os.environ.get("KAM_LANG", ""),
                      help="also load this language for all users, e.g. zh_CN")
    demo.add_argument("--no-serve", action="store_true", help="install only, do not serve")
    demo.set_defaults(func=cmd_demo)

    test = sub.add_parser(
        "test", help="run every test; non-zero exit on failure, error or skip",
        description="The addon's Odoo tests on a database without demo data and on one with "
        "demo data, then the root system tests (tests/, pytest over JSON-2) against a server "
        "on the demo database. Ends with one line `N passed, N failed, N skipped`; the "
        "databases, their filestores and configs are removed, the logs stay in .kam/logs/.")
    test.add_argument("--tags", default=os.environ.get("KAM_TEST_TAGS"),
                      help=f"Odoo --test-tags, e.g. /{ADDON}:TestKamTier (default: /{ADDON}); "
                      "given, only these tests run: no system tests unless --system")
    test.add_argument("--system", action="store_true",
                      help="run the system tests even with --tags")
    test.add_argument("--db-prefix", default=f"kam_test_{os.getpid()}")
    test.add_argument("--keep", action="store_true",
                      help="keep the test databases (and their filestores and configs)")
    test.add_argument("--update", default="",
                      help="also update (and so test) these installed modules, e.g. crm,sale")
    test.add_argument("--no-unit", action="store_true",
                      help="skip the addon's own Odoo tests (both databases)")
    test.add_argument("--no-demo", action="store_true",
                      help="run the addon's Odoo tests on the database without demo data only")
    test.add_argument("--no-system", action="store_true",
                      help="skip the root system tests of tests/")
    test.add_argument("--no-upgrade", action="store_true",
                      help="skip the upgrade test (each release of CHANGELOG.md upgraded to "
                      "the working tree and compared with a fresh install)")
    test.add_argument("--upgrade-only", action="store_true",
                      help="run the upgrade test only")
    test.add_argument("--runner", choices=("auto", "odoo", "pytest-odoo"),
                      default=os.environ.get("KAM_RUNNER", "auto"),
                      help="who runs the addon's tests on the demo database: pytest-odoo when "
                      "it is installed (auto, the default), or Odoo's own test runner")
    test.add_argument("pytest_args", nargs="*", help="extra pytest arguments for tests/")
    test.set_defaults(func=cmd_test)

    core = sub.add_parser(
        "test-core", help="Odoo's own tests of the customer's apps beside the addon, "
        "compared with tools/core_baseline.json (make test-core)",
        description="Odoo's own tests of website_sale, sale_management, account, "
        "point_of_sale, stock, purchase, hr_expense and project (tools/kam_core_tests.txt) "
        "on a database with these apps and the addon, no demo data; each test's outcome "
        "is compared with tools/core_baseline.json (the same tests without the addon); "
        "the scenarios of tools/core_tests/kam_core_scenarios must pass. Exit 1 on a "
        "regression or a failed scenario.")
    core.set_defaults(func=cmd_test_core)
    if __name__ in sys.modules:  # not when loaded by a spec without registering (a test)
        sys.modules.setdefault("kamctl", sys.modules[__name__])
    import kam_core  # here: kam_core imports this module
    kam_core.add_arguments(core)

    stop = sub.add_parser("stop", help="stop the private PostgreSQL cluster of .pgcluster/")
    stop.set_defaults(func=cmd_stop)

    i18n = sub.add_parser("i18n", help="export the .pot and merge it into the .po files")
    i18n.set_defaults(func=cmd_i18n)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KamError as exc:
        print(f"[kamctl] error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"[kamctl] error: command failed ({exc.returncode}): {' '.join(exc.cmd)}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
