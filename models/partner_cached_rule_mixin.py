# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class PartnerCachedRuleMixin(models.AbstractModel):
    """Records the credit engine keeps a summary of in the registry cache (grades' rule
    values, whether the prohibited list has an entry, which partners have a temporary
    increase): every change that may alter the summary clears the cache, in every
    worker (Odoo signals the clear to the others)."""

    _name = "partner.cached.rule.mixin"
    _description = "Credit Engine: Records Summarised in the Registry Cache"

    # Fields whose change alters the summary; None: any change.
    _cached_rule_fields = None

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._cached_rule_fields is None or not vals.keys().isdisjoint(self._cached_rule_fields):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
