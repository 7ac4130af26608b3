# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .test_evaluation_campaign import PartnerEvaluationCommon

SCORES = ["score_standing", "score_cooperation", "score_payment", "score_potential", "score_other"]


@tagged("post_install", "-at_install")
class TestEvaluationRating(PartnerEvaluationCommon):
    """Complaints, corrective actions, reasons, notifications and due dates around the
    evaluation of one customer over 2026 H1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False
        cls.applicant = new_test_user(
            cls.env, "pqc_rating_applicant", groups="partner_qualification_credit.group_user"
        )
        cls.customer.sudo().with_company(cls.company).qualification_applicant_id = cls.applicant

    def _complaint(self, **values):
        vals = {
            "name": "Wrong invoice",
            "partner_id": self.customer.id,
            "category": "billing",
            "severity": "minor",
            "date_received": "2026-03-01 08:00:00",
        }
        vals.update(values)
        return self.env["partner.complaint"].with_user(self.officer).create(vals)

    def _approved(self, partner, date_to):
        evaluation = self._evaluation(partner, date_from=date_to - relativedelta(months=6), date_to=date_to)
        evaluation.sudo().write({"state": "approved"})
        return evaluation

    def test_critical_complaint_caps_suggestion_and_shows_on_sheet(self):
        self._complaint(severity="major")
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 100.0))
        self.assertEqual(evaluation.fact_complaint_count, 1)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_a, "a major complaint does not cap")
        self._complaint(name="Contaminated batch", category="quality", severity="critical")
        # outside the period: ignored
        self._complaint(name="Old", severity="critical", date_received="2025-12-31 08:00:00")
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.fact_complaint_count, 2)
        self.assertEqual(evaluation.fact_complaint_severe_count, 1)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_c)
        self.assertIn("critical complaint", evaluation.suggestion_note)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "partner_qualification_credit.report_partner_evaluation", evaluation.ids
        )
        html = html.decode()
        self.assertIn("Complaints / critical", html)
        self.assertIn("Tied up at period end / peak", html)
        # configurable: from two critical complaints only
        self.company.evaluation_severe_complaint_cap = 2
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.suggested_grade_id, self.grade_a)

    def test_open_dispute_caps_until_settled(self):
        dispute = self._complaint(
            is_dispute=True, dispute_type="arbitration", date_received="2025-11-01 08:00:00"
        )
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 100.0))
        self.assertEqual(evaluation.fact_dispute_open_count, 1)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_c)
        dispute.action_investigate()
        dispute.settlement_note = "Award accepted"
        dispute.action_settle()
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.fact_dispute_open_count, 1, "settled after the period: open at its end")
        today = fields.Date.context_today(self.env.user)
        current = self._evaluation(date_to=today, **dict.fromkeys(SCORES, 100.0))
        self.assertEqual(current.fact_dispute_open_count, 0)
        self.assertEqual(current.suggested_grade_id, self.grade_a)

    def test_open_corrective_action_caps_grade(self):
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 100.0))
        self.assertEqual(evaluation.suggested_grade_id, self.grade_a)
        action = (
            self.env["partner.corrective.action"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Late deliveries",
                    "partner_id": self.customer.id,
                    "evaluation_id": evaluation.id,
                    "required_action": "Weekly delivery plan",
                    "deadline": "2026-08-31",
                    "user_id": self.evaluator.id,
                }
            )
        )
        self.assertEqual(
            action.activity_ids.activity_type_id,
            self.env.ref("partner_qualification_credit.mail_activity_type_corrective_action"),
        )
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.fact_corrective_open_count, 1)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_c)
        self.assertIn("corrective action", evaluation.suggestion_note)
        action.with_user(self.evaluator).action_done()
        with self.assertRaisesRegex(AccessError, "Only the partner-management office verifies"):
            action.with_user(self.evaluator).action_verify()
        action.verification = "Deliveries on time since July"
        action.with_user(self.officer).action_verify()
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.suggested_grade_id, self.grade_a)

    def test_low_criterion_needs_reason(self):
        scores = dict.fromkeys(SCORES, 80.0)
        scores["score_payment"] = 40.0
        evaluation = self._evaluation(**scores)
        self.assertEqual(evaluation.proposed_grade_id, evaluation.suggested_grade_id)
        with self.assertRaisesRegex(ValidationError, "below the C band"):
            evaluation.with_user(self.evaluator).action_submit()
        evaluation.with_user(self.evaluator).reason = "Paid late twice in March"
        evaluation.with_user(self.evaluator).action_submit()
        self.assertEqual(evaluation.state, "submitted")

    def test_approval_notifies_evaluator_and_applicant(self):
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 80.0))
        evaluation.with_user(self.evaluator).action_submit()
        evaluation.with_user(self.approver).action_approve()
        activity_type = self.env.ref("partner_qualification_credit.mail_activity_type_rating_approved")
        activities = evaluation.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(activities.user_id, self.evaluator | self.applicant)
        for activity in activities:
            self.assertIn(self.grade_b.display_name, str(activity.note))
            self.assertIn("Rating approved", activity.summary)

    def test_adhoc_default_period_starts_after_last_approved(self):
        self._approved(self.customer, fields.Date.to_date("2026-03-31"))
        self.assertEqual(str(self.customer.last_evaluation_date), "2026-03-31")
        today = fields.Date.context_today(self.env.user)
        defaults = (
            self.env["partner.evaluation"]
            .with_context(default_partner_id=self.customer.id)
            .default_get(["partner_id", "date_from", "date_to"])
        )
        self.assertEqual(str(defaults["date_from"]), "2026-04-01")
        self.assertEqual(defaults["date_to"], today)
        with Form(self.env["partner.evaluation"].with_user(self.officer)) as form:
            form.partner_id = self.customer
            self.assertEqual(str(form.date_from), "2026-04-01")
            self.assertEqual(form.date_to, today)

    def test_rating_overdue_filter(self):
        today = fields.Date.context_today(self.env.user)
        Partner = self.env["res.partner"]
        core = Partner.create({"name": "Core partner", "is_company": True})
        general = Partner.create({"name": "General partner", "is_company": True})
        for partner in (core, general):
            self.admit(partner)
        core.sudo().strategic_class = "core"
        general.sudo().strategic_class = "general"
        self._approved(core, today - relativedelta(months=7))
        self._approved(general, today - relativedelta(months=7))
        overdue = Partner.search([("next_evaluation_due", "<", today), ("id", "in", (core | general).ids)])
        self.assertEqual(overdue, core, "core partners are rated every 6 months, others every 12")
        self.assertEqual(core.next_evaluation_due, today - relativedelta(months=1))
        self._approved(general, today - relativedelta(months=13))  # an older one changes nothing
        self.assertEqual(general.last_evaluation_date, today - relativedelta(months=7))
        self.company.evaluation_interval_other = 6
        overdue = Partner.search([("next_evaluation_due", "<", today), ("id", "in", (core | general).ids)])
        self.assertEqual(overdue, core | general)
        # the search view's filter
        search_view = self.env.ref("partner_qualification_credit.view_res_partner_filter_rating")
        self.assertIn("rating_overdue", search_view.arch_db)

    def test_monthly_activity_lists_overdue_partners(self):
        today = fields.Date.context_today(self.env.user)
        late = self.env["res.partner"].create({"name": "Late rated partner", "is_company": True})
        self.admit(late)
        self._approved(late, today - relativedelta(months=13))
        self.env["res.partner"]._cron_rating_overdue()
        activity_type = self.env.ref("partner_qualification_credit.mail_activity_type_rating_overdue")
        activities = self.env["mail.activity"].search(
            [("activity_type_id", "=", activity_type.id), ("user_id", "=", self.officer.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertIn("Late rated partner", str(activities.note))
        self.env["res.partner"]._cron_rating_overdue()
        activities = self.env["mail.activity"].search(
            [("activity_type_id", "=", activity_type.id), ("user_id", "=", self.officer.id)]
        )
        self.assertEqual(len(activities), 1, "last month's list is replaced")
