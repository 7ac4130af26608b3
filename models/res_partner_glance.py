# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResPartner(models.Model):
    """The partner at a glance where it is picked: an order's partner autocomplete
    (``show_qualification`` in the field's context) shows the grade, the admission,
    the documents and the credit usage beside each name, for the addon's users."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends_context("show_qualification", "formatted_display_name", "company", "uid")
    def _compute_display_name(self):
        super()._compute_display_name()
        context = self.env.context
        if not (context.get("show_qualification") and context.get("formatted_display_name")):
            return
        glance = self._get_qualification_glance()
        for partner in self:
            if glance.get(partner.id):
                # Core's autocomplete shows "--text--" as the secondary line of an entry.
                partner.display_name = f"{partner.display_name} \t --{glance[partner.id]}--"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    @api.readonly
    def web_name_search(self, name, specification, domain=None, operator="ilike", limit=100):
        """Core computes each entry's formatted name one record at a time; with the
        qualification shown, compute them for all entries at once (the usage comes
        from one pass of the exposure engine)."""
        if not self.env.context.get("show_qualification"):
            return super().web_name_search(name, specification, domain=domain, operator=operator, limit=limit)
        plain = self.with_context(show_qualification=False)
        result = super(ResPartner, plain).web_name_search(
            name, specification, domain=domain, operator=operator, limit=limit
        )
        if not result or "__formatted_display_name" not in result[0]:
            return result
        partners = self.browse([entry["id"] for entry in result]).with_context(formatted_display_name=True)
        names = dict(zip(partners.ids, partners.mapped("display_name"), strict=True))
        for entry in result:
            entry["__formatted_display_name"] = names[entry["id"]]
        return result

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _get_qualification_glance(self):
        """{partner id: "C · Approved · Documents OK · 85 %"} for the addon's users, read
        from the commercial partner in the current company."""
        if not self.env.user.has_group("partner_qualification_credit.group_user"):
            return {}
        commercial = self.commercial_partner_id._origin
        admission_labels = dict(self._fields["admission_state"]._description_selection(self.env))
        document_labels = dict(self._fields["qualification_state"]._description_selection(self.env))
        usage = {
            pid: figures["credit_usage"]
            for pid, figures in commercial._get_credit_figures_by_partner().items()
        }
        result = {}
        for partner in self:
            company = partner.commercial_partner_id._origin
            if not company:
                continue
            parts = [
                company.qualification_grade_id.code or "",
                admission_labels.get(company.admission_state or "none", ""),
                document_labels.get(company.qualification_state, ""),
            ]
            _limit, unlimited = company._get_credit_limit_info()
            if not unlimited:
                parts.append(self.env._("%(usage)s %% used", usage=round(usage.get(company.id, 0.0))))
            result[partner.id] = " · ".join(part for part in parts if part)
        return result
