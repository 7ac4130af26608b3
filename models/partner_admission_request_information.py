# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .partner_admission_request import OFFICER, REVIEW_ACTIVITY
from .partner_admission_request_credit import PartnerAdmissionRequest as CreditRequest

INFORMATION_ACTIVITY = "partner_qualification_credit.mail_activity_type_admission_information"


class PartnerAdmissionRequest(models.Model):
    """The office sends a request back to its applicant for more material instead of
    rejecting it: the questions stay in the chatter, the applicant adds documents and
    submits again, the checks run again."""

    _inherit = "partner.admission.request"
    _workflow_fields = CreditRequest._workflow_fields | {"information_request"}

    state = fields.Selection(
        selection_add=[("returned", "Returned for Information"), ("reviewed",)],
        ondelete={"returned": "set default"},
    )
    information_request = fields.Text(
        string="Questions to the Applicant",
        copy=False,
        help="What the office needs (documents, explanations): sent to the applicant with "
        "'Request Information' and kept in the chatter.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("information_request") for vals in vals_list):
            raise AccessError(self.env._("The office asks its questions once the request is submitted."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self and "information_request" in vals:
            if not self.env.user.has_group(OFFICER):
                raise AccessError(
                    self.env._("Only the partner-management office asks the applicant questions.")
                )
            for request in self:
                request._check_state(("submitted", "reviewed"))
                request._check_not_applicant(self.env._("ask questions about"))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_request_information(self):
        """Send the request back to its applicant with the office's questions."""
        self._check_transition("returned")
        for request in self:
            if not (request.information_request or "").strip():
                raise UserError(
                    self.env._(
                        "Write the questions for the applicant of %(request)s: which documents or "
                        "explanations the office needs.",
                        request=request.display_name,
                    )
                )
        for request in self:
            questions = request.information_request
            # A new review follows the answers: the old one no longer holds.
            request.sudo().write(
                {
                    "state": "returned",
                    "reviewer_id": False,
                    "review_date": False,
                    "reviewed_partner_id": False,
                    "reviewed_identity": False,
                    "information_request": False,
                }
            )
            request._close_activities()
            request._notify_applicant(
                lambda r: r.env._(
                    "%(request)s is returned to you: the office needs more information before "
                    "reviewing it. Add the documents (Application tab) and submit it again.",
                    request=r.name,
                ),
                questions,
            )
            if request.applicant_id.active and not request.applicant_id.share:
                request.sudo().activity_schedule(
                    INFORMATION_ACTIVITY,
                    summary=self.env._("Answer the office's questions"),
                    note=questions,
                    user_id=request.applicant_id.id,
                )
        return True

    def action_submit(self):
        returned = self.filtered(lambda r: r.state == "returned")
        if returned:
            returned._check_transition("submitted")
            returned._resubmit()
        others = self - returned
        return super(PartnerAdmissionRequest, others).action_submit() if others else True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_transition(self, state):
        res = super()._check_transition(state)
        if state == "returned" and not self.env.su:
            for request in self:
                request._check_group(OFFICER, self.env._("ask the applicant for more information"))
                request._check_not_applicant(self.env._("return"))
        return res

    def _resubmit(self):
        """Answers in: back to the office, checks run again. The partner stayed in
        review meanwhile, so its admission state before the request is kept. Callers
        ran the transition checker."""
        self.sudo().write({"state": "submitted"})
        self.sudo().activity_feedback(
            [INFORMATION_ACTIVITY], feedback=self.env._("Information sent to the office.")
        )
        self._run_checks()
        self._schedule_activities(REVIEW_ACTIVITY, OFFICER)
        for request in self:
            request.message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._("Submitted again with the requested information."),
                    self.env._("Checks: %(summary)s", summary=request._get_checks_summary()),
                ),
                subtype_xmlid="mail.mt_note",
            )
