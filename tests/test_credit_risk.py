# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditRisk(CreditControlCommon):
    """The risk responses finance uses besides the limit: each blocks with its own
    kind and says why."""

    def blockers(self, order):
        partner = order._get_credit_partner().with_company(self.company).sudo()
        return partner._get_transaction_blockers(order, order._get_partner_gate_role())

    def paid_online(self, order):
        tx = self.online_transaction(order)
        tx.state = "done"
        return tx

    def test_credit_hold_blocks_until_lifted_except_prepaid(self):
        self.set_limit(self.customer, 100000.0)
        partner = self.customer.with_company(self.company)
        with self.assertRaises(AccessError):
            partner.with_user(self.user).write({"credit_hold": True, "credit_hold_reason": "Bounced cheque"})
        with self.assertRaises(ValidationError):
            partner.with_user(self.credit_manager).credit_hold = True  # no reason
        partner.with_user(self.credit_manager).write(
            {"credit_hold": True, "credit_hold_reason": "Bounced cheque"}
        )
        order = self.sale_order(qty=1)
        self.assertEqual([b.kind for b in self.blockers(order)], ["credit_hold"])
        with self.assertRaisesRegex(UserError, "(?s)on credit hold.*Bounced cheque"):
            order.action_confirm()
        with self.assertRaisesRegex(UserError, "on credit hold"):
            self.customer_invoice(10.0)
        # Paid in advance: no credit given, the hold does not refuse it.
        self.paid_online(order)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        partner.with_user(self.credit_manager).credit_hold = False
        self.sale_order(qty=1).action_confirm()

    def test_prepaid_order_passes_the_limit(self):
        self.set_limit(self.customer, 100.0)
        order = self.sale_order(qty=10)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.action_confirm()
        self.paid_online(order)
        self.assertEqual(self.blockers(order), [])
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_overdue_block_company_and_grade(self):
        self.set_limit(self.customer, 100000.0)
        self.customer_invoice(100.0, invoice_date="2025-12-01", invoice_date_due="2025-12-31")
        order = self.sale_order(qty=1)
        self.assertFalse(self.blockers(order))  # off by default
        self.company.partner_credit_overdue_days = 30  # overdue 61 days
        blockers = self.blockers(order)
        self.assertEqual([b.kind for b in blockers], ["overdue"])
        self.assertTrue(blockers[0].releasable)
        self.assertEqual(blockers[0].figures["days"], 61)
        with self.assertRaisesRegex(UserError, r"(?s)overdue receivables.*\$\s?110\.00.*61 days"):
            order.action_confirm()
        # A grade tightens the company's amount threshold.
        self.company.partner_credit_overdue_days = 90
        self.assertFalse(self.blockers(order))
        self.grade_c.with_company(self.company).credit_overdue_amount = 100.0
        self.assertEqual([b.kind for b in self.blockers(order)], ["overdue"])
        # Suppliers' purchase orders are not refused for their customer debts.
        self.assertFalse(self.blockers(self.purchase_order(qty=1, partner=self.customer)))

    def test_payment_term_cap_names_allowed_terms(self):
        self.set_limit(self.customer, 100000.0)
        self.grade_c.with_company(self.company).max_payment_term_days = 30
        order = self.sale_order(qty=1, payment_term_id=self.env.ref("account.account_payment_term_45days").id)
        blockers = self.blockers(order)
        self.assertEqual([b.kind for b in blockers], ["payment_term"])
        self.assertFalse(blockers[0].releasable)
        with self.assertRaisesRegex(UserError, "(?s)at most 30 days.*45 Days.*30 Days"):
            order.action_confirm()
        order.payment_term_id = self.env.ref("account.account_payment_term_30days")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_temporary_limit_grants_then_expires(self):
        self.set_limit(self.customer, 1000.0)
        with self.assertRaises(AccessError):
            self.env["partner.credit.limit.temporary"].with_user(self.user).create(
                {"partner_id": self.customer.id, "amount": 500.0, "date_end": "2026-03-31", "reason": "Peak"}
            )
        grant = (
            self.env["partner.credit.limit.temporary"]
            .with_user(self.credit_manager)
            .create(
                {"partner_id": self.customer.id, "amount": 500.0, "date_end": "2026-03-31", "reason": "Peak"}
            )
        )
        with self.assertRaises(AccessError):
            grant.with_user(self.credit_manager).amount = 5000.0
        self.assertIn("Peak", self.customer.message_ids[0].body)
        partner = self.customer.with_company(self.company)
        self.assertAlmostEqual(partner.credit_limit_temporary, 500.0)
        self.sale_order(qty=12).action_confirm()  # 1,320 within 1,500
        with freeze_time("2026-04-01"):
            self.env["partner.credit.limit.temporary"]._cron_expire()
            self.assertFalse(grant.active)
            self.assertIn("expired", self.customer.message_ids[0].body)
            with self.assertRaisesRegex(UserError, r"Credit limit: \$\s?1,000\.00"):
                self.sale_order(qty=1).action_confirm()

    def test_blocked_documents_queue(self):
        self.set_limit(self.customer, 100.0)
        order = self.sale_order(qty=10)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            order.action_confirm()
        order.with_user(self.user).action_request_credit_release()
        queue = self.env["partner.credit.release.queue"].with_user(self.finance).search([])
        entry = queue.filtered(lambda e: e.res_model == "sale.order" and e.res_id == order.id)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.blocker_kinds, "credit_limit")
        self.assertEqual(entry.partner_id, self.customer)
        self.assertAlmostEqual(entry.amount, 1100.0)
        self.assertAlmostEqual(entry.credit_limit, 100.0)
        self.assertTrue(entry.releasable)
        action = entry.action_release()
        wizard = Form(self.env[action["res_model"]].with_user(self.finance).with_context(**action["context"]))
        wizard.reason = "Secured by a bank guarantee"
        wizard.save().action_release_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.env["partner.credit.release.queue"].with_user(self.finance).search([]))
        with self.assertRaises(AccessError):
            self.env["partner.credit.release.queue"].with_user(self.user).search([])
