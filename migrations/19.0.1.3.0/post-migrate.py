# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.partner_qualification_credit.migrations_check_reasons import keep_recorded_reasons


def migrate(cr, version):
    if version:
        keep_recorded_reasons(cr)
