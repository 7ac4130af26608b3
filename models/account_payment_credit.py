# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import groupby


class AccountPayment(models.Model):
    """An outbound payment to a supplier that pays more than the bills open with it is
    a prepayment: it passes the decision engine when posted, for what it adds to the
    supplier's prepayments. Paying open bills adds nothing and is not checked."""

    _name = "account.payment"
    _inherit = ["account.payment", "partner.credit.document.mixin"]

    _partner_gate_role = "supplier"
    _partner_release_states = ("draft",)
    _credit_release_field = "payment_id"
    _credit_exposure_component = "prepayment"

    credit_release_needed = fields.Boolean(compute="_compute_credit_release_needed")

    def _compute_credit_release_needed(self):
        refusals = self._get_credit_gated()._get_credit_refusals()
        for payment in self:
            blockers = refusals.get(payment)
            payment.credit_release_needed = bool(blockers) and all(b.releasable for b in blockers)

    def action_post(self):
        for (company, partner), payments in groupby(
            self._get_credit_gated(), key=lambda doc: doc._get_credit_gate_key()
        ):
            partner.with_company(company)._check_transaction_allowed(
                self.browse(pay.id for pay in payments), "supplier"
            )
        return super().action_post()

    def _get_credit_gated(self):
        """The draft outbound supplier payments of ``self`` the gate checks when posted:
        setting on, and adding to the supplier's prepayments."""
        todo = self.filtered(
            lambda pay: isinstance(pay.id, int)
            and pay.state == "draft"
            and pay.payment_type == "outbound"
            and pay.partner_type == "supplier"
            and pay.partner_id
            and pay.company_id.partner_credit_gate_payment
        )
        gated = self.browse()
        for (company, partner), payments in groupby(todo, key=lambda doc: doc._get_credit_gate_key()):
            payments = self.browse(pay.id for pay in payments)
            added = partner.with_company(company)._get_credit_exposure_by_partner(payments)[partner.id][
                "documents"
            ]
            currency = company.currency_id
            gated |= payments.filtered(
                lambda p, a=added, c=currency: c.compare_amounts(a.get(p.id, 0.0), 0.0) > 0
            )
        return gated

    def _get_credit_gate_key(self):
        return (self.company_id, self._get_credit_partner().sudo())

    def _get_credit_amount(self):
        """The payment's amount in the company's currency."""
        self.ensure_one()
        company = self.company_id
        date = self.date or fields.Date.context_today(self)
        return self.currency_id._convert(self.amount, company.currency_id, company, date)

    def _get_credit_release_amount(self):
        self.ensure_one()
        return self.currency_id, self.amount

    def _action_partner_gate_confirm(self):
        return self.action_post()
