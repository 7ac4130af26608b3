# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError

OFFICER = "partner_qualification_credit.group_officer"
CONSOLIDATION_FIELDS = frozenset(["consolidated_by_id", "consolidated_date"])


class PartnerEvaluationCampaign(models.Model):
    """The office consolidates a campaign's submitted evaluations before leadership
    approves them all: an evaluation submitted after the consolidation clears it."""

    _inherit = "partner.evaluation.campaign"
    _workflow_fields = frozenset(["state", *CONSOLIDATION_FIELDS])

    consolidated_by_id = fields.Many2one(
        comodel_name="res.users", string="Consolidated By", readonly=True, copy=False
    )
    consolidated_date = fields.Datetime(string="Consolidated On", readonly=True, copy=False)

    def write(self, vals):
        if CONSOLIDATION_FIELDS & vals.keys() and not self.env.su:
            raise AccessError(
                self.env._("The consolidation of a campaign is recorded by its Consolidate button only.")
            )
        return super().write(vals)

    def action_consolidate(self):
        if not self.env.su and not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only the partner-management office consolidates campaigns."))
        for campaign in self:
            if (
                campaign.state not in ("in_progress", "to_approve")
                or not campaign._has_submitted_evaluations()
            ):
                raise UserError(
                    self.env._(
                        "Campaign %(name)s has no submitted evaluation to consolidate.", name=campaign.name
                    )
                )
        self.check_access("write")
        self.sudo().write({"consolidated_by_id": self.env.uid, "consolidated_date": fields.Datetime.now()})
        self.message_post(body=self.env._("Submitted evaluations consolidated by the office."))
        return True

    def action_approve_all(self):
        for campaign in self:
            # A submission clears the consolidation (see the evaluation's action_submit).
            if not campaign.consolidated_date and campaign._has_submitted_evaluations():
                raise UserError(
                    self.env._(
                        "The office must consolidate campaign %(name)s (after its last submission) "
                        "before its evaluations are approved all together.",
                        name=campaign.name,
                    )
                )
        return super().action_approve_all()
