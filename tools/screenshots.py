#!/usr/bin/env python3
"""Take the README's screenshots from a running Odoo (e.g. `make demo`) in headless Chromium.

    python3 tools/screenshots.py --url http://localhost:8069 --db kam_demo

Logs in through /web/session/authenticate, then drives Chromium over the DevTools
protocol (websocket-client): opens each page of SHOTS, optionally runs a snippet of
JavaScript (click a tab), waits for the page to settle and saves a PNG in docs/screenshots/.
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Click a smart button of the open form, also when it sits in the "More" dropdown.
CLICK_SMART = """
(async () => {
    const selector = "button[name='%s']";
    let button = document.querySelector(`.o-form-buttonbox ${selector}`);
    if (!button) {
        document.querySelector(".o-form-buttonbox .o_button_more")?.click();
        await new Promise((resolve) => setTimeout(resolve, 500));
        button = document.querySelector(selector);
    }
    button?.click();
})()
"""
EXPAND_GROUPS = "document.querySelectorAll('.o_group_header').forEach((row) => row.click())"
CLICK_TAB = "document.querySelector(\"a[name='%s']\")?.click()"
KEY_ACCOUNTS = "/odoo/action-key_account_management.res_partner_action_key_accounts"
# The Key Account tab of a group account: "scroll" brings its Group Customer block (the
# roll-ups) to the top, "open" clicks its Group Hierarchy button
GROUP_BLOCK = """
(async () => {
    document.querySelector("a[name='key_account']")?.click();
    await new Promise((resolve) => setTimeout(resolve, 800));
    const button = [...document.querySelectorAll(".o_notebook .tab-pane.active button")]
        .find((el) => el.querySelector(".fa-sitemap") || el.classList.contains("fa-sitemap"));
    if ("%s" === "open") {
        button?.click();
    } else {
        const block = button?.closest(".o_group");
        (block?.querySelector(".o_horizontal_separator") || block || button)
            ?.scrollIntoView({block: "start"});
    }
})()
"""
GROUPS = "/odoo/action-key_account_management.res_partner_action_kam_groups"
# The handover wizard for Li Wei's portfolio (to Zhang Min): the relationships that move
HANDOVER = """
odoo.__WOWL_DEBUG__.root.env.services.action.doAction(
    "key_account_management.kam_handover_wizard_action",
    {additionalContext: {default_from_user_id: {kam_demo_user_kam_li},
                         default_to_user_id: {kam_demo_user_kam_zhang}}})
