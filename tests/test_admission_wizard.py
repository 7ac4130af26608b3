# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import PartnerQualificationCommon, make_uscc


@tagged("post_install", "-at_install")
class TestAdmissionWizard(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Updating an existing partner takes the right to edit partners (Contact Creation).
        cls.editor = new_test_user(
            cls.env,
            "pqc_partner_editor",
            groups="partner_qualification_credit.group_user,base.group_partner_manager",
        )

    def _apply(self, user=None, **values):
        vals = {
            "name": "Ningbo Haiyun Logistics Co., Ltd.",
            "vat": make_uscc("91330200MA2AAAAA0"),
            "role": "supplier",
            "cooperation_content": "Sea freight Ningbo - Rotterdam",
            "business_contact_name": "Li Na",
            "business_contact_phone": "+86 574 1234 5678",
            "business_manager_name": "Chen Gang",
            "registered_address": "88 Zhongshan Road, Ningbo",
        }
        vals.update(values)
        wizard = self.env["partner.admission.apply"].with_user(user or self.user).create(vals)
        action = wizard.action_apply()
        return self.env["partner.admission.request"].browse(action["res_id"])

    @freeze_time("2026-06-01")
    def test_wizard_creates_partner_documents_and_submitted_request(self):
        code = make_uscc("91330200MA2AAAAA0")
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.user)
            .create(
                {
                    "name": "licence.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 scan"),
                    "res_model": "partner.admission.apply.line",
                }
            )
        )
        request = self._apply(
            document_line_ids=[
                Command.create(
                    {
                        "type_id": self.type_licence.id,
                        "number": code,
                        "issue_date": "2020-03-01",
                        "expiry_date": "2040-02-28",
                        "attachment_ids": [Command.set(attachment.ids)],
                    }
                ),
                Command.create(
                    {"type_id": self.type_org_code.id, "number": code[8:17], "expiry_date": "2040-02-28"}
                ),
            ]
        )
        partner = request.partner_id
        self.assertRecordValues(
            partner,
            [
                {
                    "name": "Ningbo Haiyun Logistics Co., Ltd.",
                    "is_company": True,
                    "vat": code,
                    "admission_state": "in_review",
                    "partner_role": "supplier",
                    "business_contact_name": "Li Na",
                    "business_manager_name": "Chen Gang",
                    "registered_address": "88 Zhongshan Road, Ningbo",
                }
            ],
        )
        self.assertEqual(partner.qualification_document_ids.type_id, self.type_licence | self.type_org_code)
        licence = partner.qualification_document_ids.filtered(lambda d: d.type_id == self.type_licence)
        self.assertEqual(licence.attachment_ids, attachment)
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("partner.qualification.document", licence.id)
        )
        self.assertRecordValues(
            request,
            [
                {
                    "state": "submitted",
                    "applicant_id": self.user.id,
                    "role": "supplier",
                    "cooperation_content": "Sea freight Ningbo - Rotterdam",
                    "check_prohibited_result": "pass",
                    "check_documents_result": "pass",
                    "check_numbers_result": "pass",
                    "check_duplicates_result": "pass",
                }
            ],
        )
        self.assertIn(self.user.partner_id, request.message_partner_ids)
        self.assertTrue(request.activity_ids.filtered(lambda a: a.user_id == self.officer))
        # The applicant sees the request (own requests rule).
        self.assertEqual(request.with_user(self.user).state, "submitted")

    def test_wizard_updates_existing_partner(self):
        form = Form(self.env["partner.admission.apply"].with_user(self.editor))
        form.partner_id = self.customer
        self.assertEqual(form.name, self.customer.name)
        self.assertEqual(form.role, "customer")
        form.vat = self.uscc_customer
        form.cooperation_content = "Steel coils"
        wizard = form.save()
        request = self.env["partner.admission.request"].browse(wizard.action_apply()["res_id"])
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(self.customer.vat, self.uscc_customer)
        self.assertEqual(self.customer.admission_state, "in_review")
        self.assertEqual(request.check_documents_result, "fail")

    def test_wizard_refuses_admitted_or_pending_partner(self):
        self.admit(self.customer)
        with self.assertRaisesRegex(UserError, "already Approved"):
            self._apply(self.editor, partner_id=self.customer.id, name="Renamed by the back door")
        self.assertEqual(self.customer.name, "Hangzhou Xinhe Trading Co., Ltd.")
        self._apply(self.editor, partner_id=self.supplier.id, name=self.supplier.name)
        with self.assertRaisesRegex(UserError, "already In Review"):
            self._apply(self.editor, partner_id=self.supplier.id, name=self.supplier.name)

    def test_wizard_refuses_partner_admitted_in_another_company(self):
        # Regression: only the current company's state was looked at.
        company_2 = self.env["res.company"].create({"name": "Sister Steel Co"})
        self.customer.with_company(company_2).sudo().admission_state = "approved"
        with self.assertRaisesRegex(UserError, "already Approved for another company"):
            self._apply(self.editor, partner_id=self.customer.id, name="Renamed by the back door")
        self.assertEqual(self.customer.name, "Hangzhou Xinhe Trading Co., Ltd.")

    def test_wizard_existing_partner_needs_write_access(self):
        # Regression: reading the partner was enough to rename it and change its VAT.
        with self.assertRaises(AccessError):
            self._apply(partner_id=self.customer.id, name="Renamed by the back door", vat="CN123")
        self.assertRecordValues(self.customer, [{"name": "Hangzhou Xinhe Trading Co., Ltd.", "vat": False}])

    def test_wizard_refuses_our_own_company(self):
        # Regression: the partner of a res.company could be renamed through an application.
        company_partner = self.company.partner_id
        name = company_partner.name
        company_partner.is_company = True
        with self.assertRaisesRegex(UserError, "one of our own companies"):
            self._apply(self.editor, partner_id=company_partner.id, name="Renamed by the back door")
        self.assertEqual(self.company.name, name)

    def test_wizard_refuses_foreign_attachments(self):
        other = self.env["ir.attachment"].create(
            {"name": "contract.pdf", "raw": b"secret", "res_model": "res.partner", "res_id": self.customer.id}
        )
        with self.assertRaisesRegex(AccessError, "belong to other records"):
            self._apply(
                document_line_ids=[
                    Command.create(
                        {
                            "type_id": self.type_tax.id,
                            "number": "TAX-1",
                            "attachment_ids": [Command.set(other.ids)],
                        }
                    )
                ]
            )
        self.assertEqual(other.res_model, "res.partner")

    def test_wizard_needs_partner_qualification_user(self):
        employee = new_test_user(self.env, "pqc_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self._apply(user=employee)

    def test_wizard_invalid_licence_number(self):
        with self.assertRaisesRegex(ValidationError, "not a valid Unified Social Credit Code"):
            self._apply(
                document_line_ids=[
                    Command.create(
                        {"type_id": self.type_licence.id, "number": "123", "expiry_date": "2040-01-01"}
                    )
                ]
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Ningbo Haiyun Logistics Co., Ltd.")]))

    def test_wizard_only_for_own_companies(self):
        company_2 = self.env["res.company"].create({"name": "Sister Steel Co"})
        with self.assertRaisesRegex(AccessError, "companies you work for"):
            self._apply(company_id=company_2.id)
