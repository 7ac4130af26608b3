# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Command

MODULE = "partner_qualification_credit"

# The people of the story, one per role the rules name. Two read Chinese, two English;
# the administrator plays the company's leadership (approver). Password = login.
DEMO_USERS = [
    # xmlid, name, login, language, groups
    (
        "user_sales_demo",
        "Zhang Wei",
        "sales",
        "zh_CN",
        [f"{MODULE}.group_user", "sales_team.group_sale_salesman", "purchase.group_purchase_user"],
    ),
    (
        "user_buyer_demo",
        "Mark Davies",
        "buyer",
        "en_US",
        [f"{MODULE}.group_user", "purchase.group_purchase_user"],
    ),
    ("user_office_demo", "Li Na", "office", "zh_CN", [f"{MODULE}.group_officer"]),
    (
        "user_finance_demo",
        "Emma Clarke",
        "finance",
        "en_US",
        [f"{MODULE}.group_credit_manager", "sales_team.group_sale_salesman_all_leads"],
    ),
]


class PartnerQualificationDemo(models.AbstractModel):
    """The demo's story, told through the workflows' own methods by the people whose
    step it is (applicant, office, finance, leadership), so that every state it leaves
    is one the workflows reach and every record can be taken further from the screen:
    applications waiting at each step, a rating campaign with submitted evaluations, a
    customer just over its limit with a blocked quotation and a release request, a
    Chinese supplier with expiring and expired documents, a foreign supplier.

    Called by the install hook on databases with demo data (after the admission of the
    partners that traded before), never on a real business."""

    _name = "partner.qualification.demo"
    _description = "Partner Qualification Demo Story"

    @api.model
    def _load_demo_story(self):
        self = self.sudo().with_company(self.env.company)
        zh_cn = self.env["res.lang"]._activate_lang("zh_CN")
        users = self._load_demo_users(zh_cn)
        products = self._load_demo_products()
        self._complete_installation_admissions()
        partners = self._load_demo_admissions(users)
        self._load_demo_documents(users, partners)
        self._load_demo_credit(users, partners, products)
        self._load_demo_campaign(users, partners)
        self._load_demo_complaints(users, partners)
        return partners

    # ------------------------------------------------------------
    # PEOPLE AND PRODUCTS
    # ------------------------------------------------------------

    def _load_demo_users(self, zh_cn):
        users = {}
        Users = self.env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
        for xmlid, name, login, lang, groups in DEMO_USERS:
            user = self.env.ref(f"{MODULE}.{xmlid}", raise_if_not_found=False)
            if not user:
                user = Users.create(
                    {
                        "name": name,
                        "login": login,
                        "password": login,
                        "lang": lang if lang != "zh_CN" or zh_cn else "en_US",
                        "tz": "Asia/Shanghai",
                        "company_id": self.env.company.id,
                        "company_ids": [Command.set(self.env.company.ids)],
                        "group_ids": [
                            Command.set([self.env.ref(group).id for group in ["base.group_user", *groups]])
                        ],
                    }
                )
                self._register_demo_xmlid(xmlid, user)
            users[login] = user
        users["admin"] = self.env.ref("base.user_admin")
        return users

    def _load_demo_products(self):
        """Two products named in both languages (translatable fields), without taxes so
        that the credit figures of the story read as round amounts."""
        products = {}
        for xmlid, name, name_zh, price in (
            ("product_steel_plate_demo", "Hot-rolled steel plate", "热轧钢板", 1000.0),
            ("product_cable_demo", "Copper power cable", "铜芯电力电缆", 500.0),
            ("product_bearing_demo", "Precision ball bearing", "精密滚动轴承", 250.0),
        ):
            product = self.env["product.product"].create(
                {
                    "name": name,
                    "type": "consu",
                    "list_price": price,
                    "standard_price": price * 0.8,
                    "taxes_id": [Command.clear()],
                    "supplier_taxes_id": [Command.clear()],
                }
            )
            product.product_tmpl_id.with_context(lang="zh_CN").name = name_zh
            self._register_demo_xmlid(xmlid, product)
            products[xmlid] = product
        return products

    def _complete_installation_admissions(self):
        """Partners admitted at installation (the demo's orders made them customers or
        suppliers) get what the office and finance would record next: their registration
        and the limit of their grade. The demo keeps the documented defaults (invalid
        documents block, every partner needs a limit), and these partners keep trading."""
        company = self.env.company
        partners = self.env["res.partner"].search(
            [
                ("admission_state", "=", "approved"),
                ("qualification_document_ids", "=", False),
                # Foreign partners (Odoo's demo partners): a Chinese one needs a licence
                # with its real code, which only the office can record.
                ("country_id", "not in", [False, self.env.ref("base.cn").id]),
            ]
        )
        registration = self.env.ref(f"{MODULE}.document_type_foreign_registration")
        today = fields.Date.context_today(self)
        self.env["partner.qualification.document"].create(
            [
                {
                    "partner_id": partner.id,
                    "type_id": registration.id,
                    "number": f"REG-{partner.id:06d}",
                    "issue_date": today - relativedelta(years=5),
                    "expiry_date": today + relativedelta(years=5) if registration.has_expiry else False,
                }
                for partner in partners
            ]
        )
        for partner in partners.filtered(lambda p: not p.credit_limit and p.qualification_grade_id):
            limit = partner.qualification_grade_id.with_company(company).default_credit_limit
            partner.credit_limit = limit or 200000.0

    # ------------------------------------------------------------
    # ADMISSIONS: one application waiting at each step
    # ------------------------------------------------------------

    def _load_demo_admissions(self, users):
        today = fields.Date.context_today(self)
        licence = self.env.ref(f"{MODULE}.document_type_business_licence")
        cn = self.env.ref("base.cn")

        def chinese(name, city, uscc, role, licence_expiry=None, **extra):
            return (
                {
                    "name": name,
                    "city": city,
                    "country_id": cn.id,
                    "vat": uscc,
                    "role": role,
                    "registered_address": f"{city}, China",
                    "registered_capital": 5000000,
                    **extra,
                },
                [
                    {
                        "type_id": licence.id,
                        "number": uscc,
                        "issuing_authority": f"{city} Administration for Market Regulation",
                        "issue_date": today - relativedelta(years=4),
                        "expiry_date": licence_expiry or today + relativedelta(years=3),
                    }
                ],
            )

        sales, buyer, office, finance, admin = (
            users[key] for key in ("sales", "buyer", "office", "finance", "admin")
        )
        partners = {}

        # Approved through every step: the customer whose credit the story follows.
        request = self._demo_apply(
            sales,
            *chinese(
                "Wuxi Huaguang Electric Co., Ltd.",
                "Wuxi",
                "91320200MA1WHG04B9",
                "customer",
                strategic_class="important",
                scale_class="medium",
                cooperation_content="Sale of power cables for its switchgear plants",
                business_contact_name="Qian Hao",
            ),
        )
        self._demo_review(office, request, "Licence and references consistent; switchgear maker since 2009.")
        self._demo_assess(finance, request, 300000, "Two years of references, pays at 30 days.")
        request.with_user(admin).action_approve()
        partners["over_limit"] = request.partner_id

        # A Chinese supplier with documents about to lapse (see _load_demo_documents).
        request = self._demo_apply(
            sales,
            *chinese(
                "Changzhou Xinda Chemical Co., Ltd.",
                "Changzhou",
                "91320500MA1PQR05C7",
                "supplier",
                scale_class="small",
                cooperation_content="Purchase of industrial solvents",
                licence_expiry=today + relativedelta(days=25),
            ),
        )
        self._demo_review(office, request, "Licence valid; safety licence to be renewed.")
        request.with_user(admin).action_approve()
        partners["expiring"] = request.partner_id

        # A foreign supplier: its own country's registration instead of a USCC.
        request = self._demo_apply(
            buyer,
            {
                "name": "Müller Präzisionstechnik GmbH",
                "city": "Stuttgart",
                "country_id": self.env.ref("base.de").id,
                "vat": "DE811569869",
                "role": "supplier",
                "cooperation_content": "Purchase of precision bearings",
                "business_contact_name": "Jonas Müller",
            },
            [
                {
                    "type_id": self.env.ref(f"{MODULE}.document_type_foreign_registration").id,
                    "number": "HRB 723145",
                    "issuing_authority": "Amtsgericht Stuttgart",
                    "issue_date": today - relativedelta(years=12),
                }
            ],
        )
        self._demo_review(office, request, "Commercial register extract checked; ISO 9001 certified.")
        request.with_user(admin).action_approve()
        partners["foreign"] = request.partner_id

        # Submitted: waits for the office's review.
        request = self._demo_apply(
            sales,
            *chinese(
                "Xiamen Haixi Textiles Co., Ltd.",
                "Xiamen",
                "91350200MA2CDE06N9",
                "customer",
                cooperation_content="Sale of finished goods",
            ),
        )
        partners["submitted"] = request.partner_id

        # Returned: the office asked the applicant for more material.
        request = self._demo_apply(
            sales,
            *chinese(
                "Hefei Guoxin New Materials Co., Ltd.",
                "Hefei",
                "91340100MA2RGX01R9",
                "customer",
                cooperation_content="Sale of copper cable for its battery plant",
            ),
        )
        request.with_user(
            office
        ).information_request = (
            "Please add the last two years' audited financial statements and a bank reference."
        )
        request.with_user(office).action_request_information()
        partners["returned"] = request.partner_id

        # Reviewed: waits for finance's credit assessment.
        request = self._demo_apply(
            sales,
            *chinese(
                "Zhengzhou Zhongyuan Foods Co., Ltd.",
                "Zhengzhou",
                "91410100MA3XKY02K1",
                "customer",
                cooperation_content="Sale of packaging lines",
            ),
        )
        self._demo_review(office, request, "Documents complete; large food group, first order planned.")
        partners["to_assess"] = request.partner_id

        # Reviewed and assessed: waits for leadership's approval.
        request = self._demo_apply(
            sales,
            *chinese(
                "Kunming Yunling Tea Co., Ltd.",
                "Kunming",
                "91530100MA6KYL03MW",
                "customer",
                cooperation_content="Sale of drying equipment",
            ),
        )
        self._demo_review(office, request, "Documents complete; regional leader in tea processing.")
        self._demo_assess(
            finance, request, 80000, "Young company: modest limit, 50 % advance on the first order."
        )
        partners["to_approve"] = request.partner_id
        return partners

    def _demo_apply(self, applicant, vals, documents):
        wizard = (
            self.env["partner.admission.apply"]
            .with_user(applicant)
            .create(
                {
                    **vals,
                    "company_id": self.env.company.id,
                    "document_line_ids": [Command.create(document) for document in documents],
                }
            )
        )
        action = wizard.action_apply()
        request = self.env["partner.admission.request"].browse(action["res_id"])
        partner = request.partner_id
        if partner.country_id.code == "CN" and self.env["res.lang"]._lang_get("zh_CN"):
            # The office's record: their statements and letters are printed in Chinese.
            partner.lang = "zh_CN"
        return request

    def _demo_review(self, officer, request, opinion):
        request = request.with_user(officer)
        request.review_opinion = opinion
        request.action_review()

    def _demo_assess(self, finance, request, limit, assessment):
        request = request.with_user(finance)
        request.write(
            {
                "proposed_credit_limit": limit,
                "credit_assessment": assessment,
                "credit_payment_term_id": self.env.ref(
                    "account.account_payment_term_30days", raise_if_not_found=False
                ).id,
            }
        )
        request.action_assess_credit()

    # ------------------------------------------------------------
    # DOCUMENTS: expiring and expired
    # ------------------------------------------------------------

    def _load_demo_documents(self, users, partners):
        today = fields.Date.context_today(self)
        self.env["partner.qualification.document"].with_user(users["office"]).create(
            {
                "partner_id": partners["expiring"].id,
                "type_id": self.env.ref(f"{MODULE}.document_type_safety_production_licence").id,
                "number": "(苏)WH安许证字〔2023〕0452",
                "issuing_authority": "Jiangsu Emergency Management Department",
                "issue_date": today - relativedelta(years=3),
                "expiry_date": today - relativedelta(days=10),
            }
        )

    # ------------------------------------------------------------
    # CREDIT: a customer just over its limit
    # ------------------------------------------------------------

    def _load_demo_credit(self, users, partners, products):
        """Huaguang (limit 300,000) has 285,000 ordered; a 24,000 order went over the
        limit and finance released it (103 %); the next quotation is blocked and its
        salesperson asked finance for a release."""
        sales, finance = users["sales"], users["finance"]
        partner = partners["over_limit"]
        cable = products["product_cable_demo"]

        def quotation(quantity):
            return (
                self.env["sale.order"]
                .with_user(sales)
                .create(
                    {
                        "partner_id": partner.id,
                        "user_id": sales.id,
                        "order_line": [Command.create({"product_id": cable.id, "product_uom_qty": quantity})],
                    }
                )
            )

        quotation(570).action_confirm()
        released = quotation(48)
        released.action_request_credit_release()
        self.env["partner.credit.release.confirm"].with_user(finance).create(
            {
                "sale_order_id": released.id,
                "reason": "Framework contract signed; the customer's payment of next week covers it.",
            }
        ).action_release_confirm()
        blocked = quotation(40)
        blocked.action_request_credit_release()
        self._register_demo_xmlid("sale_order_blocked_demo", blocked)
        self._register_demo_xmlid("sale_order_released_demo", released)

    # ------------------------------------------------------------
    # RATING: a campaign with submitted evaluations
    # ------------------------------------------------------------

    def _load_demo_campaign(self, users, partners):
        today = fields.Date.context_today(self)
        start = (
            today.replace(month=1, day=1)
            if today.month > 6
            else today.replace(month=7, day=1) - relativedelta(years=1)
        )
        core = partners["foreign"]
        self._load_demo_overdue_rating(users, core, start - relativedelta(days=1))
        campaign = (
            self.env["partner.evaluation.campaign"]
            .with_user(users["office"])
            .create(
                {
                    "name": f"{start.year} H{1 if start.month == 1 else 2} rating",
                    "date_from": start,
                    "date_to": start + relativedelta(months=6, days=-1),
                    "deadline": today + relativedelta(days=14),
                    "fallback_evaluator_id": users["office"].id,
                }
            )
        )
        campaign.action_start()
        self._register_demo_xmlid("evaluation_campaign_demo", campaign)
        # The office hands the core partner's rating to leadership: still to be done.
        campaign.evaluation_ids.filtered(lambda e: e.partner_id == core).with_user(
            users["office"]
        ).evaluator_id = users["admin"]
        scores = {
            "score_standing": 85,
            "score_cooperation": 80,
            "score_payment": 70,
            "score_potential": 90,
            "score_other": 80,
        }
        for login in ("sales", "buyer"):
            evaluations = campaign.evaluation_ids.filtered(lambda e, u=users[login]: e.evaluator_id == u)
            for evaluation in evaluations.with_user(users[login]):
                evaluation.write(
                    {**scores, "comment_payment": "Paid within terms except one invoice (12 days late)."}
                )
                evaluation.action_submit()
        return campaign

    # ------------------------------------------------------------
    # COMPLAINTS
    # ------------------------------------------------------------

    def _load_demo_complaints(self, users, partners):
        """A Chinese customer's critical quality complaint under investigation (its
        response deadline running), a delivery dispute with the foreign supplier settled
        by the buyer, the corrective action the office asked of that supplier, and the
        incoming inspection of its receipt."""
        if "partner.complaint" not in self.env:
            return
        sales, buyer, office = users["sales"], users["buyer"], users["office"]
        Complaint = self.env["partner.complaint"]
        now = fields.Datetime.now()

        # Filed by the customer's salesperson, in the customer's language.
        quality = Complaint.with_user(sales).create(
            {
                "name": "电缆绝缘层击穿，开关柜调试中断",
                "partner_id": partners["over_limit"].id,
                "direction": "customer",
                "category": "quality",
                "severity": "critical",
                "channel": "phone",
                "sale_order_id": self.env.ref(f"{MODULE}.sale_order_released_demo").id,
                "date_received": now - relativedelta(days=2),
                "description": "<p>客户在开关柜调试时发现两盘铜芯电力电缆绝缘层击穿，"
                "要求更换并派工程师到场分析。</p>",
            }
        )
        quality.with_user(sales).action_investigate()
        self._register_demo_xmlid("complaint_quality_demo", quality)

        # The foreign supplier: its receipt inspected, a late delivery disputed and settled.
        receipt = self._load_demo_receipt(buyer, partners["foreign"])
        dispute = Complaint.with_user(buyer).create(
            {
                "name": "Bearings delivered three weeks late, assembly line stopped",
                "partner_id": partners["foreign"].id,
                "direction": "supplier",
                "category": "delivery",
                "severity": "major",
                "channel": "email",
                "is_dispute": True,
                "purchase_order_id": receipt.purchase_id.id,
                "picking_id": receipt.id,
                "date_received": now - relativedelta(days=20),
                "description": "<p>The precision bearings confirmed for week 38 arrived in week 41; "
                "assembly line 2 stood still for four days. We claimed the contractual penalty.</p>",
            }
        )
        dispute = dispute.with_user(buyer)
        dispute.action_investigate()
        dispute.settlement_note = (
            "Müller accepts the 5 % late-delivery penalty as a credit note on the next invoice "
            "and keeps a safety stock of 200 bearings in its Shanghai warehouse."
        )
        dispute.action_settle()
        self._register_demo_xmlid("complaint_dispute_demo", dispute)

        # The office opens a corrective action from the dispute (its own button).
        context = dispute.with_user(office).action_open_corrective_action()["context"]
        action = (
            self.env["partner.corrective.action"]
            .with_user(office)
            .with_context(**context)
            .create(
                {
                    "name": "Delivery reliability plan",
                    "required_action": "Send a delivery plan with confirmed dates for the next two "
                    "quarters and the root-cause analysis (8D) of the late batch.",
                    "deadline": fields.Date.context_today(self) + relativedelta(days=30),
                    "user_id": buyer.id,
                }
            )
        )
        self._register_demo_xmlid("corrective_action_demo", action)
        return quality | dispute

    def _load_demo_receipt(self, buyer, supplier):
        """A large purchase of bearings from the foreign supplier, received and inspected
        by the buyer and not billed yet: the supplier's usage is above the warning
        threshold, under its limit."""
        product = self.env.ref(f"{MODULE}.product_bearing_demo")
        order = (
            self.env["purchase.order"]
            .with_user(buyer)
            .create(
                {
                    "partner_id": supplier.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_qty": 2100, "price_unit": 200.0})
                    ],
                }
            )
        )
        order.button_confirm()
        receipt = order.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        receipt.with_user(buyer).write(
            {
                "quality_result": "accepted_concession",
                "quality_note": "Packaging damaged on two pallets; bearings within tolerance.",
            }
        )
        self._register_demo_xmlid("purchase_order_received_demo", order)
        return receipt

    # ------------------------------------------------------------
    # RATING: a core partner whose rating is overdue
    # ------------------------------------------------------------

    def _load_demo_overdue_rating(self, users, partner, date_to):
        """The foreign supplier, a core partner, was last rated for the half-year ending
        on ``date_to`` (before the running campaign): six months, the core interval,
        have passed since. Leadership rates core partners itself (see the campaign)."""
        office, admin = users["office"], users["admin"]
        partner.with_user(office).strategic_class = "core"
        evaluation = (
            self.env["partner.evaluation"]
            .with_user(office)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "evaluator_id": office.id,
                    "role": "supplier",
                    "date_from": date_to - relativedelta(months=6, days=-1),
                    "date_to": date_to,
                    "score_standing": 90,
                    "score_cooperation": 85,
                    "score_payment": 85,
                    "score_potential": 85,
                    "score_other": 85,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(admin).action_approve()
        self._register_demo_xmlid("evaluation_overdue_demo", evaluation)
        return evaluation

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _register_demo_xmlid(self, name, record):
        """Named like the XML demo records (noupdate): tours, screenshots and people
        reading the demo find them."""
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"{MODULE}.{name}", "record": record, "noupdate": True}]
        )
