# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestAccessRights(PartnerQualificationCommon):
    def test_user_reads_but_cannot_write_grades(self):
        grade = self.grade_c.with_user(self.user)
        self.assertEqual(grade.code, "C")
        with self.assertRaises(AccessError):
            grade.write({"name": "Average"})
        # Regression: officers could turn E's policy to 'allow' or raise the default limit
        # written at admission; grades are leadership's configuration.
        with self.assertRaises(AccessError):
            self.grade_e.with_user(self.officer).write({"policy": "allow"})
        with self.assertRaises(AccessError):
            self.grade_c.with_user(self.officer).write({"default_credit_limit": 10**9})
        self.grade_c.with_user(self.approver).write({"name": "Average"})
        self.assertEqual(self.grade_c.name, "Average")
        # Document types stay with the office.
        self.type_tax.with_user(self.officer).write({"reminder_days": 45})
        self.assertEqual(self.type_tax.reminder_days, 45)

    def test_user_cannot_write_documents(self):
        document = self.create_document(self.customer)
        self.assertEqual(document.with_user(self.user).number, self.uscc_customer)
        with self.assertRaises(AccessError):
            document.with_user(self.user).write({"issuing_authority": "Someone"})
        with self.assertRaises(AccessError):
            self.env["partner.qualification.document"].with_user(self.user).create(
                {"partner_id": self.supplier.id, "type_id": self.type_tax.id, "number": "X"}
            )
        document.with_user(self.officer).write({"issuing_authority": "Hangzhou AMR"})
        self.assertEqual(document.issuing_authority, "Hangzhou AMR")

    def test_credit_limit_changes_through_the_assistant_only(self):
        # Credit managers included: a limit changes with a reason and leaves history.
        for user in (self.user, self.officer, self.approver, self.credit_manager):
            with self.assertRaisesRegex(AccessError, "Credit Limit.*Change Grade / Limit"):
                self.customer.with_user(user).write({"credit_limit": 1000.0})
        self.assertEqual(self.customer.credit_limit, 0.0)

    def test_partner_grade_and_admission_are_protected(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user).write({"qualification_grade_id": self.grade_a.id})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.officer).write({"qualification_grade_id": self.grade_a.id})
        for user in (self.user, self.officer, self.approver, self.credit_manager):
            with self.assertRaisesRegex(AccessError, "admission request"):
                self.customer.with_user(user).write({"admission_state": "approved"})
            with self.assertRaises(AccessError):
                self.env["res.partner"].with_user(user).create(
                    {"name": "Sneaky", "admission_state": "approved"}
                )
        self.assertEqual(self.customer.admission_state, "none")

    def test_register_fields_need_officer(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user).write({"cooperation_content": "Steel"})
        self.customer.with_user(self.officer).write({"cooperation_content": "Steel"})
        self.assertEqual(self.customer.cooperation_content, "Steel")
        # Unrelated fields stay editable by anyone allowed to edit partners.
        self.user.group_ids += self.env.ref("base.group_partner_manager")
        self.customer.with_user(self.user).write({"phone": "+86 571 0000"})

    def test_company_dependent_values(self):
        other = self.env["res.company"].create({"name": "Sister Co"})
        self.admit(self.customer, self.grade_a)
        self.assertEqual(self.customer.with_company(other).admission_state, "none")
        self.assertFalse(self.customer.with_company(other).qualification_grade_id)
        self.assertEqual(self.customer.admission_state, "approved")

    def test_grade_admission_and_limit_changes_are_tracked(self):
        partner = self.customer.with_env(self.env(context={}))
        # Records created in the running transaction are not tracked: close it first.
        self.env.flush_all()
        self.cr.flush()
        partner.sudo().write(
            {
                "qualification_grade_id": self.grade_b.id,
                "admission_state": "approved",
                "credit_limit": 12345.0,
            }
        )
        self.env.flush_all()
        self.cr.flush()
        messages = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        tracked = messages.sudo().tracking_value_ids.field_id.mapped("name")
        for field_name in ("qualification_grade_id", "admission_state", "credit_limit"):
            self.assertIn(field_name, tracked)
