# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import PartnerQualificationCommon

FORGED_DEFAULTS = {
    "default_admission_state": "approved",
    "default_credit_limit": 1e9,
    "default_partner_role": "customer",
    "default_qualification_note": "forged",
}


@tagged("post_install", "-at_install")
class TestPartnerForgery(PartnerQualificationCommon):
    """Protected partner fields are never set by a client-supplied default, a copy, a
    one2many command or an import: only by their owners or the workflows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Contact Creation only: no role in the addon at all.
        cls.contact_creator = new_test_user(
            cls.env, "pqc_contact_creator", groups="base.group_user,base.group_partner_manager"
        )
        # Everyone who may create contacts.
        cls.forgers = (cls.contact_creator, cls.officer, cls.approver, cls.credit_manager)
        cls.addon_forgers = cls.forgers[1:]

    def _forged_context(self):
        return dict(FORGED_DEFAULTS, default_qualification_grade_id=self.grade_a.id)

    def assertNotQualified(self, partners):
        for partner in partners.sudo():
            self.assertIn(partner.admission_state, (False, "none"), partner.name)
            self.assertFalse(partner.qualification_grade_id, partner.name)
            self.assertFalse(partner.credit_limit, partner.name)
            self.assertFalse(partner.qualification_note, partner.name)

    # ------------------------------------------------------------
    # Context defaults
    # ------------------------------------------------------------

    def test_create_refuses_forged_defaults_without_the_addon(self):
        # Odoo refuses a default for a field its user may not write at all.
        for method in ("create", "copy"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                Partner = (
                    self.env["res.partner"]
                    .with_user(self.contact_creator)
                    .with_context(**self._forged_context())
                )
                if method == "create":
                    Partner.create({"name": "Forged", "is_company": True})
                else:
                    self.customer.with_env(Partner.env).copy()

    def test_create_ignores_forged_defaults(self):
        for forger in self.addon_forgers:
            with self.subTest(user=forger.login):
                partner = (
                    self.env["res.partner"]
                    .with_user(forger)
                    .with_context(**self._forged_context())
                    .create({"name": f"Forged by {forger.login}", "is_company": True})
                )
                self.assertNotQualified(partner)
                self.assertFalse(partner.sudo().partner_role)

    def test_default_get_ignores_forged_defaults(self):
        Partner = self.env["res.partner"].with_user(self.approver).with_context(**self._forged_context())
        defaults = Partner.default_get(["admission_state", "qualification_grade_id", "partner_role", "name"])
        self.assertNotEqual(defaults.get("admission_state"), "approved")
        self.assertFalse(defaults.get("qualification_grade_id"))
        self.assertFalse(defaults.get("partner_role"))

    def test_superuser_workflows_keep_defaults(self):
        partner = (
            self.env["res.partner"]
            .sudo()
            .with_context(default_admission_state="approved")
            .create({"name": "Workflow partner"})
        )
        self.assertEqual(partner.admission_state, "approved")

    def test_owner_explicit_values_still_allowed(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.officer)
            .create({"name": "Noted by the office", "qualification_note": "Owner changed in 2025"})
        )
        self.assertEqual(partner.sudo().qualification_note, "Owner changed in 2025")
        # The limit's owners go through the change assistant (reason, approval, history).
        with self.assertRaisesRegex(AccessError, "Change Grade / Limit"):
            self.env["res.partner"].with_user(self.credit_manager).create(
                {"name": "Limited by finance", "credit_limit": 5000.0}
            )

    # ------------------------------------------------------------
    # copy()
    # ------------------------------------------------------------

    def test_copy_drops_qualification(self):
        self.admit(self.customer, self.grade_a)
        self.customer.sudo().write({"credit_limit": 1000.0, "qualification_note": "watch"})
        for forger in self.addon_forgers:
            with self.subTest(user=forger.login):
                duplicate = self.customer.with_user(forger).with_context(**self._forged_context()).copy()
                self.assertNotQualified(duplicate)

    def test_copy_default_refused(self):
        forged = {
            "admission_state": "approved",
            "qualification_grade_id": self.grade_a.id,
            "credit_limit": 1e9,
        }
        for forger in self.forgers:
            for field_name, value in forged.items():
                if (field_name, forger) in (
                    ("qualification_grade_id", self.approver),
                    ("credit_limit", self.credit_manager),
                ):
                    continue
                with self.subTest(user=forger.login, field=field_name):
                    count = self.env["res.partner"].search_count([])
                    with self.assertRaises(AccessError):
                        self.customer.with_user(forger).copy(default={field_name: value})
                    self.assertEqual(self.env["res.partner"].search_count([]), count)

    # ------------------------------------------------------------
    # one2many commands
    # ------------------------------------------------------------

    @contextmanager
    def as_request_of(self, user):
        """One2many commands run as the user of the request (Odoo's ``default_env``),
        which is the superuser in a test: act as ``user`` sending an RPC request."""
        transaction = self.env.transaction
        default_env = transaction.default_env
        transaction.default_env = self.env(user=user)
        try:
            yield
        finally:
            transaction.default_env = default_env

    def test_child_commands_refused(self):
        for forger in (self.contact_creator, self.officer, self.credit_manager):
            with self.subTest(user=forger.login), self.as_request_of(forger):
                with self.assertRaises(AccessError):
                    self.customer.with_user(forger).write(
                        {"child_ids": [Command.create({"name": "Child", "admission_state": "approved"})]}
                    )
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(forger).create(
                        {
                            "name": "Parent",
                            "child_ids": [
                                Command.create({"name": "Child", "qualification_grade_id": self.grade_a.id})
                            ],
                        }
                    )

    def test_child_commands_ignore_forged_defaults(self):
        with self.as_request_of(self.officer):
            parent = (
                self.env["res.partner"]
                .with_user(self.officer)
                .with_context(**self._forged_context())
                .create(
                    {"name": "Parent", "is_company": True, "child_ids": [Command.create({"name": "Child"})]}
                )
            )
        self.assertNotQualified(parent | parent.child_ids)

    # ------------------------------------------------------------
    # Related fields and _inherits
    # ------------------------------------------------------------

    def test_users_inherits_refused(self):
        admin = new_test_user(
            self.env,
            "pqc_user_admin",
            groups="base.group_system,base.group_erp_manager,base.group_partner_manager",
        )
        addon_admin = new_test_user(
            self.env,
            "pqc_addon_admin",
            groups="base.group_system,base.group_erp_manager,partner_qualification_credit.group_approver",
        )
        for user in (admin, addon_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["res.users"].with_user(user).create(
                    {"name": "Forged", "login": "forged_user", "admission_state": "approved"}
                )
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(admin).with_context(**self._forged_context()).create(
                {"name": "Forged", "login": "forged_user"}
            )
        user = (
            self.env["res.users"]
            .with_user(addon_admin)
            .with_context(**self._forged_context())
            .create({"name": "Forged", "login": "forged_user"})
        )
        self.assertNotQualified(user.partner_id)

    # ------------------------------------------------------------
    # Import (load)
    # ------------------------------------------------------------

    def test_import_refused(self):
        for forger in (self.contact_creator, self.officer, self.credit_manager):
            with self.subTest(user=forger.login):
                count = self.env["res.partner"].search_count([])
                result = (
                    self.env["res.partner"]
                    .with_user(forger)
                    .load(["name", "admission_state"], [["Imported", "approved"]])
                )
                self.assertFalse(result["ids"])
                self.assertTrue(result["messages"])
                self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_import_ignores_forged_defaults(self):
        result = (
            self.env["res.partner"]
            .with_user(self.officer)
            .with_context(**self._forged_context())
            .load(["name"], [["Imported"]])
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])
        self.assertNotQualified(self.env["res.partner"].browse(result["ids"]))
