# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .res_partner_transaction import TransactionBlocker


class ResPartner(models.Model):
    """The prohibited list seen from the partner: which entries match it, and listing
    the partners this company graded E."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_add_to_prohibited_list(self):
        """List the commercial partners of ``self`` that carry a blocking grade (E) in
        the current company; already listed ones are left as they are."""
        if not self.env.user.has_group("partner_qualification_credit.group_officer"):
            raise AccessError(
                self.env._(
                    "Only the partner-management office (Officer) can add partners to the prohibited list."
                )
            )
        partners = self.commercial_partner_id.sudo()
        not_blocked = partners.filtered(lambda p: p.qualification_grade_id.policy != "block")
        if not_blocked:
            raise UserError(
                self.env._(
                    "%(partners)s are not graded with a blocking grade (E) in %(company)s: only "
                    "partners whose cooperation ended are added from here. Record other entries "
                    "in Register > Prohibited List.",
                    partners=", ".join(not_blocked.mapped("display_name")[:5]),
                    company=self.env.company.name,
                )
            )
        Entry = self.env["partner.prohibited.entry"]
        listed = Entry._get_matches(partners)
        to_list = partners.filtered(lambda p: p.id not in listed)
        entries = Entry.create(
            [
                {
                    "name": partner.name,
                    "number": partner._get_unified_social_credit_code()
                    or partner.vat
                    or partner.company_registry,
                    "country_id": partner.country_id.id,
                    "source": "own",
                    "reason": self.env._(
                        "Graded %(grade)s in %(company)s.",
                        grade=partner.qualification_grade_id.display_name,
                        company=self.env.company.name,
                    ),
                }
                for partner in to_list
            ]
        )
        for partner, entry in zip(to_list, entries, strict=True):
            partner.message_post(
                body=self.env._("Added to the prohibited list (%(entry)s).", entry=entry.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if entries else "info",
                "message": self.env._(
                    "%(count)s partner(s) added to the prohibited list, %(already)s already listed.",
                    count=len(entries),
                    already=len(partners) - len(entries),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # DECISION ENGINE: a listed partner is refused at once
    # ------------------------------------------------------------

    @api.model
    def _get_transaction_rules(self):
        rules = list(super()._get_transaction_rules())
        rules.insert(rules.index("_get_admission_blocker") + 1, "_get_prohibited_blocker")
        return tuple(rules)

    @api.model
    def _get_transaction_prefetch_fields(self):
        fnames = super()._get_transaction_prefetch_fields()
        # The name is in every refusal's message; the numbers and the country are what
        # a prohibited-list entry is matched on (see ``_get_match_part``), read only
        # when the list has an active entry.
        fnames["res.partner"].append("name")
        if self.env["partner.prohibited.entry"]._has_active_entries():
            fnames["res.partner"] += ["vat", "company_registry", "country_id"]
        return fnames

    def _get_transaction_parts(self, documents, role, data, lock):
        parts, ctes = super()._get_transaction_parts(documents, role, data, lock)
        data["prohibited"] = {}
        Entry = self.env["partner.prohibited.entry"].sudo()
        if Entry._has_active_entries():
            parts.append(Entry._get_match_part(self, data["prohibited"]))
        return parts, ctes

    def _get_prohibited_blocker(self, documents, data):
        entries = data["prohibited"].get(self.id)
        if not entries:
            return None
        return TransactionBlocker(
            kind="prohibited",
            message=self.env._(
                "%(partner)s is on the prohibited list (%(entries)s): no order can be confirmed. "
                "Only the partner-management office (%(officers)s) can archive the entry if it "
                "is wrong.",
                partner=self.display_name,
                entries=entries._get_match_summary(),
                officers=self._get_group_user_names("partner_qualification_credit.group_officer"),
            ),
            figures={"entry_ids": entries.ids},
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_prohibited_entries(self):
        """Active prohibited-list entries matching commercial partner ``self``."""
        self.ensure_one()
        Entry = self.env["partner.prohibited.entry"].sudo()
        return Entry._get_matches(self).get(self.commercial_partner_id.id, Entry)
