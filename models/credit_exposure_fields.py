# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError

# What the exposure reads of a sales or purchase order, and the rate its amounts are
# converted with.
ORDER_GUARDED_FIELDS = (
    "currency_rate",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "invoice_status",
    "credit_open_amount",
    "credit_draft_amount",
    "credit_downpayment_amount",
)
# What the open amounts of an order are computed from, on its lines (sales lines add
# their own invoicing fields).
ORDER_LINE_GUARDED_FIELDS = (
    "price_subtotal",
    "price_tax",
    "price_total",
    "qty_invoiced",
    "qty_to_invoice",
    "invoice_lines",
)
# Down payment lines are created as such by the down payment wizard; turning an
# existing line into one (or back) would change what it counts for.
ORDER_LINE_GUARDED_WRITE_FIELDS = ("is_downpayment",)


class PartnerCreditGuardMixin(models.AbstractModel):
    """Stored computed fields that the exposure queries (or the amounts they rely on)
    read are the ORM's alone: computes assign them without going through ``write()``,
    so any ``create``/``write``/``copy`` (RPC, import, one2many commands, ``default_*``
    context keys) that sends one of them is a forgery and is refused. Superuser code
    (``env.su``) is the only exception."""

    _name = "partner.credit.guard.mixin"
    _description = "Credit Control: Fields Only the ORM Computes"

    # Fields refused in create and write.
    _credit_guarded_fields = ()
    # Fields refused in write only (set legitimately when a record is created).
    _credit_guarded_write_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            defaults = {
                key.removeprefix("default_") for key in self.env.context if key.startswith("default_")
            }
            for vals in vals_list:
                self._check_credit_guarded_fields((vals.keys() | defaults) & set(self._credit_guarded_fields))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            guarded = set(self._credit_guarded_fields) | set(self._credit_guarded_write_fields)
            self._check_credit_guarded_fields(vals.keys() & guarded)
        return super().write(vals)

    def _check_credit_guarded_fields(self, field_names):
        if not field_names:
            return
        descriptions = sorted(self._fields[name].get_description(self.env)["string"] for name in field_names)
        raise AccessError(
            self.env._(
                "%(fields)s on %(model)s are computed by Odoo from the document itself and "
                "cannot be set by hand: %(hint)s",
                fields=", ".join(descriptions),
                model=self.env["ir.model"]._get(self._name).name,
                hint=self._get_credit_guard_hint(),
            )
        )

    def _get_credit_guard_hint(self):
        return self.env._("change the quantities, prices or taxes instead.")


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "partner.credit.guard.mixin"]

    _credit_guarded_fields = ORDER_GUARDED_FIELDS


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "partner.credit.guard.mixin"]

    _credit_guarded_fields = (
        *ORDER_LINE_GUARDED_FIELDS,
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
        "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice",
        "invoice_status",
    )
    _credit_guarded_write_fields = ORDER_LINE_GUARDED_WRITE_FIELDS


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "partner.credit.guard.mixin"]

    _credit_guarded_fields = ORDER_GUARDED_FIELDS


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "partner.credit.guard.mixin"]

    _credit_guarded_fields = ORDER_LINE_GUARDED_FIELDS
    _credit_guarded_write_fields = ORDER_LINE_GUARDED_WRITE_FIELDS


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "partner.credit.guard.mixin"]

    _credit_guarded_fields = ("credit_draft_amount",)
