# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api

# The shipped document types are "noupdate": an upgrade does not give them the country
# and number format a new install has. Without them the licence would lose its USCC check.
SHIPPED_TYPES = {
    "document_type_business_licence": "uscc",
    "document_type_organization_code": "organization_code",
    "document_type_tax_registration": "none",
    "document_type_production_licence": "none",
    "document_type_safety_production_licence": "none",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    china = env.ref("base.cn")
    for xmlid, number_format in SHIPPED_TYPES.items():
        doc_type = env.ref(f"partner_qualification_credit.{xmlid}", raise_if_not_found=False)
        # Types the office already scoped are theirs.
        if doc_type and not doc_type.country_ids:
            doc_type.write({"country_ids": [(6, 0, china.ids)], "number_format": number_format})
