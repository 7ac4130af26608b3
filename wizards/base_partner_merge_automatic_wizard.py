# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.const import compact_code
from ..models.res_partner import PROTECTED_FIELD_GROUPS

# Best first: the merged contact keeps the most advanced admission of the duplicates.
ADMISSION_RANK = {"approved": 3, "in_review": 2, "rejected": 1, "none": 0, False: 0}
# Per-company register fields taken from the kept admission, else from any duplicate.
MERGED_REGISTER_FIELDS = (
    "qualification_applicant_id",
    "qualification_application_date",
    "cooperation_content",
    "scale_class",
    "strategic_class",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge fills the kept contact's empty values with the duplicates'
    (company-dependent ones per company), then writes back every field as the user. The
    qualification relationship is merged here first, in every company: the best admission
    with its grade and limit is kept, and a real conflict (two admissions with different
    grades, an admission moved onto another identity) is refused instead of guessed."""

    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        # First step of Odoo's merge, which also copies the duplicates' company-dependent
        # values where the kept contact has none: decide (or refuse) before that.
        self._merge_qualification_values(src_partners, dst_partner)
        # The duplicates' requirement snapshot goes with them (moved, it would collide with
        # the kept contact's); the kept contact's follows the documents it receives.
        requirements = self.env["partner.qualification.requirement"]
        requirements._forget_partners(src_partners.ids)
        res = super()._update_foreign_keys(src_partners, dst_partner)
        requirements._refresh(partner_ids=dst_partner.ids)
        return res

    @api.model
    def _merge_qualification_values(self, src_partners, dst_partner):
        """Write the merged qualification values on ``dst_partner`` beforehand, as the
        merge workflow (no one gains a decision nobody took): Odoo's own write that
        follows then finds them unchanged."""
        partners = (src_partners | dst_partner).sudo()
        dst = dst_partner.sudo()
        company_fields = [
            name for name in PROTECTED_FIELD_GROUPS if self.env["res.partner"]._fields[name].company_dependent
        ]
        global_vals = {}
        for name in PROTECTED_FIELD_GROUPS.keys() - set(company_fields):
            # Same rule as Odoo's merge: the kept contact's value, else a duplicate's.
            for partner in (*src_partners.sudo(), dst):
                if partner[name]:
                    global_vals[name] = self._merge_serialize(partner[name])
        if global_vals:
            dst.write(global_vals)
        for company in self._get_relationship_companies(partners):
            vals = self._prepare_merged_company_values(
                partners.with_company(company), dst.with_company(company)
            )
            if vals:
                dst.with_company(company).write(vals)

    @api.model
    def _prepare_merged_company_values(self, partners, dst):
        """Values of the qualification relationship of ``dst`` with the company of the
        environment after the merge of ``partners``; refuses conflicting admissions."""
        best_rank = max(ADMISSION_RANK.get(partner.admission_state, 0) for partner in partners)
        kept = partners.filtered(lambda p: ADMISSION_RANK.get(p.admission_state, 0) == best_rank)
        company = partners.env.company
        if best_rank == ADMISSION_RANK["approved"]:
            grades = kept.qualification_grade_id
            if len(grades) > 1:
                raise UserError(
                    self.env._(
                        "These contacts are all admitted by %(company)s but with different grades "
                        "(%(grades)s): merging them would drop one of the decisions. Have one of "
                        "them re-evaluated first, or archive the duplicate instead.",
                        company=company.display_name,
                        grades=", ".join(grades.mapped("display_name")),
                    )
                )
            if dst not in kept and any(self._merge_identity(p) != self._merge_identity(dst) for p in kept):
                raise UserError(
                    self.env._(
                        "%(partner)s is admitted by %(company)s and %(dst)s is not: the merged "
                        "contact would carry an admission nobody reviewed for its identity. Keep "
                        "%(partner)s as the destination contact.",
                        partner=kept[0].display_name,
                        dst=dst.display_name,
                        company=company.display_name,
                    )
                )
        kept_first = kept.sorted(lambda p: p != dst) | partners.sorted(lambda p: p != dst)
        vals = {}
        if dst.admission_state != kept[0].admission_state:
            vals["admission_state"] = kept[0].admission_state
        grade = next((p.qualification_grade_id for p in kept_first if p.qualification_grade_id), None)
        if grade and grade != dst.qualification_grade_id:
            vals["qualification_grade_id"] = grade.id
        # Several limits for one admission: the most prudent one, finance may raise it.
        limits = [p.credit_limit for p in kept if p.credit_limit] or [
            p.credit_limit for p in partners if p.credit_limit
        ]
        if limits and min(limits) != dst.credit_limit:
            vals["credit_limit"] = min(limits)
        roles = set(partners.mapped("partner_role")) - {False}
        role = "both" if "both" in roles or len(roles) > 1 else next(iter(roles), False)
        if role and role != dst.partner_role:
            vals["partner_role"] = role
        for name in (
            "qualification_applicant_id",
            "qualification_application_date",
            "cooperation_content",
            "scale_class",
            "strategic_class",
        ):
            value = next((p[name] for p in kept_first if p[name]), False)
            if value and value != dst[name]:
                vals[name] = self._merge_serialize(value)
        return vals

    @api.model
    def _get_relationship_companies(self, partners):
        """Companies in which one of ``partners`` has a qualification value (the keys of
        the company-dependent columns), the current one included."""
        names = [name for name in PROTECTED_FIELD_GROUPS if partners._fields[name].company_dependent]
        partners.flush_recordset(names)
        rows = self.env.execute_query(
            SQL(" UNION ").join(
                SQL(
                    "SELECT jsonb_object_keys(%s)::int FROM res_partner WHERE id IN %s",
                    SQL.identifier(name),
                    tuple(partners.ids),
                )
                for name in names
            )
        )
        company_ids = {company_id for (company_id,) in rows} | {self.env.company.id}
        return self.env["res.company"].sudo().browse(company_ids).exists()

    @api.model
    def _merge_serialize(self, value):
        return value.id if isinstance(value, models.BaseModel) else value

    @api.model
    def _merge_identity(self, partner):
        return (
            (partner.name or "").strip().casefold(),
            compact_code(partner.vat),
            compact_code(partner.company_registry),
        )
