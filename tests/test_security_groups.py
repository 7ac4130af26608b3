# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSecurityGroups(TransactionCase):
    def test_groups_exist_and_imply_each_other(self):
        ref = self.env.ref
        user = ref("partner_qualification_credit.group_user")
        officer = ref("partner_qualification_credit.group_officer")
        approver = ref("partner_qualification_credit.group_approver")
        credit_manager = ref("partner_qualification_credit.group_credit_manager")
        self.assertIn(ref("base.group_user"), user.implied_ids)
        self.assertIn(user, officer.implied_ids)
        self.assertIn(officer, approver.implied_ids)
        self.assertIn(user, approver.all_implied_ids)
        # Finance is a separate duty: it reads the register but reviews nothing.
        self.assertIn(user, credit_manager.all_implied_ids)
        self.assertNotIn(officer, credit_manager.all_implied_ids)
        self.assertNotIn(credit_manager, approver.all_implied_ids)

    def test_groups_declared_the_odoo_19_way(self):
        ref = self.env.ref
        ladder = ref("partner_qualification_credit.res_groups_privilege_partner_qualification")
        for xmlid in ("group_user", "group_officer", "group_approver"):
            self.assertEqual(ref(f"partner_qualification_credit.{xmlid}").privilege_id, ladder)
        self.assertEqual(
            ref("partner_qualification_credit.group_credit_manager").privilege_id,
            ref("partner_qualification_credit.res_groups_privilege_credit_control"),
        )

    def test_admin_holds_the_top_roles(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("partner_qualification_credit.group_approver"))
        self.assertTrue(admin.has_group("partner_qualification_credit.group_credit_manager"))
