# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import PartnerQualificationCommon, make_uscc


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestDocumentCountry(PartnerQualificationCommon):
    """The mandatory documents of a partner are those of its role and of its country: a
    foreign partner holds its own registration, a Chinese one a business licence with a
    valid Unified Social Credit Code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False  # credit is tested on its own
        cls.type_foreign = cls.env.ref("partner_qualification_credit.document_type_foreign_registration")
        cls.china = cls.env.ref("base.cn")
        cls.usa = cls.env.ref("base.us")
        cls.product = cls.env["product.product"].create({"name": "Valve", "list_price": 100.0})

    def _apply(self, user, **values):
        wizard = self.env["partner.admission.apply"].with_user(user).create(values)
        return self.env["partner.admission.request"].browse(wizard.action_apply()["res_id"])

    def _review_and_approve(self, request):
        request = request.with_user(self.officer)
        request.review_opinion = "Registration checked."
        request.action_review()
        request.with_user(self.approver).action_approve()

    def test_foreign_supplier_admitted_and_traded_without_uscc(self):
        request = self._apply(
            self.user,
            name="Acme Valves Inc.",
            country_id=self.usa.id,
            company_registry="DE-5123456",
            role="supplier",
            cooperation_content="Industrial valves",
            document_line_ids=[
                Command.create({"type_id": self.type_foreign.id, "number": "DE-5123456"}),
            ],
        )
        partner = request.partner_id
        self.assertEqual(request.check_documents_result, "pass", request.check_documents_reason)
        self.assertEqual(partner.qualification_state, "ok")
        self._review_and_approve(request)
        self.assertEqual(partner.admission_state, "approved")
        purchase = (
            self.env["purchase.order"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_qty": 2, "price_unit": 50})
                    ],
                }
            )
        )
        purchase.button_confirm()
        self.assertEqual(purchase.state, "purchase")

    def test_foreign_partner_without_registration_is_missing_documents(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Acme Pumps Inc.",
                "is_company": True,
                "country_id": self.usa.id,
                "partner_role": "supplier",
            }
        )
        self.assertEqual(partner.qualification_state, "missing")
        issues = partner._get_document_issues()
        self.assertEqual([doc_type for doc_type, _state, _expiry in issues], [self.type_foreign])

    def test_chinese_customer_still_needs_valid_uscc(self):
        self.customer.country_id = self.china
        self.assertEqual(self.customer.qualification_state, "missing")
        issues = self.customer._get_document_issues()
        self.assertEqual([doc_type for doc_type, _state, _expiry in issues], [self.type_licence])
        # A foreign registration does not replace the licence of a Chinese partner.
        self.create_document(self.customer, self.type_foreign, number="REG-1", expiry_date=False)
        self.assertEqual(self.customer.qualification_state, "missing")
        with self.assertRaisesRegex(ValidationError, "not a valid Unified Social Credit Code"):
            self.create_document(self.customer, number="91330100MA2XXXXX00")
        self.create_document(self.customer)
        self.assertEqual(self.customer.qualification_state, "ok")

    def test_chinese_customer_order_refused_without_licence(self):
        self.customer.country_id = self.china
        self.admit(self.customer)
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        with self.assertRaisesRegex(UserError, "Business Licence: missing"):
            sale.action_confirm()
        self.assertEqual(sale.state, "draft")

    def test_partner_without_country_keeps_national_documents(self):
        """Clearing the country does not lift the licence requirement."""
        self.assertFalse(self.customer.country_id)
        issues = self.customer._get_document_issues()
        self.assertEqual([doc_type for doc_type, _state, _expiry in issues], [self.type_licence])

    def test_number_format_is_per_type(self):
        self.assertEqual(self.type_licence.number_format, "uscc")
        self.assertEqual(self.type_foreign.number_format, "none")
        # A free-format type accepts any registry number, the licence only a USCC.
        self.assertFalse(self.type_foreign._get_number_format_error("HRB 12345"))
        self.assertTrue(self.type_licence._get_number_format_error("HRB 12345"))
        self.assertFalse(self.type_licence._get_number_format_error(make_uscc("91330100MA2XXXXX0")))
