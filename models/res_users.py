# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .res_partner import GUARDED_FIELDS


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def default_get(self, fields):
        """A user carries its partner's fields (``_inherits``): a client-supplied
        ``default_<protected field>`` is ignored here too, as on the partner."""
        if not self.env.su:
            forged = {f"default_{name}" for name in GUARDED_FIELDS} & self.env.context.keys()
            if forged:
                context = {key: value for key, value in self.env.context.items() if key not in forged}
                return super(ResUsers, self.with_env(self.env(context=context))).default_get(fields)
        return super().default_get(fields)
