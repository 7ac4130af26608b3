# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from .const import EVALUATION_CRITERIA, EVALUATION_ROLES, EVALUATION_STATES

# Facts read from the ERP for the period; computed while draft, frozen at submission.
# Amounts are Floats in the company currency (shown with the monetary widget): Monetary
# fields resolve their currency record by record on insert, too slow for 5,000 at once.
FACT_FIELDS = [
    "fact_turnover_sale",
    "fact_turnover_purchase",
    "fact_avg_days_to_pay",
    "fact_overdue_amount",
    "fact_overdue_days",
    "fact_receivable_end",
    "fact_receivable_peak",
    "fact_receipt_count",
    "fact_on_time_rate",
    "fact_returned_share",
    "fact_prepayment_end",
    "fact_prepayment_peak",
    "fact_credit_limit",
    "fact_usage_end",
    "fact_usage_peak",
]
# Hard caps on the suggested grade: (fact test, xml id of the best grade allowed).
# Tested in this order; the lowest applicable cap wins.
OVERDUE_CAP_D_DAYS = 90
OVERDUE_CAP_C_DAYS = 30
ON_TIME_CAP_C_RATE = 70.0
RETURNED_CAP_C_SHARE = 10.0
USAGE_CAP_C_PERCENT = 100.0
# Fields set by the workflow only (campaign start, refresh facts, submit, reject, approve),
# which writes them as superuser with WORKFLOW_CONTEXT_KEY: written by a client, they would
# fake an approval or forge the facts and score that are frozen and applied.
WORKFLOW_FIELDS = frozenset(
    [
        "state",
        "campaign_id",
        "submitted_date",
        "submitted_by_id",
        "approver_id",
        "approval_date",
        "score",
        "suggested_grade_id",
        "suggestion_note",
        "facts_date",
        "previous_grade_id",
        "previous_credit_limit",
        *FACT_FIELDS,
    ]
)
# Workflow fields a new evaluation may be given by anyone: they are its defaults anyway
# (the web client sends the statusbar's state of a new record).
WORKFLOW_CREATE_NEUTRAL = {"state": "draft", "campaign_id": False}
WORKFLOW_CONTEXT_KEY = "partner_evaluation_workflow"


