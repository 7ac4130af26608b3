# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

OFFICER = "partner_qualification_credit.group_officer"
APPROVER = "partner_qualification_credit.group_approver"
USER = "partner_qualification_credit.group_user"
CREDIT = "partner_qualification_credit.group_credit_manager"


class PartnerQualificationOverview(models.Model):
    """The app's landing page: one card per piece of work waiting for someone, with
    its count, shown to the groups that do that work; a click opens the filtered list.

    The cards are rows of a read-only SQL view (their codes and order); names, counts
    and targets come from ``_get_overview_cards``, so a new card is one entry there.
    Counts are ``search_count`` as the reader: record rules decide what each one sees.
    """

    _name = "partner.qualification.overview"
    _description = "Partner Qualification Overview"
    _auto = False
    _order = "sequence, id"

    code = fields.Char(readonly=True)
    sequence = fields.Integer(readonly=True)
    name = fields.Char(compute="_compute_card")
    description = fields.Char(compute="_compute_card")
    count = fields.Integer(compute="_compute_card")
    color = fields.Char(compute="_compute_card", help="Bootstrap colour of the count when non-zero.")
    is_visible = fields.Boolean(compute="_compute_card", search="_search_is_visible")

    # ------------------------------------------------------------
    # SQL VIEW
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        rows = [
            SQL("(%s, %s, %s)", index, code, index * 10)
            for index, code in enumerate(self._get_overview_card_codes(), start=1)
        ]
        return SQL("SELECT * FROM (VALUES %s) AS cards(id, code, sequence)", SQL(", ").join(rows))

    # ------------------------------------------------------------
    # COMPUTE / SEARCH
    # ------------------------------------------------------------

    @api.depends_context("uid", "company", "lang")
    def _compute_card(self):
        cards = self._get_overview_cards()
        for card in self:
            spec = cards.get(card.code)
            visible = bool(spec) and self._is_card_visible(spec)
            card.is_visible = visible
            card.name = spec["name"] if spec else card.code
            card.description = spec["description"] if spec else ""
            card.color = spec["color"] if spec else "secondary"
            card.count = self._count_card(spec) if visible else 0

    def _search_is_visible(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        cards = self._get_overview_cards()
        visible = [code for code, spec in cards.items() if self._is_card_visible(spec)]
        positive = (True in value) == (operator == "in")
        return Domain("code", "in" if positive else "not in", visible)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_card(self):
        """The card's list, filtered as its count."""
        self.ensure_one()
        spec = self._get_overview_cards().get(self.code)
        if not spec or not self._is_card_visible(spec):
            raise AccessError(self.env._("This card is not part of your work."))
        action = self.env["ir.actions.act_window"]._for_xml_id(spec["action"])
        action.update(
            name=spec["name"],
            domain=list(spec["domain"]),
            context={**spec.get("context", {})},
        )
        return action

    # ------------------------------------------------------------
    # BUSINESS: the cards
    # ------------------------------------------------------------

    @api.model
    def _get_overview_card_codes(self):
        """Every card the addon can show, in display order (fixed: it is the view)."""
        return (
            "admission_review",
            "admission_approve",
            "evaluation_mine",
            "evaluation_approve",
            "evaluation_overdue",
            "document_expiring",
            "document_expired",
            "credit_above_threshold",
            "credit_over_limit",
            "credit_release",
            "complaint_open",
        )

    @api.model
    def _get_overview_cards(self):
        """{code: {name, description, groups, model, domain, action, context, color}}
        for the cards available in this database (the rating cycle's cards appear with
        the models and fields they count)."""
        uid = self.env.uid
        today = fields.Date.context_today(self)
        cards = {
            "admission_review": {
                "name": self.env._("Applications to Review"),
                "description": self.env._("Submitted applications waiting for the office's review."),
                "groups": OFFICER,
                "model": "partner.admission.request",
                "domain": [("state", "=", "submitted"), ("applicant_id", "!=", uid)],
                "action": "partner_qualification_credit.partner_admission_request_action_to_review",
                "color": "info",
            },
            "admission_approve": {
                "name": self.env._("Applications to Approve"),
                "description": self.env._("Reviewed applications waiting for leadership's decision."),
                "groups": APPROVER,
                "model": "partner.admission.request",
                "domain": [("state", "=", "reviewed"), ("applicant_id", "!=", uid)],
                "action": "partner_qualification_credit.partner_admission_request_action_to_approve",
                "color": "info",
            },
            "evaluation_mine": {
                "name": self.env._("My Evaluations"),
                "description": self.env._("Ratings you have to fill in and submit."),
                "groups": USER,
                "model": "partner.evaluation",
                "domain": [("evaluator_id", "=", uid), ("state", "=", "draft")],
                "action": "partner_qualification_credit.partner_evaluation_action",
                "color": "info",
            },
            "evaluation_approve": {
                "name": self.env._("Evaluations to Approve"),
                "description": self.env._("Submitted ratings waiting for leadership's approval."),
                "groups": APPROVER,
                "model": "partner.evaluation",
                "domain": [("state", "=", "submitted")],
                "action": "partner_qualification_credit.partner_evaluation_action",
                "color": "info",
            },
            "document_expiring": {
                "name": self.env._("Documents Expiring"),
                "description": self.env._("Qualification documents about to expire: ask for the renewal."),
                "groups": USER,
                "model": "partner.qualification.document",
                "domain": [("state", "=", "expiring")],
                "action": "partner_qualification_credit.partner_qualification_document_action",
                "color": "warning",
            },
            "document_expired": {
                "name": self.env._("Documents Expired"),
                "description": self.env._("Expired qualification documents: orders may be blocked."),
                "groups": USER,
                "model": "partner.qualification.document",
                "domain": [("state", "=", "expired")],
                "action": "partner_qualification_credit.partner_qualification_document_action",
                "color": "danger",
            },
            "credit_above_threshold": {
                "name": self.env._("Partners Above the Usage Threshold"),
                "description": self.env._(
                    "Credit usage at or above the warning threshold: follow up on payments."
                ),
                "groups": f"{OFFICER},{CREDIT}",
                "model": "res.partner",
                "domain": [("credit_above_threshold", "=", True), ("credit_over_limit", "=", False)],
                "action": "partner_qualification_credit.res_partner_action_credit_exposure",
                "color": "warning",
            },
            "credit_over_limit": {
                "name": self.env._("Partners Over the Limit"),
                "description": self.env._("Exposure above the credit limit: new business is blocked."),
                "groups": f"{OFFICER},{CREDIT}",
                "model": "res.partner",
                "domain": [("credit_over_limit", "=", True)],
                "action": "partner_qualification_credit.res_partner_action_credit_exposure",
                "color": "danger",
            },
            "credit_release": {
                "name": self.env._("Documents Awaiting Release"),
                "description": self.env._(
                    "Orders, invoices and payments refused by credit control whose release is requested."
                ),
                "groups": CREDIT,
                "model": "partner.credit.release.queue",
                "domain": [],
                "action": "partner_qualification_credit.partner_credit_release_queue_action",
                "color": "danger",
            },
        }
        for card in cards.values():
            # The exposure list keeps its own domain: the card's filter is added to it.
            if card["model"] == "res.partner":
                card["domain"] = [
                    ("admission_state", "=", "approved"),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                    *card["domain"],
                ]
        if "next_evaluation_due" in self.env["res.partner"]._fields:
            cards["evaluation_overdue"] = {
                "name": self.env._("Ratings Overdue"),
                "description": self.env._("Admitted partners whose periodic rating is past due."),
                "groups": OFFICER,
                "model": "res.partner",
                "domain": [("admission_state", "=", "approved"), ("next_evaluation_due", "<", today)],
                "action": "partner_qualification_credit.res_partner_action_register",
                "color": "warning",
            }
        if "partner.complaint" in self.env:
            complaint_action = self.env.ref("partner_qualification_credit.partner_complaint_action", False)
            if complaint_action:
                cards["complaint_open"] = {
                    "name": self.env._("Complaints Open"),
                    "description": self.env._(
                        "Complaints and disputes still being investigated or resolved."
                    ),
                    "groups": USER,
                    "model": "partner.complaint",
                    "domain": [("state", "in", ("new", "investigating"))],
                    "action": "partner_qualification_credit.partner_complaint_action",
                    "color": "warning",
                }
        return cards

    @api.model
    def _is_card_visible(self, spec):
        return self.env.user.has_groups(spec["groups"]) and self.env[spec["model"]].has_access("read")

    @api.model
    def _count_card(self, spec):
        return self.env[spec["model"]].search_count(spec["domain"])
