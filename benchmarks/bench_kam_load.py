#!/usr/bin/env python3
"""Load benchmark: 20 concurrent users on a server with 2 HTTP workers and a cron worker.

    python3 benchmarks/bench_kam_load.py [--duration 120] [--clients 20] [--think 0.5]
        [--cron-every 20] [--workers 2] [--scale 1] [--strict] [--keep]

Creates its own fresh database (addon installed, no demo data) with the data generator of
``kam_bench_common.py`` (customers, confirmed orders, registered key accounts with their key
account managers, plans, open and closed service requests, some of them at risk or past
their deadline), users of each group (key account managers, directors, service technicians,
portal contacts of the accounts), then serves it with
``--workers 2 --max-cron-threads 1`` on 127.0.0.1 (a free port) and runs ``--clients``
concurrent users for ``--duration`` seconds, each logged in with its own session as the web
client and the portal are (``/web/session/authenticate``, ``/web/dataset/call_kw``, the
``/my`` pages and their forms):

* key account managers list and open their accounts (``web_search_read``/``web_read``),
  log visits (create, complete), update their plans, file service requests and dispatch
  them (theirs and those the customers filed);
* service technicians list their dispatches, open the request, accept, close the dispatch
  with a result and complete the request;
* portal contacts list their company's requests, file one through the portal form and
  confirm and rate the completed ones;
* directors read the Key Accounts dashboard (its charts' and pivots' grouped reads), the
  scorecards and the accounts.

Meanwhile, every ``--cron-every`` seconds, the scoring engine, the snapshot, the SLA
escalation and the overdue visit alert scheduled actions are made due (``nextcall``, and the cron worker woken by a
``NOTIFY``), so that the cron worker runs them against the users' writes.

It prints requests per second, p50/p95/p99 per action and errors by kind, then checks in
the database that every write a user was told succeeded is there (created records, values
written, states reached) and that no cron notified twice (at-risk, breach and director
notes per request and clock, activities, snapshot rows). Exit status 1 on any error other
than a retried serialization conflict, on a lost write or a duplicate; the p95 target of
list and form reads (<= 1 s) is reported and fails the run only with ``--strict`` (the
figures depend on the machine). The server is stopped and the database dropped at the end
(unless ``--keep``).
"""

import collections
import contextlib
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from datetime import date, datetime, timedelta

import kam_bench_common as common
from bench_kam_service import generate_requests
from kam_bench_common import kamctl

DB = "kam_bench_load"
SIZES = {"customers": 4000, "orders": 40000, "accounts": 240, "open": 1000,
         "closed": 10000, "at_risk": 60, "breached": 40}
ROLES = (("kam", 8), ("service", 4), ("portal", 5), ("director", 3))
# the reads whose p95 target is 1 s (list and form views)
READS = ("list_accounts", "open_account", "list_requests", "list_dispatches", "open_request",
         "list_scorecards", "open_scorecard", "portal_list", "portal_open")
# errors a client retries: the server already retried them (5 tries) and gave up
CONCURRENCY = ("SerializationFailure", "TransactionRollbackError", "LockNotAvailable",
               "concurrent update", "could not serialize")
CRONS = ("ir_cron_kam_recompute", "ir_cron_kam_account_snapshot",
         "ir_cron_kam_service_escalate", "ir_cron_kam_visit_overdue")
PASSWORD = "bench-{login}"
ACCOUNT_LIST = {"name": {}, "kam_tier_id": {"fields": {"display_name": {}}},
                "kam_manager_id": {"fields": {"display_name": {}}}, "kam_score": {},
                "kam_pareto_class": {}, "kam_health_score": {}, "kam_health_band": {},
                "kam_revenue_12m": {}, "kam_lifecycle_stage": {}}
ACCOUNT_FORM = dict(ACCOUNT_LIST, email={}, phone={}, street={}, city={},
                    kam_state={}, kam_signal_count={}, kam_health_details={},
                    child_ids={"fields": {"name": {}, "email": {}, "function": {}}})
REQUEST_LIST = {"name": {}, "subject": {}, "partner_id": {"fields": {"display_name": {}}},
                "priority": {}, "state": {}, "response_deadline": {},
                "resolution_deadline": {}, "is_breached": {}}
REQUEST_FORM = dict(REQUEST_LIST, description={}, resolution={}, response_status={},
                    resolution_status={}, team_id={"fields": {"display_name": {}}},
                    category_id={"fields": {"display_name": {}}},
                    dispatch_ids={"fields": {"state": {}, "user_id": {"fields": {
                        "display_name": {}}}, "instruction": {}, "result": {}}})
SCORECARD_LIST = {"name": {}, "user_id": {"fields": {"display_name": {}}}, "period_type": {},
                  "revenue": {}, "revenue_target": {}, "revenue_achievement": {},
                  "visit_compliance": {}, "score": {}}


# --- the benchmark database ------------------------------------------------------------

def _user(env, login, name, groups, company, partner=None):
    vals = {"name": name, "login": login, "password": PASSWORD.format(login=login),
            "group_ids": [(6, 0, [env.ref(g).id for g in groups])],
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "email": f"{login}@bench.example.com", "tz": "Asia/Shanghai"}
    if partner:
        vals["partner_id"] = partner.id
    return env["res.users"].with_context(no_reset_password=True).create(vals)


