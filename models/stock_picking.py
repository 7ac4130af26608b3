# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .const import RECEIPT_QUALITY_RESULTS


class StockPicking(models.Model):
    """The quality result of each incoming delivery, the evidence behind the supplier's
    acceptance rate."""

    _inherit = "stock.picking"

    quality_result = fields.Selection(
        selection=RECEIPT_QUALITY_RESULTS,
        tracking=True,
        copy=False,
        help="Result of the incoming inspection, set by the receiving user.",
    )
    quality_note = fields.Text(copy=False)
    quality_user_id = fields.Many2one(
        comodel_name="res.users", string="Inspected By", readonly=True, copy=False
    )
    quality_date = fields.Datetime(string="Inspected On", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            # Who inspected and when are stamped, never taken from the client.
            if not self.env.su:
                vals.pop("quality_user_id", None)
                vals.pop("quality_date", None)
            if vals.get("quality_result"):
                vals.setdefault("quality_user_id", self.env.uid)
                vals.setdefault("quality_date", now)
        pickings = super().create(vals_list)
        pickings.filtered("quality_result")._check_quality_result()
        return pickings

    def write(self, vals):
        if not self.env.su:
            vals = {k: v for k, v in vals.items() if k not in ("quality_user_id", "quality_date")}
        if "quality_result" in vals:
            vals = dict(vals, quality_user_id=self.env.uid, quality_date=fields.Datetime.now())
        res = super().write(vals)
        if vals.get("quality_result"):
            self._check_quality_result()
        return res

    def _check_quality_result(self):
        for picking in self:
            if picking.picking_type_code != "incoming":
                raise UserError(
                    self.env._(
                        "%(picking)s is not a receipt: only incoming deliveries get a quality result.",
                        picking=picking.display_name,
                    )
                )
