# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestEvaluationUi(HttpCase):
    def test_evaluation_tour(self):
        partner = self.env["res.partner"].create({"name": "Tour Evaluation Co", "is_company": True})
        admin = self.env.ref("base.user_admin")
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
        self.assertEqual(evaluation.score_payment, 80)
