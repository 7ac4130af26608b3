# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run inside ``odoo shell`` (``env`` is given): commit one admitted customer whose credit
limit admits only some of the quotations prepared for it, and a salesperson to confirm
them over JSON-RPC. Prints one JSON line for the firing script."""

import json
import os

from stdnum.cn import uscc

from odoo.fields import Command

ORDERS = int(os.environ.get("PQC_RACE_ORDERS", "24"))
LIMIT = float(os.environ.get("PQC_RACE_LIMIT", "10000"))
AMOUNT = 1000.0
LOGIN = "pqc_race_salesman"
PASSWORD = "pqc-race-Passw0rd"

env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True, mail_create_nolog=True))  # noqa: F821
company = env.ref("base.main_company")
env = env(context=dict(env.context, allowed_company_ids=[company.id]))
body = "91330100MARACE{:03d}".format(env["res.partner"].search_count([]) % 1000)
partner = env["res.partner"].create({"name": "Race Condition Trading Co.", "is_company": True})
partner.with_company(company).write(
    {
        "partner_role": "customer",
        "admission_state": "approved",
        "qualification_grade_id": env.ref("partner_qualification_credit.grade_c").id,
        "credit_limit": LIMIT,
    }
)
env["partner.qualification.document"].create(
    {
        "partner_id": partner.id,
        "type_id": env.ref("partner_qualification_credit.document_type_business_licence").id,
        "number": body + uscc.calc_check_digit(body),
        "issue_date": "2024-01-01",
        "expiry_date": "2099-12-31",
    }
)
user = env["res.users"].search([("login", "=", LOGIN)]) or env["res.users"].create(
    {
        "name": "Race Salesman",
        "login": LOGIN,
        "password": PASSWORD,
        "company_id": company.id,
        "company_ids": [Command.set(company.ids)],
        "group_ids": [
            Command.set(
                [
                    env.ref("sales_team.group_sale_salesman_all_leads").id,
                    env.ref("partner_qualification_credit.group_user").id,
                ]
            )
        ],
    }
)
product = env["product.product"].create({"name": "Race service", "type": "service", "taxes_id": False})
orders = env["sale.order"].create(
    [
        {
            "partner_id": partner.id,
            "company_id": company.id,
            "user_id": user.id,
            "order_line": [
                Command.create({"product_id": product.id, "price_unit": AMOUNT, "tax_ids": False})
            ],
        }
        for _i in range(ORDERS)
    ]
)
env.cr.commit()
print(
    "PQC_RACE "
    + json.dumps(
        {
            "login": LOGIN,
            "password": PASSWORD,
            "partner_id": partner.id,
            "order_ids": orders.ids,
            "limit": LIMIT,
            "amount": AMOUNT,
        }
    )
)
