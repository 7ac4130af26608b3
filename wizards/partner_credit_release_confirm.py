# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class PartnerCreditReleaseConfirm(models.TransientModel):
    """ "Release and Confirm": a credit manager lets one blocked order through, with a
    reason; the release is logged with the figures of the moment, then the order is
    confirmed through its normal path (the other checks of the gate still apply)."""

    _name = "partner.credit.release.confirm"
    _description = "Release and Confirm an Order"

    sale_order_id = fields.Many2one(comodel_name="sale.order", readonly=True)
    purchase_order_id = fields.Many2one(comodel_name="purchase.order", readonly=True)
    move_id = fields.Many2one(comodel_name="account.move", string="Invoice or Bill", readonly=True)
    payment_id = fields.Many2one(comodel_name="account.payment", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", compute="_compute_summary")
    summary = fields.Html(compute="_compute_summary", sanitize=False)
    reason = fields.Text(required=True)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("sale_order_id", "purchase_order_id", "move_id", "payment_id")
    def _compute_summary(self):
        for wizard in self:
            order = wizard._get_order()
            wizard.partner_id = order._get_credit_partner() if order else False
            if not order:
                wizard.summary = False
                continue
            partner = wizard.partner_id.with_company(order.company_id).sudo()
            # What the gate would say, then the credit figures the release records.
            blockers = partner._get_transaction_blockers(order, order._get_partner_gate_role())
            lines = [Markup("<br/>").join(b.message.split("\n")) for b in blockers if not b.released]
            if not any(b.kind == "credit_limit" for b in blockers):
                lines.append(partner._get_credit_breakdown_html(partner._get_credit_check_figures(order)))
            wizard.summary = Markup("<br/><br/>").join(lines)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_release_confirm(self):
        self.ensure_one()
        self.env["partner.credit.document.mixin"]._check_credit_release_rights()
        order = self._get_order()
        if not order:
            raise UserError(self.env._("Choose the document to release."))
        if order.state not in order._partner_release_states:
            raise UserError(
                self.env._("%(order)s is not a draft any more: nothing to release.", order=order.display_name)
            )
        order.check_access("read")
        company = order.company_id
        partner = order._get_credit_partner().with_company(company).sudo()
        # A release lifts what a credit manager may decide, nothing else: refuse at once
        # (nothing logged) when another reason stands.
        for blocker in partner._get_transaction_blockers(order, order._get_partner_gate_role()):
            if not blocker.releasable and not blocker.released:
                raise UserError(blocker.message)
        figures = partner._get_credit_check_figures(order)
        # Access rights allow nobody to write the log: the rights were checked above.
        release = (
            self.env["partner.credit.release"]
            .with_company(company)
            .sudo()
            .create(self._prepare_release_values(order, partner, figures))
        )
        body = Markup("%s<br/>%s<br/>%s") % (
            self.env._(
                "Credit release by %(user)s for %(order)s. Reason: %(reason)s",
                user=self.env.user.name,
                order=order.display_name,
                reason=self.reason,
            ),
            self.env._("Grade: %(grade)s", grade=partner.qualification_grade_id.display_name or "-"),
            partner._get_credit_breakdown_html(figures),
        )
        # The people who wait for the decision first; the log (with the figures) is the
        # order's last message.
        self._notify_release(order)
        # The credit manager may have no sales/purchase rights: the release is the
        # decision; confirming still goes through the whole gate (sudo skips no check).
        order.sudo().message_post(body=body)
        partner.message_post(body=body)
        order.sudo()._action_partner_gate_confirm()
        order.sudo().activity_feedback(
            ["partner_qualification_credit.mail_activity_type_credit_release"],
            feedback=self.env._("Released: %(reason)s", reason=self.reason),
        )
        return {"type": "ir.actions.act_window_close", "infos": {"release_id": release.id}}

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _notify_release(self, order):
        """Tell who asked for the release and who owns the document, in their language."""
        order = order.sudo()
        request_type = self.env.ref("partner_qualification_credit.mail_activity_type_credit_release")
        requesters = order.activity_ids.filtered(lambda a: a.activity_type_id == request_type).create_uid
        owner_field = "invoice_user_id" if order._name == "account.move" else "user_id"
        owner = order[owner_field] if owner_field in order._fields else self.env["res.users"]
        recipients = (requesters | owner) - self.env.user
        recipients._notify_qualification_decision(
            order,
            lambda document: document.env._(
                "%(order)s is released by %(user)s and confirmed.",
                order=document.display_name,
                user=self.env.user.name,
            ),
            self.reason,
        )

    def _get_order(self):
        self.ensure_one()
        return self.sale_order_id or self.purchase_order_id or self.move_id or self.payment_id

    def _prepare_release_values(self, order, partner, figures):
        values = {
            "company_id": order.company_id.id,
            "partner_id": partner.id,
            order._credit_release_field: order.id,
            "order_reference": order.display_name,
            "user_id": self.env.user.id,
            "reason": self.reason,
            "grade_id": partner.qualification_grade_id.id,
            "credit_limit": figures["limit"],
            "credit_unlimited": figures["unlimited"],
            "credit_exposure": figures["exposure"],
            "order_amount": figures["orders"],
            "credit_total": figures["total"],
            "credit_excess": figures["excess"],
            "order_currency_id": order._get_credit_release_amount()[0].id,
            "order_amount_total": order._get_credit_release_amount()[1],
        }
        for key, _switch in partner._credit_components:
            values[f"credit_{key}"] = figures[key]
        return values
