# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
class TestQualificationChange(PartnerQualificationCommon):
    """Grade and limit changes between ratings: proposed with a reason, approved by
    leadership (grade) and finance (limit), kept in the history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admit(cls.customer, cls.grade_c)
        cls.customer.sudo().credit_limit = 10000.0
        cls.Change = cls.env["partner.qualification.change"]

    def _propose(self, user, reason="Payment record improved", **values):
        wizard = (
            self.env["partner.qualification.change.propose"]
            .with_user(user)
            .create({"partner_id": self.customer.id, "reason": reason, **values})
        )
        action = wizard.action_propose()
        return self.Change.with_user(user).browse(action["res_id"])

    def test_officer_proposal_needs_both_approvals_and_leaves_history(self):
        change = self._propose(
            self.officer, new_grade_id=self.grade_b.id, change_limit=True, new_credit_limit=50000.0
        )
        self.assertEqual(change.state, "to_approve")
        self.assertEqual(self.customer.qualification_grade_id, self.grade_c, "nothing applied yet")
        self.assertEqual(self.customer.credit_limit, 10000.0)
        # The officer cannot approve its own proposal, nor can anyone outside the two roles.
        with self.assertRaisesRegex(AccessError, "cannot approve any part"):
            change.with_user(self.officer).action_approve()
        change.with_user(self.approver).action_approve()
        self.assertEqual(change.state, "to_approve", "the limit still waits for finance")
        self.assertEqual(self.customer.qualification_grade_id, self.grade_c)
        with self.assertRaisesRegex(AccessError, "cannot approve any part"):
            change.with_user(self.approver).action_approve()
        change.with_user(self.credit_manager).action_approve()
        self.assertRecordValues(
            change,
            [
                {
                    "state": "approved",
                    "old_grade_id": self.grade_c.id,
                    "new_grade_id": self.grade_b.id,
                    "old_credit_limit": 10000.0,
                    "new_credit_limit": 50000.0,
                    "reason": "Payment record improved",
                    "requested_by_id": self.officer.id,
                    "grade_approver_id": self.approver.id,
                    "limit_approver_id": self.credit_manager.id,
                }
            ],
        )
        self.assertTrue(change.applied_date)
        self.assertEqual(self.customer.qualification_grade_id, self.grade_b)
        self.assertEqual(self.customer.credit_limit, 50000.0)
        history = self.customer.with_user(self.officer).action_view_qualification_changes()
        self.assertEqual(self.Change.search(history["domain"]), change)

    def test_owners_apply_their_part_at_once_with_a_reason(self):
        change = self._propose(self.credit_manager, change_limit=True, new_credit_limit=0.0)
        self.assertEqual(change.state, "approved")
        self.assertEqual(self.customer.credit_limit, 0.0)
        self.assertEqual(change.limit_approver_id, self.credit_manager)
        change = self._propose(self.approver, new_grade_id=self.grade_a.id)
        self.assertEqual(change.state, "approved")
        self.assertEqual(self.customer.qualification_grade_id, self.grade_a)
        # An approver's limit change still waits for finance.
        change = self._propose(self.approver, change_limit=True, new_credit_limit=7000.0)
        self.assertEqual(change.state, "to_approve")
        self.assertEqual(self.customer.credit_limit, 0.0)

    def test_direct_writes_are_refused_and_point_at_the_assistant(self):
        for user, vals in (
            (self.approver, {"qualification_grade_id": self.grade_a.id}),
            (self.credit_manager, {"credit_limit": 99999.0}),
            (self.officer, {"credit_limit": 99999.0}),
        ):
            with self.assertRaisesRegex(AccessError, "Change Grade / Limit"):
                self.customer.with_user(user).write(vals)
        with self.assertRaisesRegex(AccessError, "Change Grade / Limit"):
            self.env["res.partner"].with_user(self.approver).create(
                {"name": "Graded at birth", "qualification_grade_id": self.grade_a.id}
            )
        self.assertEqual(self.customer.credit_limit, 10000.0)

    def test_reason_and_figures_are_required(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self._propose(self.officer, reason="  ", new_grade_id=self.grade_b.id)
        with self.assertRaisesRegex(UserError, "Nothing changes"):
            self._propose(self.officer, new_grade_id=self.grade_c.id)
        with self.assertRaisesRegex(ValidationError, "positive amount"):
            self._propose(self.credit_manager, change_limit=True, new_credit_limit=-5.0)
        with self.assertRaisesRegex(ValidationError, "positive amount"):
            self._propose(self.credit_manager, change_limit=True, new_credit_limit=float("nan"))
        with self.assertRaises(AccessError):
            self._propose(self.user, new_grade_id=self.grade_a.id)

    def test_history_cannot_be_forged_or_erased(self):
        change = self._propose(self.officer, new_grade_id=self.grade_b.id)
        with self.assertRaises(AccessError):
            self.Change.with_user(self.approver).create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "state": "approved",
                    "reason": "x",
                }
            )
        with self.assertRaises(AccessError):
            change.with_user(self.approver).write(
                {"state": "approved", "grade_approver_id": self.approver.id}
            )
        with self.assertRaises(AccessError):
            change.with_user(self.officer).write({"new_grade_id": self.grade_a.id})
        with self.assertRaises(UserError):
            change.sudo().unlink()
        change.with_user(self.approver).action_refuse(reason="Wait for the annual rating")
        self.assertRecordValues(
            change,
            [
                {
                    "state": "refused",
                    "refused_by_id": self.approver.id,
                    "refusal_reason": "Wait for the annual rating",
                }
            ],
        )
        self.assertEqual(self.customer.qualification_grade_id, self.grade_c)
        with self.assertRaisesRegex(UserError, "already decided"):
            change.with_user(self.approver).action_approve()
