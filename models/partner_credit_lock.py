# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import weakref
from contextlib import contextmanager

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE
from odoo.tools import SQL, sql

# Advisory-lock namespace of the credit checks (a constant of the addon's own).
CREDIT_LOCK_NAMESPACE = 8_504_117
# Conflicts met by each request: Odoo replays a request on the same cursor.
_CONFLICTS_BY_CURSOR = weakref.WeakKeyDictionary()


class PartnerCreditLock(models.Model):
    """One row per (company, commercial partner) that the credit check rewrites, so that
    two transactions checking the same partner cannot both commit. Also remembers
    whether the usage warning was sent, so that nothing is written on ``res_partner``.

    Transactions run in REPEATABLE READ: a check that waited for another one would still
    run on a snapshot without the document committed meanwhile. So a transaction that
    finds the partner's check taken, or its row changed since its snapshot, gives way:
    it raises ``ConcurrencyError`` and Odoo replays the whole request on a fresh
    snapshot. Expected contention is neither an error in the log nor an error for the
    user; a request that keeps losing gets a clear message on its last attempt."""

    _name = "partner.credit.lock"
    _description = "Partner Credit Check Lock"
    _log_access = False

    # Plain ids, not foreign keys: the first check of a partner inserts its row, and a
    # foreign key would check the company and the partner then, taking a key-share
    # lock on the company's row (that every first check of the company would share)
    # and planning both checks again in every request (Odoo's connections discard
    # their plans when they are borrowed). The rows of deleted partners and companies
    # are removed by ``_gc_orphans``; until then they lock nothing anyone checks.
    company_id = fields.Integer(required=True)
    partner_id = fields.Integer(required=True)
    credit_warned = fields.Boolean(default=False)
    checked_at = fields.Datetime()

    _company_partner_uniq = models.Constraint(
        "UNIQUE(company_id, partner_id)",
        "There is one credit lock per company and partner.",
    )

    def init(self):
        # Databases installed with the foreign keys (see the fields).
        for fname in ("company_id", "partner_id"):
            constraint = f"{self._table}_{fname}_fkey"
            if sql.constraint_definition(self.env.cr, self._table, constraint):
                sql.drop_constraint(self.env.cr, self._table, constraint)

    @api.autovacuum
    def _gc_orphans(self):
        """Remove the rows of partners and companies that were deleted."""
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM %(table)s l
                 WHERE NOT EXISTS (SELECT 1 FROM res_partner p WHERE p.id = l.partner_id)
                    OR NOT EXISTS (SELECT 1 FROM res_company c WHERE c.id = l.company_id)
                """,
                table=SQL.identifier(self._table),
            )
        )

    @api.model
    def _get_acquire_ctes(self, partner, needed):
        """Top-level CTEs of a statement that takes the credit check of commercial
        partner ``partner`` in the current company when SQL condition ``needed``
        holds: ``credit_lock`` (one row when needed: whether the advisory lock was
        taken) and ``credit_lock_row`` (the lock row, written only once the lock is
        taken; the lock waits for no one: held elsewhere, by a check on a newer state).
        The statement reads what the check needs in the same snapshot: see
        ``res.partner._prepare_transaction_data``."""
        return [
            SQL(
                "credit_lock AS (SELECT pg_try_advisory_xact_lock(%s, %s) AS taken WHERE %s)",
                CREDIT_LOCK_NAMESPACE,
                partner.id,
                needed,
            ),
            SQL(
                """
                credit_lock_row AS (
                    INSERT INTO partner_credit_lock (company_id, partner_id, credit_warned, checked_at)
                    SELECT %(company)s, %(partner)s, FALSE, NOW() AT TIME ZONE 'UTC'
                      FROM credit_lock
                     WHERE credit_lock.taken
                    ON CONFLICT (company_id, partner_id)
                    DO UPDATE SET checked_at = EXCLUDED.checked_at
                    RETURNING credit_warned)
                """,
                company=self.env.company.id,
                partner=partner.id,
            ),
        ]

    @api.model
    def _get_acquire_part(self, partner, data):
        """(query, handler) of the statement: puts (taken, warned) in ``data['lock']``
        when the check was needed."""
        query = SQL(
            """
            SELECT %s, NULL::int, credit_lock.taken::int,
                   (SELECT credit_warned::int FROM credit_lock_row), NULL::numeric
              FROM credit_lock
            """,
            partner.id,
        )

        def handler(_exposure, _partner_id, _other, taken, warned, _c):
            data["lock"] = (bool(taken), bool(warned))

        return query, handler

    @contextmanager
    def _handle_conflicts(self, partner):
        """Around the statement taking the lock: a row changed since this
        transaction's snapshot is a conflict (see ``_raise_conflict``)."""
        # Read now: after a serialization failure the transaction can run no query.
        name = partner.name
        try:
            yield
        except psycopg2.errors.SerializationFailure as error:
            self._raise_conflict(partner, error, name)

    @api.model
    def _check_acquired(self, partner, lock):
        """Whether the applicant was already warned about the usage threshold, from
        ``lock`` (the statement's (taken, warned)); a lock held elsewhere is a conflict.
        """
        if not lock or not lock[0]:
            self._raise_conflict(partner)
        return lock[1]

    @api.model
    def _raise_conflict(self, partner, error=None, name=None):
        name = name or partner.display_name
        attempts = _CONFLICTS_BY_CURSOR.get(self.env.cr, 0) + 1
        _CONFLICTS_BY_CURSOR[self.env.cr] = attempts
        if attempts >= MAX_TRIES_ON_CONCURRENCY_FAILURE:
            raise UserError(
                self.env._(
                    "Other documents of %(partner)s are being confirmed at this very moment: "
                    "nothing was changed. Try again in a few seconds.",
                    partner=name,
                )
            ) from error
        raise ConcurrencyError(
            self.env._("Credit check of %(partner)s in progress elsewhere", partner=name)
        ) from error
