# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import closing, contextmanager

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ConcurrencyError, UserError
from odoo.fields import Command
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from .common import make_uscc


@tagged("post_install", "-at_install")
class TestCreditConcurrency(TransactionCase):
    """Two transactions confirming orders of one partner at the same moment: together
    they would pass the limit, so at most one may commit.

    The test transaction cannot show this (one connection): the data is committed with
    real cursors, and deleted again at the end."""

    @contextmanager
    def real_env(self):
        with closing(db_connect(self.env.cr.dbname).cursor()) as cr:
            yield api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})

    def setUp(self):
        super().setUp()
        with self.real_env() as env:
            partner = env["res.partner"].create(
                {"name": "Race Condition Trading Co.", "is_company": True, "partner_role": "customer"}
            )
            partner.write(
                {
                    "admission_state": "approved",
                    "qualification_grade_id": env.ref("partner_qualification_credit.grade_c").id,
                    "credit_limit": 1500.0,
                }
            )
            env["partner.qualification.document"].create(
                {
                    "partner_id": partner.id,
                    "type_id": env.ref("partner_qualification_credit.document_type_business_licence").id,
                    "number": make_uscc("91330100MA2RACE00"),
                    "issue_date": "2024-01-01",
                    "expiry_date": "2099-12-31",
                }
            )
            product = env["product.product"].create({"name": "Race service", "type": "service"})
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "price_unit": 1000.0, "tax_ids": []})
                        ],
                    }
                ]
                * 2
            )
            env.cr.commit()
            self.partner_id, self.product_id, self.order_ids = partner.id, product.id, orders.ids
        self.addCleanup(self._delete_committed_data)

    def _delete_committed_data(self):
        with self.real_env() as env:
            orders = env["sale.order"].browse(self.order_ids)
            orders.action_cancel()
            orders.unlink()
            env["product.product"].browse(self.product_id).product_tmpl_id.unlink()
            partner = env["res.partner"].browse(self.partner_id)
            partner.qualification_document_ids.unlink()
            partner.unlink()
            env.cr.commit()

    def test_two_transactions_cannot_both_pass(self):
        with self.real_env() as env1, self.real_env() as env2:
            order1 = env1["sale.order"].browse(self.order_ids[0])
            order2 = env2["sale.order"].browse(self.order_ids[1])
            # Both transactions start (take their snapshot) before either confirms.
            self.assertEqual(order1.state, "draft")
            self.assertEqual(order2.state, "draft")
            order1.action_confirm()  # 1000 of 1500: passes
            env1.cr.commit()
            # The second one, alone, would pass too on its snapshot (1000 <= 1500), but
            # it must not: the credit lock row makes it give way, and Odoo retries. The
            # expected conflict logs no error (no mute_logger here on purpose).
            with self.assertRaises(ConcurrencyError), self.assertNoLogs("odoo.sql_db", "ERROR"):
                order2.action_confirm()
            env2.cr.rollback()
        # The retry sees the first order and refuses the second.
        with self.real_env() as env3:
            order2 = env3["sale.order"].browse(self.order_ids[1])
            with self.assertRaisesRegex(UserError, "over its credit limit"):
                order2.action_confirm()
            # As the request does after an error (the gate runs after the write).
            env3.cr.rollback()
            env3.invalidate_all()
            self.assertEqual(
                env3["sale.order"].browse(self.order_ids).mapped("state"),
                ["sale", "draft"],
            )
            env3.cr.rollback()

    def test_request_that_keeps_losing_gets_a_clean_refusal(self):
        """Odoo replays a request a few times on the same cursor; a confirmation that
        finds the partner's check taken every time ends with a clear message, not with
        Odoo's raw concurrency error, and logs no error."""
        with self.real_env() as env1, self.real_env() as env2:
            # The first transaction confirms and keeps its lock (not committed yet).
            env1["sale.order"].browse(self.order_ids[0]).action_confirm()
            order2 = env2["sale.order"].browse(self.order_ids[1])
            for _attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE - 1):
                with self.assertRaises(ConcurrencyError), self.assertNoLogs("odoo.sql_db", "ERROR"):
                    order2.action_confirm()
                env2.cr.rollback()
                env2.invalidate_all()
            with self.assertRaisesRegex(UserError, "being confirmed at this very moment"):
                order2.action_confirm()
            env2.cr.rollback()
            env1.cr.rollback()
