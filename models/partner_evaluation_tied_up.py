# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class PartnerEvaluation(models.Model):
    """The money tied up with a partner at the end of a period, by the credit gate's
    definition (open items plus orders not yet invoiced or billed), and the days of the
    period spent over the limit then in force."""

    _inherit = "partner.evaluation"

    fact_days_over_limit = fields.Integer(
        string="Days over the Limit",
        readonly=True,
        copy=False,
        help="Days of the period on which the receivables and prepayments were above the "
        "credit limit in force at the end of the period.",
    )

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _get_tied_up_end(self, partners, company, date_to, ledger_end):
        """{partner id: exposure at the end of the period}. A period ending today or
        later is measured by the credit gate's own function; a past one from the same
        components as they stood then: the open items of the ledger (``ledger_end``)
        plus the orders confirmed by then and not yet invoiced or billed by then (drafts
        of that time are not known any more)."""
        if date_to >= fields.Date.context_today(self):
            exposures = partners.sudo().with_company(company)._get_credit_exposure_by_partner()
            return {pid: figures["exposure"] for pid, figures in exposures.items()}
        result = dict(ledger_end)
        if not partners:
            return result
        start, end = self._get_period_bounds(company, date_to, date_to)
        # The queries read orders, their lines, invoice lines, moves and units.
        self.env.flush_all()
        params = {
            "company": company.id,
            "partners": tuple(partners.ids),
            "end": end,
            "date_to": date_to,
        }
        queries = []
        if company.partner_credit_sale_order:
            queries.append(self._tied_up_sale_sql(params))
        if company.partner_credit_purchase_order:
            queries.append(self._tied_up_purchase_sql(params))
        for query in queries:
            for pid, amount in self.env.execute_query(query):
                result[pid] = result.get(pid, 0.0) + (amount or 0.0)
        currency = company.currency_id
        return {pid: currency.round(amount) for pid, amount in result.items()}

    @api.model
    def _tied_up_order_sql(self, orders, lines, date_to):
        """Per commercial partner: what ``lines`` (partner, order, line ``id``, unit of
        measure, quantity, rate, unit price tax included) of the order model ``orders``
        leave to invoice at ``date_to``, never below 0 per order. The invoices of all the
        lines are summed in one pass, not line by line."""
        return SQL(
            """
            WITH lines AS (%(lines)s),
            invoiced AS (%(invoiced)s),
            per_order AS (
                SELECT l.partner_id, l.order_id,
                       GREATEST(SUM(GREATEST(l.qty - COALESCE(i.qty, 0), 0) * l.unit), 0)
                       / COALESCE(NULLIF(MAX(l.rate), 0), 1) AS amount
                  FROM lines l
                  LEFT JOIN invoiced i ON i.line_id = l.id
                 GROUP BY l.partner_id, l.order_id
            )
            SELECT partner_id, SUM(amount) FROM per_order GROUP BY partner_id
            """,
            lines=lines,
            invoiced=self._tied_up_invoiced_sql(orders, date_to),
        )

    @api.model
    def _tied_up_invoiced_sql(self, orders, date_to):
        """(line, quantity invoiced by ``date_to`` in the line's unit) of the relation
        ``lines`` of the order model ``orders``: its posted invoices add, its posted
        refunds take back, as the credit gate counts them (see
        ``partner.order.gate.mixin._get_credit_open_amount_sql``)."""
        return SQL(
            """
            SELECT lines.id AS line_id,
                   SUM(CASE WHEN m.move_type IN %(refund_types)s THEN -1 ELSE 1 END
                       * il.quantity * COALESCE(iu.factor / NULLIF(lu.factor, 0), 1)) AS qty
              FROM lines
              JOIN %(invoice_links)s
              JOIN account_move m ON m.id = il.move_id
              LEFT JOIN uom_uom iu ON iu.id = il.product_uom_id
              LEFT JOIN uom_uom lu ON lu.id = lines.uom_id
             WHERE m.state = 'posted' AND m.date <= %(date_to)s
               AND (m.move_type IN %(invoice_types)s OR m.move_type IN %(refund_types)s)
             GROUP BY lines.id
            """,
            invoice_links=orders._get_credit_invoice_link_sql(),
            invoice_types=orders._credit_invoice_types,
            refund_types=orders._credit_refund_types,
            date_to=date_to,
        )

    @api.model
    def _tied_up_sale_sql(self, params):
        lines = SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, o.id AS order_id, l.id,
                   l.product_uom_id AS uom_id, l.product_uom_qty AS qty, o.currency_rate AS rate,
                   CASE WHEN l.product_uom_qty = 0 THEN 0
                        ELSE l.price_total / l.product_uom_qty END AS unit
              FROM sale_order o
              JOIN sale_order_line l ON l.order_id = o.id AND l.display_type IS NULL
                   AND NOT l.is_downpayment IS TRUE
              JOIN res_partner p ON p.id = o.partner_invoice_id
             WHERE o.state = 'sale' AND o.company_id = %(company)s
               AND o.date_order < %(end)s
               AND p.commercial_partner_id IN %(partners)s
            """,
            **params,
        )
        return self._tied_up_order_sql(self.env["sale.order"], lines, params["date_to"])

    @api.model
    def _tied_up_purchase_sql(self, params):
        lines = SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, o.id AS order_id, l.id,
                   l.product_uom_id AS uom_id, l.product_qty AS qty, o.currency_rate AS rate,
                   CASE WHEN l.product_qty = 0 THEN 0 ELSE l.price_total / l.product_qty END AS unit
              FROM purchase_order o
              JOIN purchase_order_line l ON l.order_id = o.id AND l.display_type IS NULL
                   AND NOT l.is_downpayment IS TRUE
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.state = 'purchase' AND o.company_id = %(company)s
               AND o.date_approve < %(end)s
               AND p.commercial_partner_id IN %(partners)s
            """,
            **params,
        )
        return self._tied_up_order_sql(self.env["purchase.order"], lines, params["date_to"])

    @api.model
    def _get_days_over_limit(self, partners, company, date_from, date_to, limits):
        """{partner id: days of the period with receivables and prepayments above its
        limit in ``limits``}, from the running end-of-day balances (one query)."""
        over = dict.fromkeys(partners.ids, 0)
        if not partners:
            return over
        query = SQL(
            """
            WITH daily AS (%(daily)s)
            SELECT partner_id, day,
                   GREATEST(SUM(COALESCE(rec, 0)) OVER w, 0) + GREATEST(SUM(COALESCE(pay, 0)) OVER w, 0)
              FROM daily
            WINDOW w AS (PARTITION BY partner_id ORDER BY day)
             ORDER BY partner_id, day
            """,
            daily=self._daily_balance_sql(company.id, tuple(partners.ids), date_from, date_to),
        )
        rows = self.env.execute_query(query)
        after_end = date_to + timedelta(days=1)
        for index, (pid, day, tied) in enumerate(rows):
            following = rows[index + 1] if index + 1 < len(rows) else None
            until = following[1] if following and following[0] == pid else after_end
            limit = limits.get(pid, 0.0)
            if limit and company.currency_id.compare_amounts(tied, limit) > 0:
                over[pid] += (until - day).days
        return over
