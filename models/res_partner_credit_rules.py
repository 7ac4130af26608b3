# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .res_partner_transaction import TransactionBlocker


class ResPartner(models.Model):
    """The risk responses as rules of the decision engine: credit hold, overdue block,
    payment-term cap, and the prepaid exemption of the credit limit."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # ENGINE
    # ------------------------------------------------------------

    @api.model
    def _get_transaction_rules(self):
        rules = list(super()._get_transaction_rules())
        position = rules.index("_get_credit_limit_blocker")
        rules[position:position] = [
            "_get_credit_hold_blocker",
            "_get_overdue_blocker",
            "_get_payment_term_blocker",
        ]
        return tuple(rules)

    @api.model
    def _get_transaction_prefetch_fields(self):
        fnames = super()._get_transaction_prefetch_fields()
        fnames["res.partner"] += ["credit_hold", "credit_limit"]
        fnames["partner.qualification.grade"] += [
            "max_payment_term_days",
            "credit_overdue_days",
            "credit_overdue_amount",
        ]
        return fnames

    @api.model
    def _get_transaction_exposure_options(self, role):
        options = super()._get_transaction_exposure_options(role)
        options["overdue"] = role == "customer" and self._is_overdue_block_enabled()
        return options

    @api.model
    def _is_overdue_block_enabled(self):
        """Whether the current company or any grade sets an overdue limit: otherwise the
        statement does not read the overdue receivables."""
        settings = self.env.company._get_credit_settings()
        if settings["partner_credit_overdue_days"] or settings["partner_credit_overdue_amount"]:
            return True
        grades = self.env["partner.qualification.grade"]._get_transaction_values().values()
        return any(grade["credit_overdue_days"] or grade["credit_overdue_amount"] for grade in grades)

    def _prepare_transaction_data(self, documents, role, lock=False, held=None):
        data = super()._prepare_transaction_data(documents, role, lock=lock, held=held)
        # Read with the exposure (see ``_get_transaction_exposure_options``).
        data["overdue"] = {
            partner_id: figures.pop("overdue", (0, 0.0)) for partner_id, figures in data["exposure"].items()
        }
        # Read on first use (see ``_is_transaction_prepaid``): only a refusal asks.
        data["prepaid"] = None
        return data

    @api.model
    def _is_transaction_prepaid(self, documents, data):
        if not documents:
            return False
        if data.get("prepaid") is None:
            batch = data["batch"]
            prepaid = getattr(batch, "_get_credit_prepaid", None)
            data["prepaid"] = prepaid() if batch and prepaid else ()
        return all(doc._origin in data["prepaid"] for doc in documents)

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _get_credit_hold_blocker(self, documents, data):
        if not self.credit_hold or self._is_transaction_prepaid(documents, data):
            return None
        return TransactionBlocker(
            kind="credit_hold",
            message=self.env._(
                "%(partner)s is on credit hold in %(company)s: %(reason)s\n"
                "Only documents paid in advance are accepted until a credit manager "
                "(%(managers)s) lifts the hold.",
                partner=self.display_name,
                company=self.env.company._get_credit_settings()["name"],
                reason=self.credit_hold_reason or "-",
                managers=self._get_group_user_names("partner_qualification_credit.group_credit_manager"),
            ),
            figures={"reason": self.credit_hold_reason},
        )

    def _get_overdue_blocker(self, documents, data):
        if data["role"] != "customer":
            return None
        max_days, max_amount = self.qualification_grade_id._get_credit_overdue_limits()
        days, amount = data["overdue"].get(self.id, (0, 0.0))
        over_days = max_days and days > max_days
        over_amount = max_amount and self._compare_credit_amounts(amount, max_amount) > 0
        if not (over_days or over_amount):
            return None
        return TransactionBlocker(
            kind="overdue",
            message=self.env._(
                "%(partner)s has overdue receivables in %(company)s: %(amount)s, the oldest "
                "%(days)s days past due (allowed: %(max_days)s days, %(max_amount)s).\n"
                "Collect the overdue invoices first, or ask a credit manager (%(managers)s) "
                "for a release.",
                partner=self.display_name,
                company=self.env.company._get_credit_settings()["name"],
                amount=self._format_credit_amount(amount),
                days=days,
                max_days=max_days or "-",
                max_amount=self._format_credit_amount(max_amount) if max_amount else "-",
                managers=self._get_group_user_names("partner_qualification_credit.group_credit_manager"),
            ),
            releasable=True,
            released=self._is_transaction_released(documents, data),
            figures={"days": days, "amount": amount, "max_days": max_days, "max_amount": max_amount},
        )

    def _get_payment_term_blocker(self, documents, data):
        cap = self._get_transaction_grade().get("max_payment_term_days")
        if data["role"] != "customer" or not cap or not documents:
            return None
        too_long = []
        for document in documents:
            if not hasattr(document, "_get_credit_payment_term"):
                continue
            term, date = document._get_credit_payment_term()
            if term and self._get_payment_term_days(term, date) > cap:
                too_long.append((document, term))
        if not too_long:
            return None
        allowed = self._get_payment_terms_within(cap)
        return TransactionBlocker(
            kind="payment_term",
            message=self.env._(
                "%(partner)s is graded %(grade)s: payment terms of at most %(days)s days. "
                "%(documents)s uses %(term)s.\nChoose one of: %(allowed)s.",
                partner=self.display_name,
                grade=self.qualification_grade_id.display_name,
                days=cap,
                documents=", ".join(doc.display_name for doc, _term in too_long),
                term=", ".join({term.display_name for _doc, term in too_long}),
                allowed=", ".join(allowed.mapped("display_name")) or self.env._("immediate payment"),
            ),
            figures={"max_days": cap, "allowed_term_ids": allowed.ids},
        )

    def _get_credit_limit_blocker(self, documents, data):
        blocker = super()._get_credit_limit_blocker(documents, data)
        # Paid in advance: no credit is given.
        if blocker and self._is_transaction_prepaid(documents, data):
            return None
        return blocker

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _get_payment_term_days(self, term, date):
        """Days from ``date`` to the last due date of payment term ``term``."""
        date = date or fields.Date.context_today(self)
        return max(((line._get_due_date(date) - date).days for line in term.line_ids), default=0)

    @api.model
    def _get_payment_terms_within(self, cap):
        today = fields.Date.context_today(self)
        terms = self.env["account.payment.term"].search([("company_id", "in", [False, self.env.company.id])])
        return terms.filtered(lambda term: self._get_payment_term_days(term, today) <= cap)
