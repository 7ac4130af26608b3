# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import MissingError
from odoo.tools import SQL, split_every
from odoo.tools.mail import generate_tracking_message_id

from .mass_insert import insert_rows

# Rows per INSERT of the mass chatter trail.
NOTE_INSERT_CHUNK = 1000


class PartnerEvaluation(models.Model):
    """Mass workflow moves (a campaign submits and approves thousands of evaluations at
    once): their set-based writes, and their chatter trail written in one batch."""

    _inherit = "partner.evaluation"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _write_submission(self, facts_date):
        """Record the submission of ``self`` in one UPDATE: state, who and when, no
        rejection reason any more, and ``facts_date`` (when the facts were read, see
        ``_refresh_facts``) on the drafts. Every row gets the same values: through the
        ORM they go out a hundred per statement. The caller checked the transition."""
        evaluations = self.sudo()
        drafts = evaluations.filtered(lambda e: e.state == "draft")
        uid = self.env.uid
        evaluations._execute_workflow_update(
            ["state", "submitted_date", "submitted_by_id", "reject_reason", "facts_date"],
            SQL(
                """
                UPDATE %(table)s
                   SET state = 'submitted', submitted_date = %(now)s, submitted_by_id = %(uid)s,
                       reject_reason = NULL,
                       facts_date = CASE WHEN id = ANY(%(drafts)s) THEN %(facts_date)s ELSE facts_date END,
                       write_uid = %(uid)s, write_date = %(write_date)s
                 WHERE id = ANY(%(ids)s)
                """,
                table=SQL.identifier(self._table),
                now=fields.Datetime.now(),
                uid=uid,
                drafts=drafts.ids,
                facts_date=facts_date or None,
                write_date=self.env.cr.now(),
                ids=evaluations.ids,
            ),
        )

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _execute_workflow_update(self, field_names, query):
        """Run ``query``, an UPDATE of the columns ``field_names`` (and ``write_uid``,
        ``write_date``) of the rows of ``self``, keeping what the ORM's write adds: core's
        tracking of the tracked fields among them (the same notes in the chatter), the
        pending writes flushed first, the cache, and whatever depends on these fields.
        No write override runs: the workflow calls it, never a client."""
        names = [*field_names, "write_uid", "write_date"]
        context = self.env.context
        if not (context.get("tracking_disable") or context.get("mail_notrack")):
            self._track_prepare(field_names)
        self.flush_recordset(names)
        self.modified(names, before=True)
        self.env.execute_query(query)
        self.invalidate_recordset(names)
        self.modified(names)

    def _message_track(self, fields_iter, initial_values_dict):
        """Same trail as core's tracking (one logged note with its tracking values per
        changed evaluation), but written in one batch: core logs record by record, two
        INSERTs per evaluation. A change with a subtype (notified to followers) still
        is posted one by one, as core does."""
        if not fields_iter or len(self) < 2:
            return super()._message_track(fields_iter, initial_values_dict)
        tracked_fields = self.fields_get(
            fields_iter, attributes=("string", "type", "selection", "currency_field")
        )
        tracking = self._mail_track_batch(tracked_fields, initial_values_dict)
        bodies = self.env.cr.precommit.data.pop(f"mail.tracking.message.{self._name}", {})
        authors = self.env.cr.precommit.data.pop(f"mail.tracking.author.{self._name}", {})
        notes = []
        for record in self:
            changes, tracking_value_ids = tracking.get(record.id, (None, None))
            if not changes or not tracking_value_ids:
                continue
            body = (
                bodies[record.id] if record.id in bodies else record._track_get_default_log_message(changes)
            )
            record_author_id = authors[record.id].id if record.id in authors else None
            subtype = record._track_subtype({name: initial_values_dict[record.id][name] for name in changes})
            if subtype:
                record.message_post(
                    body=body,
                    author_id=record_author_id,
                    subtype_id=subtype.id,
                    tracking_value_ids=tracking_value_ids,
                )
                continue
            notes.append(
                {
                    "res_id": record.id,
                    "body": escape(body or ""),
                    "author_id": record_author_id,
                    "tracking_values": [values for _command, _id, values in tracking_value_ids],
                }
            )
        self._log_notes_batch(self._name, notes)
        return tracking

    def _mail_track_batch(self, tracked_fields, initial_values_dict):
        """{id: core's ``_mail_track`` result} of each record, computed once per distinct
        change (the fields that changed, with their old and new values): a campaign moves
        thousands of evaluations from the same state to the same state. Core's result
        depends on the record only through those values, except for monetary and
        properties fields (a currency, a definition read on the record): with one of
        these, every record is tracked on its own."""
        shared = not any(info["type"] in ("monetary", "properties") for info in tracked_fields.values())
        names = list(tracked_fields)
        results, tracking = {}, {}
        for record in self:
            initial_values = initial_values_dict[record.id]
            try:
                if not shared:
                    tracking[record.id] = record._mail_track(tracked_fields, initial_values)
                    continue
                # What core's _mail_track compares: an unchanged field adds nothing.
                key = []
                for name in names:
                    if name in initial_values:
                        old, new = initial_values[name], record[name]
                        if not (new == old or (not new and not old)):
                            key.append((name, old, new))
                key = tuple(key)
                if key not in results:
                    results[key] = record._mail_track(tracked_fields, initial_values)
                tracking[record.id] = results[key]
            except MissingError:
                continue
        return tracking

    @api.model
    def _log_notes_batch(self, model_name, notes):
        """Log internal notes (``mail.mt_note``, notifying nobody) on many records of
        ``model_name`` in a few INSERTs, with their tracking values. What core's
        ``_message_log_batch`` writes, without the ORM's per-message work (each new
        message updates the cached message lists of every thread model and re-sanitizes
        a body built here from escaped values): thousands of notes take seconds
        through the ORM, a fraction of one here.

        :param notes: list of {'res_id', 'body' (Markup), 'author_id' (None: the current
            user), 'tracking_values' (optional list of ``mail.tracking.value`` values)}
        """
        if not notes:
            return
        Thread = self.env[model_name]
        author_id, email_from = Thread._message_compute_author()
        MailThread = self.env["mail.thread"]
        reply_to = MailThread._notify_get_reply_to(default=email_from, author_id=author_id)[False]
        common = {
            "model": model_name,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "is_internal": True,
            "email_from": email_from,
            "reply_to": reply_to,
            "email_add_signature": False,
            "date": fields.Datetime.now(),
        }
        for chunk in split_every(NOTE_INSERT_CHUNK, notes, list):
            message_ids = insert_rows(
                self.env,
                "mail.message",
                [
                    {
                        **common,
                        "res_id": note["res_id"],
                        "body": escape(note["body"]),
                        "author_id": note.get("author_id") or author_id,
                        "message_id": generate_tracking_message_id("message-notify"),
                    }
                    for note in chunk
                ],
            )
            tracking_rows = [
                {**values, "mail_message_id": message_id}
                for message_id, note in zip(message_ids, chunk, strict=True)
                for values in note.get("tracking_values") or ()
            ]
            if tracking_rows:
                insert_rows(self.env, "mail.tracking.value", tracking_rows)
        Thread.browse([note["res_id"] for note in notes]).invalidate_recordset(
            ["message_ids", "message_needaction", "message_needaction_counter"]
        )
