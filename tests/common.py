# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from stdnum.cn import uscc

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


def make_uscc(body):
    """A valid Unified Social Credit Code from its first 17 characters."""
    return body + uscc.calc_check_digit(body)


class PartnerQualificationCommon(TransactionCase):
    """Users of each role, the shipped grades and document types, one customer and one
    supplier without any qualification yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.user = new_test_user(
            cls.env,
            "pqc_user",
            groups="partner_qualification_credit.group_user,sales_team.group_sale_salesman,"
            "purchase.group_purchase_user",
        )
        cls.officer = new_test_user(
            cls.env, "pqc_officer", groups="partner_qualification_credit.group_officer"
        )
        cls.approver = new_test_user(
            cls.env, "pqc_approver", groups="partner_qualification_credit.group_approver"
        )
        cls.credit_manager = new_test_user(
            cls.env, "pqc_credit_manager", groups="partner_qualification_credit.group_credit_manager"
        )
        ref = cls.env.ref
        cls.grade_a = ref("partner_qualification_credit.grade_a")
        cls.grade_b = ref("partner_qualification_credit.grade_b")
        cls.grade_c = ref("partner_qualification_credit.grade_c")
        cls.grade_d = ref("partner_qualification_credit.grade_d")
        cls.grade_e = ref("partner_qualification_credit.grade_e")
        cls.type_licence = ref("partner_qualification_credit.document_type_business_licence")
        cls.type_org_code = ref("partner_qualification_credit.document_type_organization_code")
        cls.type_tax = ref("partner_qualification_credit.document_type_tax_registration")
        cls.type_production = ref("partner_qualification_credit.document_type_production_licence")
        cls.uscc_customer = make_uscc("91330100MA2XXXXX0")
        cls.uscc_supplier = make_uscc("91110000600037341")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hangzhou Xinhe Trading Co., Ltd.", "is_company": True, "partner_role": "customer"}
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Beijing Huatai Materials Co., Ltd.", "is_company": True, "partner_role": "supplier"}
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """Like unittest's, inside a savepoint as Odoo's ``assertRaises``, so that a
        refused write leaves the database as it was for the rest of the test."""
        with self.assertRaises(exception) as context:
            yield context
        self.assertRegex(str(context.exception), regex)

    @classmethod
    def create_document(cls, partner, doc_type=None, **values):
        doc_type = doc_type or cls.type_licence
        vals = {
            "partner_id": partner.id,
            "type_id": doc_type.id,
            "number": values.pop("number", None) or cls._default_number(partner, doc_type),
            "issue_date": "2024-01-01",
            "expiry_date": "2030-12-31",
        }
        vals.update(values)
        return cls.env["partner.qualification.document"].create(vals)

    @classmethod
    def _default_number(cls, partner, doc_type):
        code = cls.uscc_supplier if partner == cls.supplier else cls.uscc_customer
        if doc_type == cls.type_licence:
            return code
        if doc_type == cls.type_org_code:
            return code[8:17]
        return f"{doc_type.code.upper()}-{partner.id}"

    @classmethod
    def admit(cls, partner, grade=None):
        """Put ``partner`` in the state an approved admission leaves it in."""
        partner.sudo().write(
            {"admission_state": "approved", "qualification_grade_id": (grade or cls.grade_c).id}
        )


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
        for partner, role in ((cls.customer, "customer"), (cls.supplier, "supplier")):
            # The partners were created before the accounting company became the current
            # one: their (per-company) role is set there too.
            partner.with_company(cls.company).sudo().partner_role = role
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

    def online_transaction(self, order):
        """A payment transaction of a dummy provider for ``order``, not yet done."""
        payment_method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Dummy Provider",
                "code": "none",
                "state": "test",
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(payment_method.ids)],
            }
        )
        payment_method.active = True
        return self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": payment_method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "reference": f"PQC-TX-{order.id}",
                "operation": "online_redirect",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )

    def exposure(self, partner=None):
        partner = (partner or self.customer).with_company(self.company)
        partner.invalidate_recordset()
        return partner._get_credit_exposure_by_partner()[partner.id]
