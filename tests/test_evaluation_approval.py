# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from ..models.partner_evaluation import SCORE_FIELDS
from .test_evaluation_campaign import PartnerEvaluationCommon


@tagged("post_install", "-at_install")
class TestEvaluationApproval(PartnerEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False  # the credit check is tested on its own
        cls.create_document(cls.customer)
        cls.grade_b.with_company(cls.company).default_credit_limit = 50000.0
        cls.grade_e.with_company(cls.company).default_credit_limit = 0.0
        cls.customer.sudo().with_company(cls.company).credit_limit = 20000.0
        cls.product = cls.env["product.product"].create({"name": "Steel coil", "list_price": 100.0})

    def _scored(self, score, **values):
        scores = dict.fromkeys(SCORE_FIELDS, score)
        return self._evaluation(**scores, **values)

    def test_suggestion_follows_bands(self):
        expected = {
            95: self.grade_a,
            90: self.grade_a,
            89.9: self.grade_b,
            75: self.grade_b,
            65: self.grade_c,
        }
        expected.update({45: self.grade_d, 39: self.grade_e, 1: self.grade_e})
        evaluation = self._scored(0)
        for score, grade in expected.items():
            evaluation.write(
                dict.fromkeys(
                    [
                        "score_standing",
                        "score_cooperation",
                        "score_payment",
                        "score_potential",
                        "score_other",
                    ],
                    score,
                )
            )
            self.assertEqual(evaluation.suggested_grade_id, grade, f"score {score}")
            self.assertEqual(evaluation.proposed_grade_id, grade, "the proposal follows the suggestion")
        # bands are the grades' minimum scores
        self.grade_a.min_score = 96
        self.assertEqual(self._scored(95).suggested_grade_id, self.grade_b)

    def test_caps_lower_the_suggestion(self):
        evaluation = self._scored(95)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_a)
        self._set_facts(evaluation, fact_overdue_days=45)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_c)
        self._set_facts(evaluation, fact_overdue_days=91)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_d)
        self.assertIn("91 days overdue", evaluation.suggestion_note)
        self._set_facts(evaluation, fact_overdue_days=0, fact_usage_peak=120)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_c)
        self.assertIn("credit limit exceeded", evaluation.suggestion_note)
        # a cap never raises a low score
        low = self._scored(10)
        self._set_facts(low, fact_overdue_days=120)
        self.assertEqual(low.suggested_grade_id, self.grade_e)

    def test_proposal_different_from_suggestion_needs_reason(self):
        evaluation = self._scored(80)
        self.assertEqual(evaluation.proposed_grade_id, self.grade_b)
        self.assertEqual(evaluation.proposed_credit_limit, 50000.0, "the grade's default limit")
        evaluation.proposed_grade_id = self.grade_a
        with self.assertRaisesRegex(ValidationError, "give the reason"):
            evaluation.with_user(self.evaluator).action_submit()
        self.assertEqual(evaluation.state, "draft")
        evaluation.reason = "Strategic partner, new plant opened"
        evaluation.with_user(self.evaluator).action_submit()
        self.assertEqual(evaluation.state, "submitted")
        self.assertEqual(evaluation.proposed_grade_id, self.grade_a)

    def test_approval_updates_grade_and_limit_with_chatter(self):
        evaluation = self._scored(80)
        evaluation.proposed_credit_limit = 45000.0
        evaluation.with_user(self.evaluator).action_submit()
        with self.assertRaisesRegex(AccessError, "Only approvers"):
            evaluation.with_user(self.officer).action_approve()
        evaluation.with_user(self.approver).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.approver_id, self.approver)
        partner = self.customer.with_company(self.company).sudo()
        self.assertEqual(partner.qualification_grade_id, self.grade_b)
        self.assertEqual(partner.credit_limit, 45000.0)
        self.assertEqual(evaluation.previous_grade_id, self.grade_c)
        self.assertEqual(evaluation.previous_credit_limit, 20000.0)
        message = partner.message_ids[:1]
        self.assertIn("C - Ordinary → B - Good", message.body)
        self.assertIn("45,000", message.body)
        # history: read-only for everybody, shown on the partner
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            evaluation.with_user(self.approver).reason = "Rewrite history"
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            evaluation.sudo().proposed_credit_limit = 1.0
        with self.assertRaisesRegex(UserError, "Only draft"):
            evaluation.sudo().unlink()
        self.assertEqual(self.customer.with_user(self.officer).partner_evaluation_count, 1)
        action = self.customer.with_user(self.officer).action_view_partner_evaluations()
        self.assertEqual(self.env["partner.evaluation"].search(action["domain"]), evaluation)

    def test_approval_keeping_grade_and_limit_writes_no_partner(self):
        """A partner confirmed in its grade and limit (most of a campaign) is not
        written again (its write runs checks and syncs for nothing); the approval note
        is still on its chatter. A changed limit is written."""
        Partner = type(self.env["res.partner"])
        write = Partner.write
        written = []

        def spy(records, vals):
            if "credit_limit" in vals or "qualification_grade_id" in vals:
                written.extend(records.ids)
            return write(records, vals)

        partner = self.customer.with_company(self.company).sudo()
        kept, changed = self._scored(65), self._scored(65)
        self.assertEqual(kept.proposed_grade_id, self.grade_c)
        kept.proposed_credit_limit = 20000.0
        changed.proposed_credit_limit = 30000.0
        kept.with_user(self.evaluator).action_submit()
        with patch.object(Partner, "write", spy):
            kept.with_user(self.approver).action_approve()
        self.assertEqual(written, [])
        self.assertEqual(partner.qualification_grade_id, self.grade_c)
        self.assertEqual(partner.credit_limit, 20000.0)
        self.assertEqual(kept.previous_grade_id, self.grade_c)
        self.assertEqual(kept.previous_credit_limit, 20000.0)
        self.assertIn("C - Ordinary → C - Ordinary", partner.message_ids[:1].body)
        changed.with_user(self.evaluator).action_submit()
        with patch.object(Partner, "write", spy):
            changed.with_user(self.approver).action_approve()
        self.assertEqual(written, [self.customer.id])
        self.assertEqual(partner.credit_limit, 30000.0)

    def test_submission_leaves_the_trail_of_the_orm_write(self):
        # Submitting writes every row in one statement: the chatter, the cache and the
        # database must hold what the ORM's write of the same values leaves.
        self.env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        batch = self._scored(80) | self._scored(80)
        reference = self._scored(80)
        everything = (batch | reference).with_env(self.env)
        everything.with_user(self.evaluator).action_submit()
        everything.with_user(self.approver).write({"reject_reason": "Check the payment score"})
        everything.with_user(self.approver).action_reject()
        self.env.cr.precommit.run()
        before = fields.Datetime.now()
        batch.with_env(self.env).with_user(self.evaluator).action_submit()
        reference.with_env(self.env).with_user(self.evaluator).sudo().write(
            {
                "state": "submitted",
                "submitted_date": fields.Datetime.now(),
                "submitted_by_id": self.evaluator.id,
                "reject_reason": False,
            }
        )
        self.env.cr.precommit.run()

        def trail(evaluation):
            message = evaluation.sudo().message_ids[:1]
            return (
                message.body,
                message.message_type,
                message.subtype_id,
                message.author_id,
                sorted(
                    (
                        tracking.field_id.name,
                        tracking.old_value_char or tracking.old_value_text or "",
                        tracking.new_value_char or tracking.new_value_text or "",
                    )
                    for tracking in message.tracking_value_ids
                ),
            )

        expected = trail(reference)
        self.assertEqual(
            expected[-1],
            [("reject_reason", "Check the payment score", ""), ("state", "Draft", "Submitted")],
        )
        for evaluation in batch:
            self.assertEqual(trail(evaluation), expected)
        values = {"state": "submitted", "submitted_by_id": self.evaluator.id, "reject_reason": False}
        self.assertRecordValues(batch, [values, values])
        self.assertTrue(all(evaluation.facts_date >= before for evaluation in batch))
        cached = batch.read(["state", "submitted_date", "submitted_by_id", "reject_reason", "facts_date"])
        batch.invalidate_recordset()
        self.assertEqual(
            batch.read(["state", "submitted_date", "submitted_by_id", "reject_reason", "facts_date"]), cached
        )
        self.assertEqual(batch.write_uid, self.evaluator)

    def test_evaluator_cannot_approve_own(self):
        evaluation = self._scored(80, evaluator_id=self.approver.id)
        evaluation.with_user(self.approver).action_submit()
        with self.assertRaisesRegex(AccessError, "another approver"):
            evaluation.with_user(self.approver).action_approve()
        self.assertEqual(evaluation.state, "submitted")
        self.assertEqual(self.customer.with_company(self.company).sudo().qualification_grade_id, self.grade_c)

    def test_reject_needs_reason_and_returns_to_draft(self):
        evaluation = self._scored(80)
        evaluation.with_user(self.evaluator).action_submit()
        with self.assertRaisesRegex(UserError, "rejection reason"):
            evaluation.with_user(self.approver).action_reject()
        evaluation.with_user(self.approver).reject_reason = "Payment score ignores the overdue invoices"
        evaluation.with_user(self.approver).action_reject()
        self.assertEqual(evaluation.state, "draft")
        self.assertEqual(evaluation.activity_ids.user_id, self.evaluator)

    def test_grade_e_blocks_new_sale_orders_and_flags_open_quotations(self):
        quotation = (
            self.env["sale.order"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        self.assertEqual(quotation.user_id, self.user)
        evaluation = self._scored(10, reason="Stopped paying in March")
        self.assertEqual(evaluation.proposed_grade_id, self.grade_e)
        evaluation.with_user(self.evaluator).action_submit()
        evaluation.with_user(self.approver).action_approve()
        self.assertEqual(self.customer.with_company(self.company).sudo().qualification_grade_id, self.grade_e)
        self.assertEqual(quotation.activity_ids.user_id, self.user)
        self.assertIn("graded E", quotation.activity_ids.summary)
        with self.assertRaisesRegex(UserError, "E - Prohibited"):
            quotation.with_user(self.user).action_confirm()
        new_order = (
            self.env["sale.order"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "E - Prohibited"):
            new_order.action_confirm()

    def test_reports_render(self):
        self.campaign.action_start()
        evaluations = self.campaign.evaluation_ids
        evaluations.write(
            {
                **dict.fromkeys(
                    [
                        "score_standing",
                        "score_cooperation",
                        "score_payment",
                        "score_potential",
                        "score_other",
                    ],
                    80,
                ),
                "reason": "Consolidated by the office",
            }
        )
        evaluations.with_user(self.officer).action_submit()
        evaluations.filtered(lambda e: e.partner_id == self.customer).with_user(
            self.approver
        ).action_approve()
        report = self.env["ir.actions.report"]
        html, _type = report._render_qweb_html(
            "partner_qualification_credit.report_partner_evaluation", evaluations.ids
        )
        html = html.decode()
        self.assertIn(self.customer.name, html)
        self.assertIn("Evaluation Sheet", html)
        self.assertIn("Average days to pay", html)
        html, _type = report._render_qweb_html(
            "partner_qualification_credit.report_partner_evaluation_campaign", self.campaign.ids
        )
        html = html.decode()
        self.assertIn("Campaign Summary", html)
        self.assertIn(self.supplier.name, html)
        self.assertIn(self.evaluator.name, html)
        self.assertEqual(
            evaluations[:1].action_print_sheet()["report_name"],
            "partner_qualification_credit.report_partner_evaluation",
        )
        self.assertEqual(
            self.campaign.action_print_summary()["report_name"],
            "partner_qualification_credit.report_partner_evaluation_campaign",
        )
        action = self.campaign.action_view_evaluations()
        self.assertEqual(self.env["partner.evaluation"].search(action["domain"]), evaluations)

    def test_evaluation_form(self):
        with Form(self.env["partner.evaluation"].with_user(self.officer)) as form:
            form.partner_id = self.customer
            form.evaluator_id = self.evaluator
            form.date_from = date(2026, 1, 1)
            form.date_to = date(2026, 6, 30)
            for criterion in ("standing", "cooperation", "payment", "potential", "other"):
                setattr(form, f"score_{criterion}", 92)
            self.assertEqual(form.suggested_grade_id, self.grade_a)
            self.assertEqual(form.proposed_grade_id, self.grade_a)
            form.proposed_grade_id = self.grade_b
            self.assertEqual(form.proposed_credit_limit, 50000.0)
            form.reason = "New management, wait one period"
        evaluation = form.record
        self.assertEqual(evaluation.proposed_grade_id, self.grade_b)
        with Form(self.campaign.with_user(self.officer)) as campaign_form:
            campaign_form.name = "2026 H1 rating"
        self.assertEqual(self.campaign.name, "2026 H1 rating")

    # ------------------------------------------------------------
    # Workflow fields, authors and refreshed facts (review fixes)
    # ------------------------------------------------------------

    def _fake_facts(self, **facts):
        """Patch the ERP facts of every partner evaluated."""

        def get_period_facts(evaluation_model, partners, company, date_from, date_to):
            return {partner.id: dict(facts) for partner in partners.commercial_partner_id}

        return patch.object(type(self.env["partner.evaluation"]), "_get_period_facts", get_period_facts)

    def test_evaluator_cannot_write_workflow_fields(self):
        evaluation = self._scored(80)
        mine = evaluation.with_user(self.evaluator)
        forged = [
            {"state": "approved", "approver_id": self.evaluator.id, "approval_date": "2026-07-01 10:00:00"},
            {
                "fact_overdue_days": 0,
                "score": 95,
                "suggested_grade_id": self.grade_a.id,
                "proposed_grade_id": self.grade_a.id,
                "state": "submitted",
            },
            {"score": 95},
            {"suggested_grade_id": self.grade_a.id, "suggestion_note": "Score 95"},
            {"fact_usage_peak": 0.0},
            {"facts_date": "2026-07-01 10:00:00"},
            {"previous_grade_id": self.grade_a.id, "previous_credit_limit": 1.0},
            {"submitted_date": "2026-07-01 10:00:00", "submitted_by_id": self.officer.id},
            {"campaign_id": self.campaign.id},
        ]
        for vals in forged:
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "set by its workflow"):
                mine.write(vals)
        # no context key grants the workflow's rights
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            mine.with_context(partner_evaluation_workflow=True).write({"state": "approved"})
        self.assertRecordValues(evaluation, [{"state": "draft", "approver_id": False, "score": 80.0}])
        # nor at creation, where context defaults are ignored
        Evaluation = self.env["partner.evaluation"].with_user(self.evaluator)
        vals = {
            "partner_id": self.customer.id,
            "evaluator_id": self.evaluator.id,
            "date_from": "2026-01-01",
            "date_to": "2026-06-30",
        }
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            Evaluation.create(dict(vals, state="approved", approver_id=self.evaluator.id))
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            Evaluation.create(dict(vals, fact_overdue_days=0, score=95))
        created = Evaluation.with_context(
            default_state="approved", default_score=95, default_approver_id=self.evaluator.id
        ).create(dict(vals, state="draft", score_payment=50))
        self.assertRecordValues(created, [{"state": "draft", "score": 20.0, "approver_id": False}])
        # what the evaluator fills in stays writable
        mine.write({"score_payment": 100, "proposed_grade_id": self.grade_b.id, "reason": "Pays well"})
        self.assertAlmostEqual(evaluation.score, 88.0)

    def test_score_recomputed_at_submission(self):
        evaluation = self._evaluation(
            score_standing=100, score_cooperation=50, score_payment=50, score_potential=50, score_other=50
        )
        # customer weights 20/20/40/10/10
        self.assertAlmostEqual(evaluation.score, 60.0, msg="customer standing weighs 20")
        # the weights change after the scores were entered: the stored score is stale
        self.company.write(
            {"evaluation_weight_customer_standing": 30, "evaluation_weight_customer_payment": 30}
        )
        self.assertAlmostEqual(evaluation.score, 60.0)
        evaluation.reason = "Weights changed"
        evaluation.with_user(self.evaluator).action_submit()
        # 30/20/30/10/10
        self.assertAlmostEqual(evaluation.score, 65.0, msg="the score is recomputed when frozen")

    def test_only_officers_reassign_evaluations(self):
        evaluation = self._scored(80)
        with self.assertRaisesRegex(AccessError, "another evaluator"):
            evaluation.with_user(self.evaluator).evaluator_id = self.officer2
        evaluation.with_user(self.officer).evaluator_id = self.officer2
        self.assertEqual(evaluation.evaluator_id, self.officer2)

    def test_author_or_submitter_cannot_approve(self):
        approver_2 = new_test_user(
            self.env, "pqc_eval_approver_2", groups="partner_qualification_credit.group_approver"
        )
        # created by the approver for another evaluator, who submits it
        created = (
            self.env["partner.evaluation"]
            .with_user(self.approver)
            .create(
                {
                    "partner_id": self.customer.id,
                    "evaluator_id": self.evaluator.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-06-30",
                    **dict.fromkeys(
                        [
                            "score_standing",
                            "score_cooperation",
                            "score_payment",
                            "score_potential",
                            "score_other",
                        ],
                        100,
                    ),
                    "reason": "Pays well",
                }
            )
        )
        created.with_user(self.evaluator).action_submit()
        self.assertEqual(created.submitted_by_id, self.evaluator)
        with self.assertRaisesRegex(AccessError, "another approver"):
            created.with_user(self.approver).action_approve()
        # reassigned and submitted by the approver
        submitted = self._scored(80, evaluator_id=self.officer2.id)
        submitted.with_user(self.approver).evaluator_id = self.evaluator
        submitted.with_user(self.approver).action_submit()
        self.assertEqual(submitted.submitted_by_id, self.approver)
        with self.assertRaisesRegex(AccessError, "another approver"):
            submitted.with_user(self.approver).action_approve()
        self.assertEqual((created | submitted).mapped("state"), ["submitted", "submitted"])
        self.assertEqual(self.customer.with_company(self.company).sudo().qualification_grade_id, self.grade_c)
        (created | submitted).with_user(approver_2).action_approve()
        self.assertEqual((created | submitted).mapped("state"), ["approved", "approved"])
        # starting a campaign does not author its evaluations
        campaign = self.campaign.copy({"name": "2026 H1 bis"})
        campaign.with_user(self.approver).action_start()
        evaluation = campaign.evaluation_ids.filtered(lambda e: e.evaluator_id == self.evaluator)
        self.assertEqual(evaluation.create_uid, self.approver)
        evaluation.with_user(self.evaluator).write({**dict.fromkeys(SCORE_FIELDS, 80), "reason": "Fine"})
        evaluation.with_user(self.evaluator).action_submit()
        evaluation.with_user(self.approver).action_approve()
        self.assertEqual(evaluation.state, "approved")

    def test_refresh_facts_updates_the_suggestion(self):
        evaluation = self._scored(80)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_b)
        chosen = self._scored(80)
        chosen.write({"proposed_grade_id": self.grade_c.id, "reason": "Cautious"})
        with self._fake_facts(fact_overdue_days=95):
            (evaluation | chosen).with_user(self.officer).action_refresh_facts()
        self.assertEqual((evaluation | chosen).mapped("fact_overdue_days"), [95, 95])
        self.assertEqual(evaluation.suggested_grade_id, self.grade_d, "capped by the refreshed facts")
        self.assertIn("95 days overdue", evaluation.suggestion_note)
        self.assertEqual(evaluation.proposed_grade_id, self.grade_d, "an untouched proposal follows")
        self.assertEqual(chosen.suggested_grade_id, self.grade_d)
        self.assertEqual(chosen.proposed_grade_id, self.grade_c, "a chosen proposal is kept")

    def test_submission_freezes_facts_and_matching_suggestion(self):
        evaluation = self._scored(80)
        self.assertEqual(evaluation.proposed_grade_id, self.grade_b)
        with self._fake_facts(fact_overdue_days=95):
            evaluation.with_user(self.evaluator).action_submit()
        self.assertRecordValues(
            evaluation,
            [
                {
                    "state": "submitted",
                    "fact_overdue_days": 95,
                    "suggested_grade_id": self.grade_d.id,
                    "proposed_grade_id": self.grade_d.id,
                }
            ],
        )
        # a proposal kept above the new suggestion needs its reason
        kept = self._scored(80)
        kept.proposed_grade_id = self.grade_a
        with (
            self._fake_facts(fact_overdue_days=95),
            self.assertRaisesRegex(ValidationError, "give the reason"),
        ):
            kept.with_user(self.evaluator).action_submit()
