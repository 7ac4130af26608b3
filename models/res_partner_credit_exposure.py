# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL

# Document model -> the exposure component its amount is measured in.
CREDIT_DOCUMENT_COMPONENTS = {
    "sale.order": "sale_order",
    "purchase.order": "purchase_order",
    "account.move": None,  # customer invoices and vendor bills: see ``_credit_draft_move_sql``
    "account.payment": "prepayment",
}


class ResPartner(models.Model):
    """Exposure of commercial partners: money tied up with them, read only from open
    items and from values no order user can write (see ``credit_exposure_fields.py``).

    - The paying side decides: a sale order counts for the commercial partner of its
      invoice address, a purchase order for its vendor.
    - A company and its branches share one exposure (and the root company's limit),
      as core's ``credit`` does with ``child_of`` the root company.
    - Quantities invoiced are recounted from posted invoices; drafts never lower the
      exposure: a draft counts only for what it adds (per document, never below 0),
      the part of an order a draft invoices stays counted (in the draft component when
      its switch is on, in the order otherwise).
    - Cost follows open business: unreconciled journal items through core's partial
      index, draft documents through their own partial index, orders with something
      left to invoice through the partial indexes below; settled history is not read.
    """

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_credit_companies(self):
        """The current company's root and all its branches: they share one exposure."""
        root = self.env.company.root_id
        return tuple(self.env["res.company"].sudo().search([("id", "child_of", root.id)]).ids)

    def _get_credit_exposure_by_partner(self, documents=None):
        """Exposure of the commercial partners ``self`` in the current company and its
        branches, in the company's currency, by at most four aggregate queries whatever
        the partners' history.

        :param documents: documents of one model to measure apart (key 'documents',
            by id, summed in 'orders') and to leave out of the exposure: the orders being
            confirmed or shown in a banner, the invoice or payment being posted
        :return: {partner_id: {component: amount, ..., 'exposure': sum of the enabled
            components, 'orders': amount of ``documents``, 'documents': {id: amount}}}
        """
        result = {partner_id: self._get_credit_empty_figures() for partner_id in self.ids}
        if not self.ids:
            return result
        self._flush_credit_data()
        doc_model = documents._name if documents else None
        measured = {
            model: tuple(documents._origin.ids) if doc_model == model else ()
            for model in CREDIT_DOCUMENT_COMPONENTS
        }
        companies = self._get_credit_companies()
        self._add_credit_open_items(result, companies)
        self._add_credit_draft_moves(result, companies, measured["account.move"])
        self._add_credit_orders(result, companies, measured)
        if measured["account.payment"]:
            self._add_credit_payments(result, documents)
        for figures in result.values():
            self._round_credit_figures(figures)
        return result

    @api.model
    def _add_credit_payments(self, result, payments):
        """A payment to a supplier adds what it takes the supplier's prepayments up by:
        paying bills that are open adds nothing."""
        paid = {}
        for payment in payments:
            partner_id = payment._get_credit_partner().id
            if partner_id not in result:
                continue
            before = result[partner_id]["payable"] + paid.get(partner_id, 0.0)
            amount = payment._get_credit_amount()
            paid[partner_id] = paid.get(partner_id, 0.0) + amount
            result[partner_id]["documents"][payment.id] = max(before + amount, 0.0) - max(before, 0.0)

    @api.model
    def _add_credit_amount(self, result, partner_id, key, amount, document_id=None):
        if partner_id not in result:
            # A measured document of another partner (e.g. the order of an ordering
            # partner who does not pay): it is measured for the paying partner.
            return
        if document_id:
            documents = result[partner_id]["documents"]
            documents[document_id] = documents.get(document_id, 0.0) + (amount or 0.0)
        else:
            result[partner_id][key] += amount or 0.0

    def _add_credit_open_items(self, result, companies):
        company = self.env.company
        if not (company.partner_credit_receivable or company.partner_credit_prepayment):
            return
        query = self._credit_open_item_sql(companies, tuple(self.ids))
        for partner_id, receivable, payable in self.env.execute_query(query):
            self._add_credit_amount(result, partner_id, "receivable", receivable)
            self._add_credit_amount(result, partner_id, "payable", payable)

    def _add_credit_draft_moves(self, result, companies, move_ids):
        company = self.env.company
        if not (company.partner_credit_draft_invoice or company.partner_credit_draft_bill or move_ids):
            return
        query = self._credit_draft_move_sql(companies, tuple(self.ids), move_ids or (0,))
        for partner_id, move_id, draft_invoice, draft_bill in self.env.execute_query(query):
            if move_id:
                self._add_credit_amount(
                    result, partner_id, None, (draft_invoice or 0.0) + (draft_bill or 0.0), move_id
                )
            else:
                self._add_credit_amount(result, partner_id, "draft_invoice", draft_invoice)
                self._add_credit_amount(result, partner_id, "draft_bill", draft_bill)

    def _add_credit_orders(self, result, companies, measured):
        company = self.env.company
        switches = dict(self._credit_components)
        order_queries = (
            ("sale.order", "sale_order", "draft_invoice", self._credit_sale_line_sql),
            ("purchase.order", "purchase_order", "draft_bill", self._credit_purchase_line_sql),
        )
        for model, key, draft_key, query in order_queries:
            if not company[switches[key]] and not measured[model]:
                continue
            sql = query(
                companies,
                tuple(self.ids),
                measured[model] or (0,),
                company[switches[draft_key]],
            )
            for partner_id, order_id, amount, draft_amount, downpayment in self.env.execute_query(sql):
                if order_id:
                    self._add_credit_amount(
                        result, partner_id, None, (amount or 0.0) + (draft_amount or 0.0), order_id
                    )
                    continue
                self._add_credit_amount(result, partner_id, key, amount)
                self._add_credit_amount(result, partner_id, draft_key, draft_amount)
                if model == "purchase.order":
                    # Paid supplier down payments are prepayments until deducted.
                    self._add_credit_amount(result, partner_id, "downpayment", downpayment)

    @api.model
    def _round_credit_figures(self, figures):
        company = self.env.company
        currency = company.currency_id
        # Money paid to the supplier and not yet matched with bills, plus supplier down
        # payments invoiced and not yet deducted from a final bill.
        payable = figures.pop("payable", 0.0)
        figures["prepayment"] = max(payable, 0.0) + max(figures.pop("downpayment", 0.0), 0.0)
        for key, switch in self._credit_components:
            figures[key] = currency.round(figures[key]) if company[switch] else 0.0
        documents = figures["documents"]
        figures["documents"] = {doc: currency.round(amount) for doc, amount in documents.items()}
        figures["orders"] = currency.round(sum(figures["documents"].values()))
        components = [figures[key] for key, _switch in self._credit_components]
        figures["exposure"] = currency.round(sum(components))

    @api.model
    def _get_credit_empty_figures(self):
        keys = [key for key, _switch in self._credit_components]
        figures = dict.fromkeys(keys + ["exposure", "orders", "payable", "downpayment"], 0.0)
        figures["documents"] = {}
        return figures

    # ------------------------------------------------------------
    # TOOLING: exposure queries
    # ------------------------------------------------------------

    @api.model
    def _flush_credit_data(self):
        """The exposure queries read these columns directly: write pending changes."""
        self.env["account.move.line"].flush_model(
            [
                "amount_residual",
                "parent_state",
                "reconciled",
                "partner_id",
                "company_id",
                "account_id",
                "move_id",
                "display_type",
                "quantity",
                "price_total",
                "balance",
                "amount_currency",
                "product_uom_id",
                "purchase_line_id",
                "sale_line_ids",
            ]
        )
        self.env["account.move"].flush_model(["move_type", "state", "partner_id", "company_id"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["sale.order.line"].flush_model(
            [
                "order_id",
                "product_uom_qty",
                "product_uom_id",
                "price_total",
                "is_downpayment",
                "display_type",
                "invoice_lines",
            ]
        )
        self.env["sale.order"].flush_model(
            ["partner_invoice_id", "company_id", "state", "invoice_status", "currency_rate"]
        )
        self.env["purchase.order.line"].flush_model(
            [
                "order_id",
                "partner_id",
                "company_id",
                "product_qty",
                "product_uom_id",
                "qty_invoiced",
                "price_total",
                "is_downpayment",
                "display_type",
            ]
        )
        self.env["purchase.order"].flush_model(["partner_id", "company_id", "state", "currency_rate"])
        self.env["uom.uom"].flush_model(["factor"])
        self.flush_model(["commercial_partner_id"])

    @api.model
    def _credit_partner_sql(self, partner_ids):
        """Array of the ids of the commercial partners ``partner_ids`` and of their
        contacts. Compared with ``= ANY(...)``, it is computed once (an InitPlan) and
        becomes an index condition, where ``IN (SELECT ...)`` would turn into a join."""
        return SQL("ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id IN %s)", partner_ids)

    @api.model
    def _credit_open_item_sql(self, companies, partner_ids):
        """Per commercial partner: residual of its posted, unreconciled receivable and
        payable journal items (payable positive when we paid more than we were billed).

        The WHERE clause matches core's partial index on unreconciled items
        (``account_id, partner_id WHERE reconciled IS NOT TRUE``) with both columns as
        index conditions: settled history and the (never reconciled) income and tax
        items are not read, and ``parent_state`` is on the item itself (no join to the
        move)."""
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   SUM(aml.amount_residual) FILTER (WHERE a.account_type = 'asset_receivable'),
                   SUM(aml.amount_residual) FILTER (WHERE a.account_type = 'liability_payable')
              FROM account_move_line aml
              JOIN account_account a ON a.id = aml.account_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE aml.reconciled IS NOT TRUE
               AND aml.account_id = ANY(ARRAY(
                    SELECT id FROM account_account
                     WHERE account_type IN ('asset_receivable', 'liability_payable')))
               AND aml.partner_id = ANY(%(partners)s)
               AND aml.parent_state = 'posted'
               AND aml.company_id IN %(companies)s
             GROUP BY p.commercial_partner_id
            """,
            partners=self._credit_partner_sql(partner_ids),
            companies=companies,
        )

    @api.model
    def _credit_draft_move_sql(self, companies, partner_ids, move_ids):
        """Per commercial partner (and per move of ``move_ids``, measured apart): what
        draft customer invoices and draft vendor bills add that no order counts yet.

        A move counts the lines that come from no order, in company currency, signed by
        its type, and never less than 0: a draft credit note or a negative line lowers
        nothing. The lines that come from orders are counted through their orders."""
        return SQL(
            """
            WITH move_ids AS (
                -- Drafts through the partial index on draft moves; the measured moves
                -- apart (no OR on the state, which would defeat the index).
                SELECT m.id FROM account_move m
                 WHERE m.state = 'draft'
                   AND m.partner_id = ANY(%(partners)s)
                   AND m.company_id IN %(companies)s
                UNION
                SELECT m.id FROM account_move m WHERE m.id IN %(moves)s
            ), moves AS (
                SELECT m.id, m.move_type, p.commercial_partner_id,
                       m.id IN %(moves)s AS is_measured
                  FROM move_ids
                  JOIN account_move m ON m.id = move_ids.id
                  JOIN res_partner p ON p.id = m.partner_id
                 WHERE m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
            ), amounts AS (
                SELECT moves.id, moves.commercial_partner_id, moves.is_measured,
                       moves.move_type IN ('out_invoice', 'out_refund') AS is_customer,
                       GREATEST(SUM(
                           CASE WHEN moves.move_type IN ('out_refund', 'in_refund') THEN -1 ELSE 1 END
                           * aml.price_total
                           * COALESCE(aml.balance / NULLIF(aml.amount_currency, 0), 1)
                       ), 0) AS amount
                  FROM moves
                  JOIN account_move_line aml ON aml.move_id = moves.id
                 WHERE aml.display_type = 'product'
                   AND aml.purchase_line_id IS NULL
                   AND NOT EXISTS (
                        SELECT 1 FROM sale_order_line_invoice_rel rel WHERE rel.invoice_line_id = aml.id)
                 GROUP BY moves.id, moves.commercial_partner_id, moves.is_measured, moves.move_type
            )
            SELECT commercial_partner_id, CASE WHEN is_measured THEN id END,
                   SUM(amount) FILTER (WHERE is_customer), SUM(amount) FILTER (WHERE NOT is_customer)
              FROM amounts
             WHERE is_measured OR (is_customer AND %(draft_invoice)s) OR (NOT is_customer AND %(draft_bill)s)
             GROUP BY commercial_partner_id, CASE WHEN is_measured THEN id END
            """,
            moves=move_ids,
            partners=self._credit_partner_sql(partner_ids),
            companies=companies,
            draft_invoice=self.env.company.partner_credit_draft_invoice,
            draft_bill=self.env.company.partner_credit_draft_bill,
        )

    @api.model
    def _credit_order_line_sql(self, candidates, order_ids, draft_counted, tables):
        """Per commercial partner (and per order of ``order_ids``, measured apart): the
        orders' amount not yet invoiced, tax included, converted at the order's rate.

        - Quantities invoiced are recounted from the order line's invoice lines (posted
          invoices and refunds), converted to the line's unit: the stored
          ``qty_invoiced`` counts drafts, which never lower the exposure.
        - The quantity a draft invoice takes from the line moves to the draft component
          when ``draft_counted`` (at the order's price), stays on the order otherwise.
        - A down payment line (no quantity) counts minus what its posted invoices, net of
          their deduction, invoiced: that money is in the receivables/payables. Its
          opposite is returned apart ('downpayment': paid supplier down payments are
          prepayments until the final bill deducts them).
        - An order never counts below 0.

        Returns rows (partner, order id or NULL, order amount, draft amount, down payments).
        """
        return SQL(
            """
            WITH lines AS (
                SELECT l.id, l.order_id, l.%(qty)s AS qty, l.price_total, l.product_uom_id,
                       l.is_downpayment IS TRUE AND l.%(qty)s = 0 AS is_dp
                  FROM %(line_table)s l
                 WHERE l.id IN (%(candidates)s) AND l.display_type IS NULL
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
                       CASE WHEN %(draft_counted)s THEN COALESCE(inv.draft_amount, 0) ELSE 0 END AS draft_dp
                  FROM lines
                  LEFT JOIN invoiced inv ON inv.line_id = lines.id
            ), order_amounts AS (
                SELECT la.order_id,
                       SUM(CASE WHEN la.is_dp THEN -la.posted_amount - la.draft_dp
                                WHEN %(draft_counted)s
                                THEN (la.open_qty - LEAST(la.draft_qty, la.open_qty)) * la.unit
                                ELSE la.open_qty * la.unit END) AS amount,
                       SUM(CASE WHEN la.is_dp THEN la.draft_dp
                                WHEN %(draft_counted)s THEN LEAST(la.draft_qty, la.open_qty) * la.unit
                                ELSE 0 END) AS draft_amount,
                       SUM(CASE WHEN la.is_dp THEN la.posted_amount ELSE 0 END) AS downpayment
                  FROM line_amounts la
                 GROUP BY la.order_id
            ), per_order AS (
                SELECT p.commercial_partner_id AS partner_id,
                       CASE WHEN o.id IN %(orders)s THEN o.id END AS order_id,
                       GREATEST(oa.amount, 0) / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount,
                       oa.draft_amount / COALESCE(NULLIF(o.currency_rate, 0), 1) AS draft_amount,
                       oa.downpayment / COALESCE(NULLIF(o.currency_rate, 0), 1) AS downpayment
                  FROM order_amounts oa
                  JOIN %(order_table)s o ON o.id = oa.order_id
                  JOIN res_partner p ON p.id = o.%(partner_field)s
                 WHERE (o.state IN %(states)s OR o.id IN %(orders)s)
            )
            SELECT partner_id, order_id, SUM(amount), SUM(draft_amount), SUM(downpayment)
              FROM per_order
             GROUP BY partner_id, order_id
            """,
            candidates=candidates,
            orders=order_ids,
            draft_counted=draft_counted,
            **tables,
        )

    @api.model
    def _credit_sale_line_sql(self, companies, partner_ids, order_ids, draft_counted):
        # Confirmed orders of the paying partner not fully invoiced (partial index), the
        # orders a draft invoice comes from (a draft does not lower the exposure) and
        # the orders measured.
        candidates = SQL(
            """
            SELECT l.id FROM sale_order_line l
             WHERE l.order_id IN (
                    SELECT o.id FROM sale_order o
                     WHERE o.state = 'sale' AND o.invoice_status <> 'invoiced'
                       AND o.partner_invoice_id = ANY(%(partners)s)
                       AND o.company_id IN %(companies)s
                    UNION
                    SELECT sl.order_id
                      FROM account_move m
                      JOIN account_move_line ml ON ml.move_id = m.id
                      JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = ml.id
                      JOIN sale_order_line sl ON sl.id = rel.order_line_id
                     WHERE m.state = 'draft' AND m.company_id IN %(companies)s
                       AND m.move_type IN ('out_invoice', 'out_refund')
                    UNION
                    SELECT o.id FROM sale_order o WHERE o.id IN %(orders)s)
            """,
            partners=self._credit_partner_sql(partner_ids),
            companies=companies,
            orders=order_ids,
        )
        return self._credit_order_line_sql(
            candidates,
            order_ids,
            draft_counted,
            {
                "line_table": SQL.identifier("sale_order_line"),
                "order_table": SQL.identifier("sale_order"),
                "partner_field": SQL.identifier("partner_invoice_id"),
                "qty": SQL.identifier("product_uom_qty"),
                "states": ("sale",),
                "invoice_types": ("out_invoice",),
                "refund_types": ("out_refund",),
                "invoice_links": SQL(
                    "sale_order_line_invoice_rel rel ON rel.order_line_id = lines.id "
                    "JOIN account_move_line il ON il.id = rel.invoice_line_id"
                ),
            },
        )

    @api.model
    def _credit_purchase_line_sql(self, companies, partner_ids, order_ids, draft_counted):
        # Purchase order lines of the vendor not fully billed (partial index; the order's
        # billing status cannot tell: a received-and-billed part marks it billed), the
        # lines a draft bill comes from and the orders measured.
        candidates = SQL(
            """
            SELECT l.id FROM purchase_order_line l
             WHERE l.qty_invoiced <> l.product_qty AND l.display_type IS NULL
               AND l.partner_id = ANY(%(partners)s)
               AND l.company_id IN %(companies)s
            UNION
            SELECT ml.purchase_line_id
              FROM account_move m
              JOIN account_move_line ml ON ml.move_id = m.id
             WHERE m.state = 'draft' AND m.company_id IN %(companies)s
               AND m.move_type IN ('in_invoice', 'in_refund')
               AND ml.purchase_line_id IS NOT NULL
            UNION
            SELECT l.id FROM purchase_order_line l WHERE l.order_id IN %(orders)s
            """,
            partners=self._credit_partner_sql(partner_ids),
            companies=companies,
            orders=order_ids,
        )
        return self._credit_order_line_sql(
            candidates,
            order_ids,
            draft_counted,
            {
                "line_table": SQL.identifier("purchase_order_line"),
                "order_table": SQL.identifier("purchase_order"),
                "partner_field": SQL.identifier("partner_id"),
                "qty": SQL.identifier("product_qty"),
                "states": ("to approve", "purchase"),
                "invoice_types": ("in_invoice",),
                "refund_types": ("in_refund",),
                "invoice_links": SQL("account_move_line il ON il.purchase_line_id = lines.id"),
            },
        )
