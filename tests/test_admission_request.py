# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import PartnerQualificationCommon, make_uscc


class AdmissionCommon(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_2 = new_test_user(
            cls.env, "pqc_officer_2", groups="partner_qualification_credit.group_officer"
        )
        cls.approver_2 = new_test_user(
            cls.env, "pqc_approver_2", groups="partner_qualification_credit.group_approver"
        )
        cls.customer.vat = cls.uscc_customer
        cls.supplier.vat = cls.uscc_supplier

    @classmethod
    def make_request(cls, partner=None, applicant=None, role="customer", submit=True):
        applicant = applicant or cls.user
        request = (
            cls.env["partner.admission.request"]
            .with_user(applicant)
            .create(
                {
                    "partner_id": (partner or cls.customer).id,
                    "role": role,
                    "cooperation_content": "Cold-rolled steel coils",
                }
            )
        )
        if submit:
            request.action_submit()
        return request

    def review(self, request, officer=None):
        request = request.with_user(officer or self.officer)
        request.review_opinion = "Licence checked, fits our steel business."
        request.action_review()
        if request.credit_step_required:
            self.assess_credit(request)
        return request

    @classmethod
    def assess_credit(cls, request, **values):
        """Finance's step, keeping the prefilled limit unless told otherwise."""
        request = request.with_user(cls.credit_manager)
        request.write({"credit_assessment": "Sound payment record.", "prepayment_required": True, **values})
        request.action_assess_credit()
        return request

    def assertCheck(self, request, check, result, reason=""):
        self.assertEqual(request[f"check_{check}_result"], result, request[f"check_{check}_reason"])
        self.assertIn(reason, request[f"check_{check}_reason"])


@tagged("post_install", "-at_install")
class TestAdmissionChecks(AdmissionCommon):
    @freeze_time("2026-06-01")
    def test_clean_application_passes_every_check(self):
        self.create_document(self.customer)
        self.create_document(self.customer, self.type_org_code)
        request = self.make_request()
        self.assertEqual(request.state, "submitted")
        self.assertTrue(request.name.startswith("ADM/2026/"))
        for check in ("prohibited", "documents", "numbers", "duplicates"):
            self.assertCheck(request, check, "pass")
        self.assertFalse(request.check_blocking)
        self.assertEqual(self.customer.admission_state, "in_review")

    def test_prohibited_twin_by_vat_in_another_company(self):
        self.create_document(self.customer)
        company_2 = self.env["res.company"].create({"name": "Sister Steel Co"})
        twin = self.env["res.partner"].create(
            {"name": "Xinhe Trading (old record)", "is_company": True, "vat": self.uscc_customer.lower()}
        )
        twin.with_company(company_2).sudo().qualification_grade_id = self.grade_e
        request = self.make_request()
        self.assertCheck(request, "prohibited", "fail", "Xinhe Trading (old record)")
        self.assertIn("Sister Steel Co", request.check_prohibited_reason)
        self.assertTrue(request.check_blocking)
        with self.assertRaisesRegex(UserError, "failed the prohibited-list or document check"):
            self.review(request)
        self.assertEqual(request.state, "submitted")
        # The applicant cannot override; the office can, explicitly.
        with self.assertRaisesRegex(AccessError, "Override Reason"):
            request.with_user(self.user).check_override_reason = "Trust me"
        request.with_user(self.officer).check_override_reason = "Old record of a dissolved namesake, checked."
        self.review(request)
        self.assertEqual(request.state, "reviewed")

    def test_prohibited_partner_itself_and_clean_twin(self):
        self.create_document(self.customer)
        other = self.env["res.partner"].create(
            {"name": "Other Co", "is_company": True, "vat": self.uscc_supplier}
        )
        other.sudo().qualification_grade_id = self.grade_e
        first = self.make_request()
        self.assertCheck(first, "prohibited", "pass")
        first.with_user(self.user).action_cancel()
        self.customer.sudo().qualification_grade_id = self.grade_e
        self.assertCheck(self.make_request(), "prohibited", "fail", self.customer.name)

    @freeze_time("2026-06-01")
    def test_documents_missing_expired_expiring(self):
        request = self.make_request()
        self.assertCheck(request, "documents", "fail", "Business Licence missing")
        licence = self.create_document(self.customer, expiry_date="2026-05-31")
        request.with_user(self.officer).action_run_checks()
        self.assertCheck(request, "documents", "fail", "Business Licence expired on")
        with self.assertRaisesRegex(UserError, "Business Licence expired"):
            self.review(request)
        licence.expiry_date = "2026-06-20"
        request.with_user(self.officer).action_run_checks()
        self.assertCheck(request, "documents", "warning", "Expiring soon")
        self.review(request)
        self.assertEqual(request.state, "reviewed")

    def test_documents_of_the_role_applied_for(self):
        # Regression: the partner's previous role decided, not the role applied for.
        self.type_production.mandatory = True
        self.create_document(self.customer)
        request = self.make_request(role="supplier")
        self.assertCheck(request, "documents", "fail", f"{self.type_production.name} missing")
        # Other checks keep the partner's own role.
        self.assertFalse(self.customer._get_document_issues())

    def test_mismatching_numbers(self):
        partner = self.env["res.partner"].create({"name": "Numbers Co", "is_company": True})
        # An organisation code recorded before the licence: each passed its own check.
        self.create_document(partner, self.type_org_code, number="12345678-9")
        self.create_document(partner, number=self.uscc_customer)
        request = self.make_request(partner)
        self.assertCheck(request, "numbers", "fail", "organisation code 12345678-9")
        # The licence no longer matches the tax ID entered afterwards.
        partner.vat = self.uscc_supplier
        request.with_user(self.officer).action_run_checks()
        self.assertCheck(request, "numbers", "fail", "differs from the Tax ID")
        # Numbers are not a blocking check: the office decides.
        self.assertFalse(request.check_blocking)

    def test_numbers_warning_without_any_number(self):
        partner = self.env["res.partner"].create({"name": "No Numbers Co", "is_company": True})
        self.assertCheck(self.make_request(partner), "numbers", "warning", "No licence number")

    def test_old_tax_registration_number_is_consistent(self):
        self.create_document(self.customer)
        region = "330100"
        self.create_document(self.customer, self.type_tax, number=region + self.uscc_customer[8:17])
        self.assertCheck(self.make_request(), "numbers", "pass")

    def test_duplicates(self):
        self.create_document(self.customer)
        first = self.make_request()
        self.assertCheck(first, "duplicates", "pass")
        first.with_user(self.user).action_cancel()
        self.env["res.partner"].create({"name": " hangzhou xinhe trading co., ltd.", "is_company": True})
        self.env["res.partner"].create(
            {"name": "Xinhe HZ", "is_company": True, "company_registry": self.uscc_customer}
        )
        request = self.make_request()
        self.assertCheck(request, "duplicates", "warning", "Xinhe HZ")
        self.assertIn("hangzhou xinhe trading", request.check_duplicates_reason)
        self.assertFalse(request.check_blocking)

    def test_partners_without_numbers_are_not_twins(self):
        # Regression: without any number the empty code matched every numberless partner.
        banned = self.env["res.partner"].create({"name": "Banned Without Numbers Co", "is_company": True})
        banned.sudo().qualification_grade_id = self.grade_e
        self.env["res.partner"].create({"name": "Another Numberless Co", "is_company": True})
        partner = self.env["res.partner"].create({"name": "No Numbers Yet Co", "is_company": True})
        request = self.make_request(partner)
        self.assertCheck(request, "prohibited", "pass")
        self.assertCheck(request, "duplicates", "pass")
        # Numbers still find the twins.
        partner.vat = self.uscc_supplier
        banned.vat = self.uscc_supplier
        request.with_user(self.officer).action_run_checks()
        self.assertCheck(request, "prohibited", "fail", "Banned Without Numbers Co")
        self.assertCheck(request, "duplicates", "warning", "Banned Without Numbers Co")


@tagged("post_install", "-at_install")
class TestAdmissionWorkflow(AdmissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_document(cls.customer)
        cls.create_document(cls.supplier)

    def test_segregation_of_duties(self):
        request = self.make_request()
        # A plain user reviews nothing, approves nothing.
        with self.assertRaisesRegex(AccessError, "review admission requests"):
            request.with_user(self.user).action_review()
        # An officer who applied cannot review their own application.
        own = self.make_request(self.supplier, applicant=self.officer, role="supplier")
        # ...nor write its opinion or override (regression: the server never checked).
        for field_name in ("review_opinion", "check_override_reason"):
            with self.assertRaisesRegex(AccessError, "segregation of duties"):
                own.with_user(self.officer).write({field_name: "Looks fine to me"})
        with self.assertRaisesRegex(UserError, "You applied for"):
            own.with_user(self.officer).action_review()
        self.review(own, self.officer_2)
        # ...nor approve it, even as an approver.
        pick = self.env["res.partner"].create({"name": "Approver's Pick Co", "is_company": True})
        self.create_document(pick, number=make_uscc("91330100MA2WWWWW0"))
        own_by_approver = self.make_request(pick, applicant=self.approver)
        self.review(own_by_approver)
        with self.assertRaisesRegex(UserError, "You applied for"):
            own_by_approver.with_user(self.approver).action_approve()

        self.review(request, self.approver)
        with self.assertRaisesRegex(AccessError, "approve admission requests"):
            request.with_user(self.user).action_approve()
        with self.assertRaisesRegex(AccessError, "approve admission requests"):
            request.with_user(self.officer).action_approve()
        # The approver who reviewed needs someone else...
        with self.assertRaisesRegex(UserError, "another approver must approve it"):
            request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "reviewed")
        request.with_user(self.approver_2).action_approve()
        self.assertRecordValues(request, [{"state": "approved", "approver_id": self.approver_2.id}])

    def test_reviewer_may_approve_when_allowed(self):
        request = self.review(self.make_request(), self.approver)
        self.company.partner_admission_reviewer_can_approve = True
        request.with_user(self.approver).action_approve()
        self.assertRecordValues(
            request, [{"state": "approved", "reviewer_id": self.approver.id, "approver_id": self.approver.id}]
        )

    def test_approval_admits_with_default_grade_and_proposed_limit(self):
        self.grade_c.with_company(self.company).default_credit_limit = 80000.0
        request = self.make_request()
        officer_activity = request.activity_ids.filtered(lambda a: a.user_id == self.officer)
        self.assertTrue(officer_activity, "the office is asked to review")
        self.review(request)
        self.assertEqual(request.reviewer_id, self.officer)
        self.assertFalse(request.activity_ids.filtered(lambda a: a.user_id == self.officer))
        self.assertTrue(request.activity_ids.filtered(lambda a: a.user_id == self.approver))
        request.with_user(self.approver).approval_note = "Go ahead."
        request.with_user(self.approver).action_approve()
        self.assertRecordValues(
            request, [{"state": "approved", "approver_id": self.approver.id, "activity_ids": []}]
        )
        self.assertRecordValues(
            self.customer,
            [
                {
                    "admission_state": "approved",
                    "qualification_grade_id": self.grade_c.id,
                    "credit_limit": 80000.0,
                    "qualification_applicant_id": self.user.id,
                    "partner_role": "customer",
                    "cooperation_content": "Cold-rolled steel coils",
                }
            ],
        )
        with self.assertRaisesRegex(UserError, "records a decision already taken"):
            request.with_user(self.officer).review_opinion = "Rewritten afterwards"
        notified = request.message_ids.filtered(lambda m: self.user.partner_id in m.partner_ids)
        self.assertIn("is approved", notified[:1].body)
        self.assertIn(self.user.partner_id, request.message_partner_ids)

    def test_approval_keeps_existing_grade_and_limit(self):
        self.customer.sudo().write({"qualification_grade_id": self.grade_b.id, "credit_limit": 1000.0})
        self.grade_c.with_company(self.company).default_credit_limit = 80000.0
        request = self.review(self.make_request())
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.customer.qualification_grade_id, self.grade_b)
        self.assertEqual(self.customer.credit_limit, 1000.0)

    def test_reject_needs_a_reason(self):
        request = self.make_request()
        with self.assertRaisesRegex(UserError, "Write the reason for rejecting"):
            request.with_user(self.officer).action_reject()
        request.with_user(self.officer).rejection_reason = "Licence copy unreadable"
        request.with_user(self.officer).action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self.customer.admission_state, "rejected")
        self.assertIn(self.user.partner_id, request.message_ids[:1].partner_ids)
        # The applicant corrects and resubmits.
        request.with_user(self.user).action_reset_to_draft()
        request.with_user(self.user).action_submit()
        self.assertEqual(self.customer.admission_state, "in_review")

    def test_only_approvers_reject_after_review(self):
        request = self.review(self.make_request())
        request.with_user(self.approver).rejection_reason = "Not a fit"
        with self.assertRaisesRegex(AccessError, "only an approver can reject"):
            request.with_user(self.officer).action_reject()
        request.with_user(self.approver).action_reject()
        self.assertEqual(request.state, "rejected")

    def test_cancel_returns_partner_to_not_admitted(self):
        request = self.make_request()
        with self.assertRaisesRegex(UserError, "already has an admission request in progress"):
            self.make_request()
        request.with_user(self.user).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(self.customer.admission_state, "none")
        request.with_user(self.user).unlink()
        self.assertFalse(request.exists())

    def test_workflow_fields_cannot_be_forced(self):
        request = self.make_request().with_user(self.user)
        for vals in (
            {"state": "approved"},
            {"reviewer_id": self.user.id},
            {"check_prohibited_result": "pass"},
        ):
            with self.assertRaisesRegex(AccessError, "set by the workflow"):
                request.write(vals)
        with self.assertRaisesRegex(AccessError, "Review Opinion"):
            request.review_opinion = "Fine by me"
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            request.partner_id = self.supplier
        with self.assertRaisesRegex(AccessError, "created as a draft by its applicant"):
            self.env["partner.admission.request"].with_user(self.user).create(
                {"partner_id": self.supplier.id, "role": "supplier", "state": "approved"}
            )
        with self.assertRaisesRegex(UserError, "only draft or cancelled requests can be deleted"):
            request.with_user(self.officer).unlink()
        with self.assertRaisesRegex(AccessError, "Admission"):
            self.customer.with_user(self.approver).admission_state = "approved"

    def test_record_rules(self):
        request = self.make_request()
        other_user = new_test_user(self.env, "pqc_user_2", groups="partner_qualification_credit.group_user")
        Request = self.env["partner.admission.request"]
        self.assertFalse(Request.with_user(other_user).search([("id", "=", request.id)]))
        self.assertEqual(Request.with_user(self.user).search([("id", "=", request.id)]), request)
        self.assertEqual(Request.with_user(self.officer).search([("id", "=", request.id)]), request)
        # Another company's office does not see it.
        company_2 = self.env["res.company"].create({"name": "Sister Steel Co"})
        officer_c2 = new_test_user(
            self.env,
            "pqc_officer_c2",
            groups="partner_qualification_credit.group_officer",
            company_id=company_2.id,
            company_ids=[Command.set(company_2.ids)],
        )
        self.assertFalse(Request.with_user(officer_c2).search([("id", "=", request.id)]))

    def test_application_for_admitted_partner_is_refused(self):
        # Regression: a request filed for an approved partner (list New button, RPC) put
        # it back in review and its cancellation un-admitted it.
        self.admit(self.customer)
        request = self.make_request(submit=False)
        with self.assertRaisesRegex(UserError, "already admitted"):
            request.with_user(self.user).action_submit()
        self.assertEqual(self.customer.admission_state, "approved")
        request.with_user(self.user).action_cancel()
        self.assertEqual(self.customer.admission_state, "approved")

    def test_cancel_restores_previous_state(self):
        self.customer.sudo().admission_state = "rejected"
        request = self.make_request()
        self.assertRecordValues(request, [{"previous_admission_state": "rejected"}])
        self.assertEqual(self.customer.admission_state, "in_review")
        request.with_user(self.user).action_cancel()
        self.assertEqual(self.customer.admission_state, "rejected")

    def test_applicant_is_whoever_files_the_request(self):
        # Regression: an officer could name a colleague as applicant and review their own file.
        request = (
            self.env["partner.admission.request"]
            .with_user(self.officer)
            .create({"partner_id": self.customer.id, "role": "customer", "applicant_id": self.officer_2.id})
        )
        self.assertEqual(request.applicant_id, self.officer)
        request.with_user(self.officer).action_submit()
        # Even with another applicant recorded by the workflow, the creator is not a reviewer.
        request.sudo().applicant_id = self.officer_2
        self.assertTrue(request.with_user(self.officer).is_applicant)
        with self.assertRaisesRegex(AccessError, "segregation of duties"):
            request.with_user(self.officer).review_opinion = "Fine"
        request.with_user(self.approver).review_opinion = "Fine"
        with self.assertRaisesRegex(UserError, "You applied for"):
            request.with_user(self.officer).action_review()

    def test_reset_to_draft_clears_the_decisions(self):
        # Regression: a stale override let the next review pass after the partner changed.
        request = self.make_request(
            self.env["res.partner"].create({"name": "Paper Tiger Co", "is_company": True})
        )
        self.assertTrue(request.check_blocking)
        request.with_user(self.officer).write(
            {"check_override_reason": "Documents promised", "rejection_reason": "Never came"}
        )
        request.with_user(self.officer).action_reject()
        request.with_user(self.user).action_reset_to_draft()
        self.assertRecordValues(
            request,
            [
                {
                    "state": "draft",
                    "review_opinion": False,
                    "check_override_reason": False,
                    "rejection_reason": False,
                    "approval_note": False,
                }
            ],
        )
        request.with_user(self.user).action_submit()
        request.with_user(self.officer).review_opinion = "OK"
        with self.assertRaisesRegex(UserError, "failed the prohibited-list or document check"):
            request.with_user(self.officer).action_review()


