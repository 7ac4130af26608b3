# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditControlCommon

# A 1x1 PNG: what the portal's signature widget sends, base64-encoded.
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestSecurityPortal(CreditControlCommon, HttpCase):
    """A customer signing an over-limit quotation in the portal keeps their signature
    and reads a neutral message; the salesperson gets the real reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Wei", "parent_id": cls.customer.id, "email": "li.wei@example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env, "pqc_portal", groups="base.group_portal", partner_id=cls.contact.id
        )
        cls.set_limit(cls.customer, 500.0)
        cls.customer.sudo().qualification_note = "Owner under investigation"

    def assertNeutral(self, text, *extra_words):
        # The salesperson's name is on the quotation anyway; the credit managers' are not.
        words = ["limit", "exposure", "500.00", "over its", self.credit_manager.name, self.finance.name]
        for word in (*words, *extra_words):
            self.assertNotIn(word.lower(), text.lower())

    def test_over_limit_signature(self):
        order = self.sale_order(qty=10, partner=self.contact, require_signature=True, require_payment=False)
        order.sudo().state = "sent"
        token = order.sudo()._portal_ensure_token()
        self.authenticate("pqc_portal", "pqc_portal")
        response = self.url_open(
            f"/my/orders/{order.id}/accept?access_token={token}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"name": "Li Wei", "signature": SIGNATURE},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        payload = response.json()
        self.assertNotIn("error", payload, payload)
        self.assertNeutral(response.text, "credit")
        # The signature is kept, the order waits for its salesperson.
        order.invalidate_recordset()
        self.assertIn(order.state, ("draft", "sent"))
        self.assertEqual(order.signed_by, "Li Wei")
        self.assertTrue(order.signature)
        self.assertEqual(order.activity_ids.user_id, self.user)
        self.assertIn("credit limit", order.activity_ids.note)
        # The reason is an internal note: it is not in the customer's chatter.
        reason = order.message_ids.filtered(lambda m: "could not be confirmed" in (m.body or ""))
        self.assertTrue(reason.subtype_id.internal)
        # The page the customer is sent to.
        page = self.url_open(payload["result"]["redirect_url"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("Your order has been signed.", page.text)
        self.assertNeutral(page.text)

    def test_account_page(self):
        self.authenticate("pqc_portal", "pqc_portal")
        page = self.url_open("/my/account")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.portal_user.partner_id.name, page.text)
        self.assertNotIn("investigation", page.text)
        self.assertNotIn("admission_state", page.text)
