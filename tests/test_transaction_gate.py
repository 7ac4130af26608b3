# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestTransactionGate(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False  # credit is tested on its own
        cls.product = cls.env["product.product"].create({"name": "Steel coil", "list_price": 100.0})

    def _sale_order(self, partner=None):
        return (
            self.env["sale.order"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )

    def _purchase_order(self, partner=None):
        return (
            self.env["purchase.order"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": (partner or self.supplier).id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_qty": 1, "price_unit": 10})
                    ],
                }
            )
        )

    def test_not_admitted_blocks_sale_and_purchase(self):
        sale = self._sale_order()
        with self.assertRaisesRegex(UserError, "is not admitted"):
            sale.action_confirm()
        self.assertEqual(sale.state, "draft")
        purchase = self._purchase_order()
        with self.assertRaisesRegex(UserError, "is not admitted"):
            purchase.button_confirm()
        self.assertEqual(purchase.state, "draft")

    def test_contact_of_admitted_company_passes(self):
        self.admit(self.customer)
        self.create_document(self.customer)
        contact = self.env["res.partner"].create({"name": "Mr Zhao", "parent_id": self.customer.id})
        sale = self._sale_order(contact)
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")

    def test_write_state_directly_is_gated(self):
        sale = self._sale_order()
        with self.assertRaisesRegex(UserError, "is not admitted"):
            sale.write({"state": "sale"})
        with self.assertRaisesRegex(UserError, "is not admitted"):
            self.env["sale.order"].create({"partner_id": self.customer.id, "state": "sale"})

    def test_grade_e_blocks(self):
        self.admit(self.customer, self.grade_e)
        self.create_document(self.customer)
        with self.assertRaisesRegex(UserError, "E - Prohibited"):
            self._sale_order().action_confirm()

    @freeze_time("2026-06-01")
    def test_documents_block_unless_disabled(self):
        self.admit(self.supplier)
        purchase = self._purchase_order()
        with self.assertRaisesRegex(UserError, "Business Licence: missing"):
            purchase.button_confirm()
        self.create_document(self.supplier, expiry_date="2026-05-31")
        with self.assertRaisesRegex(UserError, "Business Licence: expired on"):
            purchase.button_confirm()
        self.company.partner_block_invalid_documents = False
        purchase.button_confirm()
        self.assertEqual(purchase.state, "purchase")

    def test_grade_d_needs_release(self):
        self.admit(self.customer, self.grade_d)
        self.create_document(self.customer)
        with self.assertRaisesRegex(UserError, "needs a release by a credit manager"):
            self._sale_order().action_confirm()

    def test_admission_setting_off(self):
        self.company.partner_admission_required = False
        self.create_document(self.customer)
        sale = self._sale_order()
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")
