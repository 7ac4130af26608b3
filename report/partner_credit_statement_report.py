# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Who may print the statement: the users who see the credit figures on the partner.
CREDIT_STATEMENT_GROUPS = (
    "partner_qualification_credit.group_user",
    "account.group_account_invoice",
    "account.group_account_readonly",
)
# Tracked partner fields whose changes the statement lists.
TRACKED_CREDIT_FIELDS = ("credit_limit", "qualification_grade_id")


class ReportPartnerCreditStatement(models.AbstractModel):
    """The credit statement (信用对账单) the office and finance reconcile: the grade, the
    limit, each exposure component with the documents behind it, the releases and the
    grade/limit changes of the period. The figures come from the credit engine; the
    documents are listed with one search per kind of document for all the partners."""

    _name = "report.partner_qualification_credit.report_credit_statement"
    _description = "Partner Credit Statement Report"

    # ------------------------------------------------------------
    # ENTRY POINT
    # ------------------------------------------------------------

    @api.model
    def _get_report_values(self, docids, data=None):
        self._check_credit_statement_access()
        date_from, date_to = self._get_statement_period(data or {})
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        company = self.env.company
        exposures = partners._get_credit_exposure_by_partner()
        documents = self._get_statement_documents(partners, company)
        releases = self._get_statement_releases(partners, company, date_from, date_to)
        changes = self._get_statement_changes(partners, date_from, date_to)
        # The documents of a component switched off in the settings are left out: the
        # statement lists what adds up to the exposure the limit is checked against.
        counted = {key for key, switch in self.env["res.partner"]._credit_components if company[switch]}
        statements = {}
        for partner in partners:
            figures = exposures[partner.id]
            limit, unlimited = partner._get_credit_limit_info()
            statements[partner.id] = {
                "limit": limit,
                "unlimited": unlimited,
                "exposure": figures["exposure"],
                "available": 0.0 if unlimited else limit - figures["exposure"],
                "usage": partner._get_credit_usage(figures["exposure"], limit, unlimited),
                "components": self._get_statement_components(figures, company),
                "documents": {key: rows for key, rows in documents[partner.id].items() if key in counted},
                "releases": releases[partner.id],
                "changes": changes[partner.id],
            }
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "today": fields.Date.context_today(self),
            "statements": statements,
        }

    @api.model
    def _check_credit_statement_access(self):
        """The report action is limited to these groups, but a report can be rendered by
        name over RPC: the check is repeated here. Superuser rendering is left alone."""
        if self.env.su or any(self.env.user.has_group(group) for group in CREDIT_STATEMENT_GROUPS):
            return
        raise AccessError(
            self.env._("Only credit-control and accounting users can print the credit statement.")
        )

    @api.model
    def _get_statement_period(self, data):
        """(date_from, date_to) from ``data`` (ISO dates), by default the last 12 months."""
        today = fields.Date.context_today(self)
        try:
            date_to = fields.Date.to_date(data.get("date_to")) or today
            date_from = fields.Date.to_date(data.get("date_from")) or (
                date_to - relativedelta(months=12) + timedelta(days=1)
            )
        except (TypeError, ValueError):
            raise UserError(
                self.env._("The statement period must be given as two dates (YYYY-MM-DD).")
            ) from None
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The statement period starts on %(date_from)s, after its end on %(date_to)s.",
                    date_from=date_from,
                    date_to=date_to,
                )
            )
        return date_from, date_to

    @api.model
    def _get_statement_components(self, figures, company):
        """[{key, label, amount, counted}] in the engine's order; a component switched off
        in the settings is shown as not counted (the engine reports it as zero)."""
        Partner = self.env["res.partner"]
        return [
            {
                "key": key,
                "label": Partner._fields[f"credit_{key}"]._description_string(self.env),
                "amount": figures[key],
                "counted": bool(company[switch]),
                "orders": key in ("sale_order", "purchase_order"),
            }
            for key, switch in Partner._credit_components
        ]

    # ------------------------------------------------------------
    # DOCUMENTS BEHIND THE COMPONENTS
    # ------------------------------------------------------------

    @api.model
    def _get_statement_documents(self, partners, company):
        """{partner id: {component key: [row dict]}}: the same documents the exposure
        queries read, in the company's currency. Read as superuser: the exposure is
        shown to users who may not read every invoice or order (their access is
        checked above), and only this company's documents are listed."""
        result = {partner.id: defaultdict(list) for partner in partners}
        if not partners:
            return result
        self._get_statement_move_lines(partners, company, result)
        self._get_statement_order_lines(partners, company, result)
        return result

    @api.model
    def _get_statement_move_lines(self, partners, company, result):
        today = fields.Date.context_today(self)
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id.commercial_partner_id", "in", partners.ids),
                    ("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
                    "|",
                    ("parent_state", "=", "draft"),
                    "&",
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                order="date_maturity, move_name, id",
            )
        )
        drafts = {}
        for line in lines:
            rows = result[line.partner_id.commercial_partner_id.id]
            move = line.move_id
            receivable = line.account_id.account_type == "asset_receivable"
            if line.parent_state == "posted":
                due = line.date_maturity or line.date
                rows["receivable" if receivable else "prepayment"].append(
                    {
                        "name": move.name or "",
                        "ref": move.ref or line.name or "",
                        "date": move.invoice_date or line.date,
                        "date_maturity": due,
                        "days_overdue": max((today - due).days, 0) if receivable else 0,
                        # Payable residuals are negative when we owe: the prepayment
                        # component counts what we paid in advance, as a positive amount.
                        "amount": line.amount_residual,
                    }
                )
                continue
            invoice_types = ("out_invoice", "out_refund") if receivable else ("in_invoice", "in_refund")
            if move.move_type not in invoice_types:
                continue
            key = "draft_invoice" if receivable else "draft_bill"
            row = drafts.get((key, move.id))
            if row is None:
                row = drafts[key, move.id] = {
                    "name": move.name if move.name and move.name != "/" else "",
                    "ref": move.ref or "",
                    "date": move.invoice_date or move.date,
                    "date_maturity": move.invoice_date_due,
                    "days_overdue": 0,
                    "amount": 0.0,
                }
                rows[key].append(row)
            row["amount"] += line.balance if receivable else -line.balance

    @api.model
    def _get_statement_order_lines(self, partners, company, result):
        """Confirmed order lines not fully invoiced, valued as the exposure query does:
        the quantity left to invoice at the line's price (tax included), converted at
        the order's rate; a down payment counts minus what its invoices invoiced."""
        specs = (
            ("sale_order", "sale.order.line", "product_uom_qty", ("sale",), "out_refund"),
            ("purchase_order", "purchase.order.line", "product_qty", ("to approve", "purchase"), "in_refund"),
        )
        for key, model, qty_field, states, refund_type in specs:
            lines = (
                self.env[model]
                .sudo()
                .search(
                    [
                        ("order_id.company_id", "=", company.id),
                        ("order_id.partner_id.commercial_partner_id", "in", partners.ids),
                        ("order_id.state", "in", states),
                        ("display_type", "=", False),
                    ],
                    order="order_id, sequence, id",
                )
            )
            for line in lines:
                order = line.order_id
                if line.is_downpayment:
                    invoiced = sum(
                        -il.price_total if il.move_id.move_type == refund_type else il.price_total
                        for il in line.invoice_lines
                        if il.move_id.state != "cancel"
                    )
                    amount = -invoiced
                    quantity = 0.0
                elif line[qty_field]:
                    quantity = max(line[qty_field] - line.qty_invoiced, 0.0)
                    amount = quantity * line.price_total / line[qty_field]
                else:
                    continue
                amount /= order.currency_rate or 1.0
                if company.currency_id.is_zero(amount):
                    continue
                result[order.partner_id.commercial_partner_id.id][key].append(
                    {
                        "name": order.name,
                        "ref": line.name or "",
                        "date": fields.Date.to_date(order.date_order),
                        "quantity": quantity,
                        "amount": company.currency_id.round(amount),
                    }
                )

    # ------------------------------------------------------------
    # PERIOD: RELEASES, GRADE AND LIMIT CHANGES
    # ------------------------------------------------------------

    @api.model
    def _get_period_bounds(self, date_from, date_to):
        return datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)

    @api.model
    def _get_statement_releases(self, partners, company, date_from, date_to):
        start, end = self._get_period_bounds(date_from, date_to)
        releases = (
            self.env["partner.credit.release"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partners.ids),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                order="date, id",
            )
        )
        result = {partner.id: [] for partner in partners}
        for release in releases:
            result[release.partner_id.id].append(release)
        return result

    @api.model
    def _get_statement_changes(self, partners, date_from, date_to):
        """{partner id: [(date, field label, old, new, author)]} from the chatter's tracking
        of the grade and the limit. Tracking has no company: in a multi-company database
        the changes of every company's limit are listed."""
        start, end = self._get_period_bounds(date_from, date_to)
        field_records = (
            self.env["ir.model.fields"]
            .sudo()
            .search([("model", "=", "res.partner"), ("name", "in", TRACKED_CREDIT_FIELDS)])
        )
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "in", field_records.ids),
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "in", partners.ids),
                    ("mail_message_id.date", ">=", start),
                    ("mail_message_id.date", "<", end),
                ],
                order="id",
            )
        )
        Partner = self.env["res.partner"]
        result = {partner.id: [] for partner in partners}
        for tracking in trackings:
            message = tracking.mail_message_id
            field = Partner._fields[tracking.field_id.name]
            if field.type == "many2one":
                old, new = tracking.old_value_char or "-", tracking.new_value_char or "-"
            else:
                old, new = tracking.old_value_float, tracking.new_value_float
            result[message.res_id].append(
                {
                    "date": message.date,
                    "field": field._description_string(self.env),
                    "monetary": field.type != "many2one",
                    "old": old,
                    "new": new,
                    "author": message.author_id.display_name or "",
                }
            )
        return result
