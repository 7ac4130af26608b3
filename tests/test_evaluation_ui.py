# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEvaluationUi(HttpCase):
    def test_evaluation_tour(self):
        partner = self.env["res.partner"].create({"name": "Tour Evaluation Co", "is_company": True})
        admin = self.env.ref("base.user_admin")
        self.env["partner.complaint"].create(
            {
                "name": "Contaminated batch",
                "partner_id": partner.id,
                "severity": "critical",
                "date_received": "2026-03-01 08:00:00",
            }
        )
        evaluation = self.env["partner.evaluation"].create(
            {
                "partner_id": partner.id,
                "evaluator_id": admin.id,
                "role": "customer",
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
            }
        )
        self.start_tour("/odoo", "partner_evaluation_tour", login="admin")
        self.assertEqual(evaluation.state, "submitted")
        self.assertEqual(evaluation.score_payment, 40)
        self.assertTrue(evaluation.proposed_grade_id, "scored: a proposal to approve")

    def test_complaint_tour(self):
        partner = self.env["res.partner"].create({"name": "Tour Complaint Co", "is_company": True})
        self.start_tour("/odoo", "partner_complaint_tour", login="admin")
        complaint = self.env["partner.complaint"].search([("partner_id", "=", partner.id)])
        self.assertEqual(complaint.name, "Coils delivered rusted")
        self.assertEqual(complaint.severity, "critical")
        self.assertEqual(complaint.state, "investigating")
        self.assertTrue(complaint.date_responded)

    def test_receipt_quality_tour(self):
        supplier = self.env["res.partner"].create({"name": "Tour Quality Supplier", "is_company": True})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": supplier.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
            }
        )
        self.start_tour("/odoo", "partner_receipt_quality_tour", login="admin")
        self.assertEqual(receipt.quality_result, "rejected")
        self.assertEqual(receipt.quality_user_id, self.env.ref("base.user_admin"))

    def test_campaign_evaluate_approve_tour(self):
        """A rating round in the browser: the office starts the campaign, the partner's
        applicant scores and submits, leadership approves the grade, which the partner
        then carries."""
        officer = new_test_user(
            self.env,
            "pqc_tour_office",
            groups="partner_qualification_credit.group_officer",
            context={"no_reset_password": True},
        )
        evaluator = new_test_user(
            self.env,
            "pqc_tour_evaluator",
            groups="partner_qualification_credit.group_user",
            context={"no_reset_password": True},
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Campaign Co",
                "is_company": True,
                "partner_role": "customer",
                "qualification_applicant_id": evaluator.id,
            }
        )
        partner.write(
            {
                "admission_state": "approved",
                "qualification_grade_id": self.env.ref("partner_qualification_credit.grade_c").id,
            }
        )
        campaign = (
            self.env["partner.evaluation.campaign"]
            .with_user(officer)
            .create(
                {
                    "name": "Tour rating",
                    "date_from": "2026-01-01",
                    "date_to": "2026-06-30",
                    "fallback_evaluator_id": officer.id,
                }
            )
        )
        self.start_tour(
            f"/odoo/partner.evaluation.campaign/{campaign.id}",
            "partner_campaign_start_tour",
            login="pqc_tour_office",
        )
        self.assertEqual(campaign.state, "in_progress")
        evaluation = campaign.evaluation_ids.filtered(lambda e: e.partner_id == partner)
        self.assertEqual(evaluation.evaluator_id, evaluator)
        self.start_tour("/odoo", "partner_campaign_evaluate_tour", login="pqc_tour_evaluator")
        self.assertEqual(evaluation.state, "submitted")
        self.assertEqual(evaluation.score, 84)
        self.start_tour(
            f"/odoo/partner.evaluation/{evaluation.id}", "partner_campaign_approve_tour", login="admin"
        )
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(partner.qualification_grade_id, evaluation.proposed_grade_id)
