# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """The exposure reads the open orders from the maintained balances: the partial
    indexes of open orders (their amounts included) are read by nothing any more, and
    every change of an order's amounts had to rewrite them."""
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS sale_order_credit_amount_open_idx")
    cr.execute("DROP INDEX IF EXISTS purchase_order_credit_amount_open_idx")
