# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

CHANGE_STATES = [
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
# Who approves which part of a change: leadership the grade, finance the limit.
GRADE_APPROVER_GROUP = "partner_qualification_credit.group_approver"
LIMIT_APPROVER_GROUP = "partner_qualification_credit.group_credit_manager"
CHANGE_ACTIVITY_TYPE = "partner_qualification_credit.mail_activity_type_qualification_change"


class PartnerQualificationChange(models.Model):
    """A change of a partner's grade and/or credit limit outside a rating: proposed with
    a reason, approved by leadership (grade) and finance (limit), then applied. The
    approved and refused ones are the partner's change history; records are written by
    their actions only (with superuser rights, after their checks)."""

    _name = "partner.qualification.change"
    _description = "Grade / Credit Limit Change"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(selection=CHANGE_STATES, required=True, readonly=True, index=True, tracking=True)
    reason = fields.Text(required=True, readonly=True)
    change_grade = fields.Boolean(readonly=True)
    old_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade", string="Previous Grade", readonly=True
    )
    new_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade", string="New Grade", readonly=True
    )
    change_limit = fields.Boolean(readonly=True)
    old_credit_limit = fields.Monetary(string="Previous Limit", readonly=True)
    new_credit_limit = fields.Monetary(string="New Limit", readonly=True)
    requested_by_id = fields.Many2one(comodel_name="res.users", string="Requested By", readonly=True)
    request_date = fields.Datetime(string="Requested On", readonly=True)
    grade_approver_id = fields.Many2one(comodel_name="res.users", string="Grade Approved By", readonly=True)
    limit_approver_id = fields.Many2one(comodel_name="res.users", string="Limit Approved By", readonly=True)
    applied_date = fields.Datetime(string="Applied On", readonly=True)
    refused_by_id = fields.Many2one(comodel_name="res.users", string="Refused By", readonly=True)
    refusal_reason = fields.Text(readonly=True)
    can_approve_grade = fields.Boolean(compute="_compute_can_approve")
    can_approve_limit = fields.Boolean(compute="_compute_can_approve")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("state", "change_grade", "change_limit", "grade_approver_id", "limit_approver_id")
    @api.depends_context("uid")
    def _compute_can_approve(self):
        grade_approver = self.env.user.has_group(GRADE_APPROVER_GROUP)
        limit_approver = self.env.user.has_group(LIMIT_APPROVER_GROUP)
        for change in self:
            pending = change.state == "to_approve"
            change.can_approve_grade = (
                pending and grade_approver and change.change_grade and not change.grade_approver_id
            )
            change.can_approve_limit = (
                pending and limit_approver and change.change_limit and not change.limit_approver_id
            )

    @api.depends("partner_id", "create_date")
    def _compute_display_name(self):
        for change in self:
            change.display_name = self.env._(
                "%(partner)s: change of %(date)s",
                partner=change.partner_id.display_name,
                date=fields.Date.to_string(change.create_date) if change.create_date else "",
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Grade and limit changes are proposed with the 'Change Grade / Limit' assistant.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) - self._get_chatter_fields():
            raise AccessError(
                self.env._("A grade or limit change is decided with its Approve and Refuse buttons only.")
            )
        return super().write(vals)

    @api.model
    def _get_chatter_fields(self):
        return set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if self:
            raise UserError(
                self.env._("Grade and limit changes are the partner's history: they cannot be deleted.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        """Approve the parts of the change the user owns; apply it once complete."""
        for change in self:
            if change.state != "to_approve":
                raise UserError(self.env._("%(change)s is already decided.", change=change.display_name))
            vals = {}
            if change.can_approve_grade:
                vals["grade_approver_id"] = self.env.uid
            if change.can_approve_limit:
                vals["limit_approver_id"] = self.env.uid
            if not vals:
                raise AccessError(
                    self.env._(
                        "%(change)s waits for %(groups)s: you cannot approve any part of it.",
                        change=change.display_name,
                        groups=change._get_pending_group_names(),
                    )
                )
            change.sudo().write(vals)
            change._apply_if_complete()
        return True

    def action_refuse(self, reason=None):
        for change in self:
            if not (change.can_approve_grade or change.can_approve_limit):
                raise AccessError(
                    self.env._(
                        "Only %(groups)s can refuse %(change)s.",
                        groups=change._get_pending_group_names(),
                        change=change.display_name,
                    )
                )
        self.sudo().write(
            {"state": "refused", "refused_by_id": self.env.uid, "refusal_reason": reason or False}
        )
        self.sudo().activity_unlink([CHANGE_ACTIVITY_TYPE])
        for change in self:
            change.message_post(body=self.env._("Change refused."), subtype_xmlid="mail.mt_note")
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _propose(self, partner, reason, grade=None, limit=None):
        """Record a change of ``partner`` (commercial) in the current company, approved
        at once for the parts the current user owns, applied when complete."""
        partner = partner.commercial_partner_id.sudo()
        user = self.env.user
        change_grade = grade is not None and grade != partner.qualification_grade_id
        change_limit = (
            limit is not None and partner.currency_id.compare_amounts(limit, partner.credit_limit) != 0
        )
        if not (change_grade or change_limit):
            raise UserError(
                self.env._(
                    "Nothing changes: choose a new grade or a new credit limit for %(partner)s.",
                    partner=partner.display_name,
                )
            )
        change = (
            self.sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "state": "to_approve",
                    "reason": reason,
                    "change_grade": change_grade,
                    "old_grade_id": partner.qualification_grade_id.id,
                    "new_grade_id": grade.id if change_grade else partner.qualification_grade_id.id,
                    "change_limit": change_limit,
                    "old_credit_limit": partner.credit_limit,
                    "new_credit_limit": limit if change_limit else partner.credit_limit,
                    "requested_by_id": user.id,
                    "request_date": fields.Datetime.now(),
                    "grade_approver_id": change_grade and user.has_group(GRADE_APPROVER_GROUP) and user.id,
                    "limit_approver_id": change_limit and user.has_group(LIMIT_APPROVER_GROUP) and user.id,
                }
            )
            .sudo(False)
        )
        change.message_subscribe(partner_ids=user.partner_id.ids)
        if not change._apply_if_complete():
            change._schedule_approval_activities()
        return change

    def _apply_if_complete(self):
        """Write the change on the partner once every part is approved."""
        self.ensure_one()
        if (self.change_grade and not self.grade_approver_id) or (
            self.change_limit and not self.limit_approver_id
        ):
            return False
        partner = self.partner_id.with_company(self.company_id).sudo()
        vals, history = {}, {}
        if self.change_grade:
            vals["qualification_grade_id"] = self.new_grade_id.id
            history["old_grade_id"] = partner.qualification_grade_id.id
        if self.change_limit:
            vals["credit_limit"] = self.new_credit_limit
            history["old_credit_limit"] = partner.credit_limit
        partner.write(vals)
        self.sudo().write({**history, "state": "approved", "applied_date": fields.Datetime.now()})
        self.sudo().activity_unlink([CHANGE_ACTIVITY_TYPE])
        partner.message_post(
            body=self.env._(
                "Grade / limit changed outside a rating: %(summary)s. Reason: %(reason)s",
                summary=self._get_summary(),
                reason=self.reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._notify_cut()
        return True

    def _notify_cut(self):
        """A lower grade or a lower limit changes what the business may do with the
        partner: its applicant and salesperson are told, in their language."""
        self.ensure_one()
        downgrade = self.change_grade and (
            self.old_grade_id
            and (self.new_grade_id.sequence, self.new_grade_id.code)
            > (self.old_grade_id.sequence, self.old_grade_id.code)
        )
        cut = self.change_limit and self.new_credit_limit < self.old_credit_limit
        if not (downgrade or cut):
            return
        partner = self.partner_id.with_company(self.company_id).sudo()
        recipients = (partner.qualification_applicant_id | partner.user_id) - self.env.user
        recipients._notify_qualification_decision(
            partner,
            lambda p: p.env._(
                "%(partner)s: %(summary)s in %(company)s. Check the open orders and what is "
                "still to be delivered or paid.",
                partner=p.display_name,
                summary=self.with_env(p.env)._get_summary(),
                company=self.company_id.name,
            ),
            self.reason,
        )

    def _schedule_approval_activities(self):
        self.ensure_one()
        groups = []
        if self.change_grade and not self.grade_approver_id:
            groups.append(GRADE_APPROVER_GROUP)
        if self.change_limit and not self.limit_approver_id:
            groups.append(LIMIT_APPROVER_GROUP)
        for group in groups:
            users = (
                self.env.ref(group)
                .sudo()
                .all_user_ids.filtered(
                    lambda u: not u.share and u.active and u.id != 1 and self.company_id in u.company_ids
                )
            ) - self.env.user
            for user in users:
                self.sudo().activity_schedule(
                    CHANGE_ACTIVITY_TYPE,
                    summary=self.env._("Approve: %(summary)s", summary=self._get_summary()),
                    note=self.reason,
                    user_id=user.id,
                )

    def _get_summary(self):
        self.ensure_one()
        parts = []
        if self.change_grade:
            parts.append(
                self.env._(
                    "grade %(old)s → %(new)s",
                    old=self.old_grade_id.code or "-",
                    new=self.new_grade_id.code or "-",
                )
            )
        if self.change_limit:
            parts.append(
                self.env._(
                    "credit limit %(old)s → %(new)s",
                    old=self.currency_id.format(self.old_credit_limit),
                    new=self.currency_id.format(self.new_credit_limit),
                )
            )
        return ", ".join(parts)

    def _get_pending_group_names(self):
        self.ensure_one()
        groups = []
        if self.change_grade and not self.grade_approver_id:
            groups.append(self.env.ref(GRADE_APPROVER_GROUP).sudo().display_name)
        if self.change_limit and not self.limit_approver_id:
            groups.append(self.env.ref(LIMIT_APPROVER_GROUP).sudo().display_name)
        return ", ".join(groups) or "-"
