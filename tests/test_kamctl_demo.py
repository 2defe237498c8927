"""`kamctl demo` fails when the demo data did not load: Odoo then installs the addon
"without demo data" and exits 0. Unit tests of the check, no database needed:

    python3 -m pytest -p no:odoo tests/test_kamctl_demo.py
"""

import importlib.util
import os

import pytest

_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "tools", "kamctl.py")
_SPEC = importlib.util.spec_from_file_location("kamctl", _PATH)
kamctl = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(kamctl)

INFO = ("2026-11-27 07:20:28,673 11283 INFO kam_demo odoo.modules.loading: "
        "loading key_account_management/demo/kam_service_demo.xml\n")
DEMO_FAILED = ("2026-11-27 07:20:31,308 11283 WARNING kam_demo odoo.modules.loading: "
               "Module key_account_management demo data failed to install, installed "
               "without demo data\n")
ERROR = ("2026-11-27 07:20:31,300 11283 ERROR kam_demo odoo.tools.convert: "
         "while parsing key_account_management/demo/kam_service_demo.xml:42\n")
TRACEBACK = "Traceback (most recent call last):\n  ERROR in a traceback line\n"


@pytest.fixture
def log(tmp_path):
    def write(*lines):
        path = tmp_path / "kam_demo-install.log"
        path.write_text("".join(lines))
        return str(path)
    return write


def test_a_clean_install_with_demo_data_has_no_problem(log):
    assert kamctl.demo_install_problems(log(INFO, TRACEBACK), "installed", True) == []


def test_an_error_line_is_a_problem(log):
    problems = kamctl.demo_install_problems(log(INFO, ERROR), "installed", True)
    assert problems == [ERROR.strip()]


def test_demo_data_not_loaded_is_a_problem(log):
    problems = kamctl.demo_install_problems(log(INFO, DEMO_FAILED), "installed", False)
    assert problems[0] == DEMO_FAILED.strip()
    assert "installed without its demo data (ir_module_module.demo is false)" in problems[1]
    # the flag alone, whatever the log says
    problems = kamctl.demo_install_problems(log(INFO), "installed", False)
    assert len(problems) == 1 and "ir_module_module.demo" in problems[0]


def test_a_module_not_installed_is_a_problem(log):
    problems = kamctl.demo_install_problems(log(INFO), "to install", False)
    assert problems == ["key_account_management is not installed (state: to install)"]


def test_demo_command_exits_non_zero_naming_the_log(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(kamctl, "WORK", str(tmp_path))
    monkeypatch.setattr(kamctl, "check_odoo", lambda: None)
    monkeypatch.setattr(kamctl, "db_settings", lambda: {})
    monkeypatch.setattr(kamctl, "write_config", lambda *a: str(tmp_path / "x.conf"))
    monkeypatch.setattr(kamctl, "create_db", lambda *a, **k: None)

    def run_logged(cmd, log_path, env=None, timeout=None):
        with open(log_path, "w") as fh:
            fh.write(INFO + DEMO_FAILED)
        return 0  # what Odoo returns when it drops the demo data

    monkeypatch.setattr(kamctl, "run_logged", run_logged)
    monkeypatch.setattr(kamctl, "module_demo_flag", lambda settings, db: ("installed", False))
    assert kamctl.main(["demo", "--db", "kam_demo_t", "--no-serve"]) == 2
    err = capsys.readouterr().err
    assert "kam_demo_t-install.log" in err
    assert "ir_module_module.demo is false" in err

    # demo data loaded, no error: 0
    def run_logged_ok(cmd, log_path, env=None, timeout=None):
        with open(log_path, "w") as fh:
            fh.write(INFO)
        return 0

    monkeypatch.setattr(kamctl, "run_logged", run_logged_ok)
    monkeypatch.setattr(kamctl, "module_demo_flag", lambda settings, db: ("installed", True))
    assert kamctl.main(["demo", "--db", "kam_demo_t", "--no-serve"]) == 0