class PartnerEvaluation(models.Model):
    _name = "partner.evaluation"
    _description = "Partner Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id.name", "campaign_id.name"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    campaign_id = fields.Many2one(
        comodel_name="partner.evaluation.campaign",
        string="Campaign",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        readonly=True,
        copy=False,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        index=True,
        check_company=True,
        domain="['|', ('parent_id', '=', False), ('is_company', '=', True)]",
        tracking=True,
    )
    evaluator_id = fields.Many2one(
        comodel_name="res.users",
        string="Evaluator",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="The partner's applicant, who rates it; never its approver.",
    )
    role = fields.Selection(
        selection=EVALUATION_ROLES,
        required=True,
        default="customer",
        help="Decides the weights of the criteria and which facts matter.",
    )
    date_from = fields.Date(string="Period Start", required=True)
    date_to = fields.Date(string="Period End", required=True)
    deadline = fields.Date()
    state = fields.Selection(
        selection=EVALUATION_STATES,
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
    )
    # The five criteria of the rules (Art. 13)
    score_standing = fields.Float(
        string="Standing",
        help="Operations, financial strength, market position (0-100).",
    )
    comment_standing = fields.Text(string="Standing Comment")
    score_cooperation = fields.Float(
        string="Cooperation",
        help="Attitude, quality of goods and services, delivery speed (0-100).",
    )
    comment_cooperation = fields.Text(string="Cooperation Comment")
    score_payment = fields.Float(
        string="Payment",
        help="Speed of payment, advances (0-100).",
    )
    comment_payment = fields.Text(string="Payment Comment")
    score_potential = fields.Float(string="Potential", help="Future cooperation potential (0-100).")
    comment_potential = fields.Text(string="Potential Comment")
    score_other = fields.Float(string="Other", help="Anything else (0-100).")
    comment_other = fields.Text(string="Other Comment")
    score = fields.Float(
        string="Weighted Score",
        compute="_compute_score",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Scores weighted with the company's weights for the role (Settings).",
    )
    # Facts for the period (amounts in the company currency)
    fact_turnover_sale = fields.Float(
        digits=(16, 2),
        string="Invoiced Turnover",
        compute="_compute_facts",
        store=True,
        precompute=True,
        help="Customer invoices minus credit notes dated in the period, untaxed.",
    )
    fact_turnover_purchase = fields.Float(
        digits=(16, 2),
        string="Billed Turnover",
        compute="_compute_facts",
        store=True,
        precompute=True,
        help="Vendor bills minus refunds dated in the period, untaxed.",
    )
    fact_avg_days_to_pay = fields.Float(
        string="Average Days to Pay",
        compute="_compute_facts",
        store=True,
        precompute=True,
        digits=(16, 1),
        help="Days from invoice date to payment, weighted by the amount paid, for the "
        "customer invoice payments reconciled in the period.",
    )
    fact_overdue_amount = fields.Float(
        digits=(16, 2),
        string="Overdue at Period End",
        compute="_compute_facts",
        store=True,
        precompute=True,
    )
    fact_overdue_days = fields.Integer(
        string="Max Days Overdue",
        compute="_compute_facts",
        store=True,
        precompute=True,
        help="Days past due of the oldest invoice still open at the end of the period.",
    )
    fact_receivable_end = fields.Float(
        digits=(16, 2),
        string="Receivable at Period End",
        compute="_compute_facts",
        store=True,
        precompute=True,
    )
    fact_receivable_peak = fields.Float(
        digits=(16, 2),
        string="Peak Receivable",
        compute="_compute_facts",
        store=True,
        precompute=True,
        help="Highest end-of-day receivable balance during the period (opening included).",
    )
    fact_receipt_count = fields.Integer(
        string="Receipts",
        compute="_compute_facts",
        store=True,
        precompute=True,
        help="Purchase receipt moves done in the period.",
    )
    fact_on_time_rate = fields.Float(
        string="On-Time Delivery (%)",
        compute="_compute_facts",
        store=True,
        precompute=True,
        digits=(16, 1),
        help="Quantity received in the period on or before the scheduled date of its "
        "purchase line, over the quantity received (Odoo's on-time rate, over the period).",
    )
    fact_returned_share = fields.Float(
        string="Returned (%)",
        compute="_compute_facts",
        store=True,
        precompute=True,
        digits=(16, 1),
        help="Quantity returned to the supplier in the period over the quantity received.",
    )
    fact_prepayment_end = fields.Float(
        digits=(16, 2),
        string="Prepayment at Period End",
        compute="_compute_facts",
        store=True,
        precompute=True,
    )
    fact_prepayment_peak = fields.Float(
        digits=(16, 2),
        string="Peak Prepayment",
        compute="_compute_facts",
        store=True,
        precompute=True,
        help="Highest end-of-day debit balance of the payable account (advances paid).",
    )
    fact_credit_limit = fields.Float(
        string="Credit Limit in Period",
        compute="_compute_facts",
        store=True,
        precompute=True,
        digits=(16, 2),
    )
    fact_usage_end = fields.Float(
        string="Limit Usage at Period End (%)",
        compute="_compute_facts",
        store=True,
        precompute=True,
        digits=(16, 1),
        help="Receivable plus prepayment at the end of the period over the credit limit.",
    )
    fact_usage_peak = fields.Float(
        string="Highest Limit Usage (%)",
        compute="_compute_facts",
        store=True,
        precompute=True,
        digits=(16, 1),
        help="Highest funds tied up (receivable plus prepayment, end of day) during the "
        "period over the credit limit.",
    )
    facts_date = fields.Datetime(
        string="Facts Computed On",
        compute="_compute_facts",
        store=True,
        precompute=True,
    )
    # Suggestion and proposal
    suggested_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Suggested Grade",
        compute="_compute_suggested_grade_id",
        store=True,
        precompute=True,
    )
    suggestion_note = fields.Char(
        string="Why",
        compute="_compute_suggested_grade_id",
        store=True,
        precompute=True,
    )
    proposed_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Proposed Grade",
        compute="_compute_proposed_grade_id",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        index=True,
    )
    reason = fields.Text(help="Reasons for the proposal; required when it differs from the suggestion.")
    proposed_credit_limit = fields.Float(
        compute="_compute_proposed_credit_limit",
        store=True,
        precompute=True,
        readonly=False,
        digits=(16, 2),
        tracking=True,
    )
    previous_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Previous Grade",
        compute="_compute_previous_values",
        store=True,
        precompute=True,
    )
    previous_credit_limit = fields.Float(
        compute="_compute_previous_values",
        store=True,
        precompute=True,
        digits=(16, 2),
    )
    reject_reason = fields.Text(string="Rejection Reason", tracking=True)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    submitted_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Submitted By",
        readonly=True,
        copy=False,
        help="Who submitted the evaluation; never its approver.",
    )
    approver_id = fields.Many2one(comodel_name="res.users", string="Approved By", readonly=True, copy=False)
    approval_date = fields.Datetime(readonly=True, copy=False)

    _score_standing_range = models.Constraint(
        "CHECK(score_standing >= 0 AND score_standing <= 100)",
        "The standing score must be between 0 and 100.",
    )
    _score_cooperation_range = models.Constraint(
        "CHECK(score_cooperation >= 0 AND score_cooperation <= 100)",
        "The cooperation score must be between 0 and 100.",
    )
    _score_payment_range = models.Constraint(
        "CHECK(score_payment >= 0 AND score_payment <= 100)",
        "The payment score must be between 0 and 100.",
    )
    _score_potential_range = models.Constraint(
        "CHECK(score_potential >= 0 AND score_potential <= 100)",
        "The potential score must be between 0 and 100.",
    )
    _score_other_range = models.Constraint(
        "CHECK(score_other >= 0 AND score_other <= 100)",
        "The 'other' score must be between 0 and 100.",
    )
    _period_order = models.Constraint(
        "CHECK(date_from <= date_to)",
        "The evaluation period must start before it ends.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*[f"score_{criterion}" for criterion in EVALUATION_CRITERIA])
    def _check_scores(self):
        for evaluation in self:
            for criterion in EVALUATION_CRITERIA:
                value = evaluation[f"score_{criterion}"]
                if value < 0 or value > 100:
                    raise ValidationError(
                        self.env._(
                            "Scores are between 0 and 100: %(criterion)s of %(partner)s is %(value)s.",
                            criterion=self._fields[f"score_{criterion}"].get_description(self.env)["string"],
                            partner=evaluation.partner_id.display_name,
                            value=value,
                        )
                    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("partner_id", "campaign_id.name", "date_to")
    def _compute_display_name(self):
        for evaluation in self:
            label = evaluation.campaign_id.name or (evaluation.date_to and str(evaluation.date_to)) or ""
            evaluation.display_name = (
                f"{evaluation.partner_id.display_name} ({label})"
                if label
                else evaluation.partner_id.display_name
            )

    @api.depends(*[f"score_{criterion}" for criterion in EVALUATION_CRITERIA], "role", "company_id")
    def _compute_score(self):
        for evaluation in self:
            if evaluation.state not in (False, "draft"):
                continue  # frozen
            weights = evaluation.company_id._get_evaluation_weights(evaluation.role)
            evaluation.score = sum(evaluation[f"score_{c}"] * weights[c] for c in EVALUATION_CRITERIA) / 100

    @api.depends("partner_id", "company_id", "date_from", "date_to")
    def _compute_facts(self):
        drafts = self.filtered(lambda e: e.state in (False, "draft"))
        empty = dict.fromkeys(FACT_FIELDS, 0)
        now = fields.Datetime.now()
        groups = drafts.grouped(lambda e: (e.company_id, e.date_from, e.date_to))
        for (company, date_from, date_to), evaluations in groups.items():
            facts = {}
            if company and date_from and date_to and evaluations.partner_id:
                facts = self._get_period_facts(evaluations.partner_id, company, date_from, date_to)
            for evaluation in evaluations:
                values = dict(empty, facts_date=now)
                values.update(facts.get(evaluation.partner_id.commercial_partner_id.id, {}))
                evaluation.update(values)

    @api.depends("score", *FACT_FIELDS)
    def _compute_suggested_grade_id(self):
        grades = self.env["partner.qualification.grade"].search(
            [("active", "=", True)], order="min_score desc, sequence"
        )
        cap_grades = self._get_cap_grades()
        for evaluation in self:
            if evaluation.state not in (False, "draft"):
                continue
            grade, note = evaluation._get_suggestion(grades, cap_grades)
            evaluation.suggested_grade_id = grade
            evaluation.suggestion_note = note

    @api.depends("suggested_grade_id")
    def _compute_proposed_grade_id(self):
        for evaluation in self:
            if evaluation.state in (False, "draft"):
                evaluation.proposed_grade_id = evaluation.suggested_grade_id

    @api.depends("proposed_grade_id", "company_id", "previous_credit_limit")
    def _compute_proposed_credit_limit(self):
        for evaluation in self:
            if evaluation.state not in (False, "draft"):
                continue
            grade = evaluation.proposed_grade_id.with_company(evaluation.company_id)
            # A grade without a default limit keeps the partner's: never a silent 0.
            evaluation.proposed_credit_limit = (
                grade.sudo().default_credit_limit or evaluation.previous_credit_limit
            )

    @api.depends("partner_id", "company_id")
    def _compute_previous_values(self):
        for evaluation in self:
            if evaluation.state == "approved":
                continue
            partner = evaluation.partner_id.commercial_partner_id.sudo().with_company(evaluation.company_id)
            evaluation.previous_grade_id = partner.qualification_grade_id
            evaluation.previous_credit_limit = partner.credit_limit

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        evaluation_model = self
        if not self._is_evaluation_workflow_write():
            self._check_workflow_fields(vals_list, creating=True)
            # Defaults from the context (e.g. of a list grouped by state) are hints, not
            # values: never let them set a workflow field.
            banned = {f"default_{fname}" for fname in WORKFLOW_FIELDS}
            if banned & self.env.context.keys():
                context = {key: value for key, value in self.env.context.items() if key not in banned}
                evaluation_model = self.with_env(self.env(context=context))
        evaluations = super(PartnerEvaluation, evaluation_model).create(vals_list)
        if not self.env.su and not self.env.user.has_group("partner_qualification_credit.group_officer"):
            others = evaluations.filtered(lambda e: e.evaluator_id != self.env.user)
            if others:
                raise AccessError(
                    self.env._(
                        "You can only create evaluations you carry out yourself; the "
                        "partner-management office assigns evaluations to others."
                    )
                )
        return evaluations

    def write(self, vals):
        if not self._is_evaluation_workflow_write():
            self._check_workflow_fields([vals])
            if "evaluator_id" in vals and not self.env.user.has_group(
                "partner_qualification_credit.group_officer"
            ):
                raise AccessError(
                    self.env._(
                        "Only the partner-management office can assign an evaluation to another evaluator."
                    )
                )
        # Only the approval itself (as superuser, after its checks) writes approved ones:
        # a context key alone could be sent by any client.
        approving = self.env.su and self.env.context.get("partner_evaluation_approving")
        if not approving and any(evaluation.state == "approved" for evaluation in self):
            raise UserError(
                self.env._(
                    "Approved evaluations are part of the grade history and cannot be changed. "
                    "Start a new evaluation of the partner instead."
                )
            )
        frozen = {"role", "date_from", "date_to", "partner_id", "company_id"}
        frozen.update(f"score_{criterion}" for criterion in EVALUATION_CRITERIA)
        if frozen & vals.keys() and any(evaluation.state != "draft" for evaluation in self):
            raise UserError(
                self.env._(
                    "Scores, partner and period of a submitted evaluation are frozen. Reject it "
                    "back to draft to change them."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(evaluation.state != "draft" for evaluation in self):
            raise UserError(
                self.env._(
                    "Only draft evaluations can be deleted; submitted and approved ones are kept as history."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_refresh_facts(self):
        drafts = self.filtered(lambda e: e.state == "draft")
        drafts.check_access("write")
        drafts._recompute_draft_values()
        return True

    def action_submit(self):
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(
                    self.env._(
                        "%(evaluation)s is not a draft and cannot be submitted.",
                        evaluation=evaluation.display_name,
                    )
                )
            if evaluation.evaluator_id != self.env.user and not self.env.user.has_group(
                "partner_qualification_credit.group_officer"
            ):
                raise AccessError(
                    self.env._(
                        "Only the evaluator (%(evaluator)s) or the partner-management office can "
                        "submit %(evaluation)s.",
                        evaluator=evaluation.evaluator_id.name,
                        evaluation=evaluation.display_name,
                    )
                )
        self.check_access("write")
        # Freeze: compute the facts, score and suggestion one last time, then the state
        # keeps them (the score is never taken from the client).
        self._recompute_draft_values()
        for evaluation in self:
            if not evaluation.proposed_grade_id:
                raise UserError(
                    self.env._(
                        "Propose a grade for %(evaluation)s before submitting it.",
                        evaluation=evaluation.display_name,
                    )
                )
            if (
                evaluation.proposed_grade_id != evaluation.suggested_grade_id
                and not (evaluation.reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "The proposed grade %(proposed)s of %(evaluation)s differs from the suggested "
                        "grade %(suggested)s: give the reason before submitting.",
                        proposed=evaluation.proposed_grade_id.display_name,
                        suggested=evaluation.suggested_grade_id.display_name or "-",
                        evaluation=evaluation.display_name,
                    )
                )
        # Close the to-do while the evaluator may still write the draft.
        self.activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._("Submitted"))
        self._workflow_write(
            {
                "state": "submitted",
                "submitted_date": fields.Datetime.now(),
                "submitted_by_id": self.env.user.id,
                "reject_reason": False,
            }
        )
        self.campaign_id._update_state_from_evaluations()
        return True

    def action_reject(self):
        self._check_approver()
        for evaluation in self:
            if evaluation.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only submitted evaluations can be rejected (%(evaluation)s).",
                        evaluation=evaluation.display_name,
                    )
                )
            if not (evaluation.reject_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write the rejection reason on %(evaluation)s first: the evaluator needs to "
                        "know what to change.",
                        evaluation=evaluation.display_name,
                    )
                )
        self.check_access("write")
        self._workflow_write({"state": "draft"})
        self._schedule_evaluation_activities(summary=self.env._("Evaluation rejected: review and resubmit"))
        self.campaign_id._update_state_from_evaluations()
        return True

    def action_approve(self):
        self._check_approver()
        self.check_access("write")
        for evaluation in self:
            if evaluation.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only submitted evaluations can be approved (%(evaluation)s).",
                        evaluation=evaluation.display_name,
                    )
                )
            if self.env.user in evaluation._get_authors():
                raise AccessError(
                    self.env._(
                        "You evaluated, created or submitted the evaluation of %(partner)s yourself: "
                        "another approver must approve this evaluation.",
                        partner=evaluation.partner_id.display_name,
                    )
                )
        self._apply_to_partners()
        self.with_context(partner_evaluation_approving=True)._workflow_write(
            {"state": "approved", "approver_id": self.env.user.id, "approval_date": fields.Datetime.now()}
        )
        self.campaign_id._update_state_from_evaluations()
        return True

    def action_print_sheet(self):
        return self.env.ref("partner_qualification_credit.action_report_partner_evaluation").report_action(
            self
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_authors(self):
        """Users who shaped the evaluation and so may not approve it: its evaluator, who
        submitted it and who created it (a campaign's evaluations are created empty by
        its start, not authored by whoever started it)."""
        self.ensure_one()
        authors = self.evaluator_id | self.submitted_by_id
        if not self.campaign_id:
            authors |= self.create_uid
        return authors

    def _is_evaluation_workflow_write(self):
        """Writes of the workflow itself. The context key is honoured with superuser
        rights only, so that no client can send it."""
        return self.env.su and bool(self.env.context.get(WORKFLOW_CONTEXT_KEY))

    def _workflow_write(self, vals):
        return self.sudo().with_context(**{WORKFLOW_CONTEXT_KEY: True}).write(vals)

    def _check_workflow_fields(self, vals_list, creating=False):
        forbidden = set()
        for vals in vals_list:
            forbidden.update(
                fname
                for fname in WORKFLOW_FIELDS.intersection(vals)
                if not (
                    creating
                    and fname in WORKFLOW_CREATE_NEUTRAL
                    and vals[fname] == WORKFLOW_CREATE_NEUTRAL[fname]
                )
            )
        if forbidden:
            raise AccessError(
                self.env._(
                    "%(fields)s of an evaluation are set by its workflow (campaign start, refresh "
                    "facts, submit, approve) and cannot be written directly.",
                    fields=", ".join(
                        sorted(self._fields[fname].get_description(self.env)["string"] for fname in forbidden)
                    ),
                )
            )

    def _recompute_draft_values(self):
        """Recompute the facts, score and suggestion of draft evaluations from the ERP.

        Values assigned inside a compute do not trigger the computes that depend on them,
        so the suggestion is recomputed explicitly once the facts and score are new. A
        proposal left on the old suggestion follows the new one (and its credit limit
        follows the grade, as when the user changes the grade); a proposal the user chose
        differently is kept, and still needs its reason when it differs."""
        drafts = self.filtered(lambda e: e.state == "draft")
        if not drafts:
            return
        old_suggestions = {evaluation: evaluation.suggested_grade_id for evaluation in drafts}
        for fname in [*FACT_FIELDS, "facts_date", "previous_grade_id", "previous_credit_limit", "score"]:
            self.env.add_to_compute(self._fields[fname], drafts)
        drafts.flush_recordset()
        for fname in ("suggested_grade_id", "suggestion_note"):
            self.env.add_to_compute(self._fields[fname], drafts)
        drafts.flush_recordset()
        followers = drafts.filtered(
            lambda e: e.proposed_grade_id == old_suggestions[e] and e.suggested_grade_id != old_suggestions[e]
        )
        for grade, evaluations in followers.grouped("suggested_grade_id").items():
            evaluations.write({"proposed_grade_id": grade.id})

    def _check_approver(self):
        if not self.env.user.has_group("partner_qualification_credit.group_approver"):
            raise AccessError(
                self.env._(
                    "Only approvers (%(approvers)s) can approve or reject evaluations.",
                    approvers=self.env["res.partner"]._get_group_user_names(
                        "partner_qualification_credit.group_approver"
                    ),
                )
            )

    def _apply_to_partners(self):
        """Write the approved grade and limit on the partners for the evaluation's
        company, with the old -> new values in the partner's chatter. In batch: one
        write per (grade, limit) and one batch of notes per company."""
        for company, evaluations in self.grouped("company_id").items():
            partners = evaluations.partner_id.commercial_partner_id.sudo().with_company(company)
            old_values = {
                partner: (partner.qualification_grade_id, partner.credit_limit) for partner in partners
            }
            bodies = {}
            to_write = defaultdict(partners.browse)
            for evaluation in evaluations:
                partner = evaluation.partner_id.commercial_partner_id.sudo().with_company(company)
                old_grade, old_limit = old_values[partner]
                # The real old values become the history of the evaluation.
                evaluation._workflow_write(
                    {"previous_grade_id": old_grade.id, "previous_credit_limit": old_limit}
                )
                to_write[evaluation.proposed_grade_id, evaluation.proposed_credit_limit] |= partner
                bodies[partner.id] = self.env._(
                    "Evaluation approved by %(approver)s for %(company)s: grade %(old_grade)s → "
                    "%(new_grade)s, credit limit %(old_limit)s → %(new_limit)s (score %(score)s, "
                    "evaluator %(evaluator)s).",
                    approver=self.env.user.name,
                    company=company.name,
                    old_grade=old_grade.display_name or "-",
                    new_grade=evaluation.proposed_grade_id.display_name,
                    old_limit=company.currency_id.format(old_limit),
                    new_limit=company.currency_id.format(evaluation.proposed_credit_limit),
                    score=round(evaluation.score, 1),
                    evaluator=evaluation.evaluator_id.name,
                )
            # Our own note replaces the field tracking (same information, plus who and why).
            for (grade, limit), grade_partners in to_write.items():
                grade_partners.with_context(tracking_disable=True).write(
                    {"qualification_grade_id": grade.id, "credit_limit": limit}
                )
            partners._message_log_batch(bodies=bodies, author_id=self.env.user.partner_id.id)
        blocked = self.filtered(lambda e: e.proposed_grade_id.policy == "block")
        if blocked:
            blocked._notify_open_orders()

    def _notify_open_orders(self):
        """Grade E: owners of the partner's open quotations and RFQs must act on them."""
        activity_vals = []
        type_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        today = fields.Date.context_today(self)
        for company, evaluations in self.grouped("company_id").items():
            partners = evaluations.partner_id.commercial_partner_id
            for model, states in (("sale.order", ("draft", "sent")), ("purchase.order", ("draft", "sent"))):
                orders = (
                    self.env[model]
                    .sudo()
                    .search(
                        [
                            ("partner_id.commercial_partner_id", "in", partners.ids),
                            ("company_id", "=", company.id),
                            ("state", "in", states),
                        ]
                    )
                )
                res_model_id = self.env["ir.model"]._get_id(model)
                for order in orders.filtered("user_id"):
                    activity_vals.append(
                        {
                            "res_model_id": res_model_id,
                            "res_id": order.id,
                            "activity_type_id": type_id,
                            "user_id": order.user_id.id,
                            "date_deadline": today,
                            "summary": self.env._("Partner graded E: cancel this order"),
                            "note": self.env._(
                                "%(partner)s was graded %(grade)s: cooperation has ended, this "
                                "order can no longer be confirmed.",
                                partner=order.partner_id.commercial_partner_id.display_name,
                                grade=evaluations[:1].proposed_grade_id.display_name,
                            ),
                        }
                    )
        if activity_vals:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activity_vals
            )

    def _schedule_evaluation_activities(self, summary=None):
        """One to-do per evaluation for its evaluator, created in one batch."""
        if not self:
            return self.env["mail.activity"]
        type_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        res_model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = [
            {
                "res_model_id": res_model_id,
                "res_id": evaluation.id,
                "activity_type_id": type_id,
                "user_id": evaluation.evaluator_id.id,
                "date_deadline": evaluation.deadline or today,
                "summary": summary or self.env._("Evaluate the partner"),
            }
            for evaluation in self
        ]
        return (
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        )

    def _get_suggestion(self, grades, cap_grades):
        """(grade, one-line explanation) from the score bands and the hard caps."""
        self.ensure_one()
        band = next((g for g in grades if float_compare(self.score, g.min_score, 2) >= 0), grades[-1:])
        note = self.env._(
            "Score %(score)s: band %(grade)s (from %(min)s)",
            score=round(self.score, 1),
            grade=band.code or "-",
            min=band.min_score,
        )
        suggestion = band
        for cap, why in self._get_grade_caps(cap_grades):
            if cap and suggestion and cap.min_score < suggestion.min_score:
                suggestion = cap
                note = self.env._(
                    "%(note)s; capped at %(grade)s: %(why)s", note=note, grade=cap.code, why=why
                )
        return suggestion, note

    @api.model
    def _get_cap_grades(self):
        ref = self.env.ref
        return {
            "C": ref("partner_qualification_credit.grade_c", raise_if_not_found=False),
            "D": ref("partner_qualification_credit.grade_d", raise_if_not_found=False),
        }

    def _get_grade_caps(self, cap_grades):
        """Hard facts that limit the suggestion whatever the score: list of
        (best grade allowed, reason). Extend to add company rules."""
        grade_c, grade_d = cap_grades["C"], cap_grades["D"]
        caps = []
        if self.fact_overdue_days > OVERDUE_CAP_D_DAYS:
            caps.append((grade_d, self.env._("%(days)s days overdue", days=self.fact_overdue_days)))
        elif self.fact_overdue_days > OVERDUE_CAP_C_DAYS:
            caps.append((grade_c, self.env._("%(days)s days overdue", days=self.fact_overdue_days)))
        if self.fact_usage_peak > USAGE_CAP_C_PERCENT:
            caps.append(
                (
                    grade_c,
                    self.env._("credit limit exceeded (%(usage)s%%)", usage=round(self.fact_usage_peak)),
                )
            )
        if self.fact_receipt_count and self.fact_on_time_rate < ON_TIME_CAP_C_RATE:
            caps.append(
                (grade_c, self.env._("on-time delivery %(rate)s%%", rate=round(self.fact_on_time_rate)))
            )
        if self.fact_returned_share > RETURNED_CAP_C_SHARE:
            caps.append((grade_c, self.env._("%(share)s%% returned", share=round(self.fact_returned_share))))
        return caps

    # ------------------------------------------------------------
    # TOOLING: facts from the ERP
    # ------------------------------------------------------------

    @api.model
    def _get_period_facts(self, partners, company, date_from, date_to):
        """Facts of commercial ``partners`` with ``company`` between the two dates, in a
        fixed number of queries whatever the number of partners.

        :return: {commercial partner id: {fact field: value}}
        """
        partners = partners.commercial_partner_id
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["stock.move"].flush_model()
        self.env["purchase.order.line"].flush_model()
        facts = {pid: {} for pid in partners.ids}
        params = {
            "company": company.id,
            "partners": tuple(partners.ids),
            "date_from": date_from,
            "date_to": date_to,
        }
        for pid, sale, purchase in self.env.execute_query(self._turnover_sql(params)):
            facts[pid].update(fact_turnover_sale=sale or 0.0, fact_turnover_purchase=purchase or 0.0)
        for pid, days in self.env.execute_query(self._days_to_pay_sql(params)):
            facts[pid]["fact_avg_days_to_pay"] = days or 0.0
        for pid, amount, days in self.env.execute_query(self._overdue_sql(params)):
            facts[pid].update(fact_overdue_amount=amount or 0.0, fact_overdue_days=days or 0)
        exposure = {}
        for pid, rec_end, rec_peak, pre_end, pre_peak, tied_peak in self.env.execute_query(
            self._exposure_sql(params)
        ):
            facts[pid].update(
                fact_receivable_end=rec_end or 0.0,
                fact_receivable_peak=rec_peak or 0.0,
                fact_prepayment_end=max(pre_end or 0.0, 0.0),
                fact_prepayment_peak=pre_peak or 0.0,
            )
            exposure[pid] = (max(rec_end or 0.0, 0.0) + max(pre_end or 0.0, 0.0), tied_peak or 0.0)
        for pid, count, received, on_time, returned in self.env.execute_query(self._receipts_sql(params)):
            facts[pid].update(
                fact_receipt_count=count or 0,
                fact_on_time_rate=100.0 * (on_time or 0.0) / received if received else 0.0,
                fact_returned_share=100.0 * (returned or 0.0) / received if received else 0.0,
            )
        # Limits are company-dependent: read them for the company, in one prefetch.
        for partner in partners.sudo().with_company(company):
            limit = partner.credit_limit
            tied_end, tied_peak = exposure.get(partner.id, (0.0, 0.0))
            facts[partner.id].update(
                fact_credit_limit=limit,
                fact_usage_end=100.0 * tied_end / limit if limit else 0.0,
                fact_usage_peak=100.0 * tied_peak / limit if limit else 0.0,
            )
        return facts

    @api.model
    def _turnover_sql(self, params):
        return SQL(
            """
            SELECT m.commercial_partner_id,
                   SUM(m.amount_untaxed_signed) FILTER (WHERE m.move_type IN ('out_invoice', 'out_refund')),
                   -SUM(m.amount_untaxed_signed) FILTER (WHERE m.move_type IN ('in_invoice', 'in_refund'))
              FROM account_move m
             WHERE m.state = 'posted'
               AND m.company_id = %(company)s
               AND m.commercial_partner_id IN %(partners)s
               AND m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
               AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY m.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _days_to_pay_sql(self, params):
        # Payments (partial reconciliations) made in the period on customer invoices.
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   SUM(apr.amount * (apr.max_date - COALESCE(m.invoice_date, m.date)))
                   / NULLIF(SUM(apr.amount), 0)
              FROM account_partial_reconcile apr
              JOIN account_move_line l ON l.id = apr.debit_move_id
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
              JOIN account_move m ON m.id = l.move_id AND m.move_type = 'out_invoice'
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND p.commercial_partner_id IN %(partners)s
               AND apr.max_date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _overdue_sql(self, params):
        # Receivable debits still open at the end of the period (payments reconciled
        # later are ignored), past their due date.
        return SQL(
            """
            SELECT o.partner_id, SUM(o.open_amount), MAX(%(date_to)s - o.date_maturity)
              FROM (
                SELECT p.commercial_partner_id AS partner_id, l.date_maturity,
                       l.balance - COALESCE((
                           SELECT SUM(apr.amount) FROM account_partial_reconcile apr
                            WHERE apr.debit_move_id = l.id AND apr.max_date <= %(date_to)s
                       ), 0) AS open_amount
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s
                   AND l.parent_state = 'posted'
                   AND p.commercial_partner_id IN %(partners)s
                   AND l.balance > 0
                   AND l.date <= %(date_to)s
                   AND l.date_maturity < %(date_to)s
              ) o
             WHERE o.open_amount > 0.005
             GROUP BY o.partner_id
            """,
            **params,
        )

    @api.model
    def _exposure_sql(self, params):
        """Running end-of-day balances of receivable and payable lines over the period,
        starting from the opening balance (lines before the period count on the eve
        of its first day): their last and highest values."""
        return SQL(
            """
            WITH daily AS (
                SELECT p.commercial_partner_id AS partner_id,
                       GREATEST(l.date, %(eve)s) AS day,
                       SUM(l.balance) FILTER (WHERE a.account_type = 'asset_receivable') AS rec,
                       SUM(l.balance) FILTER (WHERE a.account_type = 'liability_payable') AS pay
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                   AND a.account_type IN ('asset_receivable', 'liability_payable')
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s
                   AND l.parent_state = 'posted'
                   AND p.commercial_partner_id IN %(partners)s
                   AND l.date <= %(date_to)s
                 GROUP BY 1, 2
            ), running AS (
                SELECT partner_id, day,
                       SUM(COALESCE(rec, 0)) OVER w AS rec,
                       SUM(COALESCE(pay, 0)) OVER w AS pay
                  FROM daily
                WINDOW w AS (PARTITION BY partner_id ORDER BY day)
            )
            SELECT partner_id,
                   (ARRAY_AGG(rec ORDER BY day DESC))[1],
                   GREATEST(MAX(rec), 0),
                   (ARRAY_AGG(pay ORDER BY day DESC))[1],
                   GREATEST(MAX(pay), 0),
                   MAX(GREATEST(rec, 0) + GREATEST(pay, 0))
              FROM running
             GROUP BY partner_id
            """,
            eve=params["date_from"] - timedelta(days=1),
            **params,
        )

    @api.model
    def _receipts_sql(self, params):
        # Done purchase receipts and returns to the supplier in the period (returns found
        # through the move they return), in product units. On time: done on or before the
        # scheduled date of the purchase line, as Odoo's on_time_rate.
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   COUNT(*) FILTER (WHERE sm.origin_returned_move_id IS NULL),
                   SUM(sm.product_qty) FILTER (WHERE sm.origin_returned_move_id IS NULL),
                   SUM(sm.product_qty) FILTER (
                       WHERE sm.origin_returned_move_id IS NULL AND sm.date::date <= pol.date_planned::date
                   ),
                   SUM(sm.product_qty) FILTER (WHERE sm.origin_returned_move_id IS NOT NULL)
              FROM stock_move sm
              LEFT JOIN stock_move orig ON orig.id = sm.origin_returned_move_id
              JOIN purchase_order_line pol ON pol.id = COALESCE(sm.purchase_line_id, orig.purchase_line_id)
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN res_partner p ON p.id = po.partner_id
             WHERE sm.state = 'done'
               AND po.company_id = %(company)s
               AND p.commercial_partner_id IN %(partners)s
               AND sm.date::date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY p.commercial_partner_id
            """,
            **params,
        )
