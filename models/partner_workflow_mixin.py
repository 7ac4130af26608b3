# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .const import MAX_AMOUNT, MAX_YEAR, MIN_YEAR

OFFICER = "partner_qualification_credit.group_officer"


class PartnerWorkflowMixin(models.AbstractModel):
    """What the admission, evaluation, campaign, complaint and corrective-action
    workflows share: their workflow fields take no value from the client, their history
    stays as decided, their figures and dates are sane, and (complaints, corrective
    actions) their records move along a table of transitions, by their owner or the
    partner-management office."""

    _name = "partner.workflow.mixin"
    _description = "Partner Workflow Protection"

    # Fields only the workflow writes (state, who decided and when, results...).
    _workflow_fields = frozenset()
    # Workflow fields a client may still send when it creates a record, each with the one
    # value it may take there: its default anyway (the web client sends the statusbar's
    # state of a new record).
    _workflow_create_values = {}
    # States whose records are history: nobody changes them any more.
    _history_states = ()
    # The states each state may move to, and the user field naming who handles a record
    # (its owner): read by the _check_transition() below, for the models that use it.
    _workflow_transitions = {}
    _workflow_owner_field = None

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

    @api.model
    def _check_workflow_fields(self, vals_list, creating=False):
        """Refuse the workflow fields a client sends: only the workflow's actions set
        them, as superuser (the only bypass). At creation, a field of
        ``_workflow_create_values`` may come with its value there."""
        if self.env.su:
            return
        allowed = self._workflow_create_values if creating else {}
        forbidden = {
            fname
            for vals in vals_list
            for fname in self._workflow_fields.intersection(vals)
            if not (fname in allowed and vals[fname] == allowed[fname])
        }
        if forbidden:
            labels = ", ".join(sorted(self._get_field_label(fname) for fname in forbidden))
            raise AccessError(self._get_workflow_fields_refusal(labels))

    @api.model
    def _get_workflow_fields_refusal(self, field_labels):
        """The message refusing ``field_labels`` (workflow fields a client sent), in the
        words of the model's workflow; models calling _check_workflow_fields() give it."""
        raise NotImplementedError(self._name)

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
    # BUSINESS: transitions
    # ------------------------------------------------------------

    def _check_transition(self, state):
        """Refuse unless the current user may move every record of ``self`` to
        ``state``: the move is in ``_workflow_transitions`` and the model's
        _check_transition_rights() lets the user make it. Every state change goes
        through here first; the workflow then writes as superuser, the only bypass.
        Workflows with rules of their own (admission, evaluation, campaign) override it."""
        if self.env.su:
            return
        for record in self:
            if state not in self._workflow_transitions[record.state]:
                raise UserError(record._get_transition_refusal(state))
            record._check_transition_rights(state)
        self.check_access("write")

    def _check_transition_rights(self, state):
        """Raise AccessError unless the current user may move ``self`` (one record) to
        ``state``; models using _check_transition() give it."""
        raise NotImplementedError(self._name)

    def _get_transition_refusal(self, state):
        """The message refusing to move ``self`` (one record) from its state to
        ``state``; models using _check_transition() give it."""
        raise NotImplementedError(self._name)

    def _is_owner_or_office(self):
        """Whether the current user handles ``self`` (one record): its owner
        (``_workflow_owner_field``) or the partner-management office."""
        self.ensure_one()
        user = self.env.user
        return self[self._workflow_owner_field] == user or user.has_group(OFFICER)

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _get_state_label(self, state=None):
        """The label of ``state``, by default the state of ``self`` (one record)."""
        if state is None:
            self.ensure_one()
            state = self.state
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state)

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
