# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.partner_qualification_credit.hooks import post_init_hook

MODULE = "partner_qualification_credit"


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo tells its story through the workflows: every state it leaves is one the
    workflows reach, and the next person can take every record further."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"partner_block_invalid_documents": True, "partner_credit_limit_required": True})
        # What Odoo does when it loads a module's demo data.
        cls.env["ir.module.module"].search([("name", "=", MODULE)]).demo = True
        post_init_hook(cls.env)
        cls.ref = staticmethod(lambda name: cls.env.ref(f"{MODULE}.{name}"))
        cls.requests = cls.env["partner.admission.request"].search(
            [("applicant_id.login", "in", ("sales", "buyer"))]
        )

    def _request(self, partner_name):
        return self.requests.filtered(lambda r: r.partner_id.name == partner_name)

    def test_demo_keeps_the_documented_defaults(self):
        """The install hook relaxes the settings for a business that traded before, not
        for demo data."""
        self.assertTrue(self.company.partner_block_invalid_documents)
        self.assertTrue(self.company.partner_credit_limit_required)

    def test_an_application_waits_at_each_step(self):
        expected = {
            "Xiamen Haixi Textiles Co., Ltd.": ("submitted", False),
            "Hefei Guoxin New Materials Co., Ltd.": ("returned", False),
            "Zhengzhou Zhongyuan Foods Co., Ltd.": ("reviewed", False),
            "Kunming Yunling Tea Co., Ltd.": ("reviewed", True),
            "Wuxi Huaguang Electric Co., Ltd.": ("approved", True),
            "Müller Präzisionstechnik GmbH": ("approved", False),
        }
        for name, (state, assessed) in expected.items():
            request = self._request(name)
            self.assertEqual(len(request), 1, name)
            self.assertEqual(request.state, state, name)
            self.assertEqual(bool(request.credit_assessor_id), assessed, name)
        # The next person has the step on their to-do list.
        office = self.ref("user_office_demo")
        self.assertIn(office, self._request("Xiamen Haixi Textiles Co., Ltd.").activity_ids.user_id)
        sales = self.ref("user_sales_demo")
        self.assertIn(sales, self._request("Hefei Guoxin New Materials Co., Ltd.").activity_ids.user_id)

    def test_no_partner_in_review_without_a_request(self):
        """Every partner in review has an open request the office can act on (none set
        'In Review' by hand), and every open request's partner is in review."""
        in_review = self.env["res.partner"].search([("admission_state", "=", "in_review")])
        self.assertTrue(in_review)
        open_requests = self.env["partner.admission.request"].search(
            [("state", "in", ("submitted", "returned", "reviewed"))]
        )
        self.assertEqual(open_requests.partner_id, in_review)

    def test_a_partner_just_over_its_limit_with_a_blocked_quotation(self):
        partner = self._request("Wuxi Huaguang Electric Co., Ltd.").partner_id
        self.assertEqual(partner.credit_limit, 300000)
        self.assertEqual(partner.credit_exposure, 309000)
        self.assertGreater(partner.credit_usage, 100)
        released = self.ref("sale_order_released_demo")
        self.assertEqual(released.state, "sale")
        self.assertEqual(
            self.env["partner.credit.release"].search([("sale_order_id", "=", released.id)]).user_id.login,
            "finance",
        )
        blocked = self.ref("sale_order_blocked_demo")
        self.assertEqual(blocked.state, "draft")
        self.assertIn(self.ref("user_finance_demo"), blocked.activity_ids.user_id, "release requested")
        with self.assertRaisesRegex(UserError, "limit"):
            blocked.with_user(self.ref("user_sales_demo")).action_confirm()

    def test_expiring_and_expired_documents_of_a_chinese_supplier(self):
        partner = self._request("Changzhou Xinda Chemical Co., Ltd.").partner_id
        self.assertEqual(partner.country_id.code, "CN")
        self.assertEqual(partner.lang, "zh_CN", "its statements print in Chinese")
        self.assertEqual(set(partner.qualification_document_ids.mapped("state")), {"expiring", "expired"})

    def test_a_campaign_with_submitted_evaluations(self):
        campaign = self.ref("evaluation_campaign_demo")
        self.assertIn(campaign.state, ("in_progress", "to_approve"))
        submitted = campaign.evaluation_ids.filtered(lambda e: e.state == "submitted")
        self.assertEqual(
            set(submitted.partner_id.mapped("name")),
            {"Wuxi Huaguang Electric Co., Ltd.", "Changzhou Xinda Chemical Co., Ltd."},
        )
        self.assertTrue(all(submitted.mapped("proposed_grade_id")))
        # The core supplier's rating was handed to leadership, who still has to do it.
        core = campaign.evaluation_ids.filtered(lambda e: e.partner_id.name.startswith("Müller"))
        self.assertEqual((core.state, core.evaluator_id), ("draft", self.env.ref("base.user_admin")))

    def test_people_and_texts_in_both_languages(self):
        self.assertTrue(self.env["res.lang"]._lang_get("zh_CN").active)
        self.assertEqual(
            set(
                self.env["res.users"]
                .search([("login", "in", ("sales", "buyer", "office", "finance"))])
                .mapped("lang")
            ),
            {"zh_CN", "en_US"},
        )
        product = self.ref("product_cable_demo")
        self.assertEqual(product.with_context(lang="en_US").name, "Copper power cable")
        self.assertEqual(product.with_context(lang="zh_CN").name, "铜芯电力电缆")

    def test_complaints_under_investigation_and_settled(self):
        quality = self.ref("complaint_quality_demo")
        self.assertEqual(
            (quality.state, quality.severity, quality.category, quality.direction),
            ("investigating", "critical", "quality", "customer"),
        )
        self.assertEqual(quality.partner_id.name, "Wuxi Huaguang Electric Co., Ltd.")
        self.assertEqual(quality.user_id, self.ref("user_sales_demo"))
        self.assertTrue(quality.response_deadline)
        self.assertTrue(quality.date_responded, "the investigation is the first response")
        dispute = self.ref("complaint_dispute_demo")
        self.assertEqual((dispute.state, dispute.direction), ("settled", "supplier"))
        self.assertTrue(dispute.is_dispute)
        self.assertEqual(dispute.partner_id.name, "Müller Präzisionstechnik GmbH")
        self.assertEqual(dispute.user_id, self.ref("user_buyer_demo"))
        # The settlement can be taken further: the partner refuses it, or it is closed.
        self.assertTrue(dispute.settlement_note)

    def test_a_corrective_action_opened_from_the_dispute(self):
        action = self.ref("corrective_action_demo")
        self.assertEqual(action.state, "open")
        self.assertEqual(action.complaint_id, self.ref("complaint_dispute_demo"))
        self.assertEqual(action.partner_id, action.complaint_id.partner_id)
        buyer = self.ref("user_buyer_demo")
        self.assertEqual(action.user_id, buyer)
        self.assertIn(buyer, action.activity_ids.user_id, "the owner has it on the to-do list")

    def test_an_inspected_receipt_of_the_foreign_supplier(self):
        order = self.ref("purchase_order_received_demo")
        receipt = order.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self.assertEqual(receipt.quality_result, "accepted_concession")
        self.assertEqual(receipt.quality_user_id, self.ref("user_buyer_demo"))
        self.assertEqual(self.ref("complaint_dispute_demo").picking_id, receipt)
        # Received, not billed: the supplier's usage is above the warning threshold.
        supplier = order.partner_id
        self.assertLess(supplier.credit_usage, 100)
        self.assertGreaterEqual(supplier.credit_usage, self.company.partner_credit_warning_threshold)

    def test_a_core_partner_whose_rating_is_overdue(self):
        evaluation = self.ref("evaluation_overdue_demo")
        self.assertEqual(evaluation.state, "approved")
        partner = evaluation.partner_id
        self.assertEqual(partner.name, "Müller Präzisionstechnik GmbH")
        self.assertEqual(partner.strategic_class, "core")
        self.assertLess(evaluation.date_to, self.ref("evaluation_campaign_demo").date_from)
        self.assertEqual(partner.last_evaluation_date, evaluation.date_to)
        self.assertLess(partner.next_evaluation_due, fields.Date.context_today(partner))
        self.assertIn(
            partner, self.env["res.partner"].search([("next_evaluation_due", "<", fields.Date.today())])
        )

    def test_every_overview_card_has_work(self):
        """Leadership (the administrator sees every card) finds work in each of them, and
        each role finds its own journey on its landing page."""
        overview = self.env["partner.qualification.overview"]
        admin_cards = overview.with_user(self.env.ref("base.user_admin")).search([("is_visible", "=", True)])
        counts = {card.code: card.count for card in admin_cards}
        self.assertEqual(set(counts), set(overview._get_overview_card_codes()))
        self.assertNotIn(0, counts.values(), counts)
        journeys = {
            "user_office_demo": ("admission_review", "evaluation_overdue", "complaint_open"),
            "user_finance_demo": ("credit_over_limit", "credit_above_threshold", "credit_release"),
            "user_sales_demo": ("document_expiring", "complaint_open"),
            "user_buyer_demo": ("document_expired",),
        }
        for xmlid, codes in journeys.items():
            cards = overview.with_user(self.ref(xmlid)).search([("is_visible", "=", True)])
            counts = {card.code: card.count for card in cards}
            for code in codes:
                self.assertTrue(counts.get(code), f"{xmlid}: {code} in {counts}")
