# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    partner_admission_required = fields.Boolean(
        string="Require Admission Before Transactions",
        default=True,
        help="Sale and purchase orders can only be confirmed for partners whose "
        "admission was approved for this company.",
    )
    partner_block_invalid_documents = fields.Boolean(
        string="Block on Invalid Documents",
        default=True,
        help="Orders are refused while a mandatory qualification document of the "
        "partner is missing or expired.",
    )
    partner_default_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Default Grade for New Partners",
        default=lambda self: self.env.ref("partner_qualification_credit.grade_c", raise_if_not_found=False),
        help="Grade given to a partner when its admission is approved.",
    )
    partner_credit_limit_required = fields.Boolean(
        string="Every Partner Needs a Credit Limit",
        default=True,
        help="On: a credit limit of 0 means no credit at all. Off: 0 means unlimited.",
    )

    # ------------------------------------------------------------
    # Admission workflow
    # ------------------------------------------------------------

    partner_admission_reviewer_can_approve = fields.Boolean(
        string="Reviewer May Approve",
        help="Small companies: the approver who reviewed an admission request may also "
        "approve it. Off: review and approval need two different people.",
    )
    partner_admission_identity_review = fields.Boolean(
        string="Re-review on Identity Change",
        default=True,
        help="Changing the name, tax ID, company registry or a licence number of an "
        "admitted partner sends it back to review with a new admission request.",
    )
