# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import PartnerQualificationCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestQualificationState(PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.p_ok = Partner.create({"name": "OK Co", "is_company": True, "partner_role": "customer"})
        cls.p_expiring = Partner.create(
            {"name": "Expiring Co", "is_company": True, "partner_role": "supplier"}
        )
        cls.p_expired = Partner.create({"name": "Expired Co", "is_company": True, "partner_role": "both"})
        cls.p_missing = Partner.create({"name": "Missing Co", "is_company": True, "partner_role": "customer"})
        cls.p_no_role = Partner.create({"name": "No role Co", "is_company": True})
        codes = {
            cls.p_ok: "91330100MA2OK0000",
            cls.p_expiring: "91330100MA2EX0001",
            cls.p_expired: "91330100MA2EX0002",
        }
        from .common import make_uscc

        cls.create_document(
            cls.p_ok, number=make_uscc(codes[cls.p_ok].replace("O", "0")), expiry_date="2027-01-01"
        )
        cls.create_document(cls.p_expiring, number=make_uscc(codes[cls.p_expiring]), expiry_date="2026-06-10")
        cls.create_document(cls.p_expired, number=make_uscc(codes[cls.p_expired]), expiry_date="2026-05-01")
        cls.all_partners = cls.p_ok | cls.p_expiring | cls.p_expired | cls.p_missing | cls.p_no_role

    def test_state_per_partner(self):
        self.all_partners.invalidate_recordset(["qualification_state"])
        self.assertEqual(self.p_ok.qualification_state, "ok")
        self.assertEqual(self.p_expiring.qualification_state, "expiring")
        self.assertEqual(self.p_expired.qualification_state, "expired")
        self.assertEqual(self.p_missing.qualification_state, "missing")
        # Without a role nothing is mandatory yet: no state, never "Documents OK".
        self.assertFalse(self.p_no_role.qualification_state)

    def test_contacts_show_their_company_state(self):
        contact = self.env["res.partner"].create({"name": "Ms Li", "parent_id": self.p_expired.id})
        self.assertEqual(contact.qualification_state, "expired")

    def test_state_follows_documents(self):
        licence = self.p_expired.qualification_document_ids
        licence.expiry_date = "2030-01-01"
        self.assertEqual(self.p_expired.qualification_state, "ok")
        licence.active = False
        self.assertEqual(self.p_expired.qualification_state, "missing")
        # A non-mandatory document does not satisfy the requirement.
        self.create_document(self.p_expired, self.type_tax, expiry_date=False)
        self.assertEqual(self.p_expired.qualification_state, "missing")

    def test_search_filters(self):
        Partner = self.env["res.partner"]
        domain = [("id", "in", self.all_partners.ids)]

        def found(state, operator="="):
            return Partner.search(domain + [("qualification_state", operator, state)])

        self.assertEqual(found("expired"), self.p_expired)
        self.assertEqual(found("expiring"), self.p_expiring)
        self.assertEqual(found("missing"), self.p_missing)
        self.assertEqual(found("ok"), self.p_ok)
        self.assertEqual(found(False), self.p_no_role)
        self.assertEqual(found(["expired", "missing"], "in"), self.p_expired | self.p_missing)
        self.assertEqual(found(["ok", "missing"], "in"), self.p_ok | self.p_missing)
        self.assertEqual(
            found("ok", "!="), self.p_expiring | self.p_expired | self.p_missing | self.p_no_role
        )
        self.assertEqual(found(False, "!="), self.all_partners - self.p_no_role)

    def test_role_is_per_company(self):
        company_b = self.env["res.company"].create({"name": "Sister Company B"})
        self.assertFalse(self.p_ok.with_company(company_b).qualification_state)
        self.p_ok.sudo().with_company(company_b).partner_role = "supplier"
        self.assertEqual(self.p_ok.with_company(company_b).qualification_state, "ok")
        self.assertEqual(self.p_ok.qualification_state, "ok")

    def _count_state_queries(self, partners):
        partners.invalidate_recordset(["qualification_state"])
        self.env.flush_all()
        before = self.cr.sql_log_count
        partners.mapped("qualification_state")
        return self.cr.sql_log_count - before

    def test_state_compute_query_count_is_constant(self):
        self._count_state_queries(self.all_partners)  # warm up the other fields' cache
        one = self._count_state_queries(self.p_ok)
        many = self._count_state_queries(self.all_partners)
        self.assertEqual(one, many, "One query for the whole batch, whatever its size")
        self.assertLessEqual(many, 2)
