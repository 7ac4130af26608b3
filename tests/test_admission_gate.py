# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .test_admission_request import AdmissionCommon


@tagged("post_install", "-at_install")
class TestAdmissionGate(AdmissionCommon):
    """Orders wait for the admission workflow: refused before approval, accepted after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False  # credit is tested on its own
        cls.product = cls.env["product.product"].create({"name": "Steel coil", "list_price": 100.0})
        cls.create_document(cls.customer)
        cls.create_document(cls.supplier)

    def _admit_through_workflow(self, partner, role):
        request = self.make_request(partner, role=role)
        self.review(request)
        request.with_user(self.approver).action_approve()
        self.assertEqual(partner.admission_state, "approved")

    def test_sale_waits_for_admission(self):
        sale = (
            self.env["sale.order"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        with self.assertRaisesRegex(
            UserError, "Hangzhou Xinhe Trading Co., Ltd. is not admitted .*Not Admitted"
        ):
            sale.action_confirm()
        self.assertEqual(sale.state, "draft")
        request = self.make_request(self.customer)
        with self.assertRaisesRegex(UserError, f"In Review.*{request.name}"):
            sale.action_confirm()
        self.assertEqual(sale.state, "draft")
        request.with_user(self.user).action_cancel()
        self._admit_through_workflow(self.customer, "customer")
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")

    def test_purchase_waits_for_admission(self):
        purchase = (
            self.env["purchase.order"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_qty": 1, "price_unit": 10})
                    ],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Beijing Huatai Materials Co., Ltd. is not admitted"):
            purchase.button_confirm()
        self.assertEqual(purchase.state, "draft")
        self._admit_through_workflow(self.supplier, "supplier")
        purchase.button_confirm()
        self.assertEqual(purchase.state, "purchase")

    def test_rejected_partner_stays_blocked(self):
        request = self.make_request(self.customer)
        request.with_user(self.officer).rejection_reason = "On the group's watch list"
        request.with_user(self.officer).action_reject()
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        with self.assertRaisesRegex(UserError, "Rejected"):
            sale.action_confirm()
        self.assertEqual(sale.state, "draft")
