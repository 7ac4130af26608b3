# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every report of the addon printed to a real PDF by wkhtmltopdf, in English and in
Simplified Chinese, single and multi-record, its text read back with poppler's
``pdftotext`` and its fonts with ``pdffonts``. The set-up installs all three tools: a
missing one fails these tests instead of skipping them."""

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.models.ir_actions_report import _wkhtml

from .common import CreditControlCommon, make_uscc

_logger = logging.getLogger(__name__)

CN_CUSTOMER = "杭州新禾贸易有限公司"
CN_SUPPLIER = "北京华泰物资有限公司"
STATEMENT = "partner_qualification_credit.action_report_partner_credit_statement"


@tagged("post_install", "-at_install")
class TestReportsPdf(CreditControlCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["partner_qualification_credit"], ["zh_CN"])
        # The printing users read Chinese; the partners and the applicant read English:
        # the forms must follow the reader.
        cls.approver.write({"lang": "zh_CN", "company_ids": [Command.link(cls.company.id)]})
        cls.approver_en = new_test_user(
            cls.env,
            "pqc_approver_en",
            groups="partner_qualification_credit.group_approver",
            company_id=cls.company.id,
        )
        cls.cn_customer = cls._cn_partner(CN_CUSTOMER, "customer", make_uscc("91330100MA2B3C4D5"))
        cls.cn_supplier = cls._cn_partner(CN_SUPPLIER, "supplier", make_uscc("91110000MA01ABCD9"))
        cls.partners = cls.cn_customer | cls.cn_supplier

    @classmethod
    def _cn_partner(cls, name, role, vat):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "vat": vat,
                "partner_role": role,
                "lang": "en_US",
                "cooperation_content": "冷轧钢卷加工",
                "registered_address": "杭州市西湖区文三路1号",
                "business_contact_name": "王芳",
                "business_contact_phone": "+86 571 8888 6666",
                "qualification_note": "年度重点客户，注意回款",
                "qualification_applicant_id": cls.user.id,
            }
        )
        cls.admit(partner, cls.grade_b)
        cls.create_document(partner, number=vat)
        cls.set_limit(partner, 2000.0)
        return partner

    def setUp(self):
        super().setUp()
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(),
            "ok",
            "wkhtmltopdf is missing or broken: run tools/setup.sh",
        )
        self.assertTrue(
            _wkhtml().is_patched_qt,
            "wkhtmltopdf is built on an unpatched Qt (no headers, no multi-record PDF): run tools/setup.sh",
        )
        for tool in ("pdftotext", "pdffonts"):
            self.assertTrue(shutil.which(tool), f"{tool} is missing (poppler-utils): run tools/setup.sh")

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def render(self, report_ref, records, user=None, lang="zh_CN", data=None):
        """PDF bytes of ``report_ref`` for ``records`` printed by ``user`` in ``lang``."""
        user = user or self.approver
        Report = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_company(self.company)
            .with_context(lang=lang, force_report_rendering=True)
        )
        start = time.perf_counter()
        pdf, report_type = Report._render_qweb_pdf(report_ref, records.ids, data=data)
        _logger.info(
            "PDF %s: %d record(s), %s, %.2f s, %d bytes",
            report_ref,
            len(records),
            lang,
            time.perf_counter() - start,
            len(pdf),
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # PQC_REPORT_DIR=/some/folder keeps the PDFs for a look.
        if folder := os.environ.get("PQC_REPORT_DIR"):
            name = f"{report_ref.split('.')[-1]}-{len(records)}-{lang}.pdf"
            with open(os.path.join(folder, name), "wb") as file:
                file.write(pdf)
        return pdf

    def pdf_text(self, pdf):
        """(text, fonts) of the PDF, as poppler reads them."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", file.name, "-"], capture_output=True, check=True
            ).stdout.decode()
            fonts = subprocess.run(["pdffonts", file.name], capture_output=True, check=True).stdout.decode()
        return " ".join(text.split()), fonts

    def assertPdfText(self, expected, text):
        """``expected`` is in ``text``, a line break allowed anywhere (table cells wrap).
        Qt's PDF writer maps an ideograph whose glyph it shares with a radical back to the
        radical (户 is extracted as ⼾, 禾 as ⽲): each ideograph may come back as one."""
        pattern = r"\s*".join(
            f"[{re.escape(char)}\u2e80-\u2eff\u2f00-\u2fdf]"
            if "\u4e00" <= char <= "\u9fff"
            else re.escape(char)
            for char in expected
        )
        self.assertRegex(text, pattern, f"{expected!r} is missing from the PDF")

    def assertChinesePdf(self, pdf, *texts):
        text, fonts = self.pdf_text(pdf)
        for expected in texts:
            self.assertPdfText(expected, text)
        self.assertNotIn("\ufffd", text, "a character without glyph was printed")
        # Simplified-Chinese glyph forms: the SC face of Noto CJK, not the Japanese one
        # fontconfig picks first by default.
        self.assertRegex(fonts, r"(?i)NotoSans(Mono)?CJK\w*sc|NotoSerifCJK\w*sc")
        self.assertNotRegex(fonts, r"(?i)CJKjp|CJKkr|CJKtc|CJKhk")
        for line in fonts.splitlines()[2:]:
            self.assertIn(" yes ", line, f"font not embedded: {line}")
        return text

    def make_request(self, partner):
        request = (
            self.env["partner.admission.request"]
            .with_user(self.user)
            .create(
                {"partner_id": partner.id, "role": partner.partner_role, "cooperation_content": "冷轧钢卷"}
            )
        )
        request.sudo().write({"review_opinion": "证照一致，同意准入。"})
        return request

    def make_evaluation(self, partner, campaign=None):
        evaluation = (
            self.env["partner.evaluation"]
            .with_user(self.officer)
            .create(
                {
                    "partner_id": partner.id,
                    "evaluator_id": self.user.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-06-30",
                    "role": partner.partner_role,
                }
            )
        )
        evaluation.sudo().with_context(partner_evaluation_workflow=True).write(
            {
                "campaign_id": campaign.id if campaign else False,
                "score_standing": 75.775,
                "score_cooperation": 80,
                "score_payment": 70,
                "score_potential": 90,
                "score_other": 60,
                "reason": "回款及时，合作稳定。",
            }
        )
        return evaluation

    # ------------------------------------------------------------
    # EVERY REPORT, BOTH LANGUAGES, SINGLE AND MULTI-RECORD
    # ------------------------------------------------------------

    def test_every_report_has_a_pdf_test(self):
        """A new report of the addon must be added to these tests."""
        reports = self.env["ir.actions.report"].search(
            [("report_name", "=like", "partner_qualification_credit.%")]
        )
        self.assertEqual(
            set(reports.mapped("report_name")),
            {
                "partner_qualification_credit.report_partner_register",
                "partner_qualification_credit.report_admission_request",
                "partner_qualification_credit.report_partner_evaluation",
                "partner_qualification_credit.report_partner_evaluation_campaign",
                "partner_qualification_credit.report_credit_statement",
            },
        )
        self.assertEqual(set(reports.mapped("report_type")), {"qweb-pdf"})

    def test_register_pdf(self):
        report = "partner_qualification_credit.action_report_partner_register"
        text = self.assertChinesePdf(
            self.render(report, self.partners),
            "客户及供应商台账",  # Partner Register
            CN_CUSTOMER,
            CN_SUPPLIER,
            "年度重点客户",
            "2,000.00",
        )
        self.assertNotIn("Partner Register", text)
        text, _fonts = self.pdf_text(self.render(report, self.partners, user=self.approver_en, lang="en_US"))
        self.assertIn("Partner Register", text)
        self.assertPdfText(CN_CUSTOMER, text)

    def test_admission_application_pdf(self):
        requests = self.make_request(self.cn_customer) | self.make_request(self.cn_supplier)
        report = "partner_qualification_credit.action_report_partner_admission_request"
        # The applicant reads English; the zh_CN officer prints a Chinese form.
        self.assertEqual(requests.applicant_id.lang, "en_US")
        text = self.assertChinesePdf(
            self.render(report, requests), "准入申请表", CN_CUSTOMER, CN_SUPPLIER, "证照一致"
        )
        self.assertNotIn("Admission Application", text)
        text, _fonts = self.pdf_text(self.render(report, requests[0], user=self.approver_en, lang="en_US"))
        self.assertIn("Admission Application", text)
        self.assertIn("Signature / Date", text)
        self.assertIn("Company leadership", text)

    def test_evaluation_sheet_and_campaign_pdf(self):
        campaign = (
            self.env["partner.evaluation.campaign"]
            .with_user(self.officer)
            .create(
                {
                    "name": "2026 上半年评级",
                    "date_from": "2026-01-01",
                    "date_to": "2026-06-30",
                    "scope": "both",
                }
            )
        )
        evaluations = self.make_evaluation(self.cn_customer, campaign) | self.make_evaluation(
            self.cn_supplier, campaign
        )
        report = "partner_qualification_credit.action_report_partner_evaluation"
        # The partner reads English: the sheet follows the zh_CN reader.
        text = self.assertChinesePdf(
            self.render(report, evaluations), "评级表", CN_CUSTOMER, CN_SUPPLIER, "回款及时"
        )
        self.assertNotIn("Evaluation Sheet", text)
        text, _fonts = self.pdf_text(self.render(report, evaluations[0], user=self.approver_en, lang="en_US"))
        self.assertIn("Evaluation Sheet", text)
        # Scores with one decimal, whatever was typed.
        self.assertIn("75.8", text)
        self.assertNotIn("75.775", text)
        self.assertNotIn("75.78", text)

        report = "partner_qualification_credit.action_report_partner_evaluation_campaign"
        text = self.assertChinesePdf(
            self.render(report, campaign), "2026 上半年评级", CN_CUSTOMER, CN_SUPPLIER
        )
        text, _fonts = self.pdf_text(self.render(report, campaign, user=self.approver_en, lang="en_US"))
        self.assertIn("Campaign Summary", text)

    # ------------------------------------------------------------
    # CREDIT STATEMENT
    # ------------------------------------------------------------

    def _statement_data(self):
        """An overdue invoice, a draft invoice and a confirmed order for the customer; a
        confirmed purchase order and a draft bill for the supplier; a release and a limit
        change in the period; a release before it."""
        today = fields.Date.today()
        overdue = self.customer_invoice(
            500.0,
            partner=self.cn_customer,
            invoice_date=today - timedelta(days=40),
            invoice_date_due=today - timedelta(days=10),
        )
        self.customer_invoice(100.0, partner=self.cn_customer, post=False)
        order = self.sale_order(qty=3, price=100.0, partner=self.cn_customer)
        order.action_confirm()
        purchase = self.purchase_order(qty=2, price=100.0, partner=self.cn_supplier)
        purchase.button_confirm()
        self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.cn_supplier.id,
                "invoice_date": today,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Coils", "price_unit": 50.0, "tax_ids": [Command.set(self.tax_purchase.ids)]}
                    )
                ],
            }
        )
        # Stand-in for the release wizard, the only writer of the log.
        Release = self.env["partner.credit.release"].sudo()
        Release.create(
            {
                "partner_id": self.cn_customer.id,
                "sale_order_id": order.id,
                "order_reference": order.name,
                "reason": "老客户，特批放行",
            }
        )
        Release.create(
            {
                "partner_id": self.cn_customer.id,
                "order_reference": "SO-OLD",
                "reason": "Old release",
                "date": fields.Datetime.now() - timedelta(days=500),
            }
        )
        # A limit change as the chatter tracks it (mail and tracking are disabled in the
        # tests' context): the change, then the tracking message of the change.
        partner = self.cn_customer.with_company(self.company).sudo()
        partner.credit_limit = 3000.0
        partner.with_context(tracking_disable=False, mail_notrack=False)._message_track(
            ["credit_limit"], {partner.id: {"credit_limit": 2000.0}}
        )
        return overdue, order, purchase

    def test_credit_statement_pdf(self):
        overdue, order, purchase = self._statement_data()
        text = self.assertChinesePdf(
            self.render(STATEMENT, self.partners),
            CN_CUSTOMER,
            CN_SUPPLIER,
            "未结应收账款",  # Open Receivables
            "供应商预付款",  # Supplier Prepayments
            "老客户，特批放行",
            overdue.name,
            order.name,
            purchase.name,
        )
        self.assertNotIn("SO-OLD", text)
        text, _fonts = self.pdf_text(
            self.render(STATEMENT, self.cn_customer, user=self.finance, lang="en_US")
        )
        for expected in (
            "Credit Statement",
            "Open Receivables",
            "Draft Customer Invoices",
            "Sale Orders Not Invoiced",
            overdue.name,
            order.name,
            "Finance department",
            "Partner-management office",
            "Releases in the Period",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("SO-OLD", text)

    def test_credit_statement_values(self):
        overdue, order, purchase = self._statement_data()
        Statement = (
            self.env["report.partner_qualification_credit.report_credit_statement"]
            .with_user(self.finance)
            .with_company(self.company)
        )
        values = Statement._get_report_values(self.partners.ids)
        customer = values["statements"][self.cn_customer.id]
        supplier = values["statements"][self.cn_supplier.id]
        exposure = self.exposure(self.cn_customer)
        components = {c["key"]: c["amount"] for c in customer["components"]}
        self.assertEqual(components["receivable"], exposure["receivable"])
        self.assertEqual(customer["exposure"], exposure["exposure"])
        self.assertEqual(customer["limit"], 3000.0)
        # Each counted component lists the documents that add up to the engine's figure;
        # a component switched off lists none.
        documents = customer["documents"]
        for component in customer["components"]:
            key = component["key"]
            if component["counted"]:
                total = sum(row["amount"] for row in documents.get(key, []))
                self.assertAlmostEqual(total, exposure[key], places=2, msg=key)
            else:
                self.assertFalse(documents.get(key), key)
        self.assertTrue(documents["sale_order"] and documents["receivable"] and documents["draft_invoice"])
        (row,) = documents["receivable"]
        self.assertEqual(row["name"], overdue.name)
        self.assertEqual(row["days_overdue"], 10)
        self.assertEqual([r["name"] for r in documents["sale_order"]], [order.name])
        supplier_exposure = self.exposure(self.cn_supplier)
        for component in supplier["components"]:
            rows = supplier["documents"].get(component["key"], [])
            total = sum(row["amount"] for row in rows)
            expected = supplier_exposure[component["key"]] if component["counted"] else 0.0
            self.assertAlmostEqual(total, expected, places=2, msg=component["key"])
        self.assertFalse(supplier["documents"].get("draft_bill"), "not counted by default, not listed")
        self.company.partner_credit_draft_bill = True
        values = Statement._get_report_values(self.cn_supplier.ids)
        (row,) = values["statements"][self.cn_supplier.id]["documents"]["draft_bill"]
        self.assertAlmostEqual(row["amount"], 55.0)
        self.assertEqual(supplier["documents"]["purchase_order"][0]["name"], purchase.name)
        # The period: one release, one limit change.
        self.assertEqual([r.reason for r in customer["releases"]], ["老客户，特批放行"])
        self.assertEqual([(c["old"], c["new"]) for c in customer["changes"]], [(2000.0, 3000.0)])
        # A period in the past leaves out the recent release and change.
        past = Statement._get_report_values(
            self.cn_customer.ids,
            data={
                "date_from": fields.Date.today() - timedelta(days=600),
                "date_to": fields.Date.today() - timedelta(days=100),
            },
        )
        self.assertEqual(
            [r.order_reference for r in past["statements"][self.cn_customer.id]["releases"]], ["SO-OLD"]
        )
        self.assertEqual(past["statements"][self.cn_customer.id]["changes"], [])

    def test_credit_statement_access_and_period(self):
        self.assertEqual(
            self.env.ref(STATEMENT).binding_model_id.model,
            "res.partner",
            "printable from the partner list and form",
        )
        outsider = new_test_user(
            self.env,
            "pqc_outsider",
            groups="base.group_user,base.group_partner_manager",
            company_id=self.company.id,
        )
        with self.assertRaisesRegex(AccessError, "credit statement"):
            self.render(STATEMENT, self.cn_customer, user=outsider, lang="en_US")
        # The action is in the Print menu of the credit users only.
        Actions = self.env["ir.actions.actions"]
        statement_id = self.env.ref(STATEMENT).id
        for user, shown in ((outsider, False), (self.finance, True), (self.user, True)):
            bindings = Actions.with_user(user).get_bindings("res.partner").get("report", [])
            self.assertEqual(statement_id in [action["id"] for action in bindings], shown, user.login)
        Statement = self.env["report.partner_qualification_credit.report_credit_statement"].with_user(
            self.finance
        )
        with self.assertRaisesRegex(UserError, "after its end"):
            Statement._get_report_values(
                self.cn_customer.ids, data={"date_from": "2026-06-01", "date_to": "2026-01-01"}
            )
        with self.assertRaisesRegex(UserError, "two dates"):
            Statement._get_report_values(self.cn_customer.ids, data={"date_from": "last year"})
