# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from functools import partial

from odoo import api, models
from odoo.tools import SQL, sql

# Order models whose open amounts are maintained: each declares its partner field,
# its gate states and the stored amounts (``partner_order_credit_amount.py``).
CREDIT_BALANCE_ORDER_MODELS = ("sale.order", "purchase.order")
ITEM_SOURCE = "account.move.line"
# The columns the triggers watch: a pending change of one of them must be written
# before the balances are read. Orders: these and the model's partner field.
CREDIT_BALANCE_ITEM_FIELDS = (
    "amount_residual",
    "reconciled",
    "parent_state",
    "partner_id",
    "account_id",
    "company_id",
)
CREDIT_BALANCE_ORDER_FIELDS = (
    "state",
    "company_id",
    "credit_open_amount",
    "credit_draft_amount",
    "credit_downpayment_amount",
)
# Draft invoices and bills: what they add that no order counts (``credit_draft_amount``),
# customer drafts in ``amount``, vendor drafts in ``draft``.
MOVE_SOURCE = "account.move"
CREDIT_BALANCE_MOVE_FIELDS = ("state", "move_type", "partner_id", "company_id", "credit_draft_amount")
CREDIT_DRAFT_MOVE_TYPES = {
    "amount": ("out_invoice", "out_refund"),
    "draft": ("in_invoice", "in_refund"),
}
# The amounts of an order row, in the order of ``_order_amounts_sql``.
ORDER_AMOUNT_COLUMNS = ("amount", "amount_net", "draft", "downpayment")


