# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.partner_qualification_credit.migrations_relationship import save_global_columns


def migrate(cr, version):
    if version:
        save_global_columns(cr)
