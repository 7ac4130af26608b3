# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class PartnerQualificationRequirement(models.Model):
    """Snapshot of the mandatory documents of every commercial partner with a role in
    some company, whatever the role: one row per mandatory active document type applying
    to its country, with the latest expiry of its active documents of that type (empty:
    missing; 'infinity': no expiry date).

    The qualification filter reads it through its indexes instead of evaluating every
    partner and type. It holds nothing that moves with the calendar nor with the
    company: the role (company-dependent) and today's date are applied when it is read.
    It is internal: no access rights, written and read in SQL only, refreshed set-based
    by the changes of what it is made of (documents, document types, partners' country,
    company and role)."""

    _name = "partner.qualification.requirement"
    _description = "Partner Qualification Requirement"
    _log_access = False

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    type_id = fields.Many2one(
        comodel_name="partner.qualification.document.type",
        string="Document Type",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    # The latest expiry date of the partner's active documents of the type.
    best_expiry = fields.Date(string="Expiry Date", readonly=True)

    _partner_type_uniq = models.UniqueIndex("(partner_id, type_id)")
    # The filter's starting points: the missing documents, and those expired or about to be.
    _missing_idx = models.Index("(partner_id) WHERE best_expiry IS NULL")
    _best_expiry_idx = models.Index("(best_expiry, partner_id) WHERE best_expiry IS NOT NULL")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _refresh(self, partner_ids=None, type_ids=None):
        """Recompute the rows of the partners ``partner_ids`` and the types ``type_ids``
        (None: all of them) in one statement, whatever their number: new rows inserted,
        changed ones updated, rows no longer mandatory deleted. Any partner id may be
        given: only commercial partners with a role somewhere have rows."""
        if partner_ids is not None and not partner_ids or type_ids is not None and not type_ids:
            return
        Partner = self.env["res.partner"]
        Partner._flush_qualification_data()
        partner_condition = SQL("p.id IN %s", tuple(partner_ids)) if partner_ids is not None else None
        type_condition = SQL("t.id IN %s", tuple(type_ids)) if type_ids is not None else SQL("TRUE")
        scope = SQL(
            "(%s) AND %s",
            SQL("q.partner_id IN %s", tuple(partner_ids)) if partner_ids is not None else SQL("TRUE"),
            SQL("q.type_id IN %s", tuple(type_ids)) if type_ids is not None else SQL("TRUE"),
        )
        # Upsert, then delete what is left over: the two touch different keys, so one
        # statement is safe, also beside another transaction refreshing the same partner.
        self.env.execute_query(
            SQL(
                """
                WITH fresh AS (%(fresh)s),
                     stale AS (
                         DELETE FROM partner_qualification_requirement q
                          WHERE %(scope)s
                            AND NOT EXISTS (SELECT 1 FROM fresh f
                                             WHERE f.partner_id = q.partner_id AND f.type_id = q.type_id)
                     )
                INSERT INTO partner_qualification_requirement AS q (partner_id, type_id, best_expiry)
                SELECT f.partner_id, f.type_id, f.best_expiry FROM fresh f
                    ON CONFLICT (partner_id, type_id) DO UPDATE
                   SET best_expiry = EXCLUDED.best_expiry
                 WHERE q.best_expiry IS DISTINCT FROM EXCLUDED.best_expiry
                """,
                fresh=Partner._qualification_mandatory_sql(partner_condition, type_condition),
                scope=scope,
            )
        )

    @api.model
    def _forget_partners(self, partner_ids):
        """Drop the rows of ``partner_ids`` (partners about to be merged into another)."""
        if partner_ids:
            self.env.execute_query(
                SQL(
                    "DELETE FROM partner_qualification_requirement WHERE partner_id IN %s", tuple(partner_ids)
                )
            )
