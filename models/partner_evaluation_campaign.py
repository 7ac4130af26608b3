# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .const import CAMPAIGN_SCOPES, CAMPAIGN_STATES, CAMPAIGN_TRANSITIONS
from .partner_evaluation import EVALUATION_ACTIVITY

OFFICER = "partner_qualification_credit.group_officer"
# What the office does by hand; the other moves follow the evaluations.
OFFICER_MOVES = {
    ("draft", "in_progress"),
    ("in_progress", "cancelled"),
    ("to_approve", "cancelled"),
    ("cancelled", "draft"),
}
# The period and scope a started campaign created its evaluations from.
SCOPE_FIELDS = frozenset(
    ["date_from", "date_to", "scope", "company_id", "grade_ids", "category_ids", "industry_ids"]
)


class PartnerEvaluationCampaign(models.Model):
    _name = "partner.evaluation.campaign"
    _description = "Partner Evaluation Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "partner.workflow.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True
    _workflow_fields = frozenset(["state"])
    _history_states = ("done",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(string="Period Start", required=True, tracking=True)
    date_to = fields.Date(string="Period End", required=True, tracking=True)
    deadline = fields.Date(tracking=True, help="Evaluators' activities are due on this date.")
    scope = fields.Selection(selection=CAMPAIGN_SCOPES, required=True, default="both")
    grade_ids = fields.Many2many(
        comodel_name="partner.qualification.grade",
        string="Grades",
        help="Only partners currently in these grades (all when empty).",
    )
    category_ids = fields.Many2many(
        comodel_name="res.partner.category",
        string="Tags",
        help="Only partners with one of these tags (all when empty).",
    )
    industry_ids = fields.Many2many(
        comodel_name="res.partner.industry",
        string="Industries",
        help="Only partners of these industries (all when empty).",
    )
    fallback_evaluator_id = fields.Many2one(
        comodel_name="res.users",
        string="Fallback Evaluator",
        required=True,
        default=lambda self: self.env.user,
        help="Evaluates the partners that have no applicant.",
    )
    state = fields.Selection(
        selection=CAMPAIGN_STATES,
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    evaluation_ids = fields.One2many(
        comodel_name="partner.evaluation",
        inverse_name="campaign_id",
        string="Evaluations",
    )
    evaluation_count = fields.Integer(compute="_compute_evaluation_stats")
    evaluation_submitted_count = fields.Integer(string="Submitted", compute="_compute_evaluation_stats")
    evaluation_approved_count = fields.Integer(string="Approved", compute="_compute_evaluation_stats")
    note = fields.Html()

    _period_order = models.Constraint(
        "CHECK(date_from <= date_to)",
        "The campaign period must start before it ends.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_from", "date_to", "deadline")
    def _check_dates_range(self):
        self._check_dates(["date_from", "date_to", "deadline"])

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_evaluation_stats(self):
        counts = {}
        for campaign, state, count in self.env["partner.evaluation"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id", "state"], ["__count"]
        ):
            counts.setdefault(campaign, {})[state] = count
        for campaign in self:
            by_state = counts.get(campaign, {})
            campaign.evaluation_count = sum(by_state.values())
            campaign.evaluation_submitted_count = by_state.get("submitted", 0)
            campaign.evaluation_approved_count = by_state.get("approved", 0)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise AccessError(self.env._("A campaign is created as a draft and moved on by its buttons."))
        return super(PartnerEvaluationCampaign, self._without_workflow_defaults()).create(vals_list)

    def write(self, vals):
        self._check_history_write(vals)
        if "state" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "The status of a campaign follows its buttons (Start, Cancel, Reset to Draft) "
                    "and its evaluations: it cannot be written directly."
                )
            )
        if SCOPE_FIELDS & vals.keys() and any(campaign.state != "draft" for campaign in self):
            raise UserError(
                self.env._(
                    "The period and scope of a started campaign are fixed: its evaluations were "
                    "created from them. Cancel it and start a new one instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(campaign.state not in ("draft", "cancelled") for campaign in self):
            raise UserError(
                self.env._("Only draft or cancelled campaigns can be deleted; cancel the campaign first.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_start(self):
        self._check_transition("in_progress")
        for campaign in self:
            partners = campaign._get_partners_in_scope()
            if not partners:
                raise UserError(
                    self.env._(
                        "No admitted partner of %(company)s matches the scope of %(name)s. "
                        "Widen the scope or filters.",
                        company=campaign.company_id.name,
                        name=campaign.name,
                    )
                )
            evaluators = campaign._get_valid_evaluators(partners.qualification_applicant_id)
            # The campaign link is a workflow field: only the start sets it.
            evaluations = (
                self.env["partner.evaluation"]
                .sudo()
                # New empty evaluations (thousands): no creation note, no follower, no
                # tracking of their computed proposal; the campaign logs the start once.
                .with_context(mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True)
                .create([campaign._prepare_evaluation_vals(partner, evaluators) for partner in partners])
                .with_env(self.env)
            )
            evaluations._schedule_evaluation_activities(
                summary=self.env._("Evaluate the partner (%(campaign)s)", campaign=campaign.name)
            )
            campaign.sudo().state = "in_progress"
            campaign.message_post(
                body=self.env._("Campaign started: %(count)s evaluations created.", count=len(evaluations))
            )
        return True

    def action_approve_all(self):
        for campaign in self:
            submitted = campaign.evaluation_ids.filtered(lambda e: e.state == "submitted")
            if not submitted:
                raise UserError(
                    self.env._(
                        "Campaign %(name)s has no submitted evaluation to approve.", name=campaign.name
                    )
                )
            submitted.action_approve()
        return True

    def action_cancel(self):
        self._check_transition("cancelled")
        if self.evaluation_ids.filtered(lambda e: e.state == "approved"):
            raise UserError(
                self.env._(
                    "Some evaluations of this campaign are already approved and applied; a campaign "
                    "with applied grades cannot be cancelled."
                )
            )
        # Nothing was decided yet: the evaluations go with the campaign.
        evaluations = self.evaluation_ids.sudo()
        evaluations.activity_unlink([EVALUATION_ACTIVITY])
        evaluations.filtered(lambda e: e.state == "submitted").write({"state": "draft"})
        evaluations.unlink()
        self.sudo().state = "cancelled"
        return True

    def action_draft(self):
        self._check_transition("draft")
        self.sudo().state = "draft"
        return True

    def action_view_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.partner_evaluation_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        # No default campaign: only the start links evaluations to a campaign.
        action["context"] = {"search_default_group_by_state": 1}
        return action

    def action_print_summary(self):
        return self.env.ref(
            "partner_qualification_credit.action_report_partner_evaluation_campaign"
        ).report_action(self)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_transition(self, state):
        """Refuse unless the current user may move every campaign of ``self`` to ``state``.
        The office starts, cancels and resets campaigns; in progress, to approve and done
        follow the evaluations (the workflow, as superuser, the only bypass); a done
        campaign is history."""
        if self.env.su:
            return
        if not self.env.user.has_group(OFFICER):
            raise UserError(
                self.env._(
                    "Only the partner-management office (officers) can start or cancel evaluation campaigns."
                )
            )
        for campaign in self:
            if (campaign.state, state) in OFFICER_MOVES:
                continue
            if state == "in_progress":
                message = self.env._("Campaign %(name)s has already been started.", name=campaign.name)
            elif state == "cancelled":
                message = self.env._(
                    "Campaign %(name)s is %(state)s: it cannot be cancelled (a finished campaign's "
                    "grades have been applied).",
                    name=campaign.name,
                    state=campaign._get_state_label(),
                )
            elif state == "draft":
                message = self.env._("Only cancelled campaigns can be reset to draft.")
            else:
                message = self.env._(
                    "The status of campaign %(name)s follows its evaluations.", name=campaign.name
                )
            raise UserError(message)

    def _get_partner_scope_domain(self):
        """Admitted commercial partners of the campaign's company in its scope."""
        self.ensure_one()
        domain = Domain(
            [
                "|",
                ("parent_id", "=", False),
                ("is_company", "=", True),
                ("company_id", "in", [False, self.company_id.id]),
                ("admission_state", "=", "approved"),
            ]
        )
        roles = ["customer", "supplier"] if self.scope == "both" else [self.scope]
        role_domains = [Domain("partner_role", "in", [*roles, "both"])]
        if "customer" in roles:
            role_domains.append(Domain("partner_role", "=", False) & Domain("customer_rank", ">", 0))
        if "supplier" in roles:
            role_domains.append(Domain("partner_role", "=", False) & Domain("supplier_rank", ">", 0))
        domain &= Domain.OR(role_domains)
        if self.grade_ids:
            domain &= Domain("qualification_grade_id", "in", self.grade_ids.ids)
        if self.category_ids:
            domain &= Domain("category_id", "in", self.category_ids.ids)
        if self.industry_ids:
            domain &= Domain("industry_id", "in", self.industry_ids.ids)
        return domain

    def _get_partners_in_scope(self):
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .with_company(self.company_id)
            .search(self._get_partner_scope_domain(), order="id")
        )

    def _get_valid_evaluators(self, users):
        """Applicants who can still evaluate for the campaign's company (active, in the
        qualification user group, allowed in the company); the others are replaced by
        the fallback evaluator. One check per distinct applicant."""
        self.ensure_one()
        return users.filtered(
            lambda user: user.active
            and self.company_id in user.company_ids
            and user.has_group("partner_qualification_credit.group_user")
        )

    def _prepare_evaluation_vals(self, partner, evaluators=None):
        self.ensure_one()
        applicant = partner.qualification_applicant_id
        if evaluators is not None and applicant not in evaluators:
            applicant = self.env["res.users"]
        return {
            "campaign_id": self.id,
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "evaluator_id": (applicant or self.fallback_evaluator_id).id,
            "role": self._get_evaluation_role(partner),
            "date_from": self.date_from,
            "date_to": self.date_to,
            "deadline": self.deadline,
        }

    def _get_evaluation_role(self, partner):
        if self.scope != "both":
            return self.scope
        role = partner.partner_role
        if not role:
            is_customer, is_supplier = partner.customer_rank > 0, partner.supplier_rank > 0
            role = "both" if is_customer and is_supplier else "supplier" if is_supplier else "customer"
        return role

    def _has_submitted_evaluations(self):
        """Whether an evaluation of the campaign waits for approval: one indexed look-up,
        not its thousands of evaluations read and filtered in Python."""
        self.ensure_one()
        return bool(
            self.env["partner.evaluation"].search_count(
                [("campaign_id", "=", self.id), ("state", "=", "submitted")], limit=1
            )
        )

    def _update_state_from_evaluations(self):
        """in_progress -> to_approve when every evaluation is submitted, -> done when
        every evaluation is approved (and back when one is rejected)."""
        campaigns = self.filtered(lambda c: c.state in ("in_progress", "to_approve", "done"))
        if not campaigns:
            return
        states = {}
        for campaign, state in (
            self.env["partner.evaluation"]
            .sudo()
            ._read_group([("campaign_id", "in", campaigns.ids)], ["campaign_id", "state"])
        ):
            states.setdefault(campaign, set()).add(state)
        for campaign in campaigns:
            found = states.get(campaign, set())
            if found and found == {"approved"}:
                new_state = "done"
            elif found and "draft" not in found:
                new_state = "to_approve"
            else:
                new_state = "in_progress"
            if new_state in CAMPAIGN_TRANSITIONS[campaign.state]:
                campaign.sudo().state = new_state
