# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL, format_date

from .const import (
    ADMISSION_CHECKS,
    BLOCKING_CHECKS,
    BUSINESS_LICENCE,
    CHECK_RESULTS,
    ORGANIZATION_CODE,
    TAX_REGISTRATION,
    compact_code,
    uscc_organization_code,
)


def _compact_sql(column):
    """SQL twin of ``compact_code``: alphanumerics only, upper case."""
    return SQL("UPPER(REGEXP_REPLACE(COALESCE(%s, ''), '[^[:alnum:]]', '', 'g'))", column)


class PartnerAdmissionRequest(models.Model):
    """The four automatic checks of an admission request, run at submission and again
    on demand by the office; their results are workflow fields."""

    _inherit = "partner.admission.request"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    checks_date = fields.Datetime(string="Checked On", readonly=True, copy=False)
    check_prohibited_result = fields.Selection(
        selection=CHECK_RESULTS, string="Prohibited List", readonly=True, copy=False
    )
    check_prohibited_details = fields.Json(readonly=True, copy=False)
    check_prohibited_reason = fields.Char(string="Prohibited List Details", compute="_compute_check_reasons")
    check_documents_result = fields.Selection(
        selection=CHECK_RESULTS, string="Documents", readonly=True, copy=False
    )
    check_documents_details = fields.Json(readonly=True, copy=False)
    check_documents_reason = fields.Char(string="Documents Details", compute="_compute_check_reasons")
    check_numbers_result = fields.Selection(
        selection=CHECK_RESULTS, string="Number Consistency", readonly=True, copy=False
    )
    check_numbers_details = fields.Json(readonly=True, copy=False)
    check_numbers_reason = fields.Char(string="Number Consistency Details", compute="_compute_check_reasons")
    check_duplicates_result = fields.Selection(
        selection=CHECK_RESULTS, string="Duplicates", readonly=True, copy=False
    )
    check_duplicates_details = fields.Json(readonly=True, copy=False)
    check_duplicates_reason = fields.Char(string="Duplicates Details", compute="_compute_check_reasons")
    check_blocking = fields.Boolean(
        string="Blocking Check Failed",
        compute="_compute_check_blocking",
        help="The prohibited-list or document check failed: the review needs an override reason.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    # Stored as message codes and values, rendered when read: each reader sees the
    # reasons in their own language, whoever ran the checks.
    @api.depends(*(f"check_{check}_details" for check in ADMISSION_CHECKS))
    @api.depends_context("lang")
    def _compute_check_reasons(self):
        for request in self:
            for check in ADMISSION_CHECKS:
                request[f"check_{check}_reason"] = request._render_check_details(
                    request[f"check_{check}_details"]
                )

    @api.depends(*(f"check_{check}_result" for check in BLOCKING_CHECKS))
    def _compute_check_blocking(self):
        for request in self:
            request.check_blocking = any(
                request[f"check_{check}_result"] == "fail" for check in BLOCKING_CHECKS
            )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _run_checks(self):
        now = fields.Datetime.now()
        for request in self:
            vals = {"checks_date": now}
            for check in ADMISSION_CHECKS:
                result, details = getattr(request, f"_check_admission_{check}")()
                vals[f"check_{check}_result"] = result
                vals[f"check_{check}_details"] = details
            request.sudo().write(vals)

    def _get_partner_codes(self):
        """Compacted registration numbers of the partner: VAT, registry, licences."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        codes = {compact_code(partner.vat), compact_code(partner.company_registry)}
        codes.update(
            compact_code(d.number)
            for d in partner.sudo().qualification_document_ids
            if d.type_code == BUSINESS_LICENCE
        )
        codes.discard("")
        return codes

    def _check_admission_prohibited(self):
        """Is the partner, its commercial entity or a twin by registration number
        graded with a blocking grade (E) in any company of the database?"""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        block_grades = (
            self.env["partner.qualification.grade"]
            .sudo()
            .with_context(active_test=False)
            .search([("policy", "=", "block")])
        )
        if not block_grades:
            return "pass", [("no_block_grade", {})]
        self.env.flush_all()
        codes = tuple(self._get_partner_codes())
        # Without any number, only the partner itself counts: an empty code would match
        # every partner without numbers.
        twins = SQL("FALSE")
        if codes:
            twins = SQL(
                """
                %(vat)s IN %(codes)s
                OR %(registry)s IN %(codes)s
                OR EXISTS (
                    SELECT 1
                      FROM partner_qualification_document d
                      JOIN partner_qualification_document_type t ON t.id = d.type_id
                     WHERE d.partner_id = p.id AND t.code = %(licence)s
                       AND %(number)s <> '' AND %(number)s IN %(codes)s)
                """,
                vat=_compact_sql(SQL("p.vat")),
                registry=_compact_sql(SQL("p.company_registry")),
                number=_compact_sql(SQL("d.number")),
                licence=BUSINESS_LICENCE,
                codes=codes,
            )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT p.id, kv.key::int
                  FROM res_partner p
                  JOIN jsonb_each_text(p.qualification_grade_id) kv ON kv.value::int IN %(grades)s
                 WHERE p.qualification_grade_id IS NOT NULL
                   AND (p.id = %(partner)s
                        OR p.commercial_partner_id = %(partner)s
                        OR %(twins)s)
                 ORDER BY p.id
                """,
                grades=tuple(block_grades.ids),
                partner=partner.id,
                twins=twins,
            )
        )
        if not rows:
            return "pass", [("not_prohibited", {})]
        partners = self.env["res.partner"].sudo().with_context(active_test=False).browse({r[0] for r in rows})
        companies = self.env["res.company"].sudo().browse({r[1] for r in rows}).exists()
        return "fail", [
            (
                "prohibited",
                {
                    "partners": ", ".join(partners.mapped("display_name")[:5]),
                    "grades": ", ".join(block_grades.mapped("code")),
                    "companies": ", ".join(companies.mapped("name")) or "-",
                },
            )
        ]

    def _check_admission_documents(self):
        """The mandatory documents of the role are present and not expired."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.sudo()
        # The role applied for decides, not the one the partner had before; documents
        # added to the request count (recorded on the partner at approval).
        covered = self.sudo().document_line_ids._get_valid_type_ids(fields.Date.context_today(self))
        issues = [
            issue
            for issue in partner._get_document_issues(role_override=self.role)
            if issue[0].id not in covered
        ]
        if issues:
            return "fail", [
                ("document_missing", {"type_id": doc_type.id})
                if state == "missing"
                else ("document_expired", {"type_id": doc_type.id, "date": fields.Date.to_string(expiry)})
                for doc_type, state, expiry in issues
            ]
        expiring = partner.qualification_document_ids.filtered(lambda d: d.active and d.state == "expiring")
        if expiring:
            return "warning", [
                ("documents_expiring", {"documents": ", ".join(expiring.mapped("display_name"))})
            ]
        return "pass", [("documents_ok", {})]

    def _check_admission_numbers(self):
        """Licence, organisation code, tax registration, VAT and company registry
        tell the same identity."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.sudo()
        documents = partner.qualification_document_ids.filtered("active")
        licences = {compact_code(d.number) for d in documents if d.type_code == BUSINESS_LICENCE}
        problems = []
        if len(licences) > 1:
            problems.append(("several_licences", {"numbers": ", ".join(sorted(licences))}))
        vat, registry = compact_code(partner.vat), compact_code(partner.company_registry)
        if vat and registry and vat != registry:
            problems.append(("vat_registry", {"vat": vat, "registry": registry}))
        uscc = next(iter(sorted(licences)), "") or vat or registry
        for number in licences:
            for label, value in (("vat", vat), ("registry", registry)):
                if value and value != number:
                    problems.append(("licence_differs", {"number": number, "label": label, "value": value}))
        for document in documents.filtered(lambda d: d.type_code == ORGANIZATION_CODE):
            if uscc and compact_code(document.number) != uscc_organization_code(uscc):
                problems.append(("organisation_code", {"number": document.number, "uscc": uscc}))
        warnings = []
        for document in documents.filtered(lambda d: d.type_code == TAX_REGISTRATION):
            number = compact_code(document.number)
            # Before 2015: 15 characters, region code + organisation code; since: the USCC.
            if uscc and number != uscc and number[-9:] != uscc_organization_code(uscc):
                warnings.append(("tax_registration", {"number": document.number, "uscc": uscc}))
        if problems:
            return "fail", problems
        if not uscc:
            return "warning", [("no_number", {})]
        if warnings:
            return "warning", warnings
        return "pass", [("numbers_ok", {"uscc": uscc})]

    def _check_admission_duplicates(self):
        """Another partner with the same tax ID, company registry or name."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        self.env.flush_all()
        codes = tuple(self._get_partner_codes())
        conditions = []
        if codes:
            conditions += [
                SQL("%s IN %s", _compact_sql(SQL("p.vat")), codes),
                SQL("%s IN %s", _compact_sql(SQL("p.company_registry")), codes),
            ]
        if (partner.name or "").strip():
            conditions.append(SQL("LOWER(TRIM(p.name)) = LOWER(TRIM(%s))", partner.name))
        if not conditions:
            return "pass", [("no_duplicate", {})]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
                 WHERE p.id = p.commercial_partner_id
                   AND p.id != %(partner)s
                   AND p.active
                   AND (%(conditions)s)
                 ORDER BY p.id
                 LIMIT 6
                """,
                partner=partner.id,
                conditions=SQL(" OR ").join(conditions),
            )
        )
        if not rows:
            return "pass", [("no_duplicate", {})]
        duplicates = self.env["res.partner"].sudo().browse([row[0] for row in rows])
        return "warning", [("duplicates", {"partners": ", ".join(duplicates.mapped("display_name")[:5])})]

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _render_check_details(self, details):
        """The reasons of one check, from its stored (code, values) pairs, in the
        current language."""
        return "; ".join(self._render_check_message(code, values) for code, values in details or ())

    def _render_check_message(self, code, values):
        values = dict(values)
        if "type_id" in values:
            doc_type = self.env["partner.qualification.document.type"].sudo().browse(values.pop("type_id"))
            values["type"] = doc_type.exists().name or "-"
        if "date" in values:
            values["date"] = format_date(self.env, values["date"])
        if "label" in values:
            values["label"] = (
                self.env._("Tax ID") if values["label"] == "vat" else self.env._("company registry")
            )
        messages = {
            "no_block_grade": lambda v: self.env._("No blocking grade is defined."),
            "not_prohibited": lambda v: self.env._("Not on the prohibited list of any company."),
            "prohibited": lambda v: self.env._(
                "On the prohibited list: %(partners)s graded %(grades)s in %(companies)s.", **v
            ),
            "prohibited_entries": lambda v: self.env._("On the prohibited list: %(entries)s.", **v),
            "document_missing": lambda v: self.env._("%(type)s missing", **v),
            "document_expired": lambda v: self.env._("%(type)s expired on %(date)s", **v),
            "documents_expiring": lambda v: self.env._("Expiring soon: %(documents)s", **v),
            "documents_ok": lambda v: self.env._("Mandatory documents present and valid."),
            "several_licences": lambda v: self.env._("several business licence numbers: %(numbers)s", **v),
            "vat_registry": lambda v: self.env._(
                "Tax ID %(vat)s differs from company registry %(registry)s", **v
            ),
            "licence_differs": lambda v: self.env._(
                "licence %(number)s differs from the %(label)s %(value)s", **v
            ),
            "organisation_code": lambda v: self.env._(
                "organisation code %(number)s is not characters 9-17 of %(uscc)s", **v
            ),
            "tax_registration": lambda v: self.env._(
                "tax registration %(number)s does not match %(uscc)s", **v
            ),
            "no_number": lambda v: self.env._("No licence number, tax ID or company registry to compare."),
            "numbers_ok": lambda v: self.env._("Numbers consistent (%(uscc)s).", **v),
            "no_duplicate": lambda v: self.env._("No other partner with the same tax ID, registry or name."),
            "duplicates": lambda v: self.env._("Possible duplicates: %(partners)s", **v),
            # Reasons recorded before they were stored as codes: kept as written.
            "recorded_text": lambda v: v["text"],
        }
        render = messages.get(code)
        return render(values) if render else code

    def _get_failed_check_reasons(self):
        self.ensure_one()
        return [
            self[f"check_{check}_reason"] or ""
            for check in BLOCKING_CHECKS
            if self[f"check_{check}_result"] == "fail"
        ]

    def _get_checks_summary(self):
        self.ensure_one()
        labels = dict(self._fields["check_prohibited_result"]._description_selection(self.env))
        return ", ".join(
            ": ".join(
                (
                    self._fields[f"check_{check}_result"].get_description(self.env)["string"],
                    labels.get(self[f"check_{check}_result"], "-"),
                )
            )
            for check in ADMISSION_CHECKS
        )
