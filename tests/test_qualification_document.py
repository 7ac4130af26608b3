# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PartnerQualificationCommon, make_uscc


@tagged("post_install", "-at_install")
class TestQualificationDocument(PartnerQualificationCommon):
    def test_grades_ship_as_data(self):
        grades = self.grade_a | self.grade_b | self.grade_c | self.grade_d | self.grade_e
        self.assertEqual(grades.mapped("code"), ["A", "B", "C", "D", "E"])
        self.assertEqual(grades.mapped("policy"), ["allow", "allow", "allow", "restrict", "block"])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["partner.qualification.grade"].create({"name": "Twin", "code": "A"})

    def test_document_types_ship_as_data(self):
        codes = [
            "business_licence",
            "organization_code",
            "tax_registration",
            "production_licence",
            "quality_certification",
            "safety_production_licence",
        ]
        for code in codes:
            doc_type = self.env.ref(f"partner_qualification_credit.document_type_{code}")
            self.assertEqual(doc_type.code, code)
        self.assertTrue(self.type_licence.mandatory)

    def test_uscc_check_character(self):
        valid = make_uscc("91330100MA2XXXXX0")
        document = self.create_document(self.customer, number=valid)
        self.assertEqual(document.number, valid)
        wrong_check = valid[:-1] + ("1" if valid[-1] != "1" else "2")
        for bad in (wrong_check, valid[:-1], "NOT-A-CODE"):
            with self.assertRaisesRegex(ValidationError, "not a valid Unified Social Credit Code"):
                self.create_document(self.supplier, number=bad)
        # Known public code (stdnum's own example) is accepted.
        self.create_document(self.supplier, number="91110000600037341L")

    def test_licence_must_match_vat_and_registry(self):
        self.customer.vat = self.uscc_supplier
        with self.assertRaisesRegex(ValidationError, "does not match"):
            self.create_document(self.customer, number=self.uscc_customer)
        self.customer.vat = self.uscc_customer
        self.customer.company_registry = self.uscc_supplier
        with self.assertRaisesRegex(ValidationError, "does not match"):
            self.create_document(self.customer, number=self.uscc_customer)
        self.customer.company_registry = False
        self.assertTrue(self.create_document(self.customer, number=self.uscc_customer))

    def test_organization_code_consistent_with_licence(self):
        self.create_document(self.customer)
        with self.assertRaisesRegex(ValidationError, "does not match characters 9 to 17"):
            self.create_document(self.customer, self.type_org_code, number="12345678-9")
        document = self.create_document(
            self.customer, self.type_org_code, number=self.uscc_customer[8:16] + "-" + self.uscc_customer[16]
        )
        self.assertEqual(document.type_id, self.type_org_code)

    def test_dates_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "before its issue date"):
            self.create_document(self.customer, issue_date="2025-01-01", expiry_date="2024-12-31")
        with self.assertRaisesRegex(ValidationError, "need an expiry date"):
            self.create_document(self.customer, expiry_date=False)
        # Tax registration certificates carry no expiry date.
        self.assertTrue(self.create_document(self.customer, self.type_tax, expiry_date=False))

    def test_invalid_write_leaves_document_unchanged(self):
        document = self.create_document(self.customer)
        with self.assertRaises(ValidationError):
            document.write({"expiry_date": "2020-01-01", "issue_date": "2021-01-01"})
        self.assertEqual(str(document.expiry_date), "2030-12-31")
        self.assertEqual(str(document.issue_date), "2024-01-01")

    @freeze_time("2026-06-01")
    def test_state_follows_expiry(self):
        document = self.create_document(self.customer, expiry_date="2027-01-01")
        self.assertEqual(document.state, "valid")
        document.expiry_date = "2026-06-20"  # within the 30 reminder days
        self.assertEqual(document.state, "expiring")
        document.expiry_date = "2026-05-31"
        self.assertEqual(document.state, "expired")

    @freeze_time("2026-06-01")
    def test_only_one_valid_document_per_type(self):
        self.create_document(self.customer, expiry_date="2028-01-01")
        with self.assertRaisesRegex(ValidationError, "already holds a valid"):
            self.create_document(self.customer, expiry_date="2029-01-01")
        # A renewal while the old licence is expiring soon is allowed.
        old = self.env["partner.qualification.document"].search([("partner_id", "=", self.customer.id)])
        old.expiry_date = "2026-06-15"
        self.assertEqual(old.state, "expiring")
        renewal = self.create_document(self.customer, expiry_date="2031-06-15")
        self.assertEqual(renewal.state, "valid")

    def test_renewal_with_another_number_goes_back_to_review(self):
        # Regression: only active licences were compared, and a renewal archives the old
        # one first, so a licence with another USCC never triggered a re-review.
        licence = self.create_document(self.customer)
        self.admit(self.customer)
        licence.action_archive()
        self.create_document(self.customer)
        self.assertEqual(self.customer.admission_state, "approved", "a renewal with the same number")
        self.env["partner.qualification.document"].search(
            [("partner_id", "=", self.customer.id), ("type_id", "=", self.type_licence.id)]
        ).action_archive()
        self.create_document(self.customer, number=make_uscc("91330100MA2YYYYY0"))
        self.assertEqual(self.customer.admission_state, "in_review")

    def test_licence_moved_to_an_admitted_partner_goes_back_to_review(self):
        # Regression: changes of partner_id / type_id / active were not watched.
        self.create_document(self.customer).action_archive()
        self.admit(self.customer)
        foreign = self.create_document(self.supplier)
        foreign.partner_id = self.customer
        self.assertEqual(self.customer.admission_state, "in_review")

    def test_organization_code_without_a_valid_uscc(self):
        # Regression: a pre-2015 tax number or a foreign VAT was taken for the USCC, so
        # a genuine organisation code was refused.
        for vat in ("330100123456789", "DE123456789"):
            partner = self.env["res.partner"].create(
                {"name": f"Old Numbers {vat}", "is_company": True, "vat": vat}
            )
            self.create_document(partner, self.type_org_code, number="12345678-9")
        # A real USCC in the VAT is still enforced.
        partner = self.env["res.partner"].create(
            {"name": "New Numbers Co", "is_company": True, "vat": self.uscc_supplier}
        )
        with self.assertRaisesRegex(ValidationError, "does not match characters 9 to 17"):
            self.create_document(partner, self.type_org_code, number="12345678-9")
