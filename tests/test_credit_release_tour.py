# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import make_uscc


@tagged("post_install", "-at_install")
class TestCreditReleaseTour(HttpCase):
    def test_quotation_over_the_limit_released_by_finance(self):
        """In the browser: the salesperson's confirmation of a quotation over the limit is
        refused, they request a release, a credit manager releases and confirms it."""
        company = self.env.company
        company.write({"partner_block_invalid_documents": True, "partner_credit_limit_required": True})
        sales = new_test_user(
            self.env,
            "pqc_tour_sales",
            groups="partner_qualification_credit.group_user,sales_team.group_sale_salesman",
            context={"no_reset_password": True},
        )
        finance = new_test_user(
            self.env,
            "pqc_tour_credit",
            name="Emma Release",
            groups="partner_qualification_credit.group_credit_manager,sales_team.group_sale_salesman_all_leads",
            context={"no_reset_password": True},
        )
        code = make_uscc("91330100MA2TRL01X")
        partner = self.env["res.partner"].create(
            {"name": "Tour Limit Co", "is_company": True, "partner_role": "customer", "vat": code}
        )
        self.env["partner.qualification.document"].create(
            {
                "partner_id": partner.id,
                "type_id": self.env.ref("partner_qualification_credit.document_type_business_licence").id,
                "number": code,
                "expiry_date": "2099-12-31",
            }
        )
        partner.write({"admission_state": "approved", "credit_limit": 1000.0})
        product = self.env["product.product"].create(
            {"name": "Tour Cable", "list_price": 1500.0, "taxes_id": False}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": sales.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        url = f"/odoo/sale.order/{order.id}"
        self.start_tour(url, "partner_credit_release_request_tour", login="pqc_tour_sales")
        self.assertEqual(order.state, "draft", "refused: over the limit")
        self.assertIn(finance, order.activity_ids.user_id)
        self.start_tour(url, "partner_credit_release_tour", login="pqc_tour_credit")
        self.assertEqual(order.state, "sale")
        release = self.env["partner.credit.release"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(release.user_id, finance)
        self.assertEqual(release.credit_limit, 1000.0)
        self.assertFalse(order.activity_ids.filtered(lambda a: a.user_id == finance), "the request is done")
