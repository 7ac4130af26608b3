# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class PartnerSupplierKpi(models.Model):
    """One row per done receipt from a supplier: the weekly on-time and acceptance
    rates are the averages of its 0/100 columns, grouped by supplier and week."""

    _name = "partner.supplier.kpi"
    _description = "Supplier Delivery KPI"
    _auto = False
    _order = "date_done desc"
    # Flushed before the view is read.
    _depends = {
        "stock.picking": [
            "state",
            "partner_id",
            "company_id",
            "date_done",
            "scheduled_date",
            "date_deadline",
            "quality_result",
            "picking_type_id",
        ],
        "res.partner": ["commercial_partner_id", "target_on_time_rate", "target_acceptance_rate"],
        "res.company": ["evaluation_on_time_target", "evaluation_acceptance_target"],
    }

    picking_id = fields.Many2one(comodel_name="stock.picking", string="Receipt", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Supplier", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    date_done = fields.Datetime(string="Received On", readonly=True)
    scheduled_date = fields.Datetime(readonly=True)
    quality_result = fields.Selection(related="picking_id.quality_result", readonly=True)
    receipt_count = fields.Integer(string="Receipts", readonly=True)
    on_time_rate = fields.Float(
        string="On Time (%)",
        readonly=True,
        aggregator="avg",
        help="Received by the scheduled date of the receipt.",
    )
    acceptance_rate = fields.Float(
        string="Accepted (%)",
        readonly=True,
        aggregator="avg",
        help="Accepted, with or without concession, over the inspected receipts.",
    )
    target_on_time_rate = fields.Float(string="On-Time Target (%)", readonly=True, aggregator="avg")
    target_acceptance_rate = fields.Float(string="Acceptance Target (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT sp.id, sp.id AS picking_id, p.commercial_partner_id AS partner_id,
                   sp.company_id, sp.date_done, sp.scheduled_date, 1 AS receipt_count,
                   CASE WHEN sp.date_done <= GREATEST(sp.scheduled_date, sp.date_deadline)
                        THEN 100.0 ELSE 0.0 END AS on_time_rate,
                   CASE WHEN sp.quality_result IN ('accepted', 'accepted_concession') THEN 100.0
                        WHEN sp.quality_result = 'rejected' THEN 0.0 END AS acceptance_rate,
                   COALESCE(NULLIF((cp.target_on_time_rate->>sp.company_id::text)::float, 0),
                            c.evaluation_on_time_target) AS target_on_time_rate,
                   COALESCE(NULLIF((cp.target_acceptance_rate->>sp.company_id::text)::float, 0),
                            c.evaluation_acceptance_target) AS target_acceptance_rate
              FROM stock_picking sp
              JOIN stock_picking_type t ON t.id = sp.picking_type_id AND t.code = 'incoming'
              JOIN res_partner p ON p.id = sp.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN res_company c ON c.id = sp.company_id
             WHERE sp.state = 'done'
            """
        )

    @api.model
    def _get_weekly_rates(self, domain):
        """{(supplier, week start): (on-time %, acceptance %)} of the receipts of ``domain``."""
        return {
            (partner, week): (on_time, accepted)
            for partner, week, on_time, accepted in self._read_group(
                domain,
                groupby=["partner_id", "date_done:week"],
                aggregates=["on_time_rate:avg", "acceptance_rate:avg"],
            )
        }
