# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from markupsafe import escape

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import CreditControlCommon, make_uscc


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestTransactionEngine(CreditControlCommon):
    """The order banner, the gate and the release wizard read one list of blockers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_admission_required = True
        cls.company.partner_block_invalid_documents = True

    # Each kind: how to put the partner in that situation.
    def _set_admission(self, partner):
        partner.with_company(self.company).sudo().admission_state = "in_review"

    def _set_grade_block(self, partner):
        partner.with_company(self.company).sudo().qualification_grade_id = self.grade_e

    def _set_documents(self, partner):
        partner.qualification_document_ids.action_archive()

    def _set_grade_restrict(self, partner):
        partner.with_company(self.company).sudo().qualification_grade_id = self.grade_d

    def _set_credit_limit(self, partner):
        self.set_limit(partner, 500.0)

    KINDS = (
        ("admission", "_set_admission", False),
        ("grade_block", "_set_grade_block", False),
        ("documents", "_set_documents", False),
        ("grade_restrict", "_set_grade_restrict", True),
        ("credit_limit", "_set_credit_limit", True),
    )

    def _assert_banner_and_gate_agree(self, order, partner, role, kind, releasable):
        blockers = partner.with_company(self.company)._get_transaction_blockers(order, role)
        self.assertEqual([b.kind for b in blockers], [kind])
        blocker = blockers[0]
        self.assertEqual(blocker.releasable, releasable)
        self.assertFalse(blocker.released)
        order.invalidate_recordset()
        self.assertEqual(order.credit_warning_level, "danger")
        self.assertEqual(order.credit_release_needed, releasable)
        for line in blocker.message.split("\n"):
            self.assertIn(str(escape(line)), order.credit_warning)
        with self.assertRaises(UserError) as refusal:
            order._action_partner_gate_confirm()
        self.assertEqual(str(refusal.exception), blocker.message)
        self.assertIn(order.state, ("draft", "sent"))

    def _new_partner(self, role, index):
        """An admitted partner with its licence and room on its credit limit."""
        partner = self.env["res.partner"].create({"name": f"Partner {role} {index}", "is_company": True})
        partner.with_company(self.company).sudo().partner_role = role
        self.admit(partner)
        self.create_document(partner, number=make_uscc(f"91330100MA2X{index:04d}1"))
        self.set_limit(partner, 100000.0)
        return partner

    def test_banner_and_gate_agree_for_every_kind(self):
        index = 0
        for kind, setter, releasable in self.KINDS:
            for role, make_order in (("customer", self.sale_order), ("supplier", self.purchase_order)):
                index += 1
                with self.subTest(kind=kind, role=role):
                    partner = self._new_partner(role, index)
                    self.assertFalse(
                        partner.with_company(self.company)._get_transaction_blockers(
                            make_order(qty=10, partner=partner), role
                        )
                    )
                    getattr(self, setter)(partner)
                    order = make_order(qty=10, partner=partner)
                    self._assert_banner_and_gate_agree(order, partner, role, kind, releasable)

    def test_blockers_are_ordered(self):
        self._set_grade_restrict(self.customer)
        self._set_documents(self.customer)
        self._set_credit_limit(self.customer)
        order = self.sale_order(qty=10)
        blockers = self.customer.with_company(self.company)._get_transaction_blockers(order, "customer")
        self.assertEqual([b.kind for b in blockers], ["documents", "grade_restrict", "credit_limit"])
        self.assertFalse(order.credit_release_needed, "a document problem cannot be released")
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertEqual(str(refusal.exception), blockers[0].message)

    def test_released_blockers_let_the_order_through(self):
        self._set_grade_restrict(self.customer)
        self._set_credit_limit(self.customer)
        order = self.sale_order(qty=10)
        self.assertTrue(order.credit_release_needed)
        self.env["partner.credit.release.confirm"].with_user(self.finance).create(
            {"sale_order_id": order.id, "reason": "Guarantee"}
        ).action_release_confirm()
        self.assertEqual(order.state, "sale")
        blockers = self.customer.with_company(self.company)._get_transaction_blockers(order, "customer")
        self.assertEqual(
            [(b.kind, b.released) for b in blockers],
            [("grade_restrict", True), ("credit_limit", True)],
        )

    def test_release_wizard_refuses_what_cannot_be_released(self):
        self._set_credit_limit(self.customer)
        self._set_documents(self.customer)
        order = self.sale_order(qty=10)
        wizard = (
            self.env["partner.credit.release.confirm"]
            .with_user(self.finance)
            .create({"sale_order_id": order.id, "reason": "Guarantee"})
        )
        with self.assertRaisesRegex(UserError, "qualification documents"):
            wizard.action_release_confirm()
        self.assertFalse(self.env["partner.credit.release"].search([("sale_order_id", "=", order.id)]))

    def test_no_role_partner_banner_shows_missing_licence(self):
        partner = self.env["res.partner"].create({"name": "No Role Co", "is_company": True})
        self.admit(partner)
        self.assertFalse(partner.qualification_state)
        order = self.sale_order(partner=partner)
        self.assertEqual(order.credit_warning_level, "danger")
        with self.assertRaisesRegex(UserError, "Business Licence: missing"):
            order.action_confirm()

    def test_customer_receiving_purchase_order_needs_supplier_documents(self):
        self.type_production.sudo().mandatory = True
        self.set_limit(self.customer, 100000.0)
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.partner_role, "customer")
        self.assertEqual(customer.qualification_state, "ok")
        order = self.purchase_order(partner=self.customer, qty=1)
        self.assertEqual(order.credit_warning_level, "danger")
        with self.assertRaisesRegex(UserError, "Production Licence"):
            order.button_confirm()
        self.create_document(self.customer, self.type_production)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_partner_status_reads_the_same_blockers(self):
        customer = self.customer.with_company(self.company)
        self.assertIn("Sales: allowed.", customer.transaction_status)
        self.assertNotIn("Purchases", customer.transaction_status)
        self._set_grade_block(self.customer)
        customer.invalidate_recordset(["transaction_status"])
        blockers = customer._get_transaction_blockers(None, "customer")
        self.assertEqual([b.kind for b in blockers], ["grade_block"])
        self.assertIn("Sales: refused.", customer.transaction_status)
        self.assertIn(str(escape(blockers[0].message)), customer.transaction_status)

    def test_banner_query_count_is_fixed(self):
        self.set_limit(self.customer, 50.0)
        few = self.sale_order(qty=1) | self.sale_order(qty=2)
        many = few | self.sale_order(qty=3) | self.sale_order(qty=4) | self.sale_order(qty=5)

        def count(orders):
            orders.invalidate_recordset(["credit_warning", "credit_warning_level", "credit_release_needed"])
            self.env.flush_all()
            before = self.cr.sql_log_count
            orders.mapped("credit_warning_level")
            return self.cr.sql_log_count - before

        count(many)  # warm-up
        self.assertEqual(count(few), count(many))
        self.assertEqual(set(many.mapped("credit_warning_level")), {"danger"})


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditReleaseLog(CreditControlCommon):
    def test_log_created_only_with_superuser_rights(self):
        order = self.sale_order()
        vals = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "sale_order_id": order.id,
            "user_id": self.finance.id,
            "reason": "Made up",
            "order_currency_id": order.currency_id.id,
            "order_amount_total": order.amount_total,
        }
        for user in (self.finance, self.user):
            with self.assertRaises(AccessError):
                self.env["partner.credit.release"].with_user(user).with_context(
                    partner_credit_release_wizard=True
                ).create(vals)
        release = self.env["partner.credit.release"].sudo().create(vals)
        with self.assertRaises(AccessError):
            release.sudo().write({"reason": "Rewritten"})
        with self.assertRaises(AccessError):
            release.with_user(self.finance).write({"voided": True})
        release.sudo().write({"voided": True})
        self.assertTrue(release.voided)

    def test_zh_cn_request_closed_by_en_us_manager(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        module = self.env["ir.module.module"].search([("name", "=", "partner_qualification_credit")])
        module._update_translations(["zh_CN"])
        self.user.lang = "zh_CN"
        self.finance.lang = "en_US"
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        order.with_user(self.user).with_context(lang="zh_CN").action_request_credit_release()
        request_type = self.env.ref("partner_qualification_credit.mail_activity_type_credit_release")
        self.assertEqual(order.activity_ids.activity_type_id, request_type)
        self.env["partner.credit.release.confirm"].with_user(self.finance).with_context(lang="en_US").create(
            {"sale_order_id": order.id, "reason": "Guarantee"}
        ).action_release_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.activity_ids)


@tagged("post_install", "-at_install")
class TestPerCompanyRelationship(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Sister Company B"})
        cls.applicant_b = new_test_user(
            cls.env,
            "pqc_applicant_b",
            groups="partner_qualification_credit.group_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.supplier.with_company(cls.company).sudo().write(
            {"qualification_applicant_id": cls.user.id, "cooperation_content": "Steel for A"}
        )

    def test_company_b_writes_leave_company_a_untouched(self):
        self.supplier.with_company(self.company_b).sudo().write(
            {
                "partner_role": "customer",
                "qualification_applicant_id": self.applicant_b.id,
                "cooperation_content": "Sales of B",
                "scale_class": "small",
                "strategic_class": "general",
                "qualification_application_date": "2026-01-01",
            }
        )
        in_a = self.supplier.with_company(self.company)
        in_a.invalidate_recordset()
        self.assertRecordValues(
            in_a,
            [
                {
                    "partner_role": "supplier",
                    "qualification_applicant_id": self.user.id,
                    "cooperation_content": "Steel for A",
                    "scale_class": False,
                    "strategic_class": False,
                    "qualification_application_date": False,
                }
            ],
        )

    def test_company_b_admission_keeps_a_supplier_documents(self):
        self.type_production.sudo().mandatory = True
        self.set_limit(self.supplier, 100000.0)
        self.supplier.with_company(self.company_b).sudo().write(
            {"admission_state": "approved", "partner_role": "customer"}
        )
        self.assertEqual(self.supplier.with_company(self.company).qualification_state, "missing")
        with self.assertRaisesRegex(UserError, "Production Licence"):
            self.purchase_order(qty=1).button_confirm()
