# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .const import PARTNER_ROLES
from .validation import check_number_vals

# Ten years of notice is already more than any document asks for.
MAX_REMINDER_DAYS = 3650


class PartnerQualificationDocumentType(models.Model):
    _name = "partner.qualification.document.type"
    _description = "Qualification Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical code; 'business_licence' and 'organization_code' get the "
        "Unified Social Credit Code checks.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    applies_to = fields.Selection(
        selection=PARTNER_ROLES,
        required=True,
        default="both",
        help="Partner role for which this document is expected.",
    )
    mandatory = fields.Boolean(
        help="Partners of the matching role must hold a valid document of this type: "
        "a missing or expired one blocks orders when the company requires it.",
    )
    has_expiry = fields.Boolean(
        string="Has Expiry Date",
        default=True,
        help="Documents of this type must carry an expiry date.",
    )
    reminder_days = fields.Integer(
        default=30,
        help="Days before the expiry date when the partner's applicant is reminded.",
    )
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)",
        "A document type code must be unique.",
    )
    _reminder_days_positive = models.Constraint(
        "CHECK(reminder_days >= 0)",
        "Reminder days cannot be negative.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_number_vals(self, vals, {"reminder_days": (0, MAX_REMINDER_DAYS)})
        return super().create(vals_list)

    def write(self, vals):
        check_number_vals(self, vals, {"reminder_days": (0, MAX_REMINDER_DAYS)})
        return super().write(vals)

    def _applies_to_role(self, role):
        """Types of ``self`` expected from a partner of ``role`` (False = unknown role)."""
        if role == "both":
            return self
        return self.filtered(lambda t: t.applies_to in ("both", role))
