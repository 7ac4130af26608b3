# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError

# Scans of qualification documents (licences, IDs) are read through their document only:
# Odoo checks the document's read access for an attachment bound to it, unless the
# attachment is public.
CONFIDENTIAL_ATTACHMENT_MODELS = ("partner.qualification.document",)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("res_model") in CONFIDENTIAL_ATTACHMENT_MODELS:
                vals["public"] = False
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("public"):
            models_after = (
                {vals["res_model"]} if "res_model" in vals else set(self.sudo().mapped("res_model"))
            )
            if models_after & set(CONFIDENTIAL_ATTACHMENT_MODELS):
                raise UserError(
                    self.env._(
                        "Scans of qualification documents cannot be made public: they are "
                        "shown only to those who can read the document."
                    )
                )
        elif vals.get("res_model") in CONFIDENTIAL_ATTACHMENT_MODELS:
            vals = {**vals, "public": False}
        return super().write(vals)
