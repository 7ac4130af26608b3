# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.models import BaseModel
from odoo.tests import Form, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditExposure(CreditControlCommon):
    """Each component is counted exactly once, whatever the document's stage."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False  # unlimited: confirmations pass

    def assertExposure(self, partner=None, **expected):
        figures = self.exposure(partner)
        for key, amount in expected.items():
            self.assertAlmostEqual(figures[key], amount, places=2, msg=key)

    def test_sale_order_partly_invoiced_and_paid(self):
        order = self.sale_order(qty=10)
        order.action_confirm()
        self.assertExposure(sale_order=1100.0, draft_invoice=0.0, receivable=0.0, exposure=1100.0)
        invoice = order._create_invoices()
        invoice.invoice_line_ids.quantity = 4
        # The draft invoice counts 4 units, the order the 6 others: nothing twice.
        self.assertExposure(sale_order=660.0, draft_invoice=440.0, receivable=0.0, exposure=1100.0)
        invoice.action_post()
        self.assertExposure(sale_order=660.0, draft_invoice=0.0, receivable=440.0, exposure=1100.0)
        self._register_payment(invoice, amount=200.0)
        self.assertExposure(sale_order=660.0, receivable=240.0, exposure=900.0)
        # Partner page: same figures, usage 0 while unlimited.
        partner = self.customer.with_company(self.company)
        self.assertAlmostEqual(partner.credit_exposure, 900.0)
        self.assertAlmostEqual(partner.credit_receivable, 240.0)
        self.assertTrue(partner.credit_unlimited)

    def test_down_payment_counted_once(self):
        order = self.sale_order(qty=10)
        order.action_confirm()
        dp_invoice = self._create_down_payment_invoice(order, "fixed", 300.0)
        dp_total = dp_invoice.amount_total
        self.assertExposure(draft_invoice=dp_total, exposure=1100.0)
        dp_invoice.action_post()
        self.assertExposure(receivable=dp_total, sale_order=1100.0 - dp_total, exposure=1100.0)
        self._register_payment(dp_invoice)
        self.assertExposure(receivable=0.0, exposure=1100.0 - dp_total)
        final = self._create_final_invoice(order, post=True)
        self.assertAlmostEqual(final.amount_total, 1100.0 - dp_total)
        self.assertExposure(receivable=1100.0 - dp_total, sale_order=0.0, exposure=1100.0 - dp_total)

    def test_credit_note_and_unapplied_payment(self):
        invoice = self.customer_invoice(1000.0)
        self.assertExposure(receivable=1100.0)
        self.customer_invoice(300.0, move_type="out_refund")
        self.assertExposure(receivable=770.0, exposure=770.0)
        payment = self.env["account.payment"].create(
            {
                "amount": 100.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "date": "2026-02-01",
            }
        )
        payment.action_post()
        self.assertExposure(receivable=670.0)
        # A draft credit note from the invoice lowers nothing until posted, then reconciled.
        credit_note = self._reverse_invoice(invoice)
        self.assertExposure(draft_invoice=0.0, exposure=670.0)
        credit_note.action_post()
        self.assertExposure(draft_invoice=0.0, receivable=-430.0)

    def test_foreign_currency_converted_at_document_date(self):
        eur = self.setup_other_currency("EUR", rates=[("2025-12-01", 2.0), ("2026-03-01", 4.0)])
        self.customer_invoice(200.0, currency_id=eur.id)  # 220 EUR on 2026-01-15 at 2.0
        self.assertExposure(receivable=110.0)
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        order = self.sale_order(qty=2, price=200.0, pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, eur)
        order.action_confirm()  # 440 EUR on 2026-03-02 at 4.0
        self.assertExposure(receivable=110.0, sale_order=110.0, exposure=220.0)

    def test_partner_list_shows_each_partner_its_own_figures(self):
        """Read together (a list, the Exposure view), partners with different figures
        keep their own: the batch assignment never spreads one partner's to the others."""
        self.sale_order(qty=10).action_confirm()
        self.set_limit(self.customer, 2000.0)
        self.set_limit(self.supplier, 5000.0)
        partners = (self.customer | self.supplier).with_company(self.company)
        partners.invalidate_recordset()
        self.assertEqual(partners.mapped("credit_exposure"), [1100.0, 0.0])
        self.assertEqual(partners.mapped("credit_sale_order"), [1100.0, 0.0])
        self.assertEqual(partners.mapped("credit_available"), [900.0, 5000.0])
        self.assertEqual(partners.mapped("credit_usage"), [55.0, 0.0])

    def test_supplier_purchase_order_bills_and_prepayment(self):
        order = self.purchase_order(qty=10)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertExposure(self.supplier, purchase_order=1100.0, prepayment=0.0, exposure=1100.0)
        order.action_create_invoice()
        bill = self.env["account.move"].browse(order.invoice_ids.ids)
        bill.invoice_date = "2026-03-01"
        bill.invoice_line_ids.quantity = 4
        # Draft vendor bills are off by default: the 4 units stay on the order...
        self.assertExposure(self.supplier, purchase_order=1100.0, draft_bill=0.0, exposure=1100.0)
        self.company.partner_credit_draft_bill = True
        self.assertExposure(self.supplier, purchase_order=660.0, draft_bill=440.0, exposure=1100.0)
        bill.action_post()
        # ...counted as billed when the switch is on, and a posted bill is money we owe,
        # not money tied up.
        self.assertExposure(
            self.supplier, purchase_order=660.0, draft_bill=0.0, prepayment=0.0, exposure=660.0
        )
        advance = self.env["account.payment"].create(
            {
                "amount": 1000.0,
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": self.supplier.id,
                "date": "2026-03-01",
            }
        )
        advance.action_post()
        # Paid 1000 against a 440 bill: 560 prepaid.
        self.assertExposure(self.supplier, purchase_order=660.0, prepayment=560.0, exposure=1220.0)

    def test_switches_and_both_sides(self):
        self.customer_invoice(100.0)
        order = self.purchase_order(qty=1, partner=self.customer)
        order.button_confirm()
        self.assertExposure(receivable=110.0, purchase_order=110.0, exposure=220.0)
        self.company.partner_credit_receivable = False
        self.assertExposure(receivable=0.0, purchase_order=110.0, exposure=110.0)
        self.company.partner_credit_purchase_order = False
        self.assertExposure(purchase_order=0.0, exposure=0.0)

    def test_contacts_and_other_companies(self):
        contact = self.env["res.partner"].create({"name": "Ms Qian", "parent_id": self.customer.id})
        self.customer_invoice(100.0, partner=contact)
        self.assertExposure(receivable=110.0)
        other_company = self.env["res.company"].create({"name": "Other company"})
        self.assertEqual(
            self.customer.with_company(other_company)._get_credit_exposure_by_partner()[self.customer.id][
                "exposure"
            ],
            0.0,
        )
        partner = self.customer.with_company(self.company)
        self.set_limit(self.customer, 440.0)
        self.company.partner_credit_limit_required = True
        self.assertAlmostEqual(partner.credit_usage, 25.0)
        self.assertAlmostEqual(partner.credit_available, 330.0)

    def test_new_partner_form_computes_without_history(self):
        form = Form(self.env["res.partner"].with_user(self.credit_manager))
        form.name = "Brand new Co."
        self.assertEqual(form.credit_exposure, 0.0)
        self.assertEqual(form.credit_usage, 0.0)
        partner = form.save()
        self.assertTrue(partner.with_company(self.company).credit_unlimited)

    def test_flush_covers_every_column_read(self):
        """The exposure queries read the tables directly: pending writes on any column
        they read must be flushed first, and on every column the balances' triggers
        watch (the balances are written when those rows are)."""
        flushed = set()
        flush_model = BaseModel.flush_model

        def spy(records, fnames=None):
            flushed.update((records._name, fname) for fname in fnames or ())
            return flush_model(records, fnames)

        with patch.object(BaseModel, "flush_model", spy):
            self.env["res.partner"]._flush_credit_data()
        for expected in (
            ("account.move.line", "amount_residual"),
            ("account.move.line", "reconciled"),
            ("account.move.line", "date_maturity"),
            ("account.move", "credit_draft_amount"),
            ("account.account", "account_type"),
            ("sale.order", "credit_open_amount"),
            ("sale.order", "partner_invoice_id"),
            ("purchase.order", "credit_downpayment_amount"),
            ("res.partner", "commercial_partner_id"),
        ):
            self.assertIn(expected, flushed)
