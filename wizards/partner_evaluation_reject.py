# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class PartnerEvaluationReject(models.TransientModel):
    """ "Reject": the approver writes why in the dialog that sends the evaluations back
    to their evaluators."""

    _name = "partner.evaluation.reject"
    _description = "Reject Evaluations"

    evaluation_ids = fields.Many2many(
        comodel_name="partner.evaluation",
        string="Evaluations",
        default=lambda self: self._default_evaluation_ids(),
    )
    reason = fields.Text(required=True, help="What the evaluator must change before submitting again.")

    @api.model
    def _default_evaluation_ids(self):
        if self.env.context.get("active_model") == "partner.evaluation":
            return self.env["partner.evaluation"].browse(self.env.context.get("active_ids") or [])
        return self.env["partner.evaluation"]

    def action_reject(self):
        self.ensure_one()
        evaluations = self.evaluation_ids
        if not evaluations:
            raise UserError(self.env._("Choose the evaluations to reject."))
        if not (self.reason or "").strip():
            raise UserError(
                self.env._("Write the rejection reason: the evaluator needs to know what to change.")
            )
        # Who may reject what is the evaluation's own rule, checked before anything is written.
        evaluations._check_transition("draft")
        evaluations.write({"reject_reason": self.reason})
        evaluations.action_reject()
        return {"type": "ir.actions.act_window_close"}
