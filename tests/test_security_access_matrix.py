# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may do what: one table, every model of the addon, every action, the protected
fields of partners and the gate actions of orders, for every kind of user. The README's
access matrix is rendered from the same table (``render_matrix``)."""

import inspect
import pathlib

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from ..models.partner_evaluation import SCORE_FIELDS
from ..models.res_partner import PROTECTED_FIELD_GROUPS
from .common import CreditControlCommon

MODULE = "partner_qualification_credit"
ROLES = ("employee", "user", "officer", "approver", "credit_manager", "portal", "public")
ROLE_LABELS = {
    "employee": "Employee (no addon group)",
    "user": "Business user",
    "officer": "Officer",
    "approver": "Approver",
    "credit_manager": "Credit manager",
    "portal": "Portal",
    "public": "Public",
}
# A: allowed; X: AccessError; U: refused by a business rule (UserError/ValidationError).
OUTCOMES = {"A": "allowed", "X": "AccessError", "U": "UserError"}

# (model, operation): one outcome per role, in the order of ROLES. ``write:<field>`` on
# res.partner writes one protected field; ``read:register`` reads all register fields.
MATRIX = {
    ("partner.admission.apply", "action_apply"): "XAAAAXX",
    ("partner.admission.apply", "create"): "XAAAAXX",
    ("partner.admission.apply", "read"): "XAAAAXX",
    ("partner.admission.apply", "unlink"): "XXXXXXX",
    ("partner.admission.apply", "write"): "XAAAAXX",
    ("partner.admission.apply.line", "create"): "XAAAAXX",
    ("partner.admission.apply.line", "read"): "XAAAAXX",
    ("partner.admission.apply.line", "unlink"): "XAAAAXX",
    ("partner.admission.apply.line", "write"): "XAAAAXX",
    ("partner.admission.request", "action_approve"): "XXUUUXX",
    ("partner.admission.request", "action_assess_credit"): "XXXXUXX",
    ("partner.admission.request", "action_cancel"): "XXAAXXX",
    ("partner.admission.request", "action_open_partner"): "XXAAAXX",
    ("partner.admission.request", "action_reject"): "XXUUUXX",
    ("partner.admission.request", "action_request_information"): "XXUUUXX",
    ("partner.admission.request", "action_reset_to_draft"): "XXUUUXX",
    ("partner.admission.request", "action_review"): "XXUUUXX",
    ("partner.admission.request", "action_run_checks"): "XXUUXXX",
    ("partner.admission.request", "action_submit"): "XXAAXXX",
    ("partner.admission.request", "create"): "XAAAAXX",
    ("partner.admission.request", "read"): "XXAAAXX",
    ("partner.admission.request", "unlink"): "XXAAXXX",
    ("partner.admission.request", "write"): "XXAAAXX",
    ("partner.admission.request.document", "create"): "XXAAXXX",
    ("partner.admission.request.document", "read"): "XXAAAXX",
    ("partner.admission.request.document", "unlink"): "XXAAXXX",
    ("partner.admission.request.document", "write"): "XXAAXXX",
    ("partner.complaint", "action_close"): "XUUUXXX",
    ("partner.complaint", "action_investigate"): "XAAAXXX",
    ("partner.complaint", "action_open_corrective_action"): "XAAAXXX",
    ("partner.complaint", "action_reopen"): "XUUUXXX",
    ("partner.complaint", "action_settle"): "XUUUXXX",
    ("partner.complaint", "create"): "XAAAXXX",
    ("partner.complaint", "read"): "XAAAXXX",
    ("partner.complaint", "unlink"): "XXAAXXX",
    ("partner.complaint", "write"): "XAAAXXX",
    ("partner.corrective.action", "action_cancel"): "XXAAXXX",
    ("partner.corrective.action", "action_done"): "XAAAXXX",
    ("partner.corrective.action", "action_reopen"): "XUUUXXX",
    ("partner.corrective.action", "action_verify"): "XUUUXXX",
    ("partner.corrective.action", "create"): "XAAAXXX",
    ("partner.corrective.action", "read"): "XAAAXXX",
    ("partner.corrective.action", "unlink"): "XXAAXXX",
    ("partner.corrective.action", "write"): "XAAAXXX",
    ("partner.credit.limit.temporary", "action_revoke"): "XXXXAXX",
    ("partner.credit.limit.temporary", "create"): "XXXXAXX",
    ("partner.credit.limit.temporary", "read"): "XAAAAXX",
    ("partner.credit.limit.temporary", "unlink"): "XXXXXXX",
    ("partner.credit.limit.temporary", "write"): "XXXXXXX",
    ("partner.credit.lock", "create"): "XXXXXXX",
    ("partner.credit.lock", "read"): "XXXXAXX",
    ("partner.credit.lock", "unlink"): "XXXXXXX",
    ("partner.credit.lock", "write"): "XXXXXXX",
    ("partner.credit.release", "create"): "XXXXXXX",
    ("partner.credit.release", "read"): "XAXXAXX",
    ("partner.credit.release", "unlink"): "XXXXXXX",
    ("partner.credit.release", "write"): "XXXXXXX",
    ("partner.credit.release.confirm", "action_release_confirm"): "XXXXAXX",
    ("partner.credit.release.confirm", "create"): "XXXXAXX",
    ("partner.credit.release.confirm", "read"): "XXXXAXX",
    ("partner.credit.release.confirm", "unlink"): "XXXXXXX",
    ("partner.credit.release.confirm", "write"): "XXXXAXX",
    ("partner.evaluation", "action_approve"): "XXXUXXX",
    ("partner.evaluation", "action_open_corrective_action"): "XAAAXXX",
    ("partner.evaluation", "action_print_sheet"): "AAAAAXX",
    ("partner.evaluation", "action_refresh_facts"): "XAAAXXX",
    ("partner.evaluation", "action_reject"): "XXXUXXX",
    ("partner.evaluation", "action_submit"): "XAAAXXX",
    ("partner.evaluation", "create"): "XAAAXXX",
    ("partner.evaluation", "read"): "XAAAXXX",
    ("partner.evaluation", "unlink"): "XXAAXXX",
    ("partner.evaluation", "write"): "XAAAXXX",
    ("partner.evaluation.campaign", "action_approve_all"): "XUUUUXX",
    ("partner.evaluation.campaign", "action_cancel"): "UUUUUUU",
    ("partner.evaluation.campaign", "action_consolidate"): "XXUUXXX",
    ("partner.evaluation.campaign", "action_draft"): "UUUUUUU",
    ("partner.evaluation.campaign", "action_print_summary"): "AAAAAXX",
    ("partner.evaluation.campaign", "action_start"): "UUAAUUU",
    ("partner.evaluation.campaign", "action_view_evaluations"): "AAAAAAA",
    ("partner.evaluation.campaign", "create"): "XXAAXXX",
    ("partner.evaluation.campaign", "read"): "XAAAAXX",
    ("partner.evaluation.campaign", "unlink"): "XXAAXXX",
    ("partner.evaluation.campaign", "write"): "XXAAXXX",
    ("partner.evaluation.create", "action_create"): "XAAAAXX",
    ("partner.evaluation.create", "create"): "XAAAAXX",
    ("partner.evaluation.create", "read"): "XAAAAXX",
    ("partner.evaluation.create", "unlink"): "XXXXXXX",
    ("partner.evaluation.create", "write"): "XAAAAXX",
    ("partner.evaluation.reject", "action_reject"): "XXXUXXX",
    ("partner.evaluation.reject", "create"): "XXXAXXX",
    ("partner.evaluation.reject", "read"): "XXXAXXX",
    ("partner.evaluation.reject", "unlink"): "XXXXXXX",
    ("partner.evaluation.reject", "write"): "XXXAXXX",
    ("partner.prohibited.entry", "create"): "XXAAXXX",
    ("partner.prohibited.entry", "read"): "XXAAAXX",
    ("partner.prohibited.entry", "unlink"): "XXXXXXX",
    ("partner.prohibited.entry", "write"): "XXAAXXX",
    ("partner.qualification.change", "action_approve"): "XXXXXXX",
    ("partner.qualification.change", "action_refuse"): "XXXXXXX",
    ("partner.qualification.change", "create"): "XXXXXXX",
    ("partner.qualification.change", "read"): "XXAAAXX",
    ("partner.qualification.change", "unlink"): "XXXXXXX",
    ("partner.qualification.change", "write"): "XXXXXXX",
    ("partner.qualification.change.propose", "action_propose"): "XXUUUXX",
    ("partner.qualification.change.propose", "create"): "XXAAAXX",
    ("partner.qualification.change.propose", "read"): "XXAAAXX",
    ("partner.qualification.change.propose", "unlink"): "XXXXXXX",
    ("partner.qualification.change.propose", "write"): "XXAAAXX",
    ("partner.qualification.document", "action_verify"): "XXAAXXX",
    ("partner.qualification.document", "create"): "XXAAXXX",
    ("partner.qualification.document", "read"): "XAAAAXX",
    ("partner.qualification.document", "unlink"): "XXAAXXX",
    ("partner.qualification.document", "write"): "XXAAXXX",
    ("partner.qualification.document.type", "create"): "XXAAXXX",
    ("partner.qualification.document.type", "read"): "AAAAAXX",
    ("partner.qualification.document.type", "unlink"): "XXAAXXX",
    ("partner.qualification.document.type", "write"): "XXAAXXX",
    ("partner.qualification.requirement", "create"): "XXXXXXX",
    ("partner.qualification.requirement", "read"): "XXXXXXX",
    ("partner.qualification.requirement", "unlink"): "XXXXXXX",
    ("partner.qualification.requirement", "write"): "XXXXXXX",
    ("partner.qualification.grade", "create"): "XXXAXXX",
    ("partner.qualification.grade", "read"): "AAAAAXX",
    ("partner.qualification.grade", "unlink"): "XXXXXXX",
    ("partner.qualification.grade", "write"): "XXXAXXX",
    ("res.partner", "read:register"): "XAAAAXX",
    ("res.partner", "write:admission_state"): "XXXXXXX",
    ("res.partner", "write:business_contact_name"): "XXAAXXX",
    ("res.partner", "write:business_contact_phone"): "XXAAXXX",
    ("res.partner", "write:business_manager_name"): "XXAAXXX",
    ("res.partner", "write:business_manager_phone"): "XXAAXXX",
    ("res.partner", "write:cooperation_content"): "XXAAXXX",
    ("res.partner", "write:credit_limit"): "XXXXXXX",
    ("res.partner", "write:partner_role"): "XXAAXXX",
    ("res.partner", "write:qualification_applicant_id"): "XXAAXXX",
    ("res.partner", "write:qualification_application_date"): "XXAAXXX",
    ("res.partner", "write:qualification_grade_id"): "XXXXXXX",
    ("res.partner", "write:qualification_note"): "XXAAXXX",
    ("res.partner", "write:registered_address"): "XXAAXXX",
    ("res.partner", "write:registered_capital"): "XXAAXXX",
    ("res.partner", "write:scale_class"): "XXAAXXX",
    ("res.partner", "write:strategic_class"): "XXAAXXX",
    ("res.partner", "write:target_acceptance_rate"): "XXAAXXX",
    ("res.partner", "write:target_on_time_rate"): "XXAAXXX",
    ("sale.order", "action_confirm"): "XAXXXXX",
    ("sale.order", "action_open_credit_release"): "XXXXAXX",
    ("sale.order", "action_request_credit_release"): "XAXXXXX",
}

# Models without records of their own (mixins, report renderers).
# Read-only SQL views: nothing to create, write or delete; read rights are in the table.
# Tables the addon maintains in SQL (``_auto = False``): no record to create; the open
# balances are read by the credit check only (system read access, as for any table).
VIEW_MODELS = {
    "partner.credit.release.queue",
    "partner.supplier.kpi",
    "partner.qualification.overview",
    "partner.credit.balance",
}
ABSTRACT_MODELS = {
    "partner.credit.document.mixin",
    "partner.cached.rule.mixin",
    "partner.credit.guard.mixin",
    "partner.order.gate.mixin",
    "partner.order.line.gate.mixin",
    "partner.workflow.mixin",
    # The demo story: private methods only, called by the install hook.
    "partner.qualification.demo",
    "report.partner_qualification_credit.report_credit_statement",
    "report.partner_qualification_credit.report_admission_request",
    "report.partner_qualification_credit.report_partner_register",
}


def render_matrix():
    """The access matrix as a Markdown table (README, Security section)."""
    header = "| Model | Operation | " + " | ".join(ROLE_LABELS[role] for role in ROLES) + " |"
    lines = [header, "|" + "---|" * (len(ROLES) + 2)]
    symbols = {"A": "✓", "X": "✗", "U": "rule"}
    for (model, operation), outcomes in sorted(MATRIX.items()):
        cells = " | ".join(symbols[outcome] for outcome in outcomes)
        lines.append(f"| `{model}` | `{operation}` | {cells} |")
    return "\n".join(lines)


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestSecurityAccessMatrix(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, "pqc_matrix_employee", groups="base.group_user")
        cls.portal = new_test_user(cls.env, "pqc_matrix_portal", groups="base.group_portal")
        cls.users = {
            "employee": cls.employee,
            "user": cls.user,
            "officer": cls.officer,
            "approver": cls.approver,
            "credit_manager": cls.credit_manager,
            "portal": cls.portal,
            "public": cls.env.ref("base.public_user"),
        }
        for user in cls.users.values():
            user.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.applicants = cls.env["res.partner"].create(
            [{"name": f"Matrix Applicant {key}", "is_company": True} for key in "01"]
        )
        # The salesperson's quotation for an admitted customer without a credit limit.
        cls.order = cls.sale_order(cls, qty=10, user=cls.env.user, user_id=cls.user.id)
        cls.records = {
            model: cls.env[model].create(cls._create_vals(model, "0")) for model in cls._record_models()
        }

    @classmethod
    def _record_models(cls):
        """Models that get one record: the addon's own, abstract ones excepted."""
        models = {model for model, _operation in MATRIX} | {
            "partner.prohibited.entry",
            "partner.qualification.change",
            "partner.qualification.change.propose",
            "partner.admission.request.document",
            "partner.credit.limit.temporary",
        }
        return sorted(models - {"res.partner", "sale.order"} - VIEW_MODELS)

    @classmethod
    def _create_vals(cls, model, key):
        """Valid values of a new record of ``model`` (``key`` keeps codes unique)."""
        if model == "partner.admission.apply.line":
            wizard = cls.env["partner.admission.apply"].create(
                cls._create_vals("partner.admission.apply", key)
            )
            return {"wizard_id": wizard.id, "type_id": cls.type_tax.id, "number": f"TAX-{key}"}
        if model == "partner.admission.request.document":
            request = cls.env["partner.admission.request"].create(
                cls._create_vals("partner.admission.request", "1")
            )
            return {"request_id": request.id, "type_id": cls.type_tax.id, "number": f"TAX-REQ-{key}"}
        return {
            "partner.qualification.grade": {"name": f"Matrix {key}", "code": f"M{key}"},
            "partner.qualification.document.type": {"name": f"Matrix {key}", "code": f"matrix_{key}"},
            "partner.qualification.document": {
                "partner_id": cls.applicants[int(key)].id,
                "type_id": cls.type_tax.id,
                "number": f"TAX-{key}",
                "issue_date": "2024-01-01",
                "expiry_date": "2030-12-31",
            },
            "partner.admission.request": {
                "partner_id": cls.applicants[int(key)].id,
                "role": "customer",
                "cooperation_content": "Matrix",
            },
            "partner.admission.apply": {"name": f"Matrix Apply {key}", "cooperation_content": "Matrix"},
            "partner.credit.release": {
                "company_id": cls.company.id,
                "partner_id": cls.customer.id,
                "sale_order_id": cls.order.id,
                "user_id": cls.credit_manager.id,
                "reason": "Matrix",
                "order_currency_id": cls.order.currency_id.id,
                "order_amount_total": cls.order.amount_total,
            },
            "partner.credit.lock": {"company_id": cls.company.id, "partner_id": cls.applicants[int(key)].id},
            "partner.credit.release.confirm": {"sale_order_id": cls.order.id, "reason": "Matrix"},
            "partner.evaluation.campaign": {
                "name": f"Matrix {key}",
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
                "deadline": "2026-07-15",
                "scope": "both",
                "fallback_evaluator_id": cls.officer.id,
            },
            "partner.evaluation": {
                "partner_id": (cls.customer, cls.supplier)[int(key)].id,
                "evaluator_id": cls.user.id,
                "role": ("customer", "supplier")[int(key)],
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
                # Scored: submitting needs every criterion scored.
                **dict.fromkeys(SCORE_FIELDS, 80.0),
            },
            "partner.prohibited.entry": {"name": f"Matrix Prohibited {key}"},
            "partner.qualification.requirement": {
                "partner_id": cls.applicants[int(key)].id,
                "type_id": cls.type_tax.id,
            },
            "partner.evaluation.reject": {"reason": "Matrix"},
            "partner.credit.limit.temporary": {
                "partner_id": cls.customer.id,
                "amount": 1000.0,
                "date_end": "2099-12-31",
                "reason": "Matrix",
            },
            "partner.qualification.change": {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "state": "to_approve",
                "reason": "Matrix",
            },
            "partner.qualification.change.propose": {"partner_id": cls.customer.id, "reason": "Matrix"},
            "partner.complaint": {
                "name": f"Matrix Complaint {key}",
                "partner_id": cls.customer.id,
                "user_id": cls.user.id,
            },
            "partner.corrective.action": {
                "name": f"Matrix Action {key}",
                "partner_id": cls.customer.id,
                "user_id": cls.user.id,
                "required_action": "Matrix",
                "deadline": "2026-12-31",
            },
            "partner.evaluation.create": {
                "partner_ids": [Command.set(cls.customer.ids)],
                "evaluator_id": cls.user.id,
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
            },
        }[model]

    def _write_vals(self, model):
        return {
            "partner.qualification.grade": {"description": "Matrix"},
            "partner.qualification.document.type": {"description": "Matrix"},
            "partner.qualification.document": {"issuing_authority": "Matrix"},
            "partner.qualification.requirement": {"best_expiry": "2030-01-01"},
            "partner.admission.request": {"cooperation_content": "Rewritten"},
            "partner.admission.apply": {"phone": "123"},
            "partner.admission.apply.line": {"issuing_authority": "Matrix"},
            "partner.credit.release": {"reason": "Rewritten"},
            "partner.credit.lock": {"credit_warned": True},
            "partner.credit.release.confirm": {"reason": "Rewritten"},
            "partner.evaluation.campaign": {"name": "Rewritten"},
            "partner.evaluation": {"comment_other": "Rewritten"},
            "partner.evaluation.create": {"note": "Rewritten"},
            "partner.complaint": {"settlement_note": "Rewritten"},
            "partner.evaluation.reject": {"reason": "Rewritten"},
            "partner.corrective.action": {"verification": "Rewritten"},
            "partner.prohibited.entry": {"reason": "Rewritten"},
            "partner.admission.request.document": {"issuing_authority": "Rewritten"},
            "partner.credit.limit.temporary": {"reason": "Rewritten"},
            "partner.qualification.change": {"reason": "Rewritten"},
            "partner.qualification.change.propose": {"reason": "Rewritten"},
        }[model]

    def _partner_field_value(self, name):
        field = self.env["res.partner"]._fields[name]
        if field.type == "selection":
            return field.get_values(self.env)[-1]
        return {
            "many2one": lambda: self.grade_a.id
            if field.comodel_name.startswith("partner.")
            else self.user.id,
            "date": lambda: "2026-01-01",
            "float": lambda: 123.0,
            "monetary": lambda: 123.0,
        }.get(field.type, lambda: "Matrix")()

    # ------------------------------------------------------------
    # One attempt
    # ------------------------------------------------------------

    def _operation(self, model, operation, user):
        if model == "res.partner":
            partner = self.customer.with_user(user)
            kind, name = operation.split(":")
            if kind == "read":
                return lambda: partner.read(self._register_fields())
            return lambda: partner.write({name: self._partner_field_value(name)})
        if model == "sale.order":
            order = self.order.with_user(user)
            return lambda: getattr(order, operation)()
        record = self.records[model].with_user(user)
        if operation == "read":
            return lambda: record.read(["display_name"])
        if operation == "create":
            return lambda: record.browse().create(self._create_vals(model, "1"))
        if operation == "write":
            return lambda: record.write(self._write_vals(model))
        if operation == "unlink":
            return lambda: record.unlink()
        return lambda: getattr(record, operation)()

    def _register_fields(self):
        fields = self.env["res.partner"]._fields
        return [
            name for name, field in fields.items() if field.groups and f"{MODULE}.group_user" in field.groups
        ]

    def _attempt(self, func):
        try:
            with self.env.cr.savepoint():
                func()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            outcome = "A"
        except AccessError:
            outcome = "X"
        except (UserError, ValidationError):
            outcome = "U"
        self.env.invalidate_all()
        return outcome

    # ------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------

    def test_access_matrix(self):
        observed = {}
        for model, operation in sorted(set(MATRIX) | set(self._every_cell())):
            observed[model, operation] = "".join(
                self._attempt(self._operation(model, operation, self.users[role])) for role in ROLES
            )
        mismatches = {
            cell: (MATRIX.get(cell), got) for cell, got in observed.items() if MATRIX.get(cell) != got
        }
        table = "\n".join(f"    {cell!r}: {got!r}," for cell, got in sorted(observed.items()))
        self.assertFalse(mismatches, f"Access matrix differs ({ROLES}):\n{mismatches}\nObserved:\n{table}")

    def _every_cell(self):
        cells = []
        for model in self._record_models():
            cells += [(model, op) for op in ("read", "create", "write", "unlink", *self._actions(model))]
        cells += [("res.partner", f"write:{name}") for name in self._protected_fields()]
        cells += [("res.partner", "read:register")]
        cells += [
            ("sale.order", name) for name in ("action_confirm", *self._actions("partner.order.gate.mixin"))
        ]
        return sorted(cells)

    def _actions(self, model):
        cls = type(self.env[model])
        return sorted(
            name
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if name.startswith("action_") and member.__module__.startswith(f"odoo.addons.{MODULE}.")
        )

    def _protected_fields(self):
        return sorted(PROTECTED_FIELD_GROUPS)

    def test_every_model_is_covered(self):
        xmlids = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.model")])
        models = self.env["ir.model"].browse(xmlids.mapped("res_id")).mapped("model")
        # The addon's own models; those it extends (partners, orders) have their rows.
        names = {name for name in models if self.env[name]._original_module == MODULE}
        covered = {model for model, _operation in MATRIX} | ABSTRACT_MODELS | VIEW_MODELS
        self.assertFalse(names - covered, "Models of the addon missing from the access matrix")
        for model in ABSTRACT_MODELS:
            self.assertTrue(self.env[model]._abstract, model)
        for model in VIEW_MODELS:
            self.assertFalse(self.env[model]._auto, model)

    def test_every_action_and_field_is_covered(self):
        self.assertFalse(set(self._every_cell()) - set(MATRIX), "Cells missing from the access matrix")

    def test_readme_matrix_in_sync(self):
        readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
        self.assertIn(render_matrix(), readme, "Regenerate the README's access matrix from render_matrix()")
