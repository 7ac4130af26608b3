# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import frozendict

from .const import GRADE_POLICIES
from .validation import MAX_AMOUNT, check_length_vals, check_number_vals


class PartnerQualificationGrade(models.Model):
    _name = "partner.qualification.grade"
    # Any change reaches the rule values the engine caches (``_get_transaction_values``).
    _inherit = ["partner.cached.rule.mixin"]
    _description = "Partner Grade"
    _order = "sequence, code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        size=8,
        help="Short code printed on orders and reports, e.g. A to E.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    policy = fields.Selection(
        selection=GRADE_POLICIES,
        required=True,
        default="allow",
        help="Allow: orders follow the credit limit only.\n"
        "Restrict: every order needs a credit manager's release.\n"
        "Block: no new order may be confirmed (cooperation ended).",
    )
    # An amount in each company's own currency, hence company-dependent (a Float, as
    # Odoo's own company-dependent ``credit_limit``: Monetary cannot be company-dependent).
    default_credit_limit = fields.Float(
        company_dependent=True,
        digits="Account",
        help="Proposed as the partner's credit limit when this grade is approved.",
    )
    company_currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_company_currency_id",
    )
    min_score = fields.Float(
        string="Minimum Score",
        help="Lowest weighted evaluation score (0-100) that suggests this grade.",
    )
    color = fields.Integer()
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)",
        "A grade code must be unique.",
    )
    _min_score_range = models.Constraint(
        "CHECK(min_score >= 0 AND min_score <= 100)",
        "A grade's minimum score must be between 0 and 100.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_grade_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_grade_values(vals)
        return super().write(vals)

    @api.model
    def _check_grade_values(self, vals):
        check_number_vals(self, vals, {"default_credit_limit": (0.0, MAX_AMOUNT), "min_score": (0.0, 100.0)})
        check_length_vals(self, vals, ["code"])

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_transaction_values(self):
        """{grade id: {field: value}} of every grade in the current company and
        language: the fields the credit engine's rules read (see
        ``res.partner._get_transaction_prefetch_fields``) and the display name. Read
        at every confirmation and banner, and grades are a handful of configuration
        records: kept in the registry's cache, cleared whenever a grade changes."""
        return self._read_transaction_values(self.env.company.id, self.env.lang)

    @tools.ormcache("company_id", "lang")
    def _read_transaction_values(self, company_id, lang):
        fnames = self.env["res.partner"]._get_transaction_prefetch_fields()["partner.qualification.grade"]
        grades = (
            self.sudo()
            .with_company(company_id)
            .with_context(lang=lang, active_test=False)
            .search_fetch([], [*fnames, "code", "name"])
        )
        return frozendict(
            {
                grade.id: frozendict(
                    {fname: grade[fname] for fname in fnames}, display_name=grade.display_name
                )
                for grade in grades
            }
        )

    @api.depends_context("company")
    def _compute_company_currency_id(self):
        self.company_currency_id = self.env.company.currency_id

    @api.depends("code", "name")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = f"{grade.code} - {grade.name}" if grade.code else grade.name

    _rec_names_search = ["code", "name"]
