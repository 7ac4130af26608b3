# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import file_open, mute_logger

from .common import PartnerQualificationCommon, make_uscc
from .test_admission_request import AdmissionCommon

IMPORT_FIELDS = ["name", "number", "country_code", "source", "reason", "listed_date"]


@tagged("post_install", "-at_install")
class TestProhibitedList(PartnerQualificationCommon):
    """The group's prohibited list: imported in one go, matched by number or name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Entry = cls.env["partner.prohibited.entry"]
        cls.listed_code = make_uscc("91440300MA5D00000")

    def _rows(self, count, offset=0):
        return [
            [
                f"Listed Trading {i} Co. Ltd.",
                make_uscc(f"91440300MA5D{i:05d}"),
                "CN",
                "group",
                "Fraud",
                "2026-01-15",
            ]
            for i in range(offset, offset + count)
        ]

    def _load(self, rows):
        result = self.Entry.with_user(self.officer).load(IMPORT_FIELDS, rows)
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        return self.Entry.browse(result["ids"])

    def test_import_runs_no_query_per_row(self):
        self._load(self._rows(2))
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._load(self._rows(5, offset=10))
        small = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        entries = self._load(self._rows(50, offset=100))
        large = self.env.cr.sql_log_count - before
        self.assertEqual(len(entries), 50)
        self.assertEqual(large, small, "importing 50 rows takes as many queries as 5")
        self.assertEqual(entries.listed_by_id, self.officer)
        self.assertEqual(set(entries.mapped("source")), {"group"})
        self.assertEqual(entries.country_id, self.env.ref("base.cn"))

    def test_sample_file_imports(self):
        with file_open("partner_qualification_credit/data/partner_prohibited_entry_sample.csv") as sample:
            lines = [line.rstrip("\n").split(",") for line in sample]
        self.assertEqual(lines[0], IMPORT_FIELDS)
        entries = self._load(lines[1:])
        self.assertEqual(len(entries), len(lines) - 1)
        self.assertEqual(entries[0].country_id, self.env.ref("base.cn"))

    def test_unknown_country_code_refused(self):
        result = self.Entry.with_user(self.officer).load(
            IMPORT_FIELDS, [["Listed Co", self.listed_code, "XX", "group", "", "2026-01-15"]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("Unknown country code(s) XX", result["messages"][0]["message"])

    @mute_logger("odoo.sql_db")
    def test_duplicate_number_refused_cleanly(self):
        self._load([["Listed Co", self.listed_code, "CN", "group", "", "2026-01-15"]])
        result = self.Entry.with_user(self.officer).load(
            IMPORT_FIELDS, [["Listed Co again", self.listed_code.lower(), "CN", "group", "", "2026-01-16"]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("already on the prohibited list", result["messages"][0]["message"])

    def test_match_by_compacted_number_or_normalised_name(self):
        entry = self.Entry.create(
            {"name": "Listed Trading Co., Ltd.", "number": self.listed_code, "source": "group"}
        )
        self.customer.vat = " ".join([self.listed_code[:6], self.listed_code[6:]]).lower()
        by_name = self.env["res.partner"].create({"name": "LISTED  trading co ltd", "is_company": True})
        self.supplier.country_id = self.env.ref("base.us")
        matches = self.Entry._get_matches(self.customer | by_name | self.supplier)
        self.assertEqual(matches, {self.customer.id: entry, by_name.id: entry})
        # A licence number recorded on the partner counts too.
        self.customer.vat = False
        self.create_document(self.customer, number=self.listed_code)
        self.assertEqual(self.customer._get_prohibited_entries(), entry)
        # A name listed for another country does not match.
        entry.country_id = self.env.ref("base.cn")
        by_name.country_id = self.env.ref("base.us")
        self.assertFalse(by_name._get_prohibited_entries())
        entry.action_archive()
        self.assertFalse(self.customer._get_prohibited_entries())

    def test_matching_is_one_query_for_a_batch(self):
        self.Entry.create({"name": "Listed Trading Co., Ltd.", "number": self.listed_code, "source": "group"})
        partners = self.env["res.partner"].create(
            [{"name": f"Batch Partner {i}", "is_company": True, "vat": f"CN{i:05d}"} for i in range(30)]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(4):  # partners, identity documents, entries (+ flush)
            self.Entry._get_matches(partners)

    def test_add_e_graded_partner_to_the_list(self):
        self.customer.vat = self.uscc_customer
        self.admit(self.customer, self.grade_e)
        self.admit(self.supplier, self.grade_c)
        with self.assertRaisesRegex(UserError, "not graded with a blocking grade"):
            (self.customer | self.supplier).with_user(self.officer).action_add_to_prohibited_list()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user).action_add_to_prohibited_list()
        self.customer.with_user(self.officer).action_add_to_prohibited_list()
        entry = self.customer._get_prohibited_entries()
        self.assertRecordValues(
            entry, [{"number": self.uscc_customer, "source": "own", "listed_by_id": self.officer.id}]
        )
        self.assertIn("Graded E", entry.reason)
        # A second time changes nothing.
        self.customer.with_user(self.officer).action_add_to_prohibited_list()
        self.assertEqual(self.customer._get_prohibited_entries(), entry)

    def test_access(self):
        entry = self.Entry.create({"name": "Listed Co", "number": self.listed_code, "source": "group"})
        with self.assertRaises(AccessError):
            entry.with_user(self.user).read(["name"])
        self.assertEqual(entry.with_user(self.credit_manager).name, "Listed Co")
        with self.assertRaises(AccessError):
            entry.with_user(self.credit_manager).write({"reason": "x"})
        with self.assertRaises(AccessError):
            self.Entry.with_user(self.user).create({"name": "Someone"})
        # Who listed it is recorded, not chosen by the client.
        forged = self.Entry.with_user(self.officer).create(
            {"name": "Someone", "listed_by_id": self.approver.id, "source": "own"}
        )
        self.assertEqual(forged.listed_by_id, self.officer)
        forged.with_user(self.officer).write({"listed_by_id": self.approver.id})
        self.assertEqual(forged.listed_by_id, self.officer)


@tagged("post_install", "-at_install")
class TestProhibitedGate(AdmissionCommon):
    """An entry of the group's list stops the admission of the entity and, at once, the
    orders of a partner already admitted with the same number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False  # credit is tested on its own
        cls.product = cls.env["product.product"].create({"name": "Steel coil", "list_price": 100.0})
        cls.create_document(cls.customer)

    def _import_entry(self, number, name="Listed by the group"):
        result = (
            self.env["partner.prohibited.entry"]
            .with_user(self.officer)
            .load(IMPORT_FIELDS, [[name, number, "CN", "group", "Contract fraud", "2026-01-15"]])
        )
        return self.env["partner.prohibited.entry"].browse(result["ids"])

    def _sale(self):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )

    def test_imported_entry_blocks_admission(self):
        entry = self._import_entry("-".join([self.uscc_customer[:8], self.uscc_customer[8:]]))
        request = self.make_request()
        self.assertCheck(request, "prohibited", "fail", entry.name)
        self.assertTrue(request.check_blocking)
        with self.assertRaisesRegex(UserError, "prohibited-list or document check"):
            self.review(request)

    def test_number_on_a_request_document_is_checked_too(self):
        self.customer.vat = False
        self.customer.qualification_document_ids.unlink()
        request = self.make_request(submit=False)
        request.with_user(self.user).write(
            {
                "document_line_ids": [
                    Command.create(
                        {
                            "type_id": self.type_licence.id,
                            "number": self.uscc_customer,
                            "expiry_date": "2031-01-01",
                        }
                    )
                ]
            }
        )
        entry = self._import_entry(self.uscc_customer)
        request.with_user(self.user).action_submit()
        self.assertCheck(request, "prohibited", "fail", entry.name)

    def test_imported_entry_blocks_orders_of_admitted_partner(self):
        self.admit(self.customer)
        self.customer.sudo().partner_role = "customer"
        sale = self._sale()
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")
        self._import_entry(self.uscc_customer.lower())
        blockers = self.customer._get_transaction_blockers(None, "customer")
        self.assertEqual([b.kind for b in blockers], ["prohibited"])
        self.assertFalse(blockers[0].releasable)
        second = self._sale()
        with self.assertRaisesRegex(UserError, "is on the prohibited list"):
            second.action_confirm()
        self.assertEqual(second.state, "draft")

    def test_archived_and_restored_entry_reaches_the_gate(self):
        """The engine skips matching while no entry is active (registry cache): the
        first entry, its archiving and its restoring are each seen by the next check."""
        self.admit(self.customer)
        self.customer.sudo().partner_role = "customer"
        Entry = self.env["partner.prohibited.entry"]
        Entry.search([]).action_archive()
        self.assertFalse(Entry._has_active_entries())
        self._sale().action_confirm()
        entry = self._import_entry(self.uscc_customer)
        with self.assertRaisesRegex(UserError, "is on the prohibited list"):
            self._sale().action_confirm()
        entry.with_user(self.officer).action_archive()
        sale = self._sale()
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")
        entry.with_user(self.officer).action_unarchive()
        with self.assertRaisesRegex(UserError, "is on the prohibited list"):
            self._sale().action_confirm()
