"""The three ways a client reaches the ORM of a running server, for the attack suites
(issue 20): Odoo 19's JSON-2 API with an API key, the web client's JSON-RPC
(`/web/dataset/call_kw` in a browser session) and the old external JSON-RPC
(`/jsonrpc`, `object.execute_kw` with the password).

    for path in every_path("kam_li"):
        refused(path, "kam.nomination", "action_approve", [nomination_id])
"""

import os

import pytest
import requests
from conftest import connect
from odoo_json2 import OdooError, WebSession, jsonrpc

# what a guard answers: a business error with a message, never a server error
GUARD_ERRORS = ("odoo.exceptions.AccessError", "odoo.exceptions.UserError",
                "odoo.exceptions.ValidationError", "odoo.exceptions.MissingError")


def server():
    return os.environ["KAM_ODOO_URL"].rstrip("/"), os.environ["KAM_ODOO_DB"]


class Path:
    """One way in, as one user: ``path(model, method, ids, context=None, **kwargs)``
    calls ``model.browse(ids).method(**kwargs)`` (``ids`` None: a model method)."""

    name = ""

    def __init__(self, login, password=None):
        self.login = login
        self.password = password or login  # the demo users' password is their login

    def __repr__(self):
        return f"{self.name}({self.login})"


class Json2(Path):
    name = "json2"

    def __call__(self, model, method, ids=None, context=None, **kwargs):
        client = connect(self.login, self.password)
        if context is not None:
            kwargs["context"] = context
        return client.call(model, method, ids=ids, **kwargs)


class CallKw(Path):
    name = "call_kw"
    _sessions = {}

    def __call__(self, model, method, ids=None, context=None, **kwargs):
        if self.login not in self._sessions:
            url, db = server()
            self._sessions[self.login] = WebSession(url, db, self.login, self.password)
        if context is not None:
            kwargs["context"] = context
        args = [ids] if ids is not None else []
        return self._sessions[self.login].call_kw(model, method, args, kwargs)


class ExecuteKw(Path):
    name = "execute_kw"

    def __call__(self, model, method, ids=None, context=None, **kwargs):
        url, db = server()
        uid = connect(self.login, self.password).uid
        if context is not None:
            kwargs["context"] = context
        args = [ids] if ids is not None else []
        return jsonrpc(requests, f"{url}/jsonrpc", {
            "service": "object", "method": "execute_kw",
            "args": [db, uid, self.password, model, method, args, kwargs]})


def every_path(login, password=None):
    return [Json2(login, password), CallKw(login, password), ExecuteKw(login, password)]


def refused(path, model, method, ids=None, match=None, context=None, **kwargs):
    """Call and expect a business error (AccessError, UserError, ValidationError):
    not a success, not a server error. Returns the error."""
    with pytest.raises(OdooError) as caught:
        path(model, method, ids, context=context, **kwargs)
    error = caught.value
    assert error.name in GUARD_ERRORS, f"{path} {model}.{method}: not a clear error: {error}"
    if match:
        assert match.lower() in (error.message or "").lower(), \
            f"{path} {model}.{method}: {error.message!r} does not say {match!r}"
    return error


# context keys a client may send hoping to unlock a guard: the flow key as a plain
# value, and the keys older versions of the addon checked
FORGED_CONTEXTS = (
    {"kam_flow": True},
    {"kam_flow": "KAM_FLOW", "kam_engine_write": True, "kam_credit_request_flow": True},
    {"kam_scorecard_unfreeze": True, "kam_plan_transition": True,
     "kam_change_cause": "approval", "kam_change_note": "forged"},
)