"""

# a demo record's id in a script (JavaScript has braces of its own)
SCRIPT_ID = r"{(kam_\w+)}"
# (file name, path, JavaScript run after load or None, login); {xmlid} in a path, and
# {kam_...} in a script, is the database id of that demo record of the addon
SHOTS = [
    ("key_accounts_kanban", KEY_ACCOUNTS, None, "admin"),
    ("key_accounts_list", KEY_ACCOUNTS + "?view_type=list", None, "admin"),
    ("key_account_tab", KEY_ACCOUNTS + "/{kam_demo_customer_bank}", CLICK_TAB % "key_account",
     "admin"),
    ("org_chart", KEY_ACCOUNTS + "/{kam_demo_customer_bank}",
     CLICK_SMART % "action_kam_open_org_chart", "admin"),
    ("stakeholders_by_role", "/odoo/action-key_account_management.kam_stakeholder_action", None,
     "admin"),
    ("visits_calendar", "/odoo/action-key_account_management.kam_visit_action", None, "kam_li"),
    ("visit_report", "/odoo/action-key_account_management.kam_visit_action/{kam_demo_visit_bank_1}",
     CLICK_TAB % "report", "kam_li"),
    ("visit_plan", "/odoo/action-key_account_management.kam_visit_plan_action/{kam_demo_visit_plan_li}",
     None, "kam_director"),
    ("account_plan",
     "/odoo/action-key_account_management.kam_account_plan_action/{kam_account_plan_demo_bank}",
     None, "kam_li"),
    ("account_plan_whitespace",
     "/odoo/action-key_account_management.kam_account_plan_action/{kam_account_plan_demo_bank}",
     CLICK_TAB % "whitespace", "kam_li"),
    ("pareto_analysis", "/odoo/action-key_account_management.kam_pareto_report_action", None,
     "kam_director"),
    ("nominations", "/odoo/action-key_account_management.kam_nomination_action", None,
     "kam_director"),
    ("tiers", "/odoo/action-key_account_management.kam_tier_action", None, "admin"),
    ("service_requests_kanban", "/odoo/action-key_account_management.kam_service_request_action",
     None, "kam_li"),
    ("service_request_clocks",
     "/odoo/action-key_account_management.kam_service_request_action/"
     "{kam_demo_service_request_bank_outage}", CLICK_TAB % "clocks", "kam_li"),
    ("sla_matrix", "/odoo/action-key_account_management.kam_sla_policy_action", EXPAND_GROUPS,
     "admin"),
    ("service_levels", "/odoo/action-key_account_management.kam_service_report_action", None,
     "kam_director"),
    ("portal_service_requests", "/my/service_requests", None, "bank_portal"),
    ("at_risk_accounts",
     "/odoo/action-key_account_management.res_partner_action_key_accounts_at_risk", None,
     "kam_director"),
    # the demo has six months of snapshots
    ("health_over_time", "/odoo/action-key_account_management.kam_account_snapshot_action", None,
     "kam_director"),
    ("scorecards", "/odoo/action-key_account_management.kam_scorecard_action", None,
     "kam_director"),
    ("key_accounts_dashboard",
     "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action"
     "?dashboard_id={spreadsheet_dashboard_key_accounts}", None, "kam_director"),
    ("care_reminders", "/odoo/action-key_account_management.kam_care_reminder_action", None,
     "kam_li"),
    ("care_occasions", "/odoo/action-key_account_management.kam_care_occasion_action", None,
     "kam_li"),
    ("credit_rating_requests",
     "/odoo/action-key_account_management.kam_credit_rating_request_action", None,
     "kam_director"),
    # group customers (集团客户, issue 22): the bank's group at Huaxin Telecom
    ("group_hierarchy", KEY_ACCOUNTS + "/{kam_demo_customer_bank}", GROUP_BLOCK % "open",
     "kam_director"),
    ("group_rollup", KEY_ACCOUNTS + "/{kam_demo_customer_bank}", GROUP_BLOCK % "scroll",
     "kam_director"),
    ("group_pareto", GROUPS + "?view_type=graph", None, "kam_director"),
    # relationship strength (关系强度, issue 26)
    ("relationship_coverage_map", KEY_ACCOUNTS + "/{kam_demo_customer_bank}",
     CLICK_SMART % "action_kam_view_coverage_map", "kam_director"),
    ("who_knows_them", "/odoo/res.partner/{kam_demo_contact_bank_cio}",
     CLICK_SMART % "action_kam_view_relationships", "kam_director"),
    ("handover_relationships", KEY_ACCOUNTS, HANDOVER, "kam_director"),
    ("account_review",
     "/report/html/key_account_management.kam_account_review_document/{kam_demo_customer_bank}",
     None, "kam_li"),
]


def _json(url, data=None, cookie=None):
    req = urllib.request.Request(url, data=json.dumps(data).encode() if data else None,
                                 headers={"Content-Type": "application/json"})
    if cookie:
        req.add_header("Cookie", cookie)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read()), resp.headers.get_all("Set-Cookie") or []


def login(url, db, user, password):
    result, cookies = _json(f"{url}/web/session/authenticate", {
        "jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": user, "password": password},
    })
    if result.get("error"):
        raise SystemExit(f"login failed for {user}: {result['error']['data']['message']}")
    for cookie in cookies:
        if cookie.startswith("session_id="):
            return cookie.split(";")[0].split("=", 1)[1]
    raise SystemExit("no session cookie")


class Browser:
    def __init__(self, width, height):
        binary = shutil.which("chromium") or shutil.which("google-chrome")
        if not binary:
            raise SystemExit("chromium not found (Debian: apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="kam_shots_")
        self.proc = subprocess.Popen([
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", f"--window-size={width},{height}",
            f"--user-data-dir={self.profile}", "--remote-debugging-port=0", "about:blank",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, TZ=os.environ.get("KAM_SHOTS_TZ", "Asia/Shanghai")))
        port = None
        for line in self.proc.stderr:
            if "DevTools listening on ws://" in line:
                port = int(line.split("ws://")[1].split("/")[0].split(":")[1])
                break
        if not port:
            raise SystemExit("chromium did not start")
        targets, _ = _json(f"http://127.0.0.1:{port}/json")
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  width=width, height=height, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression,
                         returnByValue=True).get("result", {}).get("value")

    def wait_idle(self, timeout=30):
        """Wait until Odoo's web client shows its content and no RPC is pending."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            ready = self.evaluate(
                "document.readyState === 'complete' && (!document.querySelector('.o_web_client') "
                "|| !!document.querySelector('.o_action_manager .o_view_controller, "
                ".o_action_manager .o_form_view, .o_action_manager .o-spreadsheet')) && "
                "!document.querySelector('.o_loading_indicator, .o_blockUI')")
            if ready:
                time.sleep(1.5)
                return
            time.sleep(0.5)

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="kam_demo")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "screenshots"))
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--suffix", default="", help="added to file names, e.g. _zh")
    parser.add_argument("--only", nargs="*", help="names of the shots to take")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    sessions = {}
    browser = Browser(args.width, args.height)
    ids = {xmlid: _record_id(args, xmlid) for name, path, script, _user in SHOTS
           if not args.only or name in args.only
           for xmlid in re.findall(r"{(\w+)}", path) + re.findall(SCRIPT_ID, script or "")}
    try:
        for name, path, script, user in SHOTS:
            if args.only and name not in args.only:
                continue
            if user not in sessions:
                sessions[user] = login(args.url, args.db, user, "admin" if user == "admin" else user)
            browser.send("Network.setCookie", name="session_id", value=sessions[user],
                         domain=args.url.split("//")[1].split(":")[0], path="/")
            browser.send("Page.navigate", url=args.url + path.format(**ids))
            browser.wait_idle()
            if script:
                script = re.sub(SCRIPT_ID, lambda match: str(ids[match.group(1)]), script)
                browser.send("Runtime.evaluate", expression=script, awaitPromise=True)
                time.sleep(2)
                browser.wait_idle()
            png = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
            target = os.path.join(args.out, f"{name}{args.suffix}.png")
            with open(target, "wb") as fh:
                fh.write(png)
            print(f"saved {os.path.relpath(target, REPO)}")
    finally:
        browser.close()


def _record_id(args, xmlid):
    """The database id of one of the addon's demo records, through the JSON-RPC API."""
    result, _ = _json(f"{args.url}/jsonrpc", {
        "jsonrpc": "2.0", "method": "call", "params": {
            "service": "object", "method": "execute_kw",
            "args": [args.db, 2, "admin", "ir.model.data", "search_read",
                     [[("module", "=", "key_account_management"), ("name", "=", xmlid)]],
                     {"fields": ["res_id"]}],
        },
    })
    rows = result.get("result") or []
    return rows[0]["res_id"] if rows else 0


if __name__ == "__main__":
    main()
