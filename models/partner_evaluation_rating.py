# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare

from .const import COMPLAINT_SEVERE, EVALUATION_CRITERIA
from .mass_insert import PARTNER_NAME_FIELDS, insert_activities


class PartnerEvaluation(models.Model):
    """The rating cycle around an evaluation: complaints, receipt quality, the money
    tied up by the credit gate's definition and corrective actions as facts and caps;
    the period since the last rating; the reason rule; telling evaluator and applicant."""

    _inherit = "partner.evaluation"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    fact_complaint_count = fields.Integer(string="Complaints", readonly=True, copy=False)
    fact_complaint_severe_count = fields.Integer(
        string="Critical Complaints",
        readonly=True,
        copy=False,
        help="Critical complaints received in the period.",
    )
    fact_dispute_open_count = fields.Integer(
        string="Open Disputes",
        readonly=True,
        copy=False,
        help="Disputes received before the end of the period and not settled by then.",
    )
    fact_complaint_response_hours = fields.Float(
        string="Average Response (hours)", readonly=True, copy=False, digits=(16, 1)
    )
    fact_inspected_count = fields.Integer(
        string="Inspected Receipts",
        readonly=True,
        copy=False,
        help="Receipts of the period with a quality result.",
    )
    fact_acceptance_rate = fields.Float(
        string="Acceptance Rate (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Receipts accepted (with or without concession) over the receipts inspected in the period.",
    )
    fact_tied_up_end = fields.Float(
        string="Tied Up at Period End",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Exposure as the credit gate computes it (receivables, prepayments, orders not "
        "yet invoiced or billed, drafts, as enabled in the settings) at the end of the period.",
    )
    fact_tied_up_peak = fields.Float(
        string="Peak Tied Up",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Highest money tied up during the period.",
    )
    fact_corrective_open_count = fields.Integer(
        string="Open Corrective Actions",
        readonly=True,
        copy=False,
        help="Corrective actions of the partner not verified yet.",
    )
    target_acceptance_rate = fields.Float(
        string="Acceptance Target (%)", compute="_compute_targets", digits=(16, 1)
    )
    target_on_time_rate = fields.Float(
        string="On-Time Target (%)", compute="_compute_targets", digits=(16, 1)
    )
    corrective_action_ids = fields.One2many(
        comodel_name="partner.corrective.action",
        inverse_name="evaluation_id",
        string="Corrective Actions",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(
        "partner_id.commercial_partner_id.target_acceptance_rate",
        "partner_id.commercial_partner_id.target_on_time_rate",
        "company_id.evaluation_acceptance_target",
        "company_id.evaluation_on_time_target",
    )
    def _compute_targets(self):
        for evaluation in self:
            partner = evaluation.partner_id.commercial_partner_id.with_company(evaluation.company_id).sudo()
            company = evaluation.company_id
            evaluation.target_acceptance_rate = (
                partner.target_acceptance_rate or company.evaluation_acceptance_target
            )
            evaluation.target_on_time_rate = partner.target_on_time_rate or company.evaluation_on_time_target

    # ------------------------------------------------------------
    # ONCHANGE
    # ------------------------------------------------------------

    @api.onchange("partner_id", "company_id")
    def _onchange_partner_id_rating_period(self):
        """An ad-hoc rating covers the partner's behaviour since its last approved
        rating, up to today."""
        if self.campaign_id or not self.partner_id:
            return
        self.date_from, self.date_to = self._get_default_period(self.partner_id, self.company_id)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if res.get("partner_id") and not res.get("date_from"):
            partner = self.env["res.partner"].browse(res["partner_id"])
            company = self.env["res.company"].browse(res.get("company_id")) or self.env.company
            res["date_from"], res["date_to"] = self._get_default_period(partner, company)
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        self = self.with_prefetch()  # one fetch for the batch (see the base action_submit)
        self._check_scored()
        self._check_reason_for_low_scores()
        res = super().action_submit()
        # What the office consolidated has changed: it consolidates again.
        self.campaign_id.filtered("consolidated_date").sudo().write(
            {"consolidated_date": False, "consolidated_by_id": False}
        )
        return res

    def action_approve(self):
        self = self.with_prefetch()  # see action_submit
        res = super().action_approve()
        self._notify_approval()
        return res

    def action_open_corrective_action(self):
        self.ensure_one()
        return self.env["partner.corrective.action"]._get_open_form_action(
            partner=self.partner_id.commercial_partner_id, company=self.company_id, evaluation=self
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_default_period(self, partner, company):
        today = fields.Date.context_today(self)
        last = partner.with_company(company).commercial_partner_id.sudo()._get_last_evaluation_date(company)
        date_from = last + timedelta(days=1) if last and last < today else today.replace(month=1, day=1)
        return date_from, today

    def _check_reason_for_low_scores(self):
        grade_c = self._get_cap_grades()["C"]
        if not grade_c:
            return
        # The same few scores over and over: each compared once.
        below = {}
        for evaluation in self:
            low = []
            for criterion in EVALUATION_CRITERIA:
                score = evaluation[f"score_{criterion}"]
                if score not in below:
                    below[score] = float_compare(score, grade_c.min_score, 2) < 0
                if below[score]:
                    low.append(evaluation._get_field_label(f"score_{criterion}"))
            if low and not (evaluation.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(criteria)s of %(evaluation)s scored below the C band (%(min)s): give the "
                        "reason before submitting.",
                        criteria=", ".join(low),
                        evaluation=evaluation.display_name,
                        min=grade_c.min_score,
                    )
                )

    def _notify_approval(self):
        """Tell the evaluator and the partner's applicant the decision: one to-do each,
        written in their own language, inserted in one batch (no e-mail per record)."""
        activity_type = self.env.ref("partner_qualification_credit.mail_activity_type_rating_approved")
        today = fields.Date.context_today(self)
        evaluations = self.sudo()
        # Only the columns read here: the partner table is wide, its prefetch is not.
        evaluations.fetch(
            ["partner_id", "company_id", "evaluator_id", "proposed_grade_id", "proposed_credit_limit"]
        )
        evaluations.partner_id.fetch(["commercial_partner_id", *PARTNER_NAME_FIELDS])
        # The same few languages, grades and limits over and over: each rendered once.
        envs, grade_names, amounts = {}, {}, {}
        vals_list = []
        for company, company_evaluations in evaluations.grouped("company_id").items():
            partners = company_evaluations.partner_id.commercial_partner_id.with_company(company)
            partners.fetch([*PARTNER_NAME_FIELDS, "qualification_applicant_id"])
            users = company_evaluations.evaluator_id | partners.qualification_applicant_id
            users.fetch(["active", "share", "partner_id"])
            users.partner_id.fetch(["lang"])
            # Each user and partner looked at once, not once per evaluation.
            langs = {user.id: user.lang or "en_US" for user in users if user.active and not user.share}
            partner_info = {
                partner.id: (partner.display_name, partner.qualification_applicant_id.id)
                for partner in partners
            }
            for evaluation in company_evaluations:
                partner_name, applicant_id = partner_info[evaluation.partner_id.commercial_partner_id.id]
                grade, limit = evaluation.proposed_grade_id, evaluation.proposed_credit_limit
                if (company, limit) not in amounts:
                    amounts[company, limit] = company.currency_id.format(limit)
                for user_id in dict.fromkeys((evaluation.evaluator_id.id, applicant_id)):
                    lang = langs.get(user_id)
                    if not lang:
                        continue
                    if lang not in envs:
                        envs[lang] = self.with_context(lang=lang).env
                    env = envs[lang]
                    if (grade, lang) not in grade_names:
                        grade_names[grade, lang] = grade.with_env(env).display_name
                    vals_list.append(
                        {
                            "res_id": evaluation.id,
                            "activity_type_id": activity_type.id,
                            "automated": True,
                            "user_id": user_id,
                            "date_deadline": today,
                            "summary": env._("Rating approved: %(partner)s", partner=partner_name),
                            # Inserted as it is (no sanitizer pass): the names are escaped here.
                            "note": Markup("<p>%s</p>")
                            % env._(
                                "The rating of %(partner)s was approved by %(approver)s: grade "
                                "%(grade)s, credit limit %(limit)s.",
                                partner=partner_name,
                                approver=self.env.user.name,
                                grade=grade_names[grade, lang],
                                limit=amounts[company, limit],
                            ),
                        }
                    )
        insert_activities(evaluations, vals_list)

    def _get_grade_caps(self, cap_grades):
        caps = super()._get_grade_caps(cap_grades)
        grade_c = cap_grades["C"]
        company = self.company_id
        if company.evaluation_dispute_cap and self.fact_dispute_open_count:
            caps.append(
                (grade_c, self.env._("%(count)s open dispute(s)", count=self.fact_dispute_open_count))
            )
        threshold = company.evaluation_severe_complaint_cap
        if threshold and self.fact_complaint_severe_count >= threshold:
            caps.append(
                (
                    grade_c,
                    self.env._("%(count)s critical complaint(s)", count=self.fact_complaint_severe_count),
                )
            )
        if (
            self.fact_inspected_count
            and float_compare(self.fact_acceptance_rate, self.target_acceptance_rate, 1) < 0
        ):
            caps.append(
                (
                    grade_c,
                    self.env._(
                        "acceptance %(rate)s%% below the target %(target)s%%",
                        rate=round(self.fact_acceptance_rate, 1),
                        target=round(self.target_acceptance_rate, 1),
                    ),
                )
            )
        if self.fact_corrective_open_count:
            caps.append(
                (
                    grade_c,
                    self.env._("%(count)s corrective action(s) open", count=self.fact_corrective_open_count),
                )
            )
        return caps

    # ------------------------------------------------------------
    # TOOLING: facts
    # ------------------------------------------------------------

    @api.model
    def _get_period_bounds(self, company, date_from, date_to):
        """The period as UTC datetimes [start, end): midnights in the company's time zone."""
        tz = pytz.timezone(company._get_tz())

        def to_utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)

        return to_utc(date_from), to_utc(date_to + timedelta(days=1))

    @api.model
    def _get_period_facts(self, partners, company, date_from, date_to):
        facts = super()._get_period_facts(partners, company, date_from, date_to)
        partners = partners.commercial_partner_id
        start, end = self._get_period_bounds(company, date_from, date_to)
        self.env["partner.complaint"].flush_model()
        self.env["stock.picking"].flush_model()
        self.env["partner.corrective.action"].flush_model()
        params = {
            "company": company.id,
            "partners": tuple(partners.ids),
            "start": start,
            "end": end,
            "severe": COMPLAINT_SEVERE,
        }
        for pid, count, severe, disputes, hours in self.env.execute_query(self._complaints_sql(params)):
            facts[pid].update(
                fact_complaint_count=count or 0,
                fact_complaint_severe_count=severe or 0,
                fact_dispute_open_count=disputes or 0,
                fact_complaint_response_hours=hours or 0.0,
            )
        for pid, inspected, accepted in self.env.execute_query(self._acceptance_sql(params)):
            facts[pid].update(
                fact_inspected_count=inspected or 0,
                fact_acceptance_rate=100.0 * (accepted or 0) / inspected if inspected else 0.0,
            )
        for pid, count in self.env.execute_query(self._corrective_open_sql(params)):
            facts[pid]["fact_corrective_open_count"] = count or 0
        ledger = {
            pid: (max(rec_end or 0.0, 0.0) + max(pre_end or 0.0, 0.0), tied_peak or 0.0)
            for pid, rec_end, _rp, pre_end, _pp, tied_peak in self.env.execute_query(
                self._exposure_sql(dict(params, date_from=date_from, date_to=date_to))
            )
        }
        tied_up = self._get_tied_up_end(
            partners, company, date_to, {pid: end for pid, (end, _peak) in ledger.items()}
        )
        limits = self._get_credit_limit_at(partners, company, end)
        days_over = self._get_days_over_limit(partners, company, date_from, date_to, limits)
        for partner in partners:
            ledger_end, ledger_peak = ledger.get(partner.id, (0.0, 0.0))
            tied_end = tied_up.get(partner.id, ledger_end)
            tied_peak = max(ledger_peak, tied_end)
            limit = limits.get(partner.id, 0.0)
            facts[partner.id].update(
                fact_tied_up_end=tied_end,
                fact_tied_up_peak=tied_peak,
                fact_credit_limit=limit,
                fact_usage_end=100.0 * tied_end / limit if limit else 0.0,
                fact_usage_peak=100.0 * tied_peak / limit if limit else 0.0,
                fact_days_over_limit=days_over.get(partner.id, 0),
            )
        return facts

    @api.model
    def _get_credit_limit_at(self, partners, company, moment):
        """{partner id: credit limit in force at ``moment``} in ``company``: the old value
        of the first change after ``moment`` (a tracked change of the limit, an approved
        evaluation or an approved grade/limit change), else the current limit."""
        result = {p.id: p.credit_limit for p in partners.sudo().with_company(company)}
        if not partners:
            return result
        self.env["mail.message"].flush_model()
        self.env["mail.tracking.value"].flush_model()
        self.flush_model(["approval_date", "previous_credit_limit", "state", "partner_id", "company_id"])
        self.env["partner.qualification.change"].flush_model(
            ["applied_date", "old_credit_limit", "change_limit", "state", "partner_id", "company_id"]
        )
        field = self.env["ir.model.fields"]._get("res.partner", "credit_limit")
        query = SQL(
            """
            SELECT DISTINCT ON (partner_id) partner_id, old_limit
              FROM (
                SELECT m.res_id AS partner_id, m.date AS changed, v.old_value_float AS old_limit
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                 WHERE v.field_id = %(field)s AND m.model = 'res.partner'
                   AND m.res_id IN %(partners)s AND m.date >= %(moment)s
                 UNION ALL
                SELECT e.partner_id, e.approval_date, e.previous_credit_limit
                  FROM partner_evaluation e
                 WHERE e.state = 'approved' AND e.company_id = %(company)s
                   AND e.partner_id IN %(partners)s AND e.approval_date >= %(moment)s
                 UNION ALL
                SELECT c.partner_id, c.applied_date, c.old_credit_limit
                  FROM partner_qualification_change c
                 WHERE c.state = 'approved' AND c.change_limit AND c.company_id = %(company)s
                   AND c.partner_id IN %(partners)s AND c.applied_date >= %(moment)s
              ) changes
             ORDER BY partner_id, changed
            """,
            field=field.id,
            partners=tuple(partners.ids),
            moment=moment,
            company=company.id,
        )
        for pid, old_limit in self.env.execute_query(query):
            result[pid] = old_limit or 0.0
        return result

    @api.model
    def _complaints_sql(self, params):
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   COUNT(*) FILTER (WHERE c.date_received >= %(start)s),
                   COUNT(*) FILTER (WHERE c.date_received >= %(start)s AND c.severity IN %(severe)s),
                   COUNT(*) FILTER (
                       WHERE c.is_dispute AND (c.date_resolved IS NULL OR c.date_resolved >= %(end)s)),
                   AVG(c.response_hours) FILTER (
                       WHERE c.date_received >= %(start)s AND c.date_responded IS NOT NULL)
              FROM partner_complaint c
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.company_id = %(company)s
               AND p.commercial_partner_id IN %(partners)s
               AND c.date_received < %(end)s
             GROUP BY p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _acceptance_sql(self, params):
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   COUNT(*),
                   COUNT(*) FILTER (WHERE sp.quality_result IN ('accepted', 'accepted_concession'))
              FROM stock_picking sp
              JOIN stock_picking_type t ON t.id = sp.picking_type_id AND t.code = 'incoming'
              JOIN res_partner p ON p.id = sp.partner_id
             WHERE sp.state = 'done'
               AND sp.company_id = %(company)s
               AND sp.quality_result IS NOT NULL
               AND p.commercial_partner_id IN %(partners)s
               AND sp.date_done >= %(start)s AND sp.date_done < %(end)s
             GROUP BY p.commercial_partner_id
            """,
            **params,
        )

    @api.model
    def _corrective_open_sql(self, params):
        return SQL(
            """
            SELECT a.partner_id, COUNT(*)
              FROM partner_corrective_action a
             WHERE a.company_id = %(company)s
               AND a.partner_id IN %(partners)s
               AND a.state IN ('open', 'done')
             GROUP BY a.partner_id
            """,
            **params,
        )
