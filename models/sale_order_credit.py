# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

# What the ordering partner must pass when another partner pays: it is still the party
# the company trades with, but the credit is the paying partner's.
ORDERING_PARTNER_RULES = (
    "_get_admission_blocker",
    "_get_prohibited_blocker",
    "_get_grade_block_blocker",
    "_get_documents_blocker",
    "_get_grade_restrict_blocker",
)


class SaleOrder(models.Model):
    """Whose credit a sale order uses, and what the risk responses read on it."""

    _inherit = "sale.order"

    def _get_credit_partner(self):
        # The paying side, as core's credit warning and OCA's financial risk: the
        # commercial partner of the invoice address.
        return (self.partner_invoice_id or self.partner_id).commercial_partner_id

    def _get_partner_gate_checks(self):
        checks = super()._get_partner_gate_checks()
        ordering = self.partner_id.commercial_partner_id
        if ordering and ordering != self._get_credit_partner():
            checks.append((ordering, ORDERING_PARTNER_RULES))
        return checks

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
