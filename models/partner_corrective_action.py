# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .const import CORRECTIVE_ACTION_STATES, CORRECTIVE_ACTION_TRANSITIONS

OFFICER = "partner_qualification_credit.group_officer"
CORRECTIVE_ACTIVITY = "partner_qualification_credit.mail_activity_type_corrective_action"
CORRECTIVE_WORKFLOW_FIELDS = frozenset(["state", "verified_by_id", "date_verified"])


class PartnerCorrectiveAction(models.Model):
    """A warning with a required action between "fine" and "E": open until its owner
    has done it and the office has verified it, capping the partner's grade meanwhile."""

    _name = "partner.corrective.action"
    _description = "Partner Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "partner.workflow.mixin"]
    _order = "deadline, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name"]
    _workflow_fields = CORRECTIVE_WORKFLOW_FIELDS
    _workflow_create_values = {"state": "open"}
    _history_states = ("verified", "cancelled")
    _workflow_transitions = CORRECTIVE_ACTION_TRANSITIONS
    _workflow_owner_field = "user_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Issue", required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        index=True,
        check_company=True,
        domain="['|', ('parent_id', '=', False), ('is_company', '=', True)]",
        tracking=True,
    )
    evaluation_id = fields.Many2one(
        comodel_name="partner.evaluation", string="Evaluation", index="btree_not_null", check_company=True
    )
    complaint_id = fields.Many2one(
        comodel_name="partner.complaint", string="Complaint", index="btree_not_null", check_company=True
    )
    required_action = fields.Text(required=True)
    deadline = fields.Date(required=True, tracking=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    verification = fields.Text(help="How the office checked the action was effective.")
    verified_by_id = fields.Many2one(
        comodel_name="res.users", string="Verified By", readonly=True, copy=False
    )
    date_verified = fields.Datetime(string="Verified On", readonly=True, copy=False)
    state = fields.Selection(
        selection=CORRECTIVE_ACTION_STATES,
        required=True,
        default="open",
        index=True,
        tracking=True,
        copy=False,
    )

    @api.constrains("deadline")
    def _check_deadline_range(self):
        self._check_dates(["deadline"])

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_workflow_fields(vals_list, creating=True)
        actions = super(PartnerCorrectiveAction, self._without_workflow_defaults()).create(vals_list)
        actions._schedule_activities()
        return actions

    def write(self, vals):
        self._check_history_write(vals)
        self._check_workflow_fields([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_open(self):
        if any(action.state != "open" for action in self):
            raise UserError(self.env._("Only open corrective actions can be deleted."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_done(self):
        self._check_transition("done")
        self.sudo().write({"state": "done"})
        self.sudo().activity_feedback([CORRECTIVE_ACTIVITY], feedback=self.env._("Done, to verify"))
        return True

    def action_reopen(self):
        self._check_transition("open")
        self.sudo().write({"state": "open"})
        self._schedule_activities()
        return True

    def action_verify(self):
        self._check_transition("verified")
        for action in self:
            if not (action.verification or "").strip():
                raise UserError(
                    self.env._("Write how %(action)s was verified first.", action=action.display_name)
                )
        self.sudo().write(
            {"state": "verified", "verified_by_id": self.env.uid, "date_verified": fields.Datetime.now()}
        )
        return True

    def action_cancel(self):
        self._check_transition("cancelled")
        self.sudo().write({"state": "cancelled"})
        self.sudo().activity_unlink([CORRECTIVE_ACTIVITY])
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_open_form_action(self, partner, company, evaluation=None, complaint=None):
        """A new corrective action for ``partner``, opened from an evaluation or a complaint."""
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": partner.id,
                "default_company_id": company.id,
                "default_evaluation_id": evaluation.id if evaluation else False,
                "default_complaint_id": complaint.id if complaint else False,
            },
        }

    def _check_transition_rights(self, state):
        # The owner (or the office) reports an action done; only the office verifies,
        # reopens or cancels it, never the owner who did it.
        if state == "done" and not self._is_owner_or_office():
            raise AccessError(
                self.env._(
                    "Only the owner of %(action)s (%(owner)s) or the office can report it done.",
                    action=self.display_name,
                    owner=self.user_id.name,
                )
            )
        if state != "done" and (not self.env.user.has_group(OFFICER) or self.user_id == self.env.user):
            raise AccessError(
                self.env._(
                    "Only the partner-management office verifies, reopens or cancels %(action)s, "
                    "and not its own owner.",
                    action=self.display_name,
                )
            )

    def _get_transition_refusal(self, state):
        return self.env._(
            "%(action)s is %(state)s: it cannot move to %(target)s.",
            action=self.display_name,
            state=self._get_state_label(),
            target=self._get_state_label(state),
        )

    @api.model
    def _get_workflow_fields_refusal(self, field_labels):
        return self.env._(
            "%(fields)s of a corrective action are set by its workflow and cannot be written directly.",
            fields=field_labels,
        )

    def _schedule_activities(self):
        for action in self.filtered(lambda a: a.state == "open"):
            action.sudo().activity_schedule(
                CORRECTIVE_ACTIVITY, date_deadline=action.deadline, user_id=action.user_id.id
            )
