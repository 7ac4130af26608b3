# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_response_days_quality = fields.Integer(
        related="company_id.complaint_response_days_quality", readonly=False
    )
    complaint_response_days_delivery = fields.Integer(
        related="company_id.complaint_response_days_delivery", readonly=False
    )
    complaint_response_days_service = fields.Integer(
        related="company_id.complaint_response_days_service", readonly=False
    )
    complaint_response_days_billing = fields.Integer(
        related="company_id.complaint_response_days_billing", readonly=False
    )
    complaint_response_days_contract = fields.Integer(
        related="company_id.complaint_response_days_contract", readonly=False
    )
    complaint_response_days_other = fields.Integer(
        related="company_id.complaint_response_days_other", readonly=False
    )
    evaluation_severe_complaint_cap = fields.Integer(
        related="company_id.evaluation_severe_complaint_cap", readonly=False
    )
    evaluation_dispute_cap = fields.Boolean(related="company_id.evaluation_dispute_cap", readonly=False)
    evaluation_acceptance_target = fields.Float(
        related="company_id.evaluation_acceptance_target", readonly=False
    )
    evaluation_on_time_target = fields.Float(related="company_id.evaluation_on_time_target", readonly=False)
    evaluation_interval_core = fields.Integer(related="company_id.evaluation_interval_core", readonly=False)
    evaluation_interval_other = fields.Integer(related="company_id.evaluation_interval_other", readonly=False)
