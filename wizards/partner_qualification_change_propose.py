# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

PROPOSER_GROUPS = (
    "partner_qualification_credit.group_officer",
    "partner_qualification_credit.group_credit_manager",
)


class PartnerQualificationChangePropose(models.TransientModel):
    """ "Change Grade / Limit": the office proposes, leadership and finance approve; an
    approver (grade) or credit manager (limit) using it applies their part at once."""

    _name = "partner.qualification.change.propose"
    _description = "Change Grade / Limit"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", default=lambda self: self.env.company.currency_id
    )
    current_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade", compute="_compute_current", string="Current Grade"
    )
    current_credit_limit = fields.Monetary(compute="_compute_current", string="Current Limit")
    new_grade_id = fields.Many2one(comodel_name="partner.qualification.grade", string="New Grade")
    change_limit = fields.Boolean(string="Change the Credit Limit")
    # A Float: a Monetary would choke on NaN before the check below can refuse it.
    new_credit_limit = fields.Float()
    reason = fields.Text(required=True)

    @api.depends("partner_id")
    @api.depends_context("company")
    def _compute_current(self):
        for wizard in self:
            partner = wizard.partner_id.commercial_partner_id.sudo()
            wizard.current_grade_id = partner.qualification_grade_id
            wizard.current_credit_limit = partner.credit_limit

    @api.onchange("change_limit")
    def _onchange_change_limit(self):
        if self.change_limit and not self.new_credit_limit:
            self.new_credit_limit = self.current_credit_limit

    def action_propose(self):
        self.ensure_one()
        if not any(self.env.user.has_group(group) for group in PROPOSER_GROUPS):
            raise AccessError(
                self.env._(
                    "Only the partner-management office, leadership and credit managers can change "
                    "a partner's grade or credit limit."
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Write the reason for the change: it stays in the partner's history."))
        limit = None
        if self.change_limit:
            if not math.isfinite(self.new_credit_limit) or self.new_credit_limit < 0:
                raise ValidationError(self.env._("A credit limit is a positive amount (or 0)."))
            limit = self.new_credit_limit
        change = self.env["partner.qualification.change"]._propose(
            self.partner_id, self.reason.strip(), grade=self.new_grade_id or None, limit=limit
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": change._name,
            "res_id": change.id,
            "view_mode": "form",
            "target": "current",
        }
