"""Take the screenshots of sale_activity_playbooks/static/description/ with
headless Chromium (Chrome DevTools protocol) on a running Odoo server that
serves the demo database. setup/screenshots starts that server; this script
only drives the browser.

usage: python setup/screenshots.py URL DATABASE [--series SERIES] [SHOT...]

Each shot is taken from one series (18.0 unless it says otherwise): a run
takes the shots of its series, or the named ones, which must be of it.
"""

import base64
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

OUT_DIR = (
    Path(__file__).resolve().parent.parent
    / "sale_activity_playbooks"
    / "static"
    / "description"
)
WIDTH, HEIGHT = 1600, 1000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_chrome():
    for name in ("google-chrome", "chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no Chromium on PATH")


class Browser:
    """One headless Chromium tab, driven over the DevTools websocket."""

    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="sap-shots-")
        self.process = subprocess.Popen(
            [
                find_chrome(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = websocket.create_connection(self._page_ws_url(), timeout=60)
        self._ids = iter(range(1, 1_000_000))
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.resize(WIDTH, HEIGHT)

    def _page_ws_url(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{self.port}/json", timeout=2
                ).json()
                pages = [t for t in targets if t["type"] == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise RuntimeError("Chromium's DevTools did not answer")

    def send(self, method, **params):
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def goto(self, url, timeout=60):
        """Open ``url`` and wait until the new document is loaded."""
        self.evaluate("window.__sapOldPage = true")
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(
                "!window.__sapOldPage && document.readyState === 'complete'"
            ):
                return
            time.sleep(0.25)
        raise RuntimeError(f"{url} did not load")

    def wait_for(self, selector, timeout=60):
        """Wait until ``selector`` (CSS, with :contains() like tours) matches a
        visible element."""
        deadline = time.monotonic() + timeout
        check = f"!!(window.__sapFind && window.__sapFind({json.dumps(selector)}))"
        while time.monotonic() < deadline:
            self.evaluate(FIND_JS)
            if self.evaluate(check):
                return
            time.sleep(0.25)
        raise RuntimeError(f"{selector!r} did not appear")

    def click(self, selector):
        self.wait_for(selector)
        self.evaluate(f"window.__sapFind({json.dumps(selector)}).click(); true")

    def settle(self, seconds=1.0):
        """Let animations and late renders finish."""
        time.sleep(seconds)

    def resize(self, width, height):
        """Give the page a ``width`` x ``height`` window (a phone: 400 x 800,
        as the phone tours)."""
        self.width = width
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def screenshot(self, path, crop=None):
        """Save the window, its top ``crop`` pixels (int) or the element that
        ``crop`` selects (with a margin) as a PNG file."""
        params = {"format": "png"}
        if isinstance(crop, int):
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": self.width,
                "height": crop,
                "scale": 1,
            }
        elif crop:
            self.wait_for(crop)
            # a clip outside the window comes out blank
            self.evaluate(
                f"window.__sapFind({json.dumps(crop)}).scrollIntoView(); true"
            )
            self.settle(0.5)
            params["clip"] = self.evaluate(
                f"(() => {{ const r = window.__sapFind({json.dumps(crop)})"
                ".getBoundingClientRect(); return {x: Math.max(r.x - 16, 0), "
                "y: Math.max(r.y - 16, 0), width: r.width + 32, height: r.height + 32, "
                "scale: 1}; })()"
            )
        data = self.send("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        print(f"wrote {path}")

    def login(self, base_url, database, login, password):
        http = requests.Session()
        response = http.post(
            f"{base_url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {"db": database, "login": login, "password": password},
            },
            timeout=60,
        )
        response.raise_for_status()
        self.send("Network.enable")
        self.send("Network.clearBrowserCookies")
        self.send(
            "Network.setCookie",
            name="session_id",
            value=http.cookies["session_id"],
            url=base_url,
        )

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


# "The page is out of date" and other toasts are not part of the story.
CLOSE_NOTIFICATIONS_JS = """
document.querySelectorAll('.o_notification_close').forEach((b) => b.click()); true
"""

# Finds the first visible element matching a CSS selector, where
# "a:contains(text)" filters on the text like jQuery (tours use it too).
FIND_JS = r"""
window.__sapFind = window.__sapFind || function (selector) {
    const match = selector.match(/^(.*?):contains\((.*)\)(.*)$/);
    let elements;
    if (match) {
        const text = match[2].replace(/^['"]|['"]$/g, "");
        elements = [...document.querySelectorAll(match[1] || "*")].filter(
            (el) => el.textContent.includes(text)
        );
        if (match[3]) {
            elements = elements.flatMap((el) => [...el.querySelectorAll(match[3])]);
        }
    } else {
        elements = [...document.querySelectorAll(selector)];
    }
    return elements.find((el) => el.offsetParent !== null || el === document.body);
};
"""


REPORT_URL = "/odoo/action-sale_activity_playbooks.sale_activity_followup_report_action"
STEPS_URL = (
    "/odoo/action-sale_activity_playbooks.sale_activity_playbook_step_report_action"
)
QUEUE_URL = "/odoo/action-sale_activity_playbooks.mail_activity_action_followups"
SALES_TEAM_URL = (
    "/odoo/action-sales_team.crm_team_action_config/{sales_team.team_sales_department}"
)
CADENCE_URL = (
    "/odoo/action-sale_activity_playbooks.sale_activity_playbook_action"
    "/{playbook_standard_cadence}"
)

PHONE = (400, 800)
# the check box of a card of My Follow-ups on a phone
CARD_BOX = (
    ".o_sap_followups_kanban .o_kanban_record:contains({lead})"
    " .o_sap_followup_select input"
)
# The cadence map of the Standard sales cadence is some 1650 px wide: wider
# than the form's sheet, where it scrolls. Its shots show it whole, on a wider
# window and sheet.
WIDE = (1760, 1000)
WHOLE_MAP = ".o_form_view .o_form_sheet_bg { max-width: none !important; }"

# The story of static/description/, in order (some shots change the data the
# next ones show). Each shot: file name, login (password = login on the demo
# database), steps, what to keep: None (the whole window), the top N
# pixels, or the element a selector finds, and optionally its options:
# "series" (the Odoo series it is taken from, 18.0 by default) and "size"
# (the window, 1600 x 1000 by default). Steps: ("goto", url), ("wait",
# selector), ("click", selector), ("scroll", selector: to the top of the window),
# ("style", css: added to the page).
# URLs may name demo records as {xmlid} (module sale_activity_playbooks).
SHOTS = [
    (
        "my_followups",
        "demo",
        [
            ("goto", QUEUE_URL),
            ("wait", ".o_sap_followups .o_data_row:contains(Boardroom table)"),
        ],
        560,
    ),
    (
        "chatter_reminder_escalated",
        "sally",
        [
            ("goto", "/odoo/crm/{lead_escalated}"),
            ("click", ".o-mail-Activity .fa-info-circle"),
            ("wait", ".o-mail-Activity-details"),
        ],
        None,
    ),
    (
        "done_schedule_next",
        "sally",
        [
            ("goto", "/odoo/crm/{lead_email}"),
            (
                "click",
                ".o-mail-Activity:contains(the catalogue) .o-mail-Activity-markDone",
            ),
            ("click", ".o-mail-ActivityMarkAsDone button:contains(Schedule Next)"),
            ("wait", ".modal .o_sap_playbook_suggestion"),
        ],
        None,
    ),
    (
        "pipeline_reminder_popover",
        "sally",
        [
            ("goto", "/odoo/crm"),
            (
                "click",
                ".o_kanban_record:contains(Canteen tables) .o-mail-ActivityButton",
            ),
            ("wait", ".o-mail-ActivityListPopoverItem .o-sap-EscalatedBadge"),
        ],
        560,
    ),
    (
        "chatter_playbook_badge",
        "sally",
        [
            ("goto", "/odoo/crm/{lead_escalated}"),
            ("wait", ".o-mail-Activity .o-sap-PlaybookBadge"),
        ],
        ".o-mail-Chatter",
    ),
    (
        "outcome_buttons",
        "admin",
        [
            ("goto", "/odoo/crm/{lead_call}"),
            ("click", ".o-mail-Activity:contains(Call) .o-mail-Activity-markDone"),
            (
                "click",
                ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip:contains(No answer)",
            ),
            ("wait", ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip.btn-primary"),
        ],
        560,
    ),
    (
        "call_done_create_quote",
        "admin",
        [
            ("goto", "/odoo/crm/{lead_call}"),
            ("click", ".o-mail-Activity:contains(Call) .o-mail-Activity-markDone"),
            ("click", ".o-mail-ActivityMarkAsDone button[aria-label=Done]"),
            ("wait", ".o-mail-Activity:contains(Prepare and send the quotation)"),
            ("click", ".o-mail-Activity .fa-info-circle"),
            ("wait", ".o-mail-Activity-details"),
        ],
        None,
    ),
    (
        "followup_report",
        "admin",
        [
            (
                "goto",
                REPORT_URL,
            ),
            ("wait", ".o_pivot .o_pivot_cell_value"),
        ],
        560,
    ),
    (
        "playbook_steps",
        "admin",
        [
            ("goto", STEPS_URL),
            ("wait", ".o_pivot .o_pivot_cell_value"),
        ],
        560,
    ),
    (
        "sales_team_overdue_followups",
        "admin",
        [
            (
                "goto",
                SALES_TEAM_URL,
            ),
            ("click", ".o_notebook a:contains(Activity Playbooks)"),
            ("wait", "button[name=action_open_overdue_followups]"),
        ],
        None,
    ),
    (
        "team_overdue_followups_list",
        "admin",
        [
            (
                "goto",
                SALES_TEAM_URL,
            ),
            ("click", "button[name=action_open_overdue_followups]"),
            ("wait", ".o_sap_followups .o_group_name:contains(Sally)"),
            ("wait", ".o_sap_followups .o_data_row:contains(Canteen tables)"),
        ],
        480,
    ),
    (
        "playbook_form",
        "admin",
        [
            (
                "goto",
                CADENCE_URL,
            ),
            ("wait", ".o_field_widget[name=line_ids] .o_data_row"),
            ("style", WHOLE_MAP),
            # the rules' sentences, below their map
            ("scroll", ".o_field_widget[name=line_ids] .o_list_renderer"),
        ],
        None,
        {"size": WIDE},
    ),
    (
        "playbook_try_it",
        "admin",
        [
            (
                "goto",
                CADENCE_URL,
            ),
            ("click", "button[name=action_try]"),
            ("wait", ".modal .o_sap_playbook_preview table"),
        ],
        None,
    ),
    (
        "cadence_map",
        "admin",
        [
            ("goto", CADENCE_URL),
            ("wait", ".o_sap_cadence_map .o_sap_cadence_figures"),
            ("style", WHOLE_MAP),
        ],
        ".o_sap_cadence_map",
        {"size": WIDE},
    ),
    # 19.0: its Done & Schedule Next (one row of type buttons) and the phone
    (
        "done_schedule_next_19",
        "sally",
        [
            ("goto", "/odoo/crm/{lead_email}"),
            (
                "click",
                ".o-mail-Activity:contains(the catalogue) .o-mail-Activity-markDone",
            ),
            ("click", ".o-mail-ActivityMarkAsDone button:contains(Schedule Next)"),
            ("wait", ".modal .o_sap_playbook_suggestion"),
        ],
        None,
        {"series": "19.0"},
    ),
    (
        "my_followups_phone",
        "demo",
        [
            ("goto", QUEUE_URL),
            ("click", CARD_BOX.format(lead="Open Space Design")),
            ("click", CARD_BOX.format(lead="Standing desks")),
            # 19.0 lists the bulk actions in the Actions menu (over the first
            # two cards: the selected ones are further down)
            (
                "click",
                ".o_control_panel .o_cp_action_menus button[aria-label='Actions menu']",
            ),
            ("wait", ".dropdown-menu button:contains(Reschedule)"),
        ],
        None,
        {"series": "19.0", "size": PHONE},
    ),
    (
        "mark_done_phone",
        "admin",
        [
            ("goto", "/odoo/crm/{lead_call}"),
            # the chatter is below the lead on a phone
            ("scroll", ".o-mail-Activity:contains(Call)"),
            ("click", ".o-mail-Activity:contains(Call) .o-mail-Activity-markDone"),
            ("wait", ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip"),
        ],
        None,
        {"series": "19.0", "size": PHONE},
    ),
]


def record_ids(base_url, database):
    """Ids of the demo records that the shots name, read over JSON-RPC."""
    http = requests.Session()
    http.post(
        f"{base_url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": database, "login": "admin", "password": "admin"},
        },
        timeout=60,
    ).raise_for_status()
    names = {
        name
        for _file, _login, steps, *_rest in SHOTS
        for _action, *args in steps
        for name in re.findall(r"{([\w.]+)}", " ".join(args))
    }
    ids = {}
    for name in names:
        module, _, xmlid = name.rpartition(".")
        response = http.post(
            f"{base_url}/web/dataset/call_kw/ir.model.data/search_read",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": "ir.model.data",
                    "method": "search_read",
                    "args": [
                        [
                            ("module", "=", module or "sale_activity_playbooks"),
                            ("name", "=", xmlid),
                        ]
                    ],
                    "kwargs": {"fields": ["res_id"]},
                },
            },
            timeout=60,
        ).json()
        ids[name] = response["result"][0]["res_id"]
    return ids


def shots_to_take(series, only):
    """The shots of ``series``, or those named in ``only`` (of ``series``)."""
    shots = [(*shot, {}) if len(shot) == 4 else shot for shot in SHOTS]
    unknown = set(only) - {shot[0] for shot in shots}
    if unknown:
        sys.exit(f"no such shot: {', '.join(sorted(unknown))}")
    taken = []
    for name, login, steps, crop, options in shots:
        shot_series = options.get("series", "18.0")
        if only and name in only and shot_series != series:
            sys.exit(f"{name} is taken from {shot_series}: add --series {shot_series}")
        if (name in only) if only else shot_series == series:
            taken.append((name, login, steps, crop, options))
    return taken


def take(browser, base_url, database, ids, shot):
    name, login, steps, crop, options = shot
    browser.resize(*options.get("size", (WIDTH, HEIGHT)))
    browser.login(base_url, database, login, login)
    for action, *args in steps:
        if action == "goto":
            path = re.sub(r"{([\w.]+)}", lambda m: str(ids[m[1]]), args[0])
            browser.goto(base_url + path)
        elif action == "wait":
            browser.wait_for(args[0])
        elif action == "click":
            browser.click(args[0])
        elif action == "style":
            browser.evaluate(
                "document.head.insertAdjacentHTML('beforeend', "
                f"{json.dumps(f'<style>{args[0]}</style>')}); true"
            )
        elif action == "scroll":
            browser.wait_for(args[0])
            browser.evaluate(
                f"window.__sapFind({json.dumps(args[0])}).scrollIntoView(); true"
            )
    browser.settle(1.0)
    browser.evaluate(CLOSE_NOTIFICATIONS_JS)
    browser.settle(0.5)
    browser.screenshot(OUT_DIR / f"{name}.png", crop)


def main(argv):
    base_url, database, *only = argv
    series = "18.0"
    if only[:1] == ["--series"]:
        series, only = only[1], only[2:]
    shots = shots_to_take(series, only)
    ids = record_ids(base_url, database)
    browser = Browser()
    try:
        for shot in shots:
            take(browser, base_url, database, ids, shot)
    finally:
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
