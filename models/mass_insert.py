# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Set-based INSERT of the mass chatter (notes, tracking values, followers, activities)
that a campaign or the nightly reminders write by the thousand. The ORM creates such
records one by one in Python (each new message, activity or follower updates the cached
lists of every model that can hold one, and re-sanitizes HTML built from escaped values):
seconds per thousand records, against milliseconds here. Only for records whose values
the caller fully prepares (no default, no computed field to fill)."""

from odoo.tools import SQL


def insert_rows(env, model_name, vals_list, log_access=True):
    """INSERT ``vals_list`` (column values of stored fields of ``model_name``; a field
    missing from a row is NULL) in one statement; return the new ids in order."""
    if not vals_list:
        return []
    Model = env[model_name].sudo()
    names = sorted({name for vals in vals_list for name in vals})
    model_fields = [Model._fields[name] for name in names]
    extra = ()
    if log_access:
        now, uid = env.cr.now(), env.uid
        extra = (uid, now, uid, now)
        names += ["create_uid", "create_date", "write_uid", "write_date"]
    # One row is one tuple parameter: psycopg2 renders it as (v1, v2, ...).
    rows = [
        SQL(
            "%s",
            tuple(
                field.convert_to_column_insert(vals[field.name], Model, validate=False)
                if field.name in vals
                else None
                for field in model_fields
            )
            + extra,
        )
        for vals in vals_list
    ]
    # In the order of the VALUES list, as the ORM's own INSERT relies on.
    return [
        row_id
        for (row_id,) in env.execute_query(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(name) for name in names),
                SQL(", ").join(rows),
            )
        )
    ]
