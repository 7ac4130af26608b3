# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .const import MASS_CREATE_CHUNK

EXPIRING_ACTIVITY = "partner_qualification_credit.mail_activity_type_document_expiring"
EXPIRED_ACTIVITY = "partner_qualification_credit.mail_activity_type_document_expired"
# Documents reminded per transaction: a crash loses one batch at most, and the cron's
# progress is committed between batches.
REMINDER_BATCH_SIZE = 1000
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
        by_user = defaultdict(lambda: self.browse())
        vals_list = []
        for document in self:
            partner = document.partner_id.commercial_partner_id
            users = partner.qualification_applicant_id or officers.filtered(
                lambda u, p=partner: not p.company_id or p.company_id in u.company_ids
            )
            vals = document._prepare_expiry_activity_vals(activity_types[document.state], partner, today)
            for user in users:
                vals_list.append({**vals, "res_model_id": res_model_id, "user_id": user.id})
                by_user[user] |= document
        Activity = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True, mail_auto_subscribe_no_notify=True)
        )
        for chunk in split_every(MASS_CREATE_CHUNK, vals_list, list):
            Activity.create(chunk)
        for state in ("expiring", "expired"):
            self.filtered(lambda d, s=state: d.state == s).write({"reminder_state": state})
        return by_user

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
            "note": self.env._(
                "Ask %(partner)s for a renewed copy and record it.", partner=partner.display_name
            ),
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
