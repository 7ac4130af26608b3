# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAdmissionTour(HttpCase):
    def test_admission_from_application_to_approval(self):
        """One application in the browser by the people the rules name: a salesperson
        applies through the assistant, the office asks for more information, the
        salesperson submits it again, the office reviews, finance assesses the credit,
        the admin (leadership) approves. One person cannot do it all (segregation of
        duties)."""
        applicant = new_test_user(
            self.env,
            "pqc_tour_applicant",
            groups="partner_qualification_credit.group_user",
            context={"no_reset_password": True},
        )
        new_test_user(
            self.env,
            "pqc_tour_officer",
            groups="partner_qualification_credit.group_officer",
            context={"no_reset_password": True},
        )
        self.start_tour("/odoo", "partner_admission_apply_tour", login="pqc_tour_applicant")
        request = self.env["partner.admission.request"].search([("applicant_id", "=", applicant.id)])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.partner_id.qualification_document_ids.number, "91330100MA2TXUR00D")
        self.start_tour("/odoo", "partner_admission_information_tour", login="pqc_tour_officer")
        self.assertEqual(request.state, "returned")
        self.assertIn(applicant, request.activity_ids.user_id, "the applicant has the questions to answer")
        self.start_tour("/odoo", "partner_admission_resubmit_tour", login="pqc_tour_applicant")
        self.assertEqual(request.state, "submitted")
        self.start_tour("/odoo", "partner_admission_review_tour", login="pqc_tour_officer")
        self.assertEqual(request.state, "reviewed")
        finance = new_test_user(
            self.env,
            "pqc_tour_finance",
            groups="partner_qualification_credit.group_credit_manager",
            context={"no_reset_password": True},
        )
        self.start_tour("/odoo", "partner_admission_credit_tour", login="pqc_tour_finance")
        self.assertEqual(request.credit_assessor_id, finance)
        self.start_tour("/odoo", "partner_admission_approve_tour", login="admin")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.partner_id.admission_state, "approved")
        self.assertEqual(
            request.partner_id.qualification_grade_id, self.env.ref("partner_qualification_credit.grade_c")
        )
        self.assertEqual(request.partner_id.credit_limit, 60000.0, "the limit finance assessed")
