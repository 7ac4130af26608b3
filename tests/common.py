# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from stdnum.cn import uscc

from odoo.tests import TransactionCase, new_test_user

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
