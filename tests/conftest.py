"""System tests: drive a running Odoo server through its external API, the way
an integrator would: Odoo 19's JSON-2 API with an API key per user (odoo_json2.py);
one test still checks the XML-RPC endpoint while Odoo 19 serves it.

`make test` starts the server and sets KAM_ODOO_URL and KAM_ODOO_DB; to run them by
hand against your own server (the addon installed with its demo data), set them yourself
and run `pytest tests` (tests/pytest.ini keeps pytest-odoo out of this session)."""

import os
import uuid

import pytest
from odoo_json2 import Client, new_api_key

_CLIENTS = {}


def _server():
    url = os.environ.get("KAM_ODOO_URL")
    db = os.environ.get("KAM_ODOO_DB")
    if not url or not db:
        pytest.fail("KAM_ODOO_URL and KAM_ODOO_DB are not set: run these tests with `make test`, "
                    "or point them to a running server with the addon and its demo data.")
    return url, db


def connect(login, password):
    """A JSON-2 client with an API key of this user (one key per user and test session)."""
    if login not in _CLIENTS:
        url, db = _server()
        key, uid = new_api_key(url, db, login, password)
        _CLIENTS[login] = Client(url, db, key, uid=uid)
    return _CLIENTS[login]


@pytest.fixture(scope="session")
def admin():
    return connect("admin", "admin")


@pytest.fixture(scope="session")
def make_user(admin):
    """Create a user in the given key-account group and return a client logged in as them."""
    def _make(group_xmlid, name=None):
        login = f"kam_sys_{uuid.uuid4().hex[:8]}"
        group_id = admin.ref(group_xmlid)
        admin["res.users"].create({
            "name": name or login, "login": login, "password": login + "-pw",
            "group_ids": [(4, group_id)],
        })
        return connect(login, login + "-pw")
    return _make
