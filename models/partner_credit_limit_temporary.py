# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import formatLang


class PartnerCreditLimitTemporary(models.Model):
    """An extra amount of credit a credit manager grants a partner until an end date
    (a seasonal peak, a large project). It adds to the limit of the company (and its
    branches) until the end date, then lapses by itself; the daily job archives it and
    says so on the partner. Grants are a log: never edited, only revoked early."""

    _name = "partner.credit.limit.temporary"
    _inherit = ["partner.cached.rule.mixin"]
    # What ``_get_granted_partner_ids`` keeps.
    _cached_rule_fields = ("active",)
    _description = "Temporary Credit Limit Increase"
    _order = "date_end desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    # Limits belong to the root company: its branches share its exposure.
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company.root_id,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Extra Credit", required=True, readonly=True)
    date_end = fields.Date(string="Valid Until", required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Granted By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    active = fields.Boolean(default=True, readonly=True)

    _amount_positive = models.Constraint("CHECK(amount > 0)", "A temporary credit increase must be positive.")

    @api.depends("partner_id", "amount", "date_end")
    def _compute_display_name(self):
        for grant in self:
            grant.display_name = self.env._(
                "%(amount)s until %(date)s",
                amount=formatLang(self.env, grant.amount, currency_obj=grant.currency_id),
                date=grant.date_end,
            )

    @api.constrains("date_end")
    def _check_date_end(self):
        today = fields.Date.context_today(self)
        for grant in self:
            if grant.date_end < today:
                raise ValidationError(self.env._("A temporary credit increase must end today or later."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_credit_manager()
        for vals in vals_list:
            # The grant is the current user's, for the commercial partner.
            vals["user_id"] = self.env.uid
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
        grants = super().create(vals_list)
        for grant in grants:
            grant.partner_id._message_log(
                body=self.env._(
                    "Temporary credit increase of %(amount)s in %(company)s until %(date)s, granted "
                    "by %(user)s: %(reason)s",
                    amount=formatLang(self.env, grant.amount, currency_obj=grant.currency_id),
                    company=grant.company_id.name,
                    date=grant.date_end,
                    user=grant.user_id.name,
                    reason=grant.reason,
                )
            )
        return grants

    def write(self, vals):
        # A grant is a log entry: revoking it (``action_revoke``) is the only change.
        if not self.env.su:
            raise AccessError(
                self.env._("A temporary credit increase cannot be changed: revoke it and grant a new one.")
            )
        return super().write(vals)

    @api.model
    def _check_credit_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "partner_qualification_credit.group_credit_manager"
        ):
            raise AccessError(self.env._("Only credit managers can grant temporary credit increases."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_revoke(self):
        self._check_credit_manager()
        for grant in self.filtered("active"):
            grant.sudo().active = False
            grant.partner_id._message_log(
                body=self.env._(
                    "Temporary credit increase of %(amount)s in %(company)s revoked by %(user)s.",
                    amount=formatLang(self.env, grant.amount, currency_obj=grant.currency_id),
                    company=grant.company_id.name,
                    user=self.env.user.name,
                )
            )
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _get_granted_partner_ids(self):
        """The partners with an active grant, in any company. Grants are few: the
        credit engine reads the grants of the partners among these only, not at every
        check of every partner. Kept in the registry cache, cleared when a grant is
        created, revoked, archived by the daily job or deleted; a partner whose grant
        ended while still listed costs a read, never a wrong limit."""
        self.flush_model(["partner_id", "active"])
        rows = self.env.execute_query(
            SQL("SELECT DISTINCT partner_id FROM partner_credit_limit_temporary WHERE active")
        )
        return frozenset(partner_id for (partner_id,) in rows)

    @api.model
    def _filter_granted(self, partners):
        """The commercial partners of ``partners`` that may have a grant valid today."""
        granted = self._get_granted_partner_ids()
        return partners.filtered(lambda partner: partner.id in granted)

    @api.model
    def _get_active_amounts(self, partners, company):
        """{commercial partner id: extra credit valid today in ``company``'s root}."""
        result = {}
        partners = self._filter_granted(partners)
        if partners:
            query, handler = self.with_company(company)._get_active_amount_part(partners, result)
            for row in self.env.execute_query(query):
                handler(None, *row)
        return result

    @api.model
    def _get_active_amount_sql(self, partner_ids, root):
        """SQL sum of the grants of ``partner_ids`` (SQL: one id or a tuple compared
        with IN) valid today in root company ``root``."""
        return SQL(
            "SELECT COALESCE(SUM(t.amount), 0) FROM partner_credit_limit_temporary t "
            "WHERE t.partner_id IN (%s) AND %s",
            partner_ids,
            self._get_active_condition(root),
        )

    @api.model
    def _get_active_condition(self, root):
        """SQL condition on grant ``t``: it counts today in root company ``root``."""
        self.flush_model(["partner_id", "company_id", "date_end", "active", "amount"])
        return SQL(
            "t.company_id = %s AND t.date_end >= %s AND t.active",
            root.id,
            fields.Date.context_today(self),
        )

    @api.model
    def _get_active_amount_part(self, partners, result):
        """(query, handler) of the credit engine's statement: the grants of ``partners``
        valid today in the current company's root, summed into ``result`` {partner id:
        amount} (see ``res.partner._get_transaction_parts``)."""
        query = SQL(
            """
            SELECT t.partner_id, NULL::int, SUM(t.amount), NULL::numeric, NULL::numeric
              FROM partner_credit_limit_temporary t
             WHERE t.partner_id IN %s AND %s
             GROUP BY t.partner_id
            """,
            tuple(partners.ids) or (0,),
            self._get_active_condition(self.env.company._get_credit_root()),
        )

        def handler(_exposure, partner_id, _other, amount, _b, _c):
            result[partner_id] = amount or 0.0

        return query, handler

    @api.model
    def _cron_expire(self):
        """Archive the grants past their end date and log it on their partners (they
        stopped counting at the end date already)."""
        today = fields.Date.context_today(self)
        expired = self.sudo().search([("date_end", "<", today)])
        for grant in expired:
            grant.partner_id._message_log(
                body=self.env._(
                    "Temporary credit increase of %(amount)s in %(company)s expired on %(date)s.",
                    amount=formatLang(self.env, grant.amount, currency_obj=grant.currency_id),
                    company=grant.company_id.name,
                    date=grant.date_end,
                )
            )
        expired.write({"active": False})
        return True
