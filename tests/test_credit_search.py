# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditSearch(CreditControlCommon):
    """The exposure list shows every admitted partner; usage, exposure and the two
    flags are searchable and sortable, computed by the exposure engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_warning_threshold = 80.0
        Partner = cls.env["res.partner"]
        # 1 100 receivable each (1 000 + 10 % tax), limits giving 137.5 %, 91.7 %, 55 %.
        cls.over = cls.customer
        cls.near = Partner.create({"name": "Near Limit Ltd", "is_company": True})
        cls.under = Partner.create({"name": "Under Limit Ltd", "is_company": True})
        cls.idle = Partner.create({"name": "Idle Ltd", "is_company": True})
        for partner in (cls.near, cls.under, cls.idle):
            partner.with_company(cls.company).sudo().partner_role = "customer"
            cls.admit(partner)
            cls.create_document(partner)
        cls.contact = Partner.create({"name": "Buyer at Near", "parent_id": cls.near.id})

    def setUp(self):
        super().setUp()
        for partner in (self.over, self.near, self.under):
            self.set_limit(partner, 10000.0)
            self.customer_invoice(1000.0, partner=partner)
        # Limits lowered after the invoices (e.g. at a rating).
        self.set_limit(self.over, 800.0)
        self.set_limit(self.near, 1200.0)
        self.set_limit(self.under, 2000.0)
        self.set_limit(self.idle, 1000.0)
        # Posting ranks the partner as a customer: the over-limit one lost its rank
        # (e.g. a migrated partner), it must still be listed.
        (self.over | self.near | self.under).sudo().customer_rank = 0

    def search_as(self, user, domain, order=None):
        partners = self.env["res.partner"].with_user(user).with_company(self.company)
        return partners.search(domain, order=order)

    def test_flags_and_figures(self):
        over_limit = self.search_as(self.officer, [("credit_over_limit", "=", True)])
        self.assertEqual(over_limit, self.over)
        above = self.search_as(self.credit_manager, [("credit_above_threshold", "=", True)])
        # A contact shares the figures of its company.
        self.assertEqual(above, self.over | self.near | self.contact)
        not_above = self.search_as(
            self.officer, [("credit_above_threshold", "=", False), ("id", "in", self.all_ids)]
        )
        self.assertEqual(not_above, self.under | self.idle | self.supplier)
        usage = self.search_as(self.officer, [("credit_usage", ">=", 90), ("id", "in", self.all_ids)])
        self.assertEqual(usage, self.over | self.near | self.contact)
        # Zero usage matches partners the engine never measured (no admission, no limit).
        low = self.search_as(self.officer, [("credit_usage", "<", 60), ("id", "in", self.all_ids)])
        self.assertEqual(low, self.under | self.idle | self.supplier)
        exposure = self.search_as(self.officer, [("credit_exposure", ">", 1000), ("id", "in", self.all_ids)])
        self.assertEqual(exposure, self.over | self.near | self.under | self.contact)
        partner = self.near.with_user(self.officer).with_company(self.company)
        self.assertTrue(partner.credit_above_threshold)
        self.assertFalse(partner.credit_over_limit)
        self.assertTrue(self.over.with_user(self.officer).with_company(self.company).credit_over_limit)

    @property
    def all_ids(self):
        return (self.over | self.near | self.under | self.idle | self.contact | self.supplier).ids

    def test_sort_by_usage(self):
        partners = self.search_as(
            self.officer,
            [("id", "in", (self.over | self.near | self.under | self.idle).ids)],
            "credit_usage desc",
        )
        self.assertEqual(partners.ids, [self.over.id, self.near.id, self.under.id, self.idle.id])
        partners = self.search_as(
            self.officer, [("id", "in", (self.over | self.near | self.under).ids)], "credit_usage asc, id"
        )
        self.assertEqual(partners.ids, [self.under.id, self.near.id, self.over.id])
        fields = self.env["res.partner"].with_user(self.officer).fields_get(["credit_usage"], ["sortable"])
        self.assertTrue(fields["credit_usage"]["sortable"])

    def test_exposure_list_shows_every_admitted_partner(self):
        action = self.env.ref("partner_qualification_credit.res_partner_action_credit_exposure")
        domain = safe_eval(action.domain)
        listed = self.search_as(self.officer, domain, "credit_usage desc")
        self.assertLessEqual(self.over | self.near | self.under | self.idle, listed)
        self.assertEqual(listed[:2], self.over | self.near)
        self.assertNotIn(self.contact, listed)

    def test_menu_for_officers_and_credit_managers(self):
        exposure = self.env.ref("partner_qualification_credit.res_partner_menu_credit_exposure")
        releases = self.env.ref("partner_qualification_credit.partner_credit_release_menu")
        for user, sees_exposure, sees_releases in (
            (self.user, False, False),
            (self.officer, True, False),
            (self.credit_manager, True, True),
        ):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            # A menu shows when it and all its parents are visible.
            for menu, expected in ((exposure, sees_exposure), (releases, sees_releases)):
                shown = all(m.id in visible for m in (menu, menu.parent_id, menu.parent_id.parent_id))
                self.assertEqual(shown, expected, f"{user.login}: {menu.name}")

    def test_refused_without_credit_rights(self):
        employee = new_test_user(self.env, "pqc_plain_employee", groups="base.group_user")
        for domain, order in (
            ([("credit_over_limit", "=", True)], None),
            ([("credit_usage", ">", 50)], None),
            ([], "credit_usage desc"),
        ):
            with self.assertRaises(AccessError):
                self.search_as(employee, domain, order)

    def test_query_budget_constant(self):
        """The engine's set-based queries: the same count for 3 or 13 measured partners."""

        def count(domain):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.search_as(self.officer, domain)
            return self.env.cr.sql_log_count - start

        before = count([("credit_over_limit", "=", True)])
        for index in range(10):
            partner = self.env["res.partner"].create({"name": f"More {index}", "is_company": True})
            self.admit(partner)
            self.create_document(partner)
            self.set_limit(partner, 10000.0)
            self.customer_invoice(100.0, partner=partner)
            self.set_limit(partner, 100.0)
        after = count([("credit_over_limit", "=", True)])
        self.assertLessEqual(after, before + 1)
        self.assertLessEqual(after, 20)

    def test_overview_credit_cards(self):
        overview = (
            self.env["partner.qualification.overview"].with_user(self.officer).with_company(self.company)
        )
        cards = {card.code: card for card in overview.search([("is_visible", "=", True)])}
        self.assertEqual(cards["credit_over_limit"].count, 1)
        self.assertEqual(cards["credit_above_threshold"].count, 1)
        action = cards["credit_over_limit"].action_open_card()
        self.assertEqual(self.search_as(self.officer, action["domain"]), self.over)
