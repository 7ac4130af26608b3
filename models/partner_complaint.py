# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .const import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_CHANNELS,
    COMPLAINT_DIRECTIONS,
    COMPLAINT_SATISFACTION,
    COMPLAINT_SEVERITIES,
    COMPLAINT_STATES,
    COMPLAINT_TRANSITIONS,
    DISPUTE_TYPES,
)

COMPLAINT_ACTIVITY = "partner_qualification_credit.mail_activity_type_complaint"
# Set by the workflow only: a client writing them would fake a response time, a
# settlement or a closure the rating relies on.
COMPLAINT_WORKFLOW_FIELDS = frozenset(["state", "date_responded", "date_resolved", "response_hours"])
# What may still change on a closed complaint: the partner's satisfaction is only known
# after the closure.
COMPLAINT_AFTER_CLOSURE_FIELDS = frozenset(["satisfaction", "satisfaction_note"])


class PartnerComplaint(models.Model):
    _name = "partner.complaint"
    _description = "Partner Complaint or Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin", "partner.workflow.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name"]
    _workflow_fields = COMPLAINT_WORKFLOW_FIELDS
    _workflow_create_values = {"state": "new"}
    _workflow_transitions = COMPLAINT_TRANSITIONS
    _workflow_owner_field = "user_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Subject", required=True, tracking=True)
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
        check_company=True,
        domain="['|', ('parent_id', '=', False), ('is_company', '=', True)]",
        tracking=True,
    )
    direction = fields.Selection(
        selection=COMPLAINT_DIRECTIONS,
        required=True,
        default="customer",
        help="A complaint received from a customer, or a complaint of ours about a supplier.",
    )
    category = fields.Selection(
        selection=COMPLAINT_CATEGORIES, required=True, default="quality", tracking=True
    )
    severity = fields.Selection(selection=COMPLAINT_SEVERITIES, required=True, default="minor", tracking=True)
    channel = fields.Selection(selection=COMPLAINT_CHANNELS, default="email")
    description = fields.Html()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Who handles the complaint: responds, settles and closes it.",
    )
    state = fields.Selection(
        selection=COMPLAINT_STATES,
        required=True,
        default="new",
        index=True,
        tracking=True,
        copy=False,
    )
    is_dispute = fields.Boolean(string="Dispute", tracking=True)
    dispute_type = fields.Selection(selection=DISPUTE_TYPES, tracking=True)
    # Documents the complaint is about
    sale_order_id = fields.Many2one(comodel_name="sale.order", string="Sales Order", check_company=True)
    purchase_order_id = fields.Many2one(
        comodel_name="purchase.order", string="Purchase Order", check_company=True
    )
    picking_id = fields.Many2one(comodel_name="stock.picking", string="Receipt", check_company=True)
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund', 'in_invoice', 'in_refund'))]",
    )
    # Dates
    date_received = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now, tracking=True
    )
    response_deadline = fields.Date(
        compute="_compute_response_deadline",
        store=True,
        help="Date of receipt plus the response time of the category (Settings).",
    )
    date_responded = fields.Datetime(string="Responded On", readonly=True, copy=False)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    response_hours = fields.Float(
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        help="Hours from receipt to the first response (start of the investigation).",
    )
    # Settlement and closure
    settlement_note = fields.Text(tracking=True)
    agreement_attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="partner_complaint_agreement_attachment_rel",
        column1="complaint_id",
        column2="attachment_id",
        string="Agreement",
        help="The settlement agreement signed with the partner.",
    )
    satisfaction = fields.Selection(
        selection=COMPLAINT_SATISFACTION,
        tracking=True,
        help="The partner's satisfaction, asked after the closure.",
    )
    satisfaction_note = fields.Text()
    corrective_action_ids = fields.One2many(
        comodel_name="partner.corrective.action",
        inverse_name="complaint_id",
        string="Corrective Actions",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_received")
    def _check_date_received_range(self):
        self._check_dates(["date_received"])

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("date_received", "category", "company_id")
    def _compute_response_deadline(self):
        for complaint in self:
            if not complaint.date_received:
                complaint.response_deadline = False
                continue
            days = complaint.company_id._get_complaint_response_days(complaint.category)
            received = fields.Datetime.context_timestamp(complaint, complaint.date_received).date()
            complaint.response_deadline = received + timedelta(days=days)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_finite_vals(vals_list)
        self._check_workflow_fields(vals_list, creating=True)
        complaints = super(PartnerComplaint, self._without_workflow_defaults()).create(vals_list)
        complaints._schedule_response_activities()
        return complaints

    def write(self, vals):
        self._check_finite_vals([vals])
        self._check_workflow_fields([vals])
        changed = set(vals) - self._get_chatter_fields() - COMPLAINT_AFTER_CLOSURE_FIELDS
        closed = self.filtered(lambda c: c.state == "closed")
        if changed and closed:
            raise UserError(
                self.env._(
                    "%(complaint)s is closed: only the partner's satisfaction can still be recorded.",
                    complaint=closed[0].display_name,
                )
            )
        res = super().write(vals)
        if "user_id" in vals:
            open_complaints = self.filtered(lambda c: c.state == "new")
            open_complaints.activity_unlink([COMPLAINT_ACTIVITY])
            open_complaints._schedule_response_activities()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_handled(self):
        if any(complaint.state != "new" for complaint in self):
            raise UserError(
                self.env._(
                    "Only new complaints can be deleted; complaints under investigation, settled "
                    "or closed are part of the partner's record."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_investigate(self):
        self._check_transition("investigating")
        now = fields.Datetime.now()
        for complaint in self:
            vals = {"state": "investigating"}
            if not complaint.date_responded:
                vals.update(
                    date_responded=now,
                    response_hours=max((now - complaint.date_received).total_seconds() / 3600.0, 0.0),
                )
            complaint.sudo().write(vals)
        self.sudo().activity_feedback([COMPLAINT_ACTIVITY], feedback=self.env._("Investigation started"))
        return True

    def action_settle(self):
        self._check_transition("settled")
        for complaint in self:
            if not (complaint.settlement_note or "").strip():
                raise UserError(
                    self.env._(
                        "Write the settlement of %(complaint)s first: what was agreed with the partner.",
                        complaint=complaint.display_name,
                    )
                )
        self.sudo().write({"state": "settled", "date_resolved": fields.Datetime.now()})
        return True

    def action_reopen(self):
        # Only a settlement the partner does not accept is reopened; a new complaint is
        # investigated, not reopened.
        not_settled = self.filtered(lambda c: c.state != "settled")
        if not_settled:
            raise UserError(
                self.env._(
                    "%(complaint)s is not settled: only a settled complaint can be reopened.",
                    complaint=not_settled[0].display_name,
                )
            )
        self._check_transition("investigating")
        self.sudo().write({"state": "investigating", "date_resolved": False})
        return True

    def action_open_corrective_action(self):
        self.ensure_one()
        return self.env["partner.corrective.action"]._get_open_form_action(
            partner=self.partner_id.commercial_partner_id, company=self.company_id, complaint=self
        )

    def action_close(self):
        self._check_transition("closed")
        self.sudo().write({"state": "closed"})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_transition_rights(self, state):
        # Its owner or the office handle a complaint at every step.
        if not self._is_owner_or_office():
            raise AccessError(
                self.env._(
                    "Only the owner of %(complaint)s (%(owner)s) or the partner-management "
                    "office can handle it.",
                    complaint=self.display_name,
                    owner=self.user_id.name,
                )
            )

    def _get_transition_refusal(self, state):
        return self.env._(
            "%(complaint)s is %(state)s: it cannot move to %(target)s.",
            complaint=self.display_name,
            state=self._get_state_label(),
            target=self._get_state_label(state),
        )

    @api.model
    def _get_workflow_fields_refusal(self, field_labels):
        return self.env._(
            "%(fields)s of a complaint are set by its workflow (investigate, settle, "
            "close) and cannot be written directly.",
            fields=field_labels,
        )

    def _schedule_response_activities(self):
        """The owner's to-do to respond, due on the response deadline of the category:
        Odoo shows it overdue once the deadline has passed."""
        if not self:
            return
        activity_type = self.env.ref(COMPLAINT_ACTIVITY)
        res_model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": res_model_id,
                    "res_id": complaint.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": complaint.user_id.id,
                    "date_deadline": complaint.response_deadline or fields.Date.context_today(self),
                    "summary": activity_type.summary,
                }
                for complaint in self.filtered(lambda c: c.state == "new")
            ]
        )
