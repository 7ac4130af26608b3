# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .const import IDENTITY_DOCUMENT_TYPES, PROHIBITED_SOURCES, compact_code


class PartnerProhibitedEntry(models.Model):
    """An entity nobody in the group may trade with: the group's list, our own, a
    regulator's. Matched against partners by registration number or by name."""

    _name = "partner.prohibited.entry"
    _inherit = ["partner.cached.rule.mixin"]
    # What ``_has_active_entries`` keeps.
    _cached_rule_fields = ("active",)
    _description = "Prohibited List Entry"
    _order = "listed_date desc, id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, index="trigram")
    number = fields.Char(
        string="Registration Number",
        help="Unified Social Credit Code, VAT or company registry number, as listed. Compared "
        "without separators or case.",
    )
    country_id = fields.Many2one(comodel_name="res.country", string="Country")
    # Imports name the country by its ISO code: resolved once per batch, where a
    # country name would cost a lookup per row.
    country_code = fields.Char(
        compute="_compute_country_code",
        inverse="_inverse_country_code",
        help="ISO code of the country (e.g. CN), for imports.",
    )
    source = fields.Selection(
        selection=PROHIBITED_SOURCES,
        required=True,
        default="own",
        help="Group: the list sent by the group; Own: listed by this company (e.g. a partner "
        "graded E); Regulator: an authority's list.",
    )
    reason = fields.Text()
    listed_date = fields.Date(string="Listed On", required=True, default=fields.Date.context_today)
    listed_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Listed By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    active = fields.Boolean(default=True)
    # What partners are compared on (see ``compact_code``).
    number_key = fields.Char(compute="_compute_keys", store=True, precompute=True, index=True)
    name_key = fields.Char(compute="_compute_keys", store=True, precompute=True, index=True)

    _number_source_uniq = models.UniqueIndex(
        "(number_key, source) WHERE active AND number_key IS NOT NULL",
        "This registration number is already on the prohibited list for this source.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("number", "name")
    def _compute_keys(self):
        for entry in self:
            entry.number_key = compact_code(entry.number) or False
            entry.name_key = compact_code(entry.name) or False

    @api.depends("country_id")
    def _compute_country_code(self):
        for entry in self:
            entry.country_code = entry.country_id.code

    def _inverse_country_code(self):
        codes = {(entry.country_code or "").strip().upper() for entry in self} - {""}
        countries = {
            country.code: country for country in self.env["res.country"].search([("code", "in", list(codes))])
        }
        unknown = codes - countries.keys()
        if unknown:
            raise ValidationError(
                self.env._(
                    "Unknown country code(s) %(codes)s: use two-letter ISO codes such as CN or US.",
                    codes=", ".join(sorted(unknown)),
                )
            )
        for code, entries in self.grouped(lambda e: (e.country_code or "").strip().upper()).items():
            entries.country_id = countries.get(code)

    @api.depends("name", "number")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = " - ".join(filter(None, [entry.name, entry.number]))

    _rec_names_search = ["name", "number"]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # Who listed an entity is recorded, never chosen by the client.
            for vals in vals_list:
                vals["listed_by_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            vals.pop("listed_by_id", None)
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS: matching
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _has_active_entries(self):
        """Whether the list has an active entry: most companies keep it empty, and the
        credit engine then matches nothing at each check. Kept in the registry cache,
        cleared when an entry is created, archived, restored or deleted."""
        return bool(self.sudo().with_context(active_test=True).search_count([], limit=1))

    @api.model
    def _get_matches(self, partners, extra_numbers=None):
        """{commercial partner id: active entries matching it} for ``partners``, in one
        query whatever their number. See ``_get_match_part``."""
        result = {}
        if partners and self._has_active_entries():
            query, handler = self._get_match_part(partners, result, extra_numbers)
            for row in self.env.execute_query(query):
                handler(None, *row)
        return result

    @api.model
    def _get_match_part(self, partners, result, extra_numbers=None):
        """(query, handler) of the credit engine's statement (see
        ``res.partner._get_transaction_parts``): the active entries matching the
        commercial partners of ``partners``, put in ``result`` {partner id: entries}.

        A registration number matches whatever the country: the tax ID, the company
        registry and the numbers of the identity documents (archived ones too: a
        renewed licence keeps its past). A name matches only when the countries do not
        contradict each other.

        :param extra_numbers: {commercial partner id: numbers} not recorded on the partner
            yet (e.g. documents added to an admission request)
        """
        partners = partners.commercial_partner_id
        self.flush_model(["number_key", "name_key", "country_id", "active"])
        self.env["partner.qualification.document"].flush_model(["partner_id", "type_id", "number_key"])
        keys = []
        for partner in partners:
            numbers = {compact_code(partner.vat), compact_code(partner.company_registry)}
            numbers.update(map(compact_code, (extra_numbers or {}).get(partner.id, ())))
            numbers.discard("")
            keys.append(
                SQL(
                    "(%s::int, %s::varchar[], %s::varchar, %s::int)",
                    partner.id,
                    sorted(numbers),
                    compact_code(partner.name) or None,
                    partner.country_id.id or None,
                )
            )
        query = SQL(
            """
            SELECT k.partner_id, e.id, NULL::numeric, NULL::numeric, NULL::numeric
              FROM (VALUES %(keys)s) AS k(partner_id, numbers, name_key, country_id)
              JOIN partner_prohibited_entry e
                ON e.active
               AND (e.number_key = ANY(k.numbers || ARRAY(
                        SELECT d.number_key
                          FROM partner_qualification_document d
                          JOIN partner_qualification_document_type t ON t.id = d.type_id
                         WHERE d.partner_id = k.partner_id AND d.number_key IS NOT NULL
                           AND t.code IN %(identity)s))
                    OR (e.name_key = k.name_key
                        AND (e.country_id IS NULL OR k.country_id IS NULL OR e.country_id = k.country_id)))
            """,
            keys=SQL(", ").join(keys) if keys else SQL("(0, '{}'::varchar[], NULL::varchar, NULL::int)"),
            identity=IDENTITY_DOCUMENT_TYPES,
        )
        Entry = self.sudo()

        def handler(_exposure, partner_id, entry_id, _a, _b, _c):
            result[partner_id] = result.get(partner_id, Entry) | Entry.browse(entry_id)

        return query, handler

    def _get_match_summary(self):
        """One line naming the entries, for refusals and check results."""
        sources = dict(self._fields["source"]._description_selection(self.env))
        return ", ".join(
            self.env._(
                "%(entry)s (%(list)s, listed on %(date)s)",
                entry=entry.display_name,
                list=sources[entry.source],
                date=entry.listed_date,
            )
            for entry in self[:5]
        )


class PartnerAdmissionRequest(models.Model):
    _inherit = "partner.admission.request"

    def _check_admission_prohibited(self):
        """(1) The prohibited list first (the partner's numbers and name, and the numbers
        of the documents added to the request), then the blocking grades."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        entries = (
            self.env["partner.prohibited.entry"]
            .sudo()
            ._get_matches(partner, extra_numbers={partner.id: self.sudo().document_line_ids.mapped("number")})
            .get(partner.id)
        )
        if entries:
            return "fail", [("prohibited_entries", {"entries": entries._get_match_summary()})]
        return super()._check_admission_prohibited()
