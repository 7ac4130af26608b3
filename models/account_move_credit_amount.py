# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# Invoice move type -> sign of what its lines add to the partner's exposure.
CREDIT_MOVE_SIGNS = {
    "out_invoice": 1,
    "out_refund": -1,
    "in_invoice": 1,
    "in_refund": -1,
}


class AccountMove(models.Model):
    """What a draft invoice or bill adds to its partner's exposure, kept on the move.

    The lines that come from orders are counted through their orders; the others, tax
    included, in the company's currency, make the draft's amount, never below 0 (a
    draft credit note or a negative line lowers nothing). Kept on the move, the
    exposure reads one row per draft instead of joining its lines at every check."""

    _inherit = "account.move"

    credit_draft_amount = fields.Float(
        string="Amount Not From Orders (Credit)",
        compute="_compute_credit_draft_amount",
        store=True,
        copy=False,
        help="While in draft: what the invoice or bill adds to the partner's exposure, "
        "tax included, in the company's currency: its lines that come from no order.",
    )

    def _auto_init(self):
        # Created and filled here for the drafts alone: the ORM would compute it for
        # every move ever posted, where it is 0.
        if not column_exists(self.env.cr, self._table, "credit_draft_amount"):
            create_column(self.env.cr, self._table, "credit_draft_amount", "double precision")
            self.env.cr.execute(self._get_credit_draft_amount_fill_sql())
        return super()._auto_init()

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(
        "state",
        "move_type",
        "line_ids.display_type",
        "line_ids.price_total",
        "line_ids.balance",
        "line_ids.amount_currency",
        "line_ids.purchase_line_id",
        "line_ids.sale_line_ids",
    )
    def _compute_credit_draft_amount(self):
        for move in self:
            sign = CREDIT_MOVE_SIGNS.get(move.move_type)
            if move.state != "draft" or not sign:
                move.credit_draft_amount = 0.0
                continue
            amount = sum(
                line.price_total * (line.balance / line.amount_currency if line.amount_currency else 1.0)
                for line in move.line_ids
                if line.display_type == "product" and not line.purchase_line_id and not line.sale_line_ids
            )
            move.credit_draft_amount = max(sign * amount, 0.0)

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _get_credit_draft_amount_fill_sql(self):
        """The compute in one statement, for the existing drafts (install)."""
        signs = SQL(" ").join(
            SQL("WHEN %s THEN %s", move_type, sign) for move_type, sign in CREDIT_MOVE_SIGNS.items()
        )
        return SQL(
            """
            UPDATE account_move m
               SET credit_draft_amount = amounts.amount
              FROM (
                    SELECT aml.move_id,
                           GREATEST(SUM(
                               CASE m.move_type %(signs)s END
                               * aml.price_total
                               * COALESCE(aml.balance / NULLIF(aml.amount_currency, 0), 1)
                           ), 0) AS amount
                      FROM account_move m
                      JOIN account_move_line aml ON aml.move_id = m.id
                     WHERE m.state = 'draft'
                       AND m.move_type IN %(types)s
                       AND aml.display_type = 'product'
                       AND aml.purchase_line_id IS NULL
                       AND NOT EXISTS (
                            SELECT 1 FROM sale_order_line_invoice_rel rel WHERE rel.invoice_line_id = aml.id)
                     GROUP BY aml.move_id
                   ) amounts
             WHERE m.id = amounts.move_id
            """,
            signs=signs,
            types=tuple(CREDIT_MOVE_SIGNS),
        )
