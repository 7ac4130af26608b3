# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, float_compare, float_round
from odoo.tools.misc import NON_BREAKING_SPACE, formatLang


class ResPartner(models.Model):
    """Credit control: the exposure of a partner per company, its limit, the lock that
    serialises credit checks and the usage warning."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Exposure components: (key, res.company switch). Each is one column of the
    # ``_get_credit_exposure_by_partner`` result and one ``credit_<key>`` field below.
    # A new component is one entry here, one field below, one column of a query and one
    # field of the release log.
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
        compute="_compute_credit_currency_id",
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

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    # Apart from the exposure: assigning any credit amount (the temporary increase of a
    # partner the gate checks) reads this currency, and must not compute the exposure.
    @api.depends_context("company")
    def _compute_credit_currency_id(self):
        self.credit_currency_id = self._get_credit_currency()

    @api.depends_context("company")
    def _compute_credit_exposure(self):
        # New records (onchange) have no history: only saved partners are queried.
        commercial = self.commercial_partner_id._origin
        exposures = commercial._get_credit_exposure_by_partner() if commercial else {}
        limits = commercial._get_credit_limit_infos()
        empty = self._get_credit_empty_figures()
        keys = [key for key, _switch in self._credit_components]
        # Partners with the same figures (most have none) are assigned at once: a list
        # of a thousand partners is one assignment per field, not a thousand.
        groups = defaultdict(list)
        for partner in self:
            commercial_id = partner.commercial_partner_id._origin.id
            figures = exposures.get(commercial_id) or empty
            if commercial_id:
                limit, unlimited = limits[commercial_id]
            else:
                limit, unlimited = partner.commercial_partner_id._get_credit_limit_info()
            exposure = figures["exposure"]
            values = (
                *(figures[key] for key in keys),
                exposure,
                unlimited,
                0.0 if unlimited else limit - exposure,
                self._get_credit_usage(exposure, limit, unlimited),
            )
            groups[values].append(partner)
        fnames = [f"credit_{key}" for key in keys]
        fnames += ["credit_exposure", "credit_unlimited", "credit_available", "credit_usage"]
        for values, partners in groups.items():
            # ``self.concat`` would prepend ``self``: every partner would get each group's figures.
            partners = self.browse().concat(*partners)
            for fname, value in zip(fnames, values, strict=True):
                # Non-stored values of the records being computed go straight to the
                # cache, as ``Field.write`` puts them, without comparing each record's
                # previous value (one currency rounding per record and field).
                field = self._fields[fname]
                self.env.remove_to_compute(field, partners)
                field._update_cache(partners, field.convert_to_cache(value, partners))

    # ------------------------------------------------------------
    # BUSINESS: limit and exposure
    # ------------------------------------------------------------

    @api.model
    def _get_credit_currency(self):
        """The current company's currency, without reading the company's row."""
        return self.env["res.currency"].browse(self.env.company._get_credit_settings()["currency_id"])

    @api.model
    def _format_credit_amount(self, amount):
        """``formatLang`` of ``amount`` in the current company's currency, with what the
        settings cache keeps of it: a banner or a refusal reads no currency row."""
        settings = self.env.company._get_credit_settings()
        formatted = formatLang(self.env, amount, digits=settings["currency_decimal_places"])
        symbol = settings["currency_symbol"]
        if not symbol:
            return formatted
        if settings["currency_position"] == "after":
            return f"{formatted}{NON_BREAKING_SPACE}{symbol}"
        return f"{symbol}{NON_BREAKING_SPACE}{formatted}"

    # Every check rounds and compares its figures in the company's currency: with the
    # rounding kept in the settings cache, an operation that reads no currency (a
    # purchase order's confirmation) does not fetch the currency's row for them.
    @api.model
    def _round_credit_amount(self, amount):
        """``res.currency.round`` in the current company's currency."""
        rounding = self.env.company._get_credit_settings()["currency_rounding"]
        return float_round(amount, precision_rounding=rounding)

    @api.model
    def _compare_credit_amounts(self, amount1, amount2):
        """``res.currency.compare_amounts`` in the current company's currency."""
        rounding = self.env.company._get_credit_settings()["currency_rounding"]
        return float_compare(amount1, amount2, precision_rounding=rounding)

    @api.model
    def _get_credit_usage(self, amount, limit, unlimited):
        if unlimited:
            return 0.0
        if limit > 0:
            return amount * 100.0 / limit
        return 100.0 if self._compare_credit_amounts(amount, 0.0) > 0 else 0.0

    def _get_credit_limit_info(self):
        """(limit, unlimited) of commercial partner ``self`` in the current company: the
        limit of its root company (branches share it, as they share the exposure) plus
        the temporary increases valid today."""
        settings = self.env.company._get_credit_settings()
        partner = self.sudo().with_company(settings["root_id"])
        limit = partner.credit_limit + partner.credit_limit_temporary if self else 0.0
        unlimited = not limit and not settings["partner_credit_limit_required"]
        return limit, unlimited

    def _get_credit_limit_infos(self, temporary=None):
        """{partner id: ``_get_credit_limit_info()``} for the saved commercial partners
        ``self``, read for all at once (the limit column alone, not every
        company-dependent field of the partner).

        The temporary increases are summed directly rather than through the
        ``credit_limit_temporary`` field: assigning a monetary field record by record
        rounds and compares each value, the largest cost of a partner list.

        :param temporary: {partner id: temporary increase valid today}, when already
            read (see ``partner.credit.limit.temporary._get_active_amount_part``)
        """
        settings = self.env.company._get_credit_settings()
        root = self.env.company._get_credit_root()
        required = settings["partner_credit_limit_required"]
        partners = self.sudo().with_company(root)
        partners.fetch(["credit_limit"])
        if temporary is None:
            temporary = self.env["partner.credit.limit.temporary"]._get_active_amounts(partners, root)
        currency = self.env["res.currency"].browse(settings["root_currency_id"])
        infos = {}
        for partner in partners:
            limit = partner.credit_limit
            if temporary.get(partner.id):
                limit += currency.round(temporary[partner.id])
            infos[partner.id] = (limit, not limit and not required)
        return infos

    def _get_credit_lock_needed_sql(self):
        """SQL condition: commercial partner ``self`` (one) has a credit limit in the
        current company, as ``_get_credit_limit_info`` decides, for the statement that
        takes its credit check only then."""
        self.ensure_one()
        settings = self.env.company._get_credit_settings()
        root = self.env.company._get_credit_root()
        limit = self.sudo().with_company(root).credit_limit
        if limit or settings["partner_credit_limit_required"]:
            return SQL("TRUE")
        Temporary = self.env["partner.credit.limit.temporary"]
        if not Temporary._filter_granted(self):
            return SQL("FALSE")
        return SQL("(%s) <> 0", Temporary._get_active_amount_sql(SQL("%s", self.id), root))

    def _get_credit_figures(self, documents, exposure, batch=None, limit_info=None):
        """Figures of the credit check of ``documents`` (orders of commercial partner
        ``self``), from ``exposure`` (this partner's entry of
        ``_get_credit_exposure_by_partner(batch)``).

        :param batch: the documents measured apart in ``exposure``: those of them that
            already commit the company and are not checked now count in the exposure
        :param limit_info: ``_get_credit_limit_info()`` when already read
        """
        self.ensure_one()
        settings = self.env.company._get_credit_settings()
        round_amount = self._round_credit_amount
        figures = {key: value for key, value in exposure.items() if key != "documents"}
        measured = exposure["documents"]
        checked = set(documents._origin.ids) if documents else set()
        if batch:
            counted = sum(
                measured.get(doc.id, 0.0)
                for doc in batch
                if doc.id not in checked and doc._is_credit_committed()
            )
            component = batch._credit_exposure_component
            if counted and settings[dict(self._credit_components)[component]]:
                figures[component] = round_amount(figures[component] + counted)
                figures["exposure"] = round_amount(figures["exposure"] + counted)
        figures["orders"] = round_amount(
            sum(
                measured.get(doc.id, 0.0) if isinstance(doc.id, int) else doc._get_credit_amount()
                for doc in documents or ()
            )
        )
        limit, unlimited = limit_info or self._get_credit_limit_info()
        total = round_amount(figures["exposure"] + figures["orders"])
        figures.update(
            limit=limit,
            unlimited=unlimited,
            total=total,
            excess=0.0 if unlimited else max(round_amount(total - limit), 0.0),
            usage=self._get_credit_usage(total, limit, unlimited),
        )
        return figures

    def _get_credit_check_figures(self, documents):
        """Figures of the credit check of ``documents`` alone (release wizard and log)."""
        self.ensure_one()
        exposure = self._get_credit_exposure_by_partner(documents)[self.id]
        return self._get_credit_figures(documents, exposure)

    # ------------------------------------------------------------
    # BUSINESS: lock and usage warning
    # ------------------------------------------------------------

    def _is_credit_threshold_reached(self, figures):
        threshold = self.env.company._get_credit_settings()["partner_credit_warning_threshold"]
        return figures["usage"] >= threshold

    def _notify_credit_threshold(self, figures, reached):
        """Give the applicant a to-do when a confirmation takes usage to the warning
        threshold, once: the marker on the partner's lock row (see
        ``partner.credit.lock``) is reset when usage falls back under the threshold
        (checked at the next confirmation).

        :param reached: ``_is_credit_threshold_reached(figures)``, which differs from
            the marker
        """
        self.ensure_one()
        settings = self.env.company._get_credit_settings()
        self.env.execute_query(
            SQL(
                "UPDATE partner_credit_lock SET credit_warned = %s WHERE company_id = %s AND partner_id = %s",
                reached,
                settings["root_id"],
                self.id,
            )
        )
        if not reached:
            return
        user = self.qualification_applicant_id or self.user_id
        if not user or user.share or not user.active:
            return
        self.activity_schedule(
            "partner_qualification_credit.mail_activity_type_credit_threshold",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._("Credit usage at %(usage)s%%", usage=round(figures["usage"], 1)),
            note=self.env._(
                "%(partner)s now uses %(usage)s%% of its credit limit in %(company)s "
                "(%(total)s of %(limit)s). Follow up on payments before new orders are blocked.",
                partner=self.display_name,
                usage=round(figures["usage"], 1),
                company=settings["name"],
                total=self._format_credit_amount(figures["total"]),
                limit=self._format_credit_amount(figures["limit"]),
            ),
            user_id=user.id,
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

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
