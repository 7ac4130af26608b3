# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


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
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice or Bill",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    payment_id = fields.Many2one(
        comodel_name="account.payment",
        string="Payment",
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
        "CHECK(num_nonnulls(sale_order_id, purchase_order_id, move_id, payment_id) <= 1)",
        "A credit release is for one document: an order, an invoice, a bill or a payment.",
    )

    @api.depends(
        "sale_order_id", "purchase_order_id", "move_id", "payment_id", "order_reference", "partner_id"
    )
    def _compute_display_name(self):
        for release in self:
            order = release._get_document()
            release.display_name = self.env._(
                "Release of %(order)s (%(partner)s)",
                order=order.name or release.order_reference or "",
                partner=release.partner_id.name or "",
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Written by the release wizard only, with superuser rights after its own checks
        # (no access right allows creating it): nobody can record a release in someone
        # else's name or with made-up figures.
        if not self.env.su:
            raise AccessError(
                self.env._("Credit releases are recorded by the 'Release and Confirm' action only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_release_update(vals)
        return super().write(vals)

    def _check_release_update(self, vals):
        """The log's only transition: a release becomes void when its order is cancelled
        or reset (written with superuser rights by the order). Anything else would
        rewrite history."""
        if self.env.su and set(vals) <= {"voided"} and vals.get("voided", True):
            return
        raise AccessError(self.env._("Credit releases are an audit log: they cannot be changed."))

    def _get_document(self):
        self.ensure_one()
        return self.sale_order_id or self.purchase_order_id or self.move_id or self.payment_id

    # ------------------------------------------------------------
    # BUSINESS: log queries
    # ------------------------------------------------------------

    @api.model
    def _get_released_orders(self, orders, covered=None):
        """The ``orders`` (sale or purchase orders, invoices, payments) covered by a
        release: one recorded for the document as it is (same commercial partner,
        company and currency, not void since) and for at least its current total. One
        query for any number.

        :param covered: what ``_get_release_part`` read for them, when it did
        """
        if not orders:
            return orders
        if covered is None:
            covered = {}
            query, handler = self._get_release_part(orders, covered)
            for row in self.env.execute_query(query):
                handler(None, *row)
        released = orders.browse()
        for order in orders:
            currency, amount = order._get_credit_release_amount()
            key = (order.id, order._get_credit_partner().id, order.company_id.id, currency.id)
            if key in covered and currency.compare_amounts(covered[key], amount) >= 0:
                released |= order
        return released

    @api.model
    def _get_release_part(self, orders, covered):
        """(query, handler) of the credit engine's statement (see
        ``res.partner._get_transaction_parts``): the amounts the releases not void of
        ``orders`` (one document model) cover, put in ``covered`` {(document id,
        partner id, company id, currency id): highest amount released}."""
        field = orders._credit_release_field
        self.flush_model(
            [field, "partner_id", "company_id", "order_currency_id", "order_amount_total", "voided"]
        )
        query = SQL(
            """
            SELECT r.partner_id, r.%(field)s, r.company_id, r.order_currency_id, MAX(r.order_amount_total)
              FROM partner_credit_release r
             WHERE r.%(field)s IN %(ids)s AND r.voided IS NOT TRUE
             GROUP BY r.partner_id, r.%(field)s, r.company_id, r.order_currency_id
            """,
            field=SQL.identifier(field),
            ids=tuple(orders._origin.ids) or (0,),
        )

        def handler(_exposure, partner_id, document_id, company_id, currency_id, amount):
            covered[(document_id, partner_id, int(company_id), int(currency_id))] = amount

        return query, handler

    @api.model
    def _void_releases(self, orders):
        """Cancelling an order or resetting it to a quotation ends its releases: a new
        confirmation needs a new decision."""
        field = orders._credit_release_field
        releases = self.sudo().search([(field, "in", orders.ids), ("voided", "=", False)])
        releases.write({"voided": True})
