# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .const import BUSINESS_LICENCE, ORGANIZATION_CODE, TAX_REGISTRATION

# Register columns (number, expiry) per certificate, in the printed register's order.
REGISTER_DOCUMENT_FIELDS = {
    BUSINESS_LICENCE: ("register_licence_number", "register_licence_expiry"),
    ORGANIZATION_CODE: ("register_org_code_number", "register_org_code_expiry"),
    TAX_REGISTRATION: ("register_tax_number", "register_tax_expiry"),
}


class ResPartner(models.Model):
    """The on-screen register: the certificates' numbers and expiry dates as the printed
    register shows them, and the grade / limit changes made outside a rating."""

    _inherit = "res.partner"

    register_licence_number = fields.Char(
        string="Business Licence (USCC)",
        compute="_compute_register_documents",
        groups="partner_qualification_credit.group_user",
    )
    register_licence_expiry = fields.Date(
        string="Licence Expiry",
        compute="_compute_register_documents",
        groups="partner_qualification_credit.group_user",
    )
    register_org_code_number = fields.Char(
        string="Organisation Code",
        compute="_compute_register_documents",
        groups="partner_qualification_credit.group_user",
    )
    register_org_code_expiry = fields.Date(
        string="Organisation Code Expiry",
        compute="_compute_register_documents",
        groups="partner_qualification_credit.group_user",
    )
    register_tax_number = fields.Char(
        string="Tax Registration",
        compute="_compute_register_documents",
        groups="partner_qualification_credit.group_user",
    )
    register_tax_expiry = fields.Date(
        string="Tax Registration Expiry",
        compute="_compute_register_documents",
        groups="partner_qualification_credit.group_user",
    )

    def _compute_register_documents(self):
        """The document the printed register shows, for all partners at once."""
        commercial = self.commercial_partner_id
        documents = self.env[
            "report.partner_qualification_credit.report_partner_register"
        ]._get_register_documents(commercial)
        for partner in self:
            partner_documents = documents.get(partner.commercial_partner_id.id, {})
            for type_code, (number_field, expiry_field) in REGISTER_DOCUMENT_FIELDS.items():
                document = partner_documents.get(type_code)
                partner[number_field] = document.number if document else False
                partner[expiry_field] = document.expiry_date if document else False

    def action_view_qualification_changes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.partner_qualification_change_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action
