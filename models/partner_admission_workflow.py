# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .const import ADMISSION_CHECKS, OPEN_STATES, REQUEST_TRANSITIONS, compact_code
from .partner_admission_request import APPROVE_ACTIVITY, APPROVER, OFFICER, REVIEW_ACTIVITY


class PartnerAdmissionRequest(models.Model):
    """The admission workflow: draft -> submitted (applicant) -> reviewed (office) ->
    approved (leadership), or rejected / cancelled; what each step does to the
    partner's register entry and whom it asks to act next."""

    _inherit = "partner.admission.request"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        self._check_transition("submitted")
        self._submit()
        return True

    def action_run_checks(self):
        self._check_group(OFFICER, self.env._("re-run the checks"))
        for request in self:
            request._check_state(("submitted",))
        self._run_checks()
        return True

    def action_review(self):
        self._check_transition("reviewed")
        for request in self:
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
        for request in self:
            partner = request.partner_id.commercial_partner_id
            request.sudo().write(
                {
                    "state": "reviewed",
                    "reviewer_id": self.env.uid,
                    "review_date": today,
                    "reviewed_partner_id": partner.id,
                    "reviewed_identity": request._get_partner_identity(),
                }
            )
        self._close_step_activities([REVIEW_ACTIVITY], lambda request: request.env._("Reviewed"))
        self._schedule_activities(APPROVE_ACTIVITY, APPROVER)
        for request in self:
            request.message_post(
                body=Markup("%s<br/>%s") % (self.env._("Reviewed by the office."), request.review_opinion),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_approve(self):
        self._check_transition("approved")
        for request in self:
            if (
                request.partner_id.commercial_partner_id != request.reviewed_partner_id
                or request._get_partner_identity() != request.reviewed_identity
            ):
                raise UserError(
                    self.env._(
                        "The partner of %(request)s changed since the review (company it belongs "
                        "to, name, tax ID or company registry): the office reviewed %(reviewed)s. "
                        "Reject the request so that the new identity is reviewed.",
                        request=request.display_name,
                        reviewed=request.reviewed_identity or "-",
                    )
                )
        self.sudo().write(
            {
                "state": "approved",
                "approver_id": self.env.uid,
                "approval_date": fields.Date.context_today(self),
            }
        )
        self._close_activities()
        for request in self:
            request._admit_partner()
            request._notify_applicant(
                lambda r: r.env._(
                    "%(request)s is approved: %(partner)s is admitted.",
                    request=r.name,
                    partner=r.partner_id.display_name,
                ),
                request.approval_note,
            )
        return True

    def action_reject(self):
        self._check_transition("rejected")
        for request in self:
            if not (request.rejection_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write the reason for rejecting %(request)s: the applicant needs it to "
                        "correct the application or inform the partner.",
                        request=request.display_name,
                    )
                )
        self.sudo().write({"state": "rejected"})
        self._close_activities()
        for request in self:
            request._set_partner_admission_state("rejected")
            request._notify_applicant(
                lambda r: r.env._("%(request)s is rejected.", request=r.name),
                request.rejection_reason,
            )
        return True

    def action_cancel(self):
        self._check_transition("cancelled")
        self.sudo().write({"state": "cancelled"})
        self._close_activities()
        for request in self:
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
        self._check_transition("draft")
        self.sudo().write(
            {
                "state": "draft",
                "reviewer_id": False,
                "review_date": False,
                "reviewed_partner_id": False,
                "reviewed_identity": False,
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
                **{f"check_{check}_details": False for check in ADMISSION_CHECKS},
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
    # BUSINESS: transitions
    # ------------------------------------------------------------

    def _check_transition(self, state):
        """Refuse unless the current user may move every request of ``self`` to ``state``:
        the transition exists and the user holds the step's group without having
        another part in the request (applicant, reviewer and approver are three people).
        Every state change goes through here first; the workflow then writes as
        superuser, which is also the only bypass."""
        if self.env.su:
            return
        user = self.env.user
        for request in self:
            if state not in REQUEST_TRANSITIONS[request.state]:
                request._check_state(())
            if state == "reviewed":
                request._check_group(OFFICER, self.env._("review admission requests"))
                request._check_not_applicant(self.env._("review"))
            elif state == "approved":
                request._check_group(APPROVER, self.env._("approve admission requests"))
                request._check_not_applicant(self.env._("approve"))
                reviewer_may_approve = request.company_id.partner_admission_reviewer_can_approve
                if request.reviewer_id == user and not reviewer_may_approve:
                    raise UserError(
                        self.env._(
                            "You reviewed %(request)s, so another approver must approve it "
                            "(segregation of duties). Small companies can allow it in the settings "
                            "('Reviewer May Approve').",
                            request=request.display_name,
                        )
                    )
            elif state == "rejected":
                request._check_group(OFFICER, self.env._("reject admission requests"))
                request._check_not_applicant(self.env._("reject"))
                if request.state == "reviewed" and not user.has_group(APPROVER):
                    raise AccessError(
                        self.env._(
                            "%(request)s was reviewed and waits for leadership: only an approver can "
                            "reject it now.",
                            request=request.display_name,
                        )
                    )
            elif state == "cancelled" and request.origin == "identity_change" and request.state != "draft":
                # Cancelling a re-review restores the admission: the office decides it,
                # never the person who changed the identity.
                request._check_group(OFFICER, self.env._("cancel a re-review"))
                request._check_not_applicant(self.env._("cancel"))
            elif request.applicant_id != user and not user.has_group(OFFICER):
                # Submitting, cancelling and resetting belong to the applicant (or the office).
                raise AccessError(
                    self.env._(
                        "Only the applicant %(applicant)s or the partner-management office can "
                        "change %(request)s.",
                        applicant=request.applicant_id.name,
                        request=request.display_name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS: the partner's register entry
    # ------------------------------------------------------------

    def _submit(self):
        """Move draft requests to submitted, run the checks, put the partner in review
        and ask the office to review. Callers ran the transition checker."""
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
        # A re-review may be opened in another company than the user's.
        for request in self.sudo():
            request._set_partner_admission_state("in_review")
            request.message_subscribe(partner_ids=request.applicant_id.partner_id.ids)
            request.message_post(
                body=self.env._(
                    "Submitted for review. Checks: %(summary)s", summary=request._get_checks_summary()
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._schedule_activities(REVIEW_ACTIVITY, OFFICER)

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

    def _get_partner_identity(self):
        """Who the partner is, as the office sees it when reviewing: its commercial
        entity's name, tax ID and company registry."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.sudo()
        return " / ".join(
            [(partner.name or "").strip(), compact_code(partner.vat), compact_code(partner.company_registry)]
        )

    def _schedule_activities(self, activity_xmlid, group_xmlid):
        """One activity per request and member of the step's group who may act on it (in
        the request's company, not its applicant), created in one batch.

        The review is the office's: leadership's group implies the office's, but an
        approver gets a review to-do only when nobody else in the office could review.
        No summary is stored: the activity shows its type, in the reader's language."""
        activity_type = self.env.ref(activity_xmlid)
        members = (
            self.env.ref(group_xmlid)
            .sudo()
            .all_user_ids.filtered(lambda u: not u.share and u.active and not u._is_superuser())
        )
        above = self.env["res.users"]
        if group_xmlid == OFFICER:
            above = self.env.ref(APPROVER).sudo().all_user_ids
        res_model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for request in self:
            users = members.filtered(lambda u, r=request: r._may_act(u))
            users = (users - above) or users
            vals_list += [
                {
                    "res_model_id": res_model_id,
                    "res_id": request.id,
                    "activity_type_id": activity_type.id,
                    # Automated: closed by the workflow through activity_feedback/activity_unlink.
                    "automated": True,
                    "user_id": user.id,
                    "date_deadline": activity_type._get_date_deadline(),
                }
                for user in users
            ]
        if vals_list:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)

    def _may_act(self, user):
        """Whether ``user`` works for the request's company and did not apply for it."""
        self.ensure_one()
        return self.company_id in user.company_ids and user != self.applicant_id

    def _close_activities(self):
        """The step is done: the review and approval activities are closed, found by
        their type whatever their (translated, edited) summary."""
        self._close_step_activities(
            [REVIEW_ACTIVITY, APPROVE_ACTIVITY],
            lambda request: request.env._("Done: %(state)s", state=request._get_state_label()),
        )

    def _close_step_activities(self, activity_xmlids, feedback):
        """Mark done the to-do of the user who did the step (one message in the
        chatter), remove the copies the step's other members had: nothing for them to
        do any more, and no message each."""
        types = [self.env.ref(xmlid).id for xmlid in activity_xmlids]
        for request in self.sudo():
            activities = request.activity_ids.filtered(lambda a, t=types: a.activity_type_id.id in t)
            own = activities.filtered(lambda a: a.user_id == self.env.user)
            (activities - own).unlink()
            if own:
                own.action_feedback(feedback=feedback(request))

    def _notify_applicant(self, render, detail):
        """Tell the applicant, in the applicant's language: ``render(request)`` gives
        the message, ``request`` in that language; ``detail`` is the user's own text."""
        self.ensure_one()
        applicant = self.applicant_id
        request = self.with_context(lang=applicant.lang or self.env.lang)
        message = render(request)
        body = Markup("%s<br/>%s") % (message, detail) if detail else message
        request.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=applicant.partner_id.ids,
        )
