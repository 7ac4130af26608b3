# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """The exposure now reads the amounts stored on the orders: the partial indexes of
    the former line-by-line queries are never used any more (the ORM does not drop an
    index its model no longer declares)."""
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS sale_order_credit_open_idx")
    cr.execute("DROP INDEX IF EXISTS purchase_order_line_credit_open_idx")
