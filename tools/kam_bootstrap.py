"""Bring Odoo 19.0 onto a machine that has Python and PostgreSQL but no Odoo.

Used by ``tools/kamctl.py`` when ``import odoo`` fails: it puts an Odoo source
checkout in ``.odoo/src`` of this repository (ignored by git) and a virtualenv
with Odoo's Python requirements and this project's in ``.odoo/venv``; kamctl then
runs again with that virtualenv's Python. A second run finds both and only
checks them.

    ODOO_SRC      a git URL (default: Odoo's official repository) or a local
                  folder (a git checkout: cloned from; any other folder: copied)
    ODOO_BRANCH   the branch to check out (default 19.0)

What needs root (wkhtmltopdf, chromium, PostgreSQL's server) is not installed
here: :func:`missing_system_tools` names it with the exact command.
"""

import os
import shutil
import subprocess
import sys

DEFAULT_SRC = "https://github.com/odoo/odoo"
DEFAULT_BRANCH = "19.0"
# Odoo's requirements.txt pins per Python version: the 3.12 pins install as wheels
# on 3.10 and 3.11 too (the older pins would compile old releases from source);
# python-ldap serves only auth_ldap and needs the LDAP headers
PIN_PYTHON = {"python_version": "3.12", "python_full_version": "3.12.3"}
SKIP_REQUIREMENTS = {"python-ldap"}

_SELECT_PINS = """
import sys
from packaging.requirements import Requirement
env = dict(python_version=sys.argv[2], python_full_version=sys.argv[3])
skip = set(sys.argv[4].split(","))
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#")[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.name.lower() in skip:
        continue
    if req.marker is None or req.marker.evaluate(env):
        req.marker = None
        print(req)
"""


def _say(msg):
    print(f"[kamctl] {msg}", flush=True)


def _run(cmd, **kwargs):
    _say("running: " + " ".join(cmd))
    subprocess.run(cmd, check=True, **kwargs)


def venv_python(root):
    return os.path.join(root, "venv", "bin", "python3")


def odoo_version(python):
    """The Odoo version ``python`` imports, or None."""
    if not os.path.exists(python) and shutil.which(python) is None:
        return None
    proc = subprocess.run([python, "-c", "import odoo.release as r; print(r.version)"],
                          capture_output=True, text=True, cwd="/")
    return proc.stdout.strip() if proc.returncode == 0 else None


def checkout(src, branch, dest):
    """Odoo's source in ``dest``: cloned from a URL or a local git checkout,
    copied from another local folder."""
    if os.path.isdir(os.path.join(dest, "odoo")):
        return dest
    if shutil.which("git") is None and not os.path.isdir(src):
        raise RuntimeError("git is missing: install it (sudo apt-get install git) or set "
                           "ODOO_SRC to a local folder with Odoo's source")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.isdir(src) and not (os.path.exists(os.path.join(src, ".git"))
                                   or os.path.exists(os.path.join(src, "HEAD"))):
        _say(f"copying Odoo's source from {src} to {dest}")
        shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns(
            "__pycache__", "*.pyc", ".git"))
        return dest
    _run(["git", "clone", "--quiet", "--depth", "1", "--branch", branch,
          f"file://{os.path.abspath(src)}" if os.path.isdir(src) else src, dest])
    return dest


def make_venv(root, src, requirements):
    """The virtualenv of ``root`` with Odoo (editable, from ``src``) and this
    project's ``requirements``."""
    python = venv_python(root)
    if not os.path.exists(python):
        _run([sys.executable, "-m", "venv", os.path.join(root, "venv")])
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "--upgrade", "pip", "packaging", "wheel"])
    pins = os.path.join(root, "odoo-requirements.txt")
    selected = subprocess.run(
        [python, "-c", _SELECT_PINS, os.path.join(src, "requirements.txt"),
         PIN_PYTHON["python_version"], PIN_PYTHON["python_full_version"],
         ",".join(sorted(SKIP_REQUIREMENTS))],
        check=True, capture_output=True, text=True).stdout
    with open(pins, "w", encoding="utf-8") as handle:
        handle.write(selected)
    _run([*pip, "-r", pins])
    _run([*pip, "--no-deps", "-e", src, "--config-settings", "editable_mode=compat"])
    _run([*pip, "-r", requirements])
    return python


def ensure_odoo(repo):
    """The Python of a virtualenv in ``repo/.odoo`` that imports Odoo 19.0,
    made on the first call."""
    root = os.path.join(repo, ".odoo")
    python = venv_python(root)
    version = odoo_version(python)
    if version and version.startswith("19.0"):
        return python
    src = os.environ.get("ODOO_SRC", DEFAULT_SRC)
    branch = os.environ.get("ODOO_BRANCH", DEFAULT_BRANCH)
    _say(f"Odoo is not importable: bringing Odoo {branch} from {src} into .odoo/ "
         "(once; a few minutes)")
    dest = checkout(src, branch, os.path.join(root, "src"))
    python = make_venv(root, dest, os.path.join(repo, "requirements.txt"))
    version = odoo_version(python)
    if not (version and version.startswith("19.0")):
        raise RuntimeError(f"the virtualenv in {root} does not import Odoo 19.0 "
                           f"(it found {version or 'no Odoo'}); remove .odoo/ and retry")
    return python


def missing_system_tools(for_tests):
    """``[(tool, why, command)]`` of the machine's programs that need root to install."""
    missing = []
    if shutil.which("wkhtmltopdf") is None:
        missing.append(("wkhtmltopdf", "Odoo prints the PDF reports with it",
                        "sudo apt-get install -y wkhtmltopdf"))
    if for_tests and not (shutil.which("chromium") or shutil.which("chromium-browser")):
        missing.append(("chromium", "the browser tours run in it",
                        "sudo apt-get install -y chromium"))
    return missing