def setup_data(env, args):
    """The generated data and users; returns what the clients need (ids, logins)."""
    cr = env.cr
    company = env.company
    cid = str(company.id)
    tiers = common.setup_tiers(env, company)
    tiers.write({"response_sla_hours": 4, "resolution_sla_hours": 24})
    first = common.generate(cr, company.id, args.customers, args.orders, 0)
    cr.commit()
    kams = [_user(env, f"bench_kam{i}", f"Bench KAM {i}",
                  ["key_account_management.key_account_management_group_manager"], company)
            for i in range(1, 9)]
    directors = [_user(env, f"bench_director{i}", f"Bench Director {i}",
                       ["key_account_management.key_account_management_group_director"],
                       company) for i in range(1, 4)]
    technicians = [_user(env, f"bench_tech{i}", f"Bench Technician {i}",
                         ["key_account_management.key_account_management_group_service"],
                         company) for i in range(1, 5)]
    teams = env["kam.service.team"].create([
        {"name": "Bench Network", "leader_id": technicians[0].id,
         "member_ids": [(6, 0, [technicians[0].id, technicians[1].id])]},
        {"name": "Bench Field", "leader_id": technicians[2].id,
         "member_ids": [(6, 0, [technicians[2].id, technicians[3].id])]}])
    categories = env["kam.service.category"].create([
        {"name": f"Bench category {i}", "team_id": teams[i % 2].id} for i in range(4)])
    # the biggest customers are the first ones (the generator's skew): the key accounts
    accounts = list(range(first, first + args.accounts))
    cr.execute("""
        UPDATE res_partner p SET
               kam_state = jsonb_build_object(%(cid)s, 'registered'),
               kam_tier_id = jsonb_build_object(%(cid)s, (%(tiers)s)[1 + (p.id %% 3)]),
               kam_manager_id = jsonb_build_object(%(cid)s,
                                                   (%(kams)s)[1 + (p.id %% %(nkam)s)]),
               email = 'account' || p.id || '@bench.example.com'
         WHERE p.id = ANY(%(ids)s)
    """, {"cid": cid, "tiers": tiers.ids, "kams": [k.id for k in kams], "nkam": len(kams),
          "ids": accounts})
    env.invalidate_all()
    by_kam = collections.defaultdict(list)
    for pid in accounts:
        by_kam[kams[pid % len(kams)].id].append(pid)
    # portal contacts: one per account for the first accounts of each KAM
    portals = []
    Partner = env["res.partner"]
    for i, kam in enumerate(kams[:5]):
        account = Partner.browse(by_kam[kam.id][0])
        contact = Partner.create({"name": f"Bench Contact {i + 1}", "parent_id": account.id,
                                  "email": f"bench_portal{i + 1}@bench.example.com",
                                  "type": "contact"})
        portals.append((_user(env, f"bench_portal{i + 1}", contact.name,
                              ["base.group_portal"], company, partner=contact), account.id))
    year = date.today().year
    plans = env["kam.account.plan"].create([
        {"partner_id": pid, "user_id": kams[pid % len(kams)].id, "company_id": company.id,
         "date_start": date(year, 1, 1), "date_end": date(year, 12, 31),
         "revenue_target": 100000}
        for pid in accounts])
    cr.commit()
    generate_requests(cr, company.id, tiers.ids, categories.ids, teams.ids, kams[0].id, first,
                      args.accounts, args.open, False, 0)
    generate_requests(cr, company.id, tiers.ids, categories.ids, teams.ids, kams[0].id, first,
                      args.accounts, args.closed, True, 10 ** 7)
    cr.execute("""
        UPDATE kam_service_request r SET kam_manager_id = (p.kam_manager_id->>%s)::int
          FROM res_partner p WHERE p.id = r.partner_id""", [cid])
    # work for the escalation cron: at-risk clocks and clocks past their deadline
    cr.execute("""
        UPDATE kam_service_request SET resolution_risk_date = now() - interval '1 minute'
         WHERE id IN (SELECT id FROM kam_service_request WHERE state = 'in_progress'
                      ORDER BY id LIMIT %s)""", [args.at_risk])
    cr.execute("""
        UPDATE kam_service_request SET resolution_deadline = now() - interval '1 hour',
                                       resolution_risk_date = now() - interval '2 hours'
         WHERE id IN (SELECT id FROM kam_service_request WHERE state = 'in_progress'
                      ORDER BY id DESC LIMIT %s)""", [args.breached])
    cr.commit()
    env.invalidate_all()
    env["kam.scoring"]._recompute_companies()
    env["kam.scorecard"]._cron_refresh_scorecards()
    cr.commit()
    cr.execute("ANALYZE")
    crons = {xmlid: env.ref(f"key_account_management.{xmlid}").id for xmlid in CRONS}
    # a server that runs for a while: the daily and weekly jobs (all due after the install)
    # ran already; those of every few minutes or hours keep their schedule
    cr.execute("""UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 day'
                   WHERE interval_type NOT IN ('minutes', 'hours') AND id != ALL(%s)""",
               [list(crons.values())])
    cr.commit()
    return {
        "kams": [(k.login, by_kam[k.id], plans.filtered(lambda p, k=k: p.user_id == k).ids)
                 for k in kams],
        "directors": [d.login for d in directors],
        "technicians": [t.login for t in technicians],
        "teams": {teams[0].id: [technicians[0].id, technicians[1].id],
                  teams[1].id: [technicians[2].id, technicians[3].id]},
        "categories": [(c.id, c.team_id.id) for c in categories],
        "portals": [(u.login, account_id) for u, account_id in portals],
        "crons": crons,
        "dashboard": dashboard_calls(),
    }


