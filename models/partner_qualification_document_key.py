# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .const import compact_code


class PartnerQualificationDocument(models.Model):
    """The number of a document as the prohibited list compares it, stored for the
    matching query (see ``partner.prohibited.entry._get_match_part``)."""

    _name = "partner.qualification.document"
    _inherit = ["partner.qualification.document", "partner.credit.guard.mixin"]

    # A client setting it would hide a listed number.
    number_key = fields.Char(compute="_compute_number_key", store=True, precompute=True)
    _credit_guarded_fields = ("number_key",)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("number")
    def _compute_number_key(self):
        for document in self:
            document.number_key = compact_code(document.number) or False

    def _get_credit_guard_hint(self):
        return self.env._("change the number instead.")
