# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PartnerQualificationCommon

HOSTILE_AMOUNTS = (float("nan"), float("inf"), float("-inf"), 1e300, 1e15 + 1, -1.0, "1e999", "abc")
HOSTILE_DATES = ("10000-01-01", "0001-01-01", "1899-12-31", "3000-01-01", "not a date")


@tagged("post_install", "-at_install")
class TestSecurityBadInput(PartnerQualificationCommon):
    """Hostile numbers, dates and codes sent by privileged users over the ORM get a
    translated ValidationError and leave the database as it was."""

    def assertRefused(self, record, field_name, values, user, regex):
        before = record.sudo()[field_name]
        for value in values:
            with self.subTest(model=record._name, field=field_name, value=value):
                with self.assertRaisesRegex(ValidationError, regex):
                    record.with_user(user).write({field_name: value})
                record.invalidate_recordset()
                self.assertEqual(record.sudo()[field_name], before)

    def test_partner_credit_limit(self):
        self.customer.sudo().credit_limit = 500.0
        self.assertRefused(
            self.customer, "credit_limit", HOSTILE_AMOUNTS, self.credit_manager, "Credit Limit"
        )
        count = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(ValidationError, "Credit Limit"):
            self.env["res.partner"].with_user(self.credit_manager).create(
                {"name": "NaN limit", "credit_limit": float("nan")}
            )
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_partner_register_values(self):
        self.assertRefused(self.customer, "registered_capital", HOSTILE_AMOUNTS, self.officer, "Capital")
        self.assertRefused(
            self.customer, "qualification_application_date", HOSTILE_DATES, self.officer, "Application Date"
        )

    def test_grade_values(self):
        self.assertRefused(self.grade_a, "default_credit_limit", HOSTILE_AMOUNTS, self.approver, "Limit")
        self.assertRefused(
            self.grade_a, "min_score", (float("nan"), float("inf"), -1, 101, 1e300), self.approver, "Score"
        )
        self.assertRefused(self.grade_a, "code", ("AAAAAAAAX",), self.approver, "8 characters")

    def test_grade_code_not_truncated_on_create(self):
        with self.assertRaisesRegex(ValidationError, "8 characters"):
            self.env["partner.qualification.grade"].with_user(self.approver).create(
                {"name": "Too long", "code": "ABCDEFGHIJ"}
            )
        self.assertFalse(self.env["partner.qualification.grade"].search([("code", "=like", "ABCDEFGH%")]))

    def test_document_type_reminder_days(self):
        self.assertRefused(
            self.type_tax,
            "reminder_days",
            (float("nan"), float("inf"), -1, 2**31, 1e20),
            self.officer,
            "Reminder",
        )

    def test_document_dates(self):
        document = self.create_document(self.customer)
        for field_name in ("issue_date", "expiry_date"):
            self.assertRefused(document, field_name, HOSTILE_DATES, self.officer, "between the years")
        count = self.env["partner.qualification.document"].search_count([])
        with self.assertRaisesRegex(ValidationError, "between the years"):
            self.create_document(self.supplier, expiry_date="99999-12-31")
        self.assertEqual(self.env["partner.qualification.document"].search_count([]), count)

    def test_company_settings(self):
        admin = self.env.ref("base.user_admin")
        self.assertRefused(
            self.company,
            "partner_credit_warning_threshold",
            (float("nan"), float("inf"), -5.0, 1000.5, 1e300),
            admin,
            "Credit Usage Warning",
        )
        self.assertRefused(
            self.company,
            "evaluation_weight_customer_payment",
            (float("nan"), -1, 101, 2**40),
            admin,
            "Weight",
        )

    def test_settings_wizard(self):
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(ValidationError, "Weight"):
            self.env["res.config.settings"].with_user(admin).create(
                {"evaluation_weight_customer_payment": 2**40}
            )
        with self.assertRaisesRegex(ValidationError, "Credit Usage Warning"):
            self.env["res.config.settings"].with_user(admin).create(
                {"partner_credit_warning_threshold": float("inf")}
            )
        self.assertEqual(self.company.partner_credit_warning_threshold, 80.0)
