# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "partner.order.gate.mixin"]

    # 'to approve' commits the company as much as 'purchase' once approved: check both
    # (and again at approval).
    _partner_gate_states = ("to approve", "purchase")
    _partner_gate_role = "supplier"
    # An order waiting for approval can become over the limit meanwhile: it can be released.
    _partner_release_states = ("draft", "sent", "to approve")
    _credit_release_field = "purchase_order_id"
    _credit_exposure_component = "purchase_order"
    _credit_line_qty_field = "product_qty"
    _credit_partner_field = "partner_id"
    _credit_invoice_types = ("in_invoice",)
    _credit_refund_types = ("in_refund",)

    @api.depends_context("company")
    @api.depends("partner_id", "company_id", "state", "amount_total", "currency_rate")
    def _compute_credit_warning(self):
        return super()._compute_credit_warning()

    @api.depends(
        "order_line.product_qty",
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

    def _get_credit_invoice_link_sql(self):
        return SQL("account_move_line il ON il.purchase_line_id = lines.id")

    def _action_partner_gate_confirm(self):
        if self.state == "to approve":
            # Approved when the user may approve it; otherwise the order keeps waiting
            # for the purchase manager's approval.
            return self.button_approve()
        return self.button_confirm()
