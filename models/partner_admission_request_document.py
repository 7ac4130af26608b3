# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .const import compact_code

# The applicant completes its application while it is in its hands.
EDITABLE_STATES = ("draft", "returned")


class PartnerAdmissionRequestDocument(models.Model):
    """A qualification document the applicant adds to its own request (e.g. asked for
    by the office): recorded on the partner when the request is approved."""

    _name = "partner.admission.request.document"
    _description = "Admission Request Document"
    _order = "request_id, id"

    request_id = fields.Many2one(
        comodel_name="partner.admission.request",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    type_id = fields.Many2one(
        comodel_name="partner.qualification.document.type",
        string="Document Type",
        required=True,
        ondelete="restrict",
    )
    has_expiry = fields.Boolean(related="type_id.has_expiry")
    number = fields.Char(required=True)
    issuing_authority = fields.Char()
    issue_date = fields.Date()
    expiry_date = fields.Date()
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="partner_admission_request_document_attachment_rel",
        column1="line_id",
        column2="attachment_id",
        string="Scanned Copies",
    )
    document_id = fields.Many2one(
        comodel_name="partner.qualification.document",
        string="Recorded Document",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("type_id", "number", "issue_date", "expiry_date")
    def _check_document(self):
        for line in self:
            error = line.type_id._get_number_format_error(line.number)
            if error:
                raise ValidationError(error)
            if line.type_id.has_expiry and not line.expiry_date:
                raise ValidationError(
                    self.env._("%(type)s documents need an expiry date.", type=line.type_id.name)
                )
            if line.issue_date and line.expiry_date and line.expiry_date < line.issue_date:
                raise ValidationError(
                    self.env._(
                        "The expiry date of %(type)s is before its issue date.", type=line.type_id.name
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                vals.pop("document_id", None)
        lines = super().create(vals_list)
        lines.request_id._check_documents_editable()
        return lines

    def write(self, vals):
        if not self.env.su:
            self.request_id._check_documents_editable()
            if "document_id" in vals or "request_id" in vals:
                raise AccessError(self.env._("A document line stays on its request."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if not self.env.su:
            self.request_id._check_documents_editable()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_valid_type_ids(self, date):
        """Types covered by a line of ``self`` valid on ``date``."""
        return {line.type_id.id for line in self if not line.expiry_date or line.expiry_date >= date}

    def _record_on_partner(self):
        """Create the partner's documents (approval): a line repeating a document the
        partner holds is linked to it, a newer one replaces (archives) the valid one."""
        Document = self.env["partner.qualification.document"].sudo()
        for line in self.filtered(lambda line: not line.document_id):
            partner = line.request_id.partner_id.commercial_partner_id
            current = Document.search(
                [("partner_id", "=", partner.id), ("type_id", "=", line.type_id.id), ("state", "=", "valid")]
            )
            number = compact_code(line.number)
            same = current.filtered(lambda d, number=number: compact_code(d.number) == number)
            if same:
                line.sudo().document_id = same[:1]
                continue
            current.action_archive()
            document = Document.create(
                {
                    "partner_id": partner.id,
                    "type_id": line.type_id.id,
                    "number": line.number,
                    "issuing_authority": line.issuing_authority,
                    "issue_date": line.issue_date,
                    "expiry_date": line.expiry_date,
                    "attachment_ids": [fields.Command.set(line.attachment_ids.ids)],
                }
            )
            line.sudo().document_id = document


class PartnerAdmissionRequest(models.Model):
    _inherit = "partner.admission.request"

    document_line_ids = fields.One2many(
        comodel_name="partner.admission.request.document",
        inverse_name="request_id",
        string="Documents Added",
    )

    def _check_documents_editable(self):
        """Only the applicant (or the office) adds documents, while the request is in the
        applicant's hands: what the office reviewed is what gets approved."""
        is_officer = self.env.user.has_group("partner_qualification_credit.group_officer")
        for request in self:
            if request.state not in EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: documents are added while it is a draft or "
                        "returned for information.",
                        request=request.display_name,
                        state=request._get_state_label(),
                    )
                )
            if not (is_officer or request._is_own_request()):
                raise AccessError(
                    self.env._(
                        "Only the applicant of %(request)s or the office can add its documents.",
                        request=request.display_name,
                    )
                )

    def _admit_partner(self):
        # The documents are the partner's before the admission is written.
        self.document_line_ids._record_on_partner()
        return super()._admit_partner()
