# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditRelease(CreditControlCommon):
    """Release by credit managers (logged, server-checked), requests, banners, warning."""

    def release(self, order, reason="Bank guarantee received", user=None):
        field = order._credit_release_field
        wizard = (
            self.env["partner.credit.release.confirm"]
            .with_user(user or self.finance)
            .create({field: order.id, "reason": reason})
        )
        return wizard.action_release_confirm()

    def log_release(self, order, **values):
        """A release written as the wizard writes it (the only way to write one)."""
        return (
            self.env["partner.credit.release"]
            .sudo()
            .create(
                {
                    "company_id": order.company_id.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "sale_order_id": order.id,
                    "user_id": self.finance.id,
                    "reason": "Logged",
                    "order_currency_id": order.currency_id.id,
                    "order_amount_total": order.amount_total,
                    **values,
                }
            )
        )

    def test_credit_manager_releases_and_confirms_sale(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        self.assertEqual(order.credit_warning_level, "danger")
        action = order.with_user(self.finance).action_open_credit_release()
        self.assertEqual(action["res_model"], "partner.credit.release.confirm")
        self.release(order)
        self.assertEqual(order.state, "sale")
        release = self.env["partner.credit.release"].search([("sale_order_id", "=", order.id)])
        self.assertRecordValues(
            release,
            [
                {
                    "partner_id": self.customer.id,
                    "order_reference": order.name,
                    "user_id": self.finance.id,
                    "reason": "Bank guarantee received",
                    "grade_id": self.grade_c.id,
                    "credit_limit": 500.0,
                    "credit_exposure": 0.0,
                    "order_amount": 1100.0,
                    "credit_total": 1100.0,
                    "credit_excess": 600.0,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertTrue(order._is_credit_released())
        for record in (order, self.customer):
            self.assertIn("Bank guarantee received", record.message_ids[0].body)
            self.assertIn("Over the limit by", record.message_ids[0].body)
        # The log is searchable by the credit managers.
        self.assertEqual(
            self.env["partner.credit.release"]
            .with_user(self.finance)
            .search([("reason", "ilike", "guarantee")]),
            release,
        )

    def test_release_purchase_and_grade_d(self):
        self.admit(self.supplier, self.grade_d)
        self.set_limit(self.supplier, 100000.0)
        order = self.purchase_order(qty=1)
        with self.assertRaisesRegex(UserError, "needs a release by a credit manager"):
            order.button_confirm()
        self.release(order, reason="Single urgent purchase")
        self.assertEqual(order.state, "purchase")
        release = self.env["partner.credit.release"].search([("purchase_order_id", "=", order.id)])
        self.assertEqual(release.reason, "Single urgent purchase")
        self.assertEqual(release.order_amount, 110.0)

    def test_release_does_not_lift_other_reasons(self):
        self.admit(self.customer, self.grade_e)
        order = self.sale_order(qty=1)
        with self.assertRaisesRegex(UserError, "E - Prohibited"):
            self.release(order)
        self.assertEqual(order.state, "draft")
        self.assertFalse(self.env["partner.credit.release"].search([("sale_order_id", "=", order.id)]))

    def test_plain_user_cannot_release(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        with self.assertRaises(AccessError):
            order.action_open_credit_release()
        with self.assertRaises(AccessError):
            self.release(order, user=self.user)
        # Even when the wizard exists, the server checks the group on the action.
        wizard = self.env["partner.credit.release.confirm"].create(
            {"sale_order_id": order.id, "reason": "Please"}
        )
        with self.assertRaisesRegex(AccessError, "Only credit managers"):
            wizard.with_user(self.user).action_release_confirm()
        with self.assertRaises(AccessError):
            self.env["partner.credit.release"].with_user(self.user).create(
                {"partner_id": self.customer.id, "sale_order_id": order.id, "reason": "Forged"}
            )
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.with_context(credit_released=True, skip_credit_check=True).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_release_covers_released_amount_only(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        self.log_release(order, order_amount_total=1000.0)
        self.assertFalse(order._is_credit_released())
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.action_confirm()
        order.order_line.product_uom_qty = 9
        self.assertTrue(order._is_credit_released())
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_request_release_schedules_activity_for_managers(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        order.action_request_credit_release()
        activities = order.activity_ids
        self.assertIn(self.finance, activities.user_id)
        self.assertIn(self.credit_manager, activities.user_id)
        self.assertNotIn(self.user, activities.user_id)
        order.action_request_credit_release()  # not twice
        self.assertEqual(len(order.activity_ids), len(activities))
        self.release(order)
        self.assertFalse(order.activity_ids)

    def test_banner_levels(self):
        self.set_limit(self.customer, 2000.0)
        self.customer_invoice(1000.0)  # 1100 exposure, 55%
        order = self.sale_order(qty=1)  # 110 -> 60.5%
        self.assertEqual(order.credit_warning_level, "info")
        self.assertIn("Credit usage: 55.0%", order.credit_warning)
        self.assertIn("60.5% after this order", order.credit_warning)
        order.order_line.product_uom_qty = 5  # 1650 -> 82.5%
        self.assertEqual(order.credit_warning_level, "warning")
        order.order_line.product_uom_qty = 9  # 2090
        self.assertEqual(order.credit_warning_level, "danger")
        self.assertTrue(order.credit_release_needed)
        # The banner says what the gate would say.
        self.assertIn("Over the limit by: $\u00a090.00", order.credit_warning)
        self.create_document(self.customer, expiry_date="2026-01-01", number=self.uscc_customer)
        self.customer.qualification_document_ids.filtered(lambda d: d.expiry_date.year == 2030).unlink()
        order.order_line.product_uom_qty = 1
        self.assertEqual(order.credit_warning_level, "danger")
        self.assertIn("expired on 2026-01-01", order.credit_warning)
        self.assertFalse(order.credit_release_needed)  # a release would not help
        # Onchange on a new quotation computes it too.
        form = Form(self.env["sale.order"].with_user(self.user))
        form.partner_id = self.customer
        self.assertEqual(form.credit_warning_level, "danger")
        rfq = self.purchase_order(qty=1)
        self.assertEqual(rfq.credit_warning_level, "danger")  # supplier limit 0
        order.action_cancel()
        self.assertFalse(order.credit_warning_level)

    def test_threshold_notifies_applicant_once(self):
        self.customer.sudo().qualification_applicant_id = self.user
        self.set_limit(self.customer, 1000.0)
        self.sale_order(qty=5).action_confirm()  # 55%
        todo = self.customer.activity_ids.filtered(lambda a: a.user_id == self.user)
        self.assertFalse(todo)
        self.sale_order(qty=3).action_confirm()  # 88%
        todo = self.customer.activity_ids.filtered(lambda a: a.user_id == self.user)
        self.assertEqual(len(todo), 1)
        self.assertIn("88.0%", todo.summary)
        self.sale_order(qty=1).action_confirm()  # 99%: already warned
        self.assertEqual(len(self.customer.activity_ids.filtered(lambda a: a.user_id == self.user)), 1)

    def test_views_load_for_each_role(self):
        for user in (self.user, self.finance):
            for model in ("sale.order", "purchase.order", "res.partner"):
                arch = self.env[model].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertIn("credit", arch)
        arch = (
            self.env["sale.order"].with_user(self.user).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_request_credit_release", arch)
        self.assertNotIn("action_open_credit_release", arch)
        arch = (
            self.env["sale.order"]
            .with_user(self.finance)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_open_credit_release", arch)
        self.assertNotIn("action_request_credit_release", arch)
        self.env["partner.credit.release"].with_user(self.finance).get_views(
            [(False, "list"), (False, "form"), (False, "search")]
        )
        self.env["res.config.settings"].get_views([(False, "form")])

    def test_releases_are_company_private(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        self.release(order)
        other = self.env["res.company"].create({"name": "Other company"})
        self.finance.write({"company_ids": [(4, other.id)]})
        releases = (
            self.env["partner.credit.release"]
            .with_user(self.finance)
            .with_context(allowed_company_ids=other.ids)
        )
        self.assertFalse(releases.search([]))
        self.assertEqual(len(releases.with_context(allowed_company_ids=self.company.ids).search([])), 1)

    def test_release_matches_partner_company_currency(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        other_customer = self.env["res.partner"].create({"name": "Other customer", "is_company": True})
        self.log_release(order, partner_id=other_customer.id)
        self.assertFalse(order._is_credit_released())
        self.log_release(order, order_currency_id=self.env.ref("base.EUR").id)
        self.assertFalse(order._is_credit_released())
        release = self.log_release(order)
        self.assertTrue(order._is_credit_released())
        other = self.env["res.company"].create({"name": "Other company"})
        # The release cannot be written for another company; the order may move there.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE partner_credit_release SET company_id = %s WHERE id = %s", [other.id, release.id]
        )
        self.env.invalidate_all()
        self.assertFalse(order._is_credit_released())

    def test_release_void_once_order_cancelled_or_reset(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        self.release(order)
        release = self.env["partner.credit.release"].search([("sale_order_id", "=", order.id)])
        order.action_cancel()
        self.assertTrue(release.voided)
        order.action_draft()
        self.assertFalse(order._is_credit_released())
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.release(order, reason="Second guarantee")
        self.assertEqual(order.state, "sale")

    def test_release_log_cannot_be_forged(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        releases = self.env["partner.credit.release"].with_user(self.finance)
        with self.assertRaises(AccessError):
            releases.create(
                {
                    "partner_id": self.customer.id,
                    "sale_order_id": order.id,
                    "user_id": self.credit_manager.id,
                    "reason": "Forged",
                    "order_currency_id": order.currency_id.id,
                    "order_amount_total": 100000.0,
                }
            )
        with self.assertRaises(AccessError):
            # No context key grants the right to write the log.
            releases.with_context(partner_credit_release_wizard=True).create(
                {"partner_id": self.customer.id, "sale_order_id": order.id, "reason": "x"}
            )
        self.assertFalse(order._is_credit_released())
        self.release(order)
        release = releases.search([("sale_order_id", "=", order.id)])
        with self.assertRaises(AccessError):
            release.write({"order_amount_total": 100000.0})
        with self.assertRaises(AccessError):
            release.unlink()

    def test_release_purchase_waiting_for_approval(self):
        self.company.write({"po_double_validation": "two_step", "po_double_validation_amount": 500.0})
        self.set_limit(self.supplier, 1100.0)
        order = self.purchase_order(qty=10)
        order.button_confirm()
        self.assertEqual(order.state, "to approve")
        self.set_limit(self.supplier, 1000.0)
        order.invalidate_recordset(["credit_warning", "credit_warning_level", "credit_release_needed"])
        self.assertEqual(order.credit_warning_level, "danger")
        self.assertTrue(order.credit_release_needed)
        # The order itself is counted once, not also as a confirmed order.
        self.assertIn("Over the limit by: $\u00a0100.00", order.credit_warning)
        manager = new_test_user(
            self.env, "pqc_po_manager", groups="purchase.group_purchase_manager", company_id=self.company.id
        )
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.with_user(manager).button_approve()
        self.release(order, reason="Approved supplier advance")
        self.assertTrue(order._is_credit_released())
        # The credit manager is no purchase manager: approval still waits for one.
        self.assertEqual(order.state, "to approve")
        order.with_user(manager).button_approve()
        self.assertEqual(order.state, "purchase")

    def test_credit_figures_hidden_from_other_users(self):
        self.set_limit(self.customer, 500.0)
        salesman = new_test_user(
            self.env,
            "pqc_plain_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        order = self.sale_order(qty=10, user=salesman)
        order.invalidate_recordset()
        self.assertEqual(order.credit_warning_level, "danger")
        self.assertTrue(order.credit_release_needed)
        with self.assertRaises(AccessError):
            order.read(["credit_warning"])
        arch = order.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_request_credit_release", arch)
        self.assertNotIn('name="credit_warning"', arch)
        self.assertIn("over its credit limit", order.sudo().credit_warning)
