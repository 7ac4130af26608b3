# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .mass_insert import insert_rows, subscribe_partner

EXPIRING_ACTIVITY = "partner_qualification_credit.mail_activity_type_document_expiring"
EXPIRED_ACTIVITY = "partner_qualification_credit.mail_activity_type_document_expired"
# Documents reminded per transaction: a crash loses one batch at most, and the cron's
# progress is committed between batches.
REMINDER_BATCH_SIZE = 1000
# Activities per INSERT.
ACTIVITY_INSERT_CHUNK = 1000
# Documents listed in one user's digest; the rest are in their activities anyway.
DIGEST_MAX_LINES = 50


class PartnerQualificationDocument(models.Model):
    """The daily expiry reminders: states refreshed, one activity per due document and
    responsible user, one digest per user. Set-based throughout: tens of thousands of
    documents are checked every night, thousands may fall due the same day."""

    _inherit = "partner.qualification.document"

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_document_reminders(self):
        """Refresh the date-dependent states, then remind once per document and threshold."""
        today = fields.Date.context_today(self)
        self._refresh_expiry_states(today)
        due_ids = self._get_due_reminder_ids()
        reminded = defaultdict(list)  # user -> documents, for the digests
        done = 0
        for batch_ids in split_every(REMINDER_BATCH_SIZE, due_ids):
            batch = self.browse(batch_ids)
            for user, documents in batch._schedule_expiry_activities(today).items():
                reminded[user].extend(documents.ids)
            done += len(batch_ids)
            self._commit_reminder_progress(len(batch_ids), len(due_ids) - done)
        for user, document_ids in reminded.items():
            self.browse(document_ids)._notify_expiry_digest(user)

    @api.model
    def _refresh_expiry_states(self, today):
        """Recompute ``state`` from the expiry date in one UPDATE (it is stored but moves with
        the calendar), and forget the reminder of documents back to valid (longer reminder
        period, corrected date): their next threshold is new."""
        self.flush_model(["expiry_date", "type_id", "state", "reminder_state"])
        self.env["partner.qualification.document.type"].flush_model(["reminder_days"])
        self.env.execute_query(
            SQL(
                """
                UPDATE partner_qualification_document d
                   SET state = s.state,
                       reminder_state = CASE WHEN s.state = 'valid' THEN NULL ELSE d.reminder_state END
                  FROM (
                       SELECT doc.id,
                              CASE WHEN doc.expiry_date IS NULL THEN 'valid'
                                   WHEN doc.expiry_date < %(today)s THEN 'expired'
                                   WHEN doc.expiry_date <= %(today)s + t.reminder_days THEN 'expiring'
                                   ELSE 'valid' END AS state
                         FROM partner_qualification_document doc
                         JOIN partner_qualification_document_type t ON t.id = doc.type_id
                       ) s
                 WHERE s.id = d.id
                   AND (d.state IS DISTINCT FROM s.state
                        OR (s.state = 'valid' AND d.reminder_state IS NOT NULL))
                """,
                today=today,
            )
        )
        self.invalidate_model(["state", "reminder_state"])

    @api.model
    def _get_due_reminder_ids(self):
        """Active expiring/expired documents not yet reminded for their current state and
        not superseded by a later document of the same type for the same partner."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT d.id
                  FROM partner_qualification_document d
                 WHERE d.active
                   AND d.state IN ('expiring', 'expired')
                   AND d.reminder_state IS DISTINCT FROM d.state
                   AND NOT EXISTS (
                           SELECT 1
                             FROM partner_qualification_document later
                            WHERE later.partner_id = d.partner_id
                              AND later.type_id = d.type_id
                              AND later.active
                              AND later.expiry_date > d.expiry_date)
                 ORDER BY d.id
                """
            )
        )
        return [document_id for (document_id,) in rows]

    def _schedule_expiry_activities(self, today):
        """One activity per document of ``self`` and responsible user, created in one batch
        without the assignment e-mail (the digest replaces it), then the reminder marked.

        :return: {user: documents} reminded to each user
        """
        activity_types = {
            "expiring": self.env.ref(EXPIRING_ACTIVITY),
            "expired": self.env.ref(EXPIRED_ACTIVITY),
        }
        res_model_id = self.env["ir.model"]._get_id(self._name)
        officers = self.env.ref("partner_qualification_credit.group_officer").all_user_ids
        # Only the columns read below: the partner table is wide, its prefetch is not.
        self.fetch(["partner_id", "type_id", "number", "state", "expiry_date"])
        self.partner_id.fetch(["commercial_partner_id"])
        partners = self.partner_id.commercial_partner_id
        partners.fetch(["qualification_applicant_id", "company_id", "complete_name", "type"])
        officers_by_company = {}
        by_user = defaultdict(list)
        vals_list = []
        for document in self:
            partner = document.partner_id.commercial_partner_id
            users = partner.qualification_applicant_id
            if not users:
                if partner.company_id not in officers_by_company:
                    officers_by_company[partner.company_id] = officers.filtered(
                        lambda u, c=partner.company_id: not c or c in u.company_ids
                    )
                users = officers_by_company[partner.company_id]
            vals = document._prepare_expiry_activity_vals(activity_types[document.state], partner, today)
            for user in users:
                vals_list.append(
                    {
                        **vals,
                        "res_model_id": res_model_id,
                        "res_model": self._name,
                        "res_name": document.display_name,
                        "user_id": user.id,
                        "user_tz": user.tz,
                        "active": True,
                        "automated": False,
                    }
                )
                by_user[user].append(document.id)
        # Each responsible user follows the documents of their activities, as core's
        # activity creation does; activities and followers are inserted in a few
        # statements (the ORM creates them one at a time: most of the cron's time).
        for user, document_ids in by_user.items():
            self.browse(document_ids)._subscribe_partner_batch(user.partner_id)
        for chunk in split_every(ACTIVITY_INSERT_CHUNK, vals_list, list):
            insert_rows(self.env, "mail.activity", chunk)
        self.invalidate_recordset(["activity_ids"])
        self.env["mail.activity"].invalidate_model()
        today_counts = defaultdict(int)
        for vals in vals_list:
            if vals["date_deadline"] <= today:
                today_counts[vals["user_id"]] += 1
        for user in by_user:
            if today_counts[user.id]:
                user._bus_send(
                    "mail.activity/updated", {"activity_created": True, "count_diff": today_counts[user.id]}
                )
        for state in ("expiring", "expired"):
            self.filtered(lambda d, s=state: d.state == s).write({"reminder_state": state})
        return {user: self.browse(document_ids) for user, document_ids in by_user.items()}

    def _subscribe_partner_batch(self, partner):
        """Make ``partner`` a follower of the documents of ``self`` it does not follow
        yet, with core's default subtypes, in one INSERT per table."""
        subscribe_partner(self, partner)

    def _prepare_expiry_activity_vals(self, activity_type, partner, today):
        self.ensure_one()
        if self.state == "expired":
            summary = self.env._("%(document)s has expired", document=self.display_name)
        else:
            summary = self.env._(
                "%(document)s expires on %(date)s", document=self.display_name, date=self.expiry_date
            )
        return {
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "date_deadline": min(self.expiry_date, today),
            "summary": summary,
            # Inserted as it is (no sanitizer pass): the partner's name is escaped here.
            "note": Markup("<p>%s</p>")
            % self.env._("Ask %(partner)s for a renewed copy and record it.", partner=partner.display_name),
        }

    def _notify_expiry_digest(self, user):
        """One message to ``user`` listing the documents of ``self`` reminded to them
        (inbox or e-mail, as they chose), instead of one e-mail per activity."""
        base_url = self.browse().get_base_url()
        lines = [
            Markup('<li><a href="%(url)s/odoo/%(model)s/%(id)s">%(name)s</a> (%(partner)s): %(state)s</li>')
            % {
                "url": base_url,
                "model": self._name,
                "id": document.id,
                "name": document.display_name,
                "partner": document.partner_id.commercial_partner_id.display_name,
                "state": self.env._("expired")
                if document.state == "expired"
                else self.env._("expires on %(date)s", date=document.expiry_date),
            }
            for document in self[:DIGEST_MAX_LINES]
        ]
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "%(count)s qualification documents need a renewed copy; "
                "a to-do is in your activities for each.",
                count=len(self),
            ),
            Markup().join(lines),
        )
        if len(self) > DIGEST_MAX_LINES:
            body += Markup("<p>%s</p>") % self.env._(
                "… and %(count)s more: see your activities.", count=len(self) - DIGEST_MAX_LINES
            )
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=self.env._("Qualification documents to renew"),
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )

    @api.model
    def _commit_reminder_progress(self, processed, remaining):
        # Only inside a scheduled run: a direct call (tests, shell, benchmark) keeps
        # its transaction.
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(processed, remaining=remaining)
