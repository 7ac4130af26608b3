# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ..models.partner_evaluation import SCORE_FIELDS
from .test_evaluation_campaign import PartnerEvaluationCommon


@tagged("post_install", "-at_install")
class TestEvaluationDefaultLimit(PartnerEvaluationCommon):
    """A rating proposes the grade's default limit; a grade without one keeps the
    partner's current limit, so that 'Approve All' never silently cuts credit to 0."""

    def test_approve_all_never_lowers_a_limit_to_zero_by_default(self):
        self.grade_c.with_company(self.company).default_credit_limit = 0.0
        (self.customer | self.supplier).sudo().credit_limit = 10000.0
        self.campaign.action_start()
        evaluations = self.campaign.evaluation_ids
        self.assertEqual(evaluations.mapped("proposed_credit_limit"), [10000.0, 10000.0])
        # scored in the C band, whose grade has no default limit
        evaluations.write(
            dict.fromkeys(
                SCORE_FIELDS,
                65.0,
            )
        )
        self.assertEqual(evaluations.proposed_grade_id, self.grade_c)
        self.assertEqual(evaluations.mapped("proposed_credit_limit"), [10000.0, 10000.0])
        for evaluation in evaluations:
            evaluation.with_user(evaluation.evaluator_id).action_submit()
        self.campaign.with_user(self.officer).action_consolidate()
        self.campaign.with_user(self.approver).action_approve_all()
        self.assertEqual(set(evaluations.mapped("state")), {"approved"})
        self.assertEqual(self.customer.credit_limit, 10000.0)
        self.assertEqual(self.supplier.credit_limit, 10000.0)

    def test_grade_default_limit_is_proposed(self):
        grades = self.grade_a | self.grade_b | self.grade_c | self.grade_d | self.grade_e
        grades.with_company(self.company).default_credit_limit = 30000.0
        self.customer.sudo().credit_limit = 10000.0
        evaluation = self._evaluation(
            **dict.fromkeys(
                SCORE_FIELDS,
                80.0,
            )
        )
        self.assertEqual(evaluation.proposed_credit_limit, 30000.0)

    def test_shipped_grades_have_default_limits(self):
        limits = [
            grade.default_credit_limit for grade in self.grade_a | self.grade_b | self.grade_c | self.grade_d
        ]
        self.assertTrue(all(limits), limits)
        self.assertEqual(limits, sorted(limits, reverse=True), "better grades get more credit")
        company = self.env["res.company"].create({"name": "New Subsidiary"})
        self.assertEqual(
            self.grade_b.with_company(company).default_credit_limit, self.grade_b.default_credit_limit
        )
