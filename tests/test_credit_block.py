# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditBlock(CreditControlCommon):
    """Step 5 of the gate: exposure + the orders being confirmed must stay within the limit."""

    def test_sale_exactly_at_limit_passes_one_cent_over_fails(self):
        self.set_limit(self.customer, 1100.0)
        order = self.sale_order(qty=10)
        self.assertEqual(order.amount_total, 1100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        cent = self.sale_order(qty=1, price=0.01, order_line=[])
        cent.order_line = [Command.create({"product_id": self.service.id, "price_unit": 0.01, "tax_ids": []})]
        self.assertEqual(cent.amount_total, 0.01)
        with self.assertRaisesRegex(UserError, r"(?s)over its credit limit.*Over the limit by: \$\s?0\.01"):
            cent.action_confirm()
        self.assertEqual(cent.state, "draft")

    def test_checks_round_in_the_company_currency_as_it_is_now(self):
        # The checks keep the currency's rounding in the settings cache: a new rounding
        # applies to the next check at once.
        partners = self.env["res.partner"]
        self.assertEqual(partners._round_credit_amount(1.2346), 1.23)
        self.assertEqual(partners._compare_credit_amounts(100.004, 100.0), 0)
        self.env.company.currency_id.rounding = 0.001
        self.assertEqual(partners._round_credit_amount(1.2346), 1.235)
        self.assertEqual(partners._compare_credit_amounts(100.004, 100.0), 1)
        self.assertEqual(self.env.company._get_credit_settings()["currency_rounding"], 0.001)

    def test_block_message_names_every_figure(self):
        self.set_limit(self.customer, 1000.0)
        self.customer_invoice(100.0)
        order = self.sale_order(qty=10)
        with self.assertRaises(UserError) as error:
            order.action_confirm()
        message = str(error.exception)
        for expected in (
            self.customer.name,
            "Open receivables: $\u00a0110.00",
            "Draft customer invoices: $\u00a00.00",
            "Confirmed sale orders not invoiced: $\u00a00.00",
            "Supplier prepayments",
            "Confirmed purchase orders not billed",
            "This confirmation: $\u00a01,100.00",
            "Total: $\u00a01,210.00",
            "Credit limit: $\u00a01,000.00",
            "Over the limit by: $\u00a0210.00",
            self.credit_manager.name,
        ):
            self.assertIn(expected, message)
        self.assertNotIn("Draft vendor bills", message)  # component off by default
        self.assertEqual(order.state, "draft")

    def test_purchase_exactly_at_limit_passes_one_cent_over_fails(self):
        self.set_limit(self.supplier, 1100.0)
        order = self.purchase_order(qty=10)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        cent = self.purchase_order(qty=1, price=0.01)
        cent.order_line.tax_ids = False
        with self.assertRaisesRegex(UserError, r"Over the limit by: \$\s?0\.01"):
            cent.button_confirm()
        self.assertEqual(cent.state, "draft")

    def test_zero_limit_means_no_credit_unless_setting_off(self):
        order = self.sale_order(qty=1)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.action_confirm()
        self.company.partner_credit_limit_required = False
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_orders_in_one_call_count_together(self):
        self.set_limit(self.customer, 1000.0)
        orders = self.sale_order(qty=6) | self.sale_order(qty=6)
        with self.assertRaisesRegex(UserError, r"This confirmation: \$\s?1,320\.00"):
            orders.action_confirm()
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        orders[0].action_confirm()
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            orders[1].action_confirm()

    def test_create_confirmed_and_write_state_are_gated(self):
        self.set_limit(self.customer, 500.0)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            self.sale_order(qty=10, state="sale")
        purchase = self.purchase_order(qty=10)
        self.set_limit(self.supplier, 500.0)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            purchase.write({"state": "purchase"})
        # Created confirmed and within the limit: the order is not counted twice.
        self.set_limit(self.customer, 1100.0)
        order = self.sale_order(qty=10, state="sale")
        self.assertEqual(order.state, "sale")

    def test_to_approve_then_approve_counted_once(self):
        self.company.write({"po_double_validation": "two_step", "po_double_validation_amount": 500.0})
        self.set_limit(self.supplier, 1100.0)
        order = self.purchase_order(qty=10)
        order.button_confirm()
        self.assertEqual(order.state, "to approve")
        manager = new_test_user(
            self.env,
            "pqc_purchase_manager",
            groups="purchase.group_purchase_manager",
            company_id=self.company.id,
        )
        order.with_user(manager).button_approve()
        self.assertEqual(order.state, "purchase")

    def test_context_flags_and_sudo_do_not_skip(self):
        self.set_limit(self.customer, 100.0)
        order = self.sale_order(qty=10)
        flags = {
            "skip_credit_check": True,
            "credit_released": True,
            "bypass_risk": True,
            "force_confirm": True,
            "partner_credit_release": True,
            "install_mode": True,
            "tracking_disable": True,
        }
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.with_context(**flags).action_confirm()
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.with_context(**flags).sudo().write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_block_reasons_in_order_and_draft_kept(self):
        self.set_limit(self.customer, 100000.0)
        order = self.sale_order(qty=1)
        self.admit(self.customer, self.grade_d)
        with self.assertRaisesRegex(UserError, "needs a release by a credit manager"):
            order.action_confirm()
        self.admit(self.customer, self.grade_e)
        with self.assertRaisesRegex(UserError, "E - Prohibited"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def _count_confirm_queries(self, partner):
        order = self.sale_order(qty=1, partner=partner)
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        order.action_confirm()
        self.env.flush_all()
        self.assertEqual(order.state, "sale")
        return self.cr.sql_log_count - start

    def test_query_count_independent_of_history(self):
        small, big = self.env["res.partner"].create(
            [{"name": f"History {size}", "is_company": True, "partner_role": "customer"} for size in (1, 500)]
        )
        receivable = self.company_data["default_account_receivable"]
        revenue = self.company_data["default_account_revenue"]
        for partner, size in ((small, 1), (big, 500)):
            self.admit(partner)
            self.create_document(partner, number=self.uscc_customer)
            self.set_limit(partner, 10**9)
            # Open receivable items written directly with their lines (as an invoice
            # leaves them, without the invoice form's computations: keeps the test fast).
            moves = self.env["account.move"].create(
                [
                    {
                        "move_type": "entry",
                        "date": "2026-01-15",
                        "line_ids": [
                            Command.create(
                                {"account_id": receivable.id, "partner_id": partner.id, "debit": 10.0}
                            ),
                            Command.create(
                                {"account_id": revenue.id, "partner_id": partner.id, "credit": 10.0}
                            ),
                        ],
                    }
                ]
                * size
            )
            moves.action_post()
            orders = self.env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [Command.create({"product_id": self.service.id, "price_unit": 10.0})],
                    }
                ]
                * size
            )
            # Confirmed history, written directly: what is measured is the next confirmation.
            self.env.flush_all()
            self.cr.execute("UPDATE sale_order SET state = 'sale' WHERE id IN %s", [tuple(orders.ids)])
            self.env.invalidate_all()
            self.assertAlmostEqual(self.exposure(partner)["exposure"], size * 21.0)
        # Warm-up (first confirmation creates the lock rows, caches), then measure.
        self._count_confirm_queries(small)
        self._count_confirm_queries(big)
        self.assertEqual(self._count_confirm_queries(small), self._count_confirm_queries(big))

    def test_gate_checks_the_values_written_with_the_state(self):
        self.set_limit(self.customer, 1100.0)
        blocked = self.env["res.partner"].create({"name": "Not admitted", "is_company": True})
        order = self.sale_order(qty=1)
        with self.assertRaisesRegex(UserError, "Not admitted"):
            order.write({"state": "sale", "partner_id": blocked.id})
        with self.assertRaisesRegex(UserError, r"This confirmation: \$\s?1,210\.00"):
            order.write(
                {
                    "state": "sale",
                    "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 10})],
                }
            )
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(order.order_line), 1)

    def test_confirmed_order_rechecked_when_it_grows_or_moves(self):
        self.set_limit(self.customer, 1100.0)
        order = self.sale_order(qty=5)
        order.action_confirm()
        line = order.order_line
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            line.product_uom_qty = 11
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.write(
                {"order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 6})]}
            )
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            self.env["sale.order.line"].create(
                {"order_id": order.id, "product_id": self.service.id, "product_uom_qty": 6}
            )
        line.product_uom_qty = 10  # up to the limit
        self.assertEqual(order.amount_total, 1100.0)
        self.set_limit(self.customer, 100.0)
        line.product_uom_qty = 4  # lower: never refused, even over the limit
        self.assertEqual(order.amount_total, 440.0)
        blocked = self.env["res.partner"].create({"name": "Not admitted", "is_company": True})
        with self.assertRaisesRegex(UserError, "Not admitted"):
            order.partner_id = blocked
        self.assertEqual(order.partner_id, self.customer)
        # Purchase orders too.
        self.set_limit(self.supplier, 1100.0)
        purchase = self.purchase_order(qty=10)
        purchase.button_confirm()
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            purchase.order_line.product_qty = 11
