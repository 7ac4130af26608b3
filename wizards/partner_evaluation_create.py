# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class PartnerEvaluationCreate(models.TransientModel):
    _name = "partner.evaluation.create"
    _description = "Evaluate Partners Ad Hoc"

    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Partners",
        required=True,
        default=lambda self: self._default_partner_ids(),
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(years=1),
    )
    date_to = fields.Date(string="Period End", required=True, default=fields.Date.context_today)
    deadline = fields.Date(default=lambda self: fields.Date.context_today(self) + relativedelta(days=7))
    evaluator_id = fields.Many2one(
        comodel_name="res.users",
        string="Evaluator",
        help="Leave empty to give each partner's evaluation to its applicant (or to you when it has none).",
    )
    note = fields.Text(string="Occasion", help="Why the partners are evaluated now, e.g. a serious incident.")

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") == "res.partner":
            ids = self.env.context.get("active_ids") or []
            return self.env["res.partner"].browse(ids).commercial_partner_id.ids
        return []

    def action_create(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period must start before it ends."))
        is_officer = self.env.user.has_group("partner_qualification_credit.group_officer")
        partners = self.partner_ids.commercial_partner_id
        vals_list = []
        for partner in partners:
            evaluator = self.evaluator_id or partner.qualification_applicant_id or self.env.user
            if not is_officer:
                evaluator = self.env.user
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "evaluator_id": evaluator.id,
                    "role": partner.partner_role or ("supplier" if partner.supplier_rank > 0 else "customer"),
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "deadline": self.deadline,
                }
            )
        evaluations = self.env["partner.evaluation"].create(vals_list)
        evaluations._schedule_evaluation_activities(summary=self.env._("Ad-hoc evaluation of the partner"))
        if self.note:
            for evaluation in evaluations:
                evaluation.message_post(body=self.note)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.partner_evaluation_action"
        )
        if len(evaluations) == 1:
            action.update(res_id=evaluations.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", evaluations.ids)]
        return action
