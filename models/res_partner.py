# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .partner_qualification_document import BUSINESS_LICENCE, compact_code
from .partner_qualification_document_type import PARTNER_ROLES

ADMISSION_STATES = [
    ("none", "Not Admitted"),
    ("in_review", "In Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
QUALIFICATION_STATES = [
    ("ok", "Documents OK"),
    ("expiring", "Expiring Soon"),
    ("expired", "Expired"),
    ("missing", "Missing Documents"),
]
# Severity of each state: a partner shows the worst of its mandatory documents.
QUALIFICATION_SEVERITY = {"ok": 0, "expiring": 1, "expired": 2, "missing": 3}
SEVERITY_STATE = {value: key for key, value in QUALIFICATION_SEVERITY.items()}

# Who may write which qualification field on a partner. ``None``: nobody directly; only the
# workflows that own the value (approved admission request, evaluation approval, install
# hook) write it, with superuser rights, after their own checks.
PROTECTED_FIELD_GROUPS = {
    "admission_state": None,
    "qualification_grade_id": "partner_qualification_credit.group_approver",
    "credit_limit": "partner_qualification_credit.group_credit_manager",
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
    def _qualification_requirement_sql(self, partner_condition, default_role=None):
        """Rows (partner_id, type_id, type_name, best_expiry, reminder_days): one per
        commercial partner matching ``partner_condition`` (on alias ``p``) and mandatory
        document type of its role, with the latest expiry of its active documents of
        that type (NULL: none; 'infinity': no expiry date).

        :param default_role: role assumed when the partner has none (e.g. 'customer'
            when a sale order is confirmed); without it such partners need nothing.
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
               AND COALESCE(p.partner_role, %(role)s) IS NOT NULL
               AND (t.applies_to = 'both' OR COALESCE(p.partner_role, %(role)s) IN ('both', t.applies_to))
             WHERE p.id = p.commercial_partner_id AND %(condition)s
            """,
            role=default_role,
            condition=partner_condition,
        )

    @api.model
    def _flush_qualification_data(self):
        """The requirement queries read these columns directly: write pending changes."""
        self.env["partner.qualification.document"].flush_model(
            ["partner_id", "type_id", "expiry_date", "active"]
        )
        self.env["partner.qualification.document.type"].flush_model(
            ["mandatory", "active", "applies_to", "reminder_days"]
        )
        self.flush_model(["partner_role", "commercial_partner_id"])

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

    def _get_document_issues(self, default_role=None):
        """Mandatory documents of commercial partner ``self`` that are missing or expired.

        :return: list of (document type, 'missing' | 'expired', best expiry date or None)
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        self._flush_qualification_data()
        rows = self.env.execute_query(
            self._qualification_requirement_sql(SQL("p.id = %s", self.id), default_role)
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
            self._check_qualification_write({key: value for key, value in vals.items() if value})
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self._check_qualification_write(vals)
        return super().write(vals)

    def _check_qualification_write(self, vals):
        """Protected qualification fields are changed only by the people (or workflows)
        that own them, whatever the client sends."""
        if self.env.su:
            return
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
        """The partner's USCC: its business licence number, else its VAT or registry."""
        self.ensure_one()
        partner = self.commercial_partner_id
        licence = self.env["partner.qualification.document"].search(
            [("partner_id", "=", partner.id), ("type_id.code", "=", BUSINESS_LICENCE)],
            order="expiry_date desc",
            limit=1,
        )
        return compact_code(licence.number or partner.vat or partner.company_registry)

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

    def _get_admission_block_message(self):
        state = dict(self._fields["admission_state"]._description_selection(self.env))
        return self.env._(
            "%(partner)s is not admitted for %(company)s (admission: %(state)s), so its "
            "orders cannot be confirmed. The business department applies through "
            "Partner Qualification > New Application; the partner-management office "
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
            .all_user_ids.filtered(lambda u: not u.share and self.env.company in u.company_ids and u.id != 1)
        )
        names = users[:limit].mapped("name")
        return ", ".join(names) if names else self.env.ref(group_xmlid).sudo().display_name

    # ------------------------------------------------------------
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
