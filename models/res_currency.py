# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

# What the company settings' cache keeps of a currency (see ``res.company._get_credit_settings``).
CREDIT_CURRENCY_FIELDS = frozenset({"rounding", "decimal_places", "symbol", "position"})


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def write(self, vals):
        result = super().write(vals)
        # The credit checks round and print amounts with what the company settings'
        # cache keeps of the currency.
        if CREDIT_CURRENCY_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        return result
