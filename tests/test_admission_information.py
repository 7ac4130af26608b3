# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .test_admission_request import AdmissionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestAdmissionInformation(AdmissionCommon):
    """The office asks for more material instead of rejecting; the applicant answers with
    documents on its own request, recorded on the partner at approval."""

    def test_request_information_round_trip(self):
        request = self.make_request(self.supplier, role="supplier")
        self.assertEqual(request.check_documents_result, "fail")
        office = request.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "Write the questions"):
            office.action_request_information()
        with self.assertRaises(AccessError):
            request.with_user(self.user).information_request = "Asking myself"
        office.information_request = "Please send the business licence."
        office.action_request_information()
        self.assertRecordValues(request, [{"state": "returned", "information_request": False}])
        self.assertEqual(self.supplier.admission_state, "in_review", "not a rejection")
        asked = request.message_ids.filtered(lambda m: self.user.partner_id in m.partner_ids)[:1]
        self.assertIn("Please send the business licence.", asked.body)
        self.assertIn(self.user, request.activity_ids.user_id)
        # The applicant answers with the document, on its own request.
        mine = request.with_user(self.user)
        mine.write(
            {
                "document_line_ids": [
                    Command.create(
                        {
                            "type_id": self.type_licence.id,
                            "number": self.uscc_supplier,
                            "expiry_date": "2031-12-31",
                        }
                    )
                ]
            }
        )
        self.assertFalse(self.supplier.qualification_document_ids, "recorded at approval only")
        mine.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.check_documents_result, "pass", request.check_documents_reason)
        # Submitted again: the lines are frozen for the review.
        with self.assertRaisesRegex(UserError, "documents are added while"):
            mine.document_line_ids.write({"number": "X"})
        self.review(request)
        request.with_user(self.approver).action_approve()
        document = self.supplier.qualification_document_ids
        self.assertRecordValues(
            document, [{"type_id": self.type_licence.id, "number": self.uscc_supplier, "state": "valid"}]
        )
        self.assertEqual(request.document_line_ids.document_id, document)
        self.assertEqual(self.supplier.admission_state, "approved")

    def test_documents_only_by_applicant_and_office(self):
        request = self.make_request(submit=False)
        other = self.env["res.users"].create(
            {
                "name": "Other applicant",
                "login": "pqc_other_applicant",
                "group_ids": [Command.link(self.env.ref("partner_qualification_credit.group_user").id)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["partner.admission.request.document"].with_user(other).create(
                {"request_id": request.id, "type_id": self.type_tax.id, "number": "T-1"}
            )
        request.with_user(self.user).action_submit()
        with self.assertRaisesRegex(UserError, "documents are added while"):
            self.env["partner.admission.request.document"].with_user(self.user).create(
                {"request_id": request.id, "type_id": self.type_tax.id, "number": "T-1"}
            )
        # The number format of the type applies on the request too.
        returned = self.make_request(self.supplier, role="supplier")
        returned.with_user(self.officer).information_request = "Licence?"
        returned.with_user(self.officer).action_request_information()
        with self.assertRaisesRegex(Exception, "not a valid Unified Social Credit Code"):
            self.env["partner.admission.request.document"].with_user(self.user).create(
                {
                    "request_id": returned.id,
                    "type_id": self.type_licence.id,
                    "number": "12345",
                    "expiry_date": "2030-01-01",
                }
            )

    def test_returned_request_can_be_cancelled(self):
        request = self.make_request()
        request.with_user(self.officer).information_request = "Who are the shareholders?"
        request.with_user(self.officer).action_request_information()
        request.with_user(self.user).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(self.customer.admission_state, "none")
