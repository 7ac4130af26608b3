# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_admission_request import AdmissionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestWorkRouting(AdmissionCommon):
    """Each step's to-do goes to the people of that step only, decisions come back to
    the applicant in the applicant's language, and a button shown works."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["partner_qualification_credit"], ["zh_CN"])
        cls.review_type = cls.env.ref("partner_qualification_credit.mail_activity_type_admission_review")
        cls.approve_type = cls.env.ref("partner_qualification_credit.mail_activity_type_admission_approve")
        cls.credit_type = cls.env.ref("partner_qualification_credit.mail_activity_type_admission_credit")
        cls.create_document(cls.customer)

    def todo_users(self, request, activity_type):
        return request.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id

    def test_review_goes_to_the_office_approval_to_leadership(self):
        request = self.make_request()
        reviewers = self.todo_users(request, self.review_type)
        self.assertEqual(reviewers, self.officer | self.officer_2)
        # No stored summary: the to-do reads as its type, in each reader's language.
        self.assertFalse(any(request.activity_ids.mapped("summary")))
        messages = request.message_ids
        self.review(request)
        new_messages = request.message_ids - messages
        done = new_messages.filtered("mail_activity_type_id")
        # One "done" per step for the user who did it (review, credit assessment).
        self.assertEqual(done.mail_activity_type_id, self.review_type | self.credit_type)
        self.assertEqual(len(done), 2)
        self.assertFalse(self.todo_users(request, self.review_type))
        approvers = self.env.ref("partner_qualification_credit.group_approver").all_user_ids
        self.assertLessEqual(self.approver | self.approver_2, self.todo_users(request, self.approve_type))
        self.assertFalse(self.todo_users(request, self.approve_type) - approvers)

    def test_approvers_review_when_the_office_is_empty(self):
        (self.officer | self.officer_2).active = False
        request = self.make_request()
        reviewers = self.todo_users(request, self.review_type)
        self.assertLessEqual(self.approver | self.approver_2, reviewers)
        self.assertFalse(reviewers - self.env.ref("partner_qualification_credit.group_approver").all_user_ids)

    def test_decision_reaches_the_applicant_in_their_language(self):
        self.user.lang = "zh_CN"
        request = self.make_request()
        self.review(request)
        request = request.with_user(self.approver)
        request.rejection_reason = "Licence suspended"
        request.action_reject()
        note = request.message_ids.filtered(lambda m: self.user.partner_id in m.partner_ids)[:1]
        self.assertIn("已驳回", note.body)
        self.assertIn("Licence suspended", note.body)

    def test_identity_change_warns_before_saving(self):
        self.admit(self.customer)
        self.company.partner_admission_identity_review = True
        warning = self.customer.with_user(self.officer).onchange(
            {"name": "Hangzhou Xinhe Trading Group"}, ["name"], {"name": {}}
        )
        self.assertIn("back to the office's review", warning["warning"]["message"])
        same = self.customer.with_user(self.officer).onchange(
            {"name": self.customer.name}, ["name"], {"name": {}}
        )
        self.assertNotIn("warning", same)

    def test_buyer_applies_for_an_existing_partner(self):
        """A purchase user may not edit contacts: the application works as long as it
        keeps the partner's details, and says so clearly when it changes them."""
        buyer = new_test_user(
            self.env,
            "pqc_buyer_only",
            groups="partner_qualification_credit.group_user,purchase.group_purchase_user",
        )
        self.assertFalse(self.supplier.with_user(buyer).has_access("write"))
        values = {
            "partner_id": self.supplier.id,
            "role": "supplier",
            "cooperation_content": "Steel sheets",
            "business_contact_name": "Wang Wei",
            "name": self.supplier.name,
            "vat": self.supplier.vat,
        }
        wizard = self.env["partner.admission.apply"].with_user(buyer).create(values)
        with self.assertRaisesRegex(AccessError, "You may not edit"):
            self.env["partner.admission.apply"].with_user(buyer).create(
                {**values, "name": "Renamed by a buyer"}
            ).action_apply()
        action = wizard.action_apply()
        request = self.env["partner.admission.request"].browse(action["res_id"])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(self.supplier.name, "Beijing Huatai Materials Co., Ltd.")

    def test_check_reasons_read_in_the_readers_language(self):
        """The checks run as the (English) applicant; a Chinese officer reads them in
        Chinese, the applicant still in English."""
        self.officer.lang = "zh_CN"
        request = self.make_request(partner=self.supplier, role="supplier")
        self.assertEqual(request.check_documents_result, "fail")
        self.assertIn("Business Licence missing", request.with_user(self.user).check_documents_reason)
        as_officer = request.with_user(self.officer).with_context(lang="zh_CN")
        self.assertIn("营业执照缺失", as_officer.check_documents_reason)
        self.create_document(self.supplier)
        request.with_user(self.officer).action_run_checks()
        self.assertEqual(as_officer.check_documents_reason, "必备资质文件齐全且有效。")
