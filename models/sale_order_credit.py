# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SaleOrder(models.Model):
    """What the risk responses read on sale orders: paid in advance, payment term."""

    _inherit = "sale.order"

    def _get_credit_prepaid(self):
        """The orders of ``self`` fully paid in advance: by online payments that are
        done, or by posted down payment invoices that are paid. They carry no credit
        risk: neither the limit nor a credit hold refuses them."""
        prepaid = self.browse()
        for order in self.sudo():
            currency = order.currency_id
            paid = sum(
                tx.amount for tx in order.transaction_ids if tx.state == "done" and tx.currency_id == currency
            )
            down_payments = order.order_line.filtered("is_downpayment").invoice_lines.move_id.filtered(
                lambda move, currency=currency: move.state == "posted"
                and move.move_type == "out_invoice"
                and move.payment_state in ("paid", "in_payment")
                and move.currency_id == currency
            )
            paid += sum(down_payments.mapped("amount_total"))
            if currency.compare_amounts(order.amount_total, 0.0) > 0 and (
                currency.compare_amounts(paid, order.amount_total) >= 0
            ):
                prepaid |= self.browse(order.id)
        return prepaid

    def _get_credit_payment_term(self):
        """(payment term, reference date) the payment-term cap checks."""
        self.ensure_one()
        return self.payment_term_id, (self.date_order.date() if self.date_order else None)
