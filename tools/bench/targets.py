# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The targets the addon must reach and keep, one function per group of rows.
Each sets ``result.target = (text, ok)``; ``ok`` is None when the row has no target."""

CONFIRM_EXTRA_QUERIES = 4
CONFIRM_RATIO_NEW = 1.2
CONFIRM_RATIO_HEAVY = 1.3
BANNER_EXTRA_QUERIES = 3
BANNER_HISTORY_DRIFT = 1.25  # heavy-partner ratio at most 25% above the new-partner ratio
CRON_SECONDS = 20.0
CRON_QUERIES_PER_DUE = 0.05  # marginal queries per extra due document
CAMPAIGN_SECONDS = 5.0
SEARCH_SECONDS = 0.1
EXPOSURE_RATIO = 1.3
IMPORT_SELECTS_PER_RECORD = 0.05


def _set(result, text, ok):
    result.target = (text, None if result.error else ok)


def confirm(results):
    for result in results:
        limit = CONFIRM_RATIO_NEW if result.key == "new" else CONFIRM_RATIO_HEAVY
        text = f"≤ +{CONFIRM_EXTRA_QUERIES} q, ≤ {limit}×"
        ok = not result.error and (
            result.extra_queries() <= CONFIRM_EXTRA_QUERIES and result.ratio() <= limit
        )
        _set(result, text, ok)


def banner(results):
    new = {r.operation: r for r in results if r.key == "new"}
    for result in results:
        text = f"≤ +{BANNER_EXTRA_QUERIES} q"
        ok = not result.error and result.extra_queries() <= BANNER_EXTRA_QUERIES
        reference = new.get(result.operation)
        if result.key != "new" and reference and not reference.error:
            text += f", ≤ {BANNER_HISTORY_DRIFT}× new-partner ratio"
            ok = ok and result.ratio() <= reference.ratio() * BANNER_HISTORY_DRIFT
        _set(result, text, ok)


def cron(results):
    by_every = {r.every: r for r in results}
    full = by_every.get(1)
    if full:
        _set(full, f"< {CRON_SECONDS:.0f} s", not full.error and full.seconds("addon") < CRON_SECONDS)
    fewer = sorted((r for r in results if r.every > 1), key=lambda r: r.every)
    if len(fewer) < 2:
        return
    more, less = fewer[0], fewer[-1]
    text = f"queries not ∝ due (≤ {CRON_QUERIES_PER_DUE}/due)"
    if more.error or less.error or more.last("addon").stopped:
        _set(more, text, False)
        return
    extra_due = (more.last("addon").info or 0) - (less.last("addon").info or 0)
    extra_queries = more.queries("addon") - less.queries("addon")
    per_due = extra_queries / extra_due if extra_due else 0.0
    more.target_note = f"{per_due:.2f} extra queries per extra due document (vs the row below)"
    _set(more, text, per_due <= CRON_QUERIES_PER_DUE)


def campaign(results):
    for result in results:
        if result.name.startswith(("Submit", "Approve")):
            ok = not result.error and result.seconds("addon") < CAMPAIGN_SECONDS
            _set(result, f"< {CAMPAIGN_SECONDS:.0f} s", ok)
        if not result.error and result.last("addon").info and not result.last("addon").stopped:
            per = result.queries("addon") / result.last("addon").info
            result.target_note = f"{per:.2f} queries per evaluation"


def search(results):
    for result in results:
        ok = not result.error and result.seconds("addon") < SEARCH_SECONDS
        _set(result, f"< {SEARCH_SECONDS * 1000:.0f} ms", ok)


def exposure(results):
    for result in results:
        ok = not result.error and result.ratio() <= EXPOSURE_RATIO
        _set(result, f"≤ {EXPOSURE_RATIO}× credit", ok)


def document_import(results):
    done = [r for r in results if not r.error]
    if len(done) == 2:
        small, large = sorted(done, key=lambda r: r.count)
        records = large.count - small.count
        selects = (large.document_selects - small.document_selects) / records
        queries = (large.queries("addon") - small.queries("addon")) / records
        large.target_note = f"{selects:.2f} document SELECTs and {queries:.2f} queries per extra record"
        _set(large, "no per-record search", selects <= IMPORT_SELECTS_PER_RECORD)
    for result in results:
        if result.error:
            _set(result, "no per-record search", False)


CHECKS = {
    "confirm": confirm,
    "banner": banner,
    "cron": cron,
    "campaign": campaign,
    "search": search,
    "exposure": exposure,
    "import": document_import,
}


def apply(results):
    for group, check in CHECKS.items():
        check([r for r in results if r.group == group])
