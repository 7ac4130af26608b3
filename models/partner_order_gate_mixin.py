# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import groupby


class PartnerOrderGateMixin(models.AbstractModel):
    """What sale and purchase orders share: the transaction gate on confirmation, the
    credit banner and the release actions. Each order model says which states commit the
    company (``_partner_gate_states``) and which role the partner plays there."""

    _name = "partner.order.gate.mixin"
    _description = "Partner Qualification on Orders"

    _partner_gate_states = ()
    _partner_gate_role = None

    credit_warning = fields.Html(compute="_compute_credit_warning", sanitize=False)
    credit_warning_level = fields.Selection(
        selection=[("info", "Info"), ("warning", "Warning"), ("danger", "Blocked")],
        compute="_compute_credit_warning",
    )
    credit_release_needed = fields.Boolean(compute="_compute_credit_warning")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    # The dependencies are declared by the order models: this mixin has no partner.
    def _compute_credit_warning(self):
        warnings = self.env["partner.credit.release"]._get_order_credit_warnings(self)
        for order in self:
            (
                order.credit_warning_level,
                order.credit_warning,
                order.credit_release_needed,
            ) = warnings.get(order, (False, False, False))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    # The gate sits on the state change itself, not on the buttons only: every path that
    # confirms an order (buttons, RPC, import, portal signature, payment) writes it.
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state in self._partner_gate_states)._check_partner_transaction()
        return orders

    def write(self, vals):
        if vals.get("state") in self._partner_gate_states:
            self.filtered(lambda o: o.state != vals["state"])._check_partner_transaction()
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_credit_release(self):
        return self.env["partner.credit.release"]._action_open_release(self)

    def action_request_credit_release(self):
        return self.env["partner.credit.release"]._action_request_release(self)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_partner_transaction(self):
        for (company, partner), orders in groupby(
            self, key=lambda o: (o.company_id, o.partner_id.commercial_partner_id)
        ):
            partner.with_company(company)._check_transaction_allowed(
                self.browse(o.id for o in orders), role=self._partner_gate_role
            )

    def _is_credit_released(self):
        """Whether a credit manager released this order (see the release wizard)."""
        self.ensure_one()
        return bool(self.env["partner.credit.release"]._get_released_orders(self))
