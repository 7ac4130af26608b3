# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import formatLang


class PartnerCreditRelease(models.Model):
    """Audit log of credit releases: who let which order through, when, why, and the
    figures at that moment. Records are never changed once written."""

    _name = "partner.credit.release"
    _description = "Partner Credit Release"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sale Order",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    purchase_order_id = fields.Many2one(
        comodel_name="purchase.order",
        string="Purchase Order",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    # Kept when the order is deleted later: the log must outlive it.
    order_reference = fields.Char(readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Released By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    grade_id = fields.Many2one(comodel_name="partner.qualification.grade", string="Grade", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_limit = fields.Monetary(readonly=True)
    credit_unlimited = fields.Boolean(string="Unlimited Credit", readonly=True)
    credit_receivable = fields.Monetary(string="Open Receivables", readonly=True)
    credit_draft_invoice = fields.Monetary(string="Draft Customer Invoices", readonly=True)
    credit_sale_order = fields.Monetary(string="Sale Orders Not Invoiced", readonly=True)
    credit_prepayment = fields.Monetary(string="Supplier Prepayments", readonly=True)
    credit_purchase_order = fields.Monetary(string="Purchase Orders Not Billed", readonly=True)
    credit_draft_bill = fields.Monetary(string="Draft Vendor Bills", readonly=True)
    credit_exposure = fields.Monetary(string="Exposure", readonly=True)
    order_amount = fields.Monetary(
        string="Amount Released",
        readonly=True,
        help="Amount of the order not yet invoiced, in the company's currency.",
    )
    credit_total = fields.Monetary(string="Total", readonly=True)
    credit_excess = fields.Monetary(string="Over the Limit", readonly=True)
    order_currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    order_amount_total = fields.Monetary(
        string="Released Order Total",
        currency_field="order_currency_id",
        readonly=True,
        help="The release covers the order up to this total (in the order's currency).",
    )

    voided = fields.Boolean(
        string="Void",
        readonly=True,
        help="The order was cancelled or reset to a quotation after the release: the release "
        "no longer covers it.",
    )

    _one_order = models.Constraint(
        "CHECK(sale_order_id IS NULL OR purchase_order_id IS NULL)",
        "A credit release is for one sale or purchase order, not both.",
    )

    @api.depends("sale_order_id", "purchase_order_id", "order_reference", "partner_id")
    def _compute_display_name(self):
        for release in self:
            order = release.sale_order_id or release.purchase_order_id
            release.display_name = self.env._(
                "Release of %(order)s (%(partner)s)",
                order=order.name or release.order_reference or "",
                partner=release.partner_id.name or "",
            )

    @api.model
    def _order_field(self, orders):
        return "sale_order_id" if orders._name == "sale.order" else "purchase_order_id"

    @api.model_create_multi
    def create(self, vals_list):
        # The log is written by the release wizard only (no access right allows creating
        # it): nobody can record a release in someone else's name or with made-up figures.
        if not (self.env.su and self.env.context.get("partner_credit_release_wizard")):
            raise AccessError(
                self.env._("Credit releases are recorded by the 'Release and Confirm' action only.")
            )
        return super().create(vals_list)

    @api.model
    def _get_released_orders(self, orders):
        """The ``orders`` (sale or purchase orders) covered by a release: one recorded
        for the order as it is (same commercial partner, company and currency, not void
        since) and for at least its current total. One query for any number."""
        if not orders:
            return orders
        field = self._order_field(orders)
        covered = {}
        for release in self.sudo().search_fetch(
            [(field, "in", orders.ids), ("voided", "=", False)],
            [field, "order_amount_total", "order_currency_id", "partner_id", "company_id"],
        ):
            order = release[field]
            key = (order.id, release.partner_id.id, release.company_id.id, release.order_currency_id.id)
            covered[key] = max(covered.get(key, 0.0), release.order_amount_total)
        released = orders.browse()
        for order in orders:
            key = (
                order.id,
                order.partner_id.commercial_partner_id.id,
                order.company_id.id,
                order.currency_id.id,
            )
            if key in covered and order.currency_id.compare_amounts(covered[key], order.amount_total) >= 0:
                released |= order
        return released

    @api.model
    def _void_releases(self, orders):
        """Cancelling an order or resetting it to a quotation ends its releases: a new
        confirmation needs a new decision."""
        releases = self.sudo().search([(self._order_field(orders), "in", orders.ids), ("voided", "=", False)])
        releases.write({"voided": True})

    # ------------------------------------------------------------
    # BUSINESS: helpers shared by sale and purchase orders
    # ------------------------------------------------------------

    @api.model
    def _get_order_credit_warnings(self, orders):
        """Banner of each quotation/RFQ in ``orders``: {order: (level, html, release
        needed)}, level in 'info', 'warning', 'danger' ('danger': confirming will be
        refused); release needed: only a credit release is missing. A few queries per
        company, none per order or line."""
        result = {}
        todo = orders.filtered(
            lambda o: o.state in o._partner_release_states
            and o.partner_id.commercial_partner_id._origin
            and o.company_id
        )
        if not todo:
            return result
        released = self._get_released_orders(todo._origin)
        for company in todo.company_id:
            company_orders = todo.filtered(lambda o, c=company: o.company_id == c)
            partners = self.env["res.partner"].sudo().with_company(company)
            partners = partners.browse(
                {o.partner_id.commercial_partner_id._origin.id for o in company_orders}
            )
            exposures = partners._get_credit_exposure_by_partner()
            for order in company_orders:
                partner = partners.browse(order.partner_id.commercial_partner_id._origin.id)
                figures = exposures[partner.id]
                if order.state in order._partner_gate_states:
                    # Already counted in the exposure ('to approve'): measured apart.
                    orders_key = "sale_orders" if order._name == "sale.order" else "purchase_orders"
                    figures = partner._get_credit_exposure_by_partner(**{orders_key: order._origin})[
                        partner.id
                    ]
                result[order] = self.with_company(company)._get_order_credit_warning(
                    order, partner, figures, order._origin in released
                )
        return result

    @api.model
    def _get_order_credit_warning(self, order, partner, figures, released):
        company = self.env.company
        currency = company.currency_id
        grade = partner.qualification_grade_id
        limit, unlimited = partner._get_credit_limit_info()
        order_amount = currency.round(order.amount_total / (order.currency_rate or 1.0))
        total = figures["exposure"] + order_amount
        usage = partner._get_credit_usage(figures["exposure"], limit, unlimited)
        usage_after = partner._get_credit_usage(total, limit, unlimited)

        def fmt(amount):
            return formatLang(self.env, amount, currency_obj=currency)

        level = "info"
        if unlimited:
            lines = [
                self.env._(
                    "Grade: %(grade)s. Credit: unlimited (exposure %(exposure)s).",
                    grade=grade.display_name or self.env._("none"),
                    exposure=fmt(figures["exposure"]),
                )
            ]
        else:
            lines = [
                self.env._(
                    "Grade: %(grade)s. Credit usage: %(usage)s%% (%(exposure)s of %(limit)s); "
                    "%(after)s%% after this order (%(amount)s).",
                    grade=grade.display_name or self.env._("none"),
                    usage=round(usage, 1),
                    exposure=fmt(figures["exposure"]),
                    limit=fmt(limit),
                    after=round(usage_after, 1),
                    amount=fmt(order_amount),
                )
            ]
        refusals = []
        releasable = []
        if company.partner_admission_required and partner.admission_state != "approved":
            refusals.append(self.env._("The partner is not admitted: confirming will be refused."))
        if grade.policy == "block":
            refusals.append(
                self.env._("Grade %(grade)s: confirming will be refused.", grade=grade.display_name)
            )
        if company.partner_block_invalid_documents and partner.qualification_state in ("expired", "missing"):
            refusals.append(
                self.env._(
                    "Mandatory qualification documents are missing or expired: confirming will be refused."
                )
            )
        if grade.policy == "restrict" and not released:
            releasable.append(
                self.env._(
                    "Grade %(grade)s: confirming needs a release by a credit manager.",
                    grade=grade.display_name,
                )
            )
        if not unlimited and not released and currency.compare_amounts(total, limit) > 0:
            releasable.append(
                self.env._(
                    "Confirming would exceed the credit limit by %(excess)s: it needs a release by a "
                    "credit manager.",
                    excess=fmt(total - limit),
                )
            )
        if refusals or releasable:
            level = "danger"
            lines += refusals + releasable
        elif not unlimited and usage_after >= company.partner_credit_warning_threshold:
            level = "warning"
            lines.append(
                self.env._(
                    "Confirming takes credit usage over the warning threshold (%(threshold)s%%).",
                    threshold=company.partner_credit_warning_threshold,
                )
            )
        if released:
            lines.append(self.env._("A credit manager released this order."))
        return level, Markup("<br/>").join(lines), bool(releasable and not refusals)

    @api.model
    def _action_open_release(self, order):
        order.ensure_one()
        self._check_release_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release and Confirm"),
            "res_model": "partner.credit.release.confirm",
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{self._order_field(order)}": order.id},
        }

    @api.model
    def _check_release_rights(self):
        if not self.env.user.has_group("partner_qualification_credit.group_credit_manager"):
            raise AccessError(
                self.env._(
                    "Only credit managers can release orders blocked by credit control. "
                    "Use 'Request Release' to ask them."
                )
            )

    @api.model
    def _action_request_release(self, order):
        order.ensure_one()
        managers = (
            self.env.ref("partner_qualification_credit.group_credit_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda u: not u.share and u.active and order.company_id in u.company_ids and u.id != 1
            )
        )
        if not managers:
            raise UserError(
                self.env._(
                    "No credit manager works for %(company)s: ask an administrator to appoint one.",
                    company=order.company_id.name,
                )
            )
        summary = self.env._("Credit release requested")
        pending = order.activity_ids.filtered(lambda a: a.summary == summary).user_id
        for manager in managers - pending:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                note=self.env._(
                    "%(user)s asks for a credit release of %(order)s for %(partner)s.",
                    user=self.env.user.name,
                    order=order.name,
                    partner=order.partner_id.commercial_partner_id.display_name,
                ),
                user_id=manager.id,
            )
        return True
