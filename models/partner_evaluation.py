# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command

from .const import (
    EVALUATION_CRITERIA,
    EVALUATION_ROLES,
    EVALUATION_STATES,
    EVALUATION_TRANSITIONS,
    FACT_FIELDS,
)
from .mass_insert import PARTNER_NAME_FIELDS, insert_activities

OFFICER = "partner_qualification_credit.group_officer"
APPROVER = "partner_qualification_credit.group_approver"
EVALUATION_ACTIVITY = "partner_qualification_credit.mail_activity_type_evaluation"
SCORE_FIELDS = [f"score_{criterion}" for criterion in EVALUATION_CRITERIA]
# The figures of an evaluation: whoever writes one of them is one of its authors, and
# an author never approves.
FIGURE_FIELDS = frozenset([*SCORE_FIELDS, "proposed_grade_id", "proposed_credit_limit"])
# What the approver decides on: frozen from submission until a rejection.
FROZEN_FIELDS = frozenset(
    [
        *FIGURE_FIELDS,
        *(f"comment_{criterion}" for criterion in EVALUATION_CRITERIA),
        "reason",
        "role",
        "date_from",
        "date_to",
        "partner_id",
        "company_id",
        "evaluator_id",
    ]
)
# Fields set by the workflow only (campaign start, refresh facts, submit, reject,
# approve): written by a client, they would fake an approval or forge the facts, score
# and authorship the approval relies on.
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
        "figure_author_ids",
        *FACT_FIELDS,
    ]
)
# Workflow fields a new evaluation may be given by anyone: they are its defaults anyway
# (the web client sends the statusbar's state of a new record).
WORKFLOW_CREATE_NEUTRAL = {"state": "draft", "campaign_id": False}


