# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Confirm every prepared quotation at the same moment over JSON-RPC, one thread each,
against a multi-worker server on the loopback, then check what the database says.

Passes when: every request got an HTTP 200 answer, each either a confirmation or a clean
business refusal (``odoo.exceptions.UserError``); the confirmed total stays within the
limit; every order is either confirmed or still a quotation; the answers match the
database."""

import json
import sys
import threading
import time
import urllib.request

URL, DB, SPEC = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
TIMEOUT = 180


def call(service, method, *args):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": list(args)},
    }
    request = urllib.request.Request(
        f"{URL}/jsonrpc", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.status, json.loads(response.read())


def execute(uid, model, method, *args):
    return call("object", "execute_kw", DB, uid, SPEC["password"], model, method, list(args))


_status, answer = call("common", "login", DB, SPEC["login"], SPEC["password"])
uid = answer["result"]
results = {}
barrier = threading.Barrier(len(SPEC["order_ids"]))


def confirm(order_id):
    barrier.wait()
    started = time.monotonic()
    try:
        status, answer = execute(uid, "sale.order", "action_confirm", [order_id])
    except Exception as exc:  # an HTTP error or a dropped connection is a failure too
        status, answer = getattr(exc, "code", 0), {"error": {"data": {"name": repr(exc)}}}
    results[order_id] = (status, answer, time.monotonic() - started)


threads = [threading.Thread(target=confirm, args=(order_id,)) for order_id in SPEC["order_ids"]]
started = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(TIMEOUT)
elapsed = time.monotonic() - started

_status, answer = execute(uid, "sale.order", "read", SPEC["order_ids"], ["state", "amount_total"])
states = {row["id"]: row for row in answer["result"]}
problems = []
confirmed = refused = 0
for order_id in SPEC["order_ids"]:
    if order_id not in results:
        problems.append(f"order {order_id}: no answer within {TIMEOUT} s")
        continue
    status, answer, _duration = results[order_id]
    state = states[order_id]["state"]
    if status != 200:
        problems.append(f"order {order_id}: HTTP {status}")
    elif "error" in answer:
        name = answer["error"].get("data", {}).get("name")
        if name != "odoo.exceptions.UserError":
            message = answer["error"].get("data", {}).get("message")
            problems.append(f"order {order_id}: unclean error {name}: {message}")
        elif state != "draft":
            problems.append(f"order {order_id}: refused but in state {state}")
        refused += 1
    elif state != "sale":
        problems.append(f"order {order_id}: confirmed answer but state {state}")
    else:
        confirmed += 1
total = sum(row["amount_total"] for row in states.values() if row["state"] == "sale")
if total > SPEC["limit"] + 0.001:
    problems.append(f"confirmed total {total} exceeds the limit {SPEC['limit']}")
if any(row["state"] not in ("sale", "draft") for row in states.values()):
    problems.append("an order is neither confirmed nor a quotation")
if not confirmed:
    problems.append("nothing was confirmed")
durations = sorted(result[2] for result in results.values())
print(
    f"[concurrency] {len(SPEC['order_ids'])} simultaneous confirmations: {confirmed} confirmed "
    f"(total {total:.2f} of limit {SPEC['limit']:.2f}), {refused} refused cleanly, "
    f"{len(problems)} problem(s); {elapsed:.1f} s in all, "
    f"median answer {durations[len(durations) // 2]:.2f} s, "
    f"slowest {durations[-1]:.2f} s"
)
for problem in problems:
    print(f"[concurrency] PROBLEM: {problem}")
sys.exit(1 if problems else 0)
