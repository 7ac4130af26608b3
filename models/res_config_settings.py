# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .const import EVALUATION_WEIGHT_FIELDS
from .validation import check_number_vals


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    partner_admission_required = fields.Boolean(
        related="company_id.partner_admission_required",
        readonly=False,
    )
    partner_block_invalid_documents = fields.Boolean(
        related="company_id.partner_block_invalid_documents",
        readonly=False,
    )
    partner_default_grade_id = fields.Many2one(
        related="company_id.partner_default_grade_id",
        readonly=False,
    )
    partner_credit_limit_required = fields.Boolean(
        related="company_id.partner_credit_limit_required",
        readonly=False,
    )

    # Admission workflow
    partner_admission_reviewer_can_approve = fields.Boolean(
        related="company_id.partner_admission_reviewer_can_approve",
        readonly=False,
    )
    partner_admission_identity_review = fields.Boolean(
        related="company_id.partner_admission_identity_review",
        readonly=False,
    )

    # Credit control
    partner_credit_receivable = fields.Boolean(related="company_id.partner_credit_receivable", readonly=False)
    partner_credit_draft_invoice = fields.Boolean(
        related="company_id.partner_credit_draft_invoice", readonly=False
    )
    partner_credit_sale_order = fields.Boolean(related="company_id.partner_credit_sale_order", readonly=False)
    partner_credit_prepayment = fields.Boolean(related="company_id.partner_credit_prepayment", readonly=False)
    partner_credit_purchase_order = fields.Boolean(
        related="company_id.partner_credit_purchase_order", readonly=False
    )
    partner_credit_draft_bill = fields.Boolean(related="company_id.partner_credit_draft_bill", readonly=False)
    partner_credit_warning_threshold = fields.Float(
        related="company_id.partner_credit_warning_threshold", readonly=False
    )

    partner_credit_gate_invoice = fields.Boolean(
        related="company_id.partner_credit_gate_invoice", readonly=False
    )
    partner_credit_gate_bill = fields.Boolean(related="company_id.partner_credit_gate_bill", readonly=False)
    partner_credit_gate_payment = fields.Boolean(
        related="company_id.partner_credit_gate_payment", readonly=False
    )
    partner_credit_overdue_days = fields.Integer(
        related="company_id.partner_credit_overdue_days", readonly=False
    )
    partner_credit_overdue_amount = fields.Float(
        related="company_id.partner_credit_overdue_amount", readonly=False
    )

    # ------------------------------------------------------------
    # Periodic evaluation
    # ------------------------------------------------------------

    # Not related fields: the weights of a role must be written together (they are
    # validated to sum to 100), a related field would write them one by one.
    evaluation_weight_customer_standing = fields.Integer()
    evaluation_weight_customer_cooperation = fields.Integer()
    evaluation_weight_customer_payment = fields.Integer()
    evaluation_weight_customer_potential = fields.Integer()
    evaluation_weight_customer_other = fields.Integer()
    evaluation_weight_supplier_standing = fields.Integer()
    evaluation_weight_supplier_cooperation = fields.Integer()
    evaluation_weight_supplier_payment = fields.Integer()
    evaluation_weight_supplier_potential = fields.Integer()
    evaluation_weight_supplier_other = fields.Integer()

    @api.model_create_multi
    def create(self, vals_list):
        # The weights are stored on the settings record before ``set_values``.
        for vals in vals_list:
            check_number_vals(self, vals, dict.fromkeys(EVALUATION_WEIGHT_FIELDS, (0, 100)))
        return super().create(vals_list)

    @api.model
    def get_values(self):
        res = super().get_values()
        company = self.env.company
        res.update({fname: company[fname] for fname in EVALUATION_WEIGHT_FIELDS})
        return res

    def set_values(self):
        res = super().set_values()
        values = {fname: self[fname] for fname in EVALUATION_WEIGHT_FIELDS}
        if any(self.company_id[fname] != value for fname, value in values.items()):
            self.company_id.write(values)
        return res
