# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import escape

from odoo import api, fields, models
from odoo.tools import SQL, float_compare

from .const import FACT_FIELDS

# Hard caps on the suggested grade: a fact beyond the threshold caps the best grade.
OVERDUE_CAP_D_DAYS = 90
OVERDUE_CAP_C_DAYS = 30
ON_TIME_CAP_C_RATE = 70.0
RETURNED_CAP_C_SHARE = 10.0
USAGE_CAP_C_PERCENT = 100.0
# What approving writes on an evaluation.
APPROVAL_FIELDS = ["state", "approver_id", "approval_date", "previous_grade_id", "previous_credit_limit"]


class PartnerEvaluation(models.Model):
    """From the score and facts to the partner's grade: the suggested grade (score band,
    capped by hard facts) and, once approved, the grade and limit written on the partner."""

    _inherit = "partner.evaluation"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    suggested_grade_id = fields.Many2one(
        comodel_name="partner.qualification.grade",
        string="Suggested Grade",
        compute="_compute_suggested_grade_id",
        store=True,
        precompute=True,
    )
    suggestion_note = fields.Char(
        string="Why",
        compute="_compute_suggested_grade_id",
        store=True,
        precompute=True,
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("score", "is_scored", *FACT_FIELDS)
    def _compute_suggested_grade_id(self):
        for evaluation, (grade, note) in self._get_suggestions().items():
            evaluation.suggested_grade_id = grade
            evaluation.suggestion_note = note

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _apply_to_partners(self):
        """Write the approved grade and limit on the partners for the evaluation's
        company, with the old -> new values in the partner's chatter. In batch: one
        write per new (grade, limit), only of the partners it changes, and one batch of
        notes per company.

        :return: {evaluation id: (grade id, credit limit)} of its partner before, the
            history the approval records on the evaluation (see ``_write_approval``)
        """
        author_id = self.env.user.partner_id.id
        previous = {}
        for company, evaluations in self.grouped("company_id").items():
            # Only the columns read here: the partner table is wide, its prefetch is not.
            evaluations.fetch(["partner_id", "proposed_grade_id", "proposed_credit_limit", "score"])
            evaluations.partner_id.fetch(["commercial_partner_id"])
            partners = evaluations.partner_id.commercial_partner_id.sudo().with_company(company)
            partners.fetch(["qualification_grade_id", "credit_limit"])
            old_values = {
                partner.id: (partner.qualification_grade_id, partner.credit_limit) for partner in partners
            }
            bodies = {}
            to_write = defaultdict(list)  # (grade, limit) -> partner ids
            # The same few limits over and over: each formatted once.
            amounts = {
                value: company.currency_id.format(value)
                for value in {limit for _grade, limit in old_values.values()}
                | set(evaluations.mapped("proposed_credit_limit"))
            }
            # A campaign repeats the same few notes: each distinct one is written once.
            notes = {}
            for evaluation in evaluations:
                partner_id = evaluation.partner_id.commercial_partner_id.id
                old_grade, old_limit = old_values[partner_id]
                new_grade, new_limit = evaluation.proposed_grade_id, evaluation.proposed_credit_limit
                previous[evaluation.id] = (old_grade.id, old_limit)
                # Most partners of a campaign keep their grade and limit: nothing to write
                # (the note still records the approval).
                if new_grade != old_grade or new_limit != old_limit:
                    to_write[new_grade.id, new_limit].append(partner_id)
                key = (old_grade, old_limit, new_grade, new_limit, evaluation.score, evaluation.evaluator_id)
                if key not in notes:
                    notes[key] = escape(
                        self.env._(
                            "Evaluation approved by %(approver)s for %(company)s: grade %(old_grade)s → "
                            "%(new_grade)s, credit limit %(old_limit)s → %(new_limit)s (score %(score)s, "
                            "evaluator %(evaluator)s).",
                            approver=self.env.user.name,
                            company=company.name,
                            old_grade=old_grade.display_name or "-",
                            new_grade=new_grade.display_name,
                            old_limit=amounts[old_limit],
                            new_limit=amounts[new_limit],
                            score=round(evaluation.score, 1),
                            evaluator=evaluation.evaluator_id.name,
                        )
                    )
                bodies[partner_id] = notes[key]
            # Our own note replaces the field tracking (same information, plus who and why).
            for (grade_id, limit), partner_ids in to_write.items():
                partners.browse(partner_ids).with_context(tracking_disable=True).write(
                    {"qualification_grade_id": grade_id, "credit_limit": limit}
                )
            self._log_notes_batch(
                "res.partner",
                [
                    {"res_id": partner_id, "body": body, "author_id": author_id}
                    for partner_id, body in bodies.items()
                ],
            )
        blocked = self.filtered(lambda e: e.proposed_grade_id.policy == "block")
        if blocked:
            blocked._notify_open_orders()
        return previous

    def _write_approval(self, previous):
        """Record the approval of ``self``: state, approver, date and the partners'
        ``previous`` grade and limit ({evaluation id: (grade id, credit limit)}), in one
        UPDATE. Through the ORM the rows go out a hundred per statement, and each
        statement looks the table up again: most of the time of approving a campaign.
        What the ORM's write adds is kept: core's tracking of the state (the same note
        in the chatter), the cache and whatever depends on these fields. The caller
        checked the transition; no write override of the evaluation runs."""
        evaluations = self.sudo()
        limit_field = self._fields["previous_credit_limit"]
        ids = evaluations.ids
        grades = [previous[evaluation_id][0] or None for evaluation_id in ids]
        limits = [limit_field.convert_to_column(previous[evaluation_id][1], self) for evaluation_id in ids]
        evaluations._execute_workflow_update(
            APPROVAL_FIELDS,
            SQL(
                """
                UPDATE %(table)s AS evaluation
                   SET state = 'approved', approver_id = %(uid)s, approval_date = %(now)s,
                       previous_grade_id = history.grade_id,
                       previous_credit_limit = history.credit_limit,
                       write_uid = %(uid)s, write_date = %(write_date)s
                  FROM unnest(%(ids)s::int4[], %(grades)s::int4[], %(limits)s::%(limit_type)s[])
                       AS history(id, grade_id, credit_limit)
                 WHERE evaluation.id = history.id
                """,
                table=SQL.identifier(self._table),
                uid=self.env.uid,
                now=fields.Datetime.now(),
                write_date=self.env.cr.now(),
                ids=ids,
                grades=grades,
                limits=limits,
                limit_type=SQL(limit_field.column_type[1]),
            ),
        )

    def _notify_open_orders(self):
        """Grade E: owners of the partner's open quotations and RFQs must act on them."""
        activity_vals = []
        type_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        today = fields.Date.context_today(self)
        for company, evaluations in self.grouped("company_id").items():
            partners = evaluations.partner_id.commercial_partner_id
            for model, states in (("sale.order", ("draft", "sent")), ("purchase.order", ("draft", "sent"))):
                orders = (
                    self.env[model]
                    .sudo()
                    .search(
                        [
                            ("partner_id.commercial_partner_id", "in", partners.ids),
                            ("company_id", "=", company.id),
                            ("state", "in", states),
                        ]
                    )
                )
                res_model_id = self.env["ir.model"]._get_id(model)
                for order in orders.filtered("user_id"):
                    activity_vals.append(
                        {
                            "res_model_id": res_model_id,
                            "res_id": order.id,
                            "activity_type_id": type_id,
                            "user_id": order.user_id.id,
                            "date_deadline": today,
                            "summary": self.env._("Partner graded E: cancel this order"),
                            "note": self.env._(
                                "%(partner)s was graded %(grade)s: cooperation has ended, this "
                                "order can no longer be confirmed.",
                                partner=order.partner_id.commercial_partner_id.display_name,
                                grade=evaluations[:1].proposed_grade_id.display_name,
                            ),
                        }
                    )
        if activity_vals:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activity_vals
            )

    def _get_suggestions(self):
        """{evaluation: (grade, one-line explanation)} with the bands and caps in force now."""
        grades = self.env["partner.qualification.grade"].search(
            [("active", "=", True)], order="min_score desc, sequence"
        )
        cap_grades = self._get_cap_grades()
        # The same few scores over and over (a campaign): each placed in its band once.
        bands = {}
        suggestions = {}
        for evaluation in self:
            if not evaluation.is_scored:
                # A score of 0 is the E band: an unscored draft would suggest ending the
                # cooperation.
                suggestions[evaluation] = (
                    grades.browse(),
                    self.env._("Not scored yet: score every criterion."),
                )
                continue
            suggestions[evaluation] = evaluation._get_suggestion(grades, cap_grades, bands)
        return suggestions

    def _get_suggestion(self, grades, cap_grades, bands=None):
        """(grade, one-line explanation) from the score bands and the hard caps.

        :param bands: optional {score: (band, explanation)} shared by the calls of one batch
        """
        self.ensure_one()
        bands = {} if bands is None else bands
        if self.score not in bands:
            band = next((g for g in grades if float_compare(self.score, g.min_score, 2) >= 0), grades[-1:])
            bands[self.score] = (
                band,
                self.env._(
                    "Score %(score)s: band %(grade)s (from %(min)s)",
                    score=round(self.score, 1),
                    grade=band.code or "-",
                    min=band.min_score,
                ),
            )
        band, note = bands[self.score]
        suggestion = band
        for cap, why in self._get_grade_caps(cap_grades):
            if cap and suggestion and cap.min_score < suggestion.min_score:
                suggestion = cap
                note = self.env._(
                    "%(note)s; capped at %(grade)s: %(why)s", note=note, grade=cap.code, why=why
                )
        return suggestion, note

    @api.model
    def _get_cap_grades(self):
        ref = self.env.ref
        return {
            "C": ref("partner_qualification_credit.grade_c", raise_if_not_found=False),
            "D": ref("partner_qualification_credit.grade_d", raise_if_not_found=False),
        }

    def _get_grade_caps(self, cap_grades):
        """Hard facts that limit the suggestion whatever the score: list of
        (best grade allowed, reason). Extend to add company rules."""
        grade_c, grade_d = cap_grades["C"], cap_grades["D"]
        caps = []
        if self.fact_overdue_days > OVERDUE_CAP_D_DAYS:
            caps.append((grade_d, self.env._("%(days)s days overdue", days=self.fact_overdue_days)))
        elif self.fact_overdue_days > OVERDUE_CAP_C_DAYS:
            caps.append((grade_c, self.env._("%(days)s days overdue", days=self.fact_overdue_days)))
        if self.fact_usage_peak > USAGE_CAP_C_PERCENT:
            caps.append(
                (
                    grade_c,
                    self.env._("credit limit exceeded (%(usage)s%%)", usage=round(self.fact_usage_peak)),
                )
            )
        if self.fact_receipt_count and self.fact_on_time_rate < ON_TIME_CAP_C_RATE:
            caps.append(
                (grade_c, self.env._("on-time delivery %(rate)s%%", rate=round(self.fact_on_time_rate)))
            )
        if self.fact_returned_share > RETURNED_CAP_C_SHARE:
            caps.append((grade_c, self.env._("%(share)s%% returned", share=round(self.fact_returned_share))))
        return caps
