# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .const import FACT_FIELDS


class PartnerEvaluation(models.Model):
    """The facts of an evaluation: plain fields that only ``_refresh_facts`` writes (at
    creation, on "Refresh Facts" and at submission), so that what the approver sees is
    what the ERP said when the evaluator submitted, never a value a client sent."""

    _inherit = "partner.evaluation"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    fact_turnover_sale = fields.Float(
        digits=(16, 2),
        string="Invoiced Turnover",
        readonly=True,
        copy=False,
        help="Customer invoices minus credit notes dated in the period, untaxed.",
    )
    fact_turnover_purchase = fields.Float(
        digits=(16, 2),
        string="Billed Turnover",
        readonly=True,
        copy=False,
        help="Vendor bills minus refunds dated in the period, untaxed.",
    )
    fact_avg_days_to_pay = fields.Float(
        string="Average Days to Pay",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Days from invoice date to payment, weighted by the amount paid, for the "
        "customer invoice payments reconciled in the period.",
    )
    fact_overdue_amount = fields.Float(
        digits=(16, 2),
        string="Overdue at Period End",
        readonly=True,
        copy=False,
    )
    fact_overdue_days = fields.Integer(
        string="Max Days Overdue",
        readonly=True,
        copy=False,
        help="Days past due of the oldest invoice still open at the end of the period.",
    )
    fact_receivable_end = fields.Float(
        digits=(16, 2),
        string="Receivable at Period End",
        readonly=True,
        copy=False,
    )
    fact_receivable_peak = fields.Float(
        digits=(16, 2),
        string="Peak Receivable",
        readonly=True,
        copy=False,
        help="Highest end-of-day receivable balance during the period (opening included).",
    )
    fact_receipt_count = fields.Integer(
        string="Receipts",
        readonly=True,
        copy=False,
        help="Purchase receipt moves done in the period.",
    )
    fact_on_time_rate = fields.Float(
        string="On-Time Delivery (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Quantity received in the period on or before the scheduled date of its "
        "purchase line, over the quantity received (Odoo's on-time rate, over the period).",
    )
    fact_returned_share = fields.Float(
        string="Returned (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Quantity returned to the supplier in the period over the quantity received.",
    )
    fact_prepayment_end = fields.Float(
        digits=(16, 2),
        string="Prepayment at Period End",
        readonly=True,
        copy=False,
    )
    fact_prepayment_peak = fields.Float(
        digits=(16, 2),
        string="Peak Prepayment",
        readonly=True,
        copy=False,
        help="Highest end-of-day debit balance of the payable account (advances paid).",
    )
    fact_credit_limit = fields.Float(
        string="Credit Limit in Period",
        readonly=True,
        copy=False,
        digits=(16, 2),
    )
    fact_usage_end = fields.Float(
        string="Limit Usage at Period End (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Receivable plus prepayment at the end of the period over the credit limit.",
    )
    fact_usage_peak = fields.Float(
        string="Highest Limit Usage (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Highest funds tied up (receivable plus prepayment, end of day) during the "
        "period over the credit limit.",
    )
    facts_date = fields.Datetime(
        string="Facts Computed On",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _refresh_facts(self, stamp=True):
        """Read the facts of the period, the partner's current grade and limit and the
        weighted score (the company's weights may have changed) into draft evaluations.
        A proposal left on the suggestion follows a new suggestion (with the grade's
        limit); any other proposal is kept as the evaluator wrote it. One set of queries
        per (company, period); one write per distinct set of values. At creation the same
        values go straight into the insert (``_prepare_facts_vals``).

        :param stamp: write ``facts_date`` on the drafts; False: the caller writes it,
            with its own values of every evaluation (the submission, in one UPDATE)
        :return: when the facts were read (False: no draft)
        """
        drafts = self.filtered(lambda e: e.state == "draft").sudo()
        if not drafts:
            return False
        before = {
            evaluation: (
                evaluation.suggested_grade_id,
                evaluation.proposed_grade_id,
                evaluation.proposed_credit_limit,
            )
            for evaluation in drafts
        }
        facts = self._get_facts_values([(e.partner_id, e.company_id, e.date_from, e.date_to) for e in drafts])
        # Only what changed is written: an unchanged fact or score recomputes nothing
        # (a campaign submits thousands of evaluations whose facts rarely moved).
        to_write = {}
        facts_date = False
        # The same few (company, role) over and over: the weights of each read once.
        weights = {}
        for evaluation in drafts:
            key = (evaluation.company_id, evaluation.role)
            if key not in weights:
                weights[key] = evaluation.company_id._get_evaluation_weights(evaluation.role)
            values = dict(
                facts[evaluation.partner_id, evaluation.company_id, evaluation.date_from, evaluation.date_to],
                score=evaluation._get_weighted_score(weights[key]),
            )
            facts_date = values.pop("facts_date")
            changed = {
                name: value for name, value in values.items() if evaluation._is_value_changed(name, value)
            }
            if changed:
                to_write.setdefault(tuple(sorted(changed.items())), []).append(evaluation.id)
        if stamp:
            drafts.write({"facts_date": facts_date})
        for values, ids in to_write.items():
            drafts.browse(ids).write(dict(values))
        # The bands and caps are settings that may have moved since the facts were read:
        # the suggestion is taken again with them, written where it differs.
        moved = defaultdict(list)
        for evaluation, (grade, note) in drafts._get_suggestions().items():
            if evaluation.suggested_grade_id != grade or evaluation.suggestion_note != note:
                moved[grade.id, note].append(evaluation.id)
        for (grade_id, note), ids in moved.items():
            drafts.browse(ids).write({"suggested_grade_id": grade_id, "suggestion_note": note})
        # The proposal is recomputed with the suggestion: put back what the evaluator chose.
        for evaluation, (suggested, grade, limit) in before.items():
            if grade == suggested and evaluation.suggested_grade_id != suggested:
                continue
            if evaluation.proposed_grade_id != grade or evaluation.proposed_credit_limit != limit:
                evaluation.write({"proposed_grade_id": grade.id, "proposed_credit_limit": limit})
        return facts_date

    def _is_value_changed(self, field_name, value):
        """Whether writing ``value`` (as given to ``write``) would change the field."""
        self.ensure_one()
        current = self[field_name]
        # Most facts did not move: a plain value equal as given is unchanged, without
        # converting (a record compares to records only).
        if not isinstance(current, models.BaseModel) and value == current:
            return False
        field = self._fields[field_name]
        return field.convert_to_cache(value, self) != field.convert_to_cache(current, self)

    @api.model
    def _prepare_facts_vals(self, vals_list):
        """Add the facts, and the partner's current grade and limit, to the values of
        evaluations about to be created: one insert, nothing recomputed afterwards."""
        Partner, Company = self.env["res.partner"], self.env["res.company"]
        keys = [
            (
                Partner.browse(vals.get("partner_id")),
                Company.browse(vals.get("company_id")) or self.env.company,
                fields.Date.to_date(vals.get("date_from")),
                fields.Date.to_date(vals.get("date_to")),
            )
            for vals in vals_list
        ]
        facts = self._get_facts_values(keys)
        for vals, key in zip(vals_list, keys, strict=True):
            vals.update(facts.get(key, {}))

    @api.model
    def _get_facts_values(self, keys):
        """Values of the facts fields for each (partner, company, date_from, date_to) of
        ``keys``, in one set of queries per (company, period)."""
        now = fields.Datetime.now()
        result = {}
        groups = {}
        for partner, company, date_from, date_to in keys:
            if partner:
                groups.setdefault((company, date_from, date_to), set()).add(partner.id)
        for (company, date_from, date_to), partner_ids in groups.items():
            partners = self.env["res.partner"].sudo().with_company(company).browse(partner_ids)
            facts = {}
            if company and date_from and date_to and partners:
                facts = self._get_period_facts(partners, company, date_from, date_to)
            # Only the columns read below: the partner table is wide, its prefetch is not.
            partners.fetch(["commercial_partner_id"])
            partners.commercial_partner_id.fetch(["qualification_grade_id", "credit_limit"])
            for partner in partners:
                commercial = partner.commercial_partner_id
                values = dict.fromkeys(FACT_FIELDS, 0)
                values.update(facts.get(commercial.id, {}))
                values.update(
                    facts_date=now,
                    previous_grade_id=commercial.qualification_grade_id.id,
                    previous_credit_limit=commercial.credit_limit,
                )
                # Recordsets compare by ids: the callers' records find these values.
                result[partner, company, date_from, date_to] = values
        return result

    # ------------------------------------------------------------
    # TOOLING: the queries
    # ------------------------------------------------------------

    @api.model
    def _get_period_facts(self, partners, company, date_from, date_to):
        """Facts of commercial ``partners`` with ``company`` between the two dates, in a
        fixed number of queries whatever the number of partners.

        :return: {commercial partner id: {fact field: value}}
        """
        partners = partners.commercial_partner_id
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["stock.move"].flush_model()
        self.env["purchase.order.line"].flush_model()
        facts = {pid: {} for pid in partners.ids}
        params = {
            "company": company.id,
            "partners": tuple(partners.ids),
            "date_from": date_from,
            "date_to": date_to,
            "tz": company._get_tz(),
        }
        for pid, sale, purchase in self.env.execute_query(self._turnover_sql(params)):
            facts[pid].update(fact_turnover_sale=sale or 0.0, fact_turnover_purchase=purchase or 0.0)
        for pid, days in self.env.execute_query(self._days_to_pay_sql(params)):
            facts[pid]["fact_avg_days_to_pay"] = days or 0.0
        for pid, amount, days in self.env.execute_query(self._overdue_sql(params)):
            facts[pid].update(fact_overdue_amount=amount or 0.0, fact_overdue_days=days or 0)
        exposure = {}
        for pid, rec_end, rec_peak, pre_end, pre_peak, tied_peak in self.env.execute_query(
            self._exposure_sql(params)
        ):
            facts[pid].update(
                fact_receivable_end=rec_end or 0.0,
                fact_receivable_peak=rec_peak or 0.0,
                fact_prepayment_end=max(pre_end or 0.0, 0.0),
                fact_prepayment_peak=pre_peak or 0.0,
            )
            exposure[pid] = (max(rec_end or 0.0, 0.0) + max(pre_end or 0.0, 0.0), tied_peak or 0.0)
        for pid, count, received, on_time, returned in self.env.execute_query(self._receipts_sql(params)):
            facts[pid].update(
                fact_receipt_count=count or 0,
                fact_on_time_rate=100.0 * (on_time or 0.0) / received if received else 0.0,
                fact_returned_share=100.0 * (returned or 0.0) / received if received else 0.0,
            )
        # Limits are company-dependent: read them for the company, in one fetch.
        partners = partners.sudo().with_company(company)
        partners.fetch(["credit_limit"])
        for partner in partners:
            limit = partner.credit_limit
            tied_end, tied_peak = exposure.get(partner.id, (0.0, 0.0))
            facts[partner.id].update(
                fact_credit_limit=limit,
                fact_usage_end=100.0 * tied_end / limit if limit else 0.0,
                fact_usage_peak=100.0 * tied_peak / limit if limit else 0.0,
            )
        return facts

    @api.model
    def _turnover_sql(self, params):
        return SQL(
            """
            SELECT m.commercial_partner_id,
                   SUM(m.amount_untaxed_signed) FILTER (WHERE m.move_type IN ('out_invoice', 'out_refund')),
                   -SUM(m.amount_untaxed_signed) FILTER (WHERE m.move_type IN ('in_invoice', 'in_refund'))
              FROM account_move m
             WHERE m.state = 'posted'
               AND m.company_id = %(company)s
               AND m.commercial_partner_id IN %(partners)s
               AND m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
               AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY m.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _days_to_pay_sql(self, params):
        # Payments (partial reconciliations) made in the period on customer invoices.
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   SUM(apr.amount * (apr.max_date - COALESCE(m.invoice_date, m.date)))
                   / NULLIF(SUM(apr.amount), 0)
              FROM account_partial_reconcile apr
              JOIN account_move_line l ON l.id = apr.debit_move_id
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
              JOIN account_move m ON m.id = l.move_id AND m.move_type = 'out_invoice'
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND p.commercial_partner_id IN %(partners)s
               AND apr.max_date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _overdue_sql(self, params):
        # Receivable debits still open at the end of the period (payments reconciled
        # later are ignored), past their due date.
        return SQL(
            """
            SELECT o.partner_id, SUM(o.open_amount), MAX(%(date_to)s - o.date_maturity)
              FROM (
                SELECT p.commercial_partner_id AS partner_id, l.date_maturity,
                       l.balance - COALESCE((
                           SELECT SUM(apr.amount) FROM account_partial_reconcile apr
                            WHERE apr.debit_move_id = l.id AND apr.max_date <= %(date_to)s
                       ), 0) AS open_amount
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s
                   AND l.parent_state = 'posted'
                   AND p.commercial_partner_id IN %(partners)s
                   AND l.balance > 0
                   AND l.date <= %(date_to)s
                   AND l.date_maturity < %(date_to)s
              ) o
             WHERE o.open_amount > 0.005
             GROUP BY o.partner_id
            """,
            **params,
        )

    @api.model
    def _exposure_sql(self, params):
        """Running end-of-day balances of receivable and payable lines over the period,
        starting from the opening balance (lines before the period count on the eve
        of its first day): their last and highest values."""
        return SQL(
            """
            WITH daily AS (%(daily)s), running AS (
                SELECT partner_id, day,
                       SUM(COALESCE(rec, 0)) OVER w AS rec,
                       SUM(COALESCE(pay, 0)) OVER w AS pay
                  FROM daily
                WINDOW w AS (PARTITION BY partner_id ORDER BY day)
            )
            SELECT partner_id,
                   (ARRAY_AGG(rec ORDER BY day DESC))[1],
                   GREATEST(MAX(rec), 0),
                   (ARRAY_AGG(pay ORDER BY day DESC))[1],
                   GREATEST(MAX(pay), 0),
                   MAX(GREATEST(rec, 0) + GREATEST(pay, 0))
              FROM running
             GROUP BY partner_id
            """,
            daily=self._daily_balance_sql(
                params["company"],
                params["partners"],
                params["date_from"] - timedelta(days=1),
                params["date_to"],
            ),
        )

    @api.model
    def _daily_balance_sql(self, company_id, partner_ids, first_day, date_to):
        """Per commercial partner of ``partner_ids`` and day: the movement of its posted
        receivable (rec) and payable (pay) lines up to ``date_to``, the lines before
        ``first_day`` counted on that day (the opening balance): running sums over the
        days give the end-of-day balances."""
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   GREATEST(l.date, %(first_day)s) AS day,
                   SUM(l.balance) FILTER (WHERE a.account_type = 'asset_receivable') AS rec,
                   SUM(l.balance) FILTER (WHERE a.account_type = 'liability_payable') AS pay
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
               AND a.account_type IN ('asset_receivable', 'liability_payable')
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND p.commercial_partner_id IN %(partners)s
               AND l.date <= %(date_to)s
             GROUP BY 1, 2
            """,
            company=company_id,
            partners=partner_ids,
            first_day=first_day,
            date_to=date_to,
        )

    @api.model
    def _receipts_sql(self, params):
        # Done purchase receipts and returns to the supplier in the period (returns found
        # through the move they return), in product units. On time: done on or before the
        # scheduled date of the purchase line, as Odoo's on_time_rate. Days are the
        # company's: a receipt early in the morning local time is not the eve in UTC.
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   COUNT(*) FILTER (WHERE sm.origin_returned_move_id IS NULL),
                   SUM(sm.product_qty) FILTER (WHERE sm.origin_returned_move_id IS NULL),
                   SUM(sm.product_qty) FILTER (
                       WHERE sm.origin_returned_move_id IS NULL AND sm.date::date <= pol.date_planned::date
                   ),
                   SUM(sm.product_qty) FILTER (WHERE sm.origin_returned_move_id IS NOT NULL)
              FROM stock_move sm
              LEFT JOIN stock_move orig ON orig.id = sm.origin_returned_move_id
              JOIN purchase_order_line pol ON pol.id = COALESCE(sm.purchase_line_id, orig.purchase_line_id)
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN res_partner p ON p.id = po.partner_id
             WHERE sm.state = 'done'
               AND po.company_id = %(company)s
               AND p.commercial_partner_id IN %(partners)s
               AND (sm.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                   BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY p.commercial_partner_id
            """,
            **params,
        )
