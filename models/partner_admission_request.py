# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .const import (
    ADMISSION_CHECKS,
    ADMISSION_STATES,
    PARTNER_ROLES,
    REQUEST_ORIGINS,
    REQUEST_STATES,
)

OFFICER = "partner_qualification_credit.group_officer"
APPROVER = "partner_qualification_credit.group_approver"
REVIEW_ACTIVITY = "partner_qualification_credit.mail_activity_type_admission_review"
APPROVE_ACTIVITY = "partner_qualification_credit.mail_activity_type_admission_approve"

# Fields only the workflow methods write (as superuser, once the transition checker ran).
WORKFLOW_FIELDS = frozenset(
    [
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
        "reviewed_partner_id",
        "reviewed_identity",
        # Related to the partner: its admission belongs to the workflow, not to a form.
        "partner_admission_state",
        *(f"check_{check}_result" for check in ADMISSION_CHECKS),
        *(f"check_{check}_reason" for check in ADMISSION_CHECKS),
        *(f"check_{check}_details" for check in ADMISSION_CHECKS),
    ]
)
# Who may write the opinion fields: the office reviews, leadership approves.
OPINION_FIELD_GROUPS = {
    "review_opinion": OFFICER,
    "check_override_reason": OFFICER,
    "rejection_reason": OFFICER,
    "approval_note": APPROVER,
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


class PartnerAdmissionRequest(models.Model):
    _name = "partner.admission.request"
    _description = "Partner Admission Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "partner.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _workflow_fields = WORKFLOW_FIELDS | OPINION_FIELD_STATES.keys()
    _history_states = ("approved",)

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
        selection=REQUEST_ORIGINS,
        required=True,
        default="application",
        readonly=True,
        copy=False,
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
        copy=False,
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
    # What the office reviewed: the approval admits this partner or nobody.
    reviewed_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Reviewed Partner",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    reviewed_identity = fields.Char(
        readonly=True,
        copy=False,
        help="Name, tax ID and company registry of the partner as the office reviewed them.",
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
    check_override_reason = fields.Text(
        string="Override Reason",
        copy=False,
        tracking=True,
        help="Why the office proceeds although the prohibited-list or document check failed.",
    )
    is_applicant = fields.Boolean(compute="_compute_is_applicant")
    is_officer = fields.Boolean(compute="_compute_is_applicant")
    is_approver = fields.Boolean(compute="_compute_is_applicant")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("partner_id")
    def _check_partner_not_own_company(self):
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        own = companies.search([("partner_id", "in", self.partner_id.commercial_partner_id.ids)]).partner_id
        for request in self:
            if request.partner_id.commercial_partner_id in own:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is one of our own companies: it is not admitted as a partner.",
                        partner=request.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("applicant_id", "create_uid")
    @api.depends_context("uid")
    def _compute_is_applicant(self):
        is_officer = self.env.user.has_group(OFFICER)
        is_approver = self.env.user.has_group(APPROVER)
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
        requests = super(PartnerAdmissionRequest, self._without_workflow_defaults()).create(vals_list)
        for request in requests.with_env(self.env):
            request.message_subscribe(partner_ids=request.applicant_id.partner_id.ids)
        return requests.with_env(self.env)

    def write(self, vals):
        if not self.env.su and self:
            self._check_request_write(vals)
        self._check_history_write(vals)
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
                    field=self._get_field_label(opinions[0]),
                )
            )
        for field_name in vals.keys() & OPINION_FIELD_STATES.keys():
            wrong_state = self.filtered(lambda r, f=field_name: r.state not in OPINION_FIELD_STATES[f])
            if wrong_state:
                raise UserError(
                    self.env._(
                        "'%(field)s' of %(request)s cannot be changed now that it is %(state)s: "
                        "it records a decision already taken.",
                        field=self._get_field_label(field_name),
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
                        field=self._get_field_label(field_name),
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
    # TOOLING
    # ------------------------------------------------------------

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
