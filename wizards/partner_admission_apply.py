# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

from ..models.const import PARTNER_ROLES

# Partner fields the application fills in. The core ones are written with the applicant's
# own rights (any partner editor may write them); the register ones with superuser rights
# once the wizard's own checks passed, as the applicant is not an officer.
PARTNER_CORE_FIELDS = (
    "name",
    "vat",
    "company_registry",
    "street",
    "city",
    "zip",
    "country_id",
    "phone",
    "email",
    "website",
    "industry_id",
)
PARTNER_APPLICATION_FIELDS = PARTNER_CORE_FIELDS + (
    "registered_address",
    "registered_capital",
    "business_contact_name",
    "business_contact_phone",
    "business_manager_name",
    "business_manager_phone",
    "scale_class",
    "strategic_class",
)


class PartnerAdmissionApply(models.TransientModel):
    _name = "partner.admission.apply"
    _description = "Apply for Partner Admission"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Existing Partner",
        domain="[('is_company', '=', True), ('admission_state', 'not in', ('approved', 'in_review'))]",
        help="Leave empty to register a new partner.",
    )
    name = fields.Char(string="Partner Name", required=True)
    vat = fields.Char(string="Tax ID / USCC")
    company_registry = fields.Char()
    street = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    country_id = fields.Many2one(comodel_name="res.country")
    phone = fields.Char()
    email = fields.Char()
    website = fields.Char()
    industry_id = fields.Many2one(comodel_name="res.partner.industry")
    registered_address = fields.Char()
    currency_id = fields.Many2one(comodel_name="res.currency", related="company_id.currency_id")
    registered_capital = fields.Monetary(currency_field="currency_id")
    role = fields.Selection(selection=PARTNER_ROLES, required=True, default="customer")
    scale_class = fields.Selection(
        selection=[("large", "Large"), ("medium", "Medium"), ("small", "Small")],
        string="Scale",
    )
    strategic_class = fields.Selection(
        selection=[("core", "Core"), ("important", "Important"), ("general", "General")],
        string="Strategic Importance",
    )
    partner_profile = fields.Text(string="Profile")
    cooperation_content = fields.Text(required=True)
    business_contact_name = fields.Char(string="Business Contact")
    business_contact_phone = fields.Char()
    business_manager_name = fields.Char()
    business_manager_phone = fields.Char()
    document_line_ids = fields.One2many(
        comodel_name="partner.admission.apply.line",
        inverse_name="wizard_id",
        string="Qualification Documents",
    )

    # ------------------------------------------------------------
    # ONCHANGE
    # ------------------------------------------------------------

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id.commercial_partner_id
        if not partner:
            return
        for field_name in PARTNER_APPLICATION_FIELDS:
            self[field_name] = partner[field_name]
        self.role = partner.partner_role or self.role
        self.cooperation_content = partner.cooperation_content or self.cooperation_content

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("partner_qualification_credit.group_user"):
            raise AccessError(
                self.env._("Only users of Partner Qualification can apply for the admission of a partner.")
            )
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You can only apply for companies you work for (%(company)s).",
                    company=self.company_id.sudo().name,
                )
            )
        self._check_attachments()
        partner = self._get_or_create_partner()
        self._create_documents(partner)
        request = (
            self.env["partner.admission.request"]
            .sudo()
            .with_company(self.company_id)
            .create(self._prepare_request_values(partner))
        )
        request._submit()
        return {
            "type": "ir.actions.act_window",
            "res_model": "partner.admission.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _prepare_partner_values(self):
        vals = {name: self[name] for name in PARTNER_APPLICATION_FIELDS}
        for name, value in vals.items():
            if isinstance(value, models.BaseModel):
                vals[name] = value.id
        vals["partner_role"] = self.role
        return vals

    def _get_or_create_partner(self):
        """The partner to admit: the chosen one, checked, or a new company."""
        company_partner = self.env["res.partner"].with_company(self.company_id)
        vals = self._prepare_partner_values()
        if not self.partner_id:
            return company_partner.sudo().create({**vals, "is_company": True})
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id)
        if not partner.is_company:
            raise UserError(
                self.env._(
                    "%(partner)s is a person, not a company: apply for the company it works for.",
                    partner=partner.display_name,
                )
            )
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        if companies.search_count([("partner_id", "=", partner.id)], limit=1):
            raise UserError(
                self.env._(
                    "%(partner)s is one of our own companies: it is not admitted as a partner.",
                    partner=partner.display_name,
                )
            )
        company_name = self.company_id.sudo().name
        state = partner.sudo().admission_state
        if state not in ("approved", "in_review"):
            elsewhere = self._get_admission_state_elsewhere(partner)
            if elsewhere:
                state, company_name = elsewhere, self.env._("another company of the group")
        if state in ("approved", "in_review"):
            raise UserError(
                self.env._(
                    "%(partner)s is already %(state)s for %(company)s: an application is only for "
                    "partners not admitted yet. Changes to an admitted partner go through the "
                    "partner-management office.",
                    partner=partner.display_name,
                    state=dict(partner._fields["admission_state"]._description_selection(self.env)).get(
                        state
                    ),
                    company=company_name,
                )
            )
        # Partner details with the applicant's own rights; the register fields of the
        # application are protected (officers), written once the checks above passed.
        core_vals = self._get_changed_core_values(
            partner, {name: vals.pop(name) for name in PARTNER_CORE_FIELDS}
        )
        if core_vals:
            # Changing the partner's own details needs the right to edit contacts; an
            # application that keeps them as they are does not (e.g. a buyer).
            if not partner.has_access("write"):
                raise AccessError(
                    self.env._(
                        "You may not edit %(partner)s, and the application changes its details "
                        "(%(fields)s). Keep them as they are and ask the partner-management office "
                        "to correct them, or ask a colleague who may edit contacts to apply.",
                        partner=partner.display_name,
                        fields=", ".join(
                            partner._fields[name].get_description(self.env)["string"] for name in core_vals
                        ),
                    )
                )
            partner.write(core_vals)
        partner.sudo().write(vals)
        return partner

    def _get_changed_core_values(self, partner, core_vals):
        """The partner details the application really changes."""
        changed = {}
        for name, value in core_vals.items():
            current = partner._fields[name].convert_to_write(partner[name], partner)
            if (current or False) != (value or False):
                changed[name] = value
        return changed

    def _get_admission_state_elsewhere(self, partner):
        """'approved' or 'in_review' when ``partner`` is so in any company: an application
        would change the identity of a partner admitted (or being reviewed) there."""
        partner.flush_model(["admission_state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT kv.value
                  FROM res_partner p, jsonb_each_text(p.admission_state) kv
                 WHERE p.id = %s AND kv.value IN ('approved', 'in_review')
                 ORDER BY kv.value
                 LIMIT 1
                """,
                partner.id,
            )
        )
        return rows[0][0] if rows else False

    def _create_documents(self, partner):
        lines = self.document_line_ids
        if not lines:
            return self.env["partner.qualification.document"]
        documents = (
            self.env["partner.qualification.document"]
            .sudo()
            .create([line._prepare_document_values(partner) for line in lines])
        )
        for line, document in zip(lines, documents, strict=True):
            if line.attachment_ids:
                # Uploaded in the dialog: move them to the document they belong to.
                line.attachment_ids.sudo().write({"res_model": document._name, "res_id": document.id})
        return documents

    def _check_attachments(self):
        """Only files the applicant just uploaded in the dialog: never re-link
        attachments of other records through the superuser writes below."""
        attachments = self.document_line_ids.attachment_ids.sudo()
        foreign = attachments.filtered(lambda a: a.create_uid != self.env.user or a.res_id)
        if foreign:
            raise AccessError(
                self.env._(
                    "Attach the scanned copies by uploading them in the application: %(files)s "
                    "belong to other records.",
                    files=", ".join(foreign.mapped("name")),
                )
            )

    def _prepare_request_values(self, partner):
        return {
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "role": self.role,
            "partner_profile": self.partner_profile,
            "cooperation_content": self.cooperation_content,
            "applicant_id": self.env.uid,
        }


class PartnerAdmissionApplyLine(models.TransientModel):
    _name = "partner.admission.apply.line"
    _description = "Admission Application Document"

    wizard_id = fields.Many2one(comodel_name="partner.admission.apply", required=True, ondelete="cascade")
    type_id = fields.Many2one(
        comodel_name="partner.qualification.document.type",
        string="Document Type",
        required=True,
    )
    number = fields.Char(required=True)
    issuing_authority = fields.Char()
    issue_date = fields.Date()
    expiry_date = fields.Date()
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="partner_admission_apply_line_attachment_rel",
        column1="line_id",
        column2="attachment_id",
        string="Scanned Copies",
    )

    def _prepare_document_values(self, partner):
        self.ensure_one()
        return {
            "partner_id": partner.id,
            "type_id": self.type_id.id,
            "number": self.number,
            "issuing_authority": self.issuing_authority,
            "issue_date": self.issue_date,
            "expiry_date": self.expiry_date,
            "attachment_ids": [Command.set(self.attachment_ids.ids)],
        }
