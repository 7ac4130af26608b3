# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.res_partner import PROTECTED_FIELD_GROUPS
from .common import PartnerQualificationCommon

# Every register field of the partner, the computed ones included.
REGISTER_FIELDS = sorted(
    {
        *PROTECTED_FIELD_GROUPS,
        "qualification_grade_policy",
        "qualification_document_ids",
        "qualification_document_count",
        "qualification_state",
        "transaction_status",
        "admission_request_count",
        "partner_evaluation_count",
    }
)
CREDIT_FIELDS = ("credit_limit", "credit_exposure", "credit_available", "credit_usage", "credit_receivable")


@tagged("post_install", "-at_install")
class TestSecurityConfidentiality(PartnerQualificationCommon):
    """Portal, public and internal users outside the addon read no register field of any
    partner, not even their own company's, and no scan of a qualification document."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admit(cls.customer, cls.grade_a)
        cls.customer.sudo().write(
            {"qualification_note": "Owner under investigation", "registered_capital": 1e6}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Li Wei", "parent_id": cls.customer.id})
        cls.portal_user = new_test_user(cls.env, "pqc_portal_reader", groups="base.group_portal")
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.public_user = cls.env.ref("base.public_user")
        cls.employee = new_test_user(cls.env, "pqc_employee", groups="base.group_user")
        cls.outsiders = (cls.portal_user, cls.public_user, cls.employee)
        cls.document = cls.create_document(cls.customer)
        cls.scan = cls.env["ir.attachment"].create(
            {
                "name": "licence.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 licence scan"),
                "res_model": "partner.qualification.document",
                "res_id": cls.document.id,
            }
        )

    def test_register_fields_are_guarded(self):
        Partner = self.env["res.partner"]
        for name in REGISTER_FIELDS:
            with self.subTest(field=name):
                self.assertTrue(Partner._fields[name].groups, name)

    def test_outsiders_read_no_register_field(self):
        partners = self.customer | self.contact
        for user in self.outsiders:
            visible = self.env["res.partner"].with_user(user).fields_get()
            for name in (*REGISTER_FIELDS, *CREDIT_FIELDS):
                with self.subTest(user=user.login, field=name):
                    self.assertNotIn(name, visible)
                    with self.assertRaises(AccessError):
                        partners.with_user(user).read([name])
                    with self.assertRaises(AccessError):
                        self.env["res.partner"].with_user(user).search_read(
                            [("id", "in", partners.ids)], [name]
                        )
                    with self.assertRaises(AccessError):
                        partners.with_user(user).web_read({name: {}})
                    field = self.env["res.partner"]._fields[name]
                    if field.store or field.search:
                        with self.assertRaises(AccessError):
                            self.env["res.partner"].with_user(user).search([(name, "!=", False)])

    def test_own_partner_of_portal_user(self):
        own = self.portal_user.partner_id.commercial_partner_id
        self.assertEqual(own, self.customer)
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).read(["qualification_note"])
        # The standard fields stay readable (the portal's account page).
        own.with_user(self.portal_user).read(["name"])

    def test_addon_users_read_them(self):
        for user in (self.user, self.officer, self.approver, self.credit_manager):
            with self.subTest(user=user.login):
                values = self.customer.with_user(user).read(["admission_state", "qualification_note"])[0]
                self.assertEqual(values["admission_state"], "approved")

    def test_scans_follow_their_document(self):
        for user in self.outsiders:
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.scan.with_user(user).read(["datas"])
                with self.assertRaises(AccessError):
                    self.scan.with_user(user).datas  # noqa: B018
        self.assertTrue(self.scan.with_user(self.user).read(["datas"])[0]["datas"])

    def test_scans_cannot_be_public(self):
        public_scan = (
            self.env["ir.attachment"]
            .with_user(self.officer)
            .create(
                {
                    "name": "public.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4"),
                    "res_model": "partner.qualification.document",
                    "res_id": self.document.id,
                    "public": True,
                }
            )
        )
        self.assertFalse(public_scan.public)
        with self.assertRaises(AccessError):
            public_scan.with_user(self.portal_user).read(["datas"])
        with self.assertRaisesRegex(UserError, "cannot be made public"):
            self.scan.with_user(self.officer).write({"public": True})
        self.assertFalse(self.scan.public)

    def test_uploaded_scans_bound_to_their_document(self):
        upload = (
            self.env["ir.attachment"]
            .with_user(self.officer)
            .create(
                {
                    "name": "upload.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4"),
                    "res_model": "mail.compose.message",
                }
            )
        )
        document = self.create_document(self.supplier)
        document.with_user(self.officer).attachment_ids = upload
        self.assertEqual((upload.res_model, upload.res_id), (document._name, document.id))
        with self.assertRaises(AccessError):
            upload.with_user(self.employee).read(["datas"])
