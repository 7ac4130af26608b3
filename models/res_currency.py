# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def write(self, vals):
        result = super().write(vals)
        # The credit checks round with the rounding kept in the company settings'
        # cache (see ``res.company._get_credit_settings``).
        if "rounding" in vals:
            self.env.registry.clear_cache()
        return result
