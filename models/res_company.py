# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import frozendict

from .const import EVALUATION_CRITERIA, EVALUATION_WEIGHT_FIELDS, SETTINGS_PREFETCH
from .validation import check_number_vals

# The settings the credit check reads at every confirmation and banner.
CREDIT_SETTING_FIELDS = (
    "partner_admission_required",
    "partner_block_invalid_documents",
    "partner_credit_limit_required",
    "partner_credit_receivable",
    "partner_credit_draft_invoice",
    "partner_credit_sale_order",
    "partner_credit_prepayment",
    "partner_credit_purchase_order",
    "partner_credit_draft_bill",
    "partner_credit_warning_threshold",
    "partner_credit_overdue_days",
    "partner_credit_overdue_amount",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    partner_admission_required = fields.Boolean(
        string="Require Admission Before Transactions",
        default=True,
        help="Sale and purchase orders can only be confirmed for partners whose "
        "admission was approved for this company.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_block_invalid_documents = fields.Boolean(
        string="Block on Invalid Documents",
        default=True,
        help="Orders are refused while a mandatory qualification document of the "
        "partner is missing or expired.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_default_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Default Grade for New Partners",
        default=lambda self: self.env.ref("partner_qualification_credit.grade_c", raise_if_not_found=False),
        help="Grade given to a partner when its admission is approved.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_limit_required = fields.Boolean(
        string="Every Partner Needs a Credit Limit",
        default=True,
        help="On: a credit limit of 0 means no credit at all. Off: 0 means unlimited.",
        prefetch=SETTINGS_PREFETCH,
    )

    # ------------------------------------------------------------
    # Admission workflow
    # ------------------------------------------------------------

    partner_admission_reviewer_can_approve = fields.Boolean(
        string="Reviewer May Approve",
        help="Small companies: the approver who reviewed an admission request may also "
        "approve it. Off: review and approval need two different people.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_admission_identity_review = fields.Boolean(
        string="Re-review on Identity Change",
        default=True,
        help="Changing the name, tax ID, company registry or a licence number of an "
        "admitted partner sends it back to review with a new admission request.",
        prefetch=SETTINGS_PREFETCH,
    )

    # Credit control: what counts in a partner's exposure
    # ------------------------------------------------------------

    partner_credit_receivable = fields.Boolean(
        string="Count Open Receivables",
        default=True,
        help="Residual of posted, unreconciled receivable journal items (unapplied "
        "customer payments reduce it).",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_draft_invoice = fields.Boolean(
        string="Count Draft Customer Invoices",
        default=True,
        help="Draft customer invoices and credit notes (the quantities they invoice are "
        "no longer counted on their sale orders).",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_sale_order = fields.Boolean(
        string="Count Confirmed Sale Orders Not Yet Invoiced",
        default=True,
        help="Tax included, per line, net of what is already invoiced.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_prepayment = fields.Boolean(
        string="Count Supplier Prepayments",
        default=True,
        help="Debit balance of the partner's payable journal items: money paid to the "
        "supplier and not yet matched with bills.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_purchase_order = fields.Boolean(
        string="Count Confirmed Purchase Orders Not Yet Billed",
        default=True,
        help="Tax included, per line, net of what is already billed.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_draft_bill = fields.Boolean(
        string="Count Draft Vendor Bills",
        default=False,
        help="Draft vendor bills and refunds (the quantities they bill are no longer "
        "counted on their purchase orders).",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_warning_threshold = fields.Float(
        string="Credit Usage Warning (%)",
        default=80.0,
        help="When a confirmed order takes a partner's credit usage to this percentage "
        "or more, its applicant gets a to-do to follow up, once until usage drops again.",
        prefetch=SETTINGS_PREFETCH,
    )

    # Credit control: documents outside orders and risk responses
    # ------------------------------------------------------------

    partner_credit_gate_invoice = fields.Boolean(
        string="Check Customer Invoices",
        default=True,
        help="Posting a customer invoice passes the transaction gate for what it adds "
        "to the exposure beyond its (already checked) sale orders.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_gate_bill = fields.Boolean(
        string="Check Vendor Bills",
        default=True,
        help="Posting a vendor bill passes the transaction gate for what it adds beyond "
        "its (already checked) purchase orders.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_gate_payment = fields.Boolean(
        string="Check Supplier Advance Payments",
        default=True,
        help="Posting an outbound payment to a supplier that is not matched with posted "
        "bills (a prepayment) passes the credit limit.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_overdue_days = fields.Integer(
        string="Block Overdue After (Days)",
        default=0,
        help="Refuse new orders and invoices of a partner with receivables overdue by "
        "more than this many days. 0: off. A grade may set a tighter value.",
        prefetch=SETTINGS_PREFETCH,
    )
    partner_credit_overdue_amount = fields.Float(
        string="Block Overdue Above (Amount)",
        digits="Account",
        default=0.0,
        help="Refuse new orders and invoices of a partner whose overdue receivables "
        "exceed this amount (company currency). 0: off. A grade may set a tighter value.",
        prefetch=SETTINGS_PREFETCH,
    )

    # Periodic evaluation: criteria weights per role
    # ------------------------------------------------------------

    evaluation_weight_customer_standing = fields.Integer(
        string="Customer: Standing Weight", default=20, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_customer_cooperation = fields.Integer(
        string="Customer: Cooperation Weight", default=20, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_customer_payment = fields.Integer(
        string="Customer: Payment Weight", default=40, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_customer_potential = fields.Integer(
        string="Customer: Potential Weight", default=10, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_customer_other = fields.Integer(
        string="Customer: Other Weight", default=10, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_supplier_standing = fields.Integer(
        string="Supplier: Standing Weight", default=20, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_supplier_cooperation = fields.Integer(
        string="Supplier: Cooperation Weight", default=40, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_supplier_payment = fields.Integer(
        string="Supplier: Payment Weight", default=15, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_supplier_potential = fields.Integer(
        string="Supplier: Potential Weight", default=15, prefetch=SETTINGS_PREFETCH
    )
    evaluation_weight_supplier_other = fields.Integer(
        string="Supplier: Other Weight", default=10, prefetch=SETTINGS_PREFETCH
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_partner_settings_values(vals)
        companies = super().create(vals_list)
        companies._copy_grade_default_limits()
        # A new branch joins its root's exposure (see ``_get_credit_settings``).
        self.env.registry.clear_cache()
        return companies

    def write(self, vals):
        self._check_partner_settings_values(vals)
        return super().write(vals)

    def cache_invalidation_fields(self):
        # What ``_get_credit_settings`` keeps.
        return super().cache_invalidation_fields() | {
            *CREDIT_SETTING_FIELDS,
            "name",
            "currency_id",
            "parent_id",
            "active",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_credit_settings(self):
        """What the credit check reads of company ``self`` (one): its settings
        (``CREDIT_SETTING_FIELDS``), name, currency and how it rounds and prints, root company and the active
        companies sharing its exposure. Read at every confirmation and banner, where
        reading one field of the company would fetch its whole wide row: kept in the
        registry's cache, cleared when a company is created, archived or changed."""
        self.ensure_one()
        return self._read_credit_settings(self.id)

    def _get_credit_root(self):
        """The root company of ``self`` (one), whose limit and exposure its branches
        share, without reading the company's row (see ``_get_credit_settings``)."""
        return self.browse(self._get_credit_settings()["root_id"])

    @tools.ormcache("company_id")
    def _read_credit_settings(self, company_id):
        company = self.sudo().browse(company_id)
        root = company.root_id
        # The root and its active branches share one exposure.
        branches = (
            self.sudo().with_context(active_test=True).search([("id", "child_of", root.id)], order="id")
        )
        return frozendict(
            {fname: company[fname] for fname in CREDIT_SETTING_FIELDS},
            id=company.id,
            name=company.name,
            currency_id=company.currency_id.id,
            currency_rounding=company.currency_id.rounding,
            currency_decimal_places=company.currency_id.decimal_places,
            currency_symbol=company.currency_id.symbol,
            currency_position=company.currency_id.position,
            root_id=root.id,
            root_currency_id=root.currency_id.id,
            credit_company_ids=tuple(branches.ids),
        )

    @api.model
    def _check_partner_settings_values(self, vals):
        """Settings are checked before they reach their (integer, float) columns."""
        ranges = dict.fromkeys(EVALUATION_WEIGHT_FIELDS, (0, 100))
        ranges["partner_credit_warning_threshold"] = (0.0, 1000.0)
        check_number_vals(self, vals, ranges)

    @api.constrains(*EVALUATION_WEIGHT_FIELDS)
    def _check_evaluation_weights(self):
        roles = {"customer": self.env._("customers"), "supplier": self.env._("suppliers")}
        for company in self:
            for role, label in roles.items():
                weights = company._get_evaluation_weights(role)
                if any(weight < 0 or weight > 100 for weight in weights.values()):
                    raise ValidationError(
                        self.env._(
                            "Evaluation weights for %(role)s must each be between 0 and 100.",
                            role=label,
                        )
                    )
                if sum(weights.values()) != 100:
                    raise ValidationError(
                        self.env._(
                            "The evaluation weights for %(role)s add up to %(total)s; they must "
                            "add up to 100. Adjust them in Settings > Partner Qualification.",
                            role=label,
                            total=sum(weights.values()),
                        )
                    )

    def _get_evaluation_weights(self, role):
        """Weights (criterion -> percent) of the evaluation criteria for ``role``
        ('customer', 'supplier'; 'both': the mean of the two, still summing to 100)."""
        self.ensure_one()
        if role == "both":
            customer = self._get_evaluation_weights("customer")
            supplier = self._get_evaluation_weights("supplier")
            return {key: (customer[key] + supplier[key]) / 2 for key in customer}
        role = role if role in ("customer", "supplier") else "customer"
        return {criterion: self[f"evaluation_weight_{role}_{criterion}"] for criterion in EVALUATION_CRITERIA}

    def _copy_grade_default_limits(self):
        """A new company starts from the grades' default limits of the company creating it
        (company-dependent values have no per-record fallback): without them, every partner
        it admits would get a limit of 0. Finance adjusts them on the grades."""
        grades = (
            self.env["partner.qualification.grade"]
            .sudo()
            .with_context(active_test=False)
            .search([("active", "in", (True, False))])
        )
        for grade in grades:
            limit = grade.with_company(self.env.company).default_credit_limit
            if limit:
                for company in self:
                    grade.with_company(company).default_credit_limit = limit
