# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from stdnum.cn import uscc

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .const import (
    BUSINESS_LICENCE,
    QUALIFICATION_SEVERITY,
    QUALIFICATION_STATES,
    SEVERITY_STATE,
    compact_code,
)
from .res_partner import REGISTER_GROUPS

EPOCH = date(1970, 1, 1)

# What puts a partner in the requirement snapshot and decides its mandatory documents:
# being a commercial partner (a company, or a contact on its own) with a role in some
# company, and its country.
REQUIREMENT_PARTNER_FIELDS = {
    "country_id",
    "parent_id",
    "is_company",
    "commercial_partner_id",
    "partner_role",
}


class ResPartner(models.Model):
    """Qualification documents of a partner: which are mandatory, and their state."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    qualification_document_ids = fields.One2many(
        comodel_name="partner.qualification.document",
        inverse_name="partner_id",
        string="Qualification Documents",
        groups=REGISTER_GROUPS,
    )
    qualification_document_count = fields.Integer(
        compute="_compute_qualification_document_count",
        groups=REGISTER_GROUPS,
    )
    # Empty while the partner has no role in the current company: nothing is mandatory
    # yet, which must not read as "Documents OK".
    qualification_state = fields.Selection(
        selection=QUALIFICATION_STATES,
        string="Qualification",
        compute="_compute_qualification_state",
        search="_search_qualification_state",
        groups=REGISTER_GROUPS,
        help="Worst state of the mandatory documents for the partner's role in the current "
        "company; empty while it has no role there.",
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

    @api.depends_context("company")
    @api.depends(
        "partner_role",
        "commercial_partner_id.partner_role",
        "commercial_partner_id.country_id",
        "commercial_partner_id.qualification_document_ids.expiry_date",
        "commercial_partner_id.qualification_document_ids.active",
    )
    def _compute_qualification_state(self):
        commercial = self.commercial_partner_id._origin
        severities = {}
        if commercial.ids:
            self._flush_qualification_data()
            severities = dict(
                self.env.execute_query(
                    self._qualification_severity_sql(SQL("p.id IN %s", tuple(commercial.ids)))
                )
            )
        for partner in self:
            if not partner.commercial_partner_id.partner_role:
                partner.qualification_state = False
                continue
            severity = severities.get(partner.commercial_partner_id._origin.id, 0)
            partner.qualification_state = SEVERITY_STATE[severity]

    def _search_qualification_state(self, operator, value):
        # A computed field's search is not checked by Odoo: filtering partners by their
        # qualification would reveal it.
        self._check_field_access(self._fields["qualification_state"], "read")
        if operator not in ("in", "not in"):
            return NotImplemented
        # None stands for "no state" (no role): False would equal severity 0 in a set.
        every = set(SEVERITY_STATE) | {None}
        wanted = {QUALIFICATION_SEVERITY.get(state) if state else None for state in value}
        if operator == "not in":
            wanted = every - wanted
        self._flush_qualification_data()
        # Only problems have rows in the problem query (read from the requirement
        # snapshot's indexes); "ok" partners are those with a role and none of the problems.
        problems = wanted - {0, None}
        domains = []
        if problems:
            domains.append(Domain("commercial_partner_id", "in", self._qualification_problem_sql(problems)))
        if 0 in wanted:
            domains.append(
                Domain("commercial_partner_id", "in", self._qualification_role_sql())
                & Domain(
                    "commercial_partner_id",
                    "not in",
                    self._qualification_problem_sql(set(SEVERITY_STATE) - {0}),
                )
            )
        if None in wanted:
            domains.append(Domain("commercial_partner_id", "not in", self._qualification_role_sql()))
        return Domain.OR(domains) if domains else Domain.FALSE

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # A new partner has a role only where it was created: no query for other contacts.
        partners._get_commercial_self().sudo().filtered("partner_role")._refresh_qualification_requirements()
        return partners

    def write(self, vals):
        if not vals.keys() & REQUIREMENT_PARTNER_FIELDS:
            return super().write(vals)
        # A partner leaving or joining a company leaves or becomes a commercial partner.
        before = self._get_commercial_self()
        res = super().write(vals)
        (before | self._get_commercial_self())._refresh_qualification_requirements()
        return res

    def _get_commercial_self(self):
        return self.filtered(lambda partner: partner.commercial_partner_id == partner)

    def _refresh_qualification_requirements(self):
        """Refresh the requirement snapshot of commercial partners ``self``."""
        if self:
            self.env["partner.qualification.requirement"]._refresh(partner_ids=self.ids)

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
    # BUSINESS
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

    def _get_document_issues(self, role=None, role_override=None):
        """Mandatory documents of commercial partner ``self`` that are missing or expired.

        :return: list of (document type, 'missing' | 'expired', best expiry date or None)
        """
        self.ensure_one()
        return self._get_document_issues_by_partner(role, role_override)[self.id]

    def _get_document_issues_by_partner(self, role=None, role_override=None):
        """Like ``_get_document_issues``, for the commercial partners ``self`` at once (one
        query): {partner id: issues}. See ``_qualification_requirement_sql`` for the roles."""
        result = {}
        if self.ids:
            query, handler = self._get_document_issue_part(role, result, role_override)
            for row in self.env.execute_query(query):
                handler(None, *row)
        return {partner_id: self._sort_document_issues(result.get(partner_id, [])) for partner_id in self.ids}

    def _get_document_issue_part(self, role, result, role_override=None):
        """(query, handler) of the credit engine's statement (see
        ``_get_transaction_parts``): the missing or expired mandatory documents of the
        commercial partners ``self``, put in ``result`` {partner id: issues}."""
        today = fields.Date.context_today(self)
        self._flush_qualification_data()
        # A partner with a role here is in the requirement snapshot: its rows are read
        # from there (a few index rows, and a statement cheap to plan, as the gate runs
        # it at every confirmation); the others are worked out from their documents.
        own_roles = {} if role_override else {p.id: p.partner_role for p in self.sudo() if p.partner_role}
        snapshot = self.browse(list(own_roles))
        queries = []
        if snapshot:
            queries.append(self._qualification_snapshot_sql(own_roles, role))
        if self - snapshot:
            queries.append(
                self._qualification_requirement_sql(
                    SQL("p.id IN %s", tuple((self - snapshot).ids)), role, role_override
                )
            )
        # The statement's columns are numbers: an expiry date travels as days since
        # the epoch (an expired one is never 'infinity').
        query = SQL(
            """
            SELECT req.partner_id, req.type_id, NULL::numeric,
                   req.best_expiry - DATE '1970-01-01', NULL::numeric
              FROM (%s) req
             WHERE req.best_expiry IS NULL OR req.best_expiry < %s
            """,
            SQL(" UNION ALL ").join(queries),
            today,
        )
        DocumentType = self.env["partner.qualification.document.type"]

        def handler(_exposure, partner_id, type_id, _a, expiry_days, _c):
            doc_type = DocumentType.browse(type_id)
            if expiry_days is None:
                issue = (doc_type, "missing", None)
            else:
                issue = (doc_type, "expired", EPOCH + timedelta(days=int(expiry_days)))
            result.setdefault(partner_id, []).append(issue)

        return query, handler

    @api.model
    def _sort_document_issues(self, issues):
        return sorted(issues, key=lambda issue: (issue[0].sequence, issue[0].id))

    # ------------------------------------------------------------
    # TOOLING: the document requirement queries
    # ------------------------------------------------------------

    @api.model
    def _qualification_role_sql(self):
        """Partners with a role in the current company (the requirement queries read the
        same jsonb)."""
        return SQL(
            "SELECT p.id FROM res_partner p WHERE p.partner_role ->> %s IS NOT NULL",
            str(self.env.company.id),
        )

    @api.model
    def _qualification_problem_sql(self, severities):
        """Commercial partners with a role in the current company whose worst mandatory
        document has a severity in ``severities`` (1 expiring, 2 expired, 3 missing),
        read from the requirement snapshot in one pass over its indexes: a partner's worst
        severity is that of its rows at least as severe as the lowest one wanted, i.e.
        missing (NULL) or with a best expiry past, or within the longest reminder period."""
        severities = set(severities) & {1, 2, 3}
        if not severities:
            return SQL("SELECT NULL::int WHERE FALSE")
        today = fields.Date.context_today(self)
        lowest = min(severities)
        rows = SQL("req.best_expiry IS NULL")
        if lowest == 2:
            rows = SQL("(%s OR req.best_expiry < %s)", rows, today)
        elif lowest == 1:
            rows = SQL(
                "(%s OR req.best_expiry <= %s::date + (SELECT COALESCE(MAX(mt.reminder_days), 0) "
                "FROM partner_qualification_document_type mt WHERE mt.mandatory AND mt.active))",
                rows,
                today,
            )
        return SQL(
            """
            SELECT req.partner_id
              FROM partner_qualification_requirement req
              JOIN res_partner p ON p.id = req.partner_id
             CROSS JOIN LATERAL (
                   SELECT p.partner_role ->> %(company)s AS own, NULL::varchar AS trade
                   ) r
              JOIN partner_qualification_document_type t
                ON t.id = req.type_id AND t.mandatory AND t.active AND %(applies)s
             WHERE %(rows)s
             GROUP BY req.partner_id
            HAVING MAX(%(severity)s) IN %(severities)s
            """,
            company=str(self.env.company.id),
            applies=self._qualification_applies_sql(),
            rows=rows,
            severity=self._qualification_severity_case_sql(SQL("t.reminder_days")),
            severities=tuple(severities),
        )

    @api.model
    def _qualification_applies_sql(self):
        """Condition on type ``t`` and roles ``r.own`` (the partner's own role, or the one
        it applies for) and ``r.trade`` (the side of the transaction): the type is expected
        from the partner. Without any role nothing is."""
        return SQL(
            "(r.own IS NOT NULL OR r.trade IS NOT NULL) "
            "AND (t.applies_to = 'both' OR t.applies_to IN (r.own, r.trade) OR 'both' IN (r.own, r.trade))"
        )

    @api.model
    def _qualification_severity_case_sql(self, reminder_days):
        """Severity today of requirement ``req`` (column best_expiry) whose type gives
        notice ``reminder_days`` days ahead."""
        return SQL(
            """
            CASE WHEN req.best_expiry IS NULL THEN 3
                 WHEN req.best_expiry < %(today)s THEN 2
                 WHEN req.best_expiry <= %(today)s + %(reminder_days)s THEN 1
                 ELSE 0 END
            """,
            today=fields.Date.context_today(self),
            reminder_days=reminder_days,
        )

    @api.model
    def _qualification_requirement_sql(self, partner_condition=None, role=None, role_override=None):
        """Rows (partner_id, type_id, reminder_days, best_expiry): one per commercial
        partner matching ``partner_condition`` (on alias ``p``; None: all of them) and
        mandatory document type, with the latest expiry of its active documents of that
        type (NULL: none; 'infinity': no expiry date), read from the documents themselves.

        Mandatory types are those of the partner's role in the current company AND of
        ``role``: the side of the trade decides too (a customer receiving a purchase
        order must hold the supplier documents).

        :param role: role of the transaction ('customer' for a sale, 'supplier' for a
            purchase); without it, and without a role of its own, nothing is mandatory.
        :param role_override: role that replaces the partner's own (the role an admission
            request applies for).
        """
        return SQL(
            """
            SELECT p.id AS partner_id, t.id AS type_id, t.reminder_days, best.best_expiry
              FROM res_partner p
             CROSS JOIN LATERAL (
                   SELECT COALESCE(%(override)s, p.partner_role ->> %(company)s) AS own,
                          %(role)s::varchar AS trade
                   ) r
              JOIN partner_qualification_document_type t
                ON t.mandatory AND t.active AND %(applies)s AND %(country)s
              LEFT JOIN (%(best)s) best
                ON best.partner_id = p.id AND best.type_id = t.id
             WHERE p.id = p.commercial_partner_id AND %(condition)s
            """,
            role=role,
            override=role_override,
            company=str(self.env.company.id),
            applies=self._qualification_applies_sql(),
            condition=partner_condition if partner_condition is not None else SQL("TRUE"),
            best=self._qualification_best_expiry_sql(partner_condition),
            country=self._qualification_country_sql(),
        )

    @api.model
    def _qualification_snapshot_sql(self, own_roles, role=None):
        """Like ``_qualification_requirement_sql`` for the commercial partners with a
        role in the current company ``own_roles`` {partner id: role}, read from the
        requirement snapshot (which holds the partners with a role somewhere, with every
        mandatory type of their country): only the types their role and ``role`` expect
        are kept."""
        return SQL(
            """
            SELECT req.partner_id, t.id AS type_id, t.reminder_days, req.best_expiry
              FROM (SELECT u.partner_id, u.own, %(role)s::varchar AS trade
                      FROM unnest(%(partners)s::int[], %(roles)s::varchar[]) AS u(partner_id, own)) r
              JOIN partner_qualification_requirement req ON req.partner_id = r.partner_id
              JOIN partner_qualification_document_type t
                ON t.id = req.type_id AND t.mandatory AND t.active AND %(applies)s
            """,
            role=role,
            partners=list(own_roles),
            roles=list(own_roles.values()),
            applies=self._qualification_applies_sql(),
        )

    @api.model
    def _qualification_mandatory_sql(self, partner_condition=None, type_condition=None):
        """Rows (partner_id, type_id, best_expiry) of the requirement snapshot: every
        commercial partner matching ``partner_condition`` (alias ``p``; None: all) that has
        a role in some company, with every mandatory active type matching
        ``type_condition`` (alias ``t``) that applies to its country. Which role, in which
        company, is applied when the snapshot is read; a partner without any role has no
        state anywhere, and leaving it out keeps the snapshot (and the index of missing
        documents) to the partners the office manages, however many other contacts there
        are."""
        return SQL(
            """
            SELECT p.id AS partner_id, t.id AS type_id, best.best_expiry
              FROM res_partner p
              JOIN partner_qualification_document_type t
                ON t.mandatory AND t.active AND %(types)s AND %(country)s
              LEFT JOIN (%(best)s) best
                ON best.partner_id = p.id AND best.type_id = t.id
             WHERE p.id = p.commercial_partner_id
               AND COALESCE(jsonb_strip_nulls(p.partner_role), '{}'::jsonb) <> '{}'::jsonb
               AND %(condition)s
            """,
            types=type_condition if type_condition is not None else SQL("TRUE"),
            country=self._qualification_country_sql(),
            best=self._qualification_best_expiry_sql(partner_condition),
            condition=partner_condition if partner_condition is not None else SQL("TRUE"),
        )

    @api.model
    def _qualification_best_expiry_sql(self, partner_condition=None):
        """Rows (partner_id, type_id, best_expiry): the latest expiry of the active
        documents of each partner (matching ``partner_condition`` on alias ``p``) and type."""
        # One aggregate joined once, not a sub-select per row: the planner inlines such a
        # sub-select into every CASE branch that reads it. For a few partners the
        # aggregate is restricted to them (index on partner, type, expiry); for all of
        # them it is one pass over the documents.
        document_condition = (
            SQL("d.partner_id IN (SELECT p.id FROM res_partner p WHERE %s)", partner_condition)
            if partner_condition is not None
            else SQL("TRUE")
        )
        return SQL(
            """
            SELECT d.partner_id, d.type_id, MAX(COALESCE(d.expiry_date, 'infinity'::date)) AS best_expiry
              FROM partner_qualification_document d
             WHERE d.active AND %s
             GROUP BY d.partner_id, d.type_id
            """,
            document_condition,
        )

    @api.model
    def _qualification_country_sql(self):
        """Condition on type ``t`` and partner ``p``: the type applies to the partner's
        country. Without a country, a partner is held to the country-specific types (not
        to the "all countries except" ones): leaving the country empty must not lift the
        national documents."""
        return SQL(
            """
            (NOT EXISTS (SELECT 1 FROM partner_qualification_document_type_country_rel c
                          WHERE c.type_id = t.id)
             OR (p.country_id IS NULL AND NOT COALESCE(t.country_exclusion, FALSE))
             OR (p.country_id IS NOT NULL AND COALESCE(t.country_exclusion, FALSE) <> EXISTS (
                    SELECT 1 FROM partner_qualification_document_type_country_rel c
                     WHERE c.type_id = t.id AND c.country_id = p.country_id)))
            """
        )

    @api.model
    def _qualification_severity_sql(self, partner_condition=None, role=None):
        return SQL(
            """
            SELECT req.partner_id, MAX(%(severity)s) AS severity
              FROM (%(requirements)s) req
             GROUP BY req.partner_id
            """,
            severity=self._qualification_severity_case_sql(SQL("req.reminder_days")),
            requirements=self._qualification_requirement_sql(partner_condition, role),
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
