# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Set-based INSERT of the mass chatter (notes, tracking values, followers, activities)
that a campaign or the nightly reminders write by the thousand. The ORM creates such
records one by one in Python (each new message, activity or follower updates the cached
lists of every model that can hold one, and re-sanitizes HTML built from escaped values):
seconds per thousand records, against milliseconds here. Only for records whose values
the caller fully prepares (no default, no computed field to fill)."""

from collections import defaultdict

from odoo import fields
from odoo.tools import SQL, split_every

# Rows per INSERT of mass activities.
ACTIVITY_INSERT_CHUNK = 1000
# The columns of res.partner its display name is made of: fetch only them before naming
# thousands of partners (the table is wide, its prefetch is not).
PARTNER_NAME_FIELDS = ["name", "type", "is_company", "parent_id", "company_name", "commercial_company_name"]


def insert_rows(env, model_name, vals_list, log_access=True):
    """INSERT ``vals_list`` (column values of stored fields of ``model_name``; a field
    missing from a row is NULL) in one statement; return the new ids in order.

    The rows travel as one typed array per column, unnested by the database: psycopg2
    quotes a list in C, where a VALUES list of tuples goes through its Python adapter
    value by value. A column whose value is the same on every row (the model, the
    author, the date of a whole batch) travels once."""
    if not vals_list:
        return []
    Model = env[model_name].sudo()
    names = sorted({name for vals in vals_list for name in vals})
    arrays, constants = [], []
    first = vals_list[0]
    for name in names:
        field = Model._fields[name]
        value = first.get(name)
        if all(name in vals and vals[name] is value for vals in vals_list):
            value = field.convert_to_column_insert(value, Model, validate=False)
            constants.append((name, SQL("%s::%s", value, SQL(field.column_type[1]))))
            continue
        values = [
            field.convert_to_column_insert(vals[name], Model, validate=False) if name in vals else None
            for vals in vals_list
        ]
        arrays.append((name, SQL("%s::%s[]", values, SQL(field.column_type[1]))))
    if log_access:
        now, uid = env.cr.now(), env.uid
        constants += [
            (name, SQL("%s", value))
            for name, value in (
                ("create_uid", uid),
                ("create_date", now),
                ("write_uid", uid),
                ("write_date", now),
            )
        ]
    columns = [name for name, _array in arrays] + [name for name, _constant in constants]
    selected = [SQL("row_values.*")] if arrays else []
    selected += [constant for _name, constant in constants]
    # unnest() of several arrays zips them into rows; with no array, one row per vals.
    if arrays:
        source = SQL("unnest(%s) AS row_values", SQL(", ").join(array for _name, array in arrays))
    else:
        source = SQL("generate_series(1, %s)", len(vals_list))
    # In the order of the arrays, as the ORM's own INSERT relies on the VALUES order.
    return [
        row_id
        for (row_id,) in env.execute_query(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM %s RETURNING id",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(selected),
                source,
            )
        )
    ]


def subscribe_partner(records, partner):
    """Make ``partner`` a follower of the ``records`` it does not follow yet, with core's
    default subtypes (what ``message_subscribe`` gives), in one INSERT per table. Existing
    followers are left as they are (core's default): the unique index of the followers
    skips them, instead of a look-up of every record's followers beforehand."""
    if not records or not partner:
        return
    env = records.env
    default, _internal, external = env["mail.message.subtype"].default_subtypes(records._name)
    # As core: the external subtypes for a customer (no internal user), else all defaults.
    customer = env["res.partner"].sudo().search([("id", "in", partner.ids), ("partner_share", "=", True)])
    subtypes = external if customer else default
    env["mail.followers"].flush_model()
    rows = env.execute_query(
        SQL(
            """
            INSERT INTO mail_followers (res_model, res_id, partner_id)
            SELECT %(model)s, res_id, %(partner)s FROM unnest(%(ids)s::int[]) AS res_id
                ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
            RETURNING id
            """,
            model=records._name,
            partner=partner.id,
            ids=list(records.ids),
        )
    )
    if rows and subtypes:
        env.execute_query(
            SQL(
                """
                INSERT INTO mail_followers_mail_message_subtype_rel
                            (mail_followers_id, mail_message_subtype_id)
                SELECT follower_id, subtype_id
                  FROM unnest(%(followers)s::int[]) AS follower_id
                 CROSS JOIN unnest(%(subtypes)s::int[]) AS subtype_id
                """,
                followers=[follower_id for (follower_id,) in rows],
                subtypes=subtypes.ids,
            )
        )
    env["mail.followers"].invalidate_model()
    records.invalidate_recordset(["message_follower_ids", "message_partner_ids", "message_is_follower"])


def insert_activities(records, vals_list):
    """Schedule activities on ``records`` as ``mail.activity.create`` does with
    ``mail_activity_quick_update`` (no assignment e-mail): the rows, each assigned user
    following the records of their activities, the users' to-do counters refreshed; in
    a few statements instead of one ORM create per activity.

    :param vals_list: list of {'res_id', 'activity_type_id', 'user_id', 'date_deadline',
        'summary', 'automated', optionally 'note' (Markup whose values the caller
        escaped: it is not sanitized again)}
    :return: the new activities
    """
    Activity = records.env["mail.activity"].sudo()
    if not vals_list:
        return Activity
    records = records.sudo()
    users = records.env["res.users"].sudo().browse({vals["user_id"] for vals in vals_list})
    users.fetch(["partner_id", "tz"])
    res_model_id = records.env["ir.model"]._get_id(records._name)
    names = {record.id: record.display_name for record in records}
    today = fields.Date.context_today(Activity)
    by_user = defaultdict(list)
    todo_counts = defaultdict(int)
    rows = []
    for vals in vals_list:
        user = users.browse(vals["user_id"])
        by_user[user].append(vals["res_id"])
        if vals["date_deadline"] <= today:
            todo_counts[user] += 1
        rows.append(
            {
                **vals,
                "res_model_id": res_model_id,
                "res_model": records._name,
                "res_name": names[vals["res_id"]],
                "user_tz": user.tz,
                "active": True,
            }
        )
    for user, res_ids in by_user.items():
        subscribe_partner(records.browse(res_ids), user.partner_id)
    activity_ids = []
    for chunk in split_every(ACTIVITY_INSERT_CHUNK, rows, list):
        activity_ids += insert_rows(records.env, "mail.activity", chunk)
    Activity.invalidate_model()
    records.invalidate_recordset(["activity_ids"])
    for user, count in todo_counts.items():
        user._bus_send("mail.activity/updated", {"activity_created": True, "count_diff": count})
    return Activity.browse(activity_ids)
