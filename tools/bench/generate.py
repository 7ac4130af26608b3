# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The benchmark data, identical in the plain and the addon database.

One bundle of history (confirmed sale order partly invoiced, invoice partly paid,
purchase order partly billed) is made through the ORM, then copied in SQL (clone.py).
The addon database additionally admits the partners, gives them their documents and
holds the 50,000 qualification documents and the campaign."""

import json
from datetime import timedelta

import adapter
from clone import clone_record, clone_seed, max_ids
from stdnum.cn import uscc

from odoo import Command, fields

SIZES = {
    # history: bundles of each heavy partner; the last size also gets a "90% settled" variant.
    # smoke: every kind of measurement once, no warm-up, on tiny data, for a new partner and
    # the largest history only: it proves the harness runs, its figures mean nothing.
    "smoke": {
        "history": [3, 10, 30],
        "partners": 400,
        "admitted": 40,
        "imports": [5, 20],
        "repeats": 1,
        "warmup": False,
        "partners_measured": ["new", "30"],
    },
    "full": {
        "history": [100, 1000, 10000],
        "partners": 50000,
        "admitted": 5000,
        "imports": [50, 500],
        "repeats": 3,
    },
}
HISTORY_TABLES = [
    "sale_order",
    "sale_order_line",
    "account_move",
    "account_move_line",
    "account_payment",
    "account_partial_reconcile",
    "account_full_reconcile",
    "purchase_order",
    "purchase_order_line",
]
META_KEY = "pqc_bench.meta"
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}
LIMIT = 1e12


def make_uscc(number):
    body = f"91330100{number:09d}"
    return body + uscc.calc_check_digit(body)


def make_products(env):
    Product = env["product.product"]
    common = {"list_price": 100.0, "standard_price": 100.0}
    return {
        # invoiced/billed on order: the part of each bundle that is invoiced
        "service": Product.create(
            {
                **common,
                "name": "Bench service",
                "default_code": "BENCH-SVC",
                "type": "service",
                "invoice_policy": "order",
                "purchase_method": "purchase",
            }
        ).id,
        # invoiced/billed on delivery/receipt, never delivered: the open part
        "service_open": Product.create(
            {
                **common,
                "name": "Bench service (on delivery)",
                "default_code": "BENCH-SVC-OPEN",
                "type": "service",
                "invoice_policy": "delivery",
                "purchase_method": "receive",
            }
        ).id,
        "storable": Product.create(
            {
                **common,
                "name": "Bench storable",
                "default_code": "BENCH-STOCK",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "order",
                "purchase_method": "purchase",
            }
        ).id,
    }


def make_partner(env, name, addon, role="both", admitted=True, document=True, number=0):
    """A company partner with a credit limit; in the addon database admitted (grade C)
    with a valid business licence, as an approved admission leaves it."""
    vals = {"name": name, "is_company": True, "customer_rank": 1, "supplier_rank": 1}
    if addon:
        vals["partner_role"] = role
    partner = env["res.partner"].create(vals)
    partner.with_company(env.company).sudo().credit_limit = LIMIT
    if addon and admitted:
        partner.sudo().write(
            {"admission_state": "approved", "qualification_grade_id": env.ref(f"{adapter.MODULE}.grade_c").id}
        )
    if addon and document:
        env[adapter.DOCUMENT_MODEL].create(
            {
                "partner_id": partner.id,
                "type_id": env.ref(f"{adapter.MODULE}.document_type_business_licence").id,
                "number": make_uscc(number or partner.id),
                "issue_date": "2024-01-01",
                "expiry_date": "2099-12-31",
            }
        )
    return partner


def pay(env, moves, amount=None):
    vals = {"payment_date": fields.Date.context_today(env.user)}
    if amount is not None:
        vals["amount"] = amount
    wizard = env["account.payment.register"].with_context(active_model="account.move", active_ids=moves.ids)
    wizard.create(vals).action_create_payments()


def make_bundle(env, partner, products, settled):
    """Settled: everything invoiced, billed and paid. Open: half of the sale invoiced and
    half of that paid, half of the purchase billed."""
    today = fields.Date.context_today(env.user)
    lines = [products["service"]] if settled else [products["service"], products["service_open"]]
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": p, "product_uom_qty": 10, "price_unit": 100.0}) for p in lines
            ],
        }
    )
    order.action_confirm()
    invoice = order._create_invoices()
    invoice.action_post()
    pay(env, invoice, None if settled else invoice.amount_total / 2)
    purchase = env["purchase.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": p, "product_qty": 10, "price_unit": 100.0}) for p in lines
            ],
        }
    )
    purchase.button_confirm()
    purchase.action_create_invoice()
    bill = purchase.invoice_ids
    bill.invoice_date = today
    bill.action_post()
    if settled:
        pay(env, bill)


def make_history(env, partner, products, open_count, settled_count):
    cr = env.cr
    for settled, count in ((False, open_count), (True, settled_count)):
        if not count:
            continue
        env.flush_all()
        before = max_ids(cr, HISTORY_TABLES)
        make_bundle(env, partner, products, settled)
        env.flush_all()
        clone_seed(cr, before, max_ids(cr, HISTORY_TABLES), count - 1)
        env.invalidate_all()


def make_mass(env, addon, count, admitted):
    """``count`` company partners copied in SQL; in the addon database the first
    ``admitted`` are admitted customers, all are customers with one business licence,
    15% of which are due for a reminder (5% expired, 10% expiring)."""
    cr = env.cr
    ids = []
    groups = [(admitted, True), (count - admitted, False)] if addon else [(count, True)]
    seeds = [
        (
            size,
            make_partner(
                env, f"Bench mass seed {index}", addon, role="customer", admitted=is_admitted, document=False
            ),
        )
        for index, (size, is_admitted) in enumerate(groups)
        if size
    ]
    env.flush_all()
    for size, seed in seeds:
        name = f"'Bench partner ' || (g + {len(ids)})"
        ids += clone_record(cr, "res_partner", seed.id, size, {"name": name, "complete_name": name})
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    if addon:
        seed_document = make_partner(
            env, "Bench document seed", addon, document=True
        ).qualification_document_ids
        env.flush_all()
        first = ids[0]
        assert ids == list(range(first, first + len(ids))), "mass partners are not contiguous"
        due = (
            "CASE WHEN g % 20 = 0 THEN current_date - 10 WHEN g % 20 IN (1, 2) THEN current_date + 10 "
            "ELSE current_date + 730 END"
        )
        clone_record(
            cr,
            "partner_qualification_document",
            seed_document.id,
            len(ids),
            {
                "partner_id": f"{first} + g - 1",
                "number": f"'BENCH-' || ({first} + g - 1)",
                "expiry_date": due,
                "state": "CASE WHEN g % 20 = 0 THEN 'expired' WHEN g % 20 IN (1, 2) THEN 'expiring' "
                "ELSE 'valid' END",
            },
        )
    env.invalidate_all()
    return ids


def generate(env, size):
    config = SIZES[size]
    addon = adapter.is_installed(env)
    env = env(context=dict(env.context, **QUIET))
    products = make_products(env)
    heavy = {}
    for count in config["history"]:
        partner = make_partner(env, f"Bench heavy {count}", addon)
        make_history(env, partner, products, count, 0)
        heavy[str(count)] = partner.id
    last = config["history"][-1]
    partner = make_partner(env, f"Bench heavy {last} settled", addon)
    make_history(env, partner, products, last // 10, last - last // 10)
    heavy[f"{last}s"] = partner.id
    mass = make_mass(env, addon, config["partners"], config["admitted"])
    meta = {"size": size, "products": products, "heavy": heavy, "mass": [mass[0], mass[-1]]}
    if addon:
        today = fields.Date.context_today(env.user)
        meta["campaign"] = (
            env[adapter.CAMPAIGN_MODEL]
            .create(
                {
                    "name": "Bench campaign",
                    "scope": "customer",
                    "date_from": today - timedelta(days=365),
                    "date_to": today,
                }
            )
            .id
        )
    env["ir.config_parameter"].sudo().set_param(META_KEY, json.dumps(meta))
    env.flush_all()
    if addon:
        # Steady state: the nightly job has compacted the open balances the database
        # maintains (the history above wrote one delta row per journal item and order).
        model_name = adapter.METHODS["credit_balance_compact"][0]
        if model_name in env:
            adapter.call(env[model_name], "credit_balance_compact")
    env.cr.execute("ANALYZE")
    return meta
