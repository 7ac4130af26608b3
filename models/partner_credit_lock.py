# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PartnerCreditLock(models.Model):
    """One row per (company, commercial partner) that the credit check rewrites, so that
    two transactions checking the same partner cannot both commit (see
    ``res.partner._lock_credit``). Also remembers whether the usage warning was sent,
    so that nothing is written on ``res_partner``."""

    _name = "partner.credit.lock"
    _description = "Partner Credit Check Lock"
    _log_access = False

    company_id = fields.Many2one(comodel_name="res.company", required=True, ondelete="cascade")
    partner_id = fields.Many2one(comodel_name="res.partner", required=True, ondelete="cascade")
    credit_warned = fields.Boolean(default=False)
    checked_at = fields.Datetime()

    _company_partner_uniq = models.Constraint(
        "UNIQUE(company_id, partner_id)",
        "There is one credit lock per company and partner.",
    )