def dashboard_calls():
    """The grouped reads of the Key Accounts dashboard: ``(model, domain, groupby,
    aggregates)`` of its charts and pivots, read from its spreadsheet."""
    path = os.path.join(common.REPO, "key_account_management", "data", "files",
                        "key_accounts_dashboard.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    calls = []
    for pivot in data.get("pivots", {}).values():
        groupby = [row["fieldName"] for row in pivot.get("rows", [])]
        aggregates = [f"{m['fieldName']}:sum" for m in pivot["measures"]]
        calls.append((pivot["model"], pivot.get("domain", []), groupby, aggregates))
    for sheet in data["sheets"]:
        for figure in sheet.get("figures", []):
            meta = figure.get("data", {}).get("metaData")
            if meta:
                measure = meta["measure"]
                aggregates = ["__count"] if measure == "__count" else [f"{measure}:sum"]
                calls.append((meta["resModel"], [], meta["groupBy"], aggregates))
    return calls


# --- the users -------------------------------------------------------------------------

class ClientError(Exception):
    def __init__(self, kind, message=""):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


class Recorder:
    """Every request of every user: ``(action, seconds, error kind or None)``, and the
    writes the users were told succeeded."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []
        self.errors = collections.Counter()
        self.error_examples = {}
        self.retried = collections.Counter()
        # acknowledged writes
        self.visits = {}          # id: summary token
        self.plans = {}           # id: last strategy token
        self.requests = {}        # id: subject (created by a KAM or the portal)
        self.dispatches = {}      # id: instruction
        self.dispatch_done = {}   # id: result token
        self.completed = {}       # request id: resolution token
        self.confirmed = set()    # request ids
        self.to_confirm = collections.defaultdict(collections.deque)  # account: request ids
        self.to_dispatch = collections.deque()

    def sample(self, action, seconds, error=None, message=""):
        with self.lock:
            self.samples.append((action, seconds, error))
            if error:
                self.errors[(action, error)] += 1
                self.error_examples.setdefault((action, error), message[:300])


class User:
    def __init__(self, url, db, login, password, rec):
        import requests
        self.url, self.db, self.rec, self.login = url, db, rec, login
        self.http = requests.Session()
        self.uid = self._rpc("/web/session/authenticate",
                             {"db": db, "login": login, "password": password})["uid"]
        self.csrf = None

    def _rpc(self, path, params):
        resp = self.http.post(self.url + path, json={"jsonrpc": "2.0", "method": "call",
                                                     "params": params}, timeout=120)
        if resp.status_code != 200:
            raise ClientError(f"HTTP {resp.status_code}", resp.text[:300])
        body = resp.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            raise ClientError(data.get("name") or "RPCError",
                              data.get("message") or body["error"].get("message", ""))
        return body["result"]

    def timed(self, action, func, *args):
        """``func(*args)`` timed as one ``action``; a concurrency error the server gave up
        on is retried (up to 3 times, counted as retried)."""
        for attempt in range(4):
            start = time.perf_counter()
            try:
                result = func(*args)
            except ClientError as exc:
                elapsed = time.perf_counter() - start
                if any(c in exc.kind or c in exc.message for c in CONCURRENCY) and attempt < 3:
                    with self.rec.lock:
                        self.rec.retried[action] += 1
                    time.sleep(0.2 * (attempt + 1))
                    continue
                self.rec.sample(action, elapsed, exc.kind, exc.message)
                raise
            except Exception as exc:
                self.rec.sample(action, time.perf_counter() - start, type(exc).__name__,
                                str(exc))
                raise ClientError(type(exc).__name__, str(exc)) from exc
            self.rec.sample(action, time.perf_counter() - start)
            return result
        raise AssertionError("unreachable")

    def call(self, action, model, method, args, kwargs=None):
        return self.timed(action, self._rpc, f"/web/dataset/call_kw/{model}/{method}",
                          {"model": model, "method": method, "args": args,
                           "kwargs": kwargs or {}})

    def page(self, action, path, data=None):
        """A portal page (GET) or form (POST, with the page's CSRF token): the response,
        redirects not followed."""
        def run():
            if data is None:
                resp = self.http.get(self.url + path, timeout=120, allow_redirects=False)
            else:
                resp = self.http.post(self.url + path, data=dict(data, csrf_token=self.csrf),
                                      timeout=120, allow_redirects=False)
            if resp.status_code not in (200, 303):
                raise ClientError(f"HTTP {resp.status_code}", resp.text[:300])
            match = re.search(r'name="csrf_token" value="([^"]+)"', resp.text)
            if match:
                self.csrf = match.group(1)
            return resp
        return self.timed(action, run)


def _token(prefix):
    return f"{prefix}-{time.time_ns()}-{random.randrange(10 ** 6)}"


def kam_loop(user, info, rec, stop, think):
    _login, accounts, plans = info["account"]
    categories = info["categories"]
    teams = info["teams"]
    domain = [("kam_state", "=", "registered")]
    actions = (("list_accounts", 30), ("open_account", 25), ("log_visit", 10),
               ("update_plan", 10), ("file_request", 8), ("dispatch_new", 10),
               ("list_requests", 7))
    names, weights = zip(*actions, strict=True)
    while not stop.is_set():
        action = random.choices(names, weights)[0]
        try:
            if action == "list_accounts":
                user.call(action, "res.partner", "web_search_read", [],
                          {"domain": domain, "specification": ACCOUNT_LIST, "limit": 80,
                           "count_limit": 10001})
            elif action == "open_account":
                user.call(action, "res.partner", "web_read", [[random.choice(accounts)]],
                          {"specification": ACCOUNT_FORM})
            elif action == "log_visit":
                token = _token("visit")
                now = datetime.utcnow().replace(microsecond=0)
                visit_id = user.call("log_visit", "kam.visit", "create", [{
                    "partner_id": random.choice(accounts), "user_id": user.uid,
                    "visit_type": "onsite", "objective": "Quarterly review",
                    "date_start": str(now - timedelta(hours=2)),
                    "date_end": str(now - timedelta(hours=1)),
                    "summary": f"<p>{token}</p>"}])
                visit_id = visit_id[0] if isinstance(visit_id, list) else visit_id
                user.call("complete_visit", "kam.visit", "action_done", [[visit_id]])
                with rec.lock:
                    rec.visits[visit_id] = token
            elif action == "update_plan":
                plan_id, token = random.choice(plans), _token("plan")
                user.call(action, "kam.account.plan", "write",
                          [[plan_id], {"strategy": f"<p>{token}</p>"}])
                with rec.lock:
                    rec.plans[plan_id] = token
            elif action == "file_request":
                subject = _token("request")
                category_id, team_id = random.choice(categories)
                # half of them for the account whose contact uses the portal (who confirms)
                account = accounts[0] if random.random() < 0.5 else random.choice(accounts)
                request_id = user.call(action, "kam.service.request", "create", [{
                    "subject": subject, "partner_id": account,
                    "category_id": category_id, "priority": "1", "channel": "phone",
                    "description": "<p>Line down</p>"}])
                request_id = request_id[0] if isinstance(request_id, list) else request_id
                with rec.lock:
                    rec.requests[request_id] = subject
                dispatch(user, rec, request_id, team_id, teams)
            elif action == "dispatch_new":
                found = user.call(action, "kam.service.request", "search_read", [], {
                    "domain": [("state", "=", "new"), ("partner_id", "in", accounts),
                               ("dispatch_ids", "=", False)],
                    "fields": ["category_id"], "limit": 1})
                if found:
                    team_id = dict(categories).get(
                        (found[0]["category_id"] or [0])[0], next(iter(teams)))
                    dispatch(user, rec, found[0]["id"], team_id, teams)
            elif action == "list_requests":
                user.call(action, "kam.service.request", "web_search_read", [], {
                    "domain": [("state", "in", ["new", "dispatched", "in_progress"])],
                    "specification": REQUEST_LIST, "limit": 80, "count_limit": 10001})
        except ClientError:
            pass
        stop.wait(random.uniform(0, 2 * think))


def dispatch(user, rec, request_id, team_id, teams):
    instruction = _token("dispatch")
    dispatch_id = user.call("dispatch", "kam.service.dispatch", "create", [{
        "request_id": request_id, "team_id": team_id,
        "user_id": random.choice(teams[team_id]), "instruction": instruction}])
    dispatch_id = dispatch_id[0] if isinstance(dispatch_id, list) else dispatch_id
    with rec.lock:
        rec.dispatches[dispatch_id] = instruction


def service_loop(user, info, rec, stop, think):
    while not stop.is_set():
        try:
            found = user.call("list_dispatches", "kam.service.dispatch", "web_search_read", [], {
                "domain": [("user_id", "=", user.uid), ("state", "in", ["open", "accepted"])],
                "specification": {"request_id": {"fields": {"display_name": {}}},
                                  "partner_id": {"fields": {"display_name": {}}},
                                  "state": {}, "instruction": {}, "internal_deadline": {}},
                "limit": 80, "count_limit": 10001})
            records = found["records"]
            if records:
                line = random.choice(records)
                request_id = line["request_id"]["id"]
                user.call("open_request", "kam.service.request", "web_read", [[request_id]],
                          {"specification": REQUEST_FORM})
                if line["state"] == "open":
                    user.call("accept_dispatch", "kam.service.dispatch", "action_accept",
                              [[line["id"]]])
                token = _token("result")
                user.call("close_dispatch", "kam.service.dispatch", "write",
                          [[line["id"]], {"result": token}])
                user.call("close_dispatch", "kam.service.dispatch", "action_done",
                          [[line["id"]]])
                with rec.lock:
                    rec.dispatch_done[line["id"]] = token
                token = _token("resolution")
                user.call("complete_request", "kam.service.request", "write",
                          [[request_id], {"resolution": f"<p>{token}</p>"}])
                user.call("complete_request", "kam.service.request", "action_complete",
                          [[request_id]])
                partner_id = line["partner_id"]["id"]
                with rec.lock:
                    rec.completed[request_id] = token
                    rec.to_confirm[partner_id].append(request_id)
        except ClientError:
            pass
        stop.wait(random.uniform(0, 2 * think))


def portal_loop(user, info, rec, stop, think):
    account_id = info["account"]
    categories = info["categories"]
    actions = (("portal_list", 40), ("portal_file", 25), ("portal_confirm", 35))
    names, weights = zip(*actions, strict=True)
    while not stop.is_set():
        action = random.choices(names, weights)[0]
        try:
            if action == "portal_list":
                user.page(action, "/my/service_requests")
            elif action == "portal_file":
                user.page("portal_new_form", "/my/service_requests/new")
                subject = _token("portal")
                resp = user.page(action, "/my/service_requests/new", {
                    "subject": subject, "priority": "2",
                    "category_id": str(random.choice(categories)[0]),
                    "description": "Printer on fire"})
                match = re.search(r"/my/service_requests/(\d+)$",
                                  resp.headers.get("Location", ""))
                if not match:
                    rec.sample(action, 0, "portal form refused", resp.text[:300])
                    continue
                with rec.lock:
                    rec.requests[int(match.group(1))] = subject
            elif action == "portal_confirm":
                with rec.lock:
                    queue = rec.to_confirm[account_id]
                    request_id = queue.popleft() if queue else None
                if request_id is None:
                    user.page("portal_list", "/my/service_requests")
                    continue
                user.page("portal_open", f"/my/service_requests/{request_id}")
                resp = user.page(action, f"/my/service_requests/{request_id}/confirm",
                                 {"rating": "5", "comment": "Thanks"})
                location = resp.headers.get("Location", "")
                if "error=" in location:
                    rec.sample(action, 0, "portal confirmation refused", location)
                    continue
                with rec.lock:
                    rec.confirmed.add(request_id)
        except ClientError:
            pass
        stop.wait(random.uniform(0, 2 * think))


def director_loop(user, info, rec, stop, think):
    calls = [(model, "formatted_read_group", [], {"domain": domain, "groupby": groupby,
                                                  "aggregates": aggregates})
             for model, domain, groupby, aggregates in info["dashboard"]]
    calls.append(("res.partner", "web_search_read", [], {
        "domain": ["&", ("kam_state", "=", "registered"), "|",
                   ("kam_health_band", "=", "red"), ("kam_lifecycle_stage", "=", "at_risk")],
        "specification": ACCOUNT_LIST, "limit": 20}))
    actions = (("dashboard", 25), ("list_scorecards", 25), ("open_scorecard", 20),
               ("list_accounts", 30))
    names, weights = zip(*actions, strict=True)
    while not stop.is_set():
        action = random.choices(names, weights)[0]
        try:
            if action == "dashboard":
                for model, method, call_args, kwargs in calls:
                    user.call(f"dashboard {model}", model, method, call_args, kwargs)
            elif action == "list_scorecards":
                user.call(action, "kam.scorecard", "web_search_read", [], {
                    "domain": [("period_type", "=", "month")], "specification": SCORECARD_LIST,
                    "limit": 80, "count_limit": 10001})
            elif action == "open_scorecard":
                found = user.call(action, "kam.scorecard", "search", [[]], {"limit": 50})
                if found:
                    user.call(action, "kam.scorecard", "web_read", [[random.choice(found)]],
                              {"specification": SCORECARD_LIST})
            elif action == "list_accounts":
                user.call(action, "res.partner", "web_search_read", [], {
                    "domain": [("kam_state", "=", "registered")],
                    "specification": ACCOUNT_LIST, "limit": 80, "count_limit": 10001})
        except ClientError:
            pass
        stop.wait(random.uniform(0, 2 * think))


LOOPS = {"kam": kam_loop, "service": service_loop, "portal": portal_loop,
         "director": director_loop}


# --- the crons -------------------------------------------------------------------------

def make_due(conn, wake, db, cron_ids):
    """The crons due now (those not running: a running job's row is locked) and the cron
    worker woken (it listens on the ``postgres`` database, as ``ir.cron._notifydb``
    notifies it); the ids made due."""
    with conn.cursor() as cr:
        cr.execute("""
            UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC'
             WHERE id IN (SELECT id FROM ir_cron WHERE id = ANY(%s)
                          FOR NO KEY UPDATE SKIP LOCKED)
            RETURNING id""", [list(cron_ids)])
        due = [row[0] for row in cr.fetchall()]
    with wake.cursor() as cr:
        cr.execute("SELECT pg_notify('cron_trigger', %s)", [db])
    return due


def cron_driver(settings, db, crons, every, stop, log):
    conn, wake = kamctl.pg_connect(settings, db), kamctl.pg_connect(settings, "postgres")
    try:
        while not stop.is_set():
            log.append((time.time(), make_due(conn, wake, db, crons.values())))
            stop.wait(every)
    finally:
        conn.close()
        wake.close()


def wait_crons_idle(conn, crons, timeout=300):
    """Until no cron of ``crons`` is due or running."""
    deadline = time.time() + timeout
    with conn.cursor() as cr:
        while time.time() < deadline:
            cr.execute("""SELECT count(*) FROM ir_cron WHERE id = ANY(%s)
                           AND nextcall <= now() AT TIME ZONE 'UTC'""", [list(crons)])
            due = cr.fetchone()[0]
            cr.execute("""SELECT count(*) FROM ir_cron WHERE id = ANY(%s)
                           AND id NOT IN (SELECT id FROM ir_cron WHERE id = ANY(%s)
                                          FOR NO KEY UPDATE SKIP LOCKED)""",
                       [list(crons), list(crons)])
            if not due and not cr.fetchone()[0]:
                return True
            time.sleep(1)
    return False


def cron_runs(conn, crons, since):
    """``{xmlid: (runs, failed runs)}`` since ``since`` (ir.cron.progress rows)."""
    result = {}
    with conn.cursor() as cr:
        for xmlid, cron_id in crons.items():
            cr.execute("""SELECT count(*) FROM ir_cron_progress
                           WHERE cron_id = %s AND create_date >= %s""", [cron_id, since])
            result[xmlid] = cr.fetchone()[0]
    return result


# --- checks ----------------------------------------------------------------------------

def lost_writes(conn, rec):
    """Every acknowledged write, looked up in the database: ``[(what, id, found)]`` of
    those missing or different."""
    lost = []
    with conn.cursor() as cr:
        def rows(query, ids):
            if not ids:
                return {}
            cr.execute(query, [list(ids)])
            return {row[0]: row[1:] for row in cr.fetchall()}

        found = rows("SELECT id, state, summary FROM kam_visit WHERE id = ANY(%s)", rec.visits)
        for vid, token in rec.visits.items():
            state, summary = found.get(vid, (None, None))
            if state != "done" or token not in (summary or ""):
                lost.append(("visit logged and completed", vid, (state, summary)))
        found = rows("SELECT id, strategy FROM kam_account_plan WHERE id = ANY(%s)", rec.plans)
        for pid, token in rec.plans.items():
            if token not in (found.get(pid, ("",))[0] or ""):
                lost.append(("plan strategy written", pid, found.get(pid)))
        found = rows("SELECT id, subject FROM kam_service_request WHERE id = ANY(%s)",
                     rec.requests)
        for rid, subject in rec.requests.items():
            if found.get(rid, (None,))[0] != subject:
                lost.append(("request filed", rid, found.get(rid)))
        found = rows("SELECT id, instruction, state, result FROM kam_service_dispatch "
                     "WHERE id = ANY(%s)", rec.dispatches.keys() | rec.dispatch_done.keys())
        for did, instruction in rec.dispatches.items():
            if found.get(did, (None,))[0] != instruction:
                lost.append(("request dispatched", did, found.get(did)))
        for did, token in rec.dispatch_done.items():
            _instr, state, result = found.get(did, (None, None, None))
            if state != "done" or result != token:
                lost.append(("dispatch closed", did, (state, result)))
        found = rows("SELECT id, state, resolution FROM kam_service_request "
                     "WHERE id = ANY(%s)", rec.completed.keys() | rec.confirmed)
        for rid, token in rec.completed.items():
            state, resolution = found.get(rid, (None, None))
            if state not in ("completed", "confirmed") or token not in (resolution or ""):
                lost.append(("request completed", rid, (state, resolution)))
        for rid in rec.confirmed:
            if found.get(rid, (None,))[0] != "confirmed":
                lost.append(("request confirmed on the portal", rid, found.get(rid)))
    return lost


NOTICES = (
    ("at risk", r"The (\w+) clock of .* is at risk"),
    ("breach to the KAM", r"Service level breached"),
    ("breach to the directors", r"escalated to the directors"),
)


def duplicates(conn):
    """What a cron wrote twice: ``[(what, key, count)]``."""
    dups = []
    with conn.cursor() as cr:
        cr.execute("SELECT res_id, body FROM mail_message WHERE model = 'kam.service.request'")
        seen = collections.Counter()
        for res_id, body in cr.fetchall():
            text = str(body or "")
            for kind, pattern in NOTICES:
                match = re.search(pattern, text)
                if match:
                    seen[(kind, res_id, match.groups()[0] if match.groups() else "")] += 1
        dups += [("escalation note " + key[0], key[1:], n) for key, n in seen.items() if n > 1]
        # one activity per churn signal of an account (same summary, its own note)
        cr.execute("""SELECT res_model, res_id, activity_type_id, summary, count(*)
                        FROM mail_activity
                    GROUP BY res_model, res_id, activity_type_id, summary, note, user_id
                      HAVING count(*) > 1""")
        dups += [("activity", row[:4], row[4]) for row in cr.fetchall()]
        cr.execute("""SELECT partner_id, company_id, month, count(*) FROM kam_account_snapshot
                    GROUP BY partner_id, company_id, month HAVING count(*) > 1""")
        dups += [("snapshot", row[:3], row[3]) for row in cr.fetchall()]
    return dups


def notices(conn, since):
    with conn.cursor() as cr:
        cr.execute("""SELECT body FROM mail_message WHERE model = 'kam.service.request'
                        AND create_date >= %s""", [since])
        counts = collections.Counter()
        for (body,) in cr.fetchall():
            for kind, pattern in NOTICES:
                if re.search(pattern, str(body or "")):
                    counts[kind] += 1
        return counts


def percentile(values, pct):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- the run ---------------------------------------------------------------------------

def server_log_problems(path):
    """The ERROR and CRITICAL lines of the server's log, but the failed query of a
    serialization conflict the server retried (its ``bad query`` line is followed by the
    conflict), and the number of such retries."""
    errors, retries = [], 0
    with open(path, errors="replace") as fh:
        lines = fh.readlines()
    for index, line in enumerate(lines):
        match = kamctl.LOGLINE_RE.match(line)
        if "tries left, try again" in line:
            retries += 1
        elif match and match.group(1) in ("ERROR", "CRITICAL"):
            following = "".join(lines[index + 1:index + 3])
            if "bad query" in line and re.search(
                    r"could not serialize access|deadlock detected", following):
                continue
            errors.append(line.strip())
    return errors, retries


def bench(conf, settings, args):
    start = time.perf_counter()
    with common.environment(conf, DB) as env:
        info = setup_data(env, args)
    kamctl.say(f"generated {args.customers} customers, {args.orders} orders, {args.accounts} "
               f"key accounts with plans, {args.open} open and {args.closed} closed requests "
               f"in {time.perf_counter() - start:.0f} s")
    import odoo
    odoo.sql_db.close_all()

    log_path = os.path.join(kamctl.WORK, "logs", f"{DB}-server.log")
    server, conn = contextlib.ExitStack(), None  # the server: stopped in the finally
    try:
        _process, url = server.enter_context(kamctl.odoo_server(
            conf, DB, log_path, "--workers", str(args.workers), "--max-cron-threads", "1",
            "--log-level", "warn", "--log-handler", "odoo.service.model:INFO",
            "--log-handler", "odoo.addons.base.models.ir_cron:INFO",
            "--limit-time-real", "600", "--limit-time-cpu", "300", workers=True))
        conn = kamctl.pg_connect(settings, DB)
        rec = Recorder()
        users = []
        # the roles interleaved in their proportions, so that fewer clients than 20
        # (--clients 4 or 10) still have every role (the baseline reads need each)
        plan = [role for _share, _order, role in sorted(
            (index / count, order, role)
            for order, (role, count) in enumerate(ROLES) for index in range(count))]
        plan = (plan * (args.clients // len(plan) + 1))[:args.clients]
        counters = collections.Counter()
        for role in plan:
            index = counters[role]
            counters[role] += 1
            shared = {"categories": info["categories"], "teams": info["teams"],
                      "dashboard": info["dashboard"]}
            if role == "kam":
                login = info["kams"][index % len(info["kams"])][0]
                shared["account"] = info["kams"][index % len(info["kams"])]
            elif role == "service":
                login = info["technicians"][index % len(info["technicians"])]
            elif role == "portal":
                login, shared["account"] = info["portals"][index % len(info["portals"])]
            else:
                login = info["directors"][index % len(info["directors"])]
            users.append((role, User(url, DB, login, PASSWORD.format(login=login), rec), shared))
        baseline = measure_baseline(users, info, rec)
        kamctl.say(f"{len(users)} users logged in ({dict(counters)}); running for "
                   f"{args.duration} s, the crons made due every {args.cron_every} s")
        with conn.cursor() as cr:
            cr.execute("SELECT now() AT TIME ZONE 'UTC'")
            since = cr.fetchone()[0]
        stop, cron_stop = threading.Event(), threading.Event()
        due_log = []
        threads = [threading.Thread(target=LOOPS[role], args=(user, shared, rec, stop,
                                                               args.think), daemon=True)
                   for role, user, shared in users]
        driver = threading.Thread(target=cron_driver, daemon=True, args=(
            settings, DB, info["crons"], args.cron_every, cron_stop, due_log))
        run_start = time.perf_counter()
        driver.start()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        cron_stop.set()
        for thread in threads:
            thread.join(timeout=180)
        elapsed = time.perf_counter() - run_start
        driver.join(timeout=30)
        idle = wait_crons_idle(conn, info["crons"].values())
        runs = cron_runs(conn, info["crons"], since)
        sent = notices(conn, since)
        lost = lost_writes(conn, rec)
        dups = duplicates(conn)
    finally:
        if conn is not None:
            conn.close()
        server.close()
    log_errors, server_retries = server_log_problems(log_path)
    return report(args, rec, elapsed, runs, sent, idle, lost, dups, log_errors,
                  server_retries, log_path, baseline)


def measure_baseline(users, info, main_rec, repeat=5):
    """p50 of each read by one user at a time, before the load: what a request costs on
    this machine when nobody else is served."""
    rec = Recorder()
    first = {}
    for role, user, shared in users:
        first.setdefault(role, (user, shared))
    for _ in range(repeat):
        kam, shared = first["kam"]
        kam.rec = rec
        kam.call("list_accounts", "res.partner", "web_search_read", [], {
            "domain": [("kam_state", "=", "registered")], "specification": ACCOUNT_LIST,
            "limit": 80, "count_limit": 10001})
        kam.call("open_account", "res.partner", "web_read", [[shared["account"][1][0]]],
                 {"specification": ACCOUNT_FORM})
        kam.call("list_requests", "kam.service.request", "web_search_read", [], {
            "domain": [("state", "in", ["new", "dispatched", "in_progress"])],
            "specification": REQUEST_LIST, "limit": 80, "count_limit": 10001})
        director, _shared = first["director"]
        director.rec = rec
        director.call("list_scorecards", "kam.scorecard", "web_search_read", [], {
            "domain": [("period_type", "=", "month")], "specification": SCORECARD_LIST,
            "limit": 80, "count_limit": 10001})
        for model, domain, groupby, aggregates in info["dashboard"]:
            director.call(f"dashboard {model}", model, "formatted_read_group", [], {
                "domain": domain, "groupby": groupby, "aggregates": aggregates})
        portal, _shared = first["portal"]
        portal.rec = rec
        portal.page("portal_list", "/my/service_requests")
    for _role, user, _shared in users:
        user.rec = main_rec
    by_action = collections.defaultdict(list)
    for action, seconds, error in rec.samples:
        if not error:
            by_action[action].append(seconds)
    return {action: statistics.median(values) for action, values in by_action.items()}


def report(args, rec, elapsed, runs, sent, idle, lost, dups, log_errors, server_retries,
           log_path, baseline=None):
    by_action = collections.defaultdict(list)
    for action, seconds, error in rec.samples:
        if not error:
            by_action[action].append(seconds)
    total = len(rec.samples)
    print()
    print(f"{total} requests in {elapsed:.0f} s: {total / elapsed:.1f} requests/s "
          f"({args.clients} users, think time 0-{2 * args.think:.1f} s, {args.workers} HTTP "
          f"workers, 1 cron worker)")
    baseline = baseline or {}
    print(f"{'action':<32} {'count':>6} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} {'max s':>7} "
          f"{'alone':>7}")
    missed = []
    for action in sorted(by_action):
        values = by_action[action]
        p95 = percentile(values, 95)
        mark = ""
        if action in READS:
            mark = "  (target p95 <= 1 s)" if p95 <= 1 else "  MISSED p95 <= 1 s"
            if p95 > 1:
                missed.append(action)
        alone = f"{baseline[action]:>7.3f}" if action in baseline else f"{'':>7}"
        print(f"{action:<32} {len(values):>6} {percentile(values, 50):>7.3f} {p95:>7.3f} "
              f"{percentile(values, 99):>7.3f} {max(values):>7.3f} {alone}{mark}")
    print("(alone: the median of 5 calls by one user before the load, nobody else served)")
    print()
    print(f"cron runs during the test: {runs}; notes sent: {dict(sent)}"
          + ("" if idle else "; WARNING: the crons were still running at the end"))
    print(f"serialization conflicts retried: {server_retries} by the server, "
          f"{sum(rec.retried.values())} by the users {dict(rec.retried) or ''}")
    failures = 0
    if rec.errors:
        print("errors by kind:")
        for (action, kind), count in sorted(rec.errors.items()):
            print(f"  {action}: {kind} x{count}: {rec.error_examples[(action, kind)]}")
        failures += sum(rec.errors.values())
    else:
        print("errors: none")
    if log_errors:
        print(f"ERROR lines in the server log ({log_path}): {len(log_errors)}")
        for line in log_errors[:10]:
            print(f"  {line[:300]}")
        failures += len(log_errors)
    acked = (len(rec.visits) + len(rec.plans) + len(rec.requests) + len(rec.dispatches)
             + len(rec.dispatch_done) + len(rec.completed) + len(rec.confirmed))
    print(f"acknowledged writes checked: {acked} (visits {len(rec.visits)}, plans "
          f"{len(rec.plans)}, requests filed {len(rec.requests)}, dispatches "
          f"{len(rec.dispatches)}, dispatches closed {len(rec.dispatch_done)}, completed "
          f"{len(rec.completed)}, confirmed {len(rec.confirmed)}); lost: {len(lost)}")
    for item in lost[:20]:
        print(f"  LOST {item}")
    print(f"duplicates (notes per request and clock, activities, snapshots): {len(dups)}")
    for item in dups[:20]:
        print(f"  DUPLICATE {item}")
    failures += len(lost) + len(dups)
    if missed and args.strict:
        failures += len(missed)
    ok = not failures
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def add_args(parser):
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--clients", type=int, default=20, help="concurrent users")
    parser.add_argument("--think", type=float, default=0.5,
                        help="mean think time of a user between two actions (seconds)")
    parser.add_argument("--cron-every", type=int, default=20,
                        help="seconds between two times the crons are made due")
    parser.add_argument("--workers", type=int, default=2, help="HTTP workers of the server")
    parser.add_argument("--strict", action="store_true",
                        help="also fail when a read misses its p95 target")


def main():
    return common.main(__doc__, DB, bench, SIZES, add_args=add_args)


if __name__ == "__main__":
    sys.exit(main())
