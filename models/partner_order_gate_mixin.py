# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import groupby


class PartnerOrderGateMixin(models.AbstractModel):
    """What sale and purchase orders share: the transaction gate on confirmation, the
    banner and the release actions, all reading the partner's decision engine
    (``res.partner._get_transaction_blockers``). Each order model says what differs
    through the class attributes and small methods below, never by testing its name."""

    _name = "partner.order.gate.mixin"
    _description = "Partner Qualification on Orders"

    # States that commit the company: entering one goes through the gate.
    _partner_gate_states = ()
    # The partner's side of the trade: decides the mandatory documents too.
    _partner_gate_role = None
    # States in which the banner shows and a credit manager can release the order.
    _partner_release_states = ("draft", "sent")
    # Field of ``partner.credit.release`` that logs the releases of this model.
    _credit_release_field = None
    # Exposure component (``res.partner._credit_components``) these orders count in.
    _credit_exposure_component = None

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
        """Banner of each quotation: the blockers the gate would raise on confirmation,
        read for the whole batch at once (a fixed number of queries per company)."""
        todo = self.filtered(
            lambda o: o.state in o._partner_release_states
            and o._get_credit_partner()._origin
            and o.company_id
        )
        for order in self - todo:
            order.credit_warning_level = order.credit_warning = order.credit_release_needed = False
        for company in todo.company_id:
            orders = todo.filtered(lambda o, c=company: o.company_id == c)
            partners = (
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                .browse({o._get_credit_partner()._origin.id for o in orders})
            )
            data = partners._prepare_transaction_data(orders, self._partner_gate_role)
            for order in orders:
                partner = partners.browse(order._get_credit_partner()._origin.id)
                blockers = partner._get_transaction_blockers(order, self._partner_gate_role, data)
                (
                    order.credit_warning_level,
                    order.credit_warning,
                    order.credit_release_needed,
                ) = partner._get_transaction_banner(order, blockers, data)

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
        self.ensure_one()
        self._check_credit_release_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release and Confirm"),
            "res_model": "partner.credit.release.confirm",
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{self._credit_release_field}": self.id},
        }

    def action_request_credit_release(self):
        """Ask every credit manager of the order's company for a release, once."""
        self.ensure_one()
        managers = (
            self.env.ref("partner_qualification_credit.group_credit_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda u: not u.share
                and u.active
                and self.company_id in u.company_ids
                and not u._is_superuser()
            )
        )
        if not managers:
            raise UserError(
                self.env._(
                    "No credit manager works for %(company)s: ask an administrator to appoint one.",
                    company=self.company_id.name,
                )
            )
        request_type = self.env.ref("partner_qualification_credit.mail_activity_type_credit_release")
        pending = self.activity_ids.filtered(lambda a: a.activity_type_id == request_type).user_id
        for manager in managers - pending:
            self.activity_schedule(
                "partner_qualification_credit.mail_activity_type_credit_release",
                date_deadline=fields.Date.context_today(self),
                note=self.env._(
                    "%(user)s asks for a credit release of %(order)s for %(partner)s.",
                    user=self.env.user.name,
                    order=self.name,
                    partner=self._get_credit_partner().display_name,
                ),
                user_id=manager.id,
            )
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_credit_partner(self):
        """The commercial partner whose admission, documents and credit are checked."""
        return self.partner_id.commercial_partner_id

    def _action_partner_gate_confirm(self):
        """Commit the order through the model's own confirmation path (release wizard)."""
        raise NotImplementedError()

    def _is_credit_committed(self):
        """Whether the order already commits the company (counts in the exposure)."""
        self.ensure_one()
        return self.state in self._partner_gate_states

    def _get_credit_amount(self):
        """Amount of an unsaved order in the company's currency (saved orders are
        measured by the exposure query, net of what is invoiced)."""
        self.ensure_one()
        return self.company_id.currency_id.round(self.amount_total / (self.currency_rate or 1.0))

    def _get_credit_released(self):
        """The orders of ``self`` a credit manager released (see the release log)."""
        return self.env["partner.credit.release"]._get_released_orders(self._origin)

    def _is_credit_released(self):
        self.ensure_one()
        return bool(self._get_credit_released())

    @api.model
    def _check_credit_release_rights(self):
        if not self.env.user.has_group("partner_qualification_credit.group_credit_manager"):
            raise AccessError(
                self.env._(
                    "Only credit managers can release orders blocked by credit control. "
                    "Use 'Request Release' to ask them."
                )
            )

    def _check_partner_transaction(self):
        for (company, partner), orders in groupby(
            self, key=lambda o: (o.company_id, o._get_credit_partner())
        ):
            partner.with_company(company)._check_transaction_allowed(
                self.browse(o.id for o in orders), role=self._partner_gate_role
            )

    def _get_partner_gate_snapshot(self):
        """What the gate checked on the orders of ``self`` that commit the company:
        {order id: (commercial partner, company, currency, amount_total)}."""
        return {
            order.id: (
                order._get_credit_partner().id,
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
            if (order._get_credit_partner().id, order.company_id.id, order.currency_id.id) != (
                partner_id,
                company_id,
                currency_id,
            ) or order.currency_id.compare_amounts(order.amount_total, amount) > 0:
                changed |= order
        return changed


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
