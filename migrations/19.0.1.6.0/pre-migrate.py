# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL


def migrate(cr, version):
    """The balances hold the draft invoices and bills too: dropped here (with their
    triggers, which write into them), ``partner.credit.balance.init()`` creates them
    again in this upgrade and fills every source once from the current data. The
    drafts' partial index is read by nothing any more (the ORM does not drop an index
    its model no longer declares)."""
    if not version:
        return
    cr.execute(
        """
        SELECT t.tgname, c.relname
          FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid
         WHERE t.tgname LIKE 'partner\\_credit\\_balance\\_%' AND NOT t.tgisinternal
        """
    )
    for trigger, table in cr.fetchall():
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger), SQL.identifier(table)))
    cr.execute("DROP TABLE IF EXISTS partner_credit_balance")
    cr.execute("DROP INDEX IF EXISTS account_move_credit_draft_partner_idx")
