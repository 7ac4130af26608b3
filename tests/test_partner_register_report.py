# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestPartnerRegisterReport(PartnerQualificationCommon):
    def test_register_renders_expected_columns(self):
        self.customer.write(
            {
                "cooperation_content": "Cold-rolled steel coils",
                "registered_address": "1 Wensan Road, Hangzhou",
                "business_contact_name": "Wang Fang",
                "credit_limit": 500000.0,
            }
        )
        self.admit(self.customer, self.grade_b)
        self.create_document(self.customer, expiry_date="2029-05-31")
        self.create_document(self.customer, self.type_org_code, expiry_date="2029-05-31")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "partner_qualification_credit.report_partner_register",
            (self.customer | self.supplier).ids,
        )
        html = html.decode()
        for text in (
            "Partner Register",
            "Business Licence (USCC) / Expiry",
            "Organisation Code / Expiry",
            "Tax Registration / Expiry",
            "Hangzhou Xinhe Trading Co., Ltd.",
            "Beijing Huatai Materials Co., Ltd.",
            "Cold-rolled steel coils",
            "Wang Fang",
            self.uscc_customer,
            self.uscc_customer[8:17],
            "05/31/2029",
            "500,000.00",
        ):
            self.assertIn(text, html)
