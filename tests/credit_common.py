# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import PartnerQualificationCommon


class CreditControlCommon(AccountTestInvoicingCommon, PartnerQualificationCommon):
    """A chart of accounts, a 10% sale and purchase tax, a service product at 100, an
    admitted customer and supplier (grade C, valid documents) without credit limit yet,
    and a finance user (credit manager who can read orders)."""

    @classmethod
    def setup_independent_user(cls):
        # Stay superuser as PartnerQualificationCommon does: records are set up as the
        # workflows leave them, and each test acts as the user it names.
        return None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The chart of accounts lives in a company of its own: the role users work there.
        for user in (cls.user, cls.officer, cls.approver, cls.credit_manager):
            user.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.currency = cls.company.currency_id
        cls.tax_sale = cls.env["account.tax"].create(
            {"name": "VAT 10% (sales)", "amount": 10.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.tax_purchase = cls.env["account.tax"].create(
            {
                "name": "VAT 10% (purchases)",
                "amount": 10.0,
                "type_tax_use": "purchase",
                "company_id": cls.company.id,
            }
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Processing service",
                "type": "service",
                "list_price": 100.0,
                "standard_price": 100.0,
                "invoice_policy": "order",
                "purchase_method": "purchase",
                "taxes_id": [Command.set(cls.tax_sale.ids)],
                "supplier_taxes_id": [Command.set(cls.tax_purchase.ids)],
            }
        )
        cls.finance = new_test_user(
            cls.env,
            "pqc_finance",
            groups="partner_qualification_credit.group_credit_manager,sales_team.group_sale_salesman_all_leads,"
            "purchase.group_purchase_user",
            company_id=cls.company.id,
        )
        for partner in (cls.customer, cls.supplier):
            cls.admit(partner)
            cls.create_document(partner)
        cls.set_limit(cls.customer, 0.0)
        cls.set_limit(cls.supplier, 0.0)

    @classmethod
    def set_limit(cls, partner, limit):
        partner.with_company(cls.company).sudo().credit_limit = limit

    def sale_order(self, qty=10, price=100.0, partner=None, user=None, **values):
        return (
            self.env["sale.order"]
            .with_user(user or self.user)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.service.id, "product_uom_qty": qty, "price_unit": price}
                        )
                    ],
                    **values,
                }
            )
        )

    def purchase_order(self, qty=10, price=100.0, partner=None, user=None, **values):
        return (
            self.env["purchase.order"]
            .with_user(user or self.user)
            .create(
                {
                    "partner_id": (partner or self.supplier).id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.service.id, "product_qty": qty, "price_unit": price}
                        )
                    ],
                    **values,
                }
            )
        )

    def customer_invoice(self, amount, move_type="out_invoice", partner=None, post=True, **values):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goods", "price_unit": amount, "tax_ids": [Command.set(self.tax_sale.ids)]}
                    )
                ],
                **values,
            }
        )
        if post:
            move.action_post()
        return move

    def exposure(self, partner=None):
        partner = (partner or self.customer).with_company(self.company)
        partner.invalidate_recordset()
        return partner._get_credit_exposure_by_partner()[partner.id]
