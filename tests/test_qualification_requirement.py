# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The requirement snapshot the qualification filter reads follows every change of what
it is made of, and the filter finds exactly the partners whose computed state matches."""

import random
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import CreditControlCommon, PartnerQualificationCommon, make_uscc
from .test_performance import QueryCounterMixin

INFINITY = date.max


class RequirementSnapshotMixin:
    def snapshot(self, partner):
        """{document type: best expiry} of ``partner`` in the snapshot."""
        rows = self.env.execute_query(
            SQL(
                "SELECT type_id, best_expiry FROM partner_qualification_requirement WHERE partner_id = %s",
                partner.id,
            )
        )
        types = self.env["partner.qualification.document.type"]
        return {types.browse(type_id): best for type_id, best in rows}

    def assertSnapshotFresh(self):
        """The whole snapshot equals a recomputation from scratch."""
        Partner = self.env["res.partner"]
        stored = set(
            self.env.execute_query(
                SQL("SELECT partner_id, type_id, best_expiry FROM partner_qualification_requirement")
            )
        )
        fresh = set(self.env.execute_query(Partner._qualification_mandatory_sql()))
        self.assertEqual(stored - fresh, set(), "stale rows in the requirement snapshot")
        self.assertEqual(fresh - stored, set(), "rows missing from the requirement snapshot")


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestRequirementSnapshot(RequirementSnapshotMixin, PartnerQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_foreign = cls.env.ref("partner_qualification_credit.document_type_foreign_registration")
        cls.china = cls.env.ref("base.cn")
        cls.usa = cls.env.ref("base.us")

    def test_new_partners(self):
        company = self.env["res.partner"].create(
            {"name": "New Co", "is_company": True, "partner_role": "customer"}
        )
        # Missing until a document is recorded; no country: held to the national licence.
        self.assertEqual(self.snapshot(company), {self.type_licence: None})
        contact = self.env["res.partner"].create({"name": "Mr Wang", "parent_id": company.id})
        self.assertEqual(self.snapshot(contact), {}, "a contact is held through its company")
        foreign = self.env["res.partner"].create(
            {"name": "Acme Inc.", "is_company": True, "country_id": self.usa.id, "partner_role": "both"}
        )
        self.assertEqual(self.snapshot(foreign), {self.type_foreign: None})
        self.assertSnapshotFresh()

    def test_role(self):
        """Only partners with a role somewhere are in the snapshot: the others have no
        state in any company, however many contacts the database holds."""
        partner = self.env["res.partner"].create({"name": "Web shop buyer"})
        self.assertEqual(self.snapshot(partner), {})
        company_b = self.env["res.company"].create({"name": "Sister Company B"})
        partner.with_company(company_b).partner_role = "supplier"
        self.assertEqual(self.snapshot(partner), {self.type_licence: None})
        partner.partner_role = "customer"
        self.assertEqual(self.snapshot(partner), {self.type_licence: None})
        partner.with_company(company_b).partner_role = False
        self.assertEqual(self.snapshot(partner), {self.type_licence: None})
        partner.partner_role = False
        self.assertEqual(self.snapshot(partner), {})
        self.assertSnapshotFresh()

    def test_documents(self):
        licence = self.create_document(self.customer, expiry_date="2027-01-01")
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: date(2027, 1, 1)})
        licence.expiry_date = "2026-05-01"
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: date(2026, 5, 1)})
        licence.action_archive()
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: None})
        renewed = self.create_document(self.customer, expiry_date="2031-01-01")
        licence.action_unarchive()
        # The latest expiry of the active documents counts.
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: date(2031, 1, 1)})
        renewed.unlink()
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: date(2026, 5, 1)})
        # Moved to another partner: both change.
        licence.partner_id = self.supplier
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: None})
        self.assertEqual(self.snapshot(self.supplier), {self.type_licence: date(2026, 5, 1)})
        # Retyped to a type that is not mandatory: it no longer counts.
        licence.write({"type_id": self.type_production.id, "number": "PROD-1"})
        self.assertEqual(self.snapshot(self.supplier), {self.type_licence: None})
        self.assertSnapshotFresh()

    def test_document_without_expiry(self):
        self.type_tax.mandatory = True
        self.create_document(self.customer, self.type_tax, expiry_date=False)
        self.assertEqual(self.snapshot(self.customer)[self.type_tax], INFINITY)
        self.assertSnapshotFresh()

    def test_import(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Imported {i}", "is_company": True, "partner_role": "customer"} for i in range(3)]
        )
        result = self.env["partner.qualification.document"].load(
            ["partner_id/.id", "type_id/.id", "number", "issue_date", "expiry_date"],
            [
                [
                    str(p.id),
                    str(self.type_licence.id),
                    make_uscc(f"91110000{p.id:08d}0"),
                    "2024-01-01",
                    "2030-12-31",
                ]
                for p in partners
            ],
        )
        self.assertEqual(len(result["ids"]), 3, result["messages"])
        for partner in partners:
            self.assertEqual(self.snapshot(partner), {self.type_licence: date(2030, 12, 31)})
        self.assertSnapshotFresh()

    def test_document_types(self):
        self.create_document(self.customer, self.type_tax, expiry_date="2026-06-10")
        self.type_tax.mandatory = True
        self.assertEqual(self.snapshot(self.customer)[self.type_tax], date(2026, 6, 10))
        self.assertIn(self.type_tax, self.snapshot(self.supplier))
        self.type_tax.action_archive()
        self.assertNotIn(self.type_tax, self.snapshot(self.customer))
        self.type_tax.action_unarchive()
        self.assertIn(self.type_tax, self.snapshot(self.customer))
        self.type_tax.mandatory = False
        self.assertNotIn(self.type_tax, self.snapshot(self.customer))
        self.assertSnapshotFresh()
        # A new mandatory type.
        new_type = self.env["partner.qualification.document.type"].create(
            {"name": "Export licence", "code": "export_licence", "mandatory": True}
        )
        self.assertEqual(self.snapshot(self.customer)[new_type], None)
        self.assertSnapshotFresh()

    def test_type_countries(self):
        self.customer.country_id = self.china
        self.supplier.country_id = self.usa
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: None})
        self.assertEqual(self.snapshot(self.supplier), {self.type_foreign: None})
        self.type_licence.country_ids = [Command.set(self.usa.ids)]
        self.assertEqual(self.snapshot(self.customer), {})
        self.assertEqual(self.snapshot(self.supplier), {self.type_licence: None, self.type_foreign: None})
        self.type_licence.country_exclusion = True  # every country but the USA
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: None})
        self.assertEqual(self.snapshot(self.supplier), {self.type_foreign: None})
        self.assertSnapshotFresh()

    def test_partner_country_and_company(self):
        self.create_document(self.customer, expiry_date="2027-01-01")
        self.customer.country_id = self.usa
        self.assertEqual(self.snapshot(self.customer), {self.type_foreign: None})
        self.customer.country_id = self.china
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: date(2027, 1, 1)})
        # A company turned into a contact of another one is held through it.
        self.customer.write({"is_company": False, "parent_id": self.supplier.id})
        self.assertEqual(self.snapshot(self.customer), {})
        self.customer.write({"parent_id": False})
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: date(2027, 1, 1)})
        self.assertSnapshotFresh()

    def test_merge(self):
        duplicate = self.env["res.partner"].create({"name": "Xinhe Trading (dup)", "is_company": True})
        self.create_document(duplicate, number=make_uscc("91330100MA2DUP000"), expiry_date="2028-01-01")
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: None})
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.customer | duplicate).ids, self.customer)
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.snapshot(self.customer), {self.type_licence: date(2028, 1, 1)})
        self.assertSnapshotFresh()

    def test_snapshot_is_internal(self):
        for user in (self.user, self.officer, self.approver, self.credit_manager):
            with self.assertRaises(AccessError):
                self.env["partner.qualification.requirement"].with_user(user).search([], limit=1)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestQualificationSearchMatchesCompute(RequirementSnapshotMixin, PartnerQualificationCommon):
    """Random partners (role, country, contacts) and documents (missing, expired, expiring,
    valid, without expiry): the filter finds, for every state, the partners showing it."""

    STATES = ("ok", "expiring", "expired", "missing", False)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = random.Random(20261130)
        countries = [False, cls.env.ref("base.cn").id, cls.env.ref("base.us").id]
        type_foreign = cls.env.ref("partner_qualification_credit.document_type_foreign_registration")
        # A supplier-only mandatory type with a long notice: the role and the per-type
        # reminder period decide too.
        cls.type_production.write({"mandatory": True, "reminder_days": 90})
        cls.company_b = cls.env["res.company"].create({"name": "Sister Company B"})
        Partner = cls.env["res.partner"]
        cls.partners = Partner.create(
            [
                {
                    "name": f"Random {i}",
                    "is_company": True,
                    "country_id": rng.choice(countries),
                    "partner_role": rng.choice([False, "customer", "supplier", "both"]),
                }
                for i in range(240)
            ]
        )
        for partner in cls.partners:
            role_b = rng.choice([False, "customer", "supplier", "both"])
            if role_b:
                partner.with_company(cls.company_b).partner_role = role_b
        expiries = ["2026-05-01", "2026-06-01", "2026-06-20", "2026-08-15", "2027-06-01", False]
        vals_list = []
        for partner in cls.partners:
            for doc_type in (cls.type_licence, type_foreign, cls.type_production):
                if rng.random() < 0.35:
                    continue
                expiry = rng.choice(expiries)
                if doc_type.has_expiry and not expiry:
                    expiry = "2026-06-02"
                number = (
                    make_uscc(f"91110000{partner.id:08d}0")
                    if doc_type == cls.type_licence
                    else f"{doc_type.code}-{partner.id}"
                )
                vals = {
                    "partner_id": partner.id,
                    "type_id": doc_type.id,
                    "number": number,
                    "issue_date": "2024-01-01",
                    "expiry_date": expiry,
                }
                vals_list.append(vals)
                if expiry and expiry < "2026-06-01" and rng.random() < 0.5:
                    # An expired document beside a renewed one: the latest counts.
                    vals_list.append({**vals, "expiry_date": "2026-05-15", "active": False})
        cls.env["partner.qualification.document"].create(vals_list)
        cls.contacts = Partner.create(
            [{"name": f"Contact {i}", "parent_id": partner.id} for i, partner in enumerate(cls.partners[::7])]
        )
        cls.everyone = cls.partners | cls.contacts

    def _check_search_matches_compute(self, env):
        Partner = env["res.partner"]
        everyone = self.everyone.with_env(env)
        everyone.invalidate_recordset(["qualification_state"])
        computed = {
            state: everyone.filtered(lambda p, s=state: p.qualification_state == s) for state in self.STATES
        }
        self.assertTrue(all(computed.values()), "the random data covers every state")
        base = [("id", "in", everyone.ids)]
        for state in self.STATES:
            self.assertEqual(
                Partner.search(base + [("qualification_state", "=", state)]), computed[state], state
            )
            self.assertEqual(
                Partner.search(base + [("qualification_state", "!=", state)]),
                everyone - computed[state],
                state,
            )
        pair = ["expiring", "missing"]
        self.assertEqual(
            Partner.search(base + [("qualification_state", "in", pair)]),
            computed["expiring"] | computed["missing"],
        )

    def _check_gate_issues_match_documents(self, env):
        """What the gate reads (the snapshot, for partners with a role here) is what
        the documents themselves say, for both sides of the trade."""
        partners = self.partners.with_env(env).sudo()
        today = date(2026, 6, 1)
        for role in ("customer", "supplier"):
            query = partners._qualification_requirement_sql(SQL("p.id IN %s", tuple(partners.ids)), role)
            live = {}
            for partner_id, type_id, _days, best in env.execute_query(query):
                if best is None or best < today:
                    live.setdefault(partner_id, set()).add((type_id, best))
            gate = {
                partner_id: {(doc_type.id, best) for doc_type, _state, best in issues}
                for partner_id, issues in partners._get_document_issues_by_partner(role).items()
                if issues
            }
            self.assertTrue(live, "the random data has partners with missing or expired documents")
            self.assertEqual(gate, live, role)

    def test_gate_issues_match_documents(self):
        self._check_gate_issues_match_documents(self.env)
        self._check_gate_issues_match_documents(
            self.env(context=dict(self.env.context, allowed_company_ids=[self.company_b.id]))
        )

    def test_search_matches_compute(self):
        self.assertSnapshotFresh()
        self._check_search_matches_compute(self.env)
        self._check_search_matches_compute(
            self.env(context=dict(self.env.context, allowed_company_ids=[self.company_b.id]))
        )

    def test_search_matches_compute_after_changes(self):
        rng = random.Random(7)
        documents = self.partners.qualification_document_ids
        documents[::5].action_archive()
        for document in documents[1::6]:
            document.expiry_date = rng.choice(["2026-05-20", "2026-06-05", "2026-07-25", "2028-01-01"])
        documents[2::9].unlink()
        self.partners[3::8].country_id = self.env.ref("base.us")
        self.partners[4::11].country_id = False
        self.type_production.reminder_days = 10
        self.type_licence.country_ids = [Command.set(self.env.ref("base.us").ids)]
        self.assertSnapshotFresh()
        self._check_search_matches_compute(self.env)
        self._check_gate_issues_match_documents(self.env)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestQualificationSearchAccess(PartnerQualificationCommon):
    def test_filter_needs_the_register_groups(self):
        employee = new_test_user(self.env, "pqc_req_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(employee).search([("qualification_state", "=", "missing")])
        found = self.env["res.partner"].with_user(self.user).search([("qualification_state", "=", "missing")])
        self.assertIn(self.customer, found)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestRequirementSnapshotUntouchedByAccounting(QueryCounterMixin, CreditControlCommon):
    """Invoices and payments change nothing the snapshot is made of: they write neither on
    partners nor on the snapshot."""

    def _writes(self, func):
        pattern = r'(UPDATE|INSERT INTO|DELETE FROM)\s+"?(res_partner|partner_qualification_requirement)"?\b'
        return self.logged_queries(func, pattern=pattern, cold=False, precommit=False)

    def test_invoice_post_and_payment(self):
        self.set_limit(self.customer, 100000.0)
        # Odoo itself writes the rank of a partner's first invoice; later ones go post-commit.
        self.customer.customer_rank = 1
        invoice = self.customer_invoice(1000.0, post=False)
        self.assertEqual(self._writes(invoice.action_post), [])

        def pay():
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({}).action_create_payments()

        self.assertEqual(self._writes(pay), [])
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
