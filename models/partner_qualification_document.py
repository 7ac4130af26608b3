# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .const import (
    DOCUMENT_STATES,
    IDENTITY_DOCUMENT_TYPES,
    compact_code,
    uscc_organization_code,
)
from .validation import check_date_vals

DOCUMENT_DATE_FIELDS = ("issue_date", "expiry_date")


class PartnerQualificationDocument(models.Model):
    _name = "partner.qualification.document"
    _description = "Partner Qualification Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, type_sequence, expiry_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        related="partner_id.company_id",
        store=True,
        index=True,
    )
    type_id = fields.Many2one(
        comodel_name="partner.qualification.document.type",
        string="Document Type",
        required=True,
        ondelete="restrict",
        tracking=True,
    )
    type_code = fields.Char(related="type_id.code")
    type_sequence = fields.Integer(related="type_id.sequence", store=True)
    has_expiry = fields.Boolean(related="type_id.has_expiry")
    number = fields.Char(required=True, tracking=True)
    issuing_authority = fields.Char()
    issue_date = fields.Date(tracking=True)
    expiry_date = fields.Date(tracking=True, index=True)
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="partner_qualification_document_attachment_rel",
        column1="document_id",
        column2="attachment_id",
        string="Scanned Copies",
    )
    state = fields.Selection(
        selection=DOCUMENT_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        help="Refreshed daily by the reminder scheduled action.",
    )
    reminder_state = fields.Selection(
        selection=[("expiring", "Expiring"), ("expired", "Expired")],
        copy=False,
        readonly=True,
        help="Last expiry threshold for which a reminder activity was scheduled.",
    )
    verified_by_id = fields.Many2one(comodel_name="res.users", string="Verified By", readonly=True)
    verified_date = fields.Date(readonly=True)
    note = fields.Text()
    active = fields.Boolean(default=True)

    # The requirement queries aggregate the latest expiry per partner and type of the
    # active documents: read from the index alone.
    _partner_type_expiry_idx = models.Index("(partner_id, type_id, expiry_date) WHERE active")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("expiry_date", "type_id.reminder_days")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for document in self:
            document.state = document._get_state_at(today)

    def _get_state_at(self, date):
        self.ensure_one()
        if not self.expiry_date:
            return "valid"
        if self.expiry_date < date:
            return "expired"
        if self.expiry_date <= date + timedelta(days=self.type_id.reminder_days):
            return "expiring"
        return "valid"

    @api.depends("type_id", "number")
    def _compute_display_name(self):
        for document in self:
            document.display_name = " ".join(filter(None, [document.type_id.name, document.number]))

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("issue_date", "expiry_date", "type_id")
    def _check_dates(self):
        for document in self:
            if document.type_id.has_expiry and not document.expiry_date:
                raise ValidationError(
                    self.env._(
                        "%(type)s documents need an expiry date: enter the date printed on %(document)s.",
                        type=document.type_id.name,
                        document=document.display_name,
                    )
                )
            if document.issue_date and document.expiry_date and document.expiry_date < document.issue_date:
                raise ValidationError(
                    self.env._(
                        "The expiry date of %(document)s (%(expiry)s) is before its issue date "
                        "(%(issue)s): correct one of the two dates.",
                        document=document.display_name,
                        expiry=document.expiry_date,
                        issue=document.issue_date,
                    )
                )

    @api.constrains("partner_id", "type_id", "state", "active")
    def _check_single_valid_document(self):
        valid = self.filtered(lambda d: d.active and d.state == "valid")
        if not valid:
            return
        groups = self._read_group(
            [
                ("partner_id", "in", valid.partner_id.ids),
                ("type_id", "in", valid.type_id.ids),
                ("state", "=", "valid"),
            ],
            groupby=["partner_id", "type_id"],
            aggregates=["__count"],
            having=[("__count", ">", 1)],
        )
        for partner, doc_type, _count in groups:
            raise ValidationError(
                self.env._(
                    "%(partner)s already holds a valid %(type)s. Archive the old document "
                    "(or correct its expiry date) before adding a new one.",
                    partner=partner.display_name,
                    type=doc_type.name,
                )
            )

    @api.constrains("number", "type_id", "partner_id")
    def _check_number(self):
        for document in self:
            error = document.type_id._get_number_format_error(document.number)
            if error:
                raise ValidationError(error)
            if document.type_id.number_format == "uscc":
                document._check_business_licence_number()
            elif document.type_id.number_format == "organization_code":
                document._check_organization_code_number()

    def _check_business_licence_number(self):
        """A USCC is the partner's tax ID and registry number too: they must agree."""
        code = compact_code(self.number)
        partner = self.partner_id
        for field_name in ("vat", "company_registry"):
            registered = compact_code(partner[field_name])
            if registered and registered != code:
                raise ValidationError(
                    self.env._(
                        "The business licence code %(code)s does not match the %(field)s "
                        "of %(partner)s (%(value)s): correct the licence number or the partner.",
                        code=code,
                        field=partner._fields[field_name].get_description(self.env)["string"],
                        partner=partner.display_name,
                        value=partner[field_name],
                    )
                )

    def _check_organization_code_number(self):
        licence_code = self.partner_id._get_unified_social_credit_code()
        if licence_code and uscc_organization_code(licence_code) != compact_code(self.number):
            raise ValidationError(
                self.env._(
                    "The organisation code %(number)s does not match characters 9 to 17 of "
                    "the Unified Social Credit Code %(code)s of %(partner)s (%(expected)s).",
                    number=self.number,
                    code=licence_code,
                    partner=self.partner_id.display_name,
                    expected=uscc_organization_code(licence_code),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_verify(self):
        """Record that the office checked the original against the scanned copy."""
        if not self.env.user.has_group("partner_qualification_credit.group_officer"):
            raise AccessError(
                self.env._("Only the partner-management office (Officer) can verify documents.")
            )
        self.write({"verified_by_id": self.env.uid, "verified_date": fields.Date.context_today(self)})

    # ------------------------------------------------------------
    # Admission workflow: a new licence number is a new identity
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_date_vals(self, vals, DOCUMENT_DATE_FIELDS)
        documents = super().create(vals_list)
        documents._refresh_qualification_requirements(documents.partner_id)
        documents._bind_scans()
        documents._get_identity_changed_partners(documents)._reopen_admission_on_identity_change()
        return documents

    def write(self, vals):
        check_date_vals(self, vals, DOCUMENT_DATE_FIELDS)
        if "expiry_date" in vals and "reminder_state" not in vals:
            # A new expiry date starts its own reminders (e.g. after an extension).
            vals = {**vals, "reminder_state": False}
        requirement_partners = (
            self.partner_id if vals.keys() & {"partner_id", "type_id", "expiry_date", "active"} else None
        )
        watched = vals.keys() & {"number", "type_id", "partner_id", "active"}
        before = {
            document.id: (
                document.partner_id.commercial_partner_id,
                document.type_id,
                document.active and document.type_code in IDENTITY_DOCUMENT_TYPES,
                compact_code(document.number),
            )
            for document in self
            if watched
        }
        res = super().write(vals)
        if requirement_partners is not None:
            self._refresh_qualification_requirements(requirement_partners | self.partner_id)
        if before:
            changed = self.env["res.partner"]
            relocated = self.env["partner.qualification.document"]
            for document in self:
                old_partner, old_type, old_identity, old_number = before[document.id]
                moved = (
                    old_partner != document.partner_id.commercial_partner_id or old_type != document.type_id
                )
                if old_identity and moved:
                    # The partner loses this identity document: a new one may follow.
                    changed |= old_partner
                if not (document.active and document.type_code in IDENTITY_DOCUMENT_TYPES):
                    continue  # archiving is the normal renewal
                if old_identity and not moved:
                    if compact_code(document.number) != old_number:
                        changed |= old_partner
                else:
                    # New identity document for its partner: unarchived, moved or retyped.
                    relocated |= document
            changed |= relocated._get_identity_changed_partners(self)
            changed._reopen_admission_on_identity_change()
        if "attachment_ids" in vals:
            self._bind_scans()
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        self._refresh_qualification_requirements(partners)
        return res

    @api.model
    def _refresh_qualification_requirements(self, partners):
        """The best expiry of ``partners``' mandatory documents changed: refresh it."""
        if partners:
            self.env["partner.qualification.requirement"]._refresh(partner_ids=partners.ids)

    def _bind_scans(self):
        """Bind the scans uploaded with a new document to it (they arrive unbound): Odoo
        then checks the document's access to read them. Only the uploader's own unbound
        files are taken, never another record's file."""
        for document in self:
            scans = document.attachment_ids.sudo().filtered(
                lambda a: not a.res_id and a.create_uid.id == self.env.uid
            )
            if scans:
                scans.write({"res_model": document._name, "res_id": document.id, "public": False})

    def _get_identity_changed_partners(self, new_documents):
        """Commercial partners of the active identity documents ``self`` whose number
        differs from the latest other document of the same type, archived ones included:
        a renewal archives the old licence before recording the new one."""
        identities = self.filtered(lambda d: d.active and d.type_code in IDENTITY_DOCUMENT_TYPES)
        if not identities:
            return self.env["res.partner"]
        # One query for the whole batch (an import creates hundreds of licences at once).
        latest_ids = [
            latest_id
            for _partner, _type, latest_id in self.with_context(active_test=False)._read_group(
                [
                    ("partner_id", "in", identities.partner_id.ids),
                    ("type_id", "in", identities.type_id.ids),
                    ("id", "not in", new_documents.ids),
                ],
                groupby=["partner_id", "type_id"],
                aggregates=["id:max"],
            )
        ]
        previous = {
            (document.partner_id.id, document.type_id.id): compact_code(document.number)
            for document in self.browse(latest_ids)
        }
        changed = self.env["res.partner"]
        for document in identities:
            number = previous.get((document.partner_id.id, document.type_id.id))
            if number is not None and number != compact_code(document.number):
                changed |= document.partner_id.commercial_partner_id
        return changed
