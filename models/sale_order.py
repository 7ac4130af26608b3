# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "partner.order.gate.mixin"]

    _partner_gate_states = ("sale",)
    _partner_gate_role = "customer"
    _credit_release_field = "sale_order_id"
    _credit_exposure_component = "sale_order"

    @api.depends_context("company")
    @api.depends("partner_id", "partner_invoice_id", "company_id", "state", "amount_total", "currency_rate")
    def _compute_credit_warning(self):
        return super()._compute_credit_warning()

    def _action_partner_gate_confirm(self):
        return self.action_confirm()

    def _notify_payment_gate_refusal(self, transaction, error):
        """An online payment could not confirm these quotations: say why on each and
        give its salesperson a to-do."""
        for order in self:
            note = self.env._(
                "Payment %(payment)s was received, but the order could not be confirmed: %(reason)s",
                payment=transaction.reference,
                reason=str(error),
            )
            order.message_post(body=note)
            if order.user_id and not order.user_id.share:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(order),
                    summary=self.env._("Paid order not confirmed"),
                    note=note,
                    user_id=order.user_id.id,
                )
