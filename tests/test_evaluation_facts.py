# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..models.partner_evaluation import SCORE_FIELDS
from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestEvaluationFacts(AccountTestInvoicingCommon, PartnerQualificationCommon):
    """Facts of the period 2026-01-01 .. 2026-06-30 computed from invoices, payments,
    receipts and returns prepared for one customer and one supplier."""

    @classmethod
    def setup_independent_user(cls):
        # Account's non-superuser "accountman" cannot create users here: res.users passes
        # the partner's default admission_state ('none') to res.partner.create, which
        # the protected-field check refuses (reported to the lead).
        return None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_credit_limit_required = False
        cls.evaluator = new_test_user(
            cls.env, "pqc_fact_evaluator", groups="partner_qualification_credit.group_user"
        )
        for partner in (cls.customer, cls.supplier):
            cls.admit(partner)
            cls.create_document(partner)
        cls.customer.sudo().with_company(cls.company).credit_limit = 10000.0
        cls.no_tax = cls.env["account.tax"]

    def _invoice(self, amount, invoice_date, due_date, move_type="out_invoice", partner=None):
        return self._create_invoice(
            move_type=move_type,
            partner_id=(partner or self.customer).id,
            invoice_date=invoice_date,
            invoice_date_due=due_date,
            invoice_payment_term_id=False,
            invoice_line_ids=[self._prepare_invoice_line(price_unit=amount, tax_ids=self.no_tax)],
            post=True,
        )

    def _evaluation(self, partner=None, role="customer"):
        return self.env["partner.evaluation"].create(
            {
                "partner_id": (partner or self.customer).id,
                "evaluator_id": self.evaluator.id,
                "role": role,
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
            }
        )

    def _prepare_customer_history(self):
        # Opening: 1000 invoiced in December, paid mid-February (76 days).
        invoice_a = self._invoice(1000.0, "2025-12-01", "2025-12-31")
        self._register_payment(invoice_a, payment_date="2026-02-15")
        # 5000 due end of March, never paid: 91 days overdue on June 30.
        self._invoice(5000.0, "2026-03-01", "2026-03-31")
        # 2000 paid after 10 days.
        invoice_c = self._invoice(2000.0, "2026-03-10", "2026-04-09")
        self._register_payment(invoice_c, payment_date="2026-03-20")

    def test_customer_facts(self):
        self._prepare_customer_history()
        evaluation = self._evaluation()
        self.assertAlmostEqual(evaluation.fact_turnover_sale, 7000.0)
        # (1000 * 76 + 2000 * 10) / 3000
        self.assertAlmostEqual(evaluation.fact_avg_days_to_pay, 32.0)
        self.assertAlmostEqual(evaluation.fact_overdue_amount, 5000.0)
        self.assertEqual(evaluation.fact_overdue_days, 91)
        # 1000 (opening) -> 0 (Feb 15) -> 5000 (Mar 1) -> 7000 (Mar 10) -> 5000 (Mar 20)
        self.assertAlmostEqual(evaluation.fact_receivable_peak, 7000.0)
        self.assertAlmostEqual(evaluation.fact_receivable_end, 5000.0)
        self.assertAlmostEqual(evaluation.fact_credit_limit, 10000.0)
        self.assertAlmostEqual(evaluation.fact_usage_end, 50.0)
        self.assertAlmostEqual(evaluation.fact_usage_peak, 70.0)
        # 91 days overdue caps the suggestion at D, whatever the score
        evaluation.write(
            dict.fromkeys(
                SCORE_FIELDS,
                100.0,
            )
        )
        self.assertGreaterEqual(evaluation.score, 80)
        self.assertEqual(evaluation.suggested_grade_id, self.grade_d)
        self.assertIn("capped at D", evaluation.suggestion_note)

    def test_late_payment_raises_days_to_pay_and_overdue(self):
        invoice = self._invoice(1000.0, "2026-02-01", "2026-03-03")
        self._register_payment(invoice, payment_date="2026-02-11")
        on_time = self._evaluation()
        self.assertAlmostEqual(on_time.fact_avg_days_to_pay, 10.0)
        self.assertFalse(on_time.fact_overdue_amount)
        late = self._invoice(1000.0, "2026-04-01", "2026-05-01")
        evaluation = self._evaluation()
        self.assertAlmostEqual(evaluation.fact_overdue_amount, 1000.0)
        self.assertEqual(evaluation.fact_overdue_days, 60)
        self._register_payment(late, payment_date="2026-06-30")
        evaluation = self._evaluation()
        self.assertFalse(evaluation.fact_overdue_amount)
        self.assertAlmostEqual(evaluation.fact_avg_days_to_pay, (10 + 90) / 2)

    def test_payment_after_period_end_still_overdue(self):
        invoice = self._invoice(800.0, "2026-05-01", "2026-05-31")
        self._register_payment(invoice, payment_date="2026-07-10")
        evaluation = self._evaluation()
        self.assertAlmostEqual(evaluation.fact_overdue_amount, 800.0)
        self.assertEqual(evaluation.fact_overdue_days, 30)
        self.assertAlmostEqual(evaluation.fact_receivable_end, 800.0)
        self.assertFalse(evaluation.fact_avg_days_to_pay, "paid after the period")

    def test_facts_frozen_at_submission(self):
        self._prepare_customer_history()
        evaluation = self._evaluation()
        evaluation.write(
            dict.fromkeys(
                SCORE_FIELDS,
                80.0,
            )
        )
        evaluation.reason = "Known partner"
        evaluation.with_user(self.evaluator).action_submit()
        self.assertEqual(evaluation.state, "submitted")
        self._invoice(3000.0, "2026-06-01", "2026-07-01")
        evaluation.action_refresh_facts()
        evaluation.invalidate_recordset()
        self.assertAlmostEqual(evaluation.fact_turnover_sale, 7000.0)
        self.assertAlmostEqual(evaluation.fact_receivable_peak, 7000.0)
        draft = self._evaluation()
        self.assertAlmostEqual(draft.fact_turnover_sale, 10000.0)
        self.assertAlmostEqual(draft.fact_receivable_peak, 8000.0)

    def _receive(self, date_planned, qty, receipt_date):
        product = self.env["product.product"].create({"name": "Steel coil", "is_storable": True})
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.supplier.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": qty,
                            "price_unit": 10,
                            "date_planned": date_planned,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        with freeze_time(receipt_date):
            picking.move_ids.quantity = qty
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def test_supplier_facts(self):
        self._receive("2026-03-10 10:00:00", 6, "2026-03-05 09:00:00")
        late = self._receive("2026-03-10 10:00:00", 4, "2026-03-20 09:00:00")
        evaluation = self._evaluation(self.supplier, "supplier")
        self.assertEqual(evaluation.fact_receipt_count, 2)
        self.assertAlmostEqual(evaluation.fact_on_time_rate, 60.0)
        self.assertFalse(evaluation.fact_returned_share)
        self.assertFalse(evaluation.suggested_grade_id, "not scored yet: no suggestion")
        evaluation.write(
            dict.fromkeys(
                SCORE_FIELDS,
                100.0,
            )
        )
        self.assertEqual(evaluation.suggested_grade_id, self.grade_c, "on-time below 70% caps at C")
        self.assertIn("on-time delivery 60%", evaluation.suggestion_note)
        # one unit of the late receipt goes back
        with freeze_time("2026-03-25 09:00:00"):
            wizard = Form(
                self.env["stock.return.picking"].with_context(
                    active_ids=late.ids, active_id=late.id, active_model="stock.picking"
                )
            ).save()
            wizard.product_return_moves.write({"quantity": 1.0})
            return_picking = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            return_picking.move_ids.quantity = 1
            return_picking.move_ids.picked = True
            return_picking.button_validate()
        evaluation = self._evaluation(self.supplier, "supplier")
        self.assertAlmostEqual(evaluation.fact_returned_share, 10.0)
        self.assertAlmostEqual(evaluation.fact_on_time_rate, 60.0)

    def test_late_receipt_lowers_on_time_rate(self):
        self._receive("2026-02-10 10:00:00", 5, "2026-02-09 09:00:00")
        self.assertAlmostEqual(self._evaluation(self.supplier, "supplier").fact_on_time_rate, 100.0)
        self._receive("2026-02-10 10:00:00", 5, "2026-02-12 09:00:00")
        self.assertAlmostEqual(self._evaluation(self.supplier, "supplier").fact_on_time_rate, 50.0)

    def test_supplier_prepayment_peak(self):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": self.supplier.id,
                "amount": 3000.0,
                "date": "2026-02-01",
            }
        )
        payment.action_post()
        self._invoice(3000.0, "2026-02-20", "2026-03-20", move_type="in_invoice", partner=self.supplier)
        evaluation = self._evaluation(self.supplier, "supplier")
        self.assertAlmostEqual(evaluation.fact_prepayment_peak, 3000.0)
        self.assertAlmostEqual(evaluation.fact_prepayment_end, 0.0)
        self.assertAlmostEqual(evaluation.fact_turnover_purchase, 3000.0)
