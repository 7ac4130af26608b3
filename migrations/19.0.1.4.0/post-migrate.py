# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The requirement snapshot is new: fill it from the existing partners and documents
    (one statement)."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["partner.qualification.requirement"]._refresh()
    # Statistics now, not at the next autovacuum: the filters' plans rely on them.
    cr.execute("ANALYZE partner_qualification_requirement")
