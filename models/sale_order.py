# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "partner.order.gate.mixin"]

    _partner_gate_states = ("sale",)
    _partner_gate_role = "customer"
    _credit_release_field = "sale_order_id"
    _credit_exposure_component = "sale_order"
    _credit_line_qty_field = "product_uom_qty"
    # The paying side: see ``_get_credit_partner``.
    _credit_partner_field = "partner_invoice_id"
    _credit_invoice_types = ("out_invoice",)
    _credit_refund_types = ("out_refund",)

    @api.depends_context("company")
    @api.depends("partner_id", "partner_invoice_id", "company_id", "state", "amount_total", "currency_rate")
    def _compute_credit_warning(self):
        return super()._compute_credit_warning()

    @api.depends(
        "order_line.product_uom_qty",
        "order_line.price_total",
        "order_line.product_uom_id.factor",
        "order_line.is_downpayment",
        "order_line.display_type",
        "order_line.invoice_lines.quantity",
        "order_line.invoice_lines.price_total",
        "order_line.invoice_lines.product_uom_id.factor",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.move_type",
        "currency_rate",
    )
    def _compute_credit_open_amounts(self):
        return super()._compute_credit_open_amounts()

    def _action_partner_gate_confirm(self):
        return self.action_confirm()

    def _get_credit_invoice_link_sql(self):
        return SQL(
            "sale_order_line_invoice_rel rel ON rel.order_line_id = lines.id "
            "JOIN account_move_line il ON il.id = rel.invoice_line_id"
        )

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
