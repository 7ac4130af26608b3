# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .test_admission_request import AdmissionCommon


@tagged("post_install", "-at_install")
class TestAdmissionReport(AdmissionCommon):
    def test_application_form_renders(self):
        self.customer.sudo().write(
            {"business_contact_name": "Wang Fang", "registered_address": "1 Wensan Road"}
        )
        self.create_document(self.customer)
        request = self.make_request()
        request.with_user(self.officer).review_opinion = "Licence consistent, fits the steel business."
        request.with_user(self.officer).action_review()
        self.assess_credit(request)
        request.with_user(self.approver).approval_note = "Approved for a trial year."
        request.with_user(self.approver).action_approve()
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "partner_qualification_credit.action_report_partner_admission_request", request.ids
        )
        html = html.decode()
        for text in (
            "Admission Application",
            request.name,
            "Hangzhou Xinhe Trading Co., Ltd.",
            "Cold-rolled steel coils",
            "Wang Fang",
            "1 Wensan Road",
            self.uscc_customer,
            "Prohibited List",
            "Not on the prohibited list of any company.",
            "Mandatory documents present and valid.",
            "Licence consistent, fits the steel business.",
            "Approved for a trial year.",
            self.officer.name,
            self.approver.name,
        ):
            self.assertIn(text, html)
        # The PDF action is the one bound to the request.
        report = self.env.ref("partner_qualification_credit.action_report_partner_admission_request")
        self.assertEqual(report.binding_model_id.model, "partner.admission.request")
