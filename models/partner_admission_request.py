# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .const import (
    ADMISSION_CHECKS,
    ADMISSION_STATES,
    BLOCKING_CHECKS,
    BUSINESS_LICENCE,
    CHECK_RESULTS,
    OPEN_STATES,
    ORGANIZATION_CODE,
    PARTNER_ROLES,
    REQUEST_STATES,
    TAX_REGISTRATION,
    compact_code,
    uscc_organization_code,
)

# Fields only the workflow methods write (with superuser rights, after their checks).
WORKFLOW_FIELDS = {
    "name",
    "state",
    "applicant_id",
    "reviewer_id",
    "review_date",
    "approver_id",
    "approval_date",
    "checks_date",
    "origin",
    "previous_admission_state",
    *(f"check_{check}_result" for check in ADMISSION_CHECKS),
    *(f"check_{check}_reason" for check in ADMISSION_CHECKS),
}
# Who may write the opinion fields: the office reviews, leadership approves.
OPINION_FIELD_GROUPS = {
    "review_opinion": "partner_qualification_credit.group_officer",
    "check_override_reason": "partner_qualification_credit.group_officer",
    "rejection_reason": "partner_qualification_credit.group_officer",
    "approval_note": "partner_qualification_credit.group_approver",
}
# ...and only at their own step, so that a decision cannot be rewritten afterwards.
OPINION_FIELD_STATES = {
    "review_opinion": ("submitted",),
    "check_override_reason": ("submitted",),
    "rejection_reason": ("submitted", "reviewed"),
    "approval_note": ("reviewed",),
}
# What the applicant fills in: editable while the request is a draft only.
APPLICATION_FIELDS = {"partner_id", "role", "cooperation_content", "partner_profile", "company_id"}


def _compact_sql(column):
    """SQL twin of ``compact_code``: alphanumerics only, upper case."""
    return SQL("UPPER(REGEXP_REPLACE(COALESCE(%s, ''), '[^[:alnum:]]', '', 'g'))", column)


