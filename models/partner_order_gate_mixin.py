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
    # States in which the banner shows and a credit manager can release the order.
    _partner_release_states = ("draft", "sent")

    # The limit and exposure figures are for the credit-control users; the level and the
    # release flag drive buttons every order user sees.
    credit_warning = fields.Html(
        compute="_compute_credit_warning",
        sanitize=False,
        groups="partner_qualification_credit.group_user",
    )
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
    # It runs after the write, on the values written: partner, lines and amount included.
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state in self._partner_gate_states)._check_partner_transaction()
        return orders

    def write(self, vals):
        entering = self.browse()
        if vals.get("state") in self._partner_gate_states:
            entering = self.filtered(lambda o: o.state != vals["state"])
        snapshot = (self - entering)._get_partner_gate_snapshot()
        reset = self.browse()
        if vals.get("state") in ("draft", "cancel"):
            reset = self.filtered(lambda o: o.state != vals["state"])
        result = super().write(vals)
        if reset:
            self.env["partner.credit.release"]._void_releases(reset)
        (entering | self._get_partner_gate_changed(snapshot))._check_partner_transaction()
        return result

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

    def _get_partner_gate_snapshot(self):
        """What the gate checked on the orders of ``self`` that commit the company:
        {order id: (commercial partner, company, currency, amount_total)}."""
        return {
            order.id: (
                order.partner_id.commercial_partner_id.id,
                order.company_id.id,
                order.currency_id.id,
                order.amount_total,
            )
            for order in self
            if order.state in self._partner_gate_states
        }

    def _get_partner_gate_changed(self, snapshot):
        """The orders of ``self`` that commit the company and changed since ``snapshot``
        in a way the gate must see again: another partner, company or currency, or a
        higher amount. A lower amount is never refused."""
        changed = self.browse()
        for order in self:
            before = snapshot.get(order.id)
            if not before or order.state not in self._partner_gate_states:
                continue
            partner_id, company_id, currency_id, amount = before
            if (order.partner_id.commercial_partner_id.id, order.company_id.id, order.currency_id.id) != (
                partner_id,
                company_id,
                currency_id,
            ) or order.currency_id.compare_amounts(order.amount_total, amount) > 0:
                changed |= order
        return changed

    def _is_credit_released(self):
        """Whether a credit manager released this order (see the release wizard)."""
        self.ensure_one()
        return bool(self.env["partner.credit.release"]._get_released_orders(self))


class PartnerOrderLineGateMixin(models.AbstractModel):
    """Order lines changed on their own (not through their order) change the amount of
    confirmed orders too: the gate sees the orders whose amount went up."""

    _name = "partner.order.line.gate.mixin"
    _description = "Partner Qualification on Order Lines"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env[self._fields["order_id"].comodel_name].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        snapshot = orders._get_partner_gate_snapshot()
        lines = super().create(vals_list)
        lines.order_id._get_partner_gate_changed(snapshot)._check_partner_transaction()
        return lines

    def write(self, vals):
        orders = self.order_id
        snapshot = orders._get_partner_gate_snapshot()
        result = super().write(vals)
        (orders | self.order_id)._get_partner_gate_changed(snapshot)._check_partner_transaction()
        return result

    def unlink(self):
        # A line with a negative amount (a discount) raises its order's total when removed.
        orders = self.order_id
        snapshot = orders._get_partner_gate_snapshot()
        result = super().unlink()
        orders.exists()._get_partner_gate_changed(snapshot)._check_partner_transaction()
        return result
