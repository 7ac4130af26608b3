# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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

    # Credit control (issue 5)
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
