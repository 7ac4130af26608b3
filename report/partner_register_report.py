# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The three certificates the rules list, in the register's column order.
REGISTER_DOCUMENT_TYPES = ("business_licence", "organization_code", "tax_registration")


class ReportPartnerRegister(models.AbstractModel):
    _name = "report.partner_qualification_credit.report_partner_register"
    _description = "Partner Register Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": self.env.company,
            "print_date": fields.Date.context_today(self),
            "register_types": REGISTER_DOCUMENT_TYPES,
            "documents": self._get_register_documents(partners),
        }

    @api.model
    def _get_register_documents(self, partners):
        """{partner id: {type code: latest active document}}, in one query."""
        documents = self.env["partner.qualification.document"].search(
            [("partner_id", "in", partners.ids), ("type_id.code", "in", REGISTER_DOCUMENT_TYPES)],
            order="expiry_date asc",
        )
        result = {}
        for document in documents:  # ascending: the latest expiry wins
            result.setdefault(document.partner_id.id, {})[document.type_id.code] = document
        return result
