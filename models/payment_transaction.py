# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A payment confirms its quotation through the gate. A refusal must not undo the
        payment being recorded: the order stays a quotation and its salesperson is told."""
        confirmed_orders = self.env["sale.order"]
        for tx in self:
            try:
                with self.env.cr.savepoint():
                    confirmed_orders |= super(PaymentTransaction, tx)._check_amount_and_confirm_order()
            except UserError as error:
                _logger.info("Payment %s: order not confirmed by the partner gate", tx.reference)
                tx.sale_order_ids._notify_payment_gate_refusal(tx, error)
        return confirmed_orders
