# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Exact query budgets of the reminder cron and of approve-all, and what their set-based
INSERTs leave behind: the same activities, followers and chatter as the ORM would write,
with every value escaped (they bypass the HTML sanitizer)."""

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.partner_evaluation import SCORE_FIELDS
from . import test_performance
from .common import PartnerQualificationCommon, make_uscc

# Queries of one cron run over a batch of due documents, whatever their number (below
# one batch of the cron): state refresh, due documents, documents, partners, followers,
# activities, reminder marks, then one digest per responsible user (most of them).
CRON_QUERY_BUDGET = 59
# Queries of approve-all over one campaign, whatever its number of evaluations: the
# approvals themselves, the partners' grades and limits with their notes, the approvers'
# to-dos closed, evaluator and applicant told, corrective actions and due dates read.
APPROVE_ALL_QUERY_BUDGET = 52
# Queries of submitting a campaign's evaluations, whatever their number: the facts of the
# period read once, the evaluations written once, the evaluators' to-dos removed, the
# approvers' to-do, the chatter trail; the partners' grades and limits, in their own
# prefetch group.
SUBMIT_ALL_QUERY_BUDGET = 70
HOSTILE_NAME = "<script>alert('x')</script> & Co"


@tagged("post_install", "-at_install")
class TestReminderCronBudget(PartnerQualificationCommon):
    def _due_documents(self, count, name="Reminded"):
        partners = self.env["res.partner"].create(
            [{"name": f"{name} {i}", "is_company": True} for i in range(count)]
        )
        return self.env["partner.qualification.document"].create(
            [
                {
                    "partner_id": partner.id,
                    "type_id": self.type_tax.id,
                    "number": f"TAX-{partner.id}",
                    "issue_date": "2024-01-01",
                    "expiry_date": "2026-03-01",
                }
                for partner in partners
            ]
        )

    def test_cron_query_budget(self):
        Document = self.env["partner.qualification.document"]
        with freeze_time("2026-02-20"):
            self._due_documents(2)
            Document._cron_document_reminders()  # warm-up: ormcaches, layouts
            for count in (4, 40):
                self._due_documents(count)
                self.env.flush_all()
                self.env.invalidate_all()
                with self.assertQueryCount(CRON_QUERY_BUDGET):
                    Document._cron_document_reminders()
                    self.env.flush_all()

    def test_cron_activities_followers_and_escaping(self):
        Document = self.env["partner.qualification.document"]
        officers = self.env.ref("partner_qualification_credit.group_officer").all_user_ids
        with freeze_time("2026-02-20"):
            documents = self._due_documents(3, name=HOSTILE_NAME)
            Document._cron_document_reminders()
            activities = self.env["mail.activity"].search(
                [("res_model", "=", Document._name), ("res_id", "in", documents.ids)]
            )
        self.assertEqual(len(activities), 3 * len(officers))
        self.assertEqual(set(activities.user_id.ids), set(officers.ids))
        for activity in activities:
            document = documents.browse(activity.res_id)
            self.assertEqual(activity.res_name, document.display_name)
            self.assertEqual(activity.res_model_id.model, Document._name)
            self.assertEqual(activity.activity_type_id.name, "Qualification Document Expiring")
            self.assertEqual(str(activity.date_deadline), "2026-02-20")
            self.assertTrue(activity.active)
            # The partner's name is text, never markup.
            self.assertNotIn("<script>", activity.note)
            self.assertIn("&lt;script&gt;", activity.note)
        # Shown on the documents, as core's activities are.
        self.assertEqual(
            documents[0].activity_ids, activities.filtered(lambda a: a.res_id == documents[0].id)
        )
        # Each responsible user follows the document, with the subtypes core's
        # subscription gives (a later subscription through the ORM finds it there).
        default_subtypes = self.env["mail.message.subtype"].default_subtypes(Document._name)[0]
        for document in documents:
            followers = document.message_follower_ids
            self.assertEqual(followers.partner_id, officers.partner_id)
            for follower in followers:
                self.assertEqual(follower.subtype_ids, default_subtypes)
        documents.message_subscribe(partner_ids=officers.partner_id.ids)
        self.assertEqual(len(documents[0].message_follower_ids), len(officers))


@tagged("post_install", "-at_install")
class TestApproveAllBudget(test_performance.TestEvaluationWorkflowPerformance):
    def test_approve_all_query_budget(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        warmup = self._scored_campaign(2)
        warmup.evaluation_ids.action_submit()
        warmup.with_user(self.officer).action_consolidate()
        warmup.with_user(self.approver).action_approve_all()
        for count in (3, 15):
            campaign = self._scored_campaign(count)
            campaign.evaluation_ids.action_submit()
            campaign.with_user(self.officer).action_consolidate()
            self.env.flush_all()
            self.env.cr.precommit.run()
            self.env.invalidate_all()
            with self.assertQueryCount(APPROVE_ALL_QUERY_BUDGET):
                campaign.with_user(self.approver).action_approve_all()
                self.env.flush_all()
                self.env.cr.precommit.run()
            self.assertEqual(campaign.state, "done")

    def test_submit_all_query_budget(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        self._scored_campaign(2).evaluation_ids.action_submit()  # warm-up
        for count in (3, 15):
            evaluations = self._scored_campaign(count).evaluation_ids
            self.env.flush_all()
            self.env.cr.precommit.run()
            self.env.invalidate_all()
            with self.assertQueryCount(SUBMIT_ALL_QUERY_BUDGET):
                evaluations.action_submit()
                self.env.flush_all()
                self.env.cr.precommit.run()
            self.assertEqual(set(evaluations.mapped("state")), {"submitted"})

    def test_submit_writes_each_evaluation_once(self):
        """The facts read at submission and the new state reach each row in one UPDATE:
        a second pass over thousands of rows is most of the time of submit-all."""
        self.env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        evaluations = self._scored_campaign(15).evaluation_ids
        updates = self.count_queries(evaluations.action_submit, pattern=r'^\s*UPDATE "partner_evaluation"\s')
        self.assertEqual(updates, 1)
        self.assertEqual(set(evaluations.mapped("state")), {"submitted"})
        for evaluation in evaluations:
            self.assertTrue(evaluation.facts_date)
            self.assertEqual(evaluation.submitted_by_id, self.officer)

    def test_mass_todos_followers_and_escaping(self):
        """The rating to-dos of a start and the result to-dos of an approval are inserted
        set-based: the same activities and followers as core's create, every name escaped."""
        self.env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        campaign = self._campaign(3)
        campaign.sudo().deadline = "2026-07-15"
        campaign.action_start()
        self.env.cr.precommit.run()
        evaluations = campaign.evaluation_ids
        self.assertEqual(len(evaluations), 3)
        # Renamed once admitted (a rename may send a partner back to admission).
        hostile_partner = evaluations[0].partner_id
        hostile_partner.sudo().name = HOSTILE_NAME
        rating_type = self.env.ref("partner_qualification_credit.mail_activity_type_evaluation")
        default_subtypes = self.env["mail.message.subtype"].default_subtypes(evaluations._name)[0]
        for evaluation in evaluations:
            todo = evaluation.activity_ids
            self.assertEqual(len(todo), 1)
            self.assertEqual(todo.activity_type_id, rating_type)
            self.assertEqual(todo.user_id, evaluation.evaluator_id)
            self.assertEqual(todo.res_model, evaluations._name)
            self.assertEqual(todo.sudo().res_model_id.model, evaluations._name)
            self.assertEqual(todo.res_name, evaluation.display_name)
            self.assertEqual(str(todo.date_deadline), "2026-07-15")
            self.assertTrue(todo.automated)
            self.assertTrue(todo.active)
            self.assertIn("Evaluate the partner", todo.summary)
            # The evaluator follows the evaluation, with core's default subtypes.
            follower = evaluation.message_follower_ids.filtered(
                lambda f, e=evaluation: f.partner_id == e.evaluator_id.partner_id
            )
            self.assertEqual(len(follower), 1)
            self.assertEqual(follower.subtype_ids, default_subtypes)
        self.assertEqual(evaluations.activity_ids.user_id, self.officer)
        evaluations.write(dict.fromkeys(SCORE_FIELDS, 80.0))
        evaluations.with_user(self.officer).action_submit()
        self.env.cr.precommit.run()
        campaign.with_user(self.officer).action_consolidate()
        campaign.with_user(self.approver).action_approve_all()
        self.env.cr.precommit.run()
        approved_type = self.env.ref("partner_qualification_credit.mail_activity_type_rating_approved")
        for evaluation in evaluations:
            todo = evaluation.activity_ids
            self.assertEqual(todo.activity_type_id, approved_type)
            self.assertEqual(todo.user_id, self.officer)
            self.assertEqual(todo.res_name, evaluation.display_name)
            self.assertEqual(todo.summary, f"Rating approved: {evaluation.partner_id.display_name}")
            self.assertIn(evaluation.proposed_grade_id.display_name, str(todo.note))
            self.assertTrue(str(todo.note).startswith("<p>The rating of "))
            # Still one follower for the evaluator: an existing follower is kept as it is.
            followers = evaluation.message_follower_ids.filtered(
                lambda f: f.partner_id == self.officer.partner_id
            )
            self.assertEqual(len(followers), 1)
        hostile = evaluations.filtered(lambda e: e.partner_id == hostile_partner).activity_ids
        self.assertEqual(len(hostile), 1)
        # The partner's name is text, never markup.
        self.assertNotIn("<script>", str(hostile.note))
        self.assertIn("&lt;script&gt;", str(hostile.note))
        self.assertEqual(hostile.summary, f"Rating approved: {HOSTILE_NAME}")
        # A later subscription through the ORM finds the followers there.
        evaluations.message_subscribe(partner_ids=self.officer.partner_id.ids)
        officer = self.officer.partner_id
        for evaluation in evaluations:
            followers = evaluation.message_follower_ids.filtered(lambda f: f.partner_id == officer)
            self.assertEqual(len(followers), 1)

    def test_approval_notes_on_partners(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        campaign = self._scored_campaign(3)
        evaluation = campaign.evaluation_ids[0]
        evaluation.partner_id.name = HOSTILE_NAME
        self.approver.name = "Approver <b>bold</b>"
        campaign.evaluation_ids.action_submit()
        self.env.cr.precommit.run()  # each move is its own request: its own trail message
        campaign.with_user(self.officer).action_consolidate()
        campaign.with_user(self.approver).action_approve_all()
        self.env.cr.precommit.run()
        for partner in campaign.evaluation_ids.partner_id:
            notes = partner.message_ids.filtered(lambda m: "Evaluation approved by" in m.body)
            self.assertEqual(len(notes), 1)
            note = notes
            self.assertEqual(note.author_id, self.approver.partner_id)
            self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
            self.assertEqual(note.message_type, "notification")
            self.assertTrue(note.is_internal)
            self.assertEqual(note.model, "res.partner")
            # Names are text: escaped, never markup.
            self.assertIn("Approver &lt;b&gt;bold&lt;/b&gt;", note.body)
            self.assertNotIn("<b>", note.body)
        # Each evaluation's own trail: one note per state change with its tracking value.
        for evaluation in campaign.evaluation_ids:
            trail = evaluation.sudo().message_ids.filtered("tracking_value_ids")
            self.assertEqual(len(trail), 2)
            states = trail.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
            self.assertEqual(sorted(states.mapped("new_value_char")), ["Approved", "Submitted"])
            self.assertEqual(sorted(states.mapped("old_value_char")), ["Draft", "Submitted"])
            self.assertTrue(all(message.subtype_id == self.env.ref("mail.mt_note") for message in trail))


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestQualificationSearchCandidates(PartnerQualificationCommon):
    """The expired / expiring search narrows to partners with a document past or near its
    expiry before evaluating them: it must still find exactly what the state says."""

    def test_narrowed_search_matches_the_state(self):
        Partner = self.env["res.partner"]
        make = Partner.create

        def partner(name, role="customer"):
            return make({"name": name, "is_company": True, "partner_role": role})

        numbers = iter(make_uscc(f"91330100MA2CAND{n:02d}") for n in range(20))

        def licence(holder, expiry, **values):
            return self.create_document(holder, expiry_date=expiry, number=next(numbers), **values)

        renewed = partner("Renewed")  # an old expired licence, a valid later one
        licence(renewed, "2026-01-01")
        licence(renewed, "2029-01-01")
        other_type = partner("Other type expired")  # the expired document is not mandatory
        licence(other_type, "2029-01-01")
        self.create_document(other_type, self.type_tax, expiry_date="2026-01-01")
        archived = partner("Archived expired")  # the expired document is archived
        licence(archived, "2026-01-01").active = False
        licence(archived, "2029-01-01")
        expired_and_missing = partner("Expired, supplier", role="supplier")
        licence(expired_and_missing, "2026-01-01")
        expired = partner("Expired")
        licence(expired, "2026-05-01")
        expiring = partner("Expiring")
        licence(expiring, "2026-06-10")
        no_role = make({"name": "No role", "is_company": True})
        licence(no_role, "2026-01-01")
        partners = renewed | other_type | archived | expired_and_missing | expired | expiring | no_role
        self.env.flush_all()
        partners.invalidate_recordset(["qualification_state"])
        for state in ("expired", "expiring", "missing", "ok"):
            found = Partner.search([("id", "in", partners.ids), ("qualification_state", "=", state)])
            self.assertEqual(found, partners.filtered(lambda p, s=state: p.qualification_state == s), state)
        self.assertEqual(expired.qualification_state, "expired")
        self.assertEqual(expiring.qualification_state, "expiring")
        self.assertEqual(renewed.qualification_state, "ok")
        self.assertEqual(other_type.qualification_state, "ok")
        self.assertEqual(archived.qualification_state, "ok")
        found = Partner.search(
            [("id", "in", partners.ids), ("qualification_state", "in", ["expired", "expiring"])]
        )
        self.assertEqual(found, partners.filtered(lambda p: p.qualification_state in ("expired", "expiring")))
