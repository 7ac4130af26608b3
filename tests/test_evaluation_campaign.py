# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import PartnerQualificationCommon

_logger = logging.getLogger(__name__)


class PartnerEvaluationCommon(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.evaluator = new_test_user(
            cls.env, "pqc_evaluator", groups="partner_qualification_credit.group_user"
        )
        cls.officer2 = new_test_user(
            cls.env, "pqc_officer2", groups="partner_qualification_credit.group_officer"
        )
        cls.admit(cls.customer, cls.grade_c)
        cls.admit(cls.supplier, cls.grade_c)
        cls.customer.sudo().qualification_applicant_id = cls.evaluator
        Campaign = cls.env["partner.evaluation.campaign"]
        cls.campaign = Campaign.with_user(cls.officer).create(
            {
                "name": "2026 H1",
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
                "deadline": "2026-07-15",
                "scope": "both",
                "fallback_evaluator_id": cls.officer2.id,
            }
        )

    def _evaluation(self, partner=None, **values):
        vals = {
            "partner_id": (partner or self.customer).id,
            "evaluator_id": self.evaluator.id,
            "date_from": "2026-01-01",
            "date_to": "2026-06-30",
            "role": "customer",
        }
        vals.update(values)
        return self.env["partner.evaluation"].with_user(self.officer).create(vals)

    def _set_facts(self, evaluation, **facts):
        """Stand-in for the ERP: only the workflow writes facts (as superuser)."""
        evaluation.sudo().write(facts)


@tagged("post_install", "-at_install")
class TestEvaluationCampaign(PartnerEvaluationCommon):
    def test_start_creates_one_evaluation_per_partner_in_scope(self):
        not_admitted = self.env["res.partner"].create(
            {"name": "Not admitted", "is_company": True, "partner_role": "customer"}
        )
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": self.customer.id})
        self.campaign.with_user(self.officer).action_start()
        self.assertEqual(self.campaign.state, "in_progress")
        evaluations = self.campaign.evaluation_ids
        self.assertEqual(evaluations.partner_id, self.customer | self.supplier)
        self.assertNotIn(not_admitted, evaluations.partner_id)
        self.assertNotIn(contact, evaluations.partner_id)
        by_partner = {e.partner_id: e for e in evaluations}
        self.assertEqual(by_partner[self.customer].evaluator_id, self.evaluator, "the applicant evaluates")
        self.assertEqual(by_partner[self.supplier].evaluator_id, self.officer2, "fallback without applicant")
        self.assertEqual(by_partner[self.customer].role, "customer")
        self.assertEqual(by_partner[self.supplier].role, "supplier")
        activity = by_partner[self.customer].activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.evaluator)
        self.assertEqual(str(activity.date_deadline), "2026-07-15")
        with self.assertRaisesRegex(UserError, "already been started"):
            self.campaign.with_user(self.officer).action_start()
        with self.assertRaisesRegex(UserError, "are fixed"):
            self.campaign.date_to = "2026-12-31"

    def test_applicant_without_rights_gets_fallback(self):
        outsider = new_test_user(self.env, "pqc_no_rights", groups="base.group_user")
        self.supplier.sudo().qualification_applicant_id = outsider
        self.campaign.action_start()
        evaluation = self.campaign.evaluation_ids.filtered(lambda e: e.partner_id == self.supplier)
        self.assertEqual(evaluation.evaluator_id, self.officer2)

    def test_admission_of_other_company_is_out_of_scope(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        partner = self.env["res.partner"].create(
            {"name": "Admitted elsewhere", "is_company": True, "partner_role": "customer"}
        )
        # The role is per company too: admitted as customer by the other company.
        partner.sudo().with_company(other).write({"admission_state": "approved", "partner_role": "customer"})
        self.campaign.action_start()
        self.assertNotIn(partner, self.campaign.evaluation_ids.partner_id)
        campaign = self.campaign.sudo().copy(
            {"company_id": other.id, "fallback_evaluator_id": self.env.user.id}
        )
        campaign.action_start()
        self.assertEqual(campaign.evaluation_ids.partner_id, partner)
        self.assertEqual(campaign.evaluation_ids.company_id, other)

    def test_scope_filters(self):
        self.campaign.write({"scope": "supplier"})
        self.campaign.action_start()
        self.assertEqual(self.campaign.evaluation_ids.partner_id, self.supplier)
        campaign = self.campaign.copy({"scope": "both", "grade_ids": [(6, 0, self.grade_a.ids)]})
        with self.assertRaisesRegex(UserError, "No admitted partner"):
            campaign.action_start()

    def test_only_officer_starts(self):
        with self.assertRaisesRegex(UserError, "officers"):
            self.campaign.with_user(self.evaluator).action_start()

    def test_campaign_states_follow_evaluations(self):
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
                "reason": "Little business",
            }
        )
        mine = evaluations.filtered(lambda e: e.evaluator_id == self.evaluator)
        others = evaluations - mine
        mine.with_user(self.evaluator).action_submit()
        self.assertEqual(self.campaign.state, "in_progress")
        others.with_user(self.officer2).action_submit()
        self.assertEqual(self.campaign.state, "to_approve")
        mine.reject_reason = "Scores too optimistic"
        mine.with_user(self.approver).action_reject()
        self.assertEqual(mine.state, "draft")
        self.assertEqual(self.campaign.state, "in_progress")
        self.campaign.with_user(self.officer).action_consolidate()
        mine.with_user(self.evaluator).action_submit()
        self.assertEqual(self.campaign.state, "to_approve")
        with self.assertRaisesRegex(UserError, "consolidate"):
            self.campaign.with_user(self.approver).action_approve_all()
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.evaluator).action_consolidate()
        self.campaign.with_user(self.officer).action_consolidate()
        self.assertEqual(self.campaign.consolidated_by_id, self.officer)
        self.campaign.with_user(self.approver).action_approve_all()
        self.assertEqual(set(evaluations.mapped("state")), {"approved"})
        self.assertEqual(self.campaign.state, "done")
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            self.campaign.action_cancel()

    def test_cancel_removes_evaluations(self):
        self.campaign.action_start()
        self.campaign.with_user(self.officer).action_cancel()
        self.assertEqual(self.campaign.state, "cancelled")
        self.assertFalse(self.campaign.evaluation_ids)

    def test_weights_must_sum_to_100(self):
        with self.assertRaisesRegex(ValidationError, "add up to 110"):
            self.company.evaluation_weight_customer_standing = 30
        self.company.write(
            {"evaluation_weight_customer_standing": 30, "evaluation_weight_customer_payment": 30}
        )
        settings = self.env["res.config.settings"].create(
            {"evaluation_weight_supplier_standing": 25, "evaluation_weight_supplier_cooperation": 35}
        )
        settings.execute()
        self.assertEqual(self.company.evaluation_weight_supplier_standing, 25)
        with self.assertRaisesRegex(ValidationError, "suppliers add up to 105"):
            self.env["res.config.settings"].create({"evaluation_weight_supplier_other": 15}).execute()

    def test_scores_out_of_range_refused(self):
        evaluation = self._evaluation()
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            evaluation.score_payment = 101
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            evaluation.score_standing = -1

    def test_weighted_score(self):
        evaluation = self._evaluation(
            score_standing=100, score_cooperation=50, score_payment=80, score_potential=0, score_other=100
        )
        # customer weights 20/20/40/10/10
        self.assertAlmostEqual(evaluation.score, 20 + 10 + 32 + 0 + 10)
        evaluation.role = "supplier"  # 20/40/15/15/10
        self.assertAlmostEqual(evaluation.score, 20 + 20 + 12 + 0 + 10)

    def test_wizard_creates_ad_hoc_evaluations(self):
        wizard = Form(
            self.env["partner.evaluation.create"]
            .with_user(self.officer)
            .with_context(active_model="res.partner", active_ids=(self.customer | self.supplier).ids)
        )
        wizard.note = "Serious quality incident"
        action = wizard.save().action_create()
        evaluations = self.env["partner.evaluation"].search(action["domain"])
        self.assertEqual(evaluations.partner_id, self.customer | self.supplier)
        self.assertFalse(evaluations.campaign_id)
        self.assertEqual(
            evaluations.filtered(lambda e: e.partner_id == self.customer).evaluator_id, self.evaluator
        )
        self.assertEqual(
            evaluations.filtered(lambda e: e.partner_id == self.supplier).evaluator_id, self.officer
        )
        # a plain user evaluates only himself
        wizard = (
            self.env["partner.evaluation.create"]
            .with_user(self.evaluator)
            .with_context(active_model="res.partner", active_ids=self.supplier.ids)
            .create({})
        )
        action = wizard.action_create()
        self.assertEqual(self.env["partner.evaluation"].browse(action["res_id"]).evaluator_id, self.evaluator)

    def test_access_rules(self):
        self.campaign.action_start()
        evaluations = self.campaign.evaluation_ids
        mine = evaluations.filtered(lambda e: e.evaluator_id == self.evaluator)
        Evaluation = self.env["partner.evaluation"].with_user(self.evaluator)
        self.assertEqual(Evaluation.search([("campaign_id", "=", self.campaign.id)]), mine)
        mine.with_user(self.evaluator).write(
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
                "reason": "Followed",
            }
        )
        mine.with_user(self.evaluator).action_submit()
        self.assertEqual(Evaluation.search([("campaign_id", "=", self.campaign.id)]), mine, "still readable")
        with self.assertRaises(AccessError):
            mine.with_user(self.evaluator).comment_other = "late change"
        with self.assertRaises(AccessError):
            self._evaluation().with_user(self.evaluator).unlink()
        with self.assertRaises(AccessError):
            self._evaluation().with_user(self.evaluator).copy({"evaluator_id": self.officer.id})
        self.assertEqual(
            self.env["partner.evaluation"]
            .with_user(self.officer)
            .search([("campaign_id", "=", self.campaign.id)]),
            evaluations,
        )

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.evaluator.write({"company_ids": [(4, other.id)]})
        evaluation = self._evaluation().sudo().copy({"company_id": other.id})
        self.assertFalse(
            self.env["partner.evaluation"]
            .with_user(self.evaluator)
            .with_context(allowed_company_ids=self.company.ids)
            .search([("id", "=", evaluation.id)])
        )

    def test_start_5000_partners_performance(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Bulk {i}", "is_company": True, "partner_role": "customer"} for i in range(5000)]
        )
        partners.sudo().write({"admission_state": "approved", "qualification_grade_id": self.grade_c.id})
        self.campaign.scope = "customer"
        self.env.flush_all()
        start = time.time()
        self.campaign.action_start()
        self.env.flush_all()
        elapsed = time.time() - start
        _logger.info("Campaign start: %s evaluations in %.2fs", len(self.campaign.evaluation_ids), elapsed)
        self.assertEqual(len(self.campaign.evaluation_ids), 5001)
        self.assertLess(elapsed, 60)
