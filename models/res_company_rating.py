# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .const import COMPLAINT_CATEGORIES, SETTINGS_PREFETCH


class ResCompany(models.Model):
    """Settings of the rating cycle: complaint response times, the caps that complaints
    and receipt quality put on a suggested grade, and how often partners are rated."""

    _inherit = "res.company"

    complaint_response_days_quality = fields.Integer(
        string="Quality Complaint Response (days)", default=2, prefetch=SETTINGS_PREFETCH
    )
    complaint_response_days_delivery = fields.Integer(
        string="Delivery Complaint Response (days)", default=2, prefetch=SETTINGS_PREFETCH
    )
    complaint_response_days_service = fields.Integer(
        string="Service Complaint Response (days)", default=3, prefetch=SETTINGS_PREFETCH
    )
    complaint_response_days_billing = fields.Integer(
        string="Billing Complaint Response (days)", default=5, prefetch=SETTINGS_PREFETCH
    )
    complaint_response_days_contract = fields.Integer(
        string="Contract Complaint Response (days)", default=5, prefetch=SETTINGS_PREFETCH
    )
    complaint_response_days_other = fields.Integer(
        string="Other Complaint Response (days)", default=5, prefetch=SETTINGS_PREFETCH
    )
    evaluation_severe_complaint_cap = fields.Integer(
        string="Severe Complaints Capping at C",
        default=1,
        help="From this number of critical complaints received in the period, the suggested "
        "grade is at best C (0: never).",
        prefetch=SETTINGS_PREFETCH,
    )
    evaluation_dispute_cap = fields.Boolean(
        string="Open Dispute Caps at C",
        default=True,
        help="A dispute still open at the end of the period caps the suggested grade at C.",
        prefetch=SETTINGS_PREFETCH,
    )
    evaluation_acceptance_target = fields.Float(
        string="Default Acceptance Target (%)",
        default=95.0,
        help="Share of receipts accepted (concessions included) a supplier must reach; below "
        "it the suggested grade is at best C. A partner may have its own target.",
        prefetch=SETTINGS_PREFETCH,
    )
    evaluation_on_time_target = fields.Float(
        string="Default On-Time Target (%)", default=90.0, prefetch=SETTINGS_PREFETCH
    )
    evaluation_interval_core = fields.Integer(
        string="Rating Interval, Core Partners (months)", default=6, prefetch=SETTINGS_PREFETCH
    )
    evaluation_interval_other = fields.Integer(
        string="Rating Interval, Other Partners (months)", default=12, prefetch=SETTINGS_PREFETCH
    )

    _complaint_response_days_positive = models.Constraint(
        "CHECK(complaint_response_days_quality >= 0 AND complaint_response_days_delivery >= 0 "
        "AND complaint_response_days_service >= 0 AND complaint_response_days_billing >= 0 "
        "AND complaint_response_days_contract >= 0 AND complaint_response_days_other >= 0)",
        "Complaint response times cannot be negative.",
    )
    _evaluation_interval_positive = models.Constraint(
        "CHECK(evaluation_interval_core > 0 AND evaluation_interval_other > 0)",
        "Rating intervals must be at least one month.",
    )
    _evaluation_targets_range = models.Constraint(
        "CHECK(evaluation_acceptance_target BETWEEN 0 AND 100 "
        "AND evaluation_on_time_target BETWEEN 0 AND 100)",
        "Targets are percentages between 0 and 100.",
    )

    @api.model
    def _get_complaint_categories(self):
        return [key for key, _label in COMPLAINT_CATEGORIES]

    def _get_complaint_response_days(self, category):
        self.ensure_one()
        return self[f"complaint_response_days_{category}"] if category else 0

    def _get_evaluation_interval(self, strategic_class):
        """Months between two ratings of a partner of ``strategic_class``."""
        self.ensure_one()
        return self.evaluation_interval_core if strategic_class == "core" else self.evaluation_interval_other

    def _get_tz(self):
        """The company's time zone (its address partner's), which period boundaries follow."""
        self.ensure_one()
        return self.partner_id.tz or "UTC"
