# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import groupby


class PartnerCreditDocumentMixin(models.AbstractModel):
    """What every document the decision engine gates shares (orders, invoices, bills,
    payments): whose credit it uses, how a credit manager releases it, and the request
    for a release. Each model says what differs through the class attributes and small
    methods below, never by testing its name."""

    _name = "partner.credit.document.mixin"
    _description = "Document Gated by Credit Control"

    # The partner's side of the trade: decides the mandatory documents too.
    _partner_gate_role = None
    # States in which a credit manager can release the document.
    _partner_release_states = ("draft", "sent")
    # Field of ``partner.credit.release`` that logs the releases of this model.
    _credit_release_field = None
    # Exposure component (``res.partner._credit_components``) the document counts in.
    _credit_exposure_component = None

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_credit_release(self):
        self.ensure_one()
        self._check_credit_release_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release"),
            "res_model": "partner.credit.release.confirm",
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{self._credit_release_field}": self.id},
        }

    def action_request_credit_release(self):
        """Ask every credit manager of the document's company for a release, once."""
        self.ensure_one()
        managers = (
            self.env.ref("partner_qualification_credit.group_credit_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda u: not u.share
                and u.active
                and self.company_id in u.company_ids
                and not u._is_superuser()
            )
        )
        if not managers:
            raise UserError(
                self.env._(
                    "No credit manager works for %(company)s: ask an administrator to appoint one.",
                    company=self.company_id.name,
                )
            )
        request_type = self.env.ref("partner_qualification_credit.mail_activity_type_credit_release")
        pending = self.activity_ids.filtered(lambda a: a.activity_type_id == request_type).user_id
        for manager in managers - pending:
            self.activity_schedule(
                "partner_qualification_credit.mail_activity_type_credit_release",
                date_deadline=fields.Date.context_today(self),
                note=self.env._(
                    "%(user)s asks for a credit release of %(order)s for %(partner)s.",
                    user=self.env.user.name,
                    order=self.display_name,
                    partner=self._get_credit_partner().display_name,
                ),
                user_id=manager.id,
            )
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_credit_partner(self):
        """The commercial partner whose credit the document uses (the paying side)."""
        return self.partner_id.commercial_partner_id

    def _get_partner_gate_role(self):
        """The partner's side of the trade for this document: 'customer' or 'supplier'."""
        return self._partner_gate_role

    def _get_partner_gate_checks(self):
        """[(commercial partner, rules or None for all)] the document must pass."""
        self.ensure_one()
        return [(self._get_credit_partner(), None)]

    def _action_partner_gate_confirm(self):
        """Commit the document through the model's own path (release wizard)."""
        raise NotImplementedError()

    def _is_credit_committed(self):
        """Whether the document already counts in the exposure."""
        return False

    def _get_credit_amount(self):
        """Amount of an unsaved document in the company's currency."""
        return 0.0

    def _get_credit_release_amount(self):
        """(currency, amount) up to which a release covers the document."""
        self.ensure_one()
        return self.currency_id, self.amount_total

    def _get_credit_released(self, covered=None):
        """The documents of ``self`` a credit manager released (see the release log).

        :param covered: the releases' amounts, when already read (see
            ``partner.credit.release._get_release_part``)
        """
        return self.env["partner.credit.release"]._get_released_orders(self._origin, covered)

    def _is_credit_released(self):
        self.ensure_one()
        return bool(self._get_credit_released())

    @api.model
    def _check_credit_release_rights(self):
        if not self.env.user.has_group("partner_qualification_credit.group_credit_manager"):
            raise AccessError(
                self.env._(
                    "Only credit managers can release documents blocked by credit control. "
                    "Use 'Request Release' to ask them."
                )
            )

    def _get_credit_refusals(self):
        """{document: blockers that refuse it (not released)} for the documents of
        ``self`` in a releasable state, read by company and partner in batches: what
        the release buttons and the queue of blocked documents show."""
        refusals = {}
        todo = self.filtered(
            lambda doc: doc.state in doc._partner_release_states and doc._get_credit_partner()
        )
        for (company, partner, role), docs in groupby(
            todo, key=lambda doc: (doc.company_id, doc._get_credit_partner(), doc._get_partner_gate_role())
        ):
            docs = self.browse(doc.id for doc in docs)
            partner = partner.with_company(company).sudo()
            data = partner._prepare_transaction_data(docs, role)
            for doc in docs:
                refused = [
                    blocker
                    for blocker in partner._get_transaction_blockers(doc, role, data)
                    if not blocker.released
                ]
                if refused:
                    refusals[doc] = refused
        return refusals