class PartnerAdmissionRequest(models.Model):
    _name = "partner.admission.request"
    _description = "Partner Admission Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    partner_vat = fields.Char(related="partner_id.vat", string="Tax ID / USCC")
    partner_admission_state = fields.Selection(
        related="partner_id.admission_state",
        string="Partner Admission",
    )
    role = fields.Selection(
        selection=PARTNER_ROLES,
        required=True,
        tracking=True,
        help="Customer, supplier or both: decides which documents are mandatory.",
    )
    origin = fields.Selection(
        selection=[
            ("application", "Application"),
            ("identity_change", "Identity Change"),
        ],
        required=True,
        default="application",
        readonly=True,
        help="Identity change: opened automatically when the name, tax ID, company "
        "registry or a licence number of an admitted partner changed.",
    )
    partner_profile = fields.Text(
        string="Profile",
        help="Who the partner is: activity, size, market position.",
    )
    cooperation_content = fields.Text(
        tracking=True,
        help="What we intend to buy from or sell to this partner.",
    )
    applicant_id = fields.Many2one(
        comodel_name="res.users",
        string="Applicant",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    application_date = fields.Date(
        default=fields.Date.context_today,
        readonly=True,
        copy=False,
    )
    state = fields.Selection(
        selection=REQUEST_STATES,
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    reviewer_id = fields.Many2one(comodel_name="res.users", string="Reviewed By", readonly=True, copy=False)
    review_date = fields.Date(readonly=True, copy=False)
    review_opinion = fields.Text(
        copy=False, tracking=True, help="The office's opinion, passed to the approver."
    )
    approver_id = fields.Many2one(comodel_name="res.users", string="Approved By", readonly=True, copy=False)
    approval_date = fields.Date(readonly=True, copy=False)
    approval_note = fields.Text(copy=False, tracking=True)
    rejection_reason = fields.Text(copy=False, tracking=True)
    previous_admission_state = fields.Selection(
        selection=ADMISSION_STATES,
        string="Admission Before Submission",
        readonly=True,
        copy=False,
        help="The partner's admission state in the company when the request was submitted: "
        "restored when the request is cancelled.",
    )
    # The automatic checks (run at submission, again on demand)
    checks_date = fields.Datetime(string="Checked On", readonly=True, copy=False)
    check_prohibited_result = fields.Selection(
        selection=CHECK_RESULTS, string="Prohibited List", readonly=True, copy=False
    )
    check_prohibited_reason = fields.Char(string="Prohibited List Details", readonly=True, copy=False)
    check_documents_result = fields.Selection(
        selection=CHECK_RESULTS, string="Documents", readonly=True, copy=False
    )
    check_documents_reason = fields.Char(string="Documents Details", readonly=True, copy=False)
    check_numbers_result = fields.Selection(
        selection=CHECK_RESULTS, string="Number Consistency", readonly=True, copy=False
    )
    check_numbers_reason = fields.Char(string="Number Consistency Details", readonly=True, copy=False)
    check_duplicates_result = fields.Selection(
        selection=CHECK_RESULTS, string="Duplicates", readonly=True, copy=False
    )
    check_duplicates_reason = fields.Char(string="Duplicates Details", readonly=True, copy=False)
    check_override_reason = fields.Text(
        string="Override Reason",
        copy=False,
        tracking=True,
        help="Why the office proceeds although the prohibited-list or document check failed.",
    )
    check_blocking = fields.Boolean(
        string="Blocking Check Failed",
        compute="_compute_check_blocking",
        help="The prohibited-list or document check failed: the review needs an override reason.",
    )
    is_applicant = fields.Boolean(compute="_compute_is_applicant")
    is_officer = fields.Boolean(compute="_compute_is_applicant")
    is_approver = fields.Boolean(compute="_compute_is_applicant")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(*(f"check_{check}_result" for check in BLOCKING_CHECKS))
    def _compute_check_blocking(self):
        for request in self:
            request.check_blocking = any(
                request[f"check_{check}_result"] == "fail" for check in BLOCKING_CHECKS
            )

    @api.depends("applicant_id", "create_uid")
    @api.depends_context("uid")
    def _compute_is_applicant(self):
        is_officer = self.env.user.has_group("partner_qualification_credit.group_officer")
        is_approver = self.env.user.has_group("partner_qualification_credit.group_approver")
        for request in self:
            request.is_applicant = request._is_own_request()
            request.is_officer = is_officer
            request.is_approver = is_approver

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = " - ".join(filter(None, [request.name, request.partner_id.name]))

    _rec_names_search = ["name", "partner_id"]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_request_create(vals)
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "partner.admission.request"
                ) or self.env._("New")
        requests = super().create(vals_list)
        for request in requests:
            request.message_subscribe(partner_ids=request.applicant_id.partner_id.ids)
        return requests

    def write(self, vals):
        if not self.env.su and self:
            self._check_request_write(vals)
        return super().write(vals)

    def _check_request_create(self, vals):
        """A user files a draft for themselves; the workflow fields are not theirs."""
        forbidden = (vals.keys() & WORKFLOW_FIELDS) - {"name", "applicant_id", "origin"}
        if vals.get("state", "draft") == "draft":
            forbidden.discard("state")
        forbidden |= {name for name in vals.keys() & OPINION_FIELD_STATES.keys() if vals[name]}
        if forbidden or vals.get("origin", "application") != "application":
            raise AccessError(
                self.env._(
                    "An admission request is created as a draft by its applicant: use the "
                    "'New Application' assistant and submit it, the review and approval "
                    "are recorded by the workflow."
                )
            )
        self._check_opinion_groups(vals)
        # Segregation of duties starts here: whoever files the request is its applicant,
        # never a colleague named in their place (only the workflow, with sudo, chooses).
        vals["applicant_id"] = self.env.uid

    def _check_request_write(self, vals):
        """Whatever the client sends: states move through the action buttons only,
        opinions belong to the office and leadership, the application to its draft."""
        workflow = vals.keys() & WORKFLOW_FIELDS
        if workflow:
            raise AccessError(
                self.env._(
                    "The fields %(fields)s of an admission request are set by the workflow: "
                    "use the Submit, Review, Approve or Reject buttons.",
                    fields=", ".join(sorted(workflow)),
                )
            )
        if vals.keys() & APPLICATION_FIELDS:
            not_draft = self.filtered(lambda r: r.state != "draft")
            if not_draft:
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: its application can no longer be changed. "
                        "Reset it to draft (after a rejection or cancellation) or file a new one.",
                        request=not_draft[0].display_name,
                        state=not_draft[0]._get_state_label(),
                    )
                )
        self._check_opinion_groups(vals)
        own = self.filtered(lambda r: r._is_own_request())
        opinions = [name for name in vals.keys() & OPINION_FIELD_STATES.keys() if vals[name]]
        if own and opinions:
            raise AccessError(
                self.env._(
                    "You applied for %(request)s, so you cannot write its '%(field)s' "
                    "(segregation of duties).",
                    request=own[0].display_name,
                    field=self._fields[opinions[0]].get_description(self.env)["string"],
                )
            )
        for field_name in vals.keys() & OPINION_FIELD_STATES.keys():
            wrong_state = self.filtered(lambda r, f=field_name: r.state not in OPINION_FIELD_STATES[f])
            if wrong_state:
                raise UserError(
                    self.env._(
                        "'%(field)s' of %(request)s cannot be changed now that it is %(state)s: "
                        "it records a decision already taken.",
                        field=self._fields[field_name].get_description(self.env)["string"],
                        request=wrong_state[0].display_name,
                        state=wrong_state[0]._get_state_label(),
                    )
                )

    def _check_opinion_groups(self, vals):
        for field_name in vals.keys() & OPINION_FIELD_GROUPS.keys():
            group = OPINION_FIELD_GROUPS[field_name]
            if vals[field_name] and not self.env.user.has_group(group):
                raise AccessError(
                    self.env._(
                        "Only members of '%(group)s' can write '%(field)s' on an admission request.",
                        group=self.env.ref(group).display_name,
                        field=self._fields[field_name].get_description(self.env)["string"],
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_progress(self):
        for request in self:
            if request.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s and is part of the partner's record: only draft "
                        "or cancelled requests can be deleted. Cancel it instead.",
                        request=request.display_name,
                        state=request._get_state_label(),
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        for request in self:
            request._check_state(("draft",))
            if request.applicant_id != self.env.user and not self.env.user.has_group(
                "partner_qualification_credit.group_officer"
            ):
                raise AccessError(
                    self.env._(
                        "Only the applicant %(applicant)s or the partner-management office can "
                        "submit %(request)s.",
                        applicant=request.applicant_id.name,
                        request=request.display_name,
                    )
                )
        self._submit()
        return True

    def action_run_checks(self):
        self._check_group("partner_qualification_credit.group_officer", self.env._("re-run the checks"))
        for request in self:
            request._check_state(("submitted",))
        self._run_checks()
        return True

    def action_review(self):
        self._check_group(
            "partner_qualification_credit.group_officer", self.env._("review admission requests")
        )
        for request in self:
            request._check_state(("submitted",))
            request._check_not_applicant(self.env._("review"))
            if not (request.review_opinion or "").strip():
                raise UserError(
                    self.env._(
                        "Write the office's review opinion on %(request)s before passing it to the approver.",
                        request=request.display_name,
                    )
                )
            if request.check_blocking and not (request.check_override_reason or "").strip():
                raise UserError(
                    self.env._(
                        "%(request)s failed the prohibited-list or document check: %(reasons)s. "
                        "Have the applicant fix it and re-run the checks, or record an override "
                        "reason to proceed anyway.",
                        request=request.display_name,
                        reasons="; ".join(request._get_failed_check_reasons()),
                    )
                )
        today = fields.Date.context_today(self)
        self.sudo().write({"state": "reviewed", "reviewer_id": self.env.uid, "review_date": today})
        for request in self:
            request._close_activities()
            request._schedule_next_activity(
                "partner_qualification_credit.group_approver",
                self.env._("Approve the admission of %(partner)s", partner=request.partner_id.display_name),
            )
            request.message_post(
                body=Markup("%s<br/>%s") % (self.env._("Reviewed by the office."), request.review_opinion),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_approve(self):
        self._check_group(
            "partner_qualification_credit.group_approver", self.env._("approve admission requests")
        )
        for request in self:
            request._check_state(("reviewed",))
            request._check_not_applicant(self.env._("approve"))
            if (
                request.reviewer_id == self.env.user
                and not request.company_id.partner_admission_reviewer_can_approve
            ):
                raise UserError(
                    self.env._(
                        "You reviewed %(request)s, so another approver must approve it "
                        "(segregation of duties). Small companies can allow it in the settings "
                        "('Reviewer May Approve').",
                        request=request.display_name,
                    )
                )
        self.sudo().write(
            {
                "state": "approved",
                "approver_id": self.env.uid,
                "approval_date": fields.Date.context_today(self),
            }
        )
        for request in self:
            request._admit_partner()
            request._close_activities()
            request._notify_applicant(
                self.env._(
                    "%(request)s is approved: %(partner)s is admitted.",
                    request=request.name,
                    partner=request.partner_id.display_name,
                ),
                request.approval_note,
            )
        return True

    def action_reject(self):
        self._check_group(
            "partner_qualification_credit.group_officer", self.env._("reject admission requests")
        )
        for request in self:
            request._check_state(("submitted", "reviewed"))
            request._check_not_applicant(self.env._("reject"))
            if request.state == "reviewed" and not self.env.user.has_group(
                "partner_qualification_credit.group_approver"
            ):
                raise AccessError(
                    self.env._(
                        "%(request)s was reviewed and waits for leadership: only an approver can "
                        "reject it now.",
                        request=request.display_name,
                    )
                )
            if not (request.rejection_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write the reason for rejecting %(request)s: the applicant needs it to "
                        "correct the application or inform the partner.",
                        request=request.display_name,
                    )
                )
        self.sudo().write({"state": "rejected"})
        for request in self:
            request._set_partner_admission_state("rejected")
            request._close_activities()
            request._notify_applicant(
                self.env._("%(request)s is rejected.", request=request.name),
                request.rejection_reason,
            )
        return True

    def action_cancel(self):
        for request in self:
            request._check_state(OPEN_STATES)
            if request.applicant_id != self.env.user and not self.env.user.has_group(
                "partner_qualification_credit.group_officer"
            ):
                raise AccessError(
                    self.env._(
                        "Only the applicant %(applicant)s or the partner-management office can "
                        "cancel %(request)s.",
                        applicant=request.applicant_id.name,
                        request=request.display_name,
                    )
                )
            if request.origin == "identity_change" and request.state != "draft":
                # Cancelling a re-review restores the admission: the office decides it,
                # never the person who changed the identity.
                request._check_group(
                    "partner_qualification_credit.group_officer", self.env._("cancel a re-review")
                )
                request._check_not_applicant(self.env._("cancel"))
        self.sudo().write({"state": "cancelled"})
        for request in self:
            request._close_activities()
            if request._get_partner_admission_state() == "in_review" and not request._get_open_requests():
                # Back to where the submission found it: a cancelled application of a
                # rejected partner leaves it rejected, a cancelled re-review approved.
                previous = request.previous_admission_state
                request._set_partner_admission_state(
                    previous if previous and previous != "in_review" else "none"
                )
            request.message_post(body=self.env._("Request cancelled."), subtype_xmlid="mail.mt_note")
        return True

    def action_reset_to_draft(self):
        for request in self:
            request._check_state(("rejected", "cancelled"))
            if request.applicant_id != self.env.user and not self.env.user.has_group(
                "partner_qualification_credit.group_officer"
            ):
                raise AccessError(
                    self.env._(
                        "Only the applicant %(applicant)s or the partner-management office can "
                        "reset %(request)s to draft.",
                        applicant=request.applicant_id.name,
                        request=request.display_name,
                    )
                )
        self.sudo().write(
            {
                "state": "draft",
                "reviewer_id": False,
                "review_date": False,
                "approver_id": False,
                "approval_date": False,
                "checks_date": False,
                # A new review starts from scratch: an old override or opinion must not
                # let a changed partner through.
                "review_opinion": False,
                "check_override_reason": False,
                "rejection_reason": False,
                "approval_note": False,
                "previous_admission_state": False,
                **{f"check_{check}_result": False for check in ADMISSION_CHECKS},
                **{f"check_{check}_reason": False for check in ADMISSION_CHECKS},
            }
        )
        return True

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS: workflow
    # ------------------------------------------------------------

    def _submit(self):
        """Move draft requests to submitted, run the checks, put the partner in review
        and ask the office to review. No access check: callers do theirs."""
        for request in self:
            other = request._get_open_requests() - request
            if other.filtered(lambda r: r.state != "draft"):
                raise UserError(
                    self.env._(
                        "%(partner)s already has an admission request in progress (%(request)s): "
                        "follow that one instead of filing another.",
                        partner=request.partner_id.display_name,
                        request=other[0].name,
                    )
                )
            previous = request._get_partner_admission_state()
            if request.origin == "application" and previous == "approved":
                raise UserError(
                    self.env._(
                        "%(partner)s is already admitted for %(company)s: an application is only "
                        "for partners not admitted yet. Changes to an admitted partner go through "
                        "the partner-management office.",
                        partner=request.partner_id.display_name,
                        company=request.company_id.name,
                    )
                )
            request.sudo().write({"state": "submitted", "previous_admission_state": previous})
        self._run_checks()
        # Callers checked the access; a re-review may be opened in another company.
        for request in self.sudo():
            request._set_partner_admission_state("in_review")
            request.message_subscribe(partner_ids=request.applicant_id.partner_id.ids)
            request._schedule_next_activity(
                "partner_qualification_credit.group_officer",
                self.env._("Review the admission of %(partner)s", partner=request.partner_id.display_name),
            )
            request.message_post(
                body=self.env._(
                    "Submitted for review. Checks: %(summary)s", summary=request._get_checks_summary()
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _admit_partner(self):
        """Write the approved application into the partner's register entry."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.commercial_partner_id.with_company(company).sudo()
        vals = {
            "admission_state": "approved",
            "qualification_applicant_id": self.applicant_id.id,
            "qualification_application_date": self.application_date,
            "partner_role": self.role,
        }
        if self.cooperation_content:
            vals["cooperation_content"] = self.cooperation_content
        # A re-admission keeps the grade it earned; a new partner gets the default grade.
        grade = partner.qualification_grade_id or company.partner_default_grade_id
        if grade and not partner.qualification_grade_id:
            vals["qualification_grade_id"] = grade.id
        if grade and not partner.credit_limit:
            vals["credit_limit"] = grade.with_company(company).default_credit_limit
        partner.write(vals)
        partner.message_post(
            body=self.env._(
                "Admitted for %(company)s by %(approver)s (request %(request)s). Grade: %(grade)s.",
                company=company.name,
                approver=self.env.user.name,
                request=self.name,
                grade=grade.display_name or "-",
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _get_partner_admission_state(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        return partner.admission_state or "none"

    def _set_partner_admission_state(self, state):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        partner.admission_state = state

    def _get_open_requests(self):
        """Open requests for the same partner and company (self included)."""
        self.ensure_one()
        return (
            self.sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", OPEN_STATES),
                ]
            )
            .sudo(False)
        )

    def _schedule_next_activity(self, group_xmlid, summary):
        self.ensure_one()
        users = (
            self.env.ref(group_xmlid)
            .sudo()
            .all_user_ids.filtered(
                lambda u: not u.share and u.active and u.id != 1 and self.company_id in u.company_ids
            )
        ) - self.applicant_id
        for user in users:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=user.id,
            )

    def _close_activities(self):
        self.sudo().activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=self.env._("Done: %(state)s", state=self._get_state_label()),
        )

    def _notify_applicant(self, message, detail):
        self.ensure_one()
        body = Markup("%s<br/>%s") % (message, detail) if detail else message
        self.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=self.applicant_id.partner_id.ids,
        )

    # ------------------------------------------------------------
    # BUSINESS: the automatic checks
    # ------------------------------------------------------------

    def _run_checks(self):
        now = fields.Datetime.now()
        for request in self:
            vals = {"checks_date": now}
            for check in ADMISSION_CHECKS:
                result, reason = getattr(request, f"_check_admission_{check}")()
                vals[f"check_{check}_result"] = result
                vals[f"check_{check}_reason"] = reason
            request.sudo().write(vals)

    def _get_partner_codes(self):
        """Compacted registration numbers of the partner: VAT, registry, licences."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        codes = {compact_code(partner.vat), compact_code(partner.company_registry)}
        codes.update(
            compact_code(d.number)
            for d in partner.sudo().qualification_document_ids
            if d.type_code == BUSINESS_LICENCE
        )
        codes.discard("")
        return codes

    def _check_admission_prohibited(self):
        """(1) Is the partner, its commercial entity or a twin by registration number
        graded with a blocking grade (E) in any company of the database?"""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        block_grades = (
            self.env["partner.qualification.grade"]
            .sudo()
            .with_context(active_test=False)
            .search([("policy", "=", "block")])
        )
        if not block_grades:
            return "pass", self.env._("No blocking grade is defined.")
        self.env.flush_all()
        codes = tuple(self._get_partner_codes())
        # Without any number, only the partner itself counts: an empty code would match
        # every partner without numbers.
        twins = SQL("FALSE")
        if codes:
            twins = SQL(
                """
                %(vat)s IN %(codes)s
                OR %(registry)s IN %(codes)s
                OR EXISTS (
                    SELECT 1
                      FROM partner_qualification_document d
                      JOIN partner_qualification_document_type t ON t.id = d.type_id
                     WHERE d.partner_id = p.id AND t.code = %(licence)s
                       AND %(number)s <> '' AND %(number)s IN %(codes)s)
                """,
                vat=_compact_sql(SQL("p.vat")),
                registry=_compact_sql(SQL("p.company_registry")),
                number=_compact_sql(SQL("d.number")),
                licence=BUSINESS_LICENCE,
                codes=codes,
            )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT p.id, kv.key::int
                  FROM res_partner p
                  JOIN jsonb_each_text(p.qualification_grade_id) kv ON kv.value::int IN %(grades)s
                 WHERE p.qualification_grade_id IS NOT NULL
                   AND (p.id = %(partner)s
                        OR p.commercial_partner_id = %(partner)s
                        OR %(twins)s)
                 ORDER BY p.id
                """,
                grades=tuple(block_grades.ids),
                partner=partner.id,
                twins=twins,
            )
        )
        if not rows:
            return "pass", self.env._("Not on the prohibited list of any company.")
        partners = self.env["res.partner"].sudo().with_context(active_test=False).browse({r[0] for r in rows})
        companies = self.env["res.company"].sudo().browse({r[1] for r in rows}).exists()
        return "fail", self.env._(
            "On the prohibited list: %(partners)s graded %(grades)s in %(companies)s.",
            partners=", ".join(partners.mapped("display_name")[:5]),
            grades=", ".join(block_grades.mapped("code")),
            companies=", ".join(companies.mapped("name")) or "-",
        )

    def _check_admission_documents(self):
        """(2) The mandatory documents of the role are present and not expired."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.sudo()
        # The role applied for decides, not the one the partner had before.
        issues = partner._get_document_issues(role_override=self.role)
        if issues:
            return "fail", "; ".join(
                self.env._("%(type)s missing", type=doc_type.name)
                if state == "missing"
                else self.env._("%(type)s expired on %(date)s", type=doc_type.name, date=expiry)
                for doc_type, state, expiry in issues
            )
        expiring = partner.qualification_document_ids.filtered(lambda d: d.active and d.state == "expiring")
        if expiring:
            return "warning", self.env._(
                "Expiring soon: %(documents)s", documents=", ".join(expiring.mapped("display_name"))
            )
        return "pass", self.env._("Mandatory documents present and valid.")

    def _check_admission_numbers(self):
        """(3) Licence, organisation code, tax registration, VAT and company registry
        tell the same identity."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.sudo()
        documents = partner.qualification_document_ids.filtered("active")
        licences = {compact_code(d.number) for d in documents if d.type_code == BUSINESS_LICENCE}
        problems = []
        if len(licences) > 1:
            problems.append(
                self.env._(
                    "several business licence numbers: %(numbers)s", numbers=", ".join(sorted(licences))
                )
            )
        vat, registry = compact_code(partner.vat), compact_code(partner.company_registry)
        if vat and registry and vat != registry:
            problems.append(
                self.env._(
                    "Tax ID %(vat)s differs from company registry %(registry)s", vat=vat, registry=registry
                )
            )
        uscc = next(iter(sorted(licences)), "") or vat or registry
        for number in licences:
            for label, value in ((self.env._("Tax ID"), vat), (self.env._("company registry"), registry)):
                if value and value != number:
                    problems.append(
                        self.env._(
                            "licence %(number)s differs from the %(label)s %(value)s",
                            number=number,
                            label=label,
                            value=value,
                        )
                    )
        for document in documents.filtered(lambda d: d.type_code == ORGANIZATION_CODE):
            if uscc and compact_code(document.number) != uscc_organization_code(uscc):
                problems.append(
                    self.env._(
                        "organisation code %(number)s is not characters 9-17 of %(uscc)s",
                        number=document.number,
                        uscc=uscc,
                    )
                )
        warnings = []
        for document in documents.filtered(lambda d: d.type_code == TAX_REGISTRATION):
            number = compact_code(document.number)
            # Before 2015: 15 characters, region code + organisation code; since: the USCC.
            if uscc and number != uscc and number[-9:] != uscc_organization_code(uscc):
                warnings.append(
                    self.env._(
                        "tax registration %(number)s does not match %(uscc)s",
                        number=document.number,
                        uscc=uscc,
                    )
                )
        if problems:
            return "fail", "; ".join(problems)
        if not uscc:
            return "warning", self.env._("No licence number, tax ID or company registry to compare.")
        if warnings:
            return "warning", "; ".join(warnings)
        return "pass", self.env._("Numbers consistent (%(uscc)s).", uscc=uscc)

    def _check_admission_duplicates(self):
        """(4) Another partner with the same tax ID, company registry or name."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        self.env.flush_all()
        codes = tuple(self._get_partner_codes())
        conditions = []
        if codes:
            conditions += [
                SQL("%s IN %s", _compact_sql(SQL("p.vat")), codes),
                SQL("%s IN %s", _compact_sql(SQL("p.company_registry")), codes),
            ]
        if (partner.name or "").strip():
            conditions.append(SQL("LOWER(TRIM(p.name)) = LOWER(TRIM(%s))", partner.name))
        if not conditions:
            return "pass", self.env._("No other partner with the same tax ID, registry or name.")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
                 WHERE p.id = p.commercial_partner_id
                   AND p.id != %(partner)s
                   AND p.active
                   AND (%(conditions)s)
                 ORDER BY p.id
                 LIMIT 6
                """,
                partner=partner.id,
                conditions=SQL(" OR ").join(conditions),
            )
        )
        if not rows:
            return "pass", self.env._("No other partner with the same tax ID, registry or name.")
        duplicates = self.env["res.partner"].sudo().browse([row[0] for row in rows])
        return "warning", self.env._(
            "Possible duplicates: %(partners)s", partners=", ".join(duplicates.mapped("display_name")[:5])
        )

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _get_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env)).get(self.state, self.state)

    def _get_failed_check_reasons(self):
        self.ensure_one()
        return [
            self[f"check_{check}_reason"] or ""
            for check in BLOCKING_CHECKS
            if self[f"check_{check}_result"] == "fail"
        ]

    def _get_checks_summary(self):
        self.ensure_one()
        labels = dict(self._fields["check_prohibited_result"]._description_selection(self.env))
        return ", ".join(
            ": ".join(
                (
                    self._fields[f"check_{check}_result"].get_description(self.env)["string"],
                    labels.get(self[f"check_{check}_result"], "-"),
                )
            )
            for check in ADMISSION_CHECKS
        )

    def _check_state(self, states):
        self.ensure_one()
        if self.state not in states:
            raise UserError(
                self.env._(
                    "%(request)s is %(state)s: this step is not possible now. Reload the request.",
                    request=self.display_name,
                    state=self._get_state_label(),
                )
            )

    def _check_group(self, group_xmlid, what):
        if not self.env.user.has_group(group_xmlid):
            raise AccessError(
                self.env._(
                    "Only members of '%(group)s' can %(what)s.",
                    group=self.env.ref(group_xmlid).sudo().display_name,
                    what=what,
                )
            )

    def _is_own_request(self):
        """The current user applied for (or filed) the request."""
        self.ensure_one()
        return self.env.user in (self.applicant_id | self.create_uid)

    def _check_not_applicant(self, what):
        self.ensure_one()
        if self._is_own_request():
            raise UserError(
                self.env._(
                    "You applied for %(request)s, so you cannot %(what)s it (segregation of "
                    "duties). Another member of the office or leadership must do it.",
                    request=self.display_name,
                    what=what,
                )
            )
