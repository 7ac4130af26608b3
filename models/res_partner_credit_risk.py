# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .res_partner import CREDIT_RULE_PREFETCH
from .res_partner_credit_exposure import CREDIT_CONTACTS

CREDIT_HOLD_FIELDS = ("credit_hold", "credit_hold_reason")


class ResPartner(models.Model):
    """Risk responses finance uses besides the limit: credit hold, overdue block,
    temporary limit increases (the figures the decision engine's rules read)."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_hold = fields.Boolean(
        string="On Credit Hold",
        company_dependent=True,
        prefetch=CREDIT_RULE_PREFETCH,  # see res_partner.py
        tracking=True,
        copy=False,
        groups="account.group_account_invoice,account.group_account_readonly,partner_qualification_credit.group_user",
        help="A credit manager stopped credit: orders and invoices are refused until the "
        "hold is lifted, except orders paid in advance.",
    )
    credit_hold_reason = fields.Text(
        company_dependent=True,
        index=False,  # see res_partner.UNINDEXED_FIELDS
        tracking=True,
        copy=False,
        groups="account.group_account_invoice,account.group_account_readonly,partner_qualification_credit.group_user",
    )
    credit_limit_temporary_ids = fields.One2many(
        comodel_name="partner.credit.limit.temporary",
        inverse_name="partner_id",
        string="Temporary Credit Increases",
        groups="partner_qualification_credit.group_user",
    )
    credit_limit_temporary = fields.Monetary(
        string="Temporary Increase",
        compute="_compute_credit_limit_temporary",
        currency_field="credit_currency_id",
        groups="account.group_account_invoice,account.group_account_readonly,partner_qualification_credit.group_user",
        help="Extra credit granted until an end date, on top of the credit limit.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    # Read for every document the engine checks: computed once per partner batch and
    # kept until a grant changes.
    @api.depends_context("company")
    @api.depends(
        "commercial_partner_id.credit_limit_temporary_ids.amount",
        "commercial_partner_id.credit_limit_temporary_ids.date_end",
        "commercial_partner_id.credit_limit_temporary_ids.active",
    )
    def _compute_credit_limit_temporary(self):
        commercial = self.commercial_partner_id._origin
        amounts = self.env["partner.credit.limit.temporary"]._get_active_amounts(commercial, self.env.company)
        for partner in self:
            partner.credit_limit_temporary = amounts.get(partner.commercial_partner_id._origin.id, 0.0)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("credit_hold") or vals.get("credit_hold_reason"):
                self._check_credit_hold_write()
        return super().create(vals_list)

    def write(self, vals):
        if any(name in vals for name in CREDIT_HOLD_FIELDS):
            self._check_credit_hold_write()
            if vals.get("credit_hold") and not (
                vals.get("credit_hold_reason") or all(self.sudo().mapped("credit_hold_reason"))
            ):
                raise ValidationError(self.env._("Say why the partner is put on credit hold."))
        return super().write(vals)

    def _check_credit_hold_write(self):
        if self.env.su or self.env.user.has_group("partner_qualification_credit.group_credit_manager"):
            return
        raise AccessError(self.env._("Only credit managers can put a partner on credit hold or lift it."))

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_credit_overdue_by_partner(self):
        """{commercial partner id: (days overdue of the oldest open receivable, amount
        overdue)} in the current company and its branches, in company currency, from
        the open receivable items only (core's partial index on unreconciled items). The decision
        engine reads it with the exposure, in the same statement."""
        if not self.ids:
            return {}
        self._flush_credit_data()
        contacts = SQL.identifier(CREDIT_CONTACTS)
        query = SQL(
            "WITH %s %s",
            self._credit_contacts_cte(contacts),
            self._credit_overdue_sql(self._get_credit_companies(), contacts),
        )
        rows = self.env.execute_query(query)
        return {partner_id: (days or 0, amount or 0.0) for partner_id, _doc, days, amount, _unused in rows}

    @api.model
    def _credit_overdue_sql(self, companies, contacts):
        """Rows (commercial partner, NULL, days overdue, amount overdue, NULL) of the
        partners of ``contacts`` (see ``_credit_contacts_cte``): the shape of the
        exposure statement's parts."""
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT c.commercial_partner_id, NULL::int,
                   %(today)s - MIN(aml.date_maturity),
                   SUM(aml.amount_residual),
                   NULL::numeric
              FROM account_move_line aml
              JOIN %(contacts)s c ON c.id = aml.partner_id
             WHERE aml.reconciled IS NOT TRUE
               AND aml.parent_state = 'posted'
               AND aml.account_id = ANY(ARRAY(
                    SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
               AND aml.partner_id = ANY(ARRAY(SELECT id FROM %(contacts)s))
               AND aml.company_id = ANY(%(companies)s)
               AND aml.date_maturity < %(today)s
               AND aml.amount_residual > 0
             GROUP BY c.commercial_partner_id
            """,
            today=today,
            contacts=contacts,
            companies=companies,
        )
