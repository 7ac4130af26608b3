# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Upgrade of admission check reasons from stored text to message codes.

The reasons are now stored as (code, values) pairs rendered in the reader's language.
Requests checked before kept their reasons as text in the language of whoever ran the
checks: they are kept as recorded (code ``recorded_text``) rather than lost."""

from odoo.tools import SQL

CHECKS = ("prohibited", "documents", "numbers", "duplicates")


def keep_recorded_reasons(cr, table="partner_admission_request"):
    """Move each former text column into its details column; returns the columns moved."""
    moved = []
    for check in CHECKS:
        column = f"check_{check}_reason"
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            [table, column],
        )
        if not cr.fetchone():
            continue
        cr.execute(
            SQL(
                """
                UPDATE %(table)s
                   SET %(details)s = jsonb_build_array(
                           jsonb_build_array('recorded_text', jsonb_build_object('text', %(reason)s)))
                 WHERE %(details)s IS NULL AND COALESCE(%(reason)s, '') <> ''
                """,
                table=SQL.identifier(table),
                details=SQL.identifier(f"check_{check}_details"),
                reason=SQL.identifier(column),
            )
        )
        cr.execute(SQL("ALTER TABLE %s DROP COLUMN %s", SQL.identifier(table), SQL.identifier(column)))
        moved.append(column)
    return moved
