# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang


class ResPartner(models.Model):
    """Credit control: the exposure of a partner per company, its limit, the lock that
    serialises credit checks and the usage warning."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Exposure components: (key, res.company switch). Each is one column of the
    # ``_get_credit_exposure_by_partner`` result and one ``credit_<key>`` field below.
    # A new component is one entry here, one field below, one column of a query and one
    # field of the release log.
    _credit_components = (
        ("receivable", "partner_credit_receivable"),
        ("draft_invoice", "partner_credit_draft_invoice"),
        ("sale_order", "partner_credit_sale_order"),
        ("prepayment", "partner_credit_prepayment"),
        ("purchase_order", "partner_credit_purchase_order"),
        ("draft_bill", "partner_credit_draft_bill"),
    )
    _credit_groups = (
        "account.group_account_invoice,account.group_account_readonly,partner_qualification_credit.group_user"
    )

    credit_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Credit Currency",
        compute="_compute_credit_exposure",
        groups=_credit_groups,
    )
    credit_receivable = fields.Monetary(
        string="Open Receivables",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_draft_invoice = fields.Monetary(
        string="Draft Customer Invoices",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_sale_order = fields.Monetary(
        string="Sale Orders Not Invoiced",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_prepayment = fields.Monetary(
        string="Supplier Prepayments",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_purchase_order = fields.Monetary(
        string="Purchase Orders Not Billed",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_draft_bill = fields.Monetary(
        string="Draft Vendor Bills",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
        help="Money tied up with this partner in the current company: the sum of the "
        "components enabled in the settings.",
    )
    credit_unlimited = fields.Boolean(
        string="Unlimited Credit",
        compute="_compute_credit_exposure",
        groups=_credit_groups,
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_usage = fields.Float(
        string="Credit Usage (%)",
        compute="_compute_credit_exposure",
        digits=(16, 1),
        groups=_credit_groups,
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_exposure(self):
        company = self.env.company
        # New records (onchange) have no history: only saved partners are queried.
        commercial = self.commercial_partner_id._origin
        exposures = commercial._get_credit_exposure_by_partner() if commercial else {}
        for partner in self:
            figures = (
                exposures.get(partner.commercial_partner_id._origin.id) or self._get_credit_empty_figures()
            )
            limit, unlimited = partner.commercial_partner_id._get_credit_limit_info()
            partner.credit_currency_id = company.currency_id
            for key, _switch in self._credit_components:
                partner[f"credit_{key}"] = figures[key]
            partner.credit_exposure = figures["exposure"]
            partner.credit_unlimited = unlimited
            partner.credit_available = 0.0 if unlimited else limit - figures["exposure"]
            partner.credit_usage = self._get_credit_usage(figures["exposure"], limit, unlimited)

    # ------------------------------------------------------------
    # BUSINESS: limit and exposure
    # ------------------------------------------------------------

    @api.model
    def _get_credit_usage(self, amount, limit, unlimited):
        if unlimited:
            return 0.0
        if limit > 0:
            return amount * 100.0 / limit
        return 100.0 if self.env.company.currency_id.compare_amounts(amount, 0.0) > 0 else 0.0

    def _get_credit_limit_info(self):
        """(limit, unlimited) of commercial partner ``self`` in the current company."""
        limit = self.sudo().credit_limit if self else 0.0
        unlimited = not limit and not self.env.company.partner_credit_limit_required
        return limit, unlimited

    @api.model
    def _get_credit_empty_figures(self):
        figures = dict.fromkeys(
            [key for key, _switch in self._credit_components] + ["exposure", "orders"], 0.0
        )
        # Amount of each measured document (see ``documents`` below), by id.
        figures["documents"] = {}
        return figures

    def _get_credit_exposure_by_partner(self, documents=None):
        """Exposure of the commercial partners ``self`` in ``self.env.company``, in the
        company's currency, by a fixed number of aggregate queries (at most three,
        whatever the partners' history).

        :param documents: orders (of one model) to leave out of the exposure and to
            measure instead: the orders being confirmed, or the quotations of a banner
        :return: {partner_id: {component: amount, ..., 'exposure': sum of the enabled
            components, 'orders': amount of ``documents`` not yet invoiced,
            'documents': {document id: its amount}}}
        """
        company = self.env.company
        result = {partner_id: self._get_credit_empty_figures() for partner_id in self.ids}
        if not self.ids:
            return result
        partner_ids = tuple(self.ids)
        self._flush_credit_data()
        if (
            company.partner_credit_receivable
            or company.partner_credit_draft_invoice
            or (company.partner_credit_prepayment or company.partner_credit_draft_bill)
        ):
            for partner_id, receivable, payable, draft_invoice, draft_bill in self.env.execute_query(
                self._credit_move_line_sql(company, partner_ids)
            ):
                figures = result[partner_id]
                figures["receivable"] = receivable or 0.0
                figures["prepayment"] = max(payable or 0.0, 0.0)
                figures["draft_invoice"] = draft_invoice or 0.0
                figures["draft_bill"] = draft_bill or 0.0
        switches = dict(self._credit_components)
        measured = documents._credit_exposure_component if documents else None
        for key, query in self._get_credit_order_queries():
            order_ids = tuple(documents._origin.ids) if key == measured else ()
            if not company[switches[key]] and not order_ids:
                continue
            for partner_id, order_id, amount in self.env.execute_query(
                query(company, partner_ids, order_ids or (0,))
            ):
                if order_id is None:
                    result[partner_id][key] = amount or 0.0
                else:
                    result[partner_id]["documents"][order_id] = company.currency_id.round(amount or 0.0)
        rounding = company.currency_id.round
        for figures in result.values():
            for key, switch in self._credit_components:
                figures[key] = rounding(figures[key]) if company[switch] else 0.0
            figures["orders"] = rounding(sum(figures["documents"].values()))
            figures["exposure"] = rounding(sum(figures[key] for key, _switch in self._credit_components))
        return result

    def _get_credit_order_queries(self):
        """(exposure component, query builder) of the orders. An order model names its
        component in ``_credit_exposure_component``."""
        return (
            ("sale_order", self._credit_sale_line_sql),
            ("purchase_order", self._credit_purchase_line_sql),
        )

    def _get_credit_figures(self, documents, exposure, batch=None):
        """Figures of the credit check of ``documents`` (orders of commercial partner
        ``self``), from ``exposure`` (this partner's entry of
        ``_get_credit_exposure_by_partner(batch)``).

        :param batch: the documents measured apart in ``exposure``: those of them that
            already commit the company and are not checked now count in the exposure
        """
        self.ensure_one()
        company = self.env.company
        currency = company.currency_id
        figures = {key: value for key, value in exposure.items() if key != "documents"}
        measured = exposure["documents"]
        checked = set(documents._origin.ids) if documents else set()
        if batch:
            counted = sum(
                measured.get(doc.id, 0.0)
                for doc in batch
                if doc.id not in checked and doc._is_credit_committed()
            )
            component = batch._credit_exposure_component
            if counted and company[dict(self._credit_components)[component]]:
                figures[component] = currency.round(figures[component] + counted)
                figures["exposure"] = currency.round(figures["exposure"] + counted)
        figures["orders"] = currency.round(
            sum(
                measured.get(doc.id, 0.0) if isinstance(doc.id, int) else doc._get_credit_amount()
                for doc in documents or ()
            )
        )
        limit, unlimited = self._get_credit_limit_info()
        total = currency.round(figures["exposure"] + figures["orders"])
        figures.update(
            limit=limit,
            unlimited=unlimited,
            total=total,
            excess=0.0 if unlimited else max(currency.round(total - limit), 0.0),
            usage=self._get_credit_usage(total, limit, unlimited),
        )
        return figures

    def _get_credit_check_figures(self, documents):
        """Figures of the credit check of ``documents`` alone (release wizard and log)."""
        self.ensure_one()
        exposure = self._get_credit_exposure_by_partner(documents)[self.id]
        return self._get_credit_figures(documents, exposure)

    # ------------------------------------------------------------
    # TOOLING: exposure queries
    # ------------------------------------------------------------

    @api.model
    def _flush_credit_data(self):
        """The exposure queries read these tables directly: write pending changes."""
        self.env["account.move.line"].flush_model(
            [
                "amount_residual",
                "balance",
                "parent_state",
                "reconciled",
                "partner_id",
                "company_id",
                "account_id",
            ]
            + ["price_total", "purchase_line_id", "move_id", "sale_line_ids"]
        )
        self.env["account.move"].flush_model(["move_type", "state"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["sale.order.line"].flush_model(
            [
                "order_id",
                "product_uom_qty",
                "qty_invoiced",
                "price_total",
                "is_downpayment",
                "display_type",
                "invoice_lines",
            ]
        )
        self.env["sale.order"].flush_model(["partner_id", "company_id", "state", "currency_rate"])
        self.env["purchase.order.line"].flush_model(
            ["order_id", "product_qty", "qty_invoiced", "price_total", "is_downpayment", "display_type"]
        )
        self.env["purchase.order"].flush_model(["partner_id", "company_id", "state", "currency_rate"])
        self.flush_model(["commercial_partner_id"])

    @api.model
    def _credit_move_line_sql(self, company, partner_ids):
        """Per commercial partner: open receivable residual, payable residual (positive
        when we paid more than we were billed), draft customer invoices and draft vendor
        bills, all in company currency (journal items are converted once, at the date of
        their document)."""
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   SUM(aml.amount_residual) FILTER (
                       WHERE aml.parent_state = 'posted' AND a.account_type = 'asset_receivable'),
                   SUM(aml.amount_residual) FILTER (
                       WHERE aml.parent_state = 'posted' AND a.account_type = 'liability_payable'),
                   SUM(aml.balance) FILTER (
                       WHERE aml.parent_state = 'draft' AND a.account_type = 'asset_receivable'
                         AND m.move_type IN ('out_invoice', 'out_refund')),
                   SUM(-aml.balance) FILTER (
                       WHERE aml.parent_state = 'draft' AND a.account_type = 'liability_payable'
                         AND m.move_type IN ('in_invoice', 'in_refund'))
              FROM account_move_line aml
              JOIN account_account a ON a.id = aml.account_id
              JOIN account_move m ON m.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE aml.company_id = %(company)s
               AND p.commercial_partner_id IN %(partners)s
               AND a.account_type IN ('asset_receivable', 'liability_payable')
               AND (aml.parent_state = 'draft' OR (aml.parent_state = 'posted' AND NOT aml.reconciled))
             GROUP BY p.commercial_partner_id
            """,
            company=company.id,
            partners=partner_ids,
        )

    @api.model
    def _credit_order_line_sql(self, company, partner_ids, order_ids, tables):
        """Rows (commercial partner, NULL, amount): confirmed orders' amount not yet
        invoiced (tax included, per line, converted at the order's rate); rows
        (commercial partner, order, amount): the same for each of ``order_ids`` whatever
        its state. Quantities on draft invoices count as invoiced (as in Odoo's
        ``qty_invoiced``): the draft invoice component counts them instead. A down
        payment line counts minus what its invoices (net of their deduction on the final
        invoice) invoiced: its receivable is in the receivables."""
        return SQL(
            """
            WITH amounts AS (
                SELECT p.commercial_partner_id AS partner_id, o.id AS order_id,
                       o.id IN %(orders)s AS is_checked,
                       CASE WHEN l.is_downpayment THEN -COALESCE((
                                SELECT SUM(CASE WHEN im.move_type IN %(refund_types)s
                                                THEN -il.price_total ELSE il.price_total END)
                                  FROM %(invoice_links)s
                                  JOIN account_move im ON im.id = il.move_id AND im.state != 'cancel'
                                 WHERE %(invoice_link_condition)s), 0)
                            WHEN l.%(qty)s = 0 THEN 0
                            ELSE GREATEST(l.%(qty)s - l.qty_invoiced, 0) * l.price_total / l.%(qty)s
                       END / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount
                  FROM %(line_table)s l
                  JOIN %(order_table)s o ON o.id = l.order_id
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.company_id = %(company)s
                   AND p.commercial_partner_id IN %(partners)s
                   AND (o.state IN %(states)s OR o.id IN %(orders)s)
                   AND l.display_type IS NULL
            )
            SELECT partner_id, CASE WHEN is_checked THEN order_id END, SUM(amount)
              FROM amounts
             GROUP BY 1, 2
            """,
            orders=order_ids,
            company=company.id,
            partners=partner_ids,
            **tables,
        )

    @api.model
    def _credit_sale_line_sql(self, company, partner_ids, order_ids):
        return self._credit_order_line_sql(
            company,
            partner_ids,
            order_ids,
            {
                "line_table": SQL.identifier("sale_order_line"),
                "order_table": SQL.identifier("sale_order"),
                "qty": SQL.identifier("product_uom_qty"),
                "states": ("sale",),
                "refund_types": ("out_refund",),
                "invoice_links": SQL(
                    "sale_order_line_invoice_rel rel JOIN account_move_line il ON il.id = rel.invoice_line_id"
                ),
                "invoice_link_condition": SQL("rel.order_line_id = l.id"),
            },
        )

    @api.model
    def _credit_purchase_line_sql(self, company, partner_ids, order_ids):
        return self._credit_order_line_sql(
            company,
            partner_ids,
            order_ids,
            {
                "line_table": SQL.identifier("purchase_order_line"),
                "order_table": SQL.identifier("purchase_order"),
                "qty": SQL.identifier("product_qty"),
                "states": ("to approve", "purchase"),
                "refund_types": ("in_refund",),
                "invoice_links": SQL("account_move_line il"),
                "invoice_link_condition": SQL("il.purchase_line_id = l.id"),
            },
        )

    # ------------------------------------------------------------
    # BUSINESS: lock and usage warning
    # ------------------------------------------------------------

    def _lock_credit(self):
        """Serialise credit checks per (company, commercial partner): see
        ``partner.credit.lock``.

        :return: whether the applicant was already warned about the usage threshold
        """
        self.ensure_one()
        return self.env["partner.credit.lock"]._acquire(self)

    def _notify_credit_threshold(self, figures, warned):
        """Give the applicant a to-do when a confirmation takes usage to the warning
        threshold, once: the marker on the partner's lock row is reset when usage falls
        back under the threshold (checked at the next confirmation)."""
        self.ensure_one()
        company = self.env.company
        reached = figures["usage"] >= company.partner_credit_warning_threshold
        if reached == warned:
            return
        self.env.execute_query(
            SQL(
                "UPDATE partner_credit_lock SET credit_warned = %s WHERE company_id = %s AND partner_id = %s",
                reached,
                company.id,
                self.id,
            )
        )
        if not reached:
            return
        user = self.qualification_applicant_id or self.user_id
        if not user or user.share or not user.active:
            return
        currency = company.currency_id
        self.activity_schedule(
            "partner_qualification_credit.mail_activity_type_credit_threshold",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._("Credit usage at %(usage)s%%", usage=round(figures["usage"], 1)),
            note=self.env._(
                "%(partner)s now uses %(usage)s%% of its credit limit in %(company)s "
                "(%(total)s of %(limit)s). Follow up on payments before new orders are blocked.",
                partner=self.display_name,
                usage=round(figures["usage"], 1),
                company=company.name,
                total=formatLang(self.env, figures["total"], currency_obj=currency),
                limit=formatLang(self.env, figures["limit"], currency_obj=currency),
            ),
            user_id=user.id,
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_exposure(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Exposure"),
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("partner_qualification_credit.res_partner_view_form_credit_exposure").id,
                    "form",
                )
            ],
            "target": "new",
        }
