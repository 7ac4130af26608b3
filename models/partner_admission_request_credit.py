# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .partner_admission_request import PartnerAdmissionRequest as BaseRequest

CREDIT_MANAGER_GROUP = "partner_qualification_credit.group_credit_manager"
CREDIT_ACTIVITY_TYPE = "partner_qualification_credit.mail_activity_type_admission_credit"
# Finance's part of the request: written by credit managers while the office and
# leadership decide (submitted or reviewed), stamped by "Assess Credit".
CREDIT_FIELDS = (
    "proposed_credit_limit",
    "credit_assessment",
    "credit_payment_term_id",
    "guarantee_required",
    "prepayment_required",
)
CREDIT_STAMP_FIELDS = ("credit_assessor_id", "credit_assessment_date")
CREDIT_STATES = ("submitted", "reviewed")


class PartnerAdmissionRequest(models.Model):
    """Finance's credit assessment of a new customer (or of a supplier we will prepay):
    initial limit, payment terms, guarantee or prepayment, before leadership approves."""

    _inherit = "partner.admission.request"
    # Finance's values are never taken from a client-side default.
    _workflow_fields = BaseRequest._workflow_fields | {*CREDIT_FIELDS, *CREDIT_STAMP_FIELDS}

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    prepayment_expected = fields.Boolean(
        string="Prepayments Expected",
        help="We will pay this supplier in advance: finance assesses the credit risk as for a customer.",
    )
    credit_step_required = fields.Boolean(
        string="Credit Assessment Required",
        compute="_compute_credit_step_required",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    proposed_credit_limit = fields.Monetary(
        string="Initial Credit Limit",
        currency_field="company_currency_id",
        copy=False,
        tracking=True,
        help="Written on the partner when the request is approved.",
    )
    credit_assessment = fields.Text(copy=False, help="Finance's assessment of the partner's credit risk.")
    credit_payment_term_id = fields.Many2one(
        comodel_name="account.payment.term",
        string="Payment Terms",
        copy=False,
        check_company=True,
    )
    guarantee_required = fields.Boolean(copy=False, tracking=True)
    prepayment_required = fields.Boolean(copy=False, tracking=True)
    credit_assessor_id = fields.Many2one(
        comodel_name="res.users", string="Credit Assessed By", readonly=True, copy=False
    )
    credit_assessment_date = fields.Date(string="Credit Assessed On", readonly=True, copy=False)
    is_credit_manager = fields.Boolean(compute="_compute_is_credit_manager")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("role", "origin", "prepayment_expected")
    def _compute_credit_step_required(self):
        for request in self:
            request.credit_step_required = request._needs_credit_step()

    @api.depends_context("uid")
    def _compute_is_credit_manager(self):
        self.is_credit_manager = self.env.user.has_group(CREDIT_MANAGER_GROUP)

    def _needs_credit_step(self):
        """New customers get credit; suppliers only when we prepay them. A re-review after
        an identity change keeps the limit the partner already has."""
        self.ensure_one()
        return self.origin == "application" and (
            self.role in ("customer", "both") or (self.role == "supplier" and self.prepayment_expected)
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                finance = [name for name in (*CREDIT_FIELDS, *CREDIT_STAMP_FIELDS) if vals.get(name)]
                if finance:
                    raise AccessError(
                        self.env._(
                            "'%(field)s' is finance's part of the request: credit managers fill it "
                            "in once the request is submitted.",
                            field=self._fields[finance[0]].get_description(self.env)["string"],
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self:
            self._check_credit_write(vals)
        figures_changed = vals.keys() & set(CREDIT_FIELDS)
        res = super().write(vals)
        if figures_changed and not vals.keys() & set(CREDIT_STAMP_FIELDS):
            # The assessment stamp covers the figures it was given: a later change needs
            # a new assessment before approval.
            self.filtered("credit_assessor_id").sudo().write(dict.fromkeys(CREDIT_STAMP_FIELDS, False))
        return res

    def _check_credit_write(self, vals):
        stamp = vals.keys() & set(CREDIT_STAMP_FIELDS)
        if stamp:
            raise AccessError(
                self.env._("The credit assessment is recorded with the 'Assess Credit' button.")
            )
        finance = [name for name in CREDIT_FIELDS if name in vals]
        if "prepayment_expected" in vals:
            not_draft = self.filtered(lambda r: r.state != "draft")
            if not_draft:
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: whether prepayments are expected is part of "
                        "the application, changed in draft only.",
                        request=not_draft[0].display_name,
                        state=not_draft[0]._get_state_label(),
                    )
                )
        if not finance:
            return
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only credit managers can write '%(field)s' on an admission request.",
                    field=self._fields[finance[0]].get_description(self.env)["string"],
                )
            )
        for request in self:
            request._check_credit_step_open()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_assess_credit(self):
        """Finance records its assessment: the initial limit (0 allowed only with
        prepayment or a guarantee) and a short written assessment."""
        if not self.env.user.has_group(CREDIT_MANAGER_GROUP):
            raise AccessError(
                self.env._("Only credit managers can assess the credit of an admission request.")
            )
        for request in self:
            request._check_credit_step_open()
            request._check_not_applicant(self.env._("assess the credit of"))
            if not (request.credit_assessment or "").strip():
                raise UserError(
                    self.env._(
                        "Write the credit assessment of %(request)s (payment capacity, references, "
                        "risk) before recording it.",
                        request=request.display_name,
                    )
                )
            limit = request.proposed_credit_limit
            if not math.isfinite(limit) or limit < 0:
                raise ValidationError(self.env._("A credit limit is a positive amount (or 0)."))
            if request.company_currency_id.is_zero(limit) and not (
                request.prepayment_required or request.guarantee_required
            ):
                raise UserError(
                    self.env._(
                        "An initial limit of 0 allows no credit at all: require prepayment or a "
                        "guarantee on %(request)s, or propose a limit.",
                        request=request.display_name,
                    )
                )
        self.sudo().write(
            {"credit_assessor_id": self.env.uid, "credit_assessment_date": fields.Date.context_today(self)}
        )
        for request in self:
            request._close_step_activities(
                [CREDIT_ACTIVITY_TYPE],
                lambda r: r.env._("Credit assessed by %(user)s", user=self.env.user.name),
            )
            request.message_post(body=request._get_credit_summary(), subtype_xmlid="mail.mt_note")
        return True

    def action_approve(self):
        # Who may approve, and when, is the workflow's check (in super): this one only
        # speaks to the approver of a reviewed request.
        missing = self.filtered(
            lambda r: r.state == "reviewed" and r._needs_credit_step() and not r.credit_assessor_id
        )
        if missing and self.env.user.has_group("partner_qualification_credit.group_approver"):
            raise UserError(
                self.env._(
                    "%(request)s waits for finance's credit assessment (initial limit, payment "
                    "terms, guarantee or prepayment): ask a credit manager (%(managers)s) to record "
                    "it before approving.",
                    request=missing[0].display_name,
                    managers=self.env["res.partner"]._get_group_user_names(CREDIT_MANAGER_GROUP),
                )
            )
        res = super().action_approve()
        self.sudo().activity_unlink([CREDIT_ACTIVITY_TYPE])
        return res

    def action_reject(self):
        res = super().action_reject()
        self.sudo().activity_unlink([CREDIT_ACTIVITY_TYPE])
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self.sudo().activity_unlink([CREDIT_ACTIVITY_TYPE])
        return res

    def action_reset_to_draft(self):
        res = super().action_reset_to_draft()
        # A new application gets a new assessment.
        self.sudo().write(
            {
                "proposed_credit_limit": 0.0,
                "credit_assessment": False,
                "credit_payment_term_id": False,
                "guarantee_required": False,
                "prepayment_required": False,
                "credit_assessor_id": False,
                "credit_assessment_date": False,
            }
        )
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _submit(self):
        res = super()._submit()
        to_assess = self.sudo().filtered(lambda r: r._needs_credit_step() and not r.credit_assessor_id)
        for request in to_assess:
            if request.company_currency_id.is_zero(request.proposed_credit_limit):
                request.proposed_credit_limit = request._get_default_credit_limit()
        to_assess._schedule_activities(CREDIT_ACTIVITY_TYPE, CREDIT_MANAGER_GROUP)
        return res

    def _get_default_credit_limit(self):
        """What finance starts from: the partner's current limit, else the default limit
        of the grade it will get."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        if partner.credit_limit:
            return partner.credit_limit
        grade = partner.qualification_grade_id or self.company_id.partner_default_grade_id
        return grade.with_company(self.company_id).sudo().default_credit_limit

    def _admit_partner(self):
        res = super()._admit_partner()
        if self.credit_assessor_id:
            partner = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
            vals = {"credit_limit": self.proposed_credit_limit}
            if self.credit_payment_term_id:
                term_field = (
                    "property_payment_term_id"
                    if self.role != "supplier"
                    else "property_supplier_payment_term_id"
                )
                vals[term_field] = self.credit_payment_term_id.id
            partner.write(vals)
            partner.message_post(body=self._get_credit_summary(), subtype_xmlid="mail.mt_note")
        return res

    def _check_credit_step_open(self):
        self.ensure_one()
        if not self._needs_credit_step():
            raise UserError(
                self.env._(
                    "%(request)s needs no credit assessment: it applies for a supplier we do not "
                    "prepay (or re-reviews an admitted partner). Tick 'Prepayments Expected' on the "
                    "application if we will pay in advance.",
                    request=self.display_name,
                )
            )
        if self.state not in CREDIT_STATES:
            raise UserError(
                self.env._(
                    "%(request)s is %(state)s: finance assesses the credit of submitted or "
                    "reviewed requests only.",
                    request=self.display_name,
                    state=self._get_state_label(),
                )
            )

    def _get_credit_summary(self):
        self.ensure_one()
        conditions = [
            label
            for flag, label in (
                (self.guarantee_required, self.env._("guarantee required")),
                (self.prepayment_required, self.env._("prepayment required")),
            )
            if flag
        ]
        return self.env._(
            "Credit assessment by %(user)s: initial limit %(limit)s, payment terms "
            "%(terms)s%(conditions)s. %(text)s",
            user=self.credit_assessor_id.name or self.env.user.name,
            limit=self.company_currency_id.format(self.proposed_credit_limit),
            terms=self.credit_payment_term_id.display_name or "-",
            conditions=(", " + ", ".join(conditions)) if conditions else "",
            text=self.credit_assessment or "",
        )
