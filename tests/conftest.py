"""System tests: drive a running Odoo server through its external API, the way
an integrator would. `make test` starts the server and sets KAM_ODOO_URL and
KAM_ODOO_DB; to run them by hand against your own server, set them yourself."""

import os
import urllib.parse
import uuid

import odoorpc
import pytest


def _server():
    url = os.environ.get("KAM_ODOO_URL")
    db = os.environ.get("KAM_ODOO_DB")
    if not url or not db:
        pytest.fail("KAM_ODOO_URL and KAM_ODOO_DB are not set: run these tests with `make test`, "
                    "or point them to a running server with the addon and its demo data.")
    return urllib.parse.urlparse(url), db


def connect(login, password):
    parsed, db = _server()
    client = odoorpc.ODOO(parsed.hostname, port=parsed.port or 80, timeout=120)
    client.login(db, login, password)
    return client


@pytest.fixture(scope="session")
def admin():
    return connect("admin", "admin")


@pytest.fixture(scope="session")
def make_user(admin):
    """Create a user in the given key-account group and return a client logged in as them."""
    def _make(group_xmlid, name=None):
        login = f"kam_sys_{uuid.uuid4().hex[:8]}"
        group_id = admin.env.ref(group_xmlid).id
        admin.env["res.users"].create({
            "name": name or login, "login": login, "password": login + "-pw",
            "group_ids": [(4, group_id)],
        })
        return connect(login, login + "-pw")
    return _make
