# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
import re
from contextlib import contextmanager

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL, file_path

from ..models.res_partner_credit_exposure import CREDIT_CONTACTS
from .common import CreditControlCommon

# What the balances must hold, computed from the journal items and orders themselves,
# independently of the triggers: (source, partner, company, account) -> four sums.
LIVE_BALANCES_SQL = SQL(
    """
    SELECT 'account.move.line', partner_id, company_id, account_id, SUM(amount_residual), 0, 0, 0
      FROM account_move_line
     WHERE reconciled IS NOT TRUE AND parent_state = 'posted' AND partner_id IS NOT NULL
     GROUP BY partner_id, company_id, account_id
    UNION ALL
    SELECT 'sale.order', partner_invoice_id, company_id, NULL,
           SUM(GREATEST(credit_open_amount, 0)),
           SUM(GREATEST(credit_open_amount - credit_draft_amount, 0)),
           SUM(credit_draft_amount), SUM(credit_downpayment_amount)
      FROM sale_order
     WHERE state = 'sale'
     GROUP BY partner_invoice_id, company_id
    UNION ALL
    SELECT 'purchase.order', partner_id, company_id, NULL,
           SUM(GREATEST(credit_open_amount, 0)),
           SUM(GREATEST(credit_open_amount - credit_draft_amount, 0)),
           SUM(credit_draft_amount), SUM(credit_downpayment_amount)
      FROM purchase_order
     WHERE state IN ('to approve', 'purchase')
     GROUP BY partner_id, company_id
    UNION ALL
    SELECT 'account.move', partner_id, company_id, NULL,
           SUM(credit_draft_amount) FILTER (WHERE move_type IN ('out_invoice', 'out_refund')), 0,
           SUM(credit_draft_amount) FILTER (WHERE move_type IN ('in_invoice', 'in_refund')), 0
      FROM account_move
     WHERE state = 'draft' AND partner_id IS NOT NULL
     GROUP BY partner_id, company_id
    """
)
MAINTAINED_BALANCES_SQL = SQL(
    """
    SELECT source, partner_id, company_id, account_id,
           SUM(amount), SUM(amount_net), SUM(draft), SUM(downpayment)
      FROM partner_credit_balance
     GROUP BY source, partner_id, company_id, account_id
    """
)


