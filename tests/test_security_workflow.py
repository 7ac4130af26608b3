# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Forgery attempts on the three workflows (admission request, evaluation, campaign):
context defaults, copies, direct writes of workflow fields, history rewrites, identity
swaps between review and approval, hostile numbers."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .test_admission_request import AdmissionCommon
from .test_evaluation_campaign import PartnerEvaluationCommon


@tagged("post_install", "-at_install")
class TestSecurityAdmissionWorkflow(AdmissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_document(cls.customer)

    def _vals(self, partner=None):
        return {"partner_id": (partner or self.customer).id, "role": "customer"}

    def test_forged_previous_state_does_not_admit_on_cancel(self):
        """A user cannot leave a partner approved by cancelling requests whose 'state
        before submission' came from a context default."""
        Request = self.env["partner.admission.request"].with_user(self.user)
        first = Request.create(self._vals())
        first.action_submit()
        self.assertEqual(self.customer.admission_state, "in_review")
        first.with_user(self.user).action_cancel()
        forged = Request.with_context(default_previous_admission_state="approved").create(self._vals())
        self.assertFalse(forged.previous_admission_state)
        forged.action_submit()
        self.assertEqual(forged.previous_admission_state, "none")
        forged.action_cancel()
        self.assertNotEqual(self.customer.with_company(self.company).sudo().admission_state, "approved")

    def test_context_defaults_of_workflow_fields_are_ignored(self):
        """Defaults for the workflow's fields never reach a request, whoever files it."""
        forged_defaults = [
            {"default_state": "reviewed"},
            {"default_state": "approved"},
            {"default_reviewer_id": self.officer.id, "default_review_date": "2026-01-01"},
            {"default_approver_id": self.approver.id, "default_approval_date": "2026-01-01"},
            {"default_check_prohibited_result": "pass", "default_check_documents_result": "pass"},
            {"default_origin": "identity_change"},
            {"default_previous_admission_state": "approved"},
            {"default_applicant_id": self.officer.id},
            {"default_review_opinion": "Fine", "default_approval_note": "OK"},
            {"default_reviewed_identity": "forged"},
        ]
        for context in forged_defaults:
            with self.subTest(context=context):
                Request = self.env["partner.admission.request"].with_user(self.user).with_context(**context)
                defaults = Request.default_get(list(Request._fields))
                for key, value in context.items():
                    self.assertNotEqual(defaults.get(key.removeprefix("default_")), value, key)
                request = Request.create(self._vals())
                self.assertRecordValues(
                    request,
                    [
                        {
                            "state": "draft",
                            "reviewer_id": False,
                            "approver_id": False,
                            "check_prohibited_result": False,
                            "check_documents_result": False,
                            "origin": "application",
                            "previous_admission_state": False,
                            "applicant_id": self.user.id,
                            "review_opinion": False,
                            "approval_note": False,
                        }
                    ],
                )
                request.unlink()

    def test_forged_identity_change_origin_by_business_user(self):
        self.admit(self.customer)
        Request = self.env["partner.admission.request"].with_user(self.user)
        request = Request.with_context(default_origin="identity_change").create(self._vals())
        self.assertEqual(request.origin, "application")
        with self.assertRaisesRegex(UserError, "already admitted"):
            request.action_submit()
        self.assertEqual(self.customer.with_company(self.company).sudo().admission_state, "approved")
        with self.assertRaisesRegex(AccessError, "created as a draft by its applicant"):
            Request.create(dict(self._vals(), origin="identity_change"))

    def test_copy_copies_no_workflow_field(self):
        request = self.review(self.make_request())
        request.with_user(self.approver).action_approve()
        copied = request.with_user(self.officer).copy()
        self.assertRecordValues(
            copied,
            [
                {
                    "state": "draft",
                    "reviewer_id": False,
                    "approver_id": False,
                    "review_opinion": False,
                    "check_prohibited_result": False,
                    "previous_admission_state": False,
                    "reviewed_identity": False,
                    "origin": "application",
                    "applicant_id": self.officer.id,
                }
            ],
        )

    def test_approved_request_is_history(self):
        request = self.review(self.make_request())
        request.with_user(self.approver).action_approve()
        attempts = [
            ("write", lambda r: r.write({"approval_note": "rewritten"})),
            ("write", lambda r: r.write({"state": "cancelled"})),
            ("cancel", lambda r: r.action_cancel()),
            ("reject", lambda r: r.action_reject()),
            ("reset", lambda r: r.action_reset_to_draft()),
            ("unlink", lambda r: r.unlink()),
        ]
        for user in (self.user, self.officer, self.approver):
            for label, attempt in attempts:
                with (
                    self.subTest(user=user.login, attempt=label),
                    self.assertRaises(UserError),
                ):
                    attempt(request.with_user(user))
        for label, attempt in attempts[:1] + attempts[-1:]:
            with self.subTest(user="superuser", attempt=label), self.assertRaises(UserError):
                attempt(request.sudo())
        self.assertEqual(request.state, "approved")

    def test_reparented_partner_is_not_admitted(self):
        """The approver admits the partner the office reviewed, not another one."""
        request = self.review(self.make_request())
        self.assertTrue(request.reviewed_identity)
        holding = self.env["res.partner"].create({"name": "Unknown Holding", "is_company": True})
        self.customer.sudo().write({"is_company": False, "parent_id": holding.id})
        self.assertEqual(request.partner_id.commercial_partner_id, holding)
        with self.assertRaisesRegex(UserError, "changed since the review"):
            request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "reviewed")
        self.assertNotEqual(holding.with_company(self.company).sudo().admission_state, "approved")

    def test_changed_identity_is_not_admitted(self):
        request = self.review(self.make_request())
        # the partner is in review, not admitted: no automatic re-review is opened
        self.customer.sudo().vat = self.uscc_supplier
        with self.assertRaisesRegex(UserError, "changed since the review"):
            request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "reviewed")

    def test_request_for_own_company_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "one of our own companies"):
            self.env["partner.admission.request"].with_user(self.user).create(
                self._vals(self.company.partner_id)
            )

    def test_related_admission_state_is_not_writable(self):
        request = self.make_request()
        for user in (self.user, self.officer, self.approver):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                request.with_user(user).write({"partner_admission_state": "approved"})
        self.assertEqual(self.customer.admission_state, "in_review")

    def test_context_key_grants_no_authority(self):
        request = self.make_request()
        with self.assertRaises(AccessError):
            request.with_user(self.user).with_context(partner_admission_request_id=request.id).write(
                {"state": "approved"}
            )
        self.assertEqual(request.state, "submitted")

    def test_activities_by_type(self):
        review_type = self.env.ref("partner_qualification_credit.mail_activity_type_admission_review")
        approve_type = self.env.ref("partner_qualification_credit.mail_activity_type_admission_approve")
        # A supplier: no credit step, only the office's and leadership's activities.
        request = self.make_request(role="supplier")
        self.assertTrue(request.activity_ids)
        self.assertEqual(request.activity_ids.activity_type_id, review_type)
        self.assertTrue(
            all(
                u.has_group("partner_qualification_credit.group_officer")
                for u in request.activity_ids.user_id
            )
        )
        # a translated or edited summary does not keep the activity open
        request.activity_ids.sudo().write({"summary": "审核"})
        self.review(request)
        self.assertEqual(request.activity_ids.activity_type_id, approve_type)
        self.assertTrue(
            all(
                u.has_group("partner_qualification_credit.group_approver")
                for u in request.activity_ids.user_id
            )
        )
        request.with_user(self.approver).action_approve()
        self.assertFalse(request.activity_ids)


