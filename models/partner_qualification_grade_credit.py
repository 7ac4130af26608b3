# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PartnerQualificationGrade(models.Model):
    """Risk responses a grade tightens, per company (like the grade's default limit)."""

    _inherit = "partner.qualification.grade"

    credit_overdue_days = fields.Integer(
        string="Overdue Block After (Days)",
        company_dependent=True,
        help="Stricter than the company's setting for partners of this grade: refuse "
        "orders and invoices when receivables are overdue by more than this many days. "
        "0: the company's setting applies.",
    )
    credit_overdue_amount = fields.Float(
        string="Overdue Block Above (Amount)",
        company_dependent=True,
        digits="Account",
        help="Stricter than the company's setting for partners of this grade: refuse "
        "orders and invoices when overdue receivables exceed this amount. 0: the "
        "company's setting applies.",
    )
    max_payment_term_days = fields.Integer(
        string="Longest Payment Term (Days)",
        company_dependent=True,
        help="Orders of partners of this grade may not use a payment term longer than "
        "this many days (e.g. 30 for grade D). 0: no cap.",
    )

    def _get_credit_overdue_limits(self):
        """(days, amount) of the overdue block in the current company for partners of
        grade ``self`` (may be empty): the stricter of the company's and the grade's
        non-zero values; 0 means off."""
        settings = self.env.company._get_credit_settings()

        def stricter(company_value, grade_value):
            values = [value for value in (company_value, grade_value) if value > 0]
            return min(values) if values else 0

        values = self._get_transaction_values().get(self.id, {}) if self else {}
        return (
            stricter(settings["partner_credit_overdue_days"], values.get("credit_overdue_days") or 0),
            stricter(settings["partner_credit_overdue_amount"], values.get("credit_overdue_amount") or 0.0),
        )
