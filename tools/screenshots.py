#!/usr/bin/env python3
# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots of the demo's main screens, in English and Simplified Chinese.

Drives a running demo server with headless Chromium (the browser the tours use) over
the DevTools protocol, logged in as the administrator, and writes
static/description/screenshot_<screen>_<lang>.png (1280x800; PNGs above 300 KB are
re-encoded with a palette). The credit statement is printed to PDF by the server and its
first page rendered with pdftoppm.

    tools/screenshots.py --url http://127.0.0.1:8385 --db pqc_demo_<instance> --out static/description
"""

import argparse
import base64
import itertools
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import xmlrpc.client
from pathlib import Path

import websocket
from PIL import Image

WIDTH, HEIGHT = 1280, 800
MAX_BYTES = 300 * 1024
LANGS = ("en_US", "zh_CN")
MODULE = "partner_qualification_credit"
# The partner's qualification tab (grade, admission, documents, credit), the release dialog.
QUALIFICATION_TAB = ".o_notebook a.nav-link[name='partner_qualification']"
RELEASE_BUTTON = "button[name='action_open_credit_release']"
MODAL_OPEN = "!!document.querySelector('.modal .modal-footer')"
# Ready when the action shows its view and nothing is loading any more.
READY_JS = """
!!document.querySelector('.o_action_manager .o_view_controller, .o_action_manager .o_action')
&& !document.querySelector('.o_loading_indicator, .o_blockUI, .o-main-components-container .o_loading')
"""


class Browser:
    """Just enough of the DevTools protocol: navigate, evaluate, screenshot, cookies."""

    def __init__(self, chrome):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="pqc-shots-")
        self.process = subprocess.Popen(
            [
                chrome,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                f"--remote-debugging-port={port}",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={self.profile}",
                "--lang=en-US",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = [t for t in json.load(response) if t["type"] == "page"]
                if targets:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit("[screenshots] Chromium did not start")
        self.ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=60)
        self.ids = itertools.count(1)
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait(self, expression, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.3)
        raise TimeoutError(expression)

    def goto(self, url, ready=READY_JS):
        self.call("Page.navigate", url=url)
        time.sleep(1)
        self.wait(ready)
        time.sleep(1.5)  # animations, avatars, chatter

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        shrink(path)
        print(f"[screenshots] {path} ({path.stat().st_size // 1024} KB)")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def shrink(path):
    """Above the size budget: a 256-colour palette keeps screens readable at a third of
    the size."""
    if path.stat().st_size <= MAX_BYTES:
        return
    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--chrome", default=shutil.which("chromium") or shutil.which("google-chrome"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    rpc = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)
    uid = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common").authenticate(
        args.db, args.login, args.password, {}
    )
    if not uid:
        sys.exit(f"[screenshots] cannot log in as {args.login} on {args.db}")

    def execute(model, method, *call_args, **kwargs):
        return rpc.execute_kw(args.db, uid, args.password, model, method, list(call_args), kwargs)

    def xmlid(name):
        module, _, record = name.partition(".")
        found = execute(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", record)],
            fields=["res_id"],
        )
        if not found:
            sys.exit(f"[screenshots] {name} not found: is {args.db} a demo database (make demo)?")
        return found[0]["res_id"]

    def request_of(partner_name):
        return execute(
            "partner.admission.request", "search", [("partner_id.name", "=", partner_name)], limit=1
        )[0]

    blocked = xmlid(f"{MODULE}.sale_order_blocked_demo")
    partner = execute("sale.order", "read", [blocked], fields=["partner_id"])[0]["partner_id"][0]
    campaign = xmlid(f"{MODULE}.evaluation_campaign_demo")
    evaluation = execute(
        "partner.evaluation",
        "search",
        [("campaign_id", "=", campaign), ("state", "=", "submitted"), ("partner_id", "=", partner)],
        limit=1,
    )[0]
    root_menu = xmlid(f"{MODULE}.partner_qualification_menu_root")
    exposure_action = xmlid(f"{MODULE}.res_partner_action_credit_exposure")
    screens = [
        ("overview", f"/odoo?menu_id={root_menu}", None),
        ("partner", f"/odoo/res.partner/{partner}", (QUALIFICATION_TAB, None)),
        ("admission", f"/odoo/partner.admission.request/{request_of('Kunming Yunling Tea Co., Ltd.')}", None),
        ("quotation", f"/odoo/sale.order/{blocked}", None),
        (
            "release",
            f"/odoo/sale.order/{blocked}",
            (RELEASE_BUTTON, "!!document.querySelector('.modal .modal-footer')"),
        ),
        ("evaluation", f"/odoo/partner.evaluation/{evaluation}", None),
        ("campaign", f"/odoo/partner.evaluation.campaign/{campaign}", None),
        ("exposure", f"/odoo/action-{exposure_action}", None),
    ]

    [admin] = execute("res.users", "read", [uid], fields=["lang"])
    browser = Browser(args.chrome)
    try:
        browser.goto(f"{args.url}/web/login?db={args.db}", ready="!!document.querySelector('form')")
        browser.evaluate(
            f"""
            document.querySelector('input[name=login]').value = {json.dumps(args.login)};
            document.querySelector('input[name=password]').value = {json.dumps(args.password)};
            document.querySelector('form').submit();
            """
        )
        browser.wait("location.pathname.startsWith('/odoo')")
        for lang in LANGS:
            execute("res.users", "write", [uid], {"lang": lang})
            suffix = lang.split("_")[0]
            for name, path, click in screens:
                browser.goto(f"{args.url}{path}")
                if click:
                    selector, opened = click
                    browser.evaluate(f"document.querySelector({json.dumps(selector)})?.click()")
                    if opened:
                        browser.wait(opened)
                    time.sleep(1.5)
                browser.screenshot(args.out / f"screenshot_{name}_{suffix}.png")
            statement(args, browser, partner, lang, args.out / f"screenshot_statement_{suffix}.png")
    finally:
        execute("res.users", "write", [uid], {"lang": admin["lang"]})
        browser.close()


def statement(args, browser, partner, lang, path):
    """The credit statement as printed (PDF from the server), first page as PNG."""
    if not shutil.which("pdftoppm"):
        print("[screenshots] pdftoppm not found (poppler-utils): no statement screenshot")
        return
    cookies = browser.call("Network.getCookies", urls=[args.url])["cookies"]
    header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    # The session's context keeps the language of the login: ask for the reader's.
    query = urllib.parse.urlencode({"context": json.dumps({"lang": lang})})
    url = f"{args.url}/report/pdf/{MODULE}.report_credit_statement/{partner}?{query}"
    request = urllib.request.Request(url, headers={"Cookie": header})
    with tempfile.TemporaryDirectory() as tmp, urllib.request.urlopen(request, timeout=300) as response:
        pdf = Path(tmp) / "statement.pdf"
        pdf.write_bytes(response.read())
        # 1280 px wide, like the screens.
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-scale-to-x",
                str(WIDTH),
                "-scale-to-y",
                "-1",
                pdf,
                Path(tmp) / "page",
            ],
            check=True,
        )
        page = next(Path(tmp).glob("page*.png"))
        # The top of the page (header, figures, components).
        image = Image.open(page)
        image.crop((0, 0, image.width, min(image.height, 1000))).save(path, optimize=True)
    shrink(path)
    print(f"[screenshots] {path} ({path.stat().st_size // 1024} KB, {lang})")


if __name__ == "__main__":
    main()
