# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup
from stdnum.cn import uscc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .const import (
    ADMISSION_STATES,
    BUSINESS_LICENCE,
    PARTNER_ROLES,
    QUALIFICATION_SEVERITY,
    QUALIFICATION_STATES,
    SEVERITY_STATE,
    compact_code,
)

# Changing one of these on an admitted partner sends it back to review (admission workflow).
ADMISSION_IDENTITY_FIELDS = ("name", "vat", "company_registry")

# Changed outside a rating through the "Change Grade / Limit" assistant only, which asks
# for a reason, gets leadership's (grade) and finance's (limit) approval and keeps the
# history; the rating and admission workflows write them with superuser rights.
CHANGE_ASSISTANT_FIELDS = ("qualification_grade_id", "credit_limit")

# Who may write which qualification field on a partner. ``None``: nobody directly; only the
# workflows that own the value (approved admission request, evaluation approval, install
# hook) write it, with superuser rights, after their own checks.
PROTECTED_FIELD_GROUPS = {
    "admission_state": None,
    "qualification_applicant_id": "partner_qualification_credit.group_officer",
    "qualification_application_date": "partner_qualification_credit.group_officer",
    "cooperation_content": "partner_qualification_credit.group_officer",
    "registered_address": "partner_qualification_credit.group_officer",
    "registered_capital": "partner_qualification_credit.group_officer",
    "business_contact_name": "partner_qualification_credit.group_officer",
    "business_contact_phone": "partner_qualification_credit.group_officer",
    "business_manager_name": "partner_qualification_credit.group_officer",
    "business_manager_phone": "partner_qualification_credit.group_officer",
    "partner_role": "partner_qualification_credit.group_officer",
    "scale_class": "partner_qualification_credit.group_officer",
    "strategic_class": "partner_qualification_credit.group_officer",
    "qualification_note": "partner_qualification_credit.group_officer",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Per company: a partner shared by several companies of a group has its own
    # relationship (admission, grade, limit) with each of them, like ``credit_limit``.
    qualification_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Grade",
        company_dependent=True,
        tracking=True,
        copy=False,
    )
    qualification_grade_policy = fields.Selection(
        related="qualification_grade_id.policy",
        string="Grade Policy",
    )
    admission_state = fields.Selection(
        selection=ADMISSION_STATES,
        string="Admission",
        company_dependent=True,
        tracking=True,
        copy=False,
        help="Only approved partners can be used on confirmed sale and purchase orders. "
        "Set by the admission workflow only.",
    )
    credit_limit = fields.Float(
        tracking=True,
        groups="account.group_account_invoice,account.group_account_readonly,"
        "partner_qualification_credit.group_user",
    )
    # The register (台账)
    qualification_applicant_id = fields.Many2one(
        comodel_name="res.users",
        string="Applicant",
        tracking=True,
        copy=False,
        help="User of the business department responsible for this relationship: "
        "receives reminders and evaluates the partner.",
    )
    qualification_application_date = fields.Date(string="Application Date", copy=False)
    cooperation_content = fields.Text(copy=False)
    registered_address = fields.Char(copy=False)
    registered_capital = fields.Monetary(copy=False, currency_field="currency_id")
    business_contact_name = fields.Char(string="Business Contact", copy=False)
    business_contact_phone = fields.Char(copy=False)
    business_manager_name = fields.Char(copy=False)
    business_manager_phone = fields.Char(copy=False)
    partner_role = fields.Selection(
        selection=PARTNER_ROLES,
        copy=False,
        help="Decides which qualification documents are mandatory.",
    )
    scale_class = fields.Selection(
        selection=[("large", "Large"), ("medium", "Medium"), ("small", "Small")],
        string="Scale",
        copy=False,
        help="Classification by annual business volume.",
    )
    strategic_class = fields.Selection(
        selection=[("core", "Core"), ("important", "Important"), ("general", "General")],
        string="Strategic Importance",
        copy=False,
    )
    qualification_note = fields.Text(string="Register Notes", copy=False)
    qualification_document_ids = fields.One2many(
        comodel_name="partner.qualification.document",
        inverse_name="partner_id",
        string="Qualification Documents",
    )
    qualification_document_count = fields.Integer(compute="_compute_qualification_document_count")
    qualification_state = fields.Selection(
        selection=QUALIFICATION_STATES,
        string="Qualification",
        compute="_compute_qualification_state",
        search="_search_qualification_state",
        help="Worst state of the mandatory documents for the partner's role.",
    )

    # ------------------------------------------------------------
    # COMPUTE / SEARCH
    # ------------------------------------------------------------

    def _compute_qualification_document_count(self):
        counts = dict(
            self.env["partner.qualification.document"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.qualification_document_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends(
        "partner_role",
        "commercial_partner_id.partner_role",
        "commercial_partner_id.country_id",
        "commercial_partner_id.qualification_document_ids.expiry_date",
        "commercial_partner_id.qualification_document_ids.active",
    )
    def _compute_qualification_state(self):
        commercial = self.commercial_partner_id
        severities = {}
        if commercial.ids:
            self._flush_qualification_data()
            severities = dict(
                self.env.execute_query(
                    self._qualification_severity_sql(SQL("p.id IN %s", tuple(commercial.ids)))
                )
            )
        for partner in self:
            severity = severities.get(partner.commercial_partner_id.id, 0)
            partner.qualification_state = SEVERITY_STATE[severity]

    def _search_qualification_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        self._flush_qualification_data()
        wanted = {QUALIFICATION_SEVERITY[state] for state in value if state in QUALIFICATION_SEVERITY}
        if operator == "not in":
            wanted = set(SEVERITY_STATE) - wanted
        # Only problems have rows in the severity query (one sub-query whatever the number
        # of partners); "ok" partners are those without the problems that were not asked.
        if 0 in wanted:
            return [
                (
                    "commercial_partner_id",
                    "not in",
                    self._qualification_problem_sql(set(SEVERITY_STATE) - wanted),
                )
            ]
        return [("commercial_partner_id", "in", self._qualification_problem_sql(wanted))]

    @api.model
    def _qualification_problem_sql(self, severities):
        return SQL(
            "SELECT sev.partner_id FROM (%s) sev WHERE sev.severity IN %s",
            self._qualification_severity_sql(SQL("TRUE")),
            tuple(severities) or (-1,),
        )

    @api.model
    def _qualification_requirement_sql(self, partner_condition, default_role=None, role_override=None):
        """Rows (partner_id, type_id, type_name, best_expiry, reminder_days): one per
        commercial partner matching ``partner_condition`` (on alias ``p``) and mandatory
        document type of its role, with the latest expiry of its active documents of
        that type (NULL: none; 'infinity': no expiry date).

        :param default_role: role assumed when the partner has none (e.g. 'customer'
            when a sale order is confirmed); without it such partners need nothing.
        :param role_override: role that replaces the partner's own (the role an admission
            request applies for).
        """
        return SQL(
            """
            SELECT p.id AS partner_id, t.id AS type_id, t.reminder_days,
                   (SELECT MAX(COALESCE(d.expiry_date, 'infinity'::date))
                      FROM partner_qualification_document d
                     WHERE d.partner_id = p.id AND d.type_id = t.id AND d.active) AS best_expiry
              FROM res_partner p
              JOIN partner_qualification_document_type t
                ON t.mandatory AND t.active
               AND COALESCE(%(override)s, p.partner_role, %(role)s) IS NOT NULL
               AND (t.applies_to = 'both'
                    OR COALESCE(%(override)s, p.partner_role, %(role)s) IN ('both', t.applies_to))
               AND %(country)s
             WHERE p.id = p.commercial_partner_id AND %(condition)s
            """,
            role=default_role,
            override=role_override,
            condition=partner_condition,
            country=self._qualification_country_sql(),
        )

    @api.model
    def _qualification_country_sql(self):
        """Condition on type ``t`` and partner ``p``: the type applies to the partner's
        country. Without a country, a partner is held to the country-specific types (not
        to the "all countries except" ones): leaving the country empty must not lift the
        national documents."""
        return SQL(
            """
            (NOT EXISTS (SELECT 1 FROM partner_qualification_document_type_country_rel r
                          WHERE r.type_id = t.id)
             OR (p.country_id IS NULL AND NOT COALESCE(t.country_exclusion, FALSE))
             OR (p.country_id IS NOT NULL AND COALESCE(t.country_exclusion, FALSE) <> EXISTS (
                    SELECT 1 FROM partner_qualification_document_type_country_rel r
                     WHERE r.type_id = t.id AND r.country_id = p.country_id)))
            """
        )

    @api.model
    def _flush_qualification_data(self):
        """The requirement queries read these columns directly: write pending changes."""
        self.env["partner.qualification.document"].flush_model(
            ["partner_id", "type_id", "expiry_date", "active"]
        )
        self.env["partner.qualification.document.type"].flush_model(
            ["mandatory", "active", "applies_to", "reminder_days", "country_ids", "country_exclusion"]
        )
        self.flush_model(["partner_role", "commercial_partner_id", "country_id"])

    @api.model
    def _qualification_severity_sql(self, partner_condition, default_role=None):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT req.partner_id,
                   MAX(CASE WHEN req.best_expiry IS NULL THEN 3
                            WHEN req.best_expiry < %(today)s THEN 2
                            WHEN req.best_expiry <= %(today)s + req.reminder_days THEN 1
                            ELSE 0 END) AS severity
              FROM (%(requirements)s) req
             GROUP BY req.partner_id
            """,
            today=today,
            requirements=self._qualification_requirement_sql(partner_condition, default_role),
        )

    def _get_document_issues(self, default_role=None, role_override=None):
        """Mandatory documents of commercial partner ``self`` that are missing or expired.

        :return: list of (document type, 'missing' | 'expired', best expiry date or None)
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        self._flush_qualification_data()
        rows = self.env.execute_query(
            self._qualification_requirement_sql(SQL("p.id = %s", self.id), default_role, role_override)
        )
        issues = [
            (type_id, "missing" if best_expiry is None else "expired", best_expiry)
            for _partner_id, type_id, _days, best_expiry in rows
            if best_expiry is None or best_expiry < today
        ]
        types = self.env["partner.qualification.document.type"].browse([i[0] for i in issues])
        return [
            (doc_type, state, expiry) for doc_type, (_id, state, expiry) in zip(types, issues, strict=True)
        ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Empty values and the "not admitted" fallback (filled in by default_get, e.g.
            # for the partner of a new user) change nothing: only real values are checked.
            self._check_qualification_write(
                {
                    key: value
                    for key, value in vals.items()
                    if value and not (key == "admission_state" and value == "none")
                }
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self._check_qualification_write(vals)
        identity_changed = self._get_admission_identity_changes(vals)
        res = super().write(vals)
        identity_changed._reopen_admission_on_identity_change()
        return res

    def _check_qualification_write(self, vals):
        """Protected qualification fields are changed only by the people (or workflows)
        that own them, whatever the client sends."""
        if self.env.su:
            return
        # Only real changes: Odoo's own "Partner Limit" switch writes the unchanged limit back.
        assisted = [
            name
            for name in CHANGE_ASSISTANT_FIELDS
            if name in vals
            and (
                not self
                or any(self._fields[name].convert_to_write(p[name], p) != vals[name] for p in self.sudo())
            )
        ]
        if assisted:
            raise AccessError(
                self.env._(
                    "'%(field)s' is changed with the 'Change Grade / Limit' button of the partner "
                    "(Qualification tab): it asks for the reason and the approvals, and keeps the history.",
                    field=self._fields[assisted[0]].get_description(self.env)["string"],
                )
            )
        for field_name in vals.keys() & PROTECTED_FIELD_GROUPS.keys():
            group = PROTECTED_FIELD_GROUPS[field_name]
            if group and self.env.user.has_group(group):
                continue
            description = self._fields[field_name].get_description(self.env)["string"]
            if group is None:
                raise AccessError(
                    self.env._(
                        "The field '%(field)s' cannot be changed by hand: it is set when an "
                        "admission request is approved. Submit an admission request instead.",
                        field=description,
                    )
                )
            raise AccessError(
                self.env._(
                    "You are not allowed to change '%(field)s' on partners: only members of "
                    "the group '%(group)s' can. Ask them to make the change.",
                    field=description,
                    group=self.env.ref(group).display_name,
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_qualification_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.partner_qualification_document_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    # ------------------------------------------------------------
    # BUSINESS: the transaction gate
    # ------------------------------------------------------------

    def _get_unified_social_credit_code(self):
        """The partner's USCC: its business licence number, else its VAT or registry when
        that is a valid USCC (not a pre-2015 number nor a foreign VAT); '' when none."""
        self.ensure_one()
        partner = self.commercial_partner_id
        licence = self.env["partner.qualification.document"].search(
            [("partner_id", "=", partner.id), ("type_id.code", "=", BUSINESS_LICENCE)],
            order="expiry_date desc",
            limit=1,
        )
        for number in (licence.number, partner.vat, partner.company_registry):
            code = compact_code(number)
            if code and uscc.is_valid(code):
                return code
        return ""

    def _check_transaction_allowed(self, orders, role):
        """Refuse to confirm ``orders`` (sale or purchase orders of commercial partner
        ``self`` in ``self.env.company``) when the partner may not be traded with.

        One place for every reason, checked in this order: admission, grade policy
        'block', mandatory documents, grade policy 'restrict' (unless released).

        :param role: 'customer' for sale orders, 'supplier' for purchase orders
        :raise UserError: naming the partner, the reason and who can lift it
        """
        self.ensure_one()
        partner = self.sudo()
        company = self.env.company
        if company.partner_admission_required and partner.admission_state != "approved":
            raise UserError(self._get_admission_block_message())
        grade = partner.qualification_grade_id
        if grade.policy == "block":
            raise UserError(
                self.env._(
                    "%(partner)s is graded %(grade)s: cooperation has ended and no new order "
                    "can be confirmed. Only a new evaluation approved by %(approvers)s can "
                    "change the grade.",
                    partner=self.display_name,
                    grade=grade.display_name,
                    approvers=self._get_group_user_names("partner_qualification_credit.group_approver"),
                )
            )
        if company.partner_block_invalid_documents:
            issues = partner._get_document_issues(default_role=role)
            if issues:
                raise UserError(self._get_document_block_message(issues))
        if grade.policy == "restrict" and not all(order._is_credit_released() for order in orders):
            raise UserError(
                self.env._(
                    "%(partner)s is graded %(grade)s: every order needs a release by a credit "
                    "manager (%(managers)s). Use 'Request Release' on the order.",
                    partner=self.display_name,
                    grade=grade.display_name,
                    managers=self._get_group_user_names("partner_qualification_credit.group_credit_manager"),
                )
            )
        self._check_credit_limit(orders, role)

    def _get_admission_block_message(self):
        state = dict(self._fields["admission_state"]._description_selection(self.env))
        pending = self._get_pending_admission_request()
        if pending:
            return self.env._(
                "%(partner)s is not admitted for %(company)s yet (admission: %(state)s): "
                "admission request %(request)s is %(request_state)s. Orders can be confirmed "
                "once %(approvers)s approve it.",
                partner=self.display_name,
                company=self.env.company.name,
                state=state.get(self.sudo().admission_state or "none"),
                request=pending.name,
                request_state=pending._get_state_label(),
                approvers=self._get_group_user_names("partner_qualification_credit.group_approver"),
            )
        return self.env._(
            "%(partner)s is not admitted for %(company)s (admission: %(state)s), so its "
            "orders cannot be confirmed. The business department applies through "
            "Partner Qualification > Admission > New Application; the partner-management office "
            "reviews and %(approvers)s approve.",
            partner=self.display_name,
            company=self.env.company.name,
            state=state.get(self.sudo().admission_state or "none"),
            approvers=self._get_group_user_names("partner_qualification_credit.group_approver"),
        )

    def _get_document_block_message(self, issues):
        lines = [
            self.env._("%(type)s: missing", type=doc_type.name)
            if state == "missing"
            else self.env._("%(type)s: expired on %(date)s", type=doc_type.name, date=expiry)
            for doc_type, state, expiry in issues
        ]
        return self.env._(
            "The qualification documents of %(partner)s do not allow new orders:\n%(issues)s\n"
            "Ask the partner-management office to record valid documents.",
            partner=self.display_name,
            issues="\n".join(lines),
        )

    def _get_group_user_names(self, group_xmlid, limit=5):
        users = (
            self.env.ref(group_xmlid)
            .sudo()
            .all_user_ids.filtered(
                lambda u: u._is_internal() and not u._is_superuser() and self.env.company in u.company_ids
            )
        )
        names = users[:limit].mapped("name")
        return ", ".join(names) if names else self.env.ref(group_xmlid).sudo().display_name

    # ------------------------------------------------------------
    # Admission workflow: identity changes after approval
    # ------------------------------------------------------------

    def _is_admission_workflow_write(self):
        """Writes of the admission workflow itself (approved request, install hook). The
        context key is honoured with superuser rights only, so that no client can send it
        to change an admitted partner's identity without a new review."""
        return self.env.su and bool(self.env.context.get("partner_admission_request_id"))

    def _get_admission_identity_changes(self, vals):
        """Commercial partners of ``self`` whose identity (name, VAT, company registry)
        ``vals`` really changes; evaluated before the write."""
        fields_changed = [name for name in ADMISSION_IDENTITY_FIELDS if name in vals]
        if not self or not fields_changed or self._is_admission_workflow_write():
            return self.browse()

        def normalize(name, value):
            return (value or "").strip() if name == "name" else compact_code(value)

        return self.filtered(
            lambda p: p.id == p.commercial_partner_id.id
            and any(normalize(name, p[name]) != normalize(name, vals[name]) for name in fields_changed)
        )

    def _reopen_admission_on_identity_change(self):
        """Send admitted partners back to review, with a new admission request, in every
        company that asks for it ('Re-review on Identity Change'). The approval path and
        the install hook write with ``partner_admission_request_id`` in context."""
        if not self or self._is_admission_workflow_write():
            return
        self.flush_model(["admission_state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, kv.key::int
                  FROM res_partner p, jsonb_each_text(p.admission_state) kv
                 WHERE p.id IN %s AND kv.value = 'approved'
                """,
                tuple(self.ids),
            )
        )
        companies = self.env["res.company"].sudo().browse({company_id for _pid, company_id in rows}).exists()
        requests = self.env["partner.admission.request"]
        for partner_id, company_id in rows:
            company = companies.filtered(lambda c, cid=company_id: c.id == cid)
            if not company.partner_admission_identity_review:
                continue
            partner = self.browse(partner_id).with_company(company).sudo()
            requests |= (
                requests.sudo()
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "origin": "identity_change",
                        "role": partner.partner_role or "both",
                        "cooperation_content": partner.cooperation_content,
                        # Whoever changed the identity: they may not review the change.
                        "applicant_id": self.env.uid,
                    }
                )
            )
        if requests:
            requests.sudo()._submit()
            for request in requests:
                request.partner_id.sudo().message_post(
                    body=self.env._(
                        "Identity changed after admission: back to review for %(company)s "
                        "(request %(request)s).",
                        company=request.company_id.name,
                        request=request.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    admission_request_count = fields.Integer(
        compute="_compute_admission_request_count",
        groups="partner_qualification_credit.group_user",
    )

    def _compute_admission_request_count(self):
        counts = dict(
            self.env["partner.admission.request"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.admission_request_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_admission_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.partner_admission_request_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    def _get_pending_admission_request(self):
        """The open admission request of commercial partner ``self`` in the current company."""
        self.ensure_one()
        return (
            self.env["partner.admission.request"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                    ("state", "in", ("draft", "submitted", "reviewed")),
                ],
                limit=1,
            )
        )

    # CREDIT CONTROL (issue 5): exposure, limit check, threshold warning
    # ------------------------------------------------------------

    # Exposure components: (key, res.company switch). Each is one column of the
    # ``_get_credit_exposure_by_partner`` result and one ``credit_<key>`` field below.
    _credit_components = (
        ("receivable", "partner_credit_receivable"),
        ("draft_invoice", "partner_credit_draft_invoice"),
        ("sale_order", "partner_credit_sale_order"),
        ("prepayment", "partner_credit_prepayment"),
        ("purchase_order", "partner_credit_purchase_order"),
        ("draft_bill", "partner_credit_draft_bill"),
    )
    _credit_groups = (
        "account.group_account_invoice,account.group_account_readonly,partner_qualification_credit.group_user"
    )

    credit_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Credit Currency",
        compute="_compute_credit_exposure",
        groups=_credit_groups,
    )
    credit_receivable = fields.Monetary(
        string="Open Receivables",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_draft_invoice = fields.Monetary(
        string="Draft Customer Invoices",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_sale_order = fields.Monetary(
        string="Sale Orders Not Invoiced",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_prepayment = fields.Monetary(
        string="Supplier Prepayments",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_purchase_order = fields.Monetary(
        string="Purchase Orders Not Billed",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_draft_bill = fields.Monetary(
        string="Draft Vendor Bills",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
        help="Money tied up with this partner in the current company: the sum of the "
        "components enabled in the settings.",
    )
    credit_unlimited = fields.Boolean(
        string="Unlimited Credit",
        compute="_compute_credit_exposure",
        groups=_credit_groups,
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_exposure",
        currency_field="credit_currency_id",
        groups=_credit_groups,
    )
    credit_usage = fields.Float(
        string="Credit Usage (%)",
        compute="_compute_credit_exposure",
        digits=(16, 1),
        groups=_credit_groups,
    )

    @api.depends_context("company")
    def _compute_credit_exposure(self):
        company = self.env.company
        # New records (onchange) have no history: only saved partners are queried.
        commercial = self.commercial_partner_id._origin
        exposures = commercial._get_credit_exposure_by_partner() if commercial else {}
        for partner in self:
            figures = (
                exposures.get(partner.commercial_partner_id._origin.id) or self._get_credit_empty_figures()
            )
            limit, unlimited = partner.commercial_partner_id._get_credit_limit_info()
            partner.credit_currency_id = company.currency_id
            for key, _switch in self._credit_components:
                partner[f"credit_{key}"] = figures[key]
            partner.credit_exposure = figures["exposure"]
            partner.credit_unlimited = unlimited
            partner.credit_available = 0.0 if unlimited else limit - figures["exposure"]
            partner.credit_usage = self._get_credit_usage(figures["exposure"], limit, unlimited)

    @api.model
    def _get_credit_usage(self, amount, limit, unlimited):
        if unlimited:
            return 0.0
        if limit > 0:
            return amount * 100.0 / limit
        return 100.0 if self.env.company.currency_id.compare_amounts(amount, 0.0) > 0 else 0.0

    def _get_credit_limit_info(self):
        """(limit, unlimited) of commercial partner ``self`` in the current company."""
        limit = self.sudo().credit_limit if self else 0.0
        unlimited = not limit and not self.env.company.partner_credit_limit_required
        return limit, unlimited

    @api.model
    def _get_credit_empty_figures(self):
        return dict.fromkeys([key for key, _switch in self._credit_components] + ["exposure", "orders"], 0.0)

    def _get_credit_exposure_by_partner(self, sale_orders=None, purchase_orders=None):
        """Exposure of the commercial partners ``self`` in ``self.env.company``, in the
        company's currency, by a fixed number of aggregate queries (at most three,
        whatever the partners' history).

        :param sale_orders: sale orders to leave out of the exposure and to measure
            instead (key 'orders'): the orders being confirmed
        :param purchase_orders: same for purchase orders
        :return: {partner_id: {component: amount, ..., 'exposure': sum of the enabled
            components, 'orders': amount of the given orders not yet invoiced}}
        """
        company = self.env.company
        result = {partner_id: self._get_credit_empty_figures() for partner_id in self.ids}
        if not self.ids:
            return result
        partner_ids = tuple(self.ids)
        self._flush_credit_data()
        if (
            company.partner_credit_receivable
            or company.partner_credit_draft_invoice
            or (company.partner_credit_prepayment or company.partner_credit_draft_bill)
        ):
            for partner_id, receivable, payable, draft_invoice, draft_bill in self.env.execute_query(
                self._credit_move_line_sql(company, partner_ids)
            ):
                figures = result[partner_id]
                figures["receivable"] = receivable or 0.0
                figures["prepayment"] = max(payable or 0.0, 0.0)
                figures["draft_invoice"] = draft_invoice or 0.0
                figures["draft_bill"] = draft_bill or 0.0
        order_queries = (
            ("sale_order", company.partner_credit_sale_order, sale_orders, self._credit_sale_line_sql),
            (
                "purchase_order",
                company.partner_credit_purchase_order,
                purchase_orders,
                self._credit_purchase_line_sql,
            ),
        )
        for key, enabled, orders, query in order_queries:
            order_ids = tuple(orders.ids) if orders else ()
            if not enabled and not order_ids:
                continue
            for partner_id, open_amount, orders_amount in self.env.execute_query(
                query(company, partner_ids, order_ids or (0,))
            ):
                result[partner_id][key] = open_amount or 0.0
                result[partner_id]["orders"] += orders_amount or 0.0
        rounding = company.currency_id.round
        for figures in result.values():
            for key, switch in self._credit_components:
                figures[key] = rounding(figures[key]) if company[switch] else 0.0
            figures["orders"] = rounding(figures["orders"])
            figures["exposure"] = rounding(sum(figures[key] for key, _switch in self._credit_components))
        return result

    @api.model
    def _flush_credit_data(self):
        """The exposure queries read these tables directly: write pending changes."""
        self.env["account.move.line"].flush_model(
            [
                "amount_residual",
                "balance",
                "parent_state",
                "reconciled",
                "partner_id",
                "company_id",
                "account_id",
            ]
            + ["price_total", "purchase_line_id", "move_id", "sale_line_ids"]
        )
        self.env["account.move"].flush_model(["move_type", "state"])
        self.env["account.account"].flush_model(["account_type"])
        self.env["sale.order.line"].flush_model(
            [
                "order_id",
                "product_uom_qty",
                "qty_invoiced",
                "price_total",
                "is_downpayment",
                "display_type",
                "invoice_lines",
            ]
        )
        self.env["sale.order"].flush_model(["partner_id", "company_id", "state", "currency_rate"])
        self.env["purchase.order.line"].flush_model(
            ["order_id", "product_qty", "qty_invoiced", "price_total", "is_downpayment", "display_type"]
        )
        self.env["purchase.order"].flush_model(["partner_id", "company_id", "state", "currency_rate"])
        self.flush_model(["commercial_partner_id"])

    @api.model
    def _credit_move_line_sql(self, company, partner_ids):
        """Per commercial partner: open receivable residual, payable residual (positive
        when we paid more than we were billed), draft customer invoices and draft vendor
        bills, all in company currency (journal items are converted once, at the date of
        their document)."""
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   SUM(aml.amount_residual) FILTER (
                       WHERE aml.parent_state = 'posted' AND a.account_type = 'asset_receivable'),
                   SUM(aml.amount_residual) FILTER (
                       WHERE aml.parent_state = 'posted' AND a.account_type = 'liability_payable'),
                   SUM(aml.balance) FILTER (
                       WHERE aml.parent_state = 'draft' AND a.account_type = 'asset_receivable'
                         AND m.move_type IN ('out_invoice', 'out_refund')),
                   SUM(-aml.balance) FILTER (
                       WHERE aml.parent_state = 'draft' AND a.account_type = 'liability_payable'
                         AND m.move_type IN ('in_invoice', 'in_refund'))
              FROM account_move_line aml
              JOIN account_account a ON a.id = aml.account_id
              JOIN account_move m ON m.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE aml.company_id = %(company)s
               AND p.commercial_partner_id IN %(partners)s
               AND a.account_type IN ('asset_receivable', 'liability_payable')
               AND (aml.parent_state = 'draft' OR (aml.parent_state = 'posted' AND NOT aml.reconciled))
             GROUP BY p.commercial_partner_id
            """,
            company=company.id,
            partners=partner_ids,
        )

    @api.model
    def _credit_order_line_sql(self, company, partner_ids, order_ids, tables):
        """Per commercial partner: confirmed orders' amount not yet invoiced (tax
        included, per line, converted at the order's rate), and the same for ``order_ids``
        whatever their state. Quantities on draft invoices count as invoiced (as in
        Odoo's ``qty_invoiced``): the draft invoice component counts them instead.
        A down payment line counts minus what its invoices (net of their deduction on
        the final invoice) invoiced: its receivable is in the receivables."""
        return SQL(
            """
            WITH amounts AS (
                SELECT p.commercial_partner_id AS partner_id, o.id IN %(orders)s AS is_checked,
                       CASE WHEN l.is_downpayment THEN -COALESCE((
                                SELECT SUM(CASE WHEN im.move_type IN %(refund_types)s
                                                THEN -il.price_total ELSE il.price_total END)
                                  FROM %(invoice_links)s
                                  JOIN account_move im ON im.id = il.move_id AND im.state != 'cancel'
                                 WHERE %(invoice_link_condition)s), 0)
                            WHEN l.%(qty)s = 0 THEN 0
                            ELSE GREATEST(l.%(qty)s - l.qty_invoiced, 0) * l.price_total / l.%(qty)s
                       END / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount
                  FROM %(line_table)s l
                  JOIN %(order_table)s o ON o.id = l.order_id
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.company_id = %(company)s
                   AND p.commercial_partner_id IN %(partners)s
                   AND (o.state IN %(states)s OR o.id IN %(orders)s)
                   AND l.display_type IS NULL
            )
            SELECT partner_id,
                   SUM(amount) FILTER (WHERE NOT is_checked),
                   SUM(amount) FILTER (WHERE is_checked)
              FROM amounts
             GROUP BY partner_id
            """,
            orders=order_ids,
            company=company.id,
            partners=partner_ids,
            **tables,
        )

    @api.model
    def _credit_sale_line_sql(self, company, partner_ids, order_ids):
        return self._credit_order_line_sql(
            company,
            partner_ids,
            order_ids,
            {
                "line_table": SQL.identifier("sale_order_line"),
                "order_table": SQL.identifier("sale_order"),
                "qty": SQL.identifier("product_uom_qty"),
                "states": ("sale",),
                "refund_types": ("out_refund",),
                "invoice_links": SQL(
                    "sale_order_line_invoice_rel rel JOIN account_move_line il ON il.id = rel.invoice_line_id"
                ),
                "invoice_link_condition": SQL("rel.order_line_id = l.id"),
            },
        )

    @api.model
    def _credit_purchase_line_sql(self, company, partner_ids, order_ids):
        return self._credit_order_line_sql(
            company,
            partner_ids,
            order_ids,
            {
                "line_table": SQL.identifier("purchase_order_line"),
                "order_table": SQL.identifier("purchase_order"),
                "qty": SQL.identifier("product_qty"),
                "states": ("to approve", "purchase"),
                "refund_types": ("in_refund",),
                "invoice_links": SQL("account_move_line il"),
                "invoice_link_condition": SQL("il.purchase_line_id = l.id"),
            },
        )

    def _get_credit_check_figures(self, orders):
        """Everything the credit check, the release log and the banners need about
        commercial partner ``self`` and ``orders`` (being confirmed) in the current company.
        """
        self.ensure_one()
        sale_orders = orders if orders._name == "sale.order" else None
        purchase_orders = orders if orders._name == "purchase.order" else None
        figures = self._get_credit_exposure_by_partner(sale_orders, purchase_orders)[self.id]
        limit, unlimited = self._get_credit_limit_info()
        currency = self.env.company.currency_id
        total = currency.round(figures["exposure"] + figures["orders"])
        figures.update(
            limit=limit,
            unlimited=unlimited,
            total=total,
            excess=0.0 if unlimited else max(currency.round(total - limit), 0.0),
            usage=self._get_credit_usage(total, limit, unlimited),
        )
        return figures

    def _check_credit_limit(self, orders, role):
        """Step 5 of the gate: refuse ``orders`` when the partner's exposure plus their
        amount passes the credit limit, unless a credit manager released them.

        Serialised per (company, commercial partner): see ``_lock_credit``."""
        self.ensure_one()
        partner = self.sudo()
        limit, unlimited = partner._get_credit_limit_info()
        if unlimited:
            return
        # Locked even when every order is released: a concurrent check of another
        # order must see this one once committed.
        warned = partner._lock_credit()
        released = self.env["partner.credit.release"].sudo()._get_released_orders(orders)
        if not orders - released:
            return
        figures = partner._get_credit_check_figures(orders)
        currency = self.env.company.currency_id
        if currency.compare_amounts(figures["total"], limit) > 0:
            raise UserError(self._get_credit_block_message(orders, figures))
        partner._notify_credit_threshold(figures, warned)

    def _lock_credit(self):
        """Serialise credit checks per (company, commercial partner).

        Transactions run in REPEATABLE READ: a plain row lock would make a concurrent
        check wait, then run on a snapshot without the order confirmed meanwhile. Writing
        the same row instead makes the second transaction fail with a serialization
        error once the first commits; Odoo retries the whole request, which then sees
        the first order.

        :return: whether the applicant was already warned about the usage threshold
        """
        self.ensure_one()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO partner_credit_lock (company_id, partner_id, credit_warned, checked_at)
                VALUES (%(company)s, %(partner)s, FALSE, NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (company_id, partner_id)
                DO UPDATE SET checked_at = EXCLUDED.checked_at
                RETURNING credit_warned
                """,
                company=self.env.company.id,
                partner=self.id,
            )
        )
        return rows[0][0]

    def _notify_credit_threshold(self, figures, warned):
        """Give the applicant a to-do when a confirmation takes usage to the warning
        threshold, once: the marker on the partner's lock row is reset when usage falls
        back under the threshold (checked at the next confirmation)."""
        self.ensure_one()
        company = self.env.company
        reached = figures["usage"] >= company.partner_credit_warning_threshold
        if reached == warned:
            return
        self.env.execute_query(
            SQL(
                "UPDATE partner_credit_lock SET credit_warned = %s WHERE company_id = %s AND partner_id = %s",
                reached,
                company.id,
                self.id,
            )
        )
        if not reached:
            return
        user = self.qualification_applicant_id or self.user_id
        if not user or user.share or not user.active:
            return
        currency = company.currency_id
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._("Credit usage at %(usage)s%%", usage=round(figures["usage"], 1)),
            note=self.env._(
                "%(partner)s now uses %(usage)s%% of its credit limit in %(company)s "
                "(%(total)s of %(limit)s). Follow up on payments before new orders are blocked.",
                partner=self.display_name,
                usage=round(figures["usage"], 1),
                company=company.name,
                total=formatLang(self.env, figures["total"], currency_obj=currency),
                limit=formatLang(self.env, figures["limit"], currency_obj=currency),
            ),
            user_id=user.id,
        )

    def _get_credit_component_labels(self):
        return {
            "receivable": self.env._("Open receivables"),
            "draft_invoice": self.env._("Draft customer invoices"),
            "sale_order": self.env._("Confirmed sale orders not invoiced"),
            "prepayment": self.env._("Supplier prepayments"),
            "purchase_order": self.env._("Confirmed purchase orders not billed"),
            "draft_bill": self.env._("Draft vendor bills"),
        }

    def _get_credit_breakdown_lines(self, figures):
        """One line per enabled component, then the orders, total, limit and excess."""
        company = self.env.company
        currency = company.currency_id
        labels = self._get_credit_component_labels()

        def fmt(amount):
            return formatLang(self.env, amount, currency_obj=currency)

        lines = [
            self.env._("%(component)s: %(amount)s", component=labels[key], amount=fmt(figures[key]))
            for key, switch in self._credit_components
            if company[switch]
        ]
        lines += [
            self.env._("Exposure: %(amount)s", amount=fmt(figures["exposure"])),
            self.env._("This confirmation: %(amount)s", amount=fmt(figures["orders"])),
            self.env._("Total: %(amount)s", amount=fmt(figures["total"])),
            self.env._("Credit limit: %(amount)s", amount=fmt(figures["limit"])),
            self.env._("Over the limit by: %(amount)s", amount=fmt(figures["excess"])),
        ]
        return lines

    def _get_credit_block_message(self, orders, figures):
        return self.env._(
            "Confirming %(orders)s would take the exposure of %(partner)s over its credit "
            "limit in %(company)s:\n%(lines)s\n"
            "Ask for payment, lower the order, or ask a credit manager (%(managers)s) to "
            "release it ('Request Release' on the order).",
            orders=", ".join(orders.mapped("name")),
            partner=self.display_name,
            company=self.env.company.name,
            lines="\n".join(self._get_credit_breakdown_lines(figures)),
            managers=self._get_group_user_names("partner_qualification_credit.group_credit_manager"),
        )

    def _get_credit_breakdown_html(self, figures):
        return Markup("<br/>").join(self._get_credit_breakdown_lines(figures))

    def action_view_credit_exposure(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Exposure"),
            "res_model": "res.partner",
            "res_id": self.commercial_partner_id.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("partner_qualification_credit.res_partner_view_form_credit_exposure").id,
                    "form",
                )
            ],
            "target": "new",
        }

    # Periodic evaluation (issue 6): grade history smart button
    # ------------------------------------------------------------

    partner_evaluation_count = fields.Integer(
        string="Evaluations",
        compute="_compute_partner_evaluation_count",
    )

    def _compute_partner_evaluation_count(self):
        counts = {}
        if self.env["partner.evaluation"].has_access("read"):
            counts = dict(
                self.env["partner.evaluation"]._read_group(
                    [("partner_id", "in", self.commercial_partner_id.ids)],
                    groupby=["partner_id"],
                    aggregates=["__count"],
                )
            )
        for partner in self:
            partner.partner_evaluation_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_partner_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.partner_evaluation_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
