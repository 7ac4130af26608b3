# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditExposureForgery(CreditControlCommon):
    """The exposure reads nothing an order user can write: every stored amount or
    quantity the ORM computes is refused over RPC, and drafts never lower it."""

    SALE_LINE_FORGERIES = {
        "is_downpayment": True,
        "qty_invoiced": 90.0,
        "qty_to_invoice": 0.0,
        "price_total": 0.0,
        "price_subtotal": 0.0,
        "price_tax": 0.0,
        "untaxed_amount_invoiced": 9000.0,
        "untaxed_amount_to_invoice": 0.0,
        "invoice_status": "invoiced",
    }
    SALE_ORDER_FORGERIES = {
        "currency_rate": 1000.0,
        "amount_total": 0.0,
        "amount_untaxed": 0.0,
        "amount_tax": 0.0,
        "invoice_status": "invoiced",
    }
    PURCHASE_LINE_FORGERIES = {
        "is_downpayment": True,
        "qty_invoiced": 90.0,
        "qty_to_invoice": 0.0,
        "price_total": 0.0,
        "price_subtotal": 0.0,
        "price_tax": 0.0,
    }
    PURCHASE_ORDER_FORGERIES = SALE_ORDER_FORGERIES

    def assertLimitHolds(self, make_order):
        """A second order of 1,100 over an exposure of 9,900 and a 10,000 limit is refused."""
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            make_order()

    def test_forged_sale_writes_refused_and_limit_holds(self):
        self.set_limit(self.customer, 10000.0)
        order = self.sale_order(qty=90)
        order.action_confirm()
        self.assertAlmostEqual(self.exposure()["exposure"], 9900.0)
        line = order.order_line.with_user(self.user)
        forged = [(line, field, value) for field, value in self.SALE_LINE_FORGERIES.items()]
        forged += [
            (order.with_user(self.user), field, value) for field, value in self.SALE_ORDER_FORGERIES.items()
        ]
        for record, field, value in forged:
            with self.subTest(model=record._name, field=field):
                with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
                    record.write({field: value})
                if record._name == "sale.order.line":
                    # Through the order's one2many, as the web client sends it.
                    with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
                        order.with_user(self.user).write(
                            {"order_line": [Command.update(line.id, {field: value})]}
                        )
                self.assertAlmostEqual(self.exposure()["exposure"], 9900.0)
                self.assertLimitHolds(lambda: self.sale_order(qty=10).action_confirm())

    def test_forged_sale_values_on_new_records_refused(self):
        self.set_limit(self.customer, 10000.0)
        self.sale_order(qty=90).action_confirm()
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            self.sale_order(qty=10, currency_rate=1000.0)
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            self.env["sale.order"].with_user(self.user).with_context(default_currency_rate=1000.0).create(
                {"partner_id": self.customer.id}
            )
        quotation = self.sale_order(qty=10)
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            self.env["sale.order.line"].with_user(self.user).with_context(default_price_total=0.0).create(
                {"order_id": quotation.id, "product_id": self.service.id, "product_uom_qty": 10}
            )
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            quotation.with_user(self.user).copy({"amount_total": 0.0})
        # A line created as a down payment with a quantity is an ordinary line.
        quotation.with_user(self.user).write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.service.id, "product_uom_qty": 10, "is_downpayment": True}
                    )
                ]
            }
        )
        self.assertLimitHolds(quotation.with_user(self.user).action_confirm)

    def test_forged_purchase_writes_refused_and_limit_holds(self):
        self.set_limit(self.supplier, 10000.0)
        order = self.purchase_order(qty=90)
        order.button_confirm()
        self.assertAlmostEqual(self.exposure(self.supplier)["exposure"], 9900.0)
        line = order.order_line.with_user(self.user)
        forged = [(line, field, value) for field, value in self.PURCHASE_LINE_FORGERIES.items()]
        forged += [
            (order.with_user(self.user), field, value)
            for field, value in self.PURCHASE_ORDER_FORGERIES.items()
        ]
        for record, field, value in forged:
            with self.subTest(model=record._name, field=field):
                with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
                    record.write({field: value})
                self.assertAlmostEqual(self.exposure(self.supplier)["exposure"], 9900.0)
                self.assertLimitHolds(lambda: self.purchase_order(qty=10).button_confirm())

    def test_draft_credit_note_does_not_let_order_pass(self):
        self.set_limit(self.customer, 10000.0)
        self.customer_invoice(1000.0)
        self.customer_invoice(1000000.0, move_type="out_refund", post=False)
        self.customer_invoice(-500000.0, post=False)  # a negative draft invoice
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 0.0)
        self.assertAlmostEqual(self.exposure()["exposure"], 1100.0)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            self.sale_order(qty=90).action_confirm()

    def test_draft_invoice_of_an_order_keeps_it_counted(self):
        self.company.partner_credit_draft_invoice = False
        self.set_limit(self.customer, 10000.0)
        order = self.sale_order(qty=90)
        order.action_confirm()
        invoice = order._create_invoices()
        # A draft of the whole order, even re-priced to almost nothing, lowers nothing.
        invoice.invoice_line_ids.price_unit = 0.01
        self.assertAlmostEqual(self.exposure()["exposure"], 9900.0)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            self.sale_order(qty=10).action_confirm()
        # Posted, it is what the customer owes.
        invoice.action_post()
        self.assertAlmostEqual(self.exposure()["exposure"], 0.99)

    def test_paid_supplier_down_payment_keeps_po_and_prepayment(self):
        self.company.partner_credit_limit_required = False
        order = self.purchase_order(qty=10)
        order.button_confirm()
        dp_bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.supplier.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Advance",
                            "price_unit": 300.0,
                            "tax_ids": [Command.set(self.tax_purchase.ids)],
                        }
                    )
                ],
            }
        )
        dp_bill.action_post()
        self._register_payment(dp_bill)
        self.env.flush_all()
        match_lines = self.env["purchase.bill.line.match"].search([("partner_id", "=", self.supplier.id)])
        action = match_lines.action_add_to_po()
        wizard = (
            self.env["bill.to.po.wizard"]
            .with_context(**action["context"], active_ids=match_lines.ids)
            .create({"purchase_order_id": order.id})
        )
        wizard.action_add_downpayment()
        self.assertTrue(order.order_line.filtered(lambda line: line.is_downpayment and not line.display_type))
        figures = self.exposure(self.supplier)
        self.assertAlmostEqual(figures["purchase_order"], 770.0)
        self.assertAlmostEqual(figures["prepayment"], 330.0)
        self.assertAlmostEqual(figures["exposure"], 1100.0)
        # The final bill deducts the down payment: the order is billed, nothing is left.
        order.action_create_invoice()
        final = (
            self.env["account.move"]
            .browse(order.invoice_ids.ids)
            .filtered(lambda move: move.state == "draft")
        )
        final.invoice_date = "2026-03-02"
        final.action_post()
        figures = self.exposure(self.supplier)
        self.assertAlmostEqual(figures["purchase_order"], 0.0)
        self.assertAlmostEqual(figures["prepayment"], 0.0)
