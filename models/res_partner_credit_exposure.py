# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from functools import partial

from odoo import api, models
from odoo.tools import SQL

from .partner_credit_balance import (
    CREDIT_BALANCE_ITEM_FIELDS,
    CREDIT_BALANCE_MOVE_FIELDS,
    CREDIT_BALANCE_ORDER_FIELDS,
    CREDIT_BALANCE_ORDER_MODELS,
    ITEM_SOURCE,
    MOVE_SOURCE,
)
from .partner_order_credit_amount import CreditBalanceHeld

# The exposure statement's relation of the partners checked and their contacts.
CREDIT_CONTACTS = "credit_contacts"

# Order model -> the exposure component of the part of its orders draft documents take.
CREDIT_ORDER_DRAFT_COMPONENTS = {"sale.order": "draft_invoice", "purchase.order": "draft_bill"}

# Document model -> the exposure component its amount is measured in.
CREDIT_DOCUMENT_COMPONENTS = {
    "sale.order": "sale_order",
    "purchase.order": "purchase_order",
    "account.move": None,  # customer invoices and vendor bills: see ``_credit_measured_move_sql``
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
    - Cost is a handful of rows per partner, whatever its business: the open journal
      items, the open orders and the draft invoices and bills are summed by the database
      as they change (per partner, company and account or document model, see
      ``partner_credit_balance.py``); the overdue part is read from the open receivables
      (it needs their due dates). Settled history is never read.
    """

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_credit_companies(self):
        """SQL array of the current company's root and its active branches: they share
        one exposure. A constant from the settings cache (cleared when a company is
        created, archived or restored): a sub-select in each part of the statement
        would be planned again at every check."""
        return SQL("%s::int[]", list(self.env.company._get_credit_settings()["credit_company_ids"]))

    def _get_credit_exposure_by_partner(
        self, documents=None, overdue=False, extra_parts=(), ctes=(), held=None
    ):
        """Exposure of the commercial partners ``self`` in the current company and its
        branches, in the company's currency, by one query whatever the partners'
        history (one aggregate per kind of open item, see ``_get_credit_exposure_parts``).

        :param documents: documents of one model to measure apart (key 'documents',
            by id, summed in 'orders') and to leave out of the exposure: the orders being
            confirmed or shown in a banner, the invoice or payment being posted
        :param overdue: read the overdue receivables too (key 'overdue', when any:
            see ``_get_credit_overdue_by_partner``)
        :param extra_parts: other reads run in the same statement, as the exposure's own
            parts: [(query, handler)] (see ``_get_credit_exposure_parts``)
        :param ctes: [SQL] top-level common table expressions of the statement (a
            data-modifying one such as the credit lock must be at the top level)
        :param held: ``CreditBalanceHeld`` of the orders ``documents``, read just before
            their write (the gate's): they are measured without being written first
        :return: {partner_id: {component: amount, ..., 'exposure': sum of the enabled
            components, 'orders': amount of ``documents``, 'documents': {id: amount}}}
        """
        blank = self._get_credit_empty_figures()
        result = {partner_id: dict(blank, documents={}) for partner_id in self.ids}
        if not self.ids:
            return result
        doc_model = documents._name if documents else None
        if not self._is_credit_held_usable(held, documents):
            held = None
        self._flush_credit_data(held_model=held.model if held else None)
        measured = {
            model: tuple(documents._origin.ids) if doc_model == model else ()
            for model in CREDIT_DOCUMENT_COMPONENTS
        }
        companies = self._get_credit_companies()
        # The partners and their contacts, read once for every part: each part joining
        # res_partner (and its many indexes) again costs more to plan than to run.
        contacts = SQL.identifier(CREDIT_CONTACTS)
        parts = self._get_credit_exposure_parts(companies, measured, contacts, held)
        if overdue:
            parts.append((self._credit_overdue_sql(companies, contacts), self._add_credit_overdue_row))
        parts += extra_parts
        if parts:
            query = SQL(" UNION ALL ").join(
                SQL("(SELECT %s AS part, q.* FROM (%s) q)", index, query)
                for index, (query, _handler) in enumerate(parts)
            )
            query = SQL(
                "WITH %s %s",
                SQL(", ").join([self._credit_contacts_cte(contacts), *ctes]),
                query,
            )
            # A statement taking the credit lock may fail on a concurrent check: an
            # expected conflict its caller turns into a replay (see partner.credit.lock),
            # not a bad query to log.
            self.env.cr.execute(query, log_exceptions=not ctes)
            for index, partner_id, document_id, *amounts in self.env.cr.fetchall():
                parts[index][1](result, partner_id, document_id, *amounts)
        if held:
            self._add_credit_measured_orders(result, documents, held)
        if measured["account.payment"]:
            self._add_credit_payments(result, documents)
        # Partners without any open item (most of a list) share the rounded zeros.
        empty = None
        for partner_id, figures in result.items():
            if figures != blank:
                self._round_credit_figures(figures)
                continue
            if empty is None:
                empty = dict(blank, documents={})
                self._round_credit_figures(empty)
            result[partner_id] = dict(empty, documents={})
        return result

    def _get_credit_exposure_parts(self, companies, measured, contacts, held=None):
        """The aggregates the exposure reads, run as one statement: [(query, handler)].
        Each query returns rows (commercial partner, measured document id or NULL, three
        amounts); ``handler(result, partner_id, document_id, a, b, c)`` adds one row to
        the result.

        :param contacts: SQL relation (id, commercial_partner_id) of the partners ``self``
            and their contacts (see ``_credit_contacts_cte``)
        :param held: ``CreditBalanceHeld`` of the measured orders: they are measured in
            Python then (``_add_credit_measured_orders``), not by a part
        """
        settings = self.env.company._get_credit_settings()
        switches = dict(self._credit_components)
        parts = []
        # The open items, open orders and drafts are one read of the balances.
        sources, net_sources = [], []
        if settings["partner_credit_receivable"] or settings["partner_credit_prepayment"]:
            sources.append(ITEM_SOURCE)
        if settings["partner_credit_draft_invoice"] or settings["partner_credit_draft_bill"]:
            sources.append(MOVE_SOURCE)
        for model, draft_key in CREDIT_ORDER_DRAFT_COMPONENTS.items():
            if settings[switches[self.env[model]._credit_exposure_component]] or measured[model]:
                sources.append(model)
                if settings[switches[draft_key]]:
                    net_sources.append(model)
        if sources:
            query = self._credit_balance_sql(companies, contacts, sources, net_sources)
            parts.append((query, partial(self._add_credit_balance_row, sources)))
        # Measured moves (an invoice being posted or shown): read by id and taken out of
        # the drafts the balances hold. An order's check reads no move.
        if move_ids := measured["account.move"]:
            query = self._credit_measured_move_sql(companies, contacts, list(move_ids))
            parts.append((query, partial(self._add_credit_measured_move_row, MOVE_SOURCE in sources)))
        for model, draft_key in CREDIT_ORDER_DRAFT_COMPONENTS.items():
            if measured[model] and not held:
                orders = self.env[model]
                query = orders._get_credit_measured_order_sql(
                    companies, contacts, list(measured[model]), model in net_sources
                )
                key = orders._credit_exposure_component
                parts.append((query, partial(self._add_credit_order_row, key, draft_key)))
        return parts

    @api.model
    def _is_credit_held_usable(self, held, documents):
        """Whether ``held`` covers the saved orders ``documents``: else every pending
        change is written before the balances are read."""
        return (
            isinstance(held, CreditBalanceHeld)
            and bool(documents)
            and held.model == documents._name
            and all(doc_id in held for doc_id in documents._origin.ids)
        )

    def _add_credit_measured_orders(self, result, documents, held):
        """Measure the orders ``documents`` the gate checks apart, at their amounts now
        (in the request's cache: they were just written), and take out of their
        partners' sums what the balances the statement read hold of them (``held``,
        read before their write)."""
        settings = self.env.company._get_credit_settings()
        key = documents._credit_exposure_component
        draft_key = CREDIT_ORDER_DRAFT_COMPONENTS[documents._name]
        draft_counted = settings[dict(self._credit_components)[draft_key]]
        companies = settings["credit_company_ids"]

        def amounts(values):
            amount, amount_net, draft, downpayment = values
            return (amount_net, draft, downpayment) if draft_counted else (amount, 0.0, downpayment)

        for order in documents._origin.sudo():
            partner_id = order[order._credit_partner_field].commercial_partner_id.id
            amount, draft, _downpayment = amounts(order._get_credit_balance_amounts())
            self._add_credit_amount(result, partner_id, None, amount + draft, order.id)
            counted_partner_id, company_id, values = held[order.id]
            if counted_partner_id and company_id in companies:
                amount, draft, downpayment = amounts(values)
                self._add_credit_order_row(
                    key, draft_key, result, counted_partner_id, None, -amount, -draft, -downpayment
                )

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

    @api.model
    def _add_credit_balance_row(self, sources, result, partner_id, source_index, amount, other, downpayment):
        source = sources[source_index - 1]
        if source == ITEM_SOURCE:
            self._add_credit_amount(result, partner_id, "receivable", amount)
            self._add_credit_amount(result, partner_id, "payable", other)
            return
        if source == MOVE_SOURCE:
            self._add_credit_amount(result, partner_id, "draft_invoice", amount)
            self._add_credit_amount(result, partner_id, "draft_bill", other)
            return
        key = self.env[source]._credit_exposure_component
        self._add_credit_order_row(
            key, CREDIT_ORDER_DRAFT_COMPONENTS[source], result, partner_id, None, amount, other, downpayment
        )

    @api.model
    def _add_credit_overdue_row(self, result, partner_id, _document_id, days, amount, _unused):
        if partner_id in result:
            # Whole days (the statement's columns share one numeric type).
            result[partner_id]["overdue"] = (int(days or 0), amount or 0.0)

    @api.model
    def _add_credit_measured_move_row(
        self, drafts_read, result, partner_id, move_id, draft_invoice, draft_bill, _unused
    ):
        """A measured draft: its amount is the document's, and no longer the drafts'
        (``drafts_read``: the balances' drafts were read by the statement)."""
        amount = (draft_invoice or 0.0) + (draft_bill or 0.0)
        self._add_credit_amount(result, partner_id, None, amount, move_id)
        if drafts_read:
            self._add_credit_amount(result, partner_id, "draft_invoice", -(draft_invoice or 0.0))
            self._add_credit_amount(result, partner_id, "draft_bill", -(draft_bill or 0.0))

    @api.model
    def _add_credit_order_row(self, key, draft_key, result, partner_id, order_id, amount, draft, downpayment):
        if order_id:
            self._add_credit_amount(result, partner_id, None, (amount or 0.0) + (draft or 0.0), order_id)
            return
        self._add_credit_amount(result, partner_id, key, amount)
        self._add_credit_amount(result, partner_id, draft_key, draft)
        if key == "purchase_order":
            # Paid supplier down payments are prepayments until deducted.
            self._add_credit_amount(result, partner_id, "downpayment", downpayment)

    @api.model
    def _round_credit_figures(self, figures):
        settings = self.env.company._get_credit_settings()
        round_amount = self._round_credit_amount
        # Money paid to the supplier and not yet matched with bills, plus supplier down
        # payments invoiced and not yet deducted from a final bill.
        payable = figures.pop("payable", 0.0)
        figures["prepayment"] = max(payable, 0.0) + max(figures.pop("downpayment", 0.0), 0.0)
        for key, switch in self._credit_components:
            figures[key] = round_amount(figures[key]) if settings[switch] and figures[key] else 0.0
        documents = figures["documents"]
        figures["documents"] = {doc: round_amount(amount) for doc, amount in documents.items()}
        figures["orders"] = round_amount(sum(figures["documents"].values()))
        components = [figures[key] for key, _switch in self._credit_components]
        figures["exposure"] = round_amount(sum(components))

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
    def _flush_credit_data(self, held_model=None):
        """The statement reads these columns directly: write pending changes. The
        balances are written by the database when the rows they sum are written (see
        ``partner.credit.balance``): the columns their triggers watch are flushed.

        :param held_model: an order model whose balances the caller read just before
            its only pending write (see ``CreditBalanceHeld``): not written here
        """
        # The overdue part reads the open receivables' due dates too.
        self.env["account.move.line"].flush_model([*CREDIT_BALANCE_ITEM_FIELDS, "date_maturity"])
        self.env["account.move"].flush_model(CREDIT_BALANCE_MOVE_FIELDS)
        self.env["account.account"].flush_model(["account_type"])
        for model in CREDIT_BALANCE_ORDER_MODELS:
            if model != held_model:
                orders = self.env[model]
                orders.flush_model([orders._credit_partner_field, *CREDIT_BALANCE_ORDER_FIELDS])
        self.flush_model(["commercial_partner_id"])

    def _credit_contacts_cte(self, contacts):
        """Common table expression ``contacts`` (id, commercial_partner_id): the
        commercial partners ``self`` and their contacts, read once by the statement."""
        return SQL(
            "%s AS (SELECT id, commercial_partner_id FROM res_partner WHERE commercial_partner_id = ANY(%s))",
            contacts,
            list(self.ids),
        )

    @api.model
    def _credit_balance_sql(self, companies, contacts, sources, net_sources):
        """Per commercial partner of ``contacts`` (see ``_credit_contacts_cte``) and per
        source of ``sources`` (its position in the list, from 1), what the balances the
        database maintains hold (``partner.credit.balance``: a few rows per partner,
        however many items and orders are open):

        - journal items: residual of the posted, unreconciled receivable and payable
          items (payable positive when we paid more than we were billed); the account's
          type is read here, so that an account whose type changes counts as it is now;
        - orders: what they still commit the company to (net of what draft invoices
          take, and that draft part, for the models of ``net_sources``), and their
          down payments;
        - draft invoices and bills: what they add that no order counts, customer drafts
          in the first amount, vendor drafts in the second.
        """
        return SQL(
            """
            SELECT c.commercial_partner_id, array_position(%(sources)s::varchar[], b.source),
                   SUM(CASE WHEN b.source = %(item)s
                            THEN CASE WHEN a.account_type = 'asset_receivable' THEN b.amount END
                            WHEN b.source = ANY(%(net_sources)s::varchar[]) THEN b.amount_net
                            ELSE b.amount END),
                   SUM(CASE WHEN b.source = %(item)s
                            THEN CASE WHEN a.account_type = 'liability_payable' THEN b.amount END
                            WHEN b.source = ANY(%(net_sources)s::varchar[]) OR b.source = %(move)s
                            THEN b.draft
                            ELSE 0 END),
                   SUM(b.downpayment)
              FROM partner_credit_balance b
              JOIN %(contacts)s c ON c.id = b.partner_id
              LEFT JOIN account_account a ON a.id = b.account_id
             WHERE b.partner_id = ANY(ARRAY(SELECT id FROM %(contacts)s))
               AND b.source = ANY(%(sources)s::varchar[])
               AND b.company_id = ANY(%(companies)s)
               AND (b.source <> %(item)s OR a.account_type IN ('asset_receivable', 'liability_payable'))
             GROUP BY c.commercial_partner_id, b.source
            """,
            sources=list(sources),
            net_sources=list(net_sources),
            item=ITEM_SOURCE,
            move=MOVE_SOURCE,
            contacts=contacts,
            companies=companies,
        )

    @api.model
    def _credit_measured_move_sql(self, companies, contacts, move_ids):
        """Per commercial partner of ``contacts`` and per move of ``move_ids`` (read by
        primary key): what each of them, still a draft, adds that no order counts, as a
        customer draft then as a vendor draft (``partner.credit.balance``'s columns)."""
        return SQL(
            """
            SELECT c.commercial_partner_id, m.id, %(amounts)s, NULL::numeric
              FROM account_move m
              JOIN %(contacts)s c ON c.id = m.partner_id
             WHERE m.id = ANY(%(move_ids)s::int[])
               AND m.state = 'draft'
               AND m.company_id = ANY(%(companies)s)
               AND m.credit_draft_amount <> 0
            """,
            amounts=self.env["partner.credit.balance"]._move_amounts_sql("m"),
            move_ids=move_ids,
            contacts=contacts,
            companies=companies,
        )
