# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "partner.order.gate.mixin"]

    _partner_gate_states = ("sale",)
    _partner_gate_role = "customer"

    @api.depends_context("company")
    @api.depends("partner_id", "company_id", "state", "amount_total", "currency_rate")
    def _compute_credit_warning(self):
        return super()._compute_credit_warning()
