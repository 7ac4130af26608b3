# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import split_every

from .const import MASS_CREATE_CHUNK

APPROVER = "partner_qualification_credit.group_approver"
APPROVAL_ACTIVITY = "partner_qualification_credit.mail_activity_type_evaluation_approve"


class PartnerEvaluation(models.Model):
    """Work lands with the next person: submitted evaluations give the approvers a to-do
    (one per campaign, or per ad-hoc evaluation), closed once decided; the approver sees
    when the new limit is below what the partner has tied up today."""

    _inherit = "partner.evaluation"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    current_exposure = fields.Monetary(
        string="Tied Up Today",
        compute="_compute_current_exposure",
        currency_field="currency_id",
        help="The partner's exposure now, as the credit gate measures it.",
    )
    limit_below_exposure = fields.Boolean(compute="_compute_current_exposure")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id", "proposed_credit_limit", "state")
    def _compute_current_exposure(self):
        self.current_exposure = 0.0
        self.limit_below_exposure = False
        pending = self.filtered(lambda e: e.state == "submitted" and e.partner_id)
        for company, evaluations in pending.grouped("company_id").items():
            partners = evaluations.partner_id.commercial_partner_id.sudo().with_company(company)
            exposures = partners._get_credit_exposure_by_partner()
            for evaluation in evaluations:
                exposure = exposures[evaluation.partner_id.commercial_partner_id.id]["exposure"]
                evaluation.current_exposure = exposure
                evaluation.limit_below_exposure = (
                    company.currency_id.compare_amounts(evaluation.proposed_credit_limit, exposure) < 0
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        res = super().action_submit()
        self._schedule_approval_activities()
        return res

    def action_approve(self):
        res = super().action_approve()
        self._close_approval_activities()
        return res

    def action_reject(self):
        res = super().action_reject()
        self._close_approval_activities()
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_approvers(self, company):
        return (
            self.env.ref(APPROVER)
            .sudo()
            .all_user_ids.filtered(
                lambda u: u.active and not u.share and not u._is_superuser() and company in u.company_ids
            )
        )

    def _schedule_approval_activities(self):
        """A to-do for every approver: one per campaign that has evaluations waiting
        (approved all together), one per ad-hoc evaluation (not for its own authors).
        Created in one batch, none twice."""
        if not self:
            return
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        campaigns = self.campaign_id
        existing = {
            (activity.res_model, activity.res_id, activity.user_id.id)
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("activity_type_id", "=", activity_type.id),
                    "|",
                    "&",
                    ("res_model", "=", campaigns._name),
                    ("res_id", "in", campaigns.ids),
                    "&",
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                ]
            )
        }
        today = fields.Date.context_today(self)
        approvers = {company: self._get_approvers(company) for company in self.company_id}
        vals_list = []

        def add(record, users, summary):
            model_id = self.env["ir.model"]._get_id(record._name)
            for user in users:
                if (record._name, record.id, user.id) in existing:
                    continue
                existing.add((record._name, record.id, user.id))
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "activity_type_id": activity_type.id,
                        "automated": True,
                        "user_id": user.id,
                        "date_deadline": today,
                        "summary": summary,
                    }
                )

        for campaign in campaigns:
            add(campaign, approvers[campaign.company_id], activity_type.summary)
        for evaluation in self.filtered(lambda e: not e.campaign_id):
            add(
                evaluation,
                approvers[evaluation.company_id] - evaluation._get_authors(),
                activity_type.summary,
            )
        Activity = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        for chunk in split_every(MASS_CREATE_CHUNK, vals_list, list):
            Activity.create(chunk)

    def _close_approval_activities(self):
        """Decided: the approvers' to-dos of these evaluations go, and those of their
        campaigns once nothing waits there any more."""
        self.sudo().activity_unlink([APPROVAL_ACTIVITY])
        campaigns = self.campaign_id
        if not campaigns:
            return
        # One grouped look-up, not the campaigns' thousands of evaluations read.
        waiting = {
            campaign
            for [campaign] in self.env["partner.evaluation"]._read_group(
                [("campaign_id", "in", campaigns.ids), ("state", "=", "submitted")], ["campaign_id"]
            )
        }
        done = campaigns.filtered(lambda c: c not in waiting)
        done.sudo().activity_unlink([APPROVAL_ACTIVITY])
