# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditDraftAmount(CreditControlCommon):
    """What a draft invoice adds is kept on the draft: it follows its lines, is 0 once
    posted, is the ORM's alone, and the install fills it as the ORM would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False
        cls.invoicing = new_test_user(cls.env, "pqc_invoicing", groups="account.group_account_invoice")

    def _stored(self, moves):
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL("SELECT id, credit_draft_amount FROM account_move WHERE id IN %s", tuple(moves.ids))
        )
        return {move_id: round(amount or 0.0, 6) for move_id, amount in rows}

    def test_follows_the_lines_and_the_state(self):
        invoice = self.customer_invoice(1000.0, post=False)
        refund = self.customer_invoice(400.0, move_type="out_refund", post=False)
        order = self.sale_order(qty=10)
        order.action_confirm()
        from_order = order._create_invoices()
        self.assertEqual(
            self._stored(invoice | refund | from_order),
            {invoice.id: 1100.0, refund.id: 0.0, from_order.id: 0.0},
            "tax included; a credit note lowers nothing; lines from an order count in the order",
        )
        invoice.invoice_line_ids.price_unit = 2000.0
        self.assertEqual(self._stored(invoice)[invoice.id], 2200.0)
        # With the order's part its draft invoices (1,100 of the order, counted once).
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 2200.0 + 1100.0)
        invoice.action_post()
        self.assertEqual(self._stored(invoice)[invoice.id], 0.0)
        self.assertAlmostEqual(self.exposure()["draft_invoice"], 1100.0)
        invoice.button_draft()
        self.assertEqual(self._stored(invoice)[invoice.id], 2200.0)

    def test_install_fill_matches_the_compute(self):
        moves = self.customer_invoice(1000.0, post=False) | self.customer_invoice(
            300.0, move_type="out_refund", post=False
        )
        moves |= self.customer_invoice(-50.0, post=False)
        expected = self._stored(moves)
        self.env.cr.execute(
            SQL("UPDATE account_move SET credit_draft_amount = NULL WHERE id IN %s", tuple(moves.ids))
        )
        self.env.cr.execute(self.env["account.move"]._get_credit_draft_amount_fill_sql())
        self.assertEqual(self._stored(moves), expected)

    def test_refused_from_clients(self):
        invoice = self.customer_invoice(1000.0, post=False).with_user(self.invoicing)
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            invoice.write({"credit_draft_amount": 0.0})
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            self.env["account.move"].with_user(self.invoicing).create(
                {"move_type": "out_invoice", "partner_id": self.customer.id, "credit_draft_amount": 0.0}
            )
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            self.env["account.move"].with_user(self.invoicing).with_context(
                default_credit_draft_amount=0.0
            ).create({"move_type": "out_invoice", "partner_id": self.customer.id})
        self.assertEqual(self._stored(invoice)[invoice.id], 1100.0)
