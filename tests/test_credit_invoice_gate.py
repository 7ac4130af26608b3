# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditInvoiceGate(CreditControlCommon):
    """Invoices, bills and supplier advances create credit outside orders: they pass
    the same engine when posted, and a credit manager releases them the same way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "pqc_accountant",
            groups="account.group_account_invoice,partner_qualification_credit.group_user",
            company_id=cls.company.id,
        )
        cls.treasurer = new_test_user(
            cls.env,
            "pqc_treasurer",
            groups="account.group_account_invoice,partner_qualification_credit.group_credit_manager",
            company_id=cls.company.id,
        )

    def release(self, document, reason="Guaranteed by the parent company"):
        action = document.with_user(self.treasurer).action_open_credit_release()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.treasurer).with_context(**action["context"])
        )
        wizard.reason = reason
        wizard.save().action_release_confirm()

    def supplier_payment(self, amount):
        return self.env["account.payment"].create(
            {
                "amount": amount,
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": self.supplier.id,
                "date": "2026-03-01",
            }
        )

    def test_direct_invoice_over_limit_refused_then_released(self):
        self.set_limit(self.customer, 1000.0)
        self.customer_invoice(800.0)  # 880 receivable
        invoice = self.customer_invoice(200.0, post=False).with_user(self.accountant)
        with self.assertRaisesRegex(UserError, r"(?s)over its credit limit.*Total: \$\s?1,100\.00"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertTrue(invoice.credit_release_needed)
        invoice.action_request_credit_release()
        self.assertEqual(
            invoice.activity_ids.activity_type_id,
            self.env.ref("partner_qualification_credit.mail_activity_type_credit_release"),
        )
        self.release(invoice)
        self.assertEqual(invoice.state, "posted")
        release = self.env["partner.credit.release"].search([("move_id", "=", invoice.id)])
        self.assertEqual(release.partner_id, self.customer)
        self.assertAlmostEqual(release.order_amount, 220.0)
        self.assertFalse(invoice.activity_ids)

    def test_invoice_from_confirmed_order_not_checked_again(self):
        self.set_limit(self.customer, 1100.0)
        order = self.sale_order(qty=10)
        order.action_confirm()
        self.set_limit(self.customer, 100.0)  # lowered after confirmation
        invoice = order._create_invoices()
        invoice.action_post()  # adds nothing: the order is counted already
        self.assertEqual(invoice.state, "posted")
        # An extra line outside the order is what the invoice adds: checked.
        invoice2 = self.customer_invoice(50.0, post=False)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            invoice2.action_post()

    def test_invoice_gate_checks_partner_and_setting(self):
        self.company.partner_credit_limit_required = False
        stranger = self.env["res.partner"].create({"name": "Never admitted Ltd", "is_company": True})
        invoice = self.customer_invoice(100.0, partner=stranger, post=False)
        with self.assertRaisesRegex(UserError, "Never admitted Ltd is not admitted"):
            invoice.action_post()
        self.company.partner_credit_gate_invoice = False
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_direct_vendor_bill_over_limit_refused(self):
        self.set_limit(self.supplier, 500.0)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.supplier.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "price_unit": 1000.0,
                            "tax_ids": [Command.set(self.tax_purchase.ids)],
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            bill.action_post()
        self.company.partner_credit_gate_bill = False
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_supplier_advance_over_limit_refused_then_released(self):
        self.set_limit(self.supplier, 1000.0)
        self.purchase_order(qty=5).button_confirm()  # 550 committed
        advance = self.supplier_payment(600.0)
        with self.assertRaisesRegex(UserError, r"(?s)over its credit limit.*Total: \$\s?1,150\.00"):
            advance.with_user(self.accountant).action_post()
        self.assertEqual(advance.state, "draft")
        self.assertTrue(advance.credit_release_needed)
        self.release(advance)
        self.assertNotEqual(advance.state, "draft")
        self.assertTrue(self.env["partner.credit.release"].search([("payment_id", "=", advance.id)]))
        self.assertAlmostEqual(self.exposure(self.supplier)["prepayment"], 600.0)

    def test_paying_open_bills_is_no_advance(self):
        self.set_limit(self.supplier, 100.0)
        self.company.partner_credit_gate_bill = False
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.supplier.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    Command.create({"name": "Service", "price_unit": 1000.0, "tax_ids": []})
                ],
            }
        )
        bill.action_post()
        payment = self.supplier_payment(1000.0)
        payment.action_post()  # pays what we owe: no prepayment, not checked
        self.assertNotEqual(payment.state, "draft")
        # One more is an advance of 1000 over a limit of 100.
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            self.supplier_payment(1000.0).action_post()
