# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditPayment(CreditControlCommon):
    """An online payment confirms its quotation through the gate, without being lost."""

    def test_refused_confirmation_keeps_payment(self):
        # Paid in advance, the order passes the credit limit; expired documents still
        # refuse it.
        self.set_limit(self.customer, 500.0)
        self.customer.qualification_document_ids.expiry_date = "2026-01-31"
        order = self.sale_order(qty=10)
        tx = self.online_transaction(order)
        tx._set_done()
        self.assertFalse(tx._check_amount_and_confirm_order())
        self.assertEqual(order.state, "draft")
        self.assertEqual(tx.state, "done")
        self.assertIn("could not be confirmed", order.message_ids[0].body)
        self.assertIn("do not allow new orders", order.message_ids[0].body)
        self.assertEqual(order.activity_ids.user_id, self.user)
        # With valid documents, the payment confirms the order although it passes the
        # credit limit: no credit is given.
        self.customer.qualification_document_ids.expiry_date = "2030-12-31"
        self.assertEqual(tx._check_amount_and_confirm_order(), order)
        self.assertEqual(order.state, "sale")
