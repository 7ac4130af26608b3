# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .res_partner import REGISTER_GROUPS


class ResPartner(models.Model):
    """The rating cycle seen from the partner: its complaints, its quality targets, and
    when it was last rated and is due again (per company)."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_complaint_count = fields.Integer(string="Complaints", compute="_compute_partner_complaint_count")
    target_on_time_rate = fields.Float(
        groups=REGISTER_GROUPS,
        string="On-Time Target (%)",
        company_dependent=True,
        index=False,  # see res_partner.UNINDEXED_FIELDS
        digits=(16, 1),
        copy=False,
        help="On-time delivery rate this supplier must reach; empty: the company's default.",
    )
    target_acceptance_rate = fields.Float(
        groups=REGISTER_GROUPS,
        string="Acceptance Target (%)",
        company_dependent=True,
        index=False,  # see res_partner.UNINDEXED_FIELDS
        digits=(16, 1),
        copy=False,
        help="Share of receipts accepted this supplier must reach; empty: the company's default.",
    )
    # Read from the approved evaluations when asked, never written on the partner: a
    # nightly rewrite of every partner would lock the table and flood the chatter.
    last_evaluation_date = fields.Date(
        string="Last Rated",
        compute="_compute_evaluation_due",
        search="_search_last_evaluation_date",
        help="End of the period of the partner's last approved evaluation in this company.",
    )
    next_evaluation_due = fields.Date(
        string="Rating Due",
        compute="_compute_evaluation_due",
        search="_search_next_evaluation_due",
        help="Last rating (or admission) plus the rating interval of the partner's strategic "
        "class (Settings).",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_partner_complaint_count(self):
        counts = {}
        if self.env["partner.complaint"].has_access("read"):
            counts = dict(
                self.env["partner.complaint"]._read_group(
                    [("partner_id", "in", self.commercial_partner_id.ids)],
                    groupby=["partner_id"],
                    aggregates=["__count"],
                )
            )
        for partner in self:
            partner.partner_complaint_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_evaluation_due(self):
        rows = {}
        commercial = self.commercial_partner_id
        if commercial.ids:
            rows = {
                pid: (last, due)
                for pid, last, due in self.env.execute_query(
                    self._evaluation_due_sql(SQL("p.id IN %s", tuple(commercial.ids)))
                )
            }
        for partner in self:
            partner.last_evaluation_date, partner.next_evaluation_due = rows.get(
                partner.commercial_partner_id.id, (False, False)
            )

    def _search_last_evaluation_date(self, operator, value):
        return self._search_evaluation_due("last", operator, value)

    def _search_next_evaluation_due(self, operator, value):
        return self._search_evaluation_due("due", operator, value)

    def _search_evaluation_due(self, column, operator, value):
        operators = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "!="}
        if operator not in operators and operator not in ("in", "not in"):
            return NotImplemented
        if operator in ("in", "not in"):
            values = [fields.Date.to_date(v) for v in value if v]
            condition = SQL("d.%s = ANY(%s)", SQL.identifier(column), values)
            if operator == "not in":
                condition = SQL("NOT COALESCE(%s, FALSE)", condition)
        else:
            condition = SQL(
                "d.%s " + operators[operator] + " %s", SQL.identifier(column), fields.Date.to_date(value)
            )
        query = SQL(
            "SELECT d.id FROM (%s) d(id, last, due) WHERE %s",
            self._evaluation_due_sql(SQL("TRUE")),
            condition,
        )
        return Domain("id", "in", [pid for (pid,) in self.env.execute_query(query)])

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_partner_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_qualification_credit.partner_complaint_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _evaluation_due_sql(self, where):
        """(partner id, last rated, rating due) of the admitted commercial partners of the
        current company matching ``where``: one query, whatever their number. A partner
        never rated is due one interval after its application (or creation)."""
        company = self.env.company
        self.env["partner.evaluation"].flush_model(["partner_id", "company_id", "state", "date_to"])
        self.flush_model(["admission_state", "strategic_class", "qualification_application_date"])
        cid = str(company.id)
        return SQL(
            """
            SELECT p.id, ev.last,
                   (COALESCE(ev.last, (p.qualification_application_date->>%(cid)s)::date, p.create_date::date)
                    + make_interval(months => CASE WHEN p.strategic_class->>%(cid)s = 'core'
                                                   THEN %(core)s ELSE %(other)s END))::date
              FROM res_partner p
              LEFT JOIN LATERAL (
                  SELECT MAX(e.date_to) AS last
                    FROM partner_evaluation e
                   WHERE e.partner_id = p.id AND e.company_id = %(company)s AND e.state = 'approved'
              ) ev ON TRUE
             WHERE p.id = p.commercial_partner_id
               AND p.admission_state->>%(cid)s = 'approved'
               AND %(where)s
            """,
            cid=cid,
            company=company.id,
            core=company.evaluation_interval_core,
            other=company.evaluation_interval_other,
            where=where,
        )

    @api.model
    def _get_evaluation_due_partners(self, date=None):
        """Admitted partners of the current company whose rating is due on ``date``."""
        date = date or fields.Date.context_today(self)
        return self.search([("next_evaluation_due", "<=", date)])

    def _get_last_evaluation_date(self, company):
        """The end of the last approved rating of the partner in ``company``, or False."""
        self.ensure_one()
        return self.with_company(company).commercial_partner_id.last_evaluation_date

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_rating_overdue(self):
        """Once a month, each office user of each company gets one to-do listing the
        partners whose rating is overdue; last month's open one is replaced."""
        activity_type = self.env.ref("partner_qualification_credit.mail_activity_type_rating_overdue")
        office = self.env.ref("partner_qualification_credit.group_officer")
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            partners = (
                self.sudo().with_company(company).search([("next_evaluation_due", "<", today)], order="name")
            )
            anchor = company.partner_id.sudo()
            anchor.activity_unlink(["partner_qualification_credit.mail_activity_type_rating_overdue"])
            if not partners:
                continue
            users = office.all_user_ids.filtered(
                lambda u, c=company: c in u.company_ids and u.active and not u.share
            )
            names = ", ".join(partners[:50].mapped("display_name"))
            if len(partners) > 50:
                names = self.env._("%(names)s and %(count)s more", names=names, count=len(partners) - 50)
            for user in users:
                anchor.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    date_deadline=today,
                    summary=self.env._("%(count)s partner rating(s) overdue", count=len(partners)),
                    note=self.env._(
                        "Rating overdue for %(company)s: %(partners)s", company=company.name, partners=names
                    ),
                )
