# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, models

from .res_partner import GUARDED_FIELDS


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def default_get(self, fields):
        """A user carries its partner's fields (``_inherits``): a client-supplied
        ``default_<protected field>`` is ignored here too, as on the partner."""
        if not self.env.su:
            forged = {f"default_{name}" for name in GUARDED_FIELDS} & self.env.context.keys()
            if forged:
                context = {key: value for key, value in self.env.context.items() if key not in forged}
                return super(ResUsers, self.with_env(self.env(context=context))).default_get(fields)
        return super().default_get(fields)

    # ------------------------------------------------------------
    # BUSINESS: decisions told to the people concerned
    # ------------------------------------------------------------

    def _notify_qualification_decision(self, record, render, detail=None):
        """Post on ``record`` a note addressed to the users ``self``, one per language:
        ``render(record)`` builds the message with ``record`` in the readers' language,
        so each reads the decision in their own. ``detail`` is the decider's own text.
        Inactive, portal and superuser accounts are skipped."""
        users = self.filtered(lambda u: u.active and not u.share and not u._is_superuser())
        for lang in set(users.mapped(lambda u: u.lang or record.env.lang)):
            readers = users.filtered(lambda u, lang=lang: (u.lang or record.env.lang) == lang)
            translated = record.with_context(lang=lang)
            message = render(translated)
            body = Markup("%s<br/>%s") % (message, detail) if detail else message
            translated.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=readers.partner_id.ids,
            )
