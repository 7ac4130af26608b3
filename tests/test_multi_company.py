# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Sister Company B"})
        cls.officer_b = new_test_user(
            cls.env,
            "pqc_officer_b",
            groups="partner_qualification_credit.group_officer",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.partner_a_only = cls.env["res.partner"].create(
            {"name": "Company-A Supplier", "is_company": True, "company_id": cls.company.id}
        )

    def test_documents_follow_the_partner_company(self):
        document = self.create_document(self.partner_a_only, self.type_tax, expiry_date=False)
        self.assertEqual(document.company_id, self.company)
        Document = self.env["partner.qualification.document"].with_user(self.officer_b)
        self.assertFalse(Document.search([("id", "=", document.id)]))
        with self.assertRaises(AccessError):
            document.with_user(self.officer_b).read(["number"])
        # Shared partners' documents are visible in every company.
        shared = self.create_document(self.customer)
        self.assertEqual(Document.search([("id", "=", shared.id)]), shared)

    def test_admission_is_per_company(self):
        self.admit(self.customer)
        self.create_document(self.customer)
        self.company_b.partner_credit_limit_required = False
        product = self.env["product.product"].create({"name": "Widget", "list_price": 10.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company_b.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        with self.assertRaisesRegex(UserError, "is not admitted for Sister Company B"):
            order.with_company(self.company_b).action_confirm()
        self.assertEqual(order.state, "draft")
