# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import formatLang

from ..models.res_partner import UNINDEXED_FIELDS
from .common import CreditControlCommon
from .test_performance import QueryCounterMixin


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditDecisionStatement(QueryCounterMixin, CreditControlCommon):
    """What the gate reads besides the partner's fields comes from one statement:
    exposure, temporary limits, documents, prohibited list and lock together."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_admission_required = True
        cls.company.partner_block_invalid_documents = True
        cls.set_limit(cls.customer, 10000.0)

    def _prepared(self, order, lock):
        partner = self.customer.with_company(self.company).sudo()
        # Warm-up: what the order being checked has read already (its partner, company,
        # currency, the user's time zone) and the grades' cache.
        partner._prepare_transaction_data(order, "customer")
        self.env.flush_all()
        with self.assertQueryCount(1):
            return partner._prepare_transaction_data(order, "customer", lock=lock)

    def test_one_statement_reads_every_rule_and_takes_the_lock(self):
        order = self.sale_order(qty=1)
        self.env["partner.credit.limit.temporary"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "amount": 500.0,
                "date_end": "2026-03-31",
                "reason": "Season",
            }
        )
        self.env["partner.prohibited.entry"].create(
            {"name": "Someone Else", "number": "91110000MA0000000X", "source": "group"}
        )
        self.customer.qualification_document_ids.expiry_date = "2026-03-01"
        self.env.invalidate_all()
        data = self._prepared(order, lock=True)
        self.assertEqual(data["limits"][self.customer.id], (10500.0, False))
        self.assertEqual(
            [(t.code, state) for t, state, _d in data["issues"][self.customer.id]],
            [("business_licence", "expired")],
        )
        self.assertFalse(data["prohibited"])
        self.assertEqual(data["lock"], (True, False))
        self.assertEqual(data["exposure"][self.customer.id]["documents"], {order.id: 110.0})
        self.assertIsNone(data["released"], "releases are read on refusal only")

    def test_no_lock_without_a_credit_limit(self):
        self.company.partner_credit_limit_required = False
        self.set_limit(self.customer, 0.0)
        data = self._prepared(self.sale_order(qty=1), lock=True)
        self.assertEqual(data["limits"][self.customer.id], (0.0, True))
        self.assertIsNone(data["lock"])
        self.assertFalse(
            self.env["partner.credit.lock"].search_count([("partner_id", "=", self.customer.id)]),
            "an unlimited partner is not serialised",
        )

    def test_lock_held_elsewhere_is_a_conflict(self):
        order = self.sale_order(qty=1)
        partner = self.customer.with_company(self.company).sudo()
        data = partner._prepare_transaction_data(order, "customer", lock=True)
        self.assertEqual(data["lock"], (True, False))
        Lock = self.env["partner.credit.lock"].with_company(self.company)
        with self.assertRaises(Exception) as conflict:
            Lock._check_acquired(partner, (False, False))
        self.assertIn("in progress elsewhere", str(conflict.exception))

    def test_grade_change_is_seen_by_the_next_check(self):
        """The grades' rule values are cached: every change of a grade reaches the gate."""
        order = self.sale_order(qty=1)
        self.assertEqual(order.credit_warning_level, "info")
        self.grade_c.policy = "block"
        order.invalidate_recordset()
        self.assertEqual(order.credit_warning_level, "danger")
        with self.assertRaisesRegex(UserError, "cooperation has ended"):
            order.action_confirm()
        self.grade_c.policy = "allow"
        self.grade_c.with_company(self.company).max_payment_term_days = 1
        order.payment_term_id = self.env.ref("account.account_payment_term_30days")
        with self.assertRaisesRegex(UserError, "payment terms of at most 1 days"):
            order.action_confirm()

    def test_company_row_is_not_read(self):
        """The settings the check reads are cached (the currency's rounding included):
        a fresh request checking an order reads the partner's fields and runs the
        statement, nothing else: not the company's wide row, not the currency's."""
        order = self.sale_order(qty=1)
        partner = self.customer.with_company(self.company).sudo()
        partner._prepare_transaction_data(order, "customer", lock=True)

        def check():
            # The order checked is in the request's cache: it was just written.
            order.sudo().fetch(["partner_invoice_id", "state", "company_id", "credit_open_amount"])
            return partner._prepare_transaction_data(order, "customer", lock=True)

        queries = self.logged_queries(check, precommit=False)
        queries = [q for q in queries if not q.startswith('SELECT "sale_order"')]
        self.assertEqual(len(queries), 2, [q[:60] for q in queries])
        wide_rows = ('SELECT "res_company"', 'SELECT "res_currency"')
        self.assertEqual([q for q in queries if q.startswith(wide_rows)], [])

    def test_rule_fields_are_read_as_each_company_sees_them(self):
        """The rules' partner fields come from one query of their own, as each company
        sees them: its own value, else its fallback (``ir.default``), a changed
        fallback included; then from the cache."""
        sister = self.env["res.company"].create({"name": "Sister Co"})
        partner = self.env["res.partner"].create({"name": "Fallback Trading", "is_company": True})
        Default = self.env["ir.default"]
        Default.set("res.partner", "partner_role", "supplier", company_id=self.company.id)
        Default.set("res.partner", "credit_limit", 700.0, company_id=sister.id)
        partner.with_company(sister).sudo().partner_role = "both"

        def read(company):
            rules = partner.with_company(company).sudo()
            rules._prefetch_transaction_fields()  # the company's columns, built once
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(1):
                rules._prefetch_transaction_fields()
            with self.assertQueryCount(0):
                return rules.partner_role, rules.credit_limit, rules.admission_state

        self.assertEqual(read(self.company), ("supplier", 0.0, "none"))
        self.assertEqual(read(sister), ("both", 700.0, "none"))
        Default.set("res.partner", "partner_role", "customer", company_id=self.company.id)
        self.assertEqual(read(self.company)[0], "customer", "a changed fallback is seen")

    def test_line_edit_reads_the_rule_fields_only(self):
        """A quotation's line edit reads, of the partner, the rules' fields only (its
        commercial partner included), not the partner's whole row, which the form did
        not ask for."""
        # With the language and time zone in the context, as the web client sends them.
        order = self.sale_order(qty=1).with_user(self.user).with_context(lang="en_US", tz="UTC")
        line = order.order_line[:1]
        spec = {
            "credit_warning": {},
            "credit_warning_level": {},
            "order_line": {"fields": {"product_uom_qty": {}, "price_subtotal": {}}},
        }

        def edit():
            return order.onchange(
                {"order_line": [Command.update(line.id, {"product_uom_qty": 7})]}, ["order_line"], spec
            )

        edit()  # warm-up: the caches of settings, grades and columns
        queries = self.logged_queries(edit, precommit=False)
        partner_reads = [query for query in queries if query.startswith('SELECT "res_partner"')]
        self.assertEqual(len(partner_reads), 1, [query[:120] for query in partner_reads])
        self.assertIn("admission_state", partner_reads[0])
        self.assertEqual(len([query for query in queries if "credit_contacts" in query]), 1)
        self.assertIn("770.00", edit()["value"]["credit_warning"], "the banner shows the edited amount")

    def test_amounts_are_formatted_as_the_currency_says(self):
        """Banners and refusals print amounts as ``formatLang`` does with the company's
        currency, from the settings' cache, which follows every change of the currency."""
        Partner = self.env["res.partner"]
        currency = self.company.currency_id

        def expected(amount):
            return formatLang(self.env, amount, currency_obj=currency)

        self.assertEqual(Partner._format_credit_amount(1234567.891), expected(1234567.891))
        currency.write({"symbol": "¤", "position": "after", "rounding": 1.0})
        self.assertEqual(currency.decimal_places, 0)
        self.assertEqual(Partner._format_credit_amount(1234567.891), expected(1234567.891))
        self.assertIn("¤", Partner._format_credit_amount(5.0))
        currency.write({"position": "before"})
        self.assertTrue(Partner._format_credit_amount(5.0).startswith("¤"))

    def _statement_reads(self, order, table):
        partner = self.customer.with_company(self.company).sudo()
        queries = self.logged_queries(
            partner._prepare_transaction_data, order, "customer", lock=True, pattern="credit_contacts"
        )
        self.assertEqual(len(queries), 1)
        return table in queries[0]

    def test_grants_are_read_for_granted_partners_only(self):
        """The statement reads the temporary increases of a partner that has one only:
        granted, revoked and expired, each reaches the next check."""
        order = self.sale_order(qty=100)  # 11,000 over the limit of 10,000
        self.assertFalse(self._statement_reads(order, "partner_credit_limit_temporary"))
        Temporary = self.env["partner.credit.limit.temporary"].with_user(self.credit_manager)
        grant = Temporary.create(
            {"partner_id": self.customer.id, "amount": 2000.0, "date_end": "2026-03-31", "reason": "Peak"}
        )
        self.assertTrue(self._statement_reads(order, "partner_credit_limit_temporary"))
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        grant.action_revoke()
        self.assertFalse(self._statement_reads(order, "partner_credit_limit_temporary"))
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            self.sale_order(qty=1).action_confirm()
        Temporary.create(
            {"partner_id": self.customer.id, "amount": 5000.0, "date_end": "2026-03-02", "reason": "Day"}
        )
        self.sale_order(qty=1).action_confirm()
        with freeze_time("2026-03-03"):
            Temporary._cron_expire()
            self.assertFalse(self._statement_reads(order, "partner_credit_limit_temporary"))
            with self.assertRaisesRegex(UserError, "over its credit limit"):
                self.sale_order(qty=1).action_confirm()

    def test_gate_reads_releases_on_refusal_only(self):
        """A check that passes reads no release; a refused order a credit manager
        released passes, its release read then."""
        order = self.sale_order(qty=1)
        self.assertFalse(self._statement_reads(order, "partner_credit_release"))
        big = self.sale_order(qty=100)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            big.action_confirm()
        wizard = (
            self.env["partner.credit.release.confirm"]
            .with_user(self.finance)
            .create({"sale_order_id": big.id, "reason": "Bank guarantee received"})
        )
        wizard.action_release_confirm()
        self.assertEqual(big.state, "sale")
        self.assertTrue(self.env["partner.credit.release"].search([("sale_order_id", "=", big.id)]))

    def test_company_row_is_read_without_the_settings(self):
        """Odoo reads a company's row in nearly every request: the addon's settings are
        not in it (their own prefetch group), they are read with the settings form."""
        company = self.company.sudo()
        company.invalidate_recordset()
        queries = self.logged_queries(lambda: company.name, precommit=False)
        self.assertEqual(len(queries), 1)
        self.assertIn('"res_company"."currency_id"', queries[0])
        for field in (
            "partner_credit_receivable",
            "evaluation_interval_core",
            "complaint_response_days_other",
        ):
            self.assertNotIn(f'"res_company"."{field}"', queries[0])
        settings = company.read(["partner_credit_receivable", "evaluation_interval_core"])[0]
        self.assertTrue(settings["partner_credit_receivable"])
        self.assertEqual(settings["evaluation_interval_core"], 6)

    def test_partner_table_keeps_the_indexes_searches_use(self):
        """The company-dependent fields no search narrows by have no index (each one
        costs every query planned on the partners and every partner written)."""
        self.cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner'")
        indexes = {row[0] for row in self.cr.fetchall()}
        for fname in UNINDEXED_FIELDS:
            self.assertNotIn(f"res_partner__{fname}_index", indexes)
        for fname in ("admission_state", "partner_role", "qualification_grade_id", "credit_hold"):
            self.assertIn(f"res_partner__{fname}_index", indexes)
        approved = self.env["res.partner"].search([("admission_state", "=", "approved")])
        self.assertIn(self.customer, approved)

    def test_lock_rows_of_deleted_partners_are_collected(self):
        """The lock rows hold plain ids (no foreign key to check at each partner's
        first check): those of deleted partners go with the daily clean-up."""
        gone = self.env["res.partner"].create({"name": "Gone Ltd", "is_company": True})
        Lock = self.env["partner.credit.lock"].sudo()
        rows = Lock.create(
            [
                {"company_id": self.company.id, "partner_id": gone.id},
                {"company_id": self.company.id, "partner_id": self.customer.id},
            ]
        )
        gone.unlink()
        Lock._gc_orphans()
        self.assertEqual(rows.exists().mapped("partner_id"), [self.customer.id])

    def test_setting_change_is_seen_by_the_next_check(self):
        """Every change of a company setting reaches the next check."""
        order = self.sale_order(qty=1)
        self.customer.qualification_document_ids.expiry_date = "2026-03-01"
        with self.assertRaisesRegex(UserError, "qualification documents"):
            order.action_confirm()
        self.company.partner_block_invalid_documents = False
        self.company.partner_credit_limit_required = False
        self.set_limit(self.customer, 0.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.company.partner_credit_limit_required = True
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            self.sale_order(qty=1).action_confirm()

    def test_order_checked_is_written_once_after_the_statement(self):
        """Confirming writes the order once, with the rest of the transaction: the gate
        measures it from what the balances held before its write instead of writing it
        before the statement."""
        order = self.sale_order(qty=1)
        queries = self.logged_queries(order.action_confirm, precommit=False)
        statement = next(i for i, query in enumerate(queries) if "credit_contacts" in query)
        updates = [i for i, query in enumerate(queries) if query.split()[:2] == ["UPDATE", '"sale_order"']]
        self.assertEqual(order.state, "sale")
        self.assertTrue(updates)
        self.assertGreater(min(updates), statement, "the order was written before the statement")

    def test_pending_changes_of_other_orders_are_counted(self):
        """Only the order checked is left unwritten: an order of the same partner
        lowered earlier in the transaction (not checked again) counts at its new amount
        in the balances the statement reads."""
        first = self.sale_order(qty=6)
        first.action_confirm()
        second = self.sale_order(qty=5)
        self.env.flush_all()
        unit = second.amount_total / 5
        # 6 + 5 units are over the limit, 3 + 5 within.
        self.set_limit(self.customer, unit * 8.5)
        first.order_line.product_uom_qty = 3
        second.action_confirm()
        self.assertEqual(second.state, "sale")
        self.assertAlmostEqual(self.exposure()["sale_order"], unit * 8, places=2)
        # Lowered again in the same transaction: room for 2 more units.
        first.order_line.product_uom_qty = 1
        third = self.sale_order(qty=2)
        third.action_confirm()
        self.assertEqual(third.state, "sale")
        with self.assertRaises(UserError):
            self.sale_order(qty=1).action_confirm()


@tagged("post_install", "-at_install")
class TestDocumentNumberKey(CreditControlCommon):
    """The key the prohibited list is matched on is computed from the number: a client
    sending it would hide a listed number."""

    def test_number_key_cannot_be_forged(self):
        officer = self.officer
        Document = self.env["partner.qualification.document"].with_user(officer)
        partner = self.env["res.partner"].create({"name": "Keyed Co", "is_company": True})
        vals = {
            "partner_id": partner.id,
            "type_id": self.env.ref("partner_qualification_credit.document_type_business_licence").id,
            "number": self.uscc_customer,
            "issue_date": "2024-01-01",
            "expiry_date": "2099-12-31",
        }
        with self.assertRaises(AccessError):
            Document.create(dict(vals, number_key="NOTLISTED"))
        with self.assertRaises(AccessError):
            Document.with_context(default_number_key="NOTLISTED").create(vals)
        document = Document.create(vals)
        self.assertEqual(document.number_key, self.uscc_customer)
        with self.assertRaises(AccessError):
            document.write({"number_key": "NOTLISTED"})
        document.number = self.uscc_customer.lower()
        self.assertEqual(document.number_key, self.uscc_customer)
