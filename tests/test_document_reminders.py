# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestDocumentReminders(PartnerQualificationCommon):
    def _activities(self, document):
        return self.env["mail.activity"].search(
            [("res_model", "=", document._name), ("res_id", "=", document.id)]
        )

    def test_one_activity_per_threshold_even_when_run_twice(self):
        self.customer.sudo().qualification_applicant_id = self.user
        with freeze_time("2026-01-01"):
            document = self.create_document(self.customer, expiry_date="2026-03-01")
            Document = self.env["partner.qualification.document"]
            Document._cron_document_reminders()
            self.assertFalse(self._activities(document), "Nothing is due two months ahead")
        with freeze_time("2026-02-10"):
            Document._cron_document_reminders()
            Document._cron_document_reminders()
            activities = self._activities(document)
            self.assertEqual(len(activities), 1)
            self.assertEqual(activities.user_id, self.user)
            self.assertEqual(document.state, "expiring")
        with freeze_time("2026-03-02"):
            Document._cron_document_reminders()
            Document._cron_document_reminders()
            self.assertEqual(document.state, "expired")
            self.assertEqual(len(self._activities(document)), 2)
            self.assertIn(
                "has expired",
                self._activities(document)[-1:].summary + self._activities(document)[:1].summary,
            )

    def test_extended_document_is_reminded_again(self):
        # Regression: reminder_state was never reset, so after an extension the next
        # "expiring" threshold was never reminded.
        self.customer.sudo().qualification_applicant_id = self.user
        Document = self.env["partner.qualification.document"]
        with freeze_time("2026-02-10"):
            document = self.create_document(self.customer, expiry_date="2026-03-01")
            Document._cron_document_reminders()
            self.assertEqual(document.reminder_state, "expiring")
            document.expiry_date = "2027-03-01"
            self.assertFalse(document.reminder_state)
        with freeze_time("2027-02-10"):
            Document._cron_document_reminders()
            self.assertEqual(len(self._activities(document)), 2)
            # Back to valid without a new date (shorter reminder period): reset by the cron.
            self.type_licence.reminder_days = 10
            Document._cron_document_reminders()
            self.assertFalse(document.reminder_state)

    def test_officers_are_reminded_without_applicant(self):
        with freeze_time("2026-02-20"):
            document = self.create_document(self.supplier, expiry_date="2026-03-01")
            self.env["partner.qualification.document"]._cron_document_reminders()
            users = self._activities(document).user_id
            self.assertIn(self.officer, users)
            self.assertIn(self.approver, users, "Approvers are officers too")
            self.assertNotIn(self.user, users)

    def test_superseded_document_is_not_reminded(self):
        with freeze_time("2026-02-20"):
            old = self.create_document(self.customer, expiry_date="2026-03-01")
            self.create_document(self.customer, expiry_date="2031-03-01")
            self.env["partner.qualification.document"]._cron_document_reminders()
            self.assertFalse(self._activities(old))
