# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from functools import partial
from unittest.mock import patch

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.res_partner_credit_exposure import CREDIT_CONTACTS
from .common import CreditControlCommon

# Queries of confirming a one-line quotation (core's own included) and of computing its
# credit banner, whatever the partner's history.
CONFIRM_QUERY_BUDGET = 19
BANNER_QUERY_BUDGET = 8


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditExposureSpeed(CreditControlCommon):
    """The exposure reads open business only: settled history changes neither the
    result nor the number of queries of a confirmation."""

    def _make_bundles(self, partner, size, settle):
        """``size`` orders of 110 (tax included), confirmed and invoiced one by one;
        the invoices of ``settle`` of them are paid by one payment."""
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 100.0})],
                }
            ]
            * size
        )
        orders.action_confirm()
        invoices = orders._create_invoices(grouped=True)
        invoices.action_post()
        paid = invoices[:settle]
        if paid:
            # Statistics of the tables this transaction filled: the fresh test database's
            # (nearly empty tables) let core's payment-state query nest full index scans
            # of the journal items, for minutes.
            self.env.flush_all()
            self.env.cr.execute("ANALYZE account_move_line, account_move, account_partial_reconcile")
            # One payment line per invoice, matched pair by pair in one batch (a single
            # payment matched with hundreds of invoices makes core's payment-state query
            # quadratic).
            receivable = paid.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            bank = self.company_data["default_journal_bank"].default_account_id
            payment = self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "date": "2026-02-01",
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": line.account_id.id,
                                "partner_id": partner.id,
                                "credit": line.balance,
                            }
                        )
                        for line in receivable
                    ]
                    + [Command.create({"account_id": bank.id, "debit": sum(receivable.mapped("balance"))})],
                }
            )
            payment.action_post()
            payment_lines = payment.line_ids.filtered("partner_id")
            self.env["account.move.line"]._reconcile_plan(
                [line | payment_line for line, payment_line in zip(receivable, payment_lines, strict=True)]
            )
        return invoices

    def _count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        result = func()
        self.env.flush_all()
        return self.cr.sql_log_count - start, result

    def test_settled_history_costs_nothing(self):
        small, big = self.env["res.partner"].create(
            [{"name": f"History {size}", "is_company": True, "partner_role": "customer"} for size in (5, 200)]
        )
        for partner, size in ((small, 5), (big, 200)):
            self.admit(partner)
            self.create_document(partner, number=self.uscc_customer)
            self.set_limit(partner, 10**9)
            # Five open bundles each; the big partner has 195 more, settled (97.5%).
            self._make_bundles(partner, size, settle=size - 5)
        small_figures = self.exposure(small)
        big_figures = self.exposure(big)
        for key in ("receivable", "sale_order", "exposure"):
            self.assertAlmostEqual(small_figures[key], big_figures[key], msg=key)
        self.assertAlmostEqual(big_figures["exposure"], 550.0)
        self.assertAlmostEqual(big_figures["receivable"], 550.0)

        def exposure_queries(partner):
            return self._count_queries(
                lambda: partner.with_company(self.company)._get_credit_exposure_by_partner()
            )[0]

        def confirm_queries(partner):
            order = self.sale_order(qty=1, partner=partner)
            return self._count_queries(order.action_confirm)[0]

        # Warm-up (lock rows, caches), then measure.
        exposure_queries(small)
        exposure_queries(big)
        confirm_queries(small)
        confirm_queries(big)
        self.assertEqual(exposure_queries(small), exposure_queries(big))
        self.assertEqual(confirm_queries(small), confirm_queries(big))

    def _history_partners(self):
        """A partner with 5 open bundles and one with 5 open and 45 settled (90%), both
        admitted with a valid licence and a limit no order reaches."""
        small, big = self.env["res.partner"].create(
            [{"name": f"History {size}", "is_company": True, "partner_role": "customer"} for size in (5, 50)]
        )
        for partner, size in ((small, 5), (big, 50)):
            self.admit(partner)
            self.create_document(partner, number=self.uscc_customer)
            self.set_limit(partner, 10**9)
            self._make_bundles(partner, size, settle=size - 5)
        return small, big

    def test_query_budgets_do_not_follow_history(self):
        """Fixed budgets: confirming a quotation or loading its credit banner costs the
        same number of queries for a partner with a long settled history as for one
        without, and no more than the budget (the engine adds one statement: exposure,
        overdue receivables, temporary limits, documents, prohibited list and lock; its
        other reads come with what the order reads anyway, or on refusal only)."""
        small, big = self._history_partners()

        def confirm_queries(partner):
            order = self.sale_order(qty=1, partner=partner)
            return self._count_queries(order.action_confirm)[0]

        def banner_queries(partner):
            order = self.sale_order(qty=1, partner=partner)
            return self._count_queries(lambda: order.credit_warning)[0]

        # Warm-up (lock rows, caches), then measure.
        for partner in (small, big):
            confirm_queries(partner)
            banner_queries(partner)
        small_confirm, big_confirm = confirm_queries(small), confirm_queries(big)
        small_banner, big_banner = banner_queries(small), banner_queries(big)
        self.assertEqual(small_confirm, big_confirm)
        self.assertEqual(small_banner, big_banner)
        self.assertTrue(
            big_confirm <= CONFIRM_QUERY_BUDGET and big_banner <= BANNER_QUERY_BUDGET,
            f"over budget: confirmation {big_confirm} queries (budget {CONFIRM_QUERY_BUDGET}), "
            f"banner {big_banner} (budget {BANNER_QUERY_BUDGET})",
        )

    def test_exposure_sql_reads_open_items_only(self):
        """The exposure statement filters on what its indexes hold (open balances, orders
        of the partners): with sequential scans off, the planner reads the partners' open
        balances (never a journal item) and no order table whole."""
        small, big = self._history_partners()
        self.sale_order(qty=1, partner=big).action_confirm()
        partners = big.with_company(self.company)
        partners._flush_credit_data()
        measured = {"sale.order": (), "purchase.order": (), "account.move": (), "account.payment": ()}
        contacts = SQL.identifier(CREDIT_CONTACTS)
        parts = partners._get_credit_exposure_parts(partners._get_credit_companies(), measured, contacts)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        try:
            plans = {}
            for query, handler in parts:
                statement = SQL("WITH %s %s", partners._credit_contacts_cte(contacts), query)
                rows = self.env.execute_query(SQL("EXPLAIN %s", statement))
                name = handler.func.__name__ if isinstance(handler, partial) else handler.__name__
                plans[name] = "\n".join(row[0] for row in rows)
        finally:
            self.env.cr.execute("RESET enable_seqscan")
        # Open items and open orders only: the balances maintained per partner, account
        # and order model, never the journal items or the orders themselves.
        balances = plans["_add_credit_balance_row"]
        self.assertNotIn("account_move_line", balances)
        self.assertNotIn("sale_order", balances)
        self.assertNotIn("purchase_order", balances)
        self.assertIn("partner_credit_balance_partner_source_index", balances)
        # Settled history adds nothing: same figures for 195 settled bundles more.
        small_figures, big_figures = self.exposure(small), self.exposure(big)
        self.assertAlmostEqual(big_figures["receivable"], small_figures["receivable"])

    def test_partner_list_costs_fixed_queries(self):
        """A list of partners reads its credit figures set-based: as many queries for
        30 partners (and their contacts) as for 3, the temporary increases summed at
        once (never assigned partner by partner through their monetary field), and each
        partner keeps its own limit, increase and exposure."""
        Partner = self.env["res.partner"]
        companies = Partner.create([{"name": f"Listed {index}", "is_company": True} for index in range(29)])
        contacts = Partner.create(
            [{"name": f"Buyer at {company.name}", "parent_id": company.id} for company in companies[:5]]
        )
        self.set_limit(self.customer, 1000.0)
        self.set_limit(companies[0], 400.0)
        self.env["partner.credit.limit.temporary"].with_user(self.credit_manager).create(
            {"partner_id": self.customer.id, "amount": 500.0, "date_end": "2026-03-31", "reason": "Peak"}
        )
        self.sale_order(qty=2).action_confirm()  # 220 of the customer's 1,500
        fnames = ["credit_exposure", "credit_available", "credit_usage"]

        def read_list(partners):
            partners = partners.with_user(self.finance).with_company(self.company)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            values = {row["id"]: row for row in partners.read(fnames)}
            return self.cr.sql_log_count - start, values

        few = self.customer | companies[:2]
        many = self.customer | companies | contacts
        read_list(many)  # warm-up (ormcaches)
        temporary = type(Partner)._compute_credit_limit_temporary
        with patch.object(
            type(Partner), "_compute_credit_limit_temporary", autospec=True, side_effect=temporary
        ) as per_partner:
            few_queries, _values = read_list(few)
            many_queries, values = read_list(many)
        self.assertEqual(few_queries, many_queries)
        per_partner.assert_not_called()
        customer = values[self.customer.id]
        self.assertAlmostEqual(customer["credit_exposure"], 220.0)
        self.assertAlmostEqual(customer["credit_available"], 1280.0)
        self.assertAlmostEqual(customer["credit_usage"], 14.7)  # 220 of 1,500, one decimal
        self.assertAlmostEqual(values[companies[0].id]["credit_available"], 400.0)
        # A contact shows its company's figures.
        self.assertAlmostEqual(values[contacts[0].id]["credit_available"], 400.0)
        # The list and the partner's own page agree.
        alone = self.customer.with_user(self.finance).with_company(self.company)
        self.assertAlmostEqual(alone.credit_available, customer["credit_available"])

    def test_limit_with_temporary_increase_reads_no_exposure(self):
        """The limit of a partner given a temporary increase is read as cheaply as any
        other: the increase is an amount in the credit currency, which is not computed
        with the exposure (the whole exposure statement, for every partner prefetched)."""
        plain, raised = self.env["res.partner"].create(
            [{"name": f"Limit {name}", "is_company": True} for name in ("plain", "raised")]
        )
        for partner in (plain, raised):
            self.set_limit(partner, 1000.0)
        self.env["partner.credit.limit.temporary"].with_user(self.credit_manager).create(
            {"partner_id": raised.id, "amount": 250.0, "date_end": "2026-03-31", "reason": "Peak"}
        )

        def limit_info(partner):
            partner = partner.with_company(self.company)
            return self._count_queries(partner._get_credit_limit_info)

        limit_info(plain)  # warm-up
        plain_queries, plain_info = limit_info(plain)
        raised_queries, raised_info = limit_info(raised)
        self.assertEqual(plain_info, (1000.0, False))
        self.assertEqual(raised_info, (1250.0, False))
        self.assertEqual(raised_queries, plain_queries)

    def test_stored_open_amounts_follow_invoicing(self):
        """The amounts stored on the order follow its invoices: a draft invoice moves
        the invoiced part to the draft amount, posting it clears both, a refund puts
        the amount back."""
        partner = self.env["res.partner"].create({"name": "Stored", "is_company": True})
        self.admit(partner)
        self.create_document(partner, number=self.uscc_customer)
        self.set_limit(partner, 10**9)
        order = self.sale_order(qty=10, price=100.0, partner=partner)
        order.action_confirm()
        total = order.amount_total
        self.assertAlmostEqual(order.credit_open_amount, total)
        self.assertAlmostEqual(order.credit_draft_amount, 0.0)
        invoice = order._create_invoices()
        order.invalidate_recordset()
        self.assertAlmostEqual(order.credit_open_amount, total)
        self.assertAlmostEqual(order.credit_draft_amount, total)
        invoice.action_post()
        self.assertAlmostEqual(order.credit_open_amount, 0.0)
        self.assertAlmostEqual(order.credit_draft_amount, 0.0)
        refund = invoice._reverse_moves()
        refund.action_post()
        self.assertAlmostEqual(order.credit_open_amount, total)
