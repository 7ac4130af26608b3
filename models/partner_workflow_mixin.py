# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from .const import MAX_AMOUNT, MAX_YEAR, MIN_YEAR


class PartnerWorkflowMixin(models.AbstractModel):
    """What the admission, evaluation and campaign workflows share: their workflow
    fields take no value from the client's context, their history stays as decided,
    their figures and dates are sane."""

    _name = "partner.workflow.mixin"
    _description = "Partner Workflow Protection"

    # Fields only the workflow writes (state, who decided and when, results...).
    _workflow_fields = frozenset()
    # States whose records are history: nobody changes them any more.
    _history_states = ()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields):
        return super(PartnerWorkflowMixin, self._without_workflow_defaults()).default_get(fields)

    @api.model
    def _without_workflow_defaults(self):
        """The model in a context without ``default_<workflow field>`` keys. Such a default
        comes from the client (an action, a grouped list, a forged call) and the workflow
        never uses one: it passes its values explicitly. Stripped for the superuser too,
        because workflow code runs as superuser with the context of the user who
        triggered it."""
        banned = {f"default_{name}" for name in self._workflow_fields}
        if not banned & self.env.context.keys():
            return self
        context = {key: value for key, value in self.env.context.items() if key not in banned}
        return self.with_env(self.env(context=context))

    def _check_history_write(self, vals):
        """Records in a history state are read-only for everybody, the superuser
        included; only their chatter and activities live on."""
        if not self._history_states:
            return
        changed = set(vals) - self._get_chatter_fields()
        history = self.filtered(lambda r: r.state in self._history_states)
        if changed and history:
            raise UserError(
                self.env._(
                    "%(record)s is %(state)s: it is part of the history and cannot be changed.",
                    record=history[0].display_name,
                    state=history[0]._get_state_label(),
                )
            )

    @api.model
    def _check_finite_vals(self, vals_list):
        """NaN and infinities fail in the ORM's rounding with a raw Python error, before
        any constraint: refuse them on the way in."""
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if (
                    field
                    and field.type in ("float", "integer", "monetary")
                    and isinstance(value, float)
                    and not math.isfinite(value)
                ):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a number, not %(value)s.",
                            field=self._get_field_label(name),
                            value=value,
                        )
                    )

    @api.model
    def _get_chatter_fields(self):
        return set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _get_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env)).get(self.state, self.state)

    @api.model
    def _get_field_label(self, field_name):
        return self._fields[field_name].get_description(self.env)["string"]

    def _check_figures(self, field_names, minimum=0.0, maximum=MAX_AMOUNT):
        """Finite figures between ``minimum`` and ``maximum``: NaN and infinities would
        reach SQL and reports as raw errors, huge values overflow sums."""
        for record in self:
            for field_name in field_names:
                value = record[field_name]
                if not math.isfinite(value) or not minimum <= value <= maximum:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(record)s must be a number between %(min)s and %(max)s, "
                            "not %(value)s.",
                            field=record._get_field_label(field_name),
                            record=record.display_name,
                            min=format(minimum, "g"),
                            max=format(maximum, "g"),
                            value=format(value, "g"),
                        )
                    )

    def _check_dates(self, field_names):
        for record in self:
            for field_name in field_names:
                value = record[field_name]
                if value and not MIN_YEAR <= value.year <= MAX_YEAR:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(record)s is %(value)s: dates run from year %(min)s to %(max)s.",
                            field=record._get_field_label(field_name),
                            record=record.display_name,
                            value=value,
                            min=MIN_YEAR,
                            max=MAX_YEAR,
                        )
                    )
