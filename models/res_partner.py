# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, sql

from .const import (
    ADMISSION_STATES,
    OPEN_STATES,
    PARTNER_ROLES,
    PARTNER_SCALES,
    PARTNER_STRATEGIC_CLASSES,
    compact_code,
)
from .validation import MAX_AMOUNT, check_date_vals, check_number_vals

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
    "target_on_time_rate": "partner_qualification_credit.group_officer",
    "target_acceptance_rate": "partner_qualification_credit.group_officer",
}

# Fields no client-supplied default may set (``default_<field>`` in the context).
GUARDED_FIELDS = (*PROTECTED_FIELD_GROUPS, *CHANGE_ASSISTANT_FIELDS)

# The register is confidential: only the addon's users read it, through any route (RPC,
# exports, portal, related fields). Workflows and the decision engine read it as superuser.
REGISTER_GROUPS = "partner_qualification_credit.group_user"
REGISTER_PREFETCH = "partner_qualification_register"
# The fields every credit check reads (grade, admission, role, limit, hold) are
# company-dependent: Odoo builds each one's column with its fallback on every read of
# them (about 0.15 ms each). In ``prefetch=True`` they would cost every read of a
# partner's row anywhere in Odoo (followers, addresses, display names); in their own
# group only what reads them pays, in one query (see ``_prefetch_transaction_fields``).
CREDIT_RULE_PREFETCH = "partner_credit_rules"
# Company-dependent fields get an index by default (the rows holding a value in any
# company). These are never searched by that: without it, each query PostgreSQL plans on
# ``res_partner`` (several in every request) and each partner written has fewer indexes
# to consider.
UNINDEXED_FIELDS = (
    "qualification_application_date",
    "cooperation_content",
    "credit_hold_reason",
    "target_on_time_rate",
    "target_acceptance_rate",
)


