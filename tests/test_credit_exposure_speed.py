# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import CreditControlCommon


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