@tagged("post_install", "-at_install")
class TestSecurityEvaluationWorkflow(PartnerEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False

    def _scored(self, score, **values):
        scores = {f"score_{c}": score for c in ("standing", "cooperation", "payment", "potential", "other")}
        return self._evaluation(**scores, **values)

    def test_submitted_proposal_is_frozen(self):
        evaluation = self._scored(80)
        evaluation.with_user(self.evaluator).action_submit()
        frozen = [
            {"proposed_credit_limit": 9_000_000.0},
            {"proposed_grade_id": self.grade_a.id},
            {"reason": "Better than it looks"},
            {"score_payment": 100.0},
        ]
        for user in (self.officer, self.approver, self.evaluator):
            for vals in frozen:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    evaluation.with_user(user).write(vals)
        limit = evaluation.proposed_credit_limit
        evaluation.with_user(self.approver).reject_reason = "Check the payments"
        evaluation.with_user(self.approver).action_approve()
        self.assertEqual(self.customer.with_company(self.company).sudo().credit_limit, limit)

    def test_who_changed_a_figure_cannot_approve(self):
        evaluation = self._scored(60)
        evaluation.with_user(self.approver).write({"score_payment": 100.0})
        evaluation.with_user(self.evaluator).action_submit()
        with self.assertRaisesRegex(AccessError, "another approver"):
            evaluation.with_user(self.approver).action_approve()
        # the same for whoever raised the proposed limit of the draft
        other = self._scored(60, partner=self.supplier)
        other.with_user(self.approver).proposed_credit_limit = 1_000_000.0
        other.with_user(self.evaluator).action_submit()
        with self.assertRaisesRegex(AccessError, "another approver"):
            other.with_user(self.approver).action_approve()
        self.assertEqual(other.state, "submitted")

    def test_context_defaults_and_copy_of_workflow_fields(self):
        Evaluation = self.env["partner.evaluation"].with_user(self.officer)
        forged = Evaluation.with_context(
            default_state="approved",
            default_campaign_id=self.campaign.id,
            default_fact_overdue_days=0,
            default_previous_grade_id=self.grade_a.id,
            default_figure_author_ids=[],
            default_submitted_by_id=self.officer2.id,
        ).create(
            {
                "partner_id": self.customer.id,
                "evaluator_id": self.evaluator.id,
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
            }
        )
        self.assertRecordValues(
            forged,
            [
                {
                    "state": "draft",
                    "campaign_id": False,
                    "submitted_by_id": False,
                    "previous_grade_id": self.grade_c.id,
                }
            ],
        )
        self.assertIn(self.officer, forged.figure_author_ids | forged.create_uid)
        forged.with_user(self.evaluator).write(
            {
                **{f"score_{c}": 50.0 for c in ("standing", "cooperation", "payment", "potential", "other")},
                "reason": "Average partner",
            }
        )
        forged.with_user(self.evaluator).action_submit()
        copied = forged.with_user(self.officer).copy()
        self.assertRecordValues(copied, [{"state": "draft", "submitted_by_id": False, "campaign_id": False}])

    def test_context_key_grants_no_authority(self):
        evaluation = self._scored(80).with_user(self.evaluator)
        for key in ("partner_evaluation_workflow", "partner_evaluation_approving"):
            with self.subTest(key=key), self.assertRaises(AccessError):
                evaluation.with_context(**{key: True}).write({"state": "approved"})
        self.assertEqual(evaluation.state, "draft")

    def test_facts_are_plain_fields_written_by_refresh(self):
        evaluation = self._evaluation()
        self.assertFalse(self.env["partner.evaluation"]._fields["fact_overdue_days"].compute)
        self.assertTrue(evaluation.facts_date)
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            evaluation.with_user(self.evaluator).write({"fact_overdue_days": 0})
        evaluation.with_user(self.evaluator).action_refresh_facts()

    def test_hostile_numbers_are_refused(self):
        evaluation = self._scored(50)
        hostile = [
            {"proposed_credit_limit": float("nan")},
            {"proposed_credit_limit": float("inf")},
            {"proposed_credit_limit": -1.0},
            {"proposed_credit_limit": 1e18},
            {"score_payment": float("nan")},
            {"score_payment": float("-inf")},
            {"score_payment": 101.0},
            {"date_from": "1200-01-01"},
            {"date_to": "9999-12-31"},
            {"deadline": "0099-01-01"},
        ]
        for vals in hostile:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                evaluation.with_user(self.evaluator).write(vals)
        self.assertRecordValues(evaluation, [{"score_payment": 50.0, "date_from": evaluation.date_from}])
        for vals in hostile[:4]:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._evaluation(**vals)

    def test_hostile_weights_are_refused(self):
        for value in (-10, 10**300):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.company.write({"evaluation_weight_customer_standing": value})


@tagged("post_install", "-at_install")
class TestSecurityCampaignWorkflow(PartnerEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False

    def _done_campaign(self):
        self.campaign.scope = "customer"
        self.campaign.action_start()
        for evaluation in self.campaign.evaluation_ids:
            scores = {
                f"score_{c}": 70.0 for c in ("standing", "cooperation", "payment", "potential", "other")
            }
            evaluation.with_user(evaluation.evaluator_id).write(scores)
            evaluation.with_user(evaluation.evaluator_id).action_submit()
        self.campaign.evaluation_ids.with_user(self.approver).action_approve()
        self.assertEqual(self.campaign.state, "done")
        return self.campaign

    def test_done_campaign_cannot_be_cancelled_or_deleted(self):
        campaign = self._done_campaign()
        evaluations = campaign.evaluation_ids
        self.assertTrue(evaluations)
        attempts = [
            ("write state", lambda c: c.write({"state": "cancelled"})),
            ("write name", lambda c: c.write({"name": "Forgotten"})),
            ("cancel", lambda c: c.action_cancel()),
            ("draft", lambda c: c.action_draft()),
            ("unlink", lambda c: c.unlink()),
            ("o2m delete", lambda c: c.write({"evaluation_ids": [Command.delete(evaluations[0].id)]})),
            ("o2m unlink", lambda c: c.write({"evaluation_ids": [Command.unlink(evaluations[0].id)]})),
        ]
        for user in (self.officer, self.approver):
            for label, attempt in attempts:
                with (
                    self.subTest(user=user.login, attempt=label),
                    self.assertRaises(UserError),
                ):
                    attempt(campaign.with_user(user))
        for label, attempt in attempts:
            with self.subTest(user="superuser", attempt=label), self.assertRaises(UserError):
                attempt(campaign.sudo())
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.evaluation_ids, evaluations)
        self.assertTrue(all(e.state == "approved" for e in evaluations))

    def test_campaign_state_only_through_actions(self):
        for state in ("in_progress", "to_approve", "done", "cancelled"):
            with self.subTest(state=state), self.assertRaises(AccessError):
                self.campaign.with_user(self.officer).write({"state": state})
        forged = (
            self.env["partner.evaluation.campaign"]
            .with_user(self.officer)
            .with_context(default_state="done")
            .create({"name": "Forged", "date_from": "2026-01-01", "date_to": "2026-06-30"})
        )
        self.assertEqual(forged.state, "draft")
        self.assertEqual(self.campaign.state, "draft")

    def test_campaign_evaluations_cannot_be_forged_through_one2many(self):
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.officer).write(
                {
                    "evaluation_ids": [
                        Command.create(
                            {
                                "partner_id": self.customer.id,
                                "evaluator_id": self.evaluator.id,
                                "date_from": "2026-01-01",
                                "date_to": "2026-06-30",
                            }
                        )
                    ]
                }
            )

    def test_hostile_campaign_dates(self):
        for vals in ({"date_from": "1000-01-01"}, {"date_to": "9000-01-01"}, {"deadline": "3001-01-01"}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.campaign.with_user(self.officer).write(vals)