class PartnerCreditBalance(models.Model):
    """Open business per partner, maintained by the database itself.

    The credit check reads the partners' open journal items, open orders and draft
    invoices and bills at every confirmation and banner. Summing them there costs what
    the partner has open (tens of milliseconds for thousands of open invoices); this
    table holds the same sums, so that a check reads a handful of rows whatever the
    partner's open business.

    - Exact whatever writes the rows: row triggers on ``account_move_line``,
      ``sale_order``, ``purchase_order`` and ``account_move`` (ORM, raw SQL,
      reconciliation, imports alike) add one delta row per key, minus the row's old
      contribution, plus its new one. Updates that change no column read here do not
      even call the trigger.
    - No contention: rows are only ever inserted (never a shared row updated), so two
      transactions posting for the same partner never wait on each other; the sums are
      read with ``SUM`` in the reader's snapshot. No foreign key either: a key-share
      lock on the partner per insert would serialize them again.
    - Journal items are kept for every account, keyed by account: the reader keeps the
      receivable and payable ones by joining the accounts at read time (an account
      whose type changes stays exact). Orders keep their contribution for both
      settings of the draft switch (``amount`` and ``amount_net``). Drafts keep what
      they add beyond their orders per partner and company: an order's check then reads
      no ``account_move`` (planning a part on it, and its many indexes, cost more than
      running it).
    - A daily job compacts the deltas to one row per key (``_compact``).
    - Read in SQL only (no ORM fields): the columns are those ``init()`` creates.
    - ``init()`` fills the table only when it creates it: a change of what a row
      contributes needs a migration that drops the table (the upgrade then refills it).
    """

    _name = "partner.credit.balance"
    _description = "Partner Open Credit Balance"
    _auto = False
    _log_access = False

    # ------------------------------------------------------------
    # SET-UP
    # ------------------------------------------------------------

    def init(self):
        created = not sql.table_exists(self.env.cr, self._table)
        if created:
            self.env.cr.execute(
                SQL(
                    """
                    CREATE TABLE %(table)s (
                        id bigserial PRIMARY KEY,
                        source varchar NOT NULL,
                        partner_id integer NOT NULL,
                        company_id integer,
                        account_id integer,
                        amount numeric NOT NULL DEFAULT 0,
                        amount_net numeric NOT NULL DEFAULT 0,
                        draft numeric NOT NULL DEFAULT 0,
                        downpayment numeric NOT NULL DEFAULT 0
                    );
                    CREATE INDEX %(index)s ON %(table)s (partner_id, source)
                    """,
                    table=SQL.identifier(self._table),
                    index=SQL.identifier(f"{self._table}_partner_source_index"),
                )
            )
        self._init_item_balances(created)
        # Installing: this addon adds the order and draft amounts, maybe after this model.
        if self._order_columns_exist():
            self._init_order_balances(created)
        else:
            self.pool.post_init(self._init_order_balances, created)
        if sql.column_exists(self.env.cr, self.env["account.move"]._table, "credit_draft_amount"):
            self._init_move_balances(created)
        else:
            self.pool.post_init(self._init_move_balances, created)

    def _order_columns_exist(self):
        return all(
            sql.column_exists(self.env.cr, self.env[model]._table, "credit_downpayment_amount")
            for model in CREDIT_BALANCE_ORDER_MODELS
        )

    def _init_item_balances(self, fill):
        """Trigger of the journal items; when ``fill``, their current balances."""
        contributes_old = self._item_contributes_sql("OLD")
        contributes_new = self._item_contributes_sql("NEW")
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION partner_credit_balance_item() RETURNS trigger
                LANGUAGE plpgsql AS $body$
                DECLARE
                    old_amount numeric := 0;
                    new_amount numeric := 0;
                BEGIN
                    IF TG_OP <> 'INSERT' AND %(contributes_old)s THEN
                        old_amount := OLD.amount_residual;
                    END IF;
                    IF TG_OP <> 'DELETE' AND %(contributes_new)s THEN
                        new_amount := NEW.amount_residual;
                    END IF;
                    IF TG_OP = 'UPDATE' AND OLD.partner_id IS NOT DISTINCT FROM NEW.partner_id
                       AND OLD.company_id IS NOT DISTINCT FROM NEW.company_id
                       AND OLD.account_id IS NOT DISTINCT FROM NEW.account_id THEN
                        new_amount := new_amount - old_amount;
                        old_amount := 0;
                    END IF;
                    IF old_amount <> 0 THEN
                        INSERT INTO partner_credit_balance
                               (source, partner_id, company_id, account_id, amount)
                        VALUES (%(source)s, OLD.partner_id, OLD.company_id, OLD.account_id, -old_amount);
                    END IF;
                    IF new_amount <> 0 THEN
                        INSERT INTO partner_credit_balance
                               (source, partner_id, company_id, account_id, amount)
                        VALUES (%(source)s, NEW.partner_id, NEW.company_id, NEW.account_id, new_amount);
                    END IF;
                    RETURN NULL;
                END
                $body$
                """,
                contributes_old=contributes_old,
                contributes_new=contributes_new,
                source=ITEM_SOURCE,
            )
        )
        self._create_triggers(
            "account_move_line",
            "partner_credit_balance_item",
            CREDIT_BALANCE_ITEM_FIELDS,
            contributes_old,
            contributes_new,
        )
        if fill:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO partner_credit_balance (source, partner_id, company_id, account_id, amount)
                    SELECT %(source)s, aml.partner_id, aml.company_id, aml.account_id,
                           SUM(aml.amount_residual)
                      FROM account_move_line aml
                     WHERE %(contributes)s
                     GROUP BY aml.partner_id, aml.company_id, aml.account_id
                    HAVING SUM(aml.amount_residual) <> 0
                    """,
                    source=ITEM_SOURCE,
                    contributes=self._item_contributes_sql("aml"),
                )
            )

    def _init_order_balances(self, fill):
        """Trigger of each order model; when ``fill``, their current balances."""
        for model in CREDIT_BALANCE_ORDER_MODELS:
            orders = self.env[model]
            self._init_row_balances(
                model,
                orders._table,
                orders._credit_partner_field,
                (orders._credit_partner_field, *CREDIT_BALANCE_ORDER_FIELDS),
                ORDER_AMOUNT_COLUMNS,
                self._order_amounts_sql,
                partial(self._order_contributes_sql, orders),
                fill,
            )

    def _init_move_balances(self, fill):
        """Trigger of the invoices and bills (their drafts); when ``fill``, their
        current balances."""
        self._init_row_balances(
            MOVE_SOURCE,
            self.env["account.move"]._table,
            "partner_id",
            CREDIT_BALANCE_MOVE_FIELDS,
            tuple(CREDIT_DRAFT_MOVE_TYPES),
            self._move_amounts_sql,
            self._move_contributes_sql,
            fill,
        )

    def _init_row_balances(self, source, table, partner, watched, columns, amounts, contributes, fill):
        """Trigger of the documents of ``table`` that each contribute one row of amounts
        (``amounts(alias)``: SQL of the values of ``columns``) to their partner and
        company when ``contributes(alias)``; when ``fill``, their current balances."""
        function = f"partner_credit_balance_{table}"
        contributes_old, contributes_new = contributes("OLD"), contributes("NEW")
        indexes = range(1, len(columns) + 1)
        zeros = SQL("ARRAY[%s]::numeric[]", SQL(", ").join(SQL("0") for _index in indexes))
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger
                LANGUAGE plpgsql AS $body$
                DECLARE
                    o numeric[] := %(zeros)s;
                    n numeric[] := %(zeros)s;
                BEGIN
                    IF TG_OP <> 'INSERT' AND %(contributes_old)s THEN
                        o := ARRAY[%(old)s];
                    END IF;
                    IF TG_OP <> 'DELETE' AND %(contributes_new)s THEN
                        n := ARRAY[%(new)s];
                    END IF;
                    IF TG_OP = 'UPDATE' AND OLD.%(partner)s IS NOT DISTINCT FROM NEW.%(partner)s
                       AND OLD.company_id IS NOT DISTINCT FROM NEW.company_id THEN
                        n := ARRAY[%(difference)s];
                        o := %(zeros)s;
                    END IF;
                    IF o <> %(zeros)s THEN
                        INSERT INTO partner_credit_balance (source, partner_id, company_id, %(columns)s)
                        VALUES (%(source)s, OLD.%(partner)s, OLD.company_id, %(old_values)s);
                    END IF;
                    IF n <> %(zeros)s THEN
                        INSERT INTO partner_credit_balance (source, partner_id, company_id, %(columns)s)
                        VALUES (%(source)s, NEW.%(partner)s, NEW.company_id, %(new_values)s);
                    END IF;
                    RETURN NULL;
                END
                $body$
                """,
                function=SQL.identifier(function),
                zeros=zeros,
                contributes_old=contributes_old,
                contributes_new=contributes_new,
                old=amounts("OLD"),
                new=amounts("NEW"),
                difference=SQL(", ").join(SQL("n[%s] - o[%s]", index, index) for index in indexes),
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                old_values=SQL(", ").join(SQL("-o[%s]", index) for index in indexes),
                new_values=SQL(", ").join(SQL("n[%s]", index) for index in indexes),
                partner=SQL.identifier(partner),
                source=source,
            )
        )
        self._create_triggers(table, function, watched, contributes_old, contributes_new)
        if fill:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO partner_credit_balance (source, partner_id, company_id, %(columns)s)
                    SELECT %(source)s, r.%(partner)s, r.company_id, %(sums)s
                      FROM %(table)s r, LATERAL (SELECT %(amounts)s) c(%(columns)s)
                     WHERE %(contributes)s
                     GROUP BY r.%(partner)s, r.company_id
                    HAVING %(any)s
                    """,
                    source=source,
                    partner=SQL.identifier(partner),
                    table=SQL.identifier(table),
                    columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                    sums=SQL(", ").join(SQL("SUM(c.%s)", SQL.identifier(column)) for column in columns),
                    any=SQL(" OR ").join(SQL("SUM(c.%s) <> 0", SQL.identifier(column)) for column in columns),
                    amounts=amounts("r"),
                    contributes=contributes("r"),
                )
            )

    def _drop_balances(self):
        """Uninstalling: the triggers and their functions go with the table (a trigger
        left behind would fail every write of the journal items, orders and moves)."""
        tables = {"account_move_line": "partner_credit_balance_item"}
        tables.update(
            (self.env[model]._table, f"partner_credit_balance_{self.env[model]._table}")
            for model in (*CREDIT_BALANCE_ORDER_MODELS, MOVE_SOURCE)
        )
        for table, function in tables.items():
            for event in ("insert", "update", "delete"):
                self.env.cr.execute(
                    SQL(
                        "DROP TRIGGER IF EXISTS %s ON %s",
                        SQL.identifier(f"partner_credit_balance_{event}"),
                        SQL.identifier(table),
                    )
                )
            self.env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(function)))
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(self._table)))

    def _create_triggers(self, table, function, columns, contributes_old, contributes_new):
        """AFTER INSERT/UPDATE/DELETE row triggers of ``table`` calling ``function``,
        each only when the row may change a balance."""
        changed = SQL(" OR ").join(
            SQL("OLD.%(col)s IS DISTINCT FROM NEW.%(col)s", col=SQL.identifier(column)) for column in columns
        )
        for event, when in (("INSERT", contributes_new), ("UPDATE", changed), ("DELETE", contributes_old)):
            trigger = SQL.identifier(f"partner_credit_balance_{event.lower()}")
            self.env.cr.execute(
                SQL(
                    """
                    DROP TRIGGER IF EXISTS %(trigger)s ON %(table)s;
                    CREATE TRIGGER %(trigger)s AFTER %(event)s ON %(table)s
                       FOR EACH ROW WHEN (%(when)s) EXECUTE FUNCTION %(function)s()
                    """,
                    trigger=trigger,
                    table=SQL.identifier(table),
                    event=SQL(event),
                    when=when,
                    function=SQL.identifier(function),
                )
            )

    # ------------------------------------------------------------
    # TOOLING: what a row contributes (triggers, fill, reader)
    # ------------------------------------------------------------

    @api.model
    def _item_contributes_sql(self, alias):
        """Whether the journal item ``alias`` (a table alias, OLD or NEW) counts: posted,
        not reconciled, with a partner and something left."""
        # The alias is code (OLD/NEW must stay unquoted in a trigger), never user input.
        row = SQL(alias)
        return SQL(
            "(%(row)s.reconciled IS NOT TRUE AND %(row)s.parent_state = 'posted'"
            " AND %(row)s.partner_id IS NOT NULL AND %(row)s.amount_residual <> 0)",
            row=row,
        )

    @api.model
    def _order_contributes_sql(self, orders, alias):
        """Whether the order ``alias`` of the model of ``orders`` counts: in a state that
        commits the company, with a paying partner."""
        row = SQL(alias)
        return SQL(
            "(%(row)s.state = ANY(%(states)s) AND %(row)s.%(partner)s IS NOT NULL)",
            row=row,
            states=list(orders._partner_gate_states),
            partner=SQL.identifier(orders._credit_partner_field),
        )

    @api.model
    def _order_amounts_sql(self, alias):
        """What the order ``alias`` contributes: its amount (never below 0), the same net
        of the part draft invoices take (for the draft switch on), that draft part, and
        its down payments. A missing amount counts as the exposure's SUM counts it."""
        row = SQL(alias)
        return SQL(
            """COALESCE(GREATEST(%(row)s.credit_open_amount, 0), 0)::numeric,
               COALESCE(GREATEST(%(row)s.credit_open_amount - %(row)s.credit_draft_amount, 0), 0)::numeric,
               COALESCE(%(row)s.credit_draft_amount, 0)::numeric,
               COALESCE(%(row)s.credit_downpayment_amount, 0)::numeric""",
            row=row,
        )

    @api.model
    def _move_contributes_sql(self, alias):
        """Whether the move ``alias`` counts: a draft invoice or bill of a partner,
        adding something no order counts."""
        row = SQL(alias)
        return SQL(
            "(%(row)s.state = 'draft' AND %(row)s.partner_id IS NOT NULL"
            " AND %(row)s.credit_draft_amount <> 0 AND %(row)s.move_type IN %(types)s)",
            row=row,
            types=tuple(move_type for types in CREDIT_DRAFT_MOVE_TYPES.values() for move_type in types),
        )

    @api.model
    def _move_amounts_sql(self, alias):
        """What the move ``alias`` contributes, per column of ``CREDIT_DRAFT_MOVE_TYPES``:
        its amount for a customer draft, then for a vendor draft (0 for the other)."""
        row = SQL(alias)
        return SQL(", ").join(
            SQL(
                "(CASE WHEN %(row)s.move_type IN %(types)s"
                " THEN %(row)s.credit_draft_amount ELSE 0 END)::numeric",
                row=row,
                types=types,
            )
            for types in CREDIT_DRAFT_MOVE_TYPES.values()
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cron_compact(self):
        self._compact()

    @api.model
    def _compact(self):
        """Replace the delta rows by one row per key, in one statement. Rows other
        transactions insert meanwhile are not in the DELETE's snapshot: they stay, and
        the sums stay exact."""
        self.env.cr.execute(
            SQL(
                """
                WITH gone AS (
                    DELETE FROM partner_credit_balance
                    RETURNING source, partner_id, company_id, account_id,
                              amount, amount_net, draft, downpayment
                )
                INSERT INTO partner_credit_balance
                       (source, partner_id, company_id, account_id, amount, amount_net, draft, downpayment)
                SELECT source, partner_id, company_id, account_id,
                       SUM(amount), SUM(amount_net), SUM(draft), SUM(downpayment)
                  FROM gone
                 GROUP BY source, partner_id, company_id, account_id
                HAVING SUM(amount) <> 0 OR SUM(amount_net) <> 0 OR SUM(draft) <> 0 OR SUM(downpayment) <> 0
                """
            )
        )
