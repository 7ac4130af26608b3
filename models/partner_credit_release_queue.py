# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

CREDIT_RELEASE_MODELS = ("sale.order", "purchase.order", "account.move", "account.payment")


class PartnerCreditReleaseQueue(models.Model):
    """Documents awaiting a credit release, for credit managers.

    A refused confirmation or posting rolls its transaction back: nothing of the refusal
    survives but the request its author then makes ('Request Release', an activity of
    the credit-release type). The queue lists the documents with such an open request,
    still in a releasable state, and shows what the decision engine says about each of
    them now (blocker kinds, message, figures): a document whose blockers were lifted
    meanwhile shows none and can simply be confirmed by its author."""

    _name = "partner.credit.release.queue"
    _description = "Document Awaiting Credit Release"
    _auto = False
    _order = "date_deadline, id"
    # What the view reads: pending changes are written before it is searched (a
    # confirmation leaves its order to be written at the end of the transaction).
    _depends = {
        "mail.activity": ["res_model", "res_id", "activity_type_id", "create_uid", "date_deadline"],
        **{model: ["state", "company_id"] for model in CREDIT_RELEASE_MODELS},
    }

    res_model = fields.Selection(
        selection=[
            ("sale.order", "Quotation"),
            ("purchase.order", "Request for Quotation"),
            ("account.move", "Invoice or Bill"),
            ("account.payment", "Payment"),
        ],
        string="Document Type",
        readonly=True,
    )
    res_id = fields.Many2oneReference(model_field="res_model", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    requested_by_id = fields.Many2one(comodel_name="res.users", string="Requested By", readonly=True)
    date_deadline = fields.Date(string="Requested On", readonly=True)
    document_name = fields.Char(string="Document", compute="_compute_engine")
    partner_id = fields.Many2one(comodel_name="res.partner", compute="_compute_engine")
    blocker_kinds = fields.Char(string="Blocked By", compute="_compute_engine")
    blocker_message = fields.Text(string="Why", compute="_compute_engine")
    currency_id = fields.Many2one(comodel_name="res.currency", compute="_compute_engine")
    amount = fields.Monetary(compute="_compute_engine")
    credit_exposure = fields.Monetary(string="Exposure", compute="_compute_engine")
    credit_limit = fields.Monetary(compute="_compute_engine")
    releasable = fields.Boolean(compute="_compute_engine")

    @property
    def _table_query(self):
        documents = SQL(" UNION ALL ").join(
            SQL(
                "SELECT %(model)s AS res_model, id AS res_id, company_id "
                "FROM %(table)s WHERE state IN %(states)s",
                model=model,
                table=SQL.identifier(self.env[model]._table),
                states=self.env[model]._partner_release_states,
            )
            for model in CREDIT_RELEASE_MODELS
        )
        return SQL(
            """
            SELECT MIN(a.id) AS id, a.res_model, a.res_id, doc.company_id,
                   MIN(a.create_uid) AS requested_by_id, MIN(a.date_deadline) AS date_deadline
              FROM mail_activity a
              JOIN (%(documents)s) doc ON doc.res_model = a.res_model AND doc.res_id = a.res_id
             WHERE a.activity_type_id = %(type)s
             GROUP BY a.res_model, a.res_id, doc.company_id
            """,
            documents=documents,
            type=self.env.ref("partner_qualification_credit.mail_activity_type_credit_release").id,
        )

    @api.depends_context("company")
    def _compute_engine(self):
        labels = dict(self._fields["res_model"]._description_selection(self.env))
        for entry in self:
            entry.update(
                {
                    "document_name": False,
                    "partner_id": False,
                    "blocker_kinds": False,
                    "blocker_message": False,
                    "currency_id": entry.company_id.currency_id,
                    "amount": 0.0,
                    "credit_exposure": 0.0,
                    "credit_limit": 0.0,
                    "releasable": False,
                }
            )
        for model in CREDIT_RELEASE_MODELS:
            entries = self.filtered(lambda e, m=model: e.res_model == m)
            documents = self.env[model].sudo().browse(entries.mapped("res_id")).exists()
            refusals = documents._get_credit_refusals()
            for entry in entries:
                document = documents.browse(entry.res_id)
                if document not in documents:
                    continue
                blockers = refusals.get(document, [])
                figures = next((b.figures for b in blockers if b.kind == "credit_limit"), {})
                entry.update(
                    {
                        "document_name": f"{labels[model]} {document.display_name}",
                        "partner_id": document._get_credit_partner(),
                        "blocker_kinds": ", ".join(b.kind for b in blockers)
                        or self.env._("none: may be confirmed"),
                        "blocker_message": "\n\n".join(b.message for b in blockers),
                        "amount": figures.get("orders", 0.0),
                        "credit_exposure": figures.get("exposure", 0.0),
                        "credit_limit": figures.get("limit", 0.0),
                        "releasable": bool(blockers) and all(b.releasable for b in blockers),
                    }
                )

    def _get_document(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    def action_open_document(self):
        self.ensure_one()
        document = self._get_document()
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "view_mode": "form",
        }

    def action_release(self):
        self.ensure_one()
        return self._get_document().action_open_credit_release()
