# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import tagged

from .common import PartnerQualificationCommon

# The printed register's columns, number and expiry (and name and phone) side by side.
REGISTER_COLUMNS = [
    "name",
    "partner_role",
    "qualification_applicant_id",
    "qualification_application_date",
    "cooperation_content",
    "registered_address",
    "registered_capital",
    "register_licence_number",
    "register_licence_expiry",
    "register_org_code_number",
    "register_org_code_expiry",
    "register_tax_number",
    "register_tax_expiry",
    "business_contact_name",
    "business_contact_phone",
    "business_manager_name",
    "business_manager_phone",
    "qualification_grade_id",
    "credit_limit",
    "qualification_note",
]


@tagged("post_install", "-at_install")
class TestRegisterView(PartnerQualificationCommon):
    def test_list_shows_and_exports_the_printed_columns(self):
        view = self.env.ref("partner_qualification_credit.res_partner_view_list_register")
        arch = etree.fromstring(
            self.env["res.partner"]
            .with_user(self.officer)
            .get_views([(view.id, "list")])["views"]["list"]["arch"]
        )
        columns = [
            field for field in arch.iter("field") if field.get("column_invisible") not in ("1", "True")
        ]
        # Every printed column is in the list, in the printed order ("Export" gives the
        # same table); the screen shows the essentials, the others are optional columns.
        printed = [field.get("name") for field in columns if field.get("name") in REGISTER_COLUMNS]
        self.assertEqual(printed, REGISTER_COLUMNS)
        shown = [field.get("name") for field in columns if field.get("optional") != "hide"]
        self.assertEqual(
            shown,
            [
                "name",
                "partner_role",
                "qualification_applicant_id",
                "business_contact_name",
                "qualification_grade_id",
                "credit_limit",
                "credit_usage",
                "admission_state",
                "qualification_state",
            ],
        )
        template = self.env.ref("partner_qualification_credit.report_partner_register")
        headers = etree.fromstring(template.arch).iter("th")
        # Each printed certificate, contact and manager column is two columns on screen.
        self.assertEqual(len(list(headers)) + 5, len(REGISTER_COLUMNS))

    def test_admitted_by_default(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.res_partner_action_register"
        )
        self.assertIn("'search_default_admission_approved': 1", action["context"])

    def test_document_columns_from_latest_documents(self):
        licence = self.create_document(self.customer, expiry_date="2029-05-31")
        org_code = self.create_document(self.customer, self.type_org_code, expiry_date="2028-01-31")
        licence.action_archive()
        renewed = self.create_document(self.customer, expiry_date="2034-05-31")
        fields = ["register_licence_number", "register_licence_expiry", "register_org_code_number"]
        others = self.env["res.partner"].create(
            [{"name": f"Register {i}", "is_company": True} for i in range(10)]
        )
        for partner in others:
            self.create_document(partner, self.type_tax, number=f"TAX-{partner.id}")

        def count_queries(partners):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = partners.with_user(self.officer).read(fields)
            return self.env.cr.sql_log_count - before, values

        count_queries(others[:1])  # warm-up: the officer's groups and access rules
        few, _values = count_queries(others[:2])
        many, _values = count_queries(others)
        self.assertEqual(few, many, "one query for the documents of all partners")
        _count, values = count_queries(self.customer | self.supplier)
        self.assertEqual(
            values[0],
            {
                "id": self.customer.id,
                "register_licence_number": renewed.number,
                "register_licence_expiry": renewed.expiry_date,
                "register_org_code_number": org_code.number,
            },
        )
        self.assertFalse(values[1]["register_licence_number"])
