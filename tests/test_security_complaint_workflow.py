# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Forgery attempts on the complaint and corrective-action workflows: workflow fields
sent in create, write, copy, context defaults, one2many commands of a parent and over
RPC; transitions out of order or by the wrong user."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import PartnerQualificationCommon
from .test_evaluation_campaign import PartnerEvaluationCommon


class ComplaintWorkflowCommon(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = new_test_user(cls.env, "pqc_cw_owner", groups="partner_qualification_credit.group_user")
        # The partner's applicant sees its complaints and corrective actions without owning them.
        cls.applicant = new_test_user(
            cls.env, "pqc_cw_applicant", groups="partner_qualification_credit.group_user"
        )
        cls.admit(cls.customer)
        cls.customer.sudo().qualification_applicant_id = cls.applicant
        # Workflow values a forger would send, for every workflow field of each model.
        cls.forged_complaint = {
            "state": "closed",
            "date_responded": "2026-03-02 09:00:00",
            "date_resolved": "2026-03-02 10:00:00",
            "response_hours": 1.0,
        }
        cls.forged_action = {
            "state": "verified",
            "verified_by_id": cls.officer.id,
            "date_verified": "2026-03-02 10:00:00",
        }

    def _complaint_vals(self, **values):
        return {"name": "Damaged coils", "partner_id": self.customer.id, **values}

    def _action_vals(self, **values):
        return {
            "name": "Repack coils",
            "partner_id": self.customer.id,
            "required_action": "Use the new packing",
            "deadline": "2026-12-31",
            **values,
        }

    def _complaint(self, user=None, **values):
        Complaint = self.env["partner.complaint"].with_user(user or self.owner)
        return Complaint.create(self._complaint_vals(**values))

    def _action(self, user=None, **values):
        return (
            self.env["partner.corrective.action"]
            .with_user(user or self.owner)
            .create(self._action_vals(**values))
        )


@tagged("post_install", "-at_install")
class TestSecurityComplaintWorkflow(ComplaintWorkflowCommon):
    def test_create_with_workflow_values_is_refused(self):
        cases = [
            ("partner.complaint", self._complaint_vals, self.forged_complaint),
            ("partner.corrective.action", self._action_vals, self.forged_action),
        ]
        for model, make_vals, forged in cases:
            Model = self.env[model]
            for user in (self.owner, self.officer, self.approver):
                for fname, value in forged.items():
                    with (
                        self.subTest(model=model, user=user.login, field=fname),
                        self.assertRaisesRegex(AccessError, "set by its workflow"),
                    ):
                        Model.with_user(user).create(make_vals(**{fname: value}))
            self.assertFalse(Model.search([("name", "in", ("Damaged coils", "Repack coils"))]))
        # A new record's own state is what the web client sends: accepted.
        self.assertEqual(self._complaint(state="new").state, "new")
        self.assertEqual(self._action(state="open").state, "open")
        # The workflow itself (superuser) sets them.
        workflow = self.env["partner.complaint"].sudo().create(self._complaint_vals(state="closed"))
        self.assertEqual(workflow.state, "closed")

    def test_context_defaults_of_workflow_fields_are_ignored(self):
        complaint = (
            self.env["partner.complaint"]
            .with_user(self.owner)
            .with_context(**{f"default_{fname}": value for fname, value in self.forged_complaint.items()})
            .create(self._complaint_vals())
        )
        self.assertRecordValues(
            complaint,
            [{"state": "new", "date_responded": False, "date_resolved": False, "response_hours": 0.0}],
        )
        action = (
            self.env["partner.corrective.action"]
            .with_user(self.owner)
            .with_context(**{f"default_{fname}": value for fname, value in self.forged_action.items()})
            .create(self._action_vals())
        )
        self.assertRecordValues(action, [{"state": "open", "verified_by_id": False, "date_verified": False}])
        # Superuser code runs with the context of the user who triggered it: still ignored.
        sudo_action = (
            self.env["partner.corrective.action"]
            .with_context(default_state="verified")
            .sudo()
            .create(self._action_vals())
        )
        self.assertEqual(sudo_action.state, "open")

    def test_copy_takes_no_workflow_value(self):
        with freeze_time("2026-03-02 20:00:00"):
            complaint = self._complaint(date_received="2026-03-02 08:00:00")
            complaint.action_investigate()
        complaint.settlement_note = "Credit note for 3 coils"
        complaint.action_settle()
        copied = complaint.with_user(self.owner).copy()
        self.assertRecordValues(
            copied,
            [{"state": "new", "date_responded": False, "date_resolved": False, "response_hours": 0.0}],
        )
        action = self._action(user=self.officer, user_id=self.applicant.id)
        action.with_user(self.applicant).action_done()
        action.verification = "Checked on site"
        action.with_user(self.officer).action_verify()
        copied_action = action.with_user(self.officer).copy()
        self.assertRecordValues(
            copied_action, [{"state": "open", "verified_by_id": False, "date_verified": False}]
        )
        # copy()'s ``default`` argument comes from the client too.
        attempts = [(complaint, self.forged_complaint), (action, self.forged_action)]
        for record, forged in attempts:
            for fname, value in forged.items():
                with (
                    self.subTest(model=record._name, field=fname),
                    self.assertRaisesRegex(AccessError, "set by its workflow"),
                ):
                    record.with_user(self.officer).copy({fname: value})

    def test_write_of_workflow_fields_is_refused(self):
        complaint = self._complaint()
        action = self._action()
        attempts = [(complaint, self.forged_complaint), (action, self.forged_action)]
        for record, forged in attempts:
            for user in (self.owner, self.officer, self.approver):
                for fname, value in forged.items():
                    with (
                        self.subTest(model=record._name, user=user.login, field=fname),
                        self.assertRaises(AccessError),
                    ):
                        record.with_user(user).write({fname: value})
        self.assertRecordValues(complaint, [{"state": "new", "date_responded": False}])
        self.assertRecordValues(action, [{"state": "open", "verified_by_id": False}])

    def test_corrective_action_forged_through_parent_one2many(self):
        complaint = self._complaint()
        action = self._action(complaint_id=complaint.id)
        attempts = [
            ("create", [Command.create(self._action_vals(**self.forged_action))]),
            ("update", [Command.update(action.id, {"state": "verified"})]),
            ("update stamp", [Command.update(action.id, {"verified_by_id": self.officer.id})]),
        ]
        for user in (self.owner, self.officer):
            for label, commands in attempts:
                with (
                    self.subTest(user=user.login, attempt=label),
                    self.assertRaisesRegex(AccessError, "set by its workflow"),
                ):
                    complaint.with_user(user).write({"corrective_action_ids": commands})
        self.assertEqual(complaint.corrective_action_ids, action)
        self.assertRecordValues(action, [{"state": "open", "verified_by_id": False}])

    def test_complaint_transitions_refused(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(UserError, "cannot move to"):
            complaint.action_close()
        with self.assertRaisesRegex(AccessError, "Only the owner of"):
            complaint.with_user(self.applicant).action_investigate()
        # A context key grants no authority.
        with self.assertRaisesRegex(AccessError, "Only the owner of"):
            complaint.with_user(self.applicant).with_context(
                partner_complaint_workflow=True
            ).action_investigate()
        self.assertEqual(complaint.state, "new")
        complaint.with_user(self.owner).action_investigate()
        self.assertEqual(complaint.state, "investigating")

    def test_corrective_action_transitions_refused(self):
        action = self._action()
        with self.assertRaisesRegex(UserError, "cannot move to"):
            action.with_user(self.officer).action_verify()
        with self.assertRaisesRegex(AccessError, "report it done"):
            action.with_user(self.applicant).action_done()
        action.with_user(self.owner).action_done()
        action.verification = "Checked on site"
        with self.assertRaisesRegex(AccessError, "not its own owner"):
            action.with_user(self.owner).action_verify()
        # An officer who owns the action does not verify it either.
        own = self._action(user=self.officer)
        own.with_user(self.officer).action_done()
        own.verification = "Checked on site"
        with self.assertRaisesRegex(AccessError, "not its own owner"):
            own.with_user(self.officer).action_verify()
        self.assertEqual((action | own).sudo().mapped("state"), ["done", "done"])
        action.with_user(self.officer).action_verify()
        self.assertRecordValues(action, [{"state": "verified", "verified_by_id": self.officer.id}])
        with self.assertRaisesRegex(UserError, "part of the history"):
            action.with_user(self.officer).write({"verification": "Rewritten"})


@tagged("post_install", "-at_install")
class TestSecurityCorrectiveActionFromEvaluation(PartnerEvaluationCommon):
    def test_corrective_action_forged_through_evaluation_one2many(self):
        evaluation = self._evaluation()
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            evaluation.with_user(self.evaluator).write(
                {
                    "corrective_action_ids": [
                        Command.create(
                            {
                                "name": "Late deliveries",
                                "partner_id": self.customer.id,
                                "required_action": "Weekly delivery plan",
                                "deadline": "2026-08-31",
                                "state": "verified",
                                "verified_by_id": self.officer.id,
                            }
                        )
                    ]
                }
            )
        self.assertFalse(evaluation.corrective_action_ids)


@tagged("post_install", "-at_install")
class TestSecurityComplaintWorkflowRpc(HttpCase, ComplaintWorkflowCommon):
    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_workflow_fields_over_rpc(self):
        complaint = self._complaint()
        action = self._action()
        self.authenticate(self.owner.login, self.owner.login)
        attempts = [
            ("partner.complaint", "write", [complaint.ids, {"state": "closed"}]),
            ("partner.corrective.action", "write", [action.ids, {"state": "verified"}]),
            ("partner.complaint", "copy", [complaint.ids], {"default": {"response_hours": 1.0}}),
        ]
        for model, method, args, *kwargs in attempts:
            with (
                self.subTest(model=model, method=method),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self._call_kw(model, method, args, *kwargs)
        # default_* keys sent in the RPC context are ignored.
        action_id = self._call_kw(
            "partner.corrective.action",
            "create",
            [self._action_vals()],
            {"context": {"default_state": "verified", "default_verified_by_id": self.officer.id}},
        )
        self.assertRecordValues(
            self.env["partner.corrective.action"].browse(action_id),
            [{"state": "open", "verified_by_id": False}],
        )
        self.assertEqual(complaint.state, "new")
        self.assertEqual(action.state, "open")
