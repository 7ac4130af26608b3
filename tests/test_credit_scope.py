# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditScope(CreditControlCommon):
    """Whose credit and which companies: the paying partner, the root company with its
    branches; and what a confirmed order that grows passes again."""

    def test_invoice_address_partner_is_checked(self):
        payer = self.env["res.partner"].create({"name": "Grade E Holding", "is_company": True})
        self.admit(payer, grade=self.grade_e)
        self.create_document(payer)
        self.set_limit(self.customer, 100000.0)
        self.set_limit(payer, 100000.0)
        order = self.sale_order(qty=10, partner_invoice_id=payer.id)
        self.assertEqual(order._get_credit_partner(), payer)
        with self.assertRaisesRegex(UserError, "Grade E Holding is graded E"):
            order.action_confirm()
        # A paying partner in good standing: its credit is used, not the ordering one's.
        self.admit(payer, grade=self.grade_c)
        self.set_limit(payer, 1000.0)
        with self.assertRaisesRegex(UserError, "exposure of Grade E Holding over its credit limit"):
            order.action_confirm()
        self.set_limit(payer, 1100.0)
        order.action_confirm()
        self.assertAlmostEqual(self.exposure(payer)["sale_order"], 1100.0)
        self.assertAlmostEqual(self.exposure(self.customer)["sale_order"], 0.0)
        # The ordering partner is gated too: admission, grade, documents.
        self.set_limit(payer, 100000.0)
        self.admit(self.customer, grade=self.grade_e)
        order = self.sale_order(qty=1, partner_invoice_id=payer.id)
        self.assertEqual(order.credit_warning_level, "danger")
        self.assertIn("Hangzhou Xinhe Trading Co., Ltd. is graded E", order.credit_warning)
        with self.assertRaisesRegex(UserError, "Hangzhou Xinhe Trading Co., Ltd. is graded E"):
            order.action_confirm()

    def test_branch_business_counts_against_root_limit(self):
        self.company.write(
            {"child_ids": [Command.create({"name": "Branch A"}), Command.create({"name": "Branch B"})]}
        )
        self.cr.precommit.run()  # charts of accounts of the branches
        branch_a, branch_b = self.company.child_ids
        for branch in branch_a | branch_b:
            self.customer.with_company(branch).sudo().write(
                {"admission_state": "approved", "qualification_grade_id": self.grade_c.id}
            )
        self.user.company_ids |= branch_a | branch_b
        self.set_limit(self.customer, 3000.0)  # the root company's limit
        self.sale_order(qty=10).action_confirm()  # root: 1,100
        self.sale_order(
            qty=10, company_id=branch_a.id, user=self.user.with_company(branch_a)
        ).action_confirm()
        self.customer_invoice(500.0)  # root: 550
        for company in (self.company, branch_a, branch_b):
            figures = self.customer.with_company(company)._get_credit_exposure_by_partner()[self.customer.id]
            self.assertAlmostEqual(figures["exposure"], 2750.0, msg=company.name)
            self.assertEqual(self.customer.with_company(company)._get_credit_limit_info(), (3000.0, False))
        order_b = self.sale_order(qty=10, company_id=branch_b.id, user=self.user.with_company(branch_b))
        with self.assertRaisesRegex(
            UserError, r"(?s)over its credit limit in Branch B.*Total: \$\s?3,850\.00"
        ):
            order_b.with_company(branch_b).action_confirm()

    def test_grown_released_order_passes_within_release(self):
        self.admit(self.customer, grade=self.grade_d)  # every order needs a release
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)  # 1,100: over the limit too
        action = order.with_user(self.finance).action_open_credit_release()
        wizard = Form(self.env[action["res_model"]].with_user(self.finance).with_context(**action["context"]))
        wizard.reason = "Strategic project"
        wizard.save().action_release_confirm()
        self.assertEqual(order.state, "sale")
        line = order.order_line
        line.product_uom_qty = 5  # lowered
        line.product_uom_qty = 8  # grows back within the 1,100 released
        self.assertEqual(order.amount_total, 880.0)
        # Beyond the release and the limit: the limit refuses (and can be released again).
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            line.product_uom_qty = 11
        # Within the limit, a grade-D order may grow past its release: only the credit
        # limit is checked again once confirmed.
        self.set_limit(self.customer, 100000.0)
        line.product_uom_qty = 20
        self.assertEqual(order.amount_total, 2200.0)

    def test_system_line_on_confirmed_order_ignores_expired_documents(self):
        self.set_limit(self.customer, 100000.0)
        order = self.sale_order(qty=1)
        order.action_confirm()
        self.customer.qualification_document_ids.expiry_date = "2026-01-31"
        with self.assertRaisesRegex(UserError, "expired on"):
            self.sale_order(qty=1).action_confirm()
        # An accountant posts a vendor bill whose expense is re-invoiced to the order:
        # the sale line is built by the bill line (as sale's re-invoicing does).
        expense = self.env["product.product"].create(
            {"name": "Travel", "type": "service", "expense_policy": "cost", "standard_price": 50.0}
        )
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.supplier.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    Command.create({"product_id": expense.id, "price_unit": 50.0, "quantity": 2})
                ],
            }
        )
        values = bill.invoice_line_ids._sale_prepare_sale_line_values(order, 50.0)
        line = self.env["sale.order.line"].sudo().create(values)
        self.assertEqual(line.order_id, order)
        self.assertEqual(order.state, "sale")
