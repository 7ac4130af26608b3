# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dataclasses import dataclass, field

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, ormcache


@dataclass(frozen=True)
class TransactionBlocker:
    """One reason that refuses a transaction with a partner.

    :param kind: which rule refuses ('admission', 'grade_block', 'documents',
        'grade_restrict', 'credit_limit', ...)
    :param message: translated explanation for internal users: what, and who can lift it
    :param releasable: a credit manager's release lifts it
    :param released: a release covers the documents checked
    :param figures: what the rule measured (credit figures, document issues, ...)
    """

    kind: str
    message: str
    releasable: bool = False
    released: bool = False
    figures: dict = field(default_factory=dict, compare=False, hash=False)


class ResPartner(models.Model):
    """The decision engine: whether documents (orders now; invoices, bills and payments
    through the same entry points) may be committed with a commercial partner in the
    current company. The gate, the banners, the release wizard and the partner's status
    all read ``_get_transaction_blockers``: a rule is written once."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    transaction_status = fields.Html(
        string="Trading Status",
        compute="_compute_transaction_status",
        sanitize=False,
        groups="partner_qualification_credit.group_user",
        help="What the gate would say about a new order with this partner in the current company.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_transaction_status(self):
        partners = self.commercial_partner_id._origin.sudo()
        roles = {"customer": self.env._("Sales"), "supplier": self.env._("Purchases")}
        data = {role: partners._prepare_transaction_data(None, role) for role in roles}
        for partner in self:
            commercial = partners.browse(partner.commercial_partner_id._origin.id)
            if not commercial:
                partner.transaction_status = False
                continue
            own_role = commercial.partner_role
            lines = []
            for role, label in roles.items():
                if own_role in ("customer", "supplier") and role != own_role:
                    continue
                blockers = commercial._get_transaction_blockers(None, role, data[role])
                if not blockers:
                    lines.append(self.env._("%(side)s: allowed.", side=label))
                    continue
                lines.append(
                    self.env._("%(side)s: every new order needs a release.", side=label)
                    if all(blocker.releasable for blocker in blockers)
                    else self.env._("%(side)s: refused.", side=label)
                )
                lines += [Markup("<br/>").join(blocker.message.split("\n")) for blocker in blockers]
            partner.transaction_status = Markup("<br/>").join(lines)

    # ------------------------------------------------------------
    # ENGINE
    # ------------------------------------------------------------

    @api.model
    def _get_transaction_rules(self):
        """The rules, in the order their refusals are reported. A rule is a method
        ``rule(documents, data)`` of a commercial partner (superuser, in the company
        checked) returning a ``TransactionBlocker`` or None; ``data`` is what
        ``_prepare_transaction_data`` read for the whole batch."""
        return (
            "_get_admission_blocker",
            "_get_grade_block_blocker",
            "_get_documents_blocker",
            "_get_grade_restrict_blocker",
            "_get_credit_limit_blocker",
        )

    @api.model
    def _get_transaction_prefetch_fields(self):
        """{model: fields} of the commercial partners and of their grades that the rules
        read: fetched together (company-dependent or not) before the rules run."""
        return {
            "res.partner": [
                "commercial_partner_id",
                "admission_state",
                "qualification_grade_id",
                "partner_role",
            ],
            "partner.qualification.grade": ["policy"],
        }

    def _prefetch_transaction_fields(self):
        """Read the rules' partner fields (their own prefetch group, see
        ``CREDIT_RULE_PREFETCH``) of the partners ``self`` that miss any, in one query.

        As superuser, with a query of its own: ``fetch`` would build each company-dependent
        column with its fallback again at every check, which costs more than the read.
        The grades' fields come from their cache (see ``_get_transaction_grade``)."""
        fnames = tuple(self._get_transaction_prefetch_fields()["res.partner"])
        if not self.env.su:
            self.fetch(fnames)
            return
        fields_ = [self._fields[fname] for fname in fnames]
        missing = {id_ for field_ in fields_ for id_ in field_._cache_missing_ids(self._origin)}
        if not missing:
            return
        columns = self._get_transaction_fetch_columns(fnames)
        rows = self.env.execute_query(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s IN %s",
                SQL.identifier(self._table, "id"),
                SQL(", ").join(columns),
                SQL.identifier(self._table),
                SQL.identifier(self._table, "id"),
                tuple(missing),
            )
        )
        if not rows:
            return
        ids, *values = zip(*rows, strict=True)
        fetched = self.browse(ids)
        for field_, column_values in zip(fields_, values, strict=True):
            # As ``fetch``: values in cache (pending writes) are kept.
            field_._insert_cache(fetched, column_values)

    @api.model
    @ormcache("self.env.company.id", "fnames")
    def _get_transaction_fetch_columns(self, fnames):
        """The SQL of the columns ``fnames`` of ``res_partner`` as the current company
        reads them (company-dependent fields with their fallback), built once per
        company: ``ir.default`` clears the registry's cache when a fallback changes."""
        partners = self.sudo()
        columns = []
        for fname in fnames:
            sql = partners._field_to_sql(self._table, fname)
            field_ = self._fields[fname]
            # As ``fetch``: no flush of the field itself, whose cached values are kept.
            columns.append(SQL(sql.code, *sql.params, to_flush=(f for f in sql.to_flush if f != field_)))
        return tuple(columns)

    def _get_transaction_grade(self):
        """The values of the grade of commercial partner ``self`` that the rules read
        ({} without a grade): see ``partner.qualification.grade._get_transaction_values``."""
        grade = self.qualification_grade_id
        return grade._get_transaction_values().get(grade.id, {}) if grade else {}

    @api.model
    def _get_transaction_exposure_options(self, role):
        """Keyword arguments of ``_get_credit_exposure_by_partner`` for the rules of
        ``role``: what else they read from the open items, in the same statement."""
        return {}

    def _prepare_transaction_data(self, documents, role, lock=False, held=None):
        """Everything the rules need about the commercial partners ``self`` and the
        documents ``documents`` (a batch of one model, possibly of several of these
        partners; None: any new document, for the partner's status), read at once: the
        partners' fields, then one statement (exposure, temporary limits, documents,
        and what other rules add through ``_get_transaction_parts``), whatever the
        batch size. Prepayments are read on first use: only a refusal asks.

        :param lock: take the credit check of partner ``self`` (one) in the same
            statement when it has a credit limit (see ``partner.credit.lock``)
        :param held: ``CreditBalanceHeld`` of ``documents`` (orders), read before
            their write (see ``_get_credit_exposure_by_partner``)
        """
        settings = self.env.company._get_credit_settings()
        partners = self.sudo()
        partners._prefetch_transaction_fields()
        data = {
            "role": role,
            "batch": documents,
            "released": None,
            "issues": {},
            "pending": {},
            "temporary": {},
            "release_covered": {},
            "lock": None,
        }
        parts, ctes = partners._get_transaction_parts(documents, role, data, lock)
        data["exposure"] = partners._get_credit_exposure_by_partner(
            documents,
            extra_parts=parts,
            ctes=ctes,
            held=held,
            **partners._get_transaction_exposure_options(role),
        )
        data["limits"] = partners._get_credit_limit_infos(data["temporary"])
        if settings["partner_admission_required"]:
            not_admitted = partners.filtered(lambda p: p.admission_state != "approved")
            data["pending"] = not_admitted._get_pending_admission_requests()
        return data

    def _get_transaction_parts(self, documents, role, data, lock):
        """The reads of ``_prepare_transaction_data`` that run in the exposure's
        statement: ([(query, handler)], [top-level CTE]). A query returns rows
        (commercial partner id, another id, three numbers); its handler
        ``handler(exposure, partner_id, other_id, a, b, c)`` stores them in ``data``."""
        settings = self.env.company._get_credit_settings()
        Temporary = self.env["partner.credit.limit.temporary"]
        granted = Temporary._filter_granted(self)
        parts = [Temporary._get_active_amount_part(granted, data["temporary"])] if granted else []
        ctes = []
        if documents and documents._origin and not lock:
            Release = self.env["partner.credit.release"].sudo()
            parts.append(Release._get_release_part(documents._origin, data["release_covered"]))
        else:
            # The gate (it takes the lock) reads the releases only on a refusal, which
            # most checks are not; a banner shows them, read in its statement.
            data["release_covered"] = None
        if settings["partner_block_invalid_documents"]:
            parts.append(self._get_document_issue_part(role, data["issues"]))
        if lock:
            self.ensure_one()
            Lock = self.env["partner.credit.lock"].with_company(self.env.company._get_credit_root())
            ctes += Lock._get_acquire_ctes(self, self._get_credit_lock_needed_sql())
            parts.append(Lock._get_acquire_part(self, data))
        return parts, ctes

    def _get_transaction_blockers(self, documents, role, data=None, rules=None):
        """The ordered reasons that refuse ``documents`` with commercial partner ``self``
        in ``self.env.company``; empty when they may be committed.

        :param role: the partner's side of the trade: 'customer' or 'supplier'
        :param data: from ``_prepare_transaction_data`` for a batch containing
            ``documents``; read for ``documents`` alone when not given
        :param rules: names of the rules to run, in their usual order (all when None)
        :return: list of ``TransactionBlocker``
        """
        self.ensure_one()
        partner = self.sudo()
        if data is None:
            data = partner._prepare_transaction_data(documents, role)
        blockers = []
        for rule in partner._get_transaction_rules():
            if rules is not None and rule not in rules:
                continue
            blocker = getattr(partner, rule)(documents, data)
            if blocker:
                blockers.append(blocker)
        return blockers

    def _check_transaction_allowed(self, documents, role, rules=None, held=None):
        """Refuse ``documents`` of commercial partner ``self`` in ``self.env.company``
        with the first blocker no release covers.

        Serialised per (company, commercial partner) when the partner has a credit
        limit: see ``partner.credit.lock``.

        :raise UserError: naming the partner, the reason and who can lift it
        """
        self.ensure_one()
        partner = self.sudo()
        Lock = self.env["partner.credit.lock"].with_company(self.env.company._get_credit_root())
        # Taken in the statement that reads the exposure, even when the documents are
        # released: a concurrent check of another document must see these once committed.
        with Lock._handle_conflicts(partner):
            data = partner._prepare_transaction_data(documents, role, lock=True, held=held)
        _limit, unlimited = data["limits"][partner.id]
        if not unlimited:
            warned = Lock._check_acquired(partner, data["lock"])
        for blocker in partner._get_transaction_blockers(documents, role, data, rules=rules):
            if not blocker.released:
                raise UserError(blocker.message)
        checks_credit = rules is None or "_get_credit_limit_blocker" in rules
        if checks_credit and not unlimited and documents:
            figures = partner._get_credit_figures(
                documents, data["exposure"][partner.id], limit_info=data["limits"][partner.id]
            )
            # A released confirmation warns nobody: asked only when there is a change.
            reached = partner._is_credit_threshold_reached(figures)
            if reached != warned and documents - partner._get_transaction_released(data):
                partner._notify_credit_threshold(figures, reached)

    def _get_transaction_released(self, data):
        """The documents of the batch a credit manager released, worked out on first
        use (from their releases the statement read, or read now when it did not)."""
        if data["released"] is None:
            batch = data["batch"]
            data["released"] = batch._get_credit_released(data["release_covered"]) if batch else ()
        return data["released"]

    def _is_transaction_released(self, documents, data):
        if not documents:
            return False
        released = self._get_transaction_released(data)
        return all(doc._origin and doc._origin in released for doc in documents)

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _get_admission_blocker(self, documents, data):
        if (
            self.env.company._get_credit_settings()["partner_admission_required"]
            and self.admission_state != "approved"
        ):
            return TransactionBlocker(
                kind="admission",
                message=self._get_admission_block_message(data["pending"].get(self.id)),
            )
        return None

    def _get_grade_block_blocker(self, documents, data):
        grade = self.qualification_grade_id
        if self._get_transaction_grade().get("policy") != "block":
            return None
        return TransactionBlocker(
            kind="grade_block",
            message=self.env._(
                "%(partner)s is graded %(grade)s: cooperation has ended and no new order "
                "can be confirmed. Only a new evaluation approved by %(approvers)s can "
                "change the grade.",
                partner=self.display_name,
                grade=grade.display_name,
                approvers=self._get_group_user_names("partner_qualification_credit.group_approver"),
            ),
        )

    def _get_documents_blocker(self, documents, data):
        issues = data["issues"].get(self.id)
        if not issues:
            return None
        issues = self._sort_document_issues(issues)
        return TransactionBlocker(
            kind="documents",
            message=self._get_document_block_message(issues),
            figures={"issues": issues},
        )

    def _get_grade_restrict_blocker(self, documents, data):
        grade = self.qualification_grade_id
        if self._get_transaction_grade().get("policy") != "restrict":
            return None
        return TransactionBlocker(
            kind="grade_restrict",
            message=self.env._(
                "%(partner)s is graded %(grade)s: every order needs a release by a credit "
                "manager (%(managers)s). Use 'Request Release' on the order.",
                partner=self.display_name,
                grade=grade.display_name,
                managers=self._get_group_user_names("partner_qualification_credit.group_credit_manager"),
            ),
            releasable=True,
            released=self._is_transaction_released(documents, data),
        )

    def _get_credit_limit_blocker(self, documents, data):
        limit, unlimited = data["limits"][self.id]
        if unlimited:
            return None
        figures = self._get_credit_figures(
            documents, data["exposure"][self.id], data["batch"], data["limits"][self.id]
        )
        if self._compare_credit_amounts(figures["total"], limit) <= 0:
            return None
        return TransactionBlocker(
            kind="credit_limit",
            message=self._get_credit_block_message(documents, figures),
            releasable=True,
            released=self._is_transaction_released(documents, data),
            figures=figures,
        )

    # ------------------------------------------------------------
    # BANNER
    # ------------------------------------------------------------

    def _get_transaction_banner(self, document, blockers, data):
        """(level, html, release needed) of the banner of ``document`` (a quotation
        of commercial partner ``self``): the blockers the gate would raise, then the
        credit usage warning. Level 'danger': confirming will be refused."""
        self.ensure_one()
        settings = self.env.company._get_credit_settings()
        figures = self._get_credit_figures(
            document, data["exposure"][self.id], data["batch"], data["limits"][self.id]
        )
        lines = [self._get_transaction_banner_header(figures)]
        refused = [blocker for blocker in blockers if not blocker.released]
        lines += [Markup("<br/>").join(blocker.message.split("\n")) for blocker in refused]
        level = "info"
        if refused:
            level = "danger"
        elif not figures["unlimited"] and figures["usage"] >= settings["partner_credit_warning_threshold"]:
            level = "warning"
            lines.append(
                self.env._(
                    "Confirming takes credit usage over the warning threshold (%(threshold)s%%).",
                    threshold=settings["partner_credit_warning_threshold"],
                )
            )
        # Only a releasable refusal asks whether a release covers the order.
        if any(blocker.releasable for blocker in blockers) and self._is_transaction_released(document, data):
            lines.append(self.env._("A credit manager released this order."))
        release_needed = bool(refused) and all(blocker.releasable for blocker in refused)
        return level, Markup("<br/>").join(lines), release_needed

    def _get_transaction_banner_header(self, figures):
        grade = self._get_transaction_grade().get("display_name") or self.env._("none")
        fmt = self._format_credit_amount

        if figures["unlimited"]:
            return self.env._(
                "Grade: %(grade)s. Credit: unlimited (exposure %(exposure)s).",
                grade=grade,
                exposure=fmt(figures["exposure"]),
            )
        return self.env._(
            "Grade: %(grade)s. Credit usage: %(usage)s%% (%(exposure)s of %(limit)s); "
            "%(after)s%% after this order (%(amount)s).",
            grade=grade,
            usage=round(self._get_credit_usage(figures["exposure"], figures["limit"], False), 1),
            exposure=fmt(figures["exposure"]),
            limit=fmt(figures["limit"]),
            after=round(figures["usage"], 1),
            amount=fmt(figures["orders"]),
        )

    # ------------------------------------------------------------
    # MESSAGES
    # ------------------------------------------------------------

    def _get_admission_block_message(self, pending=None):
        state = dict(self._fields["admission_state"]._description_selection(self.env))
        if pending:
            return self.env._(
                "%(partner)s is not admitted for %(company)s yet (admission: %(state)s): "
                "admission request %(request)s is %(request_state)s. Orders can be confirmed "
                "once %(approvers)s approve it.",
                partner=self.display_name,
                company=self.env.company._get_credit_settings()["name"],
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
            company=self.env.company._get_credit_settings()["name"],
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
        # Through the cached xmlid lookup: ``env.ref`` queries the group at each call, and
        # a banner names the same group once per order.
        group = self.env["res.groups"].sudo().browse(self.env["ir.model.data"]._xmlid_to_res_id(group_xmlid))
        users = group.all_user_ids.filtered(
            lambda u: u._is_internal() and not u._is_superuser() and self.env.company in u.company_ids
        )
        names = users[:limit].mapped("name")
        return ", ".join(names) if names else group.display_name

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
        settings = self.env.company._get_credit_settings()
        labels = self._get_credit_component_labels()
        fmt = self._format_credit_amount

        lines = [
            self.env._("%(component)s: %(amount)s", component=labels[key], amount=fmt(figures[key]))
            for key, switch in self._credit_components
            if settings[switch]
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
        if not orders:
            return self.env._(
                "The exposure of %(partner)s already passes its credit limit in %(company)s:\n"
                "%(lines)s\nEvery new order needs a release by a credit manager (%(managers)s).",
                partner=self.display_name,
                company=self.env.company._get_credit_settings()["name"],
                lines="\n".join(self._get_credit_breakdown_lines(figures)),
                managers=self._get_group_user_names("partner_qualification_credit.group_credit_manager"),
            )
        return self.env._(
            "Confirming %(orders)s would take the exposure of %(partner)s over its credit "
            "limit in %(company)s:\n%(lines)s\n"
            "Ask for payment, lower the order, or ask a credit manager (%(managers)s) to "
            "release it ('Request Release' on the order).",
            orders=", ".join(orders.mapped("display_name")),
            partner=self.display_name,
            company=self.env.company._get_credit_settings()["name"],
            lines="\n".join(self._get_credit_breakdown_lines(figures)),
            managers=self._get_group_user_names("partner_qualification_credit.group_credit_manager"),
        )

    def _get_credit_breakdown_html(self, figures):
        return Markup("<br/>").join(self._get_credit_breakdown_lines(figures))
