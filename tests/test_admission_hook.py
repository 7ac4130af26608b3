# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.partner_qualification_credit.hooks import post_init_hook

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestAdmissionInstallHook(PartnerQualificationCommon):
    """Installing on a live database admits the partners that already trade."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Steel coil", "list_price": 100.0})
        Partner = cls.env["res.partner"]
        cls.buyer = Partner.create({"name": "Old Buyer Co", "is_company": True})
        cls.buyer_contact = Partner.create({"name": "Mr Sun", "parent_id": cls.buyer.id})
        cls.vendor = Partner.create({"name": "Old Vendor Co", "is_company": True})
        cls.both = Partner.create({"name": "Old Both Co", "is_company": True})
        cls.billed = Partner.create({"name": "Old Billed Co", "is_company": True, "partner_role": "supplier"})
        cls.prospect = Partner.create({"name": "Prospect Co", "is_company": True})
        # Create the history as it exists before installation: no gate at the time.
        cls.company.write(
            {
                "partner_admission_required": False,
                "partner_block_invalid_documents": False,
                "partner_credit_limit_required": False,
            }
        )
        for partner in (cls.buyer_contact, cls.both):
            cls._sale(partner).action_confirm()
        for partner in (cls.vendor, cls.both):
            cls._purchase(partner).button_confirm()
        cls._sale(cls.prospect)  # a quotation only
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.billed.id,
                "invoice_line_ids": [Command.create({"product_id": cls.product.id, "price_unit": 50.0})],
            }
        )
        invoice.action_post()
        cls.company.write(
            {
                "partner_admission_required": True,
                "partner_block_invalid_documents": True,
                "partner_credit_limit_required": True,
            }
        )

    @classmethod
    def _sale(cls, partner):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
            }
        )

    @classmethod
    def _purchase(cls, partner):
        return cls.env["purchase.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_qty": 1, "price_unit": 9})
                ],
            }
        )

    def test_partners_with_history_are_admitted(self):
        post_init_hook(self.env)
        self.assertRecordValues(
            self.buyer | self.vendor | self.both | self.billed | self.prospect,
            [
                {
                    "admission_state": "approved",
                    "qualification_grade_id": self.grade_c.id,
                    "partner_role": "customer",
                },
                {
                    "admission_state": "approved",
                    "qualification_grade_id": self.grade_c.id,
                    "partner_role": "supplier",
                },
                {
                    "admission_state": "approved",
                    "qualification_grade_id": self.grade_c.id,
                    "partner_role": "both",
                },
                # A role set by the office is kept.
                {
                    "admission_state": "approved",
                    "qualification_grade_id": self.grade_c.id,
                    "partner_role": "supplier",
                },
                {"admission_state": "none", "qualification_grade_id": False, "partner_role": False},
            ],
        )
        self.assertIn("Admitted at installation", self.buyer.message_ids[:1].body)
        self.assertFalse(
            self.prospect.message_ids.filtered(lambda m: "Admitted at installation" in (m.body or ""))
        )
        # No re-review request was opened by the hook's own writes.
        self.assertFalse(self.env["partner.admission.request"].search([("partner_id", "=", self.buyer.id)]))

    def test_business_goes_on_after_installation(self):
        """The admitted partners have no documents yet: their orders still pass."""
        company_2 = self.env["res.company"].create({"name": "Sister Steel Co"})
        post_init_hook(self.env)
        self.assertFalse(self.company.partner_block_invalid_documents)
        self.assertTrue(company_2.partner_block_invalid_documents, "no business there: unchanged")
        self.assertFalse(self.company.partner_credit_limit_required, "0 means unlimited until set")
        self.assertTrue(company_2.partner_credit_limit_required)
        sale = self._sale(self.buyer)
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")
        with self.assertRaisesRegex(UserError, "Prospect Co is not admitted"):
            self._sale(self.prospect).action_confirm()

    def test_admission_is_per_company(self):
        company_2 = self.env["res.company"].create({"name": "Sister Steel Co"})
        post_init_hook(self.env)
        self.assertEqual(self.buyer.admission_state, "approved")
        self.assertEqual(self.buyer.with_company(company_2).admission_state, "none")
        self.assertFalse(self.buyer.with_company(company_2).qualification_grade_id)

    def test_demo_database_keeps_the_documented_defaults(self):
        """Odoo's demo orders are not a business to keep running: on a database with demo
        data the settings keep their documented defaults, and the partners of the demo's
        orders get the registration and limit that let them trade under them."""
        self.env["ir.module.module"].search([("name", "=", "partner_qualification_credit")]).demo = True
        self.buyer.country_id = self.env.ref("base.us")
        post_init_hook(self.env)
        self.assertTrue(self.company.partner_block_invalid_documents)
        self.assertTrue(self.company.partner_credit_limit_required)
        self.assertEqual(self.buyer.admission_state, "approved")
        self.assertTrue(self.buyer.qualification_document_ids)
        self.assertTrue(self.buyer.credit_limit)
        sale = self._sale(self.buyer)
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")
