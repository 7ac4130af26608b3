# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Upgrade to per-company relationship fields (19.0.1.1.0).

The relationship of a partner with a company (role, applicant, cooperation, application
date, classes) used to be one global value. Odoo converts a column to the jsonb of a
company-dependent field with a plain cast, which fails for these types (and would lose
the meaning anyway): the old column is set aside before the update, then its value is
copied to every company where the partner is admitted.
"""

from odoo.tools import SQL, sql

RELATIONSHIP_COLUMNS = (
    "partner_role",
    "qualification_applicant_id",
    "cooperation_content",
    "qualification_application_date",
    "scale_class",
    "strategic_class",
)
SAVED_SUFFIX = "_pqc_global"


def save_global_columns(cr, table="res_partner"):
    """Pre-migration: rename the plain columns so that the ORM creates the jsonb ones.

    :return: the columns set aside
    """
    saved = []
    columns = sql.table_columns(cr, table)
    for column in RELATIONSHIP_COLUMNS:
        if column in columns and columns[column]["udt_name"] != "jsonb":
            sql.rename_column(cr, table, column, column + SAVED_SUFFIX)
            saved.append(column)
    return saved


def spread_global_columns(cr, table="res_partner"):
    """Post-migration: copy each set-aside value to the partner's companies, then drop
    the old column. The companies are those where the partner is admitted; a partner
    admitted nowhere keeps the value where it was visible before: in its own company,
    or in every company for a shared partner."""
    for column in RELATIONSHIP_COLUMNS:
        saved = column + SAVED_SUFFIX
        if not sql.column_exists(cr, table, saved):
            continue
        cr.execute(
            SQL(
                """
                WITH targets AS (
                    SELECT p.id,
                           COALESCE(
                               (SELECT array_agg(kv.key)
                                  FROM jsonb_each_text(p.admission_state) kv
                                 WHERE kv.value = 'approved'),
                               CASE WHEN p.company_id IS NOT NULL THEN ARRAY[p.company_id::text] END,
                               (SELECT array_agg(c.id::text) FROM res_company c)
                           ) AS company_keys
                      FROM %(table)s p
                     WHERE p.%(saved)s IS NOT NULL
                )
                UPDATE %(table)s p
                   SET %(column)s = COALESCE(p.%(column)s, '{}'::jsonb) || (
                           SELECT jsonb_object_agg(key, to_jsonb(p.%(saved)s))
                             FROM unnest(t.company_keys) key
                       )
                  FROM targets t
                 WHERE t.id = p.id AND t.company_keys IS NOT NULL
                """,
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                saved=SQL.identifier(saved),
            )
        )
        cr.execute(SQL("ALTER TABLE %s DROP COLUMN %s", SQL.identifier(table), SQL.identifier(saved)))
