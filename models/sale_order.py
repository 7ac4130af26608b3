# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


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

    def _validate_order(self):
        """The customer's own confirmation (portal signature, checkout). A refusal keeps
        what the customer did (signature, payment): the order stays a quotation for its
        salesperson, who is told the real reason; the customer only learns that the
        order was received (the reason names limits, figures and people)."""
        try:
            with self.env.cr.savepoint():
                return super()._validate_order()
        except UserError as error:
            _logger.info("Orders %s: customer confirmation refused by the partner gate", self.ids)
            for order in self:
                order._notify_gate_refusal(
                    self.env._(
                        "The customer confirmed %(order)s, but it could not be confirmed: %(reason)s",
                        order=order.name,
                        reason=str(error),
                    ),
                    self.env._("Customer-confirmed order not confirmed"),
                )
        return None

    def _notify_payment_gate_refusal(self, transaction, error):
        """An online payment could not confirm these quotations: say why on each and
        give its salesperson a to-do."""
        for order in self:
            order._notify_gate_refusal(
                self.env._(
                    "Payment %(payment)s was received, but the order could not be confirmed: %(reason)s",
                    payment=transaction.reference,
                    reason=str(error),
                ),
                self.env._("Paid order not confirmed"),
            )

    def _notify_gate_refusal(self, note, summary):
        """Internal note (never shown in the customer's portal chatter) and a to-do for
        the salesperson of order ``self``."""
        self.ensure_one()
        self.message_post(body=note, subtype_xmlid="mail.mt_note")
        if self.user_id and not self.user_id.share:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                note=note,
                user_id=self.user_id.id,
            )
