# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query budgets of the mass operations: the number of queries must not follow the
number of records (reminder cron, submit/approve all, imports) and the qualification
search is one query whatever the number of partners."""

import re
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.partner_evaluation import SCORE_FIELDS
from .common import PartnerQualificationCommon, make_uscc

# Batched work still grows by a few queries per chunk (the ORM inserts 100 rows per
# INSERT; mass activities and messages are created 200 per create()): a fraction of a query
# per record. A per-record query costs 1 or more per record (the old cron: 4 per document).
MAX_QUERIES_PER_EXTRA_RECORD = 0.5
DOCUMENT_TABLE = r'\bpartner_qualification_document\b"?(?!_)'


class QueryCounterMixin:
    def logged_queries(self, func, *args, pattern=None, cold=True, precommit=True, **kwargs):
        """The queries ``func`` runs (only those matching the regular expression
        ``pattern`` if given), pending writes flushed, from a cold cache unless ``cold``
        is false, the pre-commit hooks (tracking) included unless ``precommit`` is false."""
        self.env.flush_all()
        if cold:
            self.env.invalidate_all()
        queries = []
        execute = self.cr.execute

        def logged_execute(query, params=None, log_exceptions=True):
            queries.append(query.code if isinstance(query, SQL) else str(query))
            return execute(query, params, log_exceptions)

        with patch.object(self.cr, "execute", logged_execute):
            func(*args, **kwargs)
            self.env.flush_all()
            if precommit:
                self.env.cr.precommit.run()  # the tracking (chatter trail) is written here
        if pattern:
            queries = [query for query in queries if re.search(pattern, query)]
        return queries

    def count_queries(self, func, *args, pattern=None, **kwargs):
        """Number of ``logged_queries``: two calls over different numbers of records are
        then comparable."""
        return len(self.logged_queries(func, *args, pattern=pattern, **kwargs))

    def assertNotProportional(self, counts, message):
        """``counts``: {number of records: queries}, two entries."""
        (small, small_count), (large, large_count) = sorted(counts.items())
        self.assertLessEqual(
            large_count - small_count,
            (large - small) * MAX_QUERIES_PER_EXTRA_RECORD,
            f"{message}: {counts}",
        )


@tagged("post_install", "-at_install")
class TestReminderCronPerformance(QueryCounterMixin, PartnerQualificationCommon):
    def _create_due_documents(self, count, expiry_date="2026-03-01"):
        partners = self.env["res.partner"].create(
            [{"name": f"Reminded {i}", "is_company": True} for i in range(count)]
        )
        return self.env["partner.qualification.document"].create(
            [
                {
                    "partner_id": partner.id,
                    "type_id": self.type_tax.id,
                    "number": f"TAX-{partner.id}",
                    "issue_date": "2024-01-01",
                    "expiry_date": expiry_date,
                }
                for partner in partners
            ]
        )

    def _new_messages(self, since_id):
        return self.env["mail.message"].search([("id", ">", since_id)])

    def test_cron_queries_do_not_follow_due_documents(self):
        Document = self.env["partner.qualification.document"]
        officers = self.env.ref("partner_qualification_credit.group_officer").all_user_ids
        with freeze_time("2026-02-20"):
            # Warm-up: ormcaches, mail layout, activity types.
            self._create_due_documents(3)
            Document._cron_document_reminders()
            counts = {}
            for count in (15, 150):
                documents = self._create_due_documents(count)
                last_message = self.env["mail.message"].search([], order="id desc", limit=1).id
                counts[count] = self.count_queries(Document._cron_document_reminders)
                activities = self.env["mail.activity"].search(
                    [("res_model", "=", Document._name), ("res_id", "in", documents.ids)]
                )
                self.assertEqual(len(activities), count * len(officers))
                self.assertEqual(
                    set(activities.activity_type_id.mapped("name")), {"Qualification Document Expiring"}
                )
                self.assertEqual(set(documents.mapped("reminder_state")), {"expiring"})
                # One digest per responsible user, not one e-mail per activity.
                digests = self._new_messages(last_message).filtered(lambda m: m.model != "mail.activity")
                self.assertEqual(len(digests), len(officers))
                self.assertEqual(digests.partner_ids, officers.partner_id)
            self.assertNotProportional(counts, "the cron's queries follow the number of due documents")

    def test_cron_refreshes_states_in_one_pass(self):
        Document = self.env["partner.qualification.document"]
        with freeze_time("2026-01-01"):
            documents = self._create_due_documents(4, expiry_date="2026-02-15")
            documents[1].expiry_date = "2027-06-01"
            self.assertEqual(set(documents.mapped("state")), {"valid"})
        with freeze_time("2026-02-20"):
            Document._cron_document_reminders()
            self.assertEqual(documents.mapped("state"), ["expired", "valid", "expired", "expired"])
            self.assertEqual(documents.mapped("reminder_state"), ["expired", False, "expired", "expired"])
            # A reminded document back to valid (longer period, corrected date) starts over.
            documents[0].sudo().with_context(tracking_disable=True)._write({"expiry_date": "2028-01-01"})
            Document._cron_document_reminders()
            self.assertEqual(documents[0].state, "valid")
            self.assertFalse(documents[0].reminder_state)


@tagged("post_install", "-at_install")
class TestEvaluationWorkflowPerformance(QueryCounterMixin, PartnerQualificationCommon):
    def _campaign(self, count):
        category = self.env["res.partner.category"].create({"name": f"Campaign of {count}"})
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Evaluated {count}-{i}",
                    "is_company": True,
                    "partner_role": "customer",
                    "category_id": [category.id],
                }
                for i in range(count)
            ]
        )
        self.admit(partners)
        campaign = (
            self.env["partner.evaluation.campaign"]
            .with_user(self.officer)
            .create(
                {
                    "name": f"Campaign of {count}",
                    "date_from": "2026-01-01",
                    "date_to": "2026-06-30",
                    "scope": "customer",
                    "category_ids": [category.id],
                    "fallback_evaluator_id": self.officer.id,
                }
            )
        )
        return campaign

    def _started_campaign(self, count):
        campaign = self._campaign(count)
        campaign.action_start()
        # The start is its own transaction: records created in a transaction are not
        # tracked before it commits (core's mail.thread).
        self.env.cr.precommit.run()
        self.assertEqual(len(campaign.evaluation_ids), count)
        return campaign

    def _scored_campaign(self, count):
        """A started campaign whose evaluations are scored: submitting needs every score."""
        campaign = self._started_campaign(count)
        campaign.evaluation_ids.write(dict.fromkeys(SCORE_FIELDS, 80.0))
        return campaign

    def test_submit_and_approve_all_queries_do_not_follow_evaluations(self):
        # The chatter trail is part of what is measured: tracking on (the common set-up
        # disables it).
        self.env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        self._scored_campaign(2).evaluation_ids.action_submit()  # warm-up
        submit, approve = {}, {}
        for count in (5, 20):
            campaign = self._scored_campaign(count)
            evaluations = campaign.evaluation_ids
            submit[count] = self.count_queries(evaluations.action_submit)
            self.assertEqual(set(evaluations.mapped("state")), {"submitted"})
            campaign.with_user(self.officer).action_consolidate()
            approve[count] = self.count_queries(campaign.with_user(self.approver).action_approve_all)
            self.assertEqual(set(evaluations.mapped("state")), {"approved"})
            self.assertEqual(campaign.state, "done")
            self.assertEqual(evaluations.partner_id.qualification_grade_id, evaluations.proposed_grade_id)
            # The chatter trail stays: each evaluation logs its two state changes.
            for evaluation in evaluations:
                states = evaluation.sudo().message_ids.tracking_value_ids.filtered(
                    lambda t: t.field_id.name == "state"
                )
                self.assertEqual(sorted(states.mapped("new_value_char")), ["Approved", "Submitted"])
        self.assertNotProportional(submit, "submitting runs queries per evaluation")
        self.assertNotProportional(approve, "approving all runs queries per evaluation")

    def test_campaign_start_queries_do_not_follow_partners(self):
        self._started_campaign(2)  # warm-up
        counts = {}
        for count in (5, 20):
            campaign = self._campaign(count)
            counts[count] = self.count_queries(campaign.action_start)
            self.assertEqual(len(campaign.evaluation_ids), count)
            self.assertEqual(len(campaign.evaluation_ids.activity_ids), count)
        self.assertNotProportional(counts, "starting a campaign runs queries per partner")


@tagged("post_install", "-at_install")
class TestDocumentImportPerformance(QueryCounterMixin, PartnerQualificationCommon):
    def _rows(self, count):
        partners = self.env["res.partner"].create(
            [{"name": f"Imported {count}-{i}", "is_company": True} for i in range(count)]
        )
        return [
            [
                str(partner.id),
                str(self.type_licence.id),
                make_uscc(f"91110000{partner.id:08d}0"),
                "2024-01-01",
                "2030-12-31",
            ]
            for partner in partners
        ]

    def _load(self, rows):
        result = self.env["partner.qualification.document"].load(
            ["partner_id/.id", "type_id/.id", "number", "issue_date", "expiry_date"], rows
        )
        self.assertEqual(len(result["ids"] or []), len(rows), result["messages"])

    def test_import_queries_do_not_follow_documents(self):
        self._load(self._rows(2))  # warm-up
        counts = {}
        for count in (5, 20):
            rows = self._rows(count)
            # Core's import checks each referenced id itself (partner, type): only the
            # addon's own queries on the documents are counted.
            counts[count] = self.count_queries(self._load, rows, pattern=DOCUMENT_TABLE)
        self.assertEqual(counts[5], counts[20], "importing documents runs queries per document")

    def test_import_still_checks_each_document(self):
        rows = self._rows(3)
        rows.append([rows[0][0], str(self.type_licence.id), rows[0][2], "2024-01-01", "2031-12-31"])
        result = self.env["partner.qualification.document"].load(
            ["partner_id/.id", "type_id/.id", "number", "issue_date", "expiry_date"], rows
        )
        self.assertFalse(result["ids"])
        self.assertIn("already holds a valid", " ".join(m["message"] for m in result["messages"]))


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestQualificationSearchPerformance(PartnerQualificationCommon):
    def test_search_is_one_query_evaluating_each_requirement_once(self):
        Partner = self.env["res.partner"]
        self.customer.partner_role = "customer"
        self.create_document(self.customer, expiry_date="2026-05-01")
        self.env.flush_all()
        with self.assertQueryCount(1):
            found = Partner.search([("qualification_state", "=", "expired")])
        self.assertIn(self.customer, found)
        # Read from the requirement snapshot, not from the documents: nothing evaluated
        # per partner and type beyond the partners with a problem.
        for severities in ({3}, {2}, {1, 2, 3}):
            self.env.cr.execute(
                SQL("EXPLAIN (FORMAT JSON) %s", Partner._qualification_problem_sql(severities))
            )
            plan = self.env.cr.fetchone()[0][0]["Plan"]
            self.assertIn("partner_qualification_requirement", self._relations(plan))
            self.assertNotIn("partner_qualification_document", self._relations(plan))

    def _relations(self, node):
        found = {node.get("Relation Name")}
        for child in node.get("Plans", []):
            found |= self._relations(child)
        return found
