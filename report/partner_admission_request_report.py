# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..models.const import ADMISSION_CHECKS


class ReportPartnerAdmissionRequest(models.AbstractModel):
    _name = "report.partner_qualification_credit.report_admission_request"
    _description = "Admission Application Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        requests = self.env["partner.admission.request"].browse(docids)
        return {
            "doc_ids": requests.ids,
            "doc_model": "partner.admission.request",
            "docs": requests,
            "check_rows": {request.id: self._get_check_rows(request) for request in requests},
        }

    @api.model
    def _get_check_rows(self, request):
        """(label, result label, reason, result) per automatic check."""
        rows = []
        for check in ADMISSION_CHECKS:
            field = request._fields[f"check_{check}_result"]
            labels = dict(field._description_selection(self.env))
            result = request[f"check_{check}_result"]
            rows.append(
                (
                    field.get_description(self.env)["string"],
                    labels.get(result, "-"),
                    request[f"check_{check}_reason"] or "",
                    result,
                )
            )
        return rows
