# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import PartnerQualificationCommon

SCORES = ["score_standing", "score_cooperation", "score_payment", "score_potential", "score_other"]


@tagged("post_install", "-at_install")
class TestEvaluationRatingFacts(AccountTestInvoicingCommon, PartnerQualificationCommon):
    """Receipt quality, local-time boundaries, money tied up and the limit in force,
    for 2026 H1 in a company in Shanghai."""

    @classmethod
    def setup_independent_user(cls):
        return None  # see TestEvaluationFacts

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_credit_limit_required = False
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.evaluator = new_test_user(
            cls.env, "pqc_rating_fact_evaluator", groups="partner_qualification_credit.group_user"
        )
        for partner in (cls.customer, cls.supplier):
            cls.admit(partner)
            cls.create_document(partner)
        cls.customer.sudo().with_company(cls.company).credit_limit = 10000.0
        cls.product = cls.env["product.product"].create({"name": "Steel coil", "is_storable": True})

    def _evaluation(self, partner=None, role="customer", date_to="2026-06-30", **values):
        vals = {
            "partner_id": (partner or self.customer).id,
            "evaluator_id": self.evaluator.id,
            "role": role,
            "date_from": "2026-01-01",
            "date_to": date_to,
        }
        vals.update(values)
        return self.env["partner.evaluation"].create(vals)

    def _receive(self, receipt_date, qty=5):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.supplier.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_qty": qty,
                            "price_unit": 10,
                            "date_planned": "2026-12-31 10:00:00",
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

    def test_rejected_receipt_lowers_acceptance_rate(self):
        first = self._receive("2026-03-05 02:00:00")
        second = self._receive("2026-03-06 02:00:00")
        first.quality_result = "accepted"
        second.quality_result = "accepted_concession"
        evaluation = self._evaluation(self.supplier, "supplier", **dict.fromkeys(SCORES, 100.0))
        self.assertEqual(evaluation.fact_inspected_count, 2)
        self.assertAlmostEqual(evaluation.fact_acceptance_rate, 100.0)
        self.assertEqual(evaluation.suggested_grade_id.code, "A")
        second.quality_result = "rejected"
        self.assertEqual(second.quality_user_id, self.env.user)
        evaluation.action_refresh_facts()
        self.assertAlmostEqual(evaluation.fact_acceptance_rate, 50.0)
        self.assertEqual(evaluation.suggested_grade_id.code, "C", "below the 95% target")
        self.assertIn("acceptance", evaluation.suggestion_note)
        # the supplier's own target
        self.supplier.sudo().with_company(self.company).target_acceptance_rate = 50.0
        evaluation.action_refresh_facts()
        self.assertEqual(evaluation.suggested_grade_id.code, "A")

    def test_quality_result_only_on_receipts(self):
        receipt = self._receive("2026-03-05 02:00:00")
        delivery_type = self.env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "=", self.company.id)], limit=1
        )
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": delivery_type.id,
                "partner_id": self.customer.id,
                "location_id": receipt.location_dest_id.id,
                "location_dest_id": delivery_type.default_location_dest_id.id,
            }
        )
        with self.assertRaisesRegex(UserError, "not a receipt"):
            delivery.quality_result = "accepted"

    def test_receipt_early_morning_local_time_belongs_to_the_period(self):
        # 01:00 in Shanghai on 1 January is still 31 December in UTC
        first_day = self._receive("2025-12-31 17:00:00")
        # 01:00 in Shanghai on 1 July is 30 June in UTC: after the period
        self._receive("2026-06-30 17:00:00")
        first_day.quality_result = "accepted"
        evaluation = self._evaluation(self.supplier, "supplier")
        self.assertEqual(evaluation.fact_receipt_count, 1)
        self.assertEqual(evaluation.fact_inspected_count, 1)

    def test_tied_up_money_is_the_credit_gate_exposure_with_unbilled_orders(self):
        with freeze_time("2026-06-30 04:00:00"):
            self._create_invoice(
                move_type="out_invoice",
                partner_id=self.customer.id,
                invoice_date="2026-06-01",
                invoice_line_ids=[
                    self._prepare_invoice_line(price_unit=3000.0, tax_ids=self.env["account.tax"])
                ],
                post=True,
            )
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": 2000.0,
                                "tax_ids": False,
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
            self.assertEqual(order.state, "sale")
            evaluation = self._evaluation()
            exposure = (
                self.customer.sudo()
                .with_company(self.company)
                ._get_credit_exposure_by_partner()[self.customer.id]
            )
        self.assertGreater(exposure["sale_order"], 0.0, "the unbilled order is part of the gate's exposure")
        self.assertAlmostEqual(evaluation.fact_tied_up_end, exposure["exposure"])
        self.assertAlmostEqual(evaluation.fact_tied_up_end, 5000.0)
        self.assertAlmostEqual(evaluation.fact_tied_up_peak, 5000.0)
        self.assertAlmostEqual(evaluation.fact_usage_end, 50.0)

    def test_usage_divides_by_the_limit_in_force_at_period_end(self):
        self._create_invoice(
            move_type="out_invoice",
            partner_id=self.customer.id,
            invoice_date="2026-06-01",
            invoice_line_ids=[self._prepare_invoice_line(price_unit=5000.0, tax_ids=self.env["account.tax"])],
            post=True,
        )
        # approved in July: the limit went from 10,000 to 20,000 after the period
        later = self._evaluation(date_to="2026-06-30")
        later.sudo().write(
            {"state": "approved", "approval_date": "2026-07-05 10:00:00", "previous_credit_limit": 10000.0}
        )
        self.customer.sudo().with_company(self.company).credit_limit = 20000.0
        evaluation = self._evaluation()
        self.assertAlmostEqual(evaluation.fact_credit_limit, 10000.0)
        self.assertAlmostEqual(evaluation.fact_usage_end, 50.0)
        current = self._evaluation(date_to="2026-07-31")
        self.assertAlmostEqual(current.fact_credit_limit, 20000.0)
        self.assertAlmostEqual(current.fact_usage_end, 25.0)

    def _invoice(self, amount, date):
        with freeze_time(f"{date} 04:00:00"):
            return self._create_invoice(
                move_type="out_invoice",
                partner_id=self.customer.id,
                invoice_date=date,
                invoice_line_ids=[
                    self._prepare_invoice_line(price_unit=amount, tax_ids=self.env["account.tax"])
                ],
                post=True,
            )

    def test_past_period_tied_up_is_the_gate_exposure_then(self):
        """Measured after the period has ended (the gate only measures the present): the
        same figure as the gate gave on the last day, unbilled orders included, even
        once the order has been invoiced since."""
        self._invoice(3000.0, "2026-06-01")
        with freeze_time("2026-06-30 04:00:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 2,
                                "price_unit": 1000.0,
                                "tax_ids": False,
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
            gate = (
                self.customer.sudo()
                .with_company(self.company)
                ._get_credit_exposure_by_partner()[self.customer.id]["exposure"]
            )
        self.assertAlmostEqual(gate, 5000.0)
        # invoiced in July: a receivable now, still an unbilled order at the end of June
        with freeze_time("2026-07-10 04:00:00"):
            order.order_line.qty_delivered = 2
            invoice = order._create_invoices()
            invoice.invoice_date = "2026-07-10"
            invoice.action_post()
        with freeze_time("2026-11-30 04:00:00"):
            evaluation = self._evaluation()
        self.assertAlmostEqual(evaluation.fact_tied_up_end, gate)
        self.assertAlmostEqual(evaluation.fact_tied_up_peak, gate)
        self.assertAlmostEqual(evaluation.fact_usage_end, 50.0)

    def test_past_period_tied_up_counts_invoices_and_refunds_of_the_period(self):
        """What an order left to invoice at the end of a past period: its invoices and
        refunds posted by then count (a refund gives the quantity back), later ones not;
        another order of the partner is summed on its own."""
        with freeze_time("2026-05-04 04:00:00"):
            order, other = self.env["sale.order"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.product.id,
                                    "product_uom_qty": qty,
                                    "price_unit": 1000.0,
                                    "tax_ids": False,
                                }
                            )
                        ],
                    }
                    for qty in (4, 1)
                ]
            )
            (order | other).action_confirm()
            invoice = order._create_invoices()
            invoice.invoice_line_ids.quantity = 3
            invoice.invoice_date = "2026-05-04"
            invoice.action_post()
        with freeze_time("2026-06-10 04:00:00"):
            refund = invoice._reverse_moves([{"invoice_date": "2026-06-10", "date": "2026-06-10"}])
            refund.invoice_line_ids.quantity = 1
            refund.action_post()
        with freeze_time("2026-07-10 04:00:00"):
            later = order._create_invoices()
            later.invoice_date = "2026-07-10"
            later.action_post()
        with freeze_time("2026-11-30 04:00:00"):
            evaluation = self._evaluation()
        # Receivable at the end of June: 3,000 invoiced less 1,000 refunded. Left to
        # invoice then: 2 of the first order's 4 units, and the other order.
        self.assertAlmostEqual(evaluation.fact_receivable_end, 2000.0)
        self.assertAlmostEqual(evaluation.fact_tied_up_end, 2000.0 + 2000.0 + 1000.0)

    def test_usage_divides_by_the_limit_before_a_later_limit_change(self):
        self._invoice(5000.0, "2026-06-01")
        manager = new_test_user(
            self.env, "pqc_rating_fact_limit", groups="partner_qualification_credit.group_credit_manager"
        )
        with freeze_time("2026-07-05 04:00:00"):
            change = (
                self.env["partner.qualification.change"]
                .with_user(manager)
                ._propose(self.customer, "Bigger orders from July", limit=20000.0)
            )
        self.assertEqual(change.state, "approved")
        self.assertEqual(self.customer.with_company(self.company).sudo().credit_limit, 20000.0)
        evaluation = self._evaluation()
        self.assertAlmostEqual(evaluation.fact_credit_limit, 10000.0, "the limit in force on 30 June")
        self.assertAlmostEqual(evaluation.fact_usage_end, 50.0)

    def test_days_over_the_limit_and_campaign_summary_columns(self):
        partner = self.customer.sudo().with_company(self.company)
        partner.credit_limit = 50000.0  # the invoice gate would refuse the second invoice
        self._invoice(4000.0, "2026-03-01")
        self._invoice(8000.0, "2026-06-21")  # 12,000 over 10,000 from 21 to 30 June
        partner.credit_limit = 10000.0  # in force since (tracking off: no earlier history)
        evaluation = self._evaluation(**dict.fromkeys(SCORES, 90.0))
        self.assertEqual(evaluation.fact_days_over_limit, 10)
        self.assertAlmostEqual(evaluation.fact_usage_peak, 120.0)
        campaign = self.env["partner.evaluation.campaign"].create(
            {"name": "2026 H1", "date_from": "2026-01-01", "date_to": "2026-06-30", "scope": "both"}
        )
        evaluation.sudo().campaign_id = campaign
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "partner_qualification_credit.action_report_partner_evaluation_campaign", campaign.ids
        )
        html = html.decode()
        for label in ("Tied Up (End)", "Tied Up (Peak)", "Limit", "Peak Usage (%)", "Days over the Limit"):
            self.assertIn(label, html)
        self.assertIn("Totals per grade", html)
        self.assertIn("120.0", html)
        self.assertIn("12,000.00", html)

    def test_weekly_supplier_kpi(self):
        first = self._receive("2026-03-03 02:00:00")
        second = self._receive("2026-03-04 02:00:00")
        first.quality_result = "accepted"
        second.quality_result = "rejected"
        self.supplier.sudo().with_company(self.company).target_acceptance_rate = 80.0
        kpi = self.env["partner.supplier.kpi"]
        rows = kpi._read_group(
            [("partner_id", "=", self.supplier.id)],
            groupby=["date_done:week"],
            aggregates=[
                "receipt_count:sum",
                "on_time_rate:avg",
                "acceptance_rate:avg",
                "target_acceptance_rate:avg",
            ],
        )
        self.assertEqual(len(rows), 1, "one week")
        _week, count, on_time, accepted, target = rows[0]
        self.assertEqual(count, 2)
        self.assertAlmostEqual(on_time, 100.0)
        self.assertAlmostEqual(accepted, 50.0)
        self.assertAlmostEqual(target, 80.0)
