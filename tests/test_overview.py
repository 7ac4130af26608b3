# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_admission_request import AdmissionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestOverview(AdmissionCommon):
    """The landing page: each role sees the cards of its work, with counts that match
    the lists they open."""

    def cards(self, user):
        overview = self.env["partner.qualification.overview"].with_user(user)
        cards = overview.search([("is_visible", "=", True)])
        return {card.code: card for card in cards}

    def open(self, card):
        action = card.action_open_card()
        return self.env[action["res_model"]].with_user(card.env.user).search(action["domain"])

    def test_cards_by_role(self):
        self.assertEqual(
            set(self.cards(self.user)),
            {"evaluation_mine", "document_expiring", "document_expired"}
            | ({"complaint_open"} if "partner.complaint" in self.env else set()),
        )
        officer = set(self.cards(self.officer))
        self.assertIn("admission_review", officer)
        self.assertIn("credit_over_limit", officer)
        self.assertNotIn("admission_approve", officer)
        self.assertNotIn("credit_release", officer)
        approver = set(self.cards(self.approver))
        self.assertLessEqual({"admission_review", "admission_approve", "evaluation_approve"}, approver)
        credit = set(self.cards(self.credit_manager))
        self.assertLessEqual({"credit_release", "credit_over_limit", "credit_above_threshold"}, credit)
        self.assertNotIn("admission_approve", credit)

    def test_counts_open_the_counted_records(self):
        submitted = self.make_request()
        self.create_document(self.supplier)
        reviewed = self.make_request(partner=self.supplier, role="supplier")
        self.review(reviewed)
        self.create_document(self.customer, expiry_date="2026-03-20")
        officer_cards = self.cards(self.officer)
        self.assertEqual(officer_cards["admission_review"].count, 1)
        self.assertEqual(self.open(officer_cards["admission_review"]), submitted)
        approver_cards = self.cards(self.approver)
        self.assertEqual(approver_cards["admission_approve"].count, 1)
        self.assertEqual(self.open(approver_cards["admission_approve"]), reviewed)
        expiring = self.cards(self.user)["document_expiring"]
        self.assertEqual(expiring.count, 1)
        self.assertEqual(self.open(expiring).partner_id, self.customer)
        # The applicant does not review their own application: not counted for them.
        self.assertEqual(
            self.cards(self.approver.copy({"login": "pqc_approver_3"}))["admission_review"].count, 1
        )

    def test_card_of_another_role_is_refused(self):
        approve = self.env["partner.qualification.overview"].search([("code", "=", "admission_approve")])
        with self.assertRaises(AccessError):
            approve.with_user(self.officer).action_open_card()
        employee = new_test_user(self.env, "pqc_overview_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["partner.qualification.overview"].with_user(employee).search([])

    def test_query_budget(self):
        """Counts are one search_count per card, whatever the number of records."""
        for _index in range(5):
            self.create_document(self.customer, expiry_date="2026-03-20")

        def count():
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            cards = self.env["partner.qualification.overview"].with_user(self.approver)
            cards.search([("is_visible", "=", True)]).mapped("count")
            return self.env.cr.sql_log_count - start

        count()  # warm the caches (groups, rules)
        before = count()
        for index in range(5):
            partner = self.env["res.partner"].create({"name": f"Applicant {index}", "is_company": True})
            self.make_request(partner=partner)
        count()
        self.assertEqual(count(), before)
        self.assertLessEqual(before, 40)
