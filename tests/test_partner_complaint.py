# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestPartnerComplaint(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = new_test_user(
            cls.env, "pqc_complaint_owner", groups="partner_qualification_credit.group_user"
        )
        cls.other = new_test_user(
            cls.env, "pqc_complaint_other", groups="partner_qualification_credit.group_user"
        )
        cls.applicant = new_test_user(
            cls.env, "pqc_complaint_applicant", groups="partner_qualification_credit.group_user"
        )
        cls.admit(cls.customer)
        cls.customer.sudo().qualification_applicant_id = cls.applicant
        cls.company.complaint_response_days_quality = 2
        cls.company.complaint_response_days_billing = 5

    def _complaint(self, user=None, **values):
        vals = {
            "name": "Damaged coils",
            "partner_id": self.customer.id,
            "category": "quality",
            "severity": "major",
            "date_received": "2026-03-02 08:00:00",
        }
        vals.update(values)
        return self.env["partner.complaint"].with_user(user or self.owner).create(vals)

    def test_response_deadline_and_activity_per_category(self):
        quality = self._complaint()
        billing = self._complaint(category="billing")
        self.assertEqual(str(quality.response_deadline), "2026-03-04")
        self.assertEqual(str(billing.response_deadline), "2026-03-07")
        activity_type = self.env.ref("partner_qualification_credit.mail_activity_type_complaint")
        activity = quality.activity_ids
        self.assertEqual(activity.activity_type_id, activity_type)
        self.assertEqual(activity.user_id, self.owner)
        self.assertEqual(str(activity.date_deadline), "2026-03-04")
        with freeze_time("2026-03-10"):
            self.assertEqual(activity.state, "overdue")

    def test_workflow_investigate_settle_close_satisfaction(self):
        complaint = self._complaint()
        with freeze_time("2026-03-02 20:00:00"):
            complaint.action_investigate()
        self.assertEqual(complaint.state, "investigating")
        self.assertAlmostEqual(complaint.response_hours, 12.0)
        self.assertFalse(complaint.activity_ids, "the response to-do is done")
        with self.assertRaisesRegex(UserError, "settlement"):
            complaint.action_settle()
        complaint.settlement_note = "Credit note for 3 coils"
        complaint.action_settle()
        self.assertTrue(complaint.date_resolved)
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        complaint.satisfaction = "4"
        with self.assertRaisesRegex(UserError, "closed"):
            complaint.severity = "minor"
        with self.assertRaisesRegex(UserError, "cannot move"):
            complaint.action_investigate()

    def test_workflow_fields_refused_from_client(self):
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            self._complaint(state="closed")
        complaint = self._complaint()
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            complaint.write({"response_hours": 1.0})
        complaint = (
            self.env["partner.complaint"]
            .with_user(self.owner)
            .with_context(default_state="closed")
            .create({"name": "x", "partner_id": self.customer.id})
        )
        self.assertEqual(complaint.state, "new")

    def test_only_owner_or_office_handles(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.applicant).action_investigate()
        complaint.with_user(self.officer).action_investigate()
        self.assertEqual(complaint.state, "investigating")

    def test_record_rules(self):
        complaint = self._complaint()
        Complaint = self.env["partner.complaint"]
        self.assertEqual(Complaint.with_user(self.owner).search([("id", "=", complaint.id)]), complaint)
        self.assertEqual(Complaint.with_user(self.applicant).search([("id", "=", complaint.id)]), complaint)
        self.assertFalse(Complaint.with_user(self.other).search([("id", "=", complaint.id)]))
        self.assertEqual(Complaint.with_user(self.officer).search([("id", "=", complaint.id)]), complaint)
        with self.assertRaises(AccessError):
            complaint.with_user(self.other).read(["name"])

    def test_record_rules_owner_department(self):
        """The owner's department (sales team) sees the complaint, another team does not."""
        colleague = new_test_user(
            self.env, "pqc_complaint_colleague", groups="partner_qualification_credit.group_user"
        )
        team, other_team = self.env["crm.team"].create([{"name": "Steel Sales"}, {"name": "Pipe Sales"}])
        self.env["crm.team.member"].create(
            [
                {"crm_team_id": team.id, "user_id": self.owner.id},
                {"crm_team_id": team.id, "user_id": colleague.id},
                {"crm_team_id": other_team.id, "user_id": self.other.id},
            ]
        )
        complaint = self._complaint()
        action = (
            self.env["partner.corrective.action"]
            .with_user(self.owner)
            .create(
                {
                    "name": "Repack coils",
                    "partner_id": self.customer.id,
                    "required_action": "Use the new packing",
                    "deadline": "2026-12-31",
                }
            )
        )
        for record in (complaint, action):
            Model = self.env[record._name]
            self.assertEqual(Model.with_user(colleague).search([("id", "=", record.id)]), record)
            self.assertFalse(Model.with_user(self.other).search([("id", "=", record.id)]))

    def test_reopen_only_settled(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(UserError, "not settled"):
            complaint.action_reopen()
        self.assertEqual(complaint.state, "new")

    def test_partner_smart_button(self):
        self._complaint()
        self._complaint(severity="critical")
        self.assertEqual(self.customer.with_user(self.officer).partner_complaint_count, 2)
        action = self.customer.with_user(self.officer).action_view_partner_complaints()
        self.assertEqual(action["res_model"], "partner.complaint")

    def test_delete_only_new(self):
        complaint = self._complaint()
        complaint.action_investigate()
        with self.assertRaisesRegex(UserError, "Only new complaints"):
            complaint.with_user(self.officer).unlink()
