# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestPartnerStandardFlows(PartnerQualificationCommon):
    """Odoo's contact merge, duplicate, import and archive keep working on qualified
    partners, without moving a decision to a partner nobody reviewed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_manager = new_test_user(
            cls.env, "pqc_contact_manager", groups="base.group_user,base.group_partner_manager"
        )
        cls.customer.write({"vat": cls.uscc_customer})
        cls.admit(cls.customer, cls.grade_b)
        cls.customer.sudo().write({"credit_limit": 8000.0, "qualification_note": "Pays on time"})
        cls.duplicate = cls.env["res.partner"].create(
            {
                "name": cls.customer.name,
                "vat": cls.uscc_customer,
                "is_company": True,
                "partner_role": "supplier",
            }
        )

    def merge(self, partners, dst, user=None):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user or self.contact_manager)
            .create({"partner_ids": [(6, 0, partners.ids)], "dst_partner_id": dst.id})
        )
        return wizard.action_merge()

    # ------------------------------------------------------------
    # Contact merge
    # ------------------------------------------------------------

    def test_merge_keeps_admission_grade_and_limit(self):
        for user in (self.contact_manager, self.officer):
            with self.subTest(user=user.login):
                duplicate = self.duplicate.copy({"name": self.customer.name, "partner_role": "supplier"})
                self.merge(self.customer | duplicate, self.customer, user)
                self.assertFalse(duplicate.exists())
                customer = self.customer.sudo()
                self.assertEqual(customer.admission_state, "approved")
                self.assertEqual(customer.qualification_grade_id, self.grade_b)
                self.assertEqual(customer.credit_limit, 8000.0)
                self.assertEqual(customer.qualification_note, "Pays on time")
                # A customer and a supplier record of one company: both sides kept.
                self.assertEqual(customer.partner_role, "both")

    def test_merge_into_unadmitted_duplicate_of_same_identity(self):
        self.merge(self.customer | self.duplicate, self.duplicate)
        self.assertFalse(self.customer.exists())
        duplicate = self.duplicate.sudo()
        self.assertEqual(duplicate.admission_state, "approved")
        self.assertEqual(duplicate.qualification_grade_id, self.grade_b)
        self.assertEqual(duplicate.credit_limit, 8000.0)

    def test_merge_keeps_every_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.duplicate.with_company(other).sudo().write(
            {"admission_state": "approved", "qualification_grade_id": self.grade_a.id}
        )
        self.merge(self.customer | self.duplicate, self.customer)
        self.assertEqual(self.customer.with_company(other).sudo().admission_state, "approved")
        self.assertEqual(self.customer.with_company(other).sudo().qualification_grade_id, self.grade_a)
        self.assertEqual(self.customer.sudo().qualification_grade_id, self.grade_b)

    def test_merge_conflicting_grades_refused(self):
        self.admit(self.duplicate, self.grade_d)
        with self.assertRaisesRegex(UserError, "different grades"):
            self.merge(self.customer | self.duplicate, self.customer)
        self.assertTrue(self.duplicate.exists())
        self.assertEqual(self.customer.sudo().qualification_grade_id, self.grade_b)
        self.assertEqual(self.duplicate.sudo().qualification_grade_id, self.grade_d)

    def test_merge_admission_onto_other_identity_refused(self):
        stranger = self.env["res.partner"].create({"name": "Unreviewed Trading Co.", "is_company": True})
        with self.assertRaisesRegex(UserError, "nobody reviewed"):
            self.merge(self.customer | stranger, stranger)
        self.assertTrue(self.customer.exists())
        self.assertIn(stranger.sudo().admission_state, (False, "none"))

    # ------------------------------------------------------------
    # Duplicate, import, archive
    # ------------------------------------------------------------

    def test_duplicate(self):
        for user in (self.contact_manager, self.officer, self.approver, self.credit_manager):
            with self.subTest(user=user.login):
                copy = self.customer.with_user(user).copy()
                self.assertIn(copy.sudo().admission_state, (False, "none"))
                self.assertFalse(copy.sudo().qualification_grade_id)
                self.assertFalse(copy.sudo().credit_limit)

    def test_import(self):
        for user in (self.contact_manager, self.officer):
            with self.subTest(user=user.login):
                result = (
                    self.env["res.partner"]
                    .with_user(user)
                    .load(["name", "is_company", "email"], [[f"Imported {user.login}", "1", "a@example.com"]])
                )
                self.assertEqual(len(result["ids"]), 1, result["messages"])

    def test_archive_and_restore(self):
        for user in (self.contact_manager, self.officer):
            with self.subTest(user=user.login):
                self.customer.with_user(user).action_archive()
                self.assertFalse(self.customer.active)
                self.customer.with_user(user).action_unarchive()
                self.assertTrue(self.customer.active)
                self.assertEqual(self.customer.sudo().admission_state, "approved")
