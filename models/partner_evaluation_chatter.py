# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import escape

from odoo import models
from odoo.exceptions import MissingError
from odoo.tools import split_every
from odoo.tools.mail import generate_tracking_message_id

from .const import MASS_CREATE_CHUNK


class PartnerEvaluation(models.Model):
    """The chatter trail of mass workflow moves (a campaign submits and approves thousands
    of evaluations at once) written in one batch."""

    _inherit = "partner.evaluation"

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _message_track(self, fields_iter, initial_values_dict):
        """Same trail as core's tracking (one logged note with its tracking values per
        changed evaluation), but created in one batch: core logs record by record, two
        INSERTs per evaluation. A change with a subtype (notified to followers) still
        is posted one by one, as core does."""
        if not fields_iter or len(self) < 2:
            return super()._message_track(fields_iter, initial_values_dict)
        tracked_fields = self.fields_get(
            fields_iter, attributes=("string", "type", "selection", "currency_field")
        )
        tracking = {}
        for record in self:
            try:
                tracking[record.id] = record._mail_track(tracked_fields, initial_values_dict[record.id])
            except MissingError:
                continue
        bodies = self.env.cr.precommit.data.pop(f"mail.tracking.message.{self._name}", {})
        authors = self.env.cr.precommit.data.pop(f"mail.tracking.author.{self._name}", {})
        author_id, email_from = self._message_compute_author()
        base_values = {
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(default=email_from, author_id=author_id)[
                False
            ],
        }
        values_list, tracking_commands = [], []
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
            values_list.append(
                {
                    **base_values,
                    "author_id": record_author_id or author_id,
                    "res_id": record.id,
                    "body": escape(body or ""),
                    "message_id": generate_tracking_message_id("message-notify"),
                }
            )
            tracking_commands.append(tracking_value_ids)
        if values_list:
            # The tracking values in one INSERT too (as commands of each message, the ORM
            # would insert them message by message).
            messages = self.env["mail.message"]
            for chunk in split_every(MASS_CREATE_CHUNK, values_list, list):
                messages |= self.sudo()._message_create(chunk)
            self.env["mail.tracking.value"].sudo().create(
                [
                    {**values, "mail_message_id": message.id}
                    for message, commands in zip(messages, tracking_commands, strict=True)
                    for _command, _id, values in commands
                ]
            )
        return tracking