@tagged("post_install", "-at_install")
class TestAdmissionIdentityChange(AdmissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.licence = cls.create_document(cls.customer)
        request = cls.make_request()
        request.with_user(cls.officer).review_opinion = "OK"
        request.with_user(cls.officer).action_review()
        cls.assess_credit(request)
        request.with_user(cls.approver).action_approve()
        cls.approved_request = request

    def _identity_requests(self):
        return self.env["partner.admission.request"].search(
            [("partner_id", "=", self.customer.id), ("origin", "=", "identity_change")]
        )

    def test_approval_itself_keeps_partner_approved(self):
        self.assertEqual(self.customer.admission_state, "approved")
        self.assertFalse(self._identity_requests())

    def test_name_change_sends_back_to_review(self):
        self.customer.with_user(self.officer).write({"name": "Hangzhou Xinhe Holding Co., Ltd."})
        self.assertEqual(self.customer.admission_state, "in_review")
        request = self._identity_requests()
        self.assertRecordValues(
            request, [{"state": "submitted", "applicant_id": self.officer.id, "role": "customer"}]
        )
        # Whoever changed the identity does not review the change (regression: the
        # partner's original applicant was recorded, so the changer could review it).
        with self.assertRaisesRegex(AccessError, "segregation of duties"):
            request.with_user(self.officer).review_opinion = "My own change, fine"
        with self.assertRaisesRegex(UserError, "You applied for"):
            request.with_user(self.officer).action_review()
        # ...nor cancel it, which would restore the admission without any review.
        with self.assertRaisesRegex(UserError, "You applied for"):
            request.with_user(self.officer).action_cancel()
        self.assertEqual(self.customer.admission_state, "in_review")
        # Same value again (e.g. a form saving everything) is not a change.
        self.customer.sudo().admission_state = "approved"
        self.customer.write({"name": "Hangzhou Xinhe Holding Co., Ltd.", "vat": self.uscc_customer})
        self.assertEqual(self.customer.admission_state, "approved")

    def test_office_cancels_a_re_review(self):
        self.customer.with_user(self.officer).write({"name": "Hangzhou Xinhe Holding Co., Ltd."})
        request = self._identity_requests()
        self.assertEqual(request.previous_admission_state, "approved")
        with self.assertRaises(AccessError):
            request.with_user(self.user).action_cancel()
        request.with_user(self.officer_2).action_cancel()
        # Regression: cancelling forced 'Not Admitted', un-admitting the partner.
        self.assertEqual(self.customer.admission_state, "approved")

    def test_other_fields_do_not_matter(self):
        self.customer.with_user(self.officer).write({"phone": "+86 571 0000", "cooperation_content": "More"})
        self.assertEqual(self.customer.admission_state, "approved")

    def _clear_vat_without_review(self):
        """Leave the licence as the only identity document (the VAT would otherwise
        disagree with a new licence number)."""
        self.company.partner_admission_identity_review = False
        self.customer.sudo().vat = False
        self.company.partner_admission_identity_review = True

    def test_superuser_identity_change_is_reviewed(self):
        # e.g. the portal's account page writes with superuser rights: no bypass.
        self.customer.sudo().with_context(partner_admission_request_id=True).vat = False
        self.assertEqual(self.customer.admission_state, "in_review")
        self.assertEqual(len(self._identity_requests()), 1)

    def test_licence_number_change(self):
        new_code = make_uscc("91330100MA2YYYYY0")
        self._clear_vat_without_review()
        self.assertEqual(self.customer.admission_state, "approved")
        self.licence.with_user(self.officer).number = new_code
        self.assertEqual(self.customer.admission_state, "in_review")
        self.assertEqual(len(self._identity_requests()), 1)

    def test_same_number_written_differently_is_not_a_change(self):
        code = self.uscc_customer
        self.licence.with_user(self.officer).number = f"{code[:9]} {code[9:].lower()}"
        self.assertEqual(self.customer.admission_state, "approved")

    @freeze_time("2026-06-01")
    def test_new_licence_with_another_number(self):
        self.licence.expiry_date = "2026-01-01"
        self.assertEqual(self.licence.state, "expired")
        self.create_document(self.customer, issue_date="2026-01-01", expiry_date="2035-12-31")
        self.assertEqual(self.customer.admission_state, "approved", "a renewal with the same number")
        self._clear_vat_without_review()
        self.create_document(
            self.customer,
            self.type_org_code,
            number=self.uscc_customer[8:17],
        )
        self.assertEqual(self.customer.admission_state, "approved")
        self.env["partner.qualification.document"].search(
            [("partner_id", "=", self.customer.id), ("type_id", "=", self.type_licence.id)]
        ).filtered(lambda d: d != self.licence).action_archive()
        self.create_document(self.customer, number=make_uscc("91330100MA2YYYYY0"))
        self.assertEqual(self.customer.admission_state, "in_review")

    def test_setting_off(self):
        self.company.partner_admission_identity_review = False
        self.customer.with_user(self.officer).vat = make_uscc("91330100MA2WWWWW0")
        self.assertEqual(self.customer.admission_state, "approved")
        self.assertFalse(self._identity_requests())

    def test_identity_change_reopens_each_admitting_company(self):
        company_2 = self.env["res.company"].create({"name": "Sister Steel Co"})
        company_3 = self.env["res.company"].create(
            {"name": "Small Trading Co", "partner_admission_identity_review": False}
        )
        for company in (company_2, company_3):
            self.customer.with_company(company).sudo().admission_state = "approved"
        self.customer.with_user(self.officer).name = "Hangzhou Xinhe Holding Co., Ltd."
        self.assertEqual(self._identity_requests().company_id, self.company | company_2)
        self.assertEqual(self.customer.admission_state, "in_review")
        self.assertEqual(self.customer.with_company(company_2).admission_state, "in_review")
        self.assertEqual(self.customer.with_company(company_3).admission_state, "approved")