# A statement reading the invoices and bills table itself (not its journal items).
MOVE_TABLE_READ = re.compile(r"\baccount_move\b")


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditBalance(CreditControlCommon):
    """The open balances the credit check reads are maintained by the database: they
    equal the open items, orders and draft invoices and bills whatever wrote them,
    compaction changes no sum, and the set-up can run again without counting anything
    twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_limit(cls.customer, 1e9)
        cls.set_limit(cls.supplier, 1e9)
        cls.company.partner_credit_draft_bill = True

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _balances(self, query):
        self.env.flush_all()
        return {
            tuple(row[:4]): tuple(round(amount or 0.0, 6) for amount in row[4:])
            for row in self.env.execute_query(query)
            if any(round(amount or 0.0, 6) for amount in row[4:])
        }

    def assertBalancesExact(self):
        self.assertEqual(self._balances(MAINTAINED_BALANCES_SQL), self._balances(LIVE_BALANCES_SQL))

    def _pay(self, invoice, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": "2026-02-15"})._create_payments()

    def _vendor_bill(self, amount, move_type="in_invoice", partner=None):
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.supplier).id,
                "invoice_date": "2026-01-20",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Parts",
                            "price_unit": amount,
                            "tax_ids": [Command.set(self.tax_purchase.ids)],
                        }
                    )
                ],
            }
        )

    @contextmanager
    def _statements(self):
        """The SQL statements run inside the block (Odoo's own query capture)."""
        queries = []
        yield from self._patchExecute(queries)

    def _exposure_statements(self, queries):
        return [query for query in queries if "partner_credit_balance" in query and CREDIT_CONTACTS in query]

    def _row_count(self):
        return self.env.execute_query(SQL("SELECT COUNT(*) FROM partner_credit_balance"))[0][0]

    def _mixed_business(self):
        """Every kind of write that moves an open balance."""
        partial_paid = self.customer_invoice(1000.0)
        self._pay(partial_paid, 300.0)
        self._pay(self.customer_invoice(200.0), 220.0)  # reconciled in full
        self.customer_invoice(100.0, move_type="out_refund")
        self.customer_invoice(400.0).button_draft()
        self.customer_invoice(50.0, post=False)  # draft: no balance
        confirmed = self.sale_order(qty=3)
        confirmed.action_confirm()
        cancelled = self.sale_order(qty=2)
        cancelled.action_confirm()
        cancelled._action_cancel()
        purchase = self.purchase_order(qty=4)
        purchase.button_confirm()
        bill = purchase.with_context(default_invoice_date="2026-02-20").action_create_invoice()
        self.env["account.move"].browse(bill["res_id"]).write({"invoice_date": "2026-02-20"})
        self.env["account.move"].browse(bill["res_id"]).action_post()
        # The order's paying partner changes (raw SQL: no ORM rule applies to a trigger).
        other = self.env["res.partner"].create({"name": "Other payer", "is_company": True})
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE sale_order SET partner_invoice_id = %s WHERE id = %s", other.id, confirmed.id)
        )
        # An open item moves to another receivable account, and its residual is
        # rewritten directly.
        receivable = partial_paid.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        other_receivable = self.env["account.account"].create(
            {
                "code": "121999",
                "name": "Receivable bis",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        self.env.cr.execute(
            SQL(
                "UPDATE account_move_line SET account_id = %s WHERE id = %s",
                other_receivable.id,
                receivable.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE account_move_line SET amount_residual = amount_residual - 5 WHERE id = %s",
                receivable.id,
            )
        )
        self.env.invalidate_all()
        return other

    # ------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------

    def test_balances_follow_every_write(self):
        before = self._balances(MAINTAINED_BALANCES_SQL)
        other = self._mixed_business()
        self.assertBalancesExact()
        self.assertNotEqual(self._balances(MAINTAINED_BALANCES_SQL), before)
        # The exposure reads them: the moved order counts for its new payer, the item
        # rewritten in SQL for what it says now.
        self.assertAlmostEqual(self.exposure(other)["sale_order"], 330.0)
        figures = self.exposure()
        self.assertAlmostEqual(figures["receivable"], 1100.0 - 300.0 - 5.0 - 110.0)
        self.assertAlmostEqual(figures["sale_order"], 0.0)
        # An account whose type changes counts as it is now (read at read time).
        self.env.cr.execute(
            SQL(
                "UPDATE account_account SET account_type = 'asset_current' WHERE code_store->>%s = '121999'",
                str(self.company.root_id.id),
            )
        )
        self.env.invalidate_all()
        self.assertAlmostEqual(self.exposure()["receivable"], -110.0)

    def test_branch_business_is_kept_per_company(self):
        self.company.write({"child_ids": [Command.create({"name": "Branch A"})]})
        self.cr.precommit.run()  # chart of accounts of the branch
        branch = self.company.child_ids
        self.customer.with_company(branch).sudo().write(
            {"admission_state": "approved", "qualification_grade_id": self.grade_c.id}
        )
        self.user.company_ids |= branch
        self.sale_order(qty=10, company_id=branch.id, user=self.user.with_company(branch)).action_confirm()
        self.customer_invoice(500.0, company_id=branch.id)
        self.assertBalancesExact()
        keys = self._balances(MAINTAINED_BALANCES_SQL)
        self.assertIn(("sale.order", self.customer.id, branch.id, None), keys)
        # Branches share the root's exposure.
        self.assertAlmostEqual(self.exposure()["exposure"], 1100.0 + 550.0)

    def test_compaction_keeps_sums_one_row_per_key(self):
        self._mixed_business()
        sums = self._balances(MAINTAINED_BALANCES_SQL)
        self.assertGreater(self._row_count(), len(sums))
        self.env["partner.credit.balance"]._compact()
        self.assertEqual(self._balances(MAINTAINED_BALANCES_SQL), sums)
        self.assertEqual(self._row_count(), len(sums))
        self.assertBalancesExact()
        # The deltas written after it still add up.
        self.customer_invoice(70.0)
        self.assertBalancesExact()

    def test_many_open_items_same_figures_and_queries_after_compaction(self):
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-01-15",
                    "invoice_line_ids": [Command.create({"name": "Goods", "price_unit": 10.0 + index})],
                }
                for index in range(40)
            ]
        )
        invoices.action_post()
        self._pay(invoices[0], 4.0)
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 100.0})],
                }
                for _index in range(10)
            ]
        )
        orders.action_confirm()
        measured = self.sale_order(qty=1)
        partner = self.customer.with_company(self.company)

        def check():
            partner.invalidate_recordset()
            self.env.flush_all()
            count = self.env.cr.sql_log_count
            figures = partner._get_credit_exposure_by_partner(documents=orders[:2] | measured)
            return figures[partner.id], self.env.cr.sql_log_count - count

        check()  # warm-up
        before, queries_before = check()
        rows_before = self._row_count()
        self.env["partner.credit.balance"]._compact()
        after, queries_after = check()
        self.assertEqual(after, before)
        self.assertEqual(queries_after, queries_before)
        self.assertLess(self._row_count(), rows_before)
        # The measured orders are read apart and left out of the orders' sum.
        self.assertAlmostEqual(before["receivable"], sum(invoices.mapped("amount_total")) - 4.0)
        self.assertAlmostEqual(before["sale_order"], 8 * 110.0)
        self.assertEqual(before["documents"], {orders[0].id: 110.0, orders[1].id: 110.0, measured.id: 110.0})

    def test_setup_again_and_uninstall(self):
        self._mixed_business()
        Balance = self.env["partner.credit.balance"]
        sums = self._balances(MAINTAINED_BALANCES_SQL)
        Balance.init()
        Balance.init()
        self.assertEqual(self._balances(MAINTAINED_BALANCES_SQL), sums)
        self.assertBalancesExact()
        # Uninstalled: no trigger left on the core tables, which keep working.
        Balance._drop_balances()
        triggers = self.env.execute_query(
            SQL("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", "partner_credit_balance%")
        )
        self.assertFalse(triggers)
        functions = self.env.execute_query(
            SQL("SELECT proname FROM pg_proc WHERE proname LIKE %s", "partner_credit_balance%")
        )
        self.assertFalse(functions)
        item = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
            ],
            limit=1,
        )
        self.env.cr.execute(
            SQL("UPDATE account_move_line SET amount_residual = amount_residual + 1 WHERE id = %s", item.id)
        )
        self.env.cr.execute(
            SQL("UPDATE sale_order SET state = 'cancel' WHERE partner_id = %s", self.customer.id)
        )
        # Set up again on a live database: filled from the current data.
        Balance.init()
        self.assertBalancesExact()
        self.customer_invoice(40.0)
        self.assertBalancesExact()

    def test_draft_moves_follow_every_write(self):
        """Draft invoices and bills are in the balances for what they add beyond their
        orders, whatever changes them: edits, posting, cancelling, resetting, deleting,
        another partner or company, raw SQL."""
        invoice = self.customer_invoice(100.0, post=False)
        bill = self._vendor_bill(200.0)
        self.customer_invoice(30.0, move_type="out_refund", post=False)  # lowers nothing
        self.assertBalancesExact()
        figures = self.exposure()
        self.assertAlmostEqual(figures["draft_invoice"], 110.0)
        self.assertAlmostEqual(self.exposure(self.supplier)["draft_bill"], bill.amount_total)
        # Edited, posted, reset to draft, cancelled.
        invoice.invoice_line_ids.price_unit = 150.0
        self.assertBalancesExact()
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 165.0)
        invoice.action_post()
        self.assertBalancesExact()
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 0.0)
        invoice.button_draft()
        self.assertBalancesExact()
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 165.0)
        invoice.button_cancel()
        self.assertBalancesExact()
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 0.0)
        invoice.button_draft()
        # Another partner, then deleted.
        other = self.env["res.partner"].create({"name": "Other customer", "is_company": True})
        invoice.partner_id = other
        self.assertBalancesExact()
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 0.0)
        self.assertAlmostEqual(self.exposure(other)["draft_invoice"], 165.0)
        invoice.unlink()
        self.assertBalancesExact()
        self.assertAlmostEqual(self.exposure(other)["draft_invoice"], 0.0)
        # Raw SQL: another company, another amount, another type, another state.
        other_company = self.env["res.company"].create({"name": "Other company"})
        self.env.flush_all()
        for statement in (
            SQL("UPDATE account_move SET company_id = %s WHERE id = %s", other_company.id, bill.id),
            SQL("UPDATE account_move SET company_id = %s WHERE id = %s", self.company.id, bill.id),
            SQL("UPDATE account_move SET credit_draft_amount = 77 WHERE id = %s", bill.id),
            SQL("UPDATE account_move SET move_type = 'out_invoice' WHERE id = %s", bill.id),
            SQL("UPDATE account_move SET move_type = 'entry' WHERE id = %s", bill.id),
            SQL("UPDATE account_move SET move_type = 'in_refund', state = 'posted' WHERE id = %s", bill.id),
            SQL("UPDATE account_move SET state = 'draft', partner_id = NULL WHERE id = %s", bill.id),
            SQL("UPDATE account_move SET partner_id = %s WHERE id = %s", self.supplier.id, bill.id),
        ):
            self.env.cr.execute(statement)
            self.assertBalancesExact()
        self.env.invalidate_all()
        self.assertAlmostEqual(self.exposure(self.supplier)["draft_bill"], 77.0)
        # Compacted: same sums.
        self.env["partner.credit.balance"]._compact()
        self.assertBalancesExact()
        self.env.cr.execute(SQL("DELETE FROM account_move_line WHERE move_id = %s", bill.id))
        self.env.cr.execute(SQL("DELETE FROM account_move WHERE id = %s", bill.id))
        self.assertBalancesExact()

    def test_order_check_reads_no_move(self):
        """Confirming an order reads the drafts from the balances: its statement reads no
        invoice; an invoice measured apart (posted, shown) is read by its id alone."""
        draft = self.customer_invoice(80.0, post=False)
        order = self.sale_order(qty=1)
        order.action_confirm()  # warm-up: the request's caches
        order = self.sale_order(qty=2)
        with self._statements() as queries:
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        statements = self._exposure_statements(queries)
        self.assertTrue(statements, "the confirmation checks the partner's credit")
        for statement in statements:
            self.assertNotRegex(statement, MOVE_TABLE_READ)
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 88.0)
        # The draft measured apart: its amount is the document's, not the drafts'.
        partner = self.customer.with_company(self.company)
        with self._statements() as queries:
            figures = partner._get_credit_exposure_by_partner(documents=draft)[partner.id]
        self.assertEqual(figures["documents"], {draft.id: 88.0})
        self.assertAlmostEqual(figures["draft_invoice"], 0.0)
        self.assertTrue(any(MOVE_TABLE_READ.search(query) for query in self._exposure_statements(queries)))
        # Posted: neither a document nor a draft any more.
        draft.action_post()
        figures = partner._get_credit_exposure_by_partner(documents=draft)[partner.id]
        self.assertEqual(figures["documents"], {})
        self.assertAlmostEqual(figures["draft_invoice"], 0.0)
        self.assertAlmostEqual(figures["receivable"], 88.0)

    def test_upgrade_refills_once(self):
        """Upgrading to the balances with drafts: the pre-migration drops them (triggers
        first, so that writes in between still work) and the update's set-up fills every
        source once, one row per key."""
        self._mixed_business()
        self._vendor_bill(60.0)
        sums = self._balances(MAINTAINED_BALANCES_SQL)
        path = file_path("partner_qualification_credit/migrations/19.0.1.6.0/pre-migrate.py")
        spec = importlib.util.spec_from_file_location("pqc_pre_migrate_19_0_1_6_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.5.1")
        triggers = self.env.execute_query(
            SQL("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", "partner\\_credit\\_balance\\_%")
        )
        self.assertFalse(triggers)
        # A write between the migration and the set-up: read by the fill.
        self.customer_invoice(25.0, post=False)
        self.env.flush_all()
        self.env["partner.credit.balance"].init()
        self.assertBalancesExact()
        self.assertEqual(self._row_count(), len(self._balances(MAINTAINED_BALANCES_SQL)))
        self.assertNotEqual(self._balances(MAINTAINED_BALANCES_SQL), sums)
