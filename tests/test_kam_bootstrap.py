"""tools/kam_bootstrap.py: what `make demo` and `make test` do on a machine without
Odoo, checked without a network or a database:

    python3 -m pytest -p no:odoo tests/test_kam_bootstrap.py
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tools"))
import kam_bootstrap

REQUIREMENTS = """\
Babel==2.10.3 ; python_version < '3.12'  # comment
Babel==2.17.0 ; python_version >= '3.12'
lxml==5.2.1 ; python_version >= '3.12'
python-ldap==3.4.4 ; sys_platform != 'win32'
psycopg2==2.9.9
"""


def test_pins_of_python_312_without_ldap(tmp_path):
    """The Python 3.12 pins (wheels on 3.11 too), markers dropped, python-ldap left out."""
    req = tmp_path / "requirements.txt"
    req.write_text(REQUIREMENTS)
    out = subprocess.run(
        [sys.executable, "-c", kam_bootstrap._SELECT_PINS, str(req), "3.12", "3.12.3",
         "python-ldap"], check=True, capture_output=True, text=True).stdout.split()
    assert out == ["Babel==2.17.0", "lxml==5.2.1", "psycopg2==2.9.9"]


def test_checkout_copies_a_plain_folder(tmp_path):
    src = tmp_path / "odoo-src"
    (src / "odoo").mkdir(parents=True)
    (src / "odoo" / "release.py").write_text("version = '19.0'\n")
    (src / "odoo" / "__pycache__").mkdir()
    dest = tmp_path / "repo" / ".odoo" / "src"
    kam_bootstrap.checkout(str(src), "19.0", str(dest))
    assert (dest / "odoo" / "release.py").read_text() == "version = '19.0'\n"
    assert not (dest / "odoo" / "__pycache__").exists()
    # a second run keeps what is there
    (dest / "odoo" / "mine.txt").write_text("kept")
    kam_bootstrap.checkout(str(src), "19.0", str(dest))
    assert (dest / "odoo" / "mine.txt").exists()


def test_checkout_clones_a_local_git_branch(tmp_path):
    src = tmp_path / "odoo-git"
    (src / "odoo").mkdir(parents=True)
    (src / "odoo" / "release.py").write_text("version = '19.0'\n")
    git = ["git", "-C", str(src), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", "-b", "19.0", str(src)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "odoo"], check=True)
    dest = tmp_path / ".odoo" / "src"
    kam_bootstrap.checkout(str(src), "19.0", str(dest))
    assert (dest / "odoo" / "release.py").exists()


def test_an_importable_odoo_is_used_as_is(tmp_path):
    """No virtualenv in .odoo/: odoo_version says so (None), nothing is made."""
    assert kam_bootstrap.odoo_version(kam_bootstrap.venv_python(str(tmp_path))) is None
    assert not (tmp_path / "venv").exists()


def test_missing_root_tools_are_named_with_their_command(monkeypatch):
    monkeypatch.setattr(kam_bootstrap.shutil, "which", lambda name: None)
    missing = {tool: command for tool, _why, command in
               kam_bootstrap.missing_system_tools(for_tests=True)}
    assert missing == {"wkhtmltopdf": "sudo apt-get install -y wkhtmltopdf",
                       "chromium": "sudo apt-get install -y chromium"}
    assert [t for t, _w, _c in kam_bootstrap.missing_system_tools(for_tests=False)] == [
        "wkhtmltopdf"]
