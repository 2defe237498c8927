"""A small client of Odoo 19's JSON-2 API, the external API integrators should use from
Odoo 19 on (`/xmlrpc` and `/jsonrpc` are deprecated and go away in Odoo 20).

Every call is `POST /json/2/<model>/<method>` with a JSON object of named arguments
(`ids`, `context` and the method's own parameters) and the header
`Authorization: bearer <API key>`; the answer is the method's result as JSON, or an error
object `{"name", "message", ...}` with an HTTP error status.

    client = Client("http://localhost:8069", "kam_demo", api_key)
    client["res.partner"].search_read([("kam_state", "=", "registered")], ["name"])
    client["kam.visit"].action_done([visit_id])
"""

import requests


class OdooError(Exception):
    """An error answer of the server: the exception's class name and its message."""

    def __init__(self, status, name, message):
        super().__init__(f"{name} ({status}): {message}")
        self.status = status
        self.name = name
        self.message = message


def jsonrpc(http, url, params, headers=None, timeout=120):
    """POST a JSON-RPC 2.0 ``call`` of ``params`` to ``url`` (the web client's
    `/web/...` routes, the portal's JSON routes, the external `/jsonrpc`) with ``http``
    (a `requests` session or the `requests` module); the result, or the server's error
    as an :class:`OdooError`."""
    resp = http.post(url, json={"jsonrpc": "2.0", "method": "call", "params": params},
                     headers=headers, timeout=timeout)
    resp.raise_for_status()
    body = resp.json()
    if "error" in body:
        data = body["error"].get("data") or {}
        raise OdooError(resp.status_code, data.get("name", "RPCError"),
                        data.get("message") or body["error"].get("message"))
    return body["result"]


class Client:
    def __init__(self, url, db, api_key, uid=None, timeout=120):
        self.url = url.rstrip("/")
        self.db = db
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers.update({
            "Authorization": f"bearer {api_key}",
            "X-Odoo-Database": db,  # needed when the server holds several databases
        })
        self._uid = uid

    def call(self, model, method, ids=None, **kwargs):
        payload = dict(kwargs)
        if ids is not None:
            payload["ids"] = ids
        resp = self.http.post(f"{self.url}/json/2/{model}/{method}", json=payload,
                              timeout=self.timeout)
        if resp.status_code != 200:
            try:
                body = resp.json()
            except ValueError:
                body = {"name": "HTTPError", "message": resp.text[:500]}
            raise OdooError(resp.status_code, body.get("name"), body.get("message"))
        return resp.json()

    def __getitem__(self, model):
        return Model(self, model)

    @property
    def uid(self):
        """The id of the user the API key belongs to."""
        if self._uid is None:
            self._uid = self.call("res.users", "context_get")["uid"]
        return self._uid

    def ref(self, xmlid):
        """The database id of the record `module.name` (ir.model.data is readable by admins)."""
        module, name = xmlid.split(".", 1)
        rows = self.call("ir.model.data", "search_read",
                         domain=[("module", "=", module), ("name", "=", name)],
                         fields=["res_id"], limit=1)
        if not rows:
            raise KeyError(xmlid)
        return rows[0]["res_id"]


class Model:
    """`client[model]`: the ORM's public methods with the arguments they take in Python."""

    def __init__(self, client, model):
        self.client = client
        self.model = model

    def search(self, domain, **kwargs):
        return self.client.call(self.model, "search", domain=domain, **kwargs)

    def search_read(self, domain, fields, **kwargs):
        return self.client.call(self.model, "search_read", domain=domain, fields=fields,
                                **kwargs)

    def read(self, ids, fields):
        return self.client.call(self.model, "read", ids=ids, fields=fields)

    def create(self, vals):
        """Create one record; return its id."""
        return self.client.call(self.model, "create", vals_list=[vals])[0]

    def write(self, ids, vals):
        return self.client.call(self.model, "write", ids=ids, vals=vals)

    def unlink(self, ids):
        return self.client.call(self.model, "unlink", ids=ids)

    def __getattr__(self, method):
        """Any other public method, e.g. `client["kam.visit"].action_done([visit_id])`."""
        if method.startswith("_"):
            raise AttributeError(method)

        def call(ids=None, **kwargs):
            return self.client.call(self.model, method, ids=ids, **kwargs)
        return call


class WebSession:
    """A logged-in browser session (`/web/session/authenticate`, then the web client's
    `/web/dataset/call_kw`): how a portal user reaches the ORM, since only internal users
    may create API keys. `session["res.partner"].read(ids, fields)` as with `Client`."""

    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        self.uid = self._rpc("/web/session/authenticate",
                             {"db": db, "login": login, "password": password})["uid"]

    def _rpc(self, path, params):
        return jsonrpc(self.http, self.url + path, params)

    def call_kw(self, model, method, args, kwargs=None):
        return self._rpc(f"/web/dataset/call_kw/{model}/{method}",
                         {"model": model, "method": method, "args": args,
                          "kwargs": kwargs or {}})

    def __getitem__(self, model):
        session = self

        class _Model:
            def read(self, ids, fields):
                return session.call_kw(model, "read", [ids, fields])
        return _Model()


def new_api_key(url, db, login, password, name="key_account_management system tests"):
    """Create an API key for a user, the way the user does in Preferences > Account Security >
    New API Key (log in, describe the key, confirm the password); return (key, uid).

    Integrators create their key once in that dialog and keep it in their secrets; the tests
    make one per user they log in as."""
    web = requests.Session()

    def rpc(path, params):
        return jsonrpc(web, url.rstrip("/") + path, params)

    def call_kw(model, method, args, kwargs=None):
        return rpc(f"/web/dataset/call_kw/{model}/{method}",
                   {"model": model, "method": method, "args": args, "kwargs": kwargs or {}})

    session = rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})
    description = call_kw("res.users.apikeys.description", "create",
                          [{"name": name, "duration": "1"}])
    if isinstance(description, list):
        description = description[0]
    action = call_kw("res.users.apikeys.description", "make_key", [[description]])
    if action.get("res_model") == "res.users.identitycheck":
        # the password confirmation of the dialog
        action = call_kw("res.users.identitycheck", "run_check", [[action["res_id"]]],
                         {"context": {"password": password}})
    return action["context"]["default_key"], session["uid"]
