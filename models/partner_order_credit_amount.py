# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from .partner_credit_balance import CREDIT_BALANCE_ORDER_FIELDS


class CreditBalanceHeld(dict):
    """What the balances hold of orders about to be written, read just before the write
    ({order id: (commercial partner id or None, company id, (amount, amount net of
    drafts, draft part, down payments))}, partner None when the order does not count).
    The gate that checks the written orders then reads the balances without writing
    the orders first (see ``res.partner._get_credit_exposure_by_partner``)."""

    def __init__(self, model, values):
        super().__init__(values)
        self.model = model


class PartnerOrderGateMixin(models.AbstractModel):
    """What an order still commits the company to, kept on the order itself.

    The exposure of a partner sums these stored amounts over its open orders only
    (a partial index holds the orders with something left), so its cost follows open
    business instead of re-reading every order line and invoice line of the partner's
    history at each check. The amounts are recomputed by the ORM whenever an order
    line or one of its invoice lines changes (see the ``@api.depends`` of each order
    model); they are in the company's currency at the order's rate, unrounded."""

    _inherit = "partner.order.gate.mixin"

    # Column of the order line holding its ordered quantity.
    _credit_line_qty_field = None
    # Order field of the partner whose credit the order uses.
    _credit_partner_field = None
    # Move types that invoice the order, and those that refund it.
    _credit_invoice_types = ()
    _credit_refund_types = ()

    credit_open_amount = fields.Float(
        string="Amount Not Invoiced (Credit)",
        compute="_compute_credit_open_amounts",
        store=True,
        copy=False,
        help="Ordered and not invoiced by a posted invoice, tax included, in the company's "
        "currency at the order's rate; down payments count minus what their posted invoices took.",
    )
    credit_draft_amount = fields.Float(
        string="Amount in Draft Invoices (Credit)",
        compute="_compute_credit_open_amounts",
        store=True,
        copy=False,
        help="The part of the amount not invoiced that draft invoices take.",
    )
    credit_downpayment_amount = fields.Float(
        string="Down Payments Invoiced (Credit)",
        compute="_compute_credit_open_amounts",
        store=True,
        copy=False,
        help="Down payments invoiced by posted invoices and not deducted yet.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    # The dependencies are declared by the order models: the line fields differ.
    def _compute_credit_open_amounts(self):
        # Orders invoiced in part are measured in SQL; the others (quotations, unsaved
        # forms) have nothing invoiced: what is ordered is open (as in the query, a line
        # counts for its positive quantity only, a down payment not yet invoiced for 0).
        invoiced = self.filtered(lambda order: order.id and order.order_line.invoice_lines)
        amounts = {}
        if invoiced:
            self._flush_credit_amount_data()
            query = self._get_credit_open_amount_sql(tuple(invoiced.ids))
            amounts = {row[0]: row[1:] for row in self.env.execute_query(query)}
        for order in invoiced:
            (
                order.credit_open_amount,
                order.credit_draft_amount,
                order.credit_downpayment_amount,
            ) = amounts.get(order.id) or (0.0, 0.0, 0.0)
        qty_field = self._credit_line_qty_field
        for order in self - invoiced:
            order.credit_open_amount = sum(
                line.price_total for line in order.order_line if not line.display_type and line[qty_field] > 0
            ) / (order.currency_rate or 1.0)
            order.credit_draft_amount = order.credit_downpayment_amount = 0.0

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _flush_credit_amount_data(self):
        """The query reads these columns directly: write pending changes first."""
        self.flush_model(["currency_rate"])
        line_model = self.env[self._fields["order_line"].comodel_name]
        line_model.flush_model(
            [
                "order_id",
                self._credit_line_qty_field,
                "price_total",
                "product_uom_id",
                "is_downpayment",
                "display_type",
                "invoice_lines",
            ]
        )
        self.env["account.move.line"].flush_model(
            ["move_id", "quantity", "price_total", "product_uom_id", "purchase_line_id", "sale_line_ids"]
        )
        self.env["account.move"].flush_model(["move_type", "state"])
        self.env["uom.uom"].flush_model(["factor"])

    def _get_credit_invoice_link_sql(self):
        """``JOIN`` clause from the order lines (``lines``) to their invoice lines (``il``)."""
        raise NotImplementedError

    def _get_credit_open_amount_sql(self, order_ids):
        """Per order of ``order_ids``: (order id, open amount, draft amount, down payments).

        - Quantities invoiced are recounted from the order line's invoice lines (posted
          invoices and refunds), converted to the line's unit: the stored
          ``qty_invoiced`` counts drafts, which never lower the exposure.
        - The draft amount is the part of the open quantity that draft invoices take,
          at the order's price (a separate exposure component when its switch is on).
        - A down payment line (no quantity) counts minus what its posted invoices, net of
          their deduction, invoiced: that money is in the receivables/payables. What
          they invoiced is returned apart (supplier down payments are prepayments until
          the final bill deducts them).
        - Amounts are converted at the order's rate.
        """
        line_model = self.env[self._fields["order_line"].comodel_name]
        return SQL(
            """
            WITH lines AS (
                SELECT l.id, l.order_id, l.%(qty)s AS qty, l.price_total, l.product_uom_id,
                       l.is_downpayment IS TRUE AND l.%(qty)s = 0 AS is_dp
                  FROM %(line_table)s l
                 WHERE l.order_id IN %(orders)s AND l.display_type IS NULL
            ), invoiced AS (
                SELECT lines.id AS line_id,
                       SUM(CASE WHEN m.move_type IN %(refund_types)s THEN -1 ELSE 1 END
                           * il.quantity * COALESCE(iu.factor / NULLIF(lu.factor, 0), 1))
                           FILTER (WHERE m.state = 'posted') AS posted_qty,
                       SUM(il.quantity * COALESCE(iu.factor / NULLIF(lu.factor, 0), 1))
                           FILTER (WHERE m.state = 'draft' AND m.move_type IN %(invoice_types)s
                                   AND il.quantity > 0) AS draft_qty,
                       SUM(CASE WHEN m.move_type IN %(refund_types)s THEN -1 ELSE 1 END * il.price_total)
                           FILTER (WHERE m.state = 'posted') AS posted_amount,
                       SUM(il.price_total)
                           FILTER (WHERE m.state = 'draft' AND m.move_type IN %(invoice_types)s
                                   AND il.price_total > 0) AS draft_amount
                  FROM lines
                  JOIN %(invoice_links)s
                  JOIN account_move m ON m.id = il.move_id
                  LEFT JOIN uom_uom iu ON iu.id = il.product_uom_id
                  LEFT JOIN uom_uom lu ON lu.id = lines.product_uom_id
                 WHERE m.move_type IN %(invoice_types)s OR m.move_type IN %(refund_types)s
                 GROUP BY lines.id
            ), line_amounts AS (
                SELECT lines.order_id, lines.is_dp,
                       CASE WHEN lines.qty = 0 THEN 0 ELSE lines.price_total / lines.qty END AS unit,
                       GREATEST(lines.qty - COALESCE(inv.posted_qty, 0), 0) AS open_qty,
                       COALESCE(inv.draft_qty, 0) AS draft_qty,
                       COALESCE(inv.posted_amount, 0) AS posted_amount,
                       COALESCE(inv.draft_amount, 0) AS draft_amount
                  FROM lines
                  LEFT JOIN invoiced inv ON inv.line_id = lines.id
            )
            SELECT la.order_id,
                   SUM(CASE WHEN la.is_dp THEN -la.posted_amount ELSE la.open_qty * la.unit END) / o.rate,
                   SUM(CASE WHEN la.is_dp THEN la.draft_amount
                            ELSE LEAST(la.draft_qty, la.open_qty) * la.unit END) / o.rate,
                   SUM(CASE WHEN la.is_dp THEN la.posted_amount ELSE 0 END) / o.rate
              FROM line_amounts la
              JOIN (SELECT id, COALESCE(NULLIF(currency_rate, 0), 1) AS rate
                      FROM %(order_table)s WHERE id IN %(orders)s) o ON o.id = la.order_id
             GROUP BY la.order_id, o.rate
            """,
            orders=order_ids,
            order_table=SQL.identifier(self._table),
            qty=SQL.identifier(self._credit_line_qty_field),
            line_table=SQL.identifier(line_model._table),
            invoice_types=self._credit_invoice_types,
            refund_types=self._credit_refund_types,
            invoice_links=self._get_credit_invoice_link_sql(),
        )

    def _get_credit_measured_order_sql(self, companies, contacts, order_ids, draft_counted):
        """Rows (commercial partner, order id or NULL, amount, draft amount, down
        payments) of the saved orders of ``order_ids``, as the database holds them: each
        order measured apart (with its id), and taken out of the sums of its partner's
        balances where they count it (without id, negative). For the callers that read
        the orders in SQL (banners, wizards: the orders are written first); the gate
        measures them from their fields (see ``_get_credit_balance_held``).

        :param draft_counted: the part draft invoices take is a component of its own
        """
        balances = self.env["partner.credit.balance"]
        if draft_counted:
            amounts = SQL("sign.value * a.amount_net, sign.value * a.draft")
        else:
            amounts = SQL("sign.value * a.amount, 0")
        return SQL(
            """
            SELECT c.commercial_partner_id, CASE WHEN sign.value > 0 THEN o.id END,
                   %(amounts)s, sign.value * a.downpayment
              FROM %(table)s o
              JOIN %(contacts)s c ON c.id = o.%(partner_field)s
             CROSS JOIN LATERAL (SELECT %(order_amounts)s) a(amount, amount_net, draft, downpayment)
             CROSS JOIN LATERAL (
                   SELECT 1 AS value
                    UNION ALL
                   SELECT -1 WHERE %(contributes)s AND o.company_id = ANY(%(companies)s)
                   ) sign
             WHERE o.id = ANY(%(orders)s)
            """,
            amounts=amounts,
            table=SQL.identifier(self._table),
            contacts=contacts,
            partner_field=SQL.identifier(self._credit_partner_field),
            order_amounts=balances._order_amounts_sql("o"),
            contributes=balances._order_contributes_sql(self, "o"),
            companies=companies,
            orders=list(order_ids),
        )

    def _get_credit_balance_amounts(self):
        """What order ``self`` (one, saved) adds to its partner's balance row when it
        counts (see ``_is_credit_balance_counted``): (amount, amount net of what draft
        invoices take, that draft part, down payments). The triggers compute the same
        from the order's columns (``partner.credit.balance._order_amounts_sql``)."""
        self.ensure_one()
        open_amount = self.credit_open_amount or 0.0
        draft = self.credit_draft_amount or 0.0
        return (
            max(open_amount, 0.0),
            max(open_amount - draft, 0.0),
            draft,
            self.credit_downpayment_amount or 0.0,
        )

    def _get_credit_balance_held(self):
        """``CreditBalanceHeld`` of the saved orders ``self``, as the database holds
        them once the model's pending changes are written (here, so that the write that
        follows is the model's only pending change when the gate reads the balances)."""
        self.flush_model([self._credit_partner_field, *CREDIT_BALANCE_ORDER_FIELDS])
        values = {}
        for order in self:
            counted = order._is_credit_balance_counted()
            partner = order[self._credit_partner_field].commercial_partner_id if counted else None
            values[order.id] = (
                partner.id if partner else None,
                order.company_id.id,
                order._get_credit_balance_amounts(),
            )
        return CreditBalanceHeld(self._name, values)

    def _is_credit_balance_counted(self):
        """Whether order ``self`` (one) counts in its partner's balances: as
        ``partner.credit.balance._order_contributes_sql`` decides for its row."""
        self.ensure_one()
        return self.state in self._partner_gate_states and bool(self[self._credit_partner_field])
