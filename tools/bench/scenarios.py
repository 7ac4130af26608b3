# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What is measured. Each function yields ``harness.Result`` rows; targets are set in
targets.py. Partners are the same records in both databases (``meta``)."""

import adapter
from generate import make_partner, make_uscc
from harness import Result, count_statements, measure, run_chain

from odoo import SUPERUSER_ID, Command
from odoo.tools import SQL


class Context:
    def __init__(self, plain, addon, plain_meta, addon_meta, config, size):
        self.size = size
        self.plain, self.addon = plain, addon
        self.metas = {plain.db_name: plain_meta, addon.db_name: addon_meta}
        self.config = config
        self.repeats = config["repeats"]
        # The confirmations' targets are a few milliseconds on a few tens: more rounds.
        self.confirm_repeats = config.get("confirm_repeats", self.repeats)
        self.warmup = config.get("warmup", True)
        history = [str(n) for n in config["history"]]
        self.partner_keys = ["new", *history, f"{history[-1]}s"]
        if config.get("partners_measured"):
            self.partner_keys = [k for k in self.partner_keys if k in config["partners_measured"]]

    def label(self, key):
        if key == "new":
            return "new partner"
        if key.endswith("s"):
            return f"{int(key[:-1]):,} history, 90% settled"
        return f"{int(key):,} history"

    def partner(self, env, registry, key):
        if key == "new":
            return make_partner(env, "Bench new partner", registry is self.addon)
        return env["res.partner"].browse(self.metas[registry.db_name]["heavy"][key])

    def meta(self, registry):
        return self.metas[registry.db_name]

    def product(self, registry, kind):
        return self.metas[registry.db_name]["products"][kind]

    def both(self, setup_for, action):
        """The plain then the addon side with the same setup and action."""
        return [
            ("plain", self.plain, setup_for(self.plain), action),
            ("addon", self.addon, setup_for(self.addon), action),
        ]


# ------------------------------------------------------------
# Orders
# ------------------------------------------------------------


def _order_setup(ctx, document, key, kind, lines, confirm_only=True):
    def setup_for(registry):
        product = ctx.product(registry, kind)

        def setup(env):
            partner = ctx.partner(env, registry, key)
            if document == "sale":
                line = {"product_id": product, "product_uom_qty": 1, "price_unit": 100.0}
                return env["sale.order"].create(
                    {"partner_id": partner.id, "order_line": [Command.create(line) for _i in range(lines)]}
                )
            line = {"product_id": product, "product_qty": 1, "price_unit": 100.0}
            return env["purchase.order"].create(
                {"partner_id": partner.id, "order_line": [Command.create(line) for _i in range(lines)]}
            )

        return setup

    return setup_for


def confirmations(ctx):
    for document, verb in (("sale", "action_confirm"), ("purchase", "button_confirm")):
        for kind, kind_label in (("service", "service"), ("storable", "stockable")):
            for lines in (1, 10):
                for key in ctx.partner_keys:
                    order_label = "SO" if document == "sale" else "PO"
                    name = f"Confirm {lines}-line {kind_label} {order_label}, {ctx.label(key)}"
                    result = measure(
                        name,
                        "confirm",
                        ctx.both(
                            _order_setup(ctx, document, key, kind, lines),
                            lambda env, order, verb=verb: getattr(order, verb)(),
                        ),
                        ctx.confirm_repeats,
                        warmup=ctx.warmup,
                    )
                    result.key = key
                    yield result


def banners(ctx):
    for document, qty, label in (
        ("sale", "product_uom_qty", "quotation"),
        ("purchase", "product_qty", "RFQ"),
    ):
        for key in [k for k in ctx.partner_keys if not k.endswith("s")]:
            for edit in (False, True):

                def action(env, order, qty=qty, edit=edit):
                    spec = {
                        "partner_id": {"fields": {"display_name": {}}},
                        "amount_total": {},
                        "order_line": {
                            "fields": {
                                "product_id": {"fields": {"display_name": {}}},
                                qty: {},
                                "price_unit": {},
                                "price_subtotal": {},
                            }
                        },
                    }
                    if adapter.is_installed(env):
                        for field in adapter.fields_of(env, order._name, adapter.BANNER_FIELDS):
                            spec[field] = {}
                    if edit:
                        line = order.order_line[:1]
                        return order.onchange(
                            {"order_line": [Command.update(line.id, {qty: 7})]}, ["order_line"], spec
                        )
                    return order.web_read(spec)

                step = "line edit (onchange)" if edit else "form load"
                name = f"{label[0].upper()}{label[1:]} {step}, {ctx.label(key)}"
                result = measure(
                    name,
                    "banner",
                    ctx.both(_order_setup(ctx, document, key, "service", 1), action),
                    ctx.repeats,
                    warmup=ctx.warmup,
                )
                result.key = key
                result.operation = (document, edit)
                yield result


# ------------------------------------------------------------
# Accounting
# ------------------------------------------------------------


def accounting(ctx):
    for key in ("new", str(ctx.config["history"][-1])):
        for step in ("post", "payment"):

            def setup_for(registry, key=key, step=step):
                product = ctx.product(registry, "service")

                def setup(env):
                    invoice = env["account.move"].create(
                        {
                            "move_type": "out_invoice",
                            "partner_id": ctx.partner(env, registry, key).id,
                            "invoice_line_ids": [
                                Command.create({"product_id": product, "quantity": 1, "price_unit": 100.0})
                            ],
                        }
                    )
                    if step == "payment":
                        invoice.action_post()
                    return invoice

                return setup

            def action(env, invoice, step=step):
                if step == "post":
                    return invoice.action_post()
                wizard = env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                )
                return wizard.create({}).action_create_payments()

            name = f"{'Invoice post' if step == 'post' else 'Payment register'}, {ctx.label(key)}"
            result = measure(
                name, "accounting", ctx.both(setup_for, action), ctx.repeats, capture=True, warmup=ctx.warmup
            )
            if not result.error:
                writes = count_statements(result.last("addon").statements, r'^\s*UPDATE\s+"?res_partner"?\s')
                result.note = f"{writes} UPDATE res_partner (addon)"
            yield result


# ------------------------------------------------------------
# Partners, documents, campaign (addon database)
# ------------------------------------------------------------


def _sample_partners(ctx, count=1000):
    meta = ctx.metas[ctx.addon.db_name]
    first, last = meta["mass"]
    heavy = list(meta["heavy"].values())
    return heavy + list(range(first, min(last, first + count - len(heavy) - 1) + 1))


def exposure(ctx):
    ids = _sample_partners(ctx)

    def read_credit(env, _state):
        env["res.partner"].browse(ids).read(["credit"])

    def read_exposure(env, _state):
        env["res.partner"].browse(ids).read(adapter.fields_of(env, "res.partner", adapter.EXPOSURE_FIELDS))

    yield measure(
        f"Exposure of {len(ids):,} partners (vs Odoo's credit, same DB)",
        "exposure",
        [("credit", ctx.addon, None, read_credit), ("exposure", ctx.addon, None, read_exposure)],
        ctx.repeats,
    )


def qualification_search(ctx):
    for value in ("expired", "missing"):

        def action(env, _state, value=value):
            adapter.fields_of(env, "res.partner", [adapter.QUALIFICATION_STATE])
            return len(env["res.partner"].search([(adapter.QUALIFICATION_STATE, "=", value)]))

        result = measure(
            f"Search qualification_state = {value} over {ctx.config['partners']:,} partners",
            "search",
            [("addon", ctx.addon, None, action)],
            ctx.repeats,
        )
        if not result.error:
            result.note = f"{result.last('addon').info:,} found"
        yield result


def register_report(ctx):
    ids = _sample_partners(ctx)

    def action(env, _state):
        report = adapter.report(env)
        env["ir.actions.report"]._render_qweb_html(report.report_name, ids)

    yield measure(
        f"Register report (HTML) for {len(ids):,} partners", "report", [("addon", ctx.addon, None, action)], 1
    )


# Time limits (seconds) of the long batch operations; a stopped run is a lower bound.
TIME_LIMITS = {"smoke": None, "full": 200}
# Shares of the due documents kept due: all (the < 20 s target), then two small shares whose
# query counts tell whether the cron's queries grow with the number of due documents.
CRON_SHARES = {"smoke": (1, 2, 10), "full": (1, 50, 500)}


def reminder_cron(ctx):
    for every in CRON_SHARES[ctx.size]:

        def setup(env, every=every):
            adapter.method(env, "reminder_cron")
            cr = env.cr
            if every > 1:
                # Push all but one due document in ``every`` past the horizon: same table, fewer due.
                cr.execute(
                    """
                    UPDATE partner_qualification_document
                       SET expiry_date = current_date + 730, state = 'valid'
                     WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank
                                                    FROM partner_qualification_document
                                                   WHERE state IN ('expiring', 'expired')) due
                                   WHERE rank %% %s <> 0)
                    """,
                    [every],
                )
            cr.execute(
                "SELECT count(*) FROM partner_qualification_document WHERE state IN ('expiring', 'expired')"
            )
            return cr.fetchone()[0]

        def action(env, due):
            Document = env[adapter.DOCUMENT_MODEL].sudo()
            adapter.call(Document, "reminder_cron")
            return due

        share = "all" if every == 1 else f"1 in {every} of the"
        result = measure(
            f"Reminder cron, {ctx.config['partners']:,} documents, {share} due",
            "cron",
            [("addon", ctx.addon, setup, action)],
            1,
            warmup=False,
            timeout=TIME_LIMITS[ctx.size],
        )
        result.every = every
        if not result.error:
            result.note = "; ".join(filter(None, [f"{result.last('addon').info or 0:,} due", result.note]))
        yield result


def campaign(ctx):
    """Start, submit-all, approve-all in one transaction, each step timed on its own
    (the statistics of what the previous step wrote refreshed in between, untimed)."""
    campaign_id = ctx.metas[ctx.addon.db_name]["campaign"]
    names = [
        f"Campaign start ({ctx.config['admitted']:,}+ admitted partners)",
        "Submit all evaluations",
        "Approve all evaluations",
    ]

    def record(env):
        return env[adapter.CAMPAIGN_MODEL].browse(campaign_id)

    def record_analyzed(env):
        # The steps of a campaign are days apart, autovacuum analyzes what the previous
        # step wrote in between; in one transaction the planner would still see the
        # template's empty evaluation table. Untimed.
        env.flush_all()
        env.cr.execute(
            SQL(
                "ANALYZE %s, mail_message, mail_activity, mail_tracking_value, mail_followers",
                SQL.identifier(env[adapter.EVALUATION_MODEL]._table),
            )
        )
        return record(env)

    def start(env, campaign):
        adapter.call(campaign, "campaign_start")
        # Submitting needs every criterion scored (the evaluators' work, not measured); the
        # reason covers a proposal that differs from the suggestion.
        evaluations = campaign.evaluation_ids
        scores = {name: 70.0 for name in evaluations._fields if name.startswith(adapter.SCORE_PREFIX)}
        evaluations.write({**scores, "reason": "Benchmark"})
        return len(campaign.evaluation_ids)

    def submit(env, campaign):
        adapter.call(campaign.evaluation_ids, "evaluation_submit")
        return len(campaign.evaluation_ids)

    def approve(env, campaign):
        # Another approver than the submitter (admin): OdooBot, an approver too.
        adapter.call(campaign, "campaign_consolidate")
        adapter.call(campaign.with_user(SUPERUSER_ID), "campaign_approve_all")
        return len(campaign.evaluation_ids)

    results = [Result(name, "campaign", ["addon"]) for name in names]
    for _run in range(ctx.config.get("campaign_repeats", 1)):
        try:
            samples = run_chain(
                ctx.addon,
                [(record, start), (record_analyzed, submit), (record_analyzed, approve)],
                timeout=TIME_LIMITS[ctx.size],
            )
        except adapter.NotAvailable as exc:
            samples = []
            for result in results:
                result.error = f"n/a: {exc}"
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on
            samples = []
            for result in results:
                result.error = (
                    f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
                )
        for result, sample in zip(results, samples, strict=False):
            result.samples["addon"].append(sample)
            result.note = f"{sample.info or 0:,} evaluations"
            if sample.stopped:
                result.note = f"stopped after {TIME_LIMITS[ctx.size]} s: ≥ {sample.queries:,} queries so far"
        if len(samples) < len(results) or samples[-1].stopped:
            break
    for result in results:
        if not result.samples["addon"]:
            result.error = result.error or "not run: an earlier step was stopped"
    yield from results


def document_import(ctx):
    for count in ctx.config["imports"]:

        def setup(env, count=count):
            type_id = env.ref(f"{adapter.MODULE}.document_type_business_licence").id
            partners = env["res.partner"].create(
                [{"name": f"Bench import {i}", "is_company": True} for i in range(count)]
            )
            return [[str(p.id), str(type_id), make_uscc(p.id), "2024-01-01", "2030-12-31"] for p in partners]

        def action(env, rows):
            result = env[adapter.DOCUMENT_MODEL].load(
                ["partner_id/.id", "type_id/.id", "number", "issue_date", "expiry_date"], rows
            )
            if not result.get("ids") or len(result["ids"]) != len(rows):
                raise ValueError(f"import refused: {result.get('messages')}")
            return len(result["ids"])

        result = measure(
            f"Import {count:,} documents (load)",
            "import",
            [("addon", ctx.addon, setup, action)],
            1,
            capture=True,
        )
        result.count = count
        if not result.error:
            statements = result.last("addon").statements
            result.document_selects = count_statements(
                statements, r'^\s*SELECT\b.*\bFROM\s+"?partner_qualification_document"?(?!_)'
            )
        yield result


SCENARIOS = [
    confirmations,
    banners,
    accounting,
    exposure,
    qualification_search,
    register_report,
    document_import,
    campaign,
    reminder_cron,
]