class PartnerEvaluation(models.Model):
    _name = "partner.evaluation"
    _description = "Partner Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "partner.workflow.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id.name", "campaign_id.name"]
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_create_values = WORKFLOW_CREATE_NEUTRAL
    _history_states = ("approved",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    campaign_id = fields.Many2one(
        comodel_name="partner.evaluation.campaign",
        string="Campaign",
        index="btree_not_null",
        ondelete="restrict",
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
    # The five criteria of the rating
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
    is_scored = fields.Boolean(
        string="Scored",
        compute="_compute_is_scored",
        help="Every criterion has a score (1-100; 0 means not scored yet). Until then the "
        "evaluation has no suggestion and no proposal.",
    )
    score = fields.Float(
        string="Weighted Score",
        compute="_compute_score",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Scores weighted with the company's weights for the role (Settings).",
    )
    # Proposal
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
        readonly=True,
        copy=False,
    )
    previous_credit_limit = fields.Float(readonly=True, copy=False, digits=(16, 2))
    figure_author_ids = fields.Many2many(
        comodel_name="res.users",
        relation="partner_evaluation_figure_author_rel",
        column1="evaluation_id",
        column2="user_id",
        string="Figures Written By",
        readonly=True,
        copy=False,
        help="Everyone who wrote a score or the proposal: none of them may approve it.",
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

    @api.constrains(*SCORE_FIELDS, "proposed_credit_limit")
    def _check_figures_range(self):
        for evaluation in self:
            for field_name in SCORE_FIELDS:
                evaluation._check_figures([field_name], maximum=100.0)
        self._check_figures(["proposed_credit_limit"])

    @api.constrains("date_from", "date_to", "deadline")
    def _check_dates_range(self):
        self._check_dates(["date_from", "date_to", "deadline"])

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

    @api.depends(*SCORE_FIELDS)
    def _compute_is_scored(self):
        for evaluation in self:
            evaluation.is_scored = evaluation._is_fully_scored()

    @api.depends(*SCORE_FIELDS, "role", "company_id")
    def _compute_score(self):
        for evaluation in self:
            evaluation.score = evaluation._get_weighted_score()

    @api.depends("suggested_grade_id")
    def _compute_proposed_grade_id(self):
        for evaluation in self:
            evaluation.proposed_grade_id = evaluation.suggested_grade_id

    @api.depends("proposed_grade_id", "company_id")
    def _compute_proposed_credit_limit(self):
        for evaluation in self:
            grade = evaluation.proposed_grade_id.with_company(evaluation.company_id)
            # A grade without a default limit keeps the partner's: never a silent 0.
            partner = evaluation.partner_id.commercial_partner_id.with_company(evaluation.company_id)
            evaluation.proposed_credit_limit = (
                grade.sudo().default_credit_limit or partner.sudo().credit_limit
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_finite_vals(vals_list)
        if not self.env.su:
            self._check_workflow_fields(vals_list, creating=True)
            for vals in vals_list:
                if FIGURE_FIELDS & vals.keys():
                    vals["figure_author_ids"] = [Command.link(self.env.uid)]
        self._prepare_facts_vals(vals_list)
        evaluations = super(PartnerEvaluation, self._without_workflow_defaults()).create(vals_list)
        evaluations = evaluations.with_env(self.env)
        if not self.env.su and not self.env.user.has_group(OFFICER):
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
        self._check_finite_vals([vals])
        self._check_history_write(vals)
        if not self.env.su:
            self._check_workflow_fields([vals])
            if "evaluator_id" in vals and not self.env.user.has_group(OFFICER):
                raise AccessError(
                    self.env._(
                        "Only the partner-management office can assign an evaluation to another evaluator."
                    )
                )
            if FIGURE_FIELDS & vals.keys():
                vals = dict(vals, figure_author_ids=[Command.link(self.env.uid)])
        frozen = FROZEN_FIELDS & vals.keys() and self.filtered(lambda e: e.state != "draft")
        if frozen and not self.env.su:
            frozen.check_access("write")  # who may not write it at all is told so first
        if frozen:
            raise UserError(
                self.env._(
                    "Scores, proposal, reason, partner and period of a submitted evaluation are "
                    "frozen: they cannot be changed. The approver rejects it back to its evaluator "
                    "to change them."
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
        drafts._refresh_facts()
        return True

    def action_submit(self):
        # Prefetch over the whole batch even when it came from a one2many whose cache
        # was dropped (its lazy prefetch set is then empty: one fetch per evaluation).
        self = self.with_prefetch()
        self._check_transition("submitted")
        self._check_scored()
        # The rating to-do is over. Marking it done would post one message per evaluation
        # (thousands in a campaign) that repeats the logged state change: remove it.
        self.sudo().activity_unlink([EVALUATION_ACTIVITY])
        # Freeze: the facts, score and suggestion are read one last time, then the state
        # keeps them (the score is never taken from the client). The time of the facts
        # is written with the state below, in the same statement.
        facts_date = self._refresh_facts(stamp=False)
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
        self._write_submission(facts_date)
        self.campaign_id._update_state_from_evaluations()
        return True

    def action_reject(self):
        self._check_transition("draft")
        for evaluation in self:
            if not (evaluation.reject_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write the rejection reason on %(evaluation)s first: the evaluator needs to "
                        "know what to change.",
                        evaluation=evaluation.display_name,
                    )
                )
        self.sudo().write({"state": "draft"})
        self._schedule_evaluation_activities(summary=self.env._("Evaluation rejected: review and resubmit"))
        self.campaign_id._update_state_from_evaluations()
        return True

    def action_approve(self):
        self = self.with_prefetch()  # see action_submit
        self._check_transition("approved")
        unproposed = self.filtered(lambda e: not e.proposed_grade_id)
        if unproposed:
            raise UserError(
                self.env._(
                    "%(evaluation)s has no proposed grade: it cannot be approved. Reject it back to "
                    "its evaluator.",
                    evaluation=unproposed[0].display_name,
                )
            )
        self._write_approval(self._apply_to_partners())
        self.campaign_id._update_state_from_evaluations()
        return True

    def action_print_sheet(self):
        return self.env.ref("partner_qualification_credit.action_report_partner_evaluation").report_action(
            self
        )

    # ------------------------------------------------------------
    # BUSINESS: transitions
    # ------------------------------------------------------------

    def _check_transition(self, state):
        """Refuse unless the current user may move every evaluation of ``self`` to
        ``state``: the evaluator (or the office) submits, an approver rejects or approves,
        and nobody who shaped the evaluation approves it. Every state change goes through
        here first; the workflow then writes as superuser, which is the only bypass."""
        if self.env.su:
            return
        user = self.env.user
        if state in ("draft", "approved") and not user.has_group(APPROVER):
            raise AccessError(
                self.env._(
                    "Only approvers (%(approvers)s) can approve or reject evaluations.",
                    approvers=self.env["res.partner"]._get_group_user_names(APPROVER),
                )
            )
        for evaluation in self:
            if state not in EVALUATION_TRANSITIONS[evaluation.state]:
                raise UserError(
                    self.env._(
                        "%(evaluation)s is %(state)s: it cannot be %(action)s now.",
                        evaluation=evaluation.display_name,
                        state=evaluation._get_state_label(),
                        action={
                            "submitted": self.env._("submitted"),
                            "draft": self.env._("rejected"),
                            "approved": self.env._("approved"),
                        }[state],
                    )
                )
            if state == "submitted" and evaluation.evaluator_id != user and not user.has_group(OFFICER):
                raise AccessError(
                    self.env._(
                        "Only the evaluator (%(evaluator)s) or the partner-management office can "
                        "submit %(evaluation)s.",
                        evaluator=evaluation.evaluator_id.name,
                        evaluation=evaluation.display_name,
                    )
                )
            if state == "approved" and user in evaluation._get_authors():
                raise AccessError(
                    self.env._(
                        "You evaluated, created, submitted or changed the figures of the evaluation of "
                        "%(partner)s yourself: another approver must approve this evaluation.",
                        partner=evaluation.partner_id.display_name,
                    )
                )
        self.check_access("write")

    def _get_authors(self):
        """Users who shaped the evaluation and so may not approve it: its evaluator, who
        submitted it, who wrote any of its figures and who created it (a campaign's
        evaluations are created empty by its start, not authored by whoever started it)."""
        self.ensure_one()
        authors = self.evaluator_id | self.submitted_by_id | self.figure_author_ids
        if not self.campaign_id:
            authors |= self.create_uid
        return authors

    @api.model
    def _get_workflow_fields_refusal(self, field_labels):
        return self.env._(
            "%(fields)s of an evaluation are set by its workflow (campaign start, refresh "
            "facts, submit, approve) and cannot be written directly.",
            fields=field_labels,
        )

    def _schedule_evaluation_activities(self, summary=None):
        """One rating to-do per evaluation for its evaluator, inserted in one batch."""
        if not self:
            return self.env["mail.activity"]
        activity_type = self.env.ref(EVALUATION_ACTIVITY)
        today = fields.Date.context_today(self)
        evaluations = self.sudo()
        evaluations.partner_id.fetch(PARTNER_NAME_FIELDS)
        return insert_activities(
            evaluations,
            [
                {
                    "res_id": evaluation.id,
                    "activity_type_id": activity_type.id,
                    # Automated: closed by the workflow through activity_feedback/activity_unlink.
                    "automated": True,
                    "user_id": evaluation.evaluator_id.id,
                    "date_deadline": evaluation.deadline or today,
                    "summary": summary or activity_type.summary,
                }
                for evaluation in evaluations
            ],
        )

    def _is_fully_scored(self):
        self.ensure_one()
        return all(self[field_name] > 0 for field_name in SCORE_FIELDS)

    def _check_scored(self):
        # The computed flag: checked once per submission, then read from the cache.
        unscored = self.filtered(lambda e: not e.is_scored)
        if unscored:
            raise UserError(
                self.env._(
                    "Score every criterion of %(evaluation)s (from 1 to 100) before submitting it.",
                    evaluation=unscored[0].display_name,
                )
            )

    def _get_weighted_score(self, weights=None):
        """:param weights: the company's weights for the role, when the caller has them"""
        self.ensure_one()
        weights = weights or self.company_id._get_evaluation_weights(self.role)
        return sum(self[f"score_{c}"] * weights[c] for c in EVALUATION_CRITERIA) / 100
