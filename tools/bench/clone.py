# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Duplicate rows with INSERT … SELECT, the foreign keys between the copied tables
re-pointed at the copies.

The ORM creates one consistent seed (an order, its invoice, payment, purchase and bill);
copying it in SQL is what makes 10,000 bundles affordable. Ids are allocated sequentially
after each table's current maximum: copy ``k`` of a seed row ``id`` gets
``base + (k - 1) * span + (id - first)``, and every foreign key pointing into a seed range
is shifted the same way, so the copies form ``n`` independent bundles."""

from psycopg2 import sql


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cr.fetchall()]


def foreign_keys(cr, table):
    """{column: referenced table} of ``table``'s single-column foreign keys."""
    cr.execute(
        """
        SELECT a.attname, c.confrelid::regclass::text
          FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.conrelid = %s::regclass AND array_length(c.conkey, 1) = 1
        """,
        [table],
    )
    return dict(cr.fetchall())


def max_ids(cr, tables):
    result = {}
    for table in tables:
        cr.execute(sql.SQL("SELECT COALESCE(MAX(id), 0) FROM {}").format(sql.Identifier(table)))
        result[table] = cr.fetchone()[0]
    return result


def link_tables(cr, tables):
    """Relation tables (no ``id``) with a foreign key into ``tables``."""
    cr.execute(
        """
        SELECT DISTINCT c.conrelid::regclass::text
          FROM pg_constraint c
         WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)
           AND NOT EXISTS (SELECT 1 FROM information_schema.columns col
                            WHERE col.table_name = c.conrelid::regclass::text AND col.column_name = 'id')
        """,
        [list(tables)],
    )
    return [name for (name,) in cr.fetchall()]


def clone_seed(cr, before, after, copies, renamed=("name",)):
    """Copy ``copies`` times the rows created between two ``max_ids`` snapshots.

    ``renamed`` char columns get a ``/<copy>`` suffix (posted journal entries have a
    unique name per journal)."""
    if copies <= 0:
        return
    seeds = {t: (before[t] + 1, after[t]) for t in after if after[t] > before[t]}
    base = {t: after[t] + 1 for t in seeds}

    def shifted(column, target):
        first, last = seeds[target]
        span = last - first + 1
        return sql.SQL(
            "CASE WHEN {col} BETWEEN {first} AND {last} THEN {base} + (k - 1) * {span} + ({col} - {first}) "
            "ELSE {col} END"
        ).format(
            col=sql.Identifier(column),
            first=sql.Literal(first),
            last=sql.Literal(last),
            base=sql.Literal(base[target]),
            span=sql.Literal(span),
        )

    def select_list(table, columns):
        fks = foreign_keys(cr, table)
        items = []
        for column in columns:
            if column == "id":
                items.append(shifted("id", table))
            elif fks.get(column) in seeds:
                items.append(shifted(column, fks[column]))
            elif column in renamed:
                items.append(sql.SQL("{col} || '/' || k").format(col=sql.Identifier(column)))
            else:
                items.append(sql.Identifier(column))
        return sql.SQL(", ").join(items), fks

    # Foreign keys run in circles (move -> payment -> move): checked by hand here, not
    # by PostgreSQL while the copies are half made (needs the superuser role setup.sh creates).
    cr.execute("SET LOCAL session_replication_role = replica")
    for table, (first, last) in seeds.items():
        columns = table_columns(cr, table)
        items, _fks = select_list(table, columns)
        cr.execute(
            sql.SQL(
                "INSERT INTO {t} ({cols}) SELECT {items} FROM {t}, generate_series(1, {n}) k "
                "WHERE id BETWEEN {first} AND {last}"
            ).format(
                t=sql.Identifier(table),
                cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
                items=items,
                n=sql.Literal(copies),
                first=sql.Literal(first),
                last=sql.Literal(last),
            )
        )
    for table in link_tables(cr, seeds):
        columns = table_columns(cr, table)
        items, fks = select_list(table, columns)
        in_seed = sql.SQL(" OR ").join(
            sql.SQL("{col} BETWEEN {first} AND {last}").format(
                col=sql.Identifier(column),
                first=sql.Literal(seeds[target][0]),
                last=sql.Literal(seeds[target][1]),
            )
            for column, target in fks.items()
            if target in seeds
        )
        cr.execute(
            sql.SQL(
                "INSERT INTO {t} ({cols}) SELECT {items} FROM {t}, generate_series(1, {n}) k WHERE {cond}"
            ).format(
                t=sql.Identifier(table),
                cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
                items=items,
                n=sql.Literal(copies),
                cond=in_seed,
            )
        )
    cr.execute("SET LOCAL session_replication_role = DEFAULT")
    for table in seeds:
        cr.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence({t}, 'id'), (SELECT MAX(id) FROM {ti}))").format(
                t=sql.Literal(table), ti=sql.Identifier(table)
            )
        )


def clone_record(cr, table, seed_id, copies, overrides):
    """``copies`` rows like ``seed_id`` with columns from SQL expressions of ``g``
    (1..copies); returns the new ids in order."""
    columns = [c for c in table_columns(cr, table) if c != "id"]
    items = [
        sql.SQL(overrides[c]) if c in overrides else sql.Identifier(c)  # overrides are our own constants
        for c in columns
    ]
    cr.execute(
        sql.SQL(
            "INSERT INTO {t} ({cols}) SELECT {items} FROM {t}, generate_series(1, {n}) g WHERE id = {seed} "
            "ORDER BY g RETURNING id"
        ).format(
            t=sql.Identifier(table),
            cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
            items=sql.SQL(", ").join(items),
            n=sql.Literal(copies),
            seed=sql.Literal(seed_id),
        )
    )
    return [row[0] for row in cr.fetchall()]
