# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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


class PartnerCreditBalance(models.Model):
    """Open business per partner, maintained by the database itself.

    The credit check reads the partners' open journal items and open orders at every
    confirmation and banner. Summing them there costs what the partner has open (tens
    of milliseconds for thousands of open invoices); this table holds the same sums,
    so that a check reads a handful of rows whatever the partner's open business.

    - Exact whatever writes the rows: row triggers on ``account_move_line``,
      ``sale_order`` and ``purchase_order`` (ORM, raw SQL, reconciliation, imports
      alike) add one delta row per key, minus the row's old contribution, plus its new
      one. Updates that change no column read here do not even call the trigger.
    - No contention: rows are only ever inserted (never a shared row updated), so two
      transactions posting for the same partner never wait on each other; the sums are
      read with ``SUM`` in the reader's snapshot. No foreign key either: a key-share
      lock on the partner per insert would serialize them again.
    - Journal items are kept for every account, keyed by account: the reader keeps the
      receivable and payable ones by joining the accounts at read time (an account
      whose type changes stays exact). Orders keep their contribution for both
      settings of the draft switch (``amount`` and ``amount_net``).
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
        if self._order_columns_exist():
            self._init_order_balances(created)
        else:
            # Installing: this addon adds the order amounts, maybe after this model.
            self.pool.post_init(self._init_order_balances, created)

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
            partner = orders._credit_partner_field
            function = f"partner_credit_balance_{orders._table}"
            contributes_old = self._order_contributes_sql(orders, "OLD")
            contributes_new = self._order_contributes_sql(orders, "NEW")
            old, new = self._order_amounts_sql("OLD"), self._order_amounts_sql("NEW")
            self.env.cr.execute(
                SQL(
                    """
                    CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger
                    LANGUAGE plpgsql AS $body$
                    DECLARE
                        o numeric[] := ARRAY[0, 0, 0, 0];
                        n numeric[] := ARRAY[0, 0, 0, 0];
                    BEGIN
                        IF TG_OP <> 'INSERT' AND %(contributes_old)s THEN
                            o := ARRAY[%(old)s];
                        END IF;
                        IF TG_OP <> 'DELETE' AND %(contributes_new)s THEN
                            n := ARRAY[%(new)s];
                        END IF;
                        IF TG_OP = 'UPDATE' AND OLD.%(partner)s IS NOT DISTINCT FROM NEW.%(partner)s
                           AND OLD.company_id IS NOT DISTINCT FROM NEW.company_id THEN
                            n := ARRAY[n[1] - o[1], n[2] - o[2], n[3] - o[3], n[4] - o[4]];
                            o := ARRAY[0, 0, 0, 0];
                        END IF;
                        IF o <> ARRAY[0, 0, 0, 0]::numeric[] THEN
                            INSERT INTO partner_credit_balance
                                   (source, partner_id, company_id, amount, amount_net, draft, downpayment)
                            VALUES (%(source)s, OLD.%(partner)s, OLD.company_id, -o[1], -o[2], -o[3], -o[4]);
                        END IF;
                        IF n <> ARRAY[0, 0, 0, 0]::numeric[] THEN
                            INSERT INTO partner_credit_balance
                                   (source, partner_id, company_id, amount, amount_net, draft, downpayment)
                            VALUES (%(source)s, NEW.%(partner)s, NEW.company_id, n[1], n[2], n[3], n[4]);
                        END IF;
                        RETURN NULL;
                    END
                    $body$
                    """,
                    function=SQL.identifier(function),
                    contributes_old=contributes_old,
                    contributes_new=contributes_new,
                    old=old,
                    new=new,
                    partner=SQL.identifier(partner),
                    source=model,
                )
            )
            self._create_triggers(
                orders._table,
                function,
                (partner, *CREDIT_BALANCE_ORDER_FIELDS),
                contributes_old,
                contributes_new,
            )
            if fill:
                self.env.cr.execute(
                    SQL(
                        """
                        INSERT INTO partner_credit_balance
                               (source, partner_id, company_id, amount, amount_net, draft, downpayment)
                        SELECT %(source)s, o.%(partner)s, o.company_id,
                               SUM(c.amount), SUM(c.amount_net), SUM(c.draft), SUM(c.downpayment)
                          FROM %(table)s o,
                               LATERAL (SELECT %(amounts)s) c(amount, amount_net, draft, downpayment)
                         WHERE %(contributes)s
                         GROUP BY o.%(partner)s, o.company_id
                        HAVING SUM(c.amount) <> 0 OR SUM(c.amount_net) <> 0
                            OR SUM(c.draft) <> 0 OR SUM(c.downpayment) <> 0
                        """,
                        source=model,
                        partner=SQL.identifier(partner),
                        table=SQL.identifier(orders._table),
                        amounts=self._order_amounts_sql("o"),
                        contributes=self._order_contributes_sql(orders, "o"),
                    )
                )

    def _drop_balances(self):
        """Uninstalling: the triggers and their functions go with the table (a trigger
        left behind would fail every write of the journal items and orders)."""
        tables = {"account_move_line": "partner_credit_balance_item"}
        tables.update(
            (self.env[model]._table, f"partner_credit_balance_{self.env[model]._table}")
            for model in CREDIT_BALANCE_ORDER_MODELS
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
