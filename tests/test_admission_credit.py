# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_admission_request import AdmissionCommon


@tagged("post_install", "-at_install")
class TestAdmissionCredit(AdmissionCommon):
    """Finance assesses the credit of a new customer before leadership approves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_document(cls.customer)
        cls.create_document(cls.supplier)
        cls.grade_c.with_company(cls.company).default_credit_limit = 80000.0
        cls.term = cls.env.ref("account.account_payment_term_30days")

    def _reviewed(self, partner=None, role="customer", **values):
        request = self.make_request(partner, role=role, submit=False)
        if values:
            request.write(values)
        request.action_submit()
        request = request.with_user(self.officer)
        request.review_opinion = "Fits our business."
        request.action_review()
        return request

    def test_customer_request_waits_for_credit_step_and_approval_sets_limit(self):
        request = self._reviewed()
        self.assertTrue(request.credit_step_required)
        self.assertEqual(request.proposed_credit_limit, 80000.0, "prefilled with the grade's default limit")
        activity = request.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("partner_qualification_credit.mail_activity_type_admission_credit")
        )
        self.assertIn(self.credit_manager, activity.user_id)
        with self.assertRaisesRegex(UserError, "waits for finance's credit assessment"):
            request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "reviewed")
        # Only finance writes and records the assessment.
        with self.assertRaisesRegex(AccessError, "Only credit managers"):
            request.with_user(self.officer).proposed_credit_limit = 1e9
        with self.assertRaisesRegex(AccessError, "Only credit managers"):
            request.with_user(self.approver).action_assess_credit()
        with self.assertRaisesRegex(AccessError, "Assess Credit"):
            request.with_user(self.credit_manager).credit_assessor_id = self.credit_manager
        request = request.with_user(self.credit_manager)
        request.write({"proposed_credit_limit": 30000.0, "credit_payment_term_id": self.term.id})
        with self.assertRaisesRegex(UserError, "Write the credit assessment"):
            request.action_assess_credit()
        request.write({"credit_assessment": "Two bank references; pays on time.", "guarantee_required": True})
        request.action_assess_credit()
        self.assertRecordValues(
            request, [{"credit_assessor_id": self.credit_manager.id, "proposed_credit_limit": 30000.0}]
        )
        # Done for the credit manager, removed for the others (no message each).
        self.assertFalse(activity.exists().filtered("active"), "the credit manager's to-do is done")
        request.with_user(self.approver).action_approve()
        self.assertRecordValues(
            self.customer,
            [
                {
                    "admission_state": "approved",
                    "credit_limit": 30000.0,
                    "property_payment_term_id": self.term.id,
                }
            ],
        )

    def test_changed_figures_need_a_new_assessment(self):
        request = self.assess_credit(self._reviewed())
        request.with_user(self.credit_manager).proposed_credit_limit = 90000.0
        self.assertFalse(request.credit_assessor_id)
        with self.assertRaisesRegex(UserError, "waits for finance"):
            request.with_user(self.approver).action_approve()

    def test_zero_limit_needs_prepayment_or_guarantee(self):
        request = self._reviewed().with_user(self.credit_manager)
        request.write({"proposed_credit_limit": 0.0, "credit_assessment": "New company, no history."})
        with self.assertRaisesRegex(UserError, "allows no credit at all"):
            request.action_assess_credit()
        request.proposed_credit_limit = -1.0
        with self.assertRaisesRegex(ValidationError, "positive amount"):
            request.action_assess_credit()
        request.write({"proposed_credit_limit": 0.0, "prepayment_required": True})
        request.action_assess_credit()
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.customer.credit_limit, 0.0)

    def test_supplier_needs_credit_step_only_with_prepayments(self):
        request = self._reviewed(self.supplier, role="supplier")
        self.assertFalse(request.credit_step_required)
        with self.assertRaisesRegex(UserError, "needs no credit assessment"):
            request.with_user(self.credit_manager).action_assess_credit()
        request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "approved")

    def test_prepaid_supplier_needs_credit_step(self):
        request = self._reviewed(self.supplier, role="supplier", prepayment_expected=True)
        self.assertTrue(request.credit_step_required)
        with self.assertRaisesRegex(UserError, "waits for finance"):
            request.with_user(self.approver).action_approve()
        self.assess_credit(request, proposed_credit_limit=5000.0, credit_payment_term_id=self.term.id)
        request.with_user(self.approver).action_approve()
        self.assertRecordValues(
            self.supplier, [{"credit_limit": 5000.0, "property_supplier_payment_term_id": self.term.id}]
        )

    def test_finance_fields_not_set_by_the_applicant(self):
        with self.assertRaisesRegex(AccessError, "finance's part"):
            self.env["partner.admission.request"].with_user(self.user).create(
                {
                    "partner_id": self.customer.id,
                    "role": "customer",
                    "proposed_credit_limit": 1e9,
                }
            )
        request = self.make_request(submit=False)
        with self.assertRaisesRegex(AccessError, "Only credit managers"):
            request.with_user(self.user).proposed_credit_limit = 1e9
        # A credit manager cannot assess its own application.
        own = self.make_request(self.supplier, applicant=self.credit_manager, role="both")
        own.with_user(self.credit_manager).credit_assessment = "Mine"
        with self.assertRaisesRegex(UserError, "You applied for"):
            own.with_user(self.credit_manager).action_assess_credit()

    def test_context_defaults_of_finance_fields_are_ignored(self):
        Request = (
            self.env["partner.admission.request"]
            .with_user(self.user)
            .with_context(
                default_proposed_credit_limit=1e9,
                default_credit_assessor_id=self.credit_manager.id,
                default_credit_assessment_date="2026-01-01",
                default_information_request="forged",
            )
        )
        request = Request.create({"partner_id": self.customer.id, "role": "customer"})
        self.assertRecordValues(
            request,
            [
                {
                    "proposed_credit_limit": 0.0,
                    "credit_assessor_id": False,
                    "credit_assessment_date": False,
                    "information_request": False,
                }
            ],
        )
