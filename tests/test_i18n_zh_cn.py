# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

from .common import CreditControlCommon

MODULE = "partner_qualification_credit"
ZH_CN_PO = Path(__file__).resolve().parent.parent / "i18n" / "zh_CN.po"


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestZhCnTranslation(CreditControlCommon):
    """Simplified Chinese is a language of the product, not an afterthought: every term is
    translated, in the rules' own words, and refusals reach a Chinese user in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)
        cls.translations = {
            entry["src"]: entry["value"] for entry in PoFileReader(str(ZH_CN_PO)) if entry["value"]
        }

    def test_every_term_of_the_code_and_data_is_translated(self):
        # The terms read from the installed code and data now, not from the template:
        # a string added without regenerating the translation fails here.
        sources = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in TranslationModuleReader(
                self.env.cr, modules=[MODULE]
            )
            if module == MODULE
        }
        self.assertGreater(len(sources), 500)
        missing = sorted(sources - set(self.translations))
        self.assertFalse(
            missing,
            "Untranslated in i18n/zh_CN.po (run `make pot` and translate):\n" + "\n".join(missing[:20]),
        )

    def test_rules_terms_name_the_groups_and_figures(self):
        groups = {
            "partner_qualification_credit.group_user": "业务部门",
            "partner_qualification_credit.group_officer": "综合部（客户及供应商管理岗）",
            "partner_qualification_credit.group_approver": "公司领导",
            "partner_qualification_credit.group_credit_manager": "财务部",
        }
        for xmlid, term in groups.items():
            with self.subTest(group=xmlid):
                self.assertIn(term, self.env.ref(xmlid).with_context(lang="zh_CN").name)
        exposure_field = self.env["ir.model.fields"]._get("res.partner", "credit_exposure")
        self.assertIn("资金占用", exposure_field.with_context(lang="zh_CN").field_description)
        campaign_model = self.env["ir.model"]._get("partner.evaluation.campaign")
        self.assertIn("评级", campaign_model.with_context(lang="zh_CN").name)
        translated = " ".join(self.translations.values())
        self.assertNotIn("考评活动", translated)
        self.assertNotIn("信用占用", translated)

    def test_blocked_confirmation_reads_in_chinese(self):
        self.user.lang = "zh_CN"
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        with self.assertRaises(UserError) as refusal:
            order.with_user(self.user).with_context(lang="zh_CN").action_confirm()
        message = str(refusal.exception)
        self.assertIn("资金占用超出其信用额度", message)
        self.assertIn("信用额度：", message)
        self.assertIn("财务部", message)
        self.assertNotIn("credit limit", message)
        self.assertEqual(order.state, "draft")
