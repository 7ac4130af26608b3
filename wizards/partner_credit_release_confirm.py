# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class PartnerCreditReleaseConfirm(models.TransientModel):
    """ "Release and Confirm": a credit manager lets one blocked order through, with a
    reason; the release is logged with the figures of the moment, then the order is
    confirmed through its normal path (the other checks of the gate still apply)."""

    _name = "partner.credit.release.confirm"
    _description = "Release and Confirm an Order"

    sale_order_id = fields.Many2one(comodel_name="sale.order", readonly=True)
    purchase_order_id = fields.Many2one(comodel_name="purchase.order", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", compute="_compute_summary")
    summary = fields.Html(compute="_compute_summary", sanitize=False)
    reason = fields.Text(required=True)

    @api.depends("sale_order_id", "purchase_order_id")
    def _compute_summary(self):
        for wizard in self:
            order = wizard._get_order()
            wizard.partner_id = order.partner_id.commercial_partner_id
            if not order:
                wizard.summary = False
                continue
            partner = wizard.partner_id.with_company(order.company_id).sudo()
            figures = partner._get_credit_check_figures(order)
            wizard.summary = partner._get_credit_breakdown_html(figures)

    def _get_order(self):
        self.ensure_one()
        return self.sale_order_id or self.purchase_order_id

    def action_release_confirm(self):
        self.ensure_one()
        release_model = self.env["partner.credit.release"]
        release_model._check_release_rights()
        order = self._get_order()
        if not order:
            raise UserError(self.env._("Choose the order to release."))
        if order.state not in order._partner_release_states:
            raise UserError(
                self.env._("%(order)s is not a quotation any more: nothing to release.", order=order.name)
            )
        order.check_access("read")
        company = order.company_id
        partner = order.partner_id.commercial_partner_id.with_company(company)
        figures = partner.sudo()._get_credit_check_figures(order)
        # Access rights allow nobody to write the log: the rights were checked above.
        release = (
            release_model.with_company(company)
            .sudo()
            .with_context(partner_credit_release_wizard=True)
            .create(self._prepare_release_values(order, partner, figures))
        )
        body = Markup("%s<br/>%s<br/>%s") % (
            self.env._(
                "Credit release by %(user)s for %(order)s. Reason: %(reason)s",
                user=self.env.user.name,
                order=order.name,
                reason=self.reason,
            ),
            self.env._("Grade: %(grade)s", grade=partner.sudo().qualification_grade_id.display_name or "-"),
            partner.sudo()._get_credit_breakdown_html(figures),
        )
        # The credit manager may have no sales/purchase rights: the release is the
        # decision; confirming still goes through the whole gate (sudo skips no check).
        order.sudo().message_post(body=body)
        partner.sudo().message_post(body=body)
        if order._name == "sale.order":
            order.sudo().action_confirm()
        elif order.state == "to approve":
            # Approved when the credit manager may approve it; otherwise the release
            # waits for the purchase manager's approval.
            order.sudo().button_approve()
        else:
            order.sudo().button_confirm()
        activities = order.sudo().activity_ids.filtered(
            lambda a: a.summary == self.env._("Credit release requested")
        )
        activities.sudo().action_feedback(feedback=self.env._("Released: %(reason)s", reason=self.reason))
        return {"type": "ir.actions.act_window_close", "infos": {"release_id": release.id}}

    def _prepare_release_values(self, order, partner, figures):
        values = {
            "company_id": order.company_id.id,
            "partner_id": partner.id,
            "sale_order_id": self.sale_order_id.id,
            "purchase_order_id": self.purchase_order_id.id,
            "order_reference": order.name,
            "user_id": self.env.user.id,
            "reason": self.reason,
            "grade_id": partner.sudo().qualification_grade_id.id,
            "credit_limit": figures["limit"],
            "credit_unlimited": figures["unlimited"],
            "credit_exposure": figures["exposure"],
            "order_amount": figures["orders"],
            "credit_total": figures["total"],
            "credit_excess": figures["excess"],
            "order_currency_id": order.currency_id.id,
            "order_amount_total": order.amount_total,
        }
        for key, _switch in partner._credit_components:
            values[f"credit_{key}"] = figures[key]
        return values
