# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestPartnerGlance(CreditControlCommon):
    """Grade, admission, documents and usage where a partner is picked and shown;
    credit decisions told to the people who own the business, in their language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_limit(cls.customer, 2000.0)
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["partner_qualification_credit"], ["zh_CN"])

    def autocomplete(self, user, name):
        partners = self.env["res.partner"].with_user(user).with_context(show_qualification=True)
        return {
            entry["id"]: entry["__formatted_display_name"]
            for entry in partners.web_name_search(name, {"display_name": {}}, limit=8)
        }

    def test_order_autocomplete_shows_grade_admission_usage(self):
        order = self.sale_order(qty=10)
        order.action_confirm()  # 1 100 of 2 000: 55 %
        names = self.autocomplete(self.user, "Hangzhou Xinhe")
        self.assertRegex(names[self.customer.id], r"--C · Approved · Documents OK · 55 % used--")
        # Outside the order (no context key), names stay as they are.
        plain = (
            self.env["res.partner"]
            .with_user(self.user)
            .web_name_search("Hangzhou Xinhe", {"display_name": {}})
        )
        self.assertNotIn("Approved", plain[0]["__formatted_display_name"])
        # Who does not use the addon sees no grade.
        employee = new_test_user(self.env, "pqc_glance_employee", groups="base.group_user")
        self.assertNotIn("Approved", self.autocomplete(employee, "Hangzhou Xinhe")[self.customer.id])

    def test_autocomplete_query_budget(self):
        """Entries are computed together: as many queries for 2 entries as for 8."""

        def count():
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.autocomplete(self.user, "Glance Co")
            return self.env.cr.sql_log_count - start

        for index in range(2):
            partner = self.env["res.partner"].create({"name": f"Glance Co {index}", "is_company": True})
            self.admit(partner)
        count()
        before = count()
        for index in range(2, 8):
            partner = self.env["res.partner"].create({"name": f"Glance Co {index}", "is_company": True})
            self.admit(partner)
        count()
        self.assertLessEqual(count(), before + 2)

    def test_views(self):
        register = self.env.ref("partner_qualification_credit.res_partner_view_list_register")
        arch = etree.fromstring(register.arch)
        # Printed once, from the Print menu (the report's binding), not from a header button too.
        self.assertFalse(arch.xpath("//header/button"))
        self.assertEqual(
            self.env.ref(
                "partner_qualification_credit.action_report_partner_register"
            ).binding_model_id.model,
            "res.partner",
        )
        # A lean list: the register's long columns are there, on demand.
        optional = {node.get("name") for node in arch.xpath("//field[@optional='hide']")}
        self.assertLessEqual(
            {"registered_address", "register_tax_number", "business_manager_phone"}, optional
        )
        for xmlid in (
            "partner_qualification_credit.res_partner_view_list_credit_exposure",
            "partner_qualification_credit.view_partner_form",
        ):
            arch = etree.fromstring(self.env.ref(xmlid).arch)
            usage = arch.xpath("//field[@name='credit_usage'][@widget='progressbar']")
            self.assertTrue(usage, xmlid)
            self.assertIn("bg-danger", usage[0].get("options"), "red above 100 %, not grey")
        # Partners by grade (Evaluation › Partners by Grade): grouped by the per-company grade.
        action = self.env.ref("partner_qualification_credit.res_partner_action_grade_analysis")
        groups = (
            self.env["res.partner"]
            .with_user(self.officer)
            ._read_group(safe_eval(action.domain), ["qualification_grade_id"], ["__count"])
        )
        self.assertGreaterEqual(dict(groups).get(self.grade_c, 0), 2)
        for user in (self.user, self.officer, self.finance):
            form = self.env["res.partner"].with_user(user).get_views([(False, "form"), (False, "kanban")])
            self.assertIn("qualification_glance", form["views"]["form"]["arch"])

    def test_release_told_to_requester_and_salesperson(self):
        self.set_limit(self.customer, 500.0)
        order = self.sale_order(qty=10)
        order.with_user(self.user).action_request_credit_release()
        field = order._credit_release_field
        self.env["partner.credit.release.confirm"].with_user(self.finance).create(
            {field: order.id, "reason": "Bank guarantee received"}
        ).action_release_confirm()
        note = order.message_ids.filtered(lambda m: self.user.partner_id in m.partner_ids)
        self.assertEqual(len(note), 1)
        self.assertIn("released", note.body)
        self.assertIn("Bank guarantee received", note.body)

    def test_limit_cut_told_to_applicant_in_their_language(self):
        self.user.lang = "zh_CN"
        self.customer.with_company(self.company).sudo().qualification_applicant_id = self.user
        propose = self.env["partner.qualification.change.propose"].with_user(self.finance)
        propose.create(
            {
                "partner_id": self.customer.id,
                "reason": "Late payments",
                "change_limit": True,
                "new_credit_limit": 1000.0,
            }
        ).action_propose()
        note = self.customer.message_ids.filtered(lambda m: self.user.partner_id in m.partner_ids)
        self.assertEqual(len(note), 1)
        self.assertIn("信用额度", note.body)
        self.assertIn("Late payments", note.body)
        # A higher limit is good news the applicant finds in the history: no note.
        propose.create(
            {
                "partner_id": self.customer.id,
                "reason": "Paid",
                "change_limit": True,
                "new_credit_limit": 3000.0,
            }
        ).action_propose()
        self.assertEqual(
            len(self.customer.message_ids.filtered(lambda m: self.user.partner_id in m.partner_ids)), 1
        )
