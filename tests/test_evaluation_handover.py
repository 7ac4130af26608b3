# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .test_evaluation_campaign import PartnerEvaluationCommon

SCORES = ["score_standing", "score_cooperation", "score_payment", "score_potential", "score_other"]
EVALUATION_TODO = "partner_qualification_credit.mail_activity_type_evaluation"
APPROVAL_TODO = "partner_qualification_credit.mail_activity_type_evaluation_approve"
RATING_APPROVED = "partner_qualification_credit.mail_activity_type_rating_approved"
SUMMARY = "partner_qualification_credit.action_report_partner_evaluation_campaign"


@tagged("post_install", "-at_install")
class TestEvaluationHandover(PartnerEvaluationCommon):
    """Safe defaults of an unscored evaluation, and work that lands with the next person:
    the approvers' to-dos, the reject dialog, the notification of the result in the
    reader's language and the warning before a limit below the exposure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False
        cls.approver2 = new_test_user(
            cls.env, "pqc_handover_approver2", groups="partner_qualification_credit.group_approver"
        )
        cls.applicant = new_test_user(
            cls.env, "pqc_handover_applicant", groups="partner_qualification_credit.group_user"
        )
        cls.customer.sudo().with_company(cls.company).qualification_applicant_id = cls.applicant

    def _todos(self, records, xmlid):
        activity_type = self.env.ref(xmlid)
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    # ------------------------------------------------------------
    # Safe defaults
    # ------------------------------------------------------------

    def test_unscored_draft_has_no_suggestion_nor_proposal(self):
        evaluation = self._evaluation()
        self.assertFalse(evaluation.is_scored)
        self.assertFalse(evaluation.suggested_grade_id, "a score of 0 must not suggest E")
        self.assertFalse(evaluation.proposed_grade_id)
        self.assertIn("Not scored", evaluation.suggestion_note)
        evaluation.write(dict.fromkeys(SCORES[:4], 90.0))
        self.assertFalse(evaluation.suggested_grade_id, "one criterion still unscored")
        evaluation.score_other = 90.0
        self.assertTrue(evaluation.is_scored)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_a)
        self.assertEqual(evaluation.proposed_grade_id, self.grade_a)

    def test_submit_needs_every_score(self):
        evaluation = self._evaluation(**dict.fromkeys(SCORES[:4], 90.0))
        # even with a grade proposed by hand
        evaluation.with_user(self.evaluator).write({"proposed_grade_id": self.grade_b.id, "reason": "Known"})
        with self.assertRaisesRegex(UserError, "Score every criterion"):
            evaluation.with_user(self.evaluator).action_submit()
        self.assertEqual(evaluation.state, "draft")

    def test_approve_needs_a_proposal(self):
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 90.0))
        evaluation.with_user(self.evaluator).action_submit()
        # a proposal lost after submission (its grade deleted): never approved blind
        self.env.cr.execute(
            "UPDATE partner_evaluation SET proposed_grade_id = NULL WHERE id = %s", [evaluation.id]
        )
        evaluation.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "no proposed grade"):
            evaluation.with_user(self.approver).action_approve()
        self.assertEqual(evaluation.state, "submitted")
        self.assertEqual(self.customer.qualification_grade_id, self.grade_c)

    def test_campaign_summary_never_prints_unscored_as_e(self):
        self.campaign.with_user(self.officer).action_start()
        report = self.env["ir.actions.report"]
        html, _type = report._render_qweb_html(SUMMARY, self.campaign.ids)
        html = html.decode()
        self.assertIn(self.customer.name, html)
        self.assertNotIn(">E<", html, "an unscored draft is not graded E")

    # ------------------------------------------------------------
    # Approvers' to-dos
    # ------------------------------------------------------------

    def test_submission_closes_evaluator_todo_and_gives_approvers_one(self):
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 90.0))
        evaluation._schedule_evaluation_activities()
        self.assertTrue(self._todos(evaluation, EVALUATION_TODO))
        evaluation.with_user(self.evaluator).action_submit()
        self.assertFalse(self._todos(evaluation, EVALUATION_TODO), "the evaluator's to-do is closed")
        todos = self._todos(evaluation, APPROVAL_TODO)
        self.assertLessEqual(self.approver | self.approver2, todos.user_id)
        self.assertFalse(todos.user_id & (self.evaluator | self.officer), "never its own authors")
        # the approver finds it under To Approve
        action = self.env.ref("partner_qualification_credit.partner_evaluation_action_to_approve")
        self.assertIn("search_default_to_approve", action.context)
        menu = self.env.ref("partner_qualification_credit.partner_evaluation_menu_to_approve")
        self.assertIn(self.env.ref("partner_qualification_credit.group_approver"), menu.group_ids)
        found = self.env["partner.evaluation"].with_user(self.approver).search([("state", "=", "submitted")])
        self.assertIn(evaluation, found)
        evaluation.with_user(self.approver).action_approve()
        self.assertFalse(self._todos(evaluation, APPROVAL_TODO), "decided: the to-dos go")

    def test_campaign_submissions_give_one_todo_per_approver(self):
        self.campaign.with_user(self.officer).action_start()
        evaluations = self.campaign.evaluation_ids
        evaluations.write(dict.fromkeys(SCORES, 90.0))
        first, others = evaluations[0], evaluations[1:]
        first.with_user(first.evaluator_id).action_submit()
        others.with_user(self.officer).action_submit()
        todos = self._todos(self.campaign, APPROVAL_TODO)
        self.assertEqual(len(todos), len(todos.user_id), "one per approver, not one per submission")
        self.assertLessEqual(self.approver | self.approver2, todos.user_id)
        self.assertFalse(self._todos(evaluations, APPROVAL_TODO))
        self.campaign.with_user(self.officer).action_consolidate()
        self.campaign.with_user(self.approver).action_approve_all()
        self.assertFalse(self._todos(self.campaign, APPROVAL_TODO))

    # ------------------------------------------------------------
    # Decisions come back
    # ------------------------------------------------------------

    def test_reject_dialog_with_reason(self):
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 90.0))
        evaluation.with_user(self.evaluator).action_submit()
        Reject = self.env["partner.evaluation.reject"].with_context(
            active_model="partner.evaluation", active_ids=evaluation.ids
        )
        # only approvers open it
        with self.assertRaises(AccessError):
            Reject.with_user(self.evaluator).create({"reason": "Nope"})
        form = Form(Reject.with_user(self.approver))
        form.reason = "Payment score ignores the March incident"
        wizard = form.save()
        self.assertEqual(wizard.evaluation_ids, evaluation)
        wizard.action_reject()
        self.assertEqual(evaluation.state, "draft")
        self.assertEqual(evaluation.reject_reason, "Payment score ignores the March incident")
        self.assertTrue(self._todos(evaluation, EVALUATION_TODO), "back with the evaluator")
        self.assertFalse(self._todos(evaluation, APPROVAL_TODO))
        # a blank reason is refused, nothing changes
        evaluation.with_user(self.evaluator).action_submit()
        wizard = Reject.with_user(self.approver).create({"reason": "   "})
        with self.assertRaisesRegex(UserError, "rejection reason"):
            wizard.action_reject()
        self.assertEqual(evaluation.state, "submitted")
        # forged evaluations of another state are refused by the evaluation's own rule
        approved = self._evaluation(self.supplier, role="supplier", **dict.fromkeys(SCORES, 90.0))
        approved.with_user(self.evaluator).action_submit()
        approved.with_user(self.approver).action_approve()
        wizard = Reject.with_user(self.approver).create({"reason": "Forged", "evaluation_ids": approved.ids})
        with self.assertRaisesRegex(UserError, "cannot be rejected"):
            wizard.action_reject()
        self.assertEqual(approved.state, "approved")

    def test_approval_notifies_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["partner_qualification_credit"], ["zh_CN"])
        self.applicant.lang = "zh_CN"
        self.evaluator.lang = "en_US"
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 90.0))
        evaluation.with_user(self.evaluator).action_submit()
        evaluation.with_user(self.approver).action_approve()
        todos = self._todos(evaluation, RATING_APPROVED)
        self.assertEqual(todos.user_id, self.evaluator | self.applicant)
        chinese = todos.filtered(lambda a: a.user_id == self.applicant)
        english = todos - chinese
        self.assertIn("优秀", str(chinese.note), "the grade in the applicant's language")
        self.assertIn(self.grade_a.with_context(lang="en_US").name, str(english.note))
        self.assertNotIn("优秀", str(english.note))

    def test_warning_before_approving_a_limit_below_the_exposure(self):
        self.customer.sudo().with_company(self.company).credit_limit = 100000.0
        self.company.partner_credit_sale_order = True
        self.create_document(self.customer)
        product = self.env["product.product"].create({"name": "Steel coil"})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": 50000.0,
                            "tax_ids": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 90.0))
        evaluation.with_user(self.evaluator).write(
            {"proposed_credit_limit": 20000.0, "reason": "Shrinking business"}
        )
        evaluation.with_user(self.evaluator).action_submit()
        evaluation = evaluation.with_user(self.approver)
        self.assertGreater(evaluation.current_exposure, 20000.0)
        self.assertTrue(evaluation.limit_below_exposure)
        arch = evaluation.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("below what the partner has tied up today", arch)
        enough = self._evaluation(**dict.fromkeys(SCORES, 90.0))
        enough.with_user(self.evaluator).write({"proposed_credit_limit": 80000.0})
        enough.with_user(self.evaluator).action_submit()
        self.assertFalse(enough.with_user(self.approver).limit_below_exposure)
        enough.with_user(self.approver).action_approve()
        self.assertFalse(enough.limit_below_exposure, "decided: nothing to warn about")
