# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import operator as py_operator

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

# Comparison operators a credit figure can be searched with.
FIGURE_OPERATORS = {
    "<": py_operator.lt,
    "<=": py_operator.le,
    ">": py_operator.gt,
    ">=": py_operator.ge,
}

# Figures computed by the exposure engine that the partner lists search and sort by.
SEARCHABLE_FIGURES = ("credit_usage", "credit_exposure")


class ResPartner(models.Model):
    """Credit figures the lists search, filter and sort by, computed on demand by the
    exposure engine for the partners concerned: nothing is stored on the partner, so
    no invoice or payment ever writes on it and the figures are never stale."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    credit_usage = fields.Float(search="_search_credit_usage")
    credit_exposure = fields.Monetary(search="_search_credit_exposure")
    credit_over_limit = fields.Boolean(
        string="Over Credit Limit",
        compute="_compute_credit_flags",
        search="_search_credit_over_limit",
        groups="account.group_account_invoice,account.group_account_readonly,partner_qualification_credit.group_user",
    )
    credit_above_threshold = fields.Boolean(
        string="Credit Usage Above Threshold",
        compute="_compute_credit_flags",
        search="_search_credit_above_threshold",
        groups="account.group_account_invoice,account.group_account_readonly,partner_qualification_credit.group_user",
        help="Credit usage at or above the warning threshold of the settings.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_flags(self):
        threshold = self.env.company.partner_credit_warning_threshold
        currency = self.env.company.currency_id
        for partner in self:
            limited = not partner.credit_unlimited
            partner.credit_over_limit = limited and (
                currency.compare_amounts(
                    partner.credit_exposure, partner.credit_exposure + partner.credit_available
                )
                > 0
            )
            partner.credit_above_threshold = limited and partner.credit_usage >= threshold

    def _search_credit_usage(self, operator, value):
        return self._search_credit_figure("credit_usage", operator, value)

    def _search_credit_exposure(self, operator, value):
        return self._search_credit_figure("credit_exposure", operator, value)

    def _search_credit_over_limit(self, operator, value):
        return self._search_credit_figure("credit_over_limit", operator, value)

    def _search_credit_above_threshold(self, operator, value):
        return self._search_credit_figure("credit_above_threshold", operator, value)

    def _search_credit_figure(self, key, operator, value):
        # Search methods bypass the field's groups: check them as a read would.
        self._check_field_access(self._fields[key], "read")
        if operator in ("in", "not in"):
            values = set(value)
            positive = operator == "in"
            return self._get_credit_figure_domain(lambda figures: (figures[key] in values) == positive)
        compare = FIGURE_OPERATORS.get(operator)
        if compare is None or isinstance(value, bool) or not isinstance(value, int | float):
            return NotImplemented
        return self._get_credit_figure_domain(lambda figures: compare(figures[key], value))

    # ------------------------------------------------------------
    # ORDER
    # ------------------------------------------------------------

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Sort by a credit figure: computed by the engine for the partners the query
        selects (none when the client only asks whether the field is sortable), then
        ordered through a JSON map of the values."""
        if field_name not in SEARCHABLE_FIGURES:
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        self._check_field_access(self._fields[field_name], "read")
        values = {}
        if not query.is_empty():
            rows = self.env.execute_query(query.select(SQL.identifier(alias, "commercial_partner_id")))
            partners = self.browse({row[0] for row in rows if row[0]})
            values = {
                str(partner_id): figures[field_name]
                for partner_id, figures in partners._get_credit_figures_by_partner().items()
            }
        sql_field = SQL(
            "COALESCE((%s::jsonb ->> %s::text)::float, 0)",
            json.dumps(values),
            SQL.identifier(alias, "commercial_partner_id"),
        )
        query._order_groupby.append(sql_field)
        return SQL("%s %s %s", sql_field, direction, nulls)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_credit_search_candidates(self):
        """Commercial partners whose credit figures can differ from zero in the current
        company: those admitted there and those with a credit limit. Partners neither
        admitted nor given a limit cannot be on a confirmed order (admission gate)."""
        root = self.env.company.root_id
        commercial = Domain("is_company", "=", True) | Domain("parent_id", "=", False)
        admitted = self.sudo().search(commercial & Domain("admission_state", "=", "approved"))
        limited = self.sudo().with_company(root).search(commercial & Domain("credit_limit", ">", 0))
        return (admitted | limited).sudo(False).with_company(self.env.company)

    def _get_credit_figures_by_partner(self):
        """Exposure, usage and flags of the commercial partners ``self``, by the
        engine's set-based queries (a constant number whatever the number of partners).

        :return: {partner_id: {'credit_exposure', 'credit_usage', 'credit_over_limit',
            'credit_above_threshold'}}
        """
        company = self.env.company
        currency = company.currency_id
        threshold = company.partner_credit_warning_threshold
        partners = self.commercial_partner_id
        exposures = partners._get_credit_exposure_by_partner()
        limits = partners._get_credit_limit_infos()
        result = {}
        for partner in partners:
            exposure = exposures[partner.id]["exposure"]
            limit, unlimited = limits[partner.id]
            usage = self._get_credit_usage(exposure, limit, unlimited)
            result[partner.id] = {
                "credit_exposure": exposure,
                "credit_usage": usage,
                "credit_over_limit": not unlimited and currency.compare_amounts(exposure, limit) > 0,
                "credit_above_threshold": not unlimited and usage >= threshold,
            }
        return result

    def _get_credit_figure_domain(self, predicate):
        """Domain of the partners whose figures satisfy ``predicate``; a partner shares
        the figures of its commercial entity. Partners outside the candidates have
        every figure at zero (and no flag)."""
        candidates = self._get_credit_search_candidates()
        figures = candidates._get_credit_figures_by_partner()
        matching = [pid for pid, values in figures.items() if predicate(values)]
        zero = {
            "credit_exposure": 0.0,
            "credit_usage": 0.0,
            "credit_over_limit": False,
            "credit_above_threshold": False,
        }
        if predicate(zero):
            matched = set(matching)
            failing = [pid for pid in figures if pid not in matched]
            return Domain("commercial_partner_id", "not in", failing)
        return Domain("commercial_partner_id", "in", matching)
