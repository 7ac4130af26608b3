# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import groupby


class BannerDataCache(dict):
    """What the credit banner read during one onchange call."""


class PartnerOrderGateMixin(models.AbstractModel):
    """What sale and purchase orders share: the transaction gate on confirmation, the
    banner and the release actions, all reading the partner's decision engine
    (``res.partner._get_transaction_blockers``). Each order model says what differs
    through the class attributes and small methods below, never by testing its name."""

    _name = "partner.order.gate.mixin"
    _inherit = ["partner.credit.document.mixin"]
    _description = "Partner Qualification on Orders"

    # States that commit the company: entering one goes through the gate.
    _partner_gate_states = ()
    # Once committed, an order that grows passes these rules only: admission, grade and
    # documents were checked at confirmation, and lines the system adds later
    # (re-invoiced expenses, delivery costs) must not fail on them.
    _partner_growth_rules = ("_get_credit_limit_blocker",)

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
        # Read as superuser, as the engine reads it: the user's record rules on partners
        # (their companies' hierarchy) are evaluated by the form's own reads.
        self._prefetch_partner_gate_fields()
        credit_partners = {order: order.sudo()._get_credit_partner()._origin for order in self}
        todo = self.filtered(
            lambda o: o.state in o._partner_release_states and credit_partners[o] and o.company_id
        )
        for order in self - todo:
            order.credit_warning_level = order.credit_warning = order.credit_release_needed = False
        for company in todo.company_id:
            orders = todo.filtered(lambda o, c=company: o.company_id == c)
            partners = (
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                .browse({credit_partners[o].id for o in orders})
            )
            data = self._get_banner_transaction_data(partners, orders)
            for order in orders:
                partner = partners.browse(credit_partners[order].id)
                blockers = partner._get_transaction_blockers(order, self._partner_gate_role, data)
                # The other partners the order must pass, in the gate's order (e.g. the
                # ordering partner of a sale order paid by another).
                for other, rules in order._get_partner_gate_checks()[1:]:
                    other = other._origin.with_company(company).sudo()
                    blockers += other._get_transaction_blockers(order, self._partner_gate_role, rules=rules)
                (
                    order.credit_warning_level,
                    order.credit_warning,
                    order.credit_release_needed,
                ) = partner._get_transaction_banner(order, blockers, data)

    def _get_banner_transaction_data(self, partners, orders):
        """``_prepare_transaction_data`` of the banner; within one onchange (which writes
        nothing), read once: the form's values before and after the edit share what
        does not depend on them (exposure, documents, releases of the saved orders)."""
        cache = self.env.context.get("partner_gate_banner_cache")
        role = self._partner_gate_role
        if not isinstance(cache, BannerDataCache):
            return partners._prepare_transaction_data(orders, role)
        key = (self.env.company.id, role, frozenset(partners.ids), frozenset(orders._origin.ids))
        if key not in cache:
            cache[key] = partners._prepare_transaction_data(orders, role)
        # What depends on the form's values is read again for these orders.
        return dict(cache[key], batch=orders, prepaid=None, released=None)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def onchange(self, values, field_names, fields_spec):
        # A cache object no client can send (RPC context values are JSON).
        if isinstance(self.env.context.get("partner_gate_banner_cache"), BannerDataCache):
            return super().onchange(values, field_names, fields_spec)
        orders = self.with_context(partner_gate_banner_cache=BannerDataCache())
        return super(PartnerOrderGateMixin, orders).onchange(values, field_names, fields_spec)

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
        # The gate measures the orders entering from what the balances held before the
        # write: it need not write them before reading the balances (the transaction
        # writes them once, at its end).
        held = entering._get_credit_balance_held() if entering else None
        result = super().write(vals)
        if reset:
            self.env["partner.credit.release"]._void_releases(reset)
        if entering:
            entering._check_partner_transaction(held=held)
        self._check_partner_gate_changes(snapshot)
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _is_credit_committed(self):
        """Whether the order already commits the company (counts in the exposure)."""
        self.ensure_one()
        return self.state in self._partner_gate_states

    def _get_credit_amount(self):
        """Amount of an unsaved order in the company's currency (saved orders are
        measured by the exposure query, net of what is invoiced)."""
        self.ensure_one()
        return self.company_id.currency_id.round(self.amount_total / (self.currency_rate or 1.0))

    def _check_partner_transaction(self, rules=None, held=None):
        """Run the decision engine on ``self`` for each partner the orders must pass
        (see ``_get_partner_gate_checks``), by company and partner.

        :param rules: the rules to run (all when None)
        :param held: ``CreditBalanceHeld`` of the orders, read before their write
        """
        if not self:
            return
        self._prefetch_partner_gate_fields()
        checks = [
            (order.company_id, partner, order_rules, order)
            for order in self
            for partner, order_rules in order._get_partner_gate_checks()
        ]
        for (company, partner, order_rules), items in groupby(checks, key=lambda item: item[:3]):
            partner.with_company(company)._check_transaction_allowed(
                self.browse(item[3].id for item in items),
                role=self._partner_gate_role,
                rules=self._intersect_partner_gate_rules(rules, order_rules),
                held=held,
            )

    def _prefetch_partner_gate_fields(self):
        """The fields the rules read of the partners the orders ``self`` name, their
        commercial partners included, as each order's company sees them: one query per
        company (none for what is in cache). Reading ``commercial_partner_id`` alone
        would fetch each partner's whole row, which a line edit does not read."""
        for company in self.company_id:
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            partners = (orders.partner_id | orders.mapped(self._credit_partner_field))._origin
            partners = partners.with_company(company).sudo()
            partners._prefetch_transaction_fields()
            # Contacts: their commercial partners' fields too (companies are their own).
            partners.commercial_partner_id._prefetch_transaction_fields()

    @api.model
    def _intersect_partner_gate_rules(self, rules, other_rules):
        if rules is None:
            return other_rules
        if other_rules is None:
            return rules
        return tuple(rule for rule in rules if rule in other_rules)

    def _get_partner_gate_snapshot(self):
        """What the gate checked on the orders of ``self`` that commit the company:
        {order id: (partners checked, company, currency, amount_total)}."""
        return {
            order.id: (
                tuple(partner.id for partner, _rules in order._get_partner_gate_checks()),
                order.company_id.id,
                order.currency_id.id,
                order.amount_total,
            )
            for order in self
            if order.state in self._partner_gate_states
        }

    def _get_partner_gate_changed(self, snapshot):
        """The orders of ``self`` that commit the company and changed since ``snapshot``
        in a way the gate must see again: (moved, grown): moved to another partner,
        company or currency (the whole gate again); grown to a higher amount (the credit
        limit again). A lower amount is never refused."""
        moved = grown = self.browse()
        for order in self:
            before = snapshot.get(order.id)
            if not before or order.state not in self._partner_gate_states:
                continue
            if order._get_partner_gate_snapshot()[order.id][:3] != before[:3]:
                moved |= order
            elif order.currency_id.compare_amounts(order.amount_total, before[3]) > 0:
                grown |= order
        return moved, grown

    def _check_partner_gate_changes(self, snapshot):
        moved, grown = self._get_partner_gate_changed(snapshot)
        moved._check_partner_transaction()
        grown._check_partner_transaction(rules=self._partner_growth_rules)


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
        lines.order_id._check_partner_gate_changes(snapshot)
        return lines

    def write(self, vals):
        orders = self.order_id
        snapshot = orders._get_partner_gate_snapshot()
        result = super().write(vals)
        (orders | self.order_id)._check_partner_gate_changes(snapshot)
        return result

    def unlink(self):
        # A line with a negative amount (a discount) raises its order's total when removed.
        orders = self.order_id
        snapshot = orders._get_partner_gate_snapshot()
        result = super().unlink()
        orders.exists()._check_partner_gate_changes(snapshot)
        return result
