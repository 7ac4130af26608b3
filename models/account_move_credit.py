# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import groupby

# Move type -> (the partner's role, company setting that gates it). Refunds lower the
# exposure: they are never gated.
CREDIT_GATED_MOVE_TYPES = {
    "out_invoice": ("customer", "partner_credit_gate_invoice"),
    "in_invoice": ("supplier", "partner_credit_gate_bill"),
}


class AccountMove(models.Model):
    """Customer invoices and vendor bills pass the decision engine when posted, for
    what they add beyond their orders (which passed it at confirmation): an invoice
    made entirely from confirmed orders adds nothing and is not checked again."""

    _name = "account.move"
    _inherit = ["account.move", "partner.credit.document.mixin"]

    _partner_release_states = ("draft",)
    _credit_release_field = "move_id"
    _credit_exposure_component = "draft_invoice"

    credit_release_needed = fields.Boolean(compute="_compute_credit_release_needed")

    def _compute_credit_release_needed(self):
        refusals = self._get_credit_gated()._get_credit_refusals()
        for move in self:
            blockers = refusals.get(move)
            move.credit_release_needed = bool(blockers) and all(b.releasable for b in blockers)

    def _post(self, soft=True):
        for (company, partner, role), moves in groupby(
            self._get_credit_gated(), key=lambda doc: doc._get_credit_gate_key()
        ):
            partner.with_company(company)._check_transaction_allowed(self.browse(m.id for m in moves), role)
        return super()._post(soft=soft)

    def _get_credit_gated(self):
        """The draft invoices and bills of ``self`` the gate checks when posted: of a
        gated type (setting on) and adding something to the partner's exposure."""
        todo = self.filtered(
            lambda move: isinstance(move.id, int)
            and move.state == "draft"
            and move.move_type in CREDIT_GATED_MOVE_TYPES
            and move.company_id[CREDIT_GATED_MOVE_TYPES[move.move_type][1]]
            and move.commercial_partner_id
        )
        gated = self.browse()
        for (company, partner, _role), moves in groupby(todo, key=lambda doc: doc._get_credit_gate_key()):
            moves = self.browse(move.id for move in moves)
            added = partner.with_company(company)._get_credit_exposure_by_partner(moves)[partner.id][
                "documents"
            ]
            currency = company.currency_id
            gated |= moves.filtered(
                lambda m, a=added, c=currency: c.compare_amounts(a.get(m.id, 0.0), 0.0) > 0
            )
        return gated

    def _get_credit_gate_key(self):
        return (self.company_id, self._get_credit_partner().sudo(), self._get_partner_gate_role())

    def _get_credit_partner(self):
        return self.commercial_partner_id

    def _get_partner_gate_role(self):
        self.ensure_one()
        return CREDIT_GATED_MOVE_TYPES.get(self.move_type, ("customer", None))[0]

    def _get_credit_payment_term(self):
        self.ensure_one()
        return self.invoice_payment_term_id, self.invoice_date or fields.Date.context_today(self)

    def _action_partner_gate_confirm(self):
        return self.action_post()