class ResPartner(models.Model):
    """The partner register: the qualification fields, who may change them, and the
    admission workflow's view of the partner. The documents, the decision engine and
    credit control are in ``res_partner_qualification``, ``res_partner_transaction``
    and ``res_partner_credit``."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Per company: a partner shared by several companies of a group has its own
    # relationship (admission, grade, limit, role, applicant, cooperation, classes) with
    # each of them, like ``credit_limit``. The partner's own data (registered address,
    # capital, contacts) is global.
    # The fields the credit engine reads at every check are fetched together, in their own
    # group (``CREDIT_RULE_PREFETCH``).
    qualification_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Grade",
        company_dependent=True,
        prefetch=CREDIT_RULE_PREFETCH,
        tracking=True,
        copy=False,
        groups=REGISTER_GROUPS,
    )
    qualification_grade_policy = fields.Selection(
        related="qualification_grade_id.policy",
        string="Grade Policy",
        groups=REGISTER_GROUPS,
    )
    admission_state = fields.Selection(
        selection=ADMISSION_STATES,
        string="Admission",
        company_dependent=True,
        prefetch=CREDIT_RULE_PREFETCH,
        tracking=True,
        copy=False,
        help="Only approved partners can be used on confirmed sale and purchase orders. "
        "Set by the admission workflow only.",
        groups=REGISTER_GROUPS,
    )
    credit_limit = fields.Float(
        prefetch=CREDIT_RULE_PREFETCH,
        tracking=True,
        groups="account.group_account_invoice,account.group_account_readonly,"
        "partner_qualification_credit.group_user",
    )
    # The register (台账)
    qualification_applicant_id = fields.Many2one(
        comodel_name="res.users",
        string="Applicant",
        company_dependent=True,
        tracking=True,
        copy=False,
        help="User of the business department responsible for this relationship: "
        "receives reminders and evaluates the partner.",
        groups=REGISTER_GROUPS,
    )
    qualification_application_date = fields.Date(
        string="Application Date",
        company_dependent=True,
        index=False,  # see UNINDEXED_FIELDS
        copy=False,
        groups=REGISTER_GROUPS,
    )
    cooperation_content = fields.Text(company_dependent=True, index=False, copy=False, groups=REGISTER_GROUPS)
    # The register's own data is shown by the partner form and the register only: in its
    # own prefetch group, out of the partner's row that every order, invoice and message
    # reads (each field also costs those reads a check of its groups).
    registered_address = fields.Char(copy=False, groups=REGISTER_GROUPS, prefetch=REGISTER_PREFETCH)
    registered_capital = fields.Monetary(
        copy=False, currency_field="currency_id", groups=REGISTER_GROUPS, prefetch=REGISTER_PREFETCH
    )
    business_contact_name = fields.Char(
        string="Business Contact", copy=False, groups=REGISTER_GROUPS, prefetch=REGISTER_PREFETCH
    )
    business_contact_phone = fields.Char(copy=False, groups=REGISTER_GROUPS, prefetch=REGISTER_PREFETCH)
    business_manager_name = fields.Char(copy=False, groups=REGISTER_GROUPS, prefetch=REGISTER_PREFETCH)
    business_manager_phone = fields.Char(copy=False, groups=REGISTER_GROUPS, prefetch=REGISTER_PREFETCH)
    partner_role = fields.Selection(
        selection=PARTNER_ROLES,
        company_dependent=True,
        prefetch=CREDIT_RULE_PREFETCH,
        copy=False,
        help="Decides which qualification documents are mandatory.",
        groups=REGISTER_GROUPS,
    )
    scale_class = fields.Selection(
        selection=PARTNER_SCALES,
        string="Scale",
        company_dependent=True,
        copy=False,
        help="Classification by annual business volume.",
        groups=REGISTER_GROUPS,
    )
    strategic_class = fields.Selection(
        selection=PARTNER_STRATEGIC_CLASSES,
        string="Strategic Importance",
        company_dependent=True,
        copy=False,
        groups=REGISTER_GROUPS,
    )
    qualification_note = fields.Text(
        string="Register Notes", copy=False, groups=REGISTER_GROUPS, prefetch=REGISTER_PREFETCH
    )

    # Checked before they reach the database (see ``validation``).
    _qualification_number_ranges = {
        "credit_limit": (0.0, MAX_AMOUNT),
        "registered_capital": (0.0, MAX_AMOUNT),
    }
    _qualification_date_fields = ("qualification_application_date",)

    # ------------------------------------------------------------
    # SET-UP
    # ------------------------------------------------------------

    def init(self):
        result = super().init()
        # Databases installed when these fields had Odoo's default index.
        for fname in UNINDEXED_FIELDS:
            sql.drop_index(self.env.cr, sql.make_index_name(self._table, fname), self._table)
        return result

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields):
        """A client-supplied ``default_<protected field>`` is ignored: the context carries
        no authority, and a default would reach ``create`` where only ``vals`` are checked.
        Field defaults and administrator-set defaults (``ir.default``) still apply."""
        if not self.env.su:
            forged = {f"default_{name}" for name in GUARDED_FIELDS} & self.env.context.keys()
            if forged:
                context = {key: value for key, value in self.env.context.items() if key not in forged}
                return super(ResPartner, self.with_env(self.env(context=context))).default_get(fields)
        return super().default_get(fields)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_qualification_values(vals)
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
        self._check_qualification_values(vals)
        if self:
            self._check_qualification_write(self._get_protected_changes(vals))
        identity_changed = self._get_admission_identity_changes(vals)
        res = super().write(vals)
        identity_changed._reopen_admission_on_identity_change()
        return res

    @api.model
    def _check_qualification_values(self, vals):
        check_number_vals(self, vals, self._qualification_number_ranges)
        check_date_vals(self, vals, self._qualification_date_fields)

    def _get_protected_changes(self, vals):
        """The protected fields of ``vals`` whose value differs from the current one on
        some partner of ``self``: writing back an unchanged value (as Odoo's contact
        merge does with every field) changes nothing and needs no authority."""
        names = vals.keys() & PROTECTED_FIELD_GROUPS.keys()
        if not names or self.env.su:
            return vals
        changed = {}
        for name in names:
            field = self._fields[name]
            for partner in self.sudo():
                try:
                    new_value = field.convert_to_cache(vals[name], partner)
                except (ValueError, TypeError):
                    new_value = vals[name]
                current = field.convert_to_cache(partner[name], partner)
                if (current or False) != (new_value or False):
                    changed[name] = vals[name]
                    break
        return changed

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
    # ONCHANGE
    # ------------------------------------------------------------

    @api.onchange(*ADMISSION_IDENTITY_FIELDS)
    def _onchange_admission_identity(self):
        """Warn before saving that a new identity sends an admitted partner back to
        review (see ``_reopen_admission_on_identity_change``)."""
        partner = self._origin
        if not partner or partner.id != partner.commercial_partner_id.id:
            return None
        vals = {name: self[name] for name in ADMISSION_IDENTITY_FIELDS}
        if not partner._get_admission_identity_changes(vals):
            return None
        company = self.env.company
        if partner.sudo().admission_state != "approved" or not company.partner_admission_identity_review:
            return None
        return {
            "warning": {
                "title": self.env._("The partner goes back to review"),
                "message": self.env._(
                    "%(partner)s is admitted for %(company)s. Saving a new name, tax ID or "
                    "company registry sends it back to the office's review: new orders are "
                    "blocked until it is approved again. Discard the change if it is a mistake.",
                    partner=partner.display_name,
                    company=company.name,
                ),
            }
        }

    # ------------------------------------------------------------
    # BUSINESS: admission workflow, identity changes after approval
    # ------------------------------------------------------------

    def _get_admission_identity_changes(self, vals):
        """Commercial partners of ``self`` whose identity (name, VAT, company registry)
        ``vals`` really changes; evaluated before the write. Superuser writes count too
        (e.g. the portal's account page): neither the approvals nor the install hook
        write these fields."""
        fields_changed = [name for name in ADMISSION_IDENTITY_FIELDS if name in vals]
        if not self or not fields_changed:
            return self.browse()

        def normalize(name, value):
            return (value or "").strip() if name == "name" else compact_code(value)

        return self.filtered(
            lambda p: p.id == p.commercial_partner_id.id
            and any(normalize(name, p[name]) != normalize(name, vals[name]) for name in fields_changed)
        )

    def _reopen_admission_on_identity_change(self):
        """Send admitted partners back to review, with a new admission request, in every
        company that asks for it ('Re-review on Identity Change'). A partner approved
        nowhere has nothing to re-review."""
        if not self:
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
                    ("state", "in", OPEN_STATES),
                ],
                limit=1,
            )
        )

    def _get_pending_admission_requests(self):
        """{commercial partner id: its open admission request in the current company}
        for the partners ``self``, in one query."""
        if not self:
            return {}
        requests = (
            self.env["partner.admission.request"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("company_id", "=", self.env.company.id),
                    ("state", "in", OPEN_STATES),
                ],
                order="id",
            )
        )
        return {request.partner_id.id: request for request in requests}

    # ------------------------------------------------------------
    # Periodic evaluation: grade history smart button
    # ------------------------------------------------------------

    partner_evaluation_count = fields.Integer(
        string="Evaluations",
        compute="_compute_partner_evaluation_count",
        groups=REGISTER_GROUPS,
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
