# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from stdnum.cn import uscc

from odoo import api, fields, models

from .const import DOCUMENT_NUMBER_FORMATS, PARTNER_ROLES, compact_code
from .validation import check_number_vals

# Ten years of notice is already more than any document asks for.
MAX_REMINDER_DAYS = 3650
# What decides which partners must hold documents of a type (its role, ``applies_to``, is
# read with the partner's role, not stored).
REQUIREMENT_TYPE_FIELDS = {"mandatory", "active", "country_ids", "country_exclusion"}


class PartnerQualificationDocumentType(models.Model):
    _name = "partner.qualification.document.type"
    _description = "Qualification Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical code; 'business_licence', 'organization_code' and 'tax_registration' "
        "are the partner's identity in the admission checks.",
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
    country_ids = fields.Many2many(
        comodel_name="res.country",
        relation="partner_qualification_document_type_country_rel",
        column1="type_id",
        column2="country_id",
        string="Countries",
        help="Countries whose partners are expected to hold this document; empty: every country.",
    )
    country_exclusion = fields.Boolean(
        string="All Countries Except These",
        help="The document is expected from partners of every country except the ones listed "
        "(e.g. a foreign registration, for every country but China).",
    )
    number_format = fields.Selection(
        selection=DOCUMENT_NUMBER_FORMATS,
        required=True,
        default="none",
        help="How the number is checked. Unified Social Credit Code: 18 characters with a "
        "check character (GB 32100-2015), equal to the partner's tax ID and company registry "
        "when set. Organisation code: characters 9 to 17 of the partner's USCC. Free: no check.",
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
        types = super().create(vals_list)
        types.filtered("mandatory")._refresh_qualification_requirements()
        return types

    def write(self, vals):
        check_number_vals(self, vals, {"reminder_days": (0, MAX_REMINDER_DAYS)})
        res = super().write(vals)
        if vals.keys() & REQUIREMENT_TYPE_FIELDS:
            self._refresh_qualification_requirements()
        return res

    def _refresh_qualification_requirements(self):
        """Which partners must hold documents of types ``self`` changed: refresh them all."""
        if self:
            self.env["partner.qualification.requirement"]._refresh(type_ids=self.ids)

    def _applies_to_role(self, role):
        """Types of ``self`` expected from a partner of ``role`` (False = unknown role)."""
        if role == "both":
            return self
        return self.filtered(lambda t: t.applies_to in ("both", role))

    def _get_number_format_error(self, number):
        """Translated reason why ``number`` does not fit the type's number format, or ''."""
        self.ensure_one()
        if self.number_format == "uscc" and not uscc.is_valid(compact_code(number)):
            return self.env._(
                "%(number)s is not a valid Unified Social Credit Code: it must have 18 "
                "characters and a correct check character (GB 32100-2015). Copy the code "
                "exactly as printed on the %(type)s.",
                number=number,
                type=self.name,
            )
        if self.number_format == "organization_code" and len(compact_code(number)) != 9:
            return self.env._(
                "%(number)s is not an organisation code: it has 9 characters (characters 9 to 17 "
                "of the Unified Social Credit Code).",
                number=number,
            )
        return ""
