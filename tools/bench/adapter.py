# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The only place that knows the addon's entry points.

The models are refactored while the benchmark must keep running: every entry point is
looked up by name at run time, and a measurement whose entry point moved is reported
"n/a" instead of crashing the run. Update the names here when the API changes."""

MODULE = "partner_qualification_credit"

METHODS = {
    "reminder_cron": ("partner.qualification.document", "_cron_document_reminders"),
    "campaign_start": ("partner.evaluation.campaign", "action_start"),
    "evaluation_submit": ("partner.evaluation", "action_submit"),
    "campaign_consolidate": ("partner.evaluation.campaign", "action_consolidate"),
    "campaign_approve_all": ("partner.evaluation.campaign", "action_approve_all"),
    # The nightly job that compacts the maintained open balances.
    "credit_balance_compact": ("partner.credit.balance", "_compact"),
}
REGISTER_REPORT = f"{MODULE}.action_report_partner_register"
EXPOSURE_FIELDS = ["credit_exposure", "credit_available", "credit_usage"]
BANNER_FIELDS = ["credit_warning", "credit_warning_level"]
QUALIFICATION_STATE = "qualification_state"
DOCUMENT_MODEL = "partner.qualification.document"
CAMPAIGN_MODEL = "partner.evaluation.campaign"
EVALUATION_MODEL = "partner.evaluation"
# Fields of partner.evaluation the generator fills before submitting (scores 0..100).
SCORE_PREFIX = "score_"


class NotAvailable(Exception):
    """The entry point is not (or no longer) where the adapter looks for it."""


def method(env, key):
    model_name, name = METHODS[key]
    if model_name not in env:
        raise NotAvailable(f"model {model_name} missing")
    model = env[model_name]
    if not callable(getattr(type(model), name, None)):
        raise NotAvailable(f"{model_name}.{name} missing")
    return name


def call(records, key, *args, **kwargs):
    name = method(records.env, key)
    return getattr(records, name)(*args, **kwargs)


def fields_of(env, model_name, names):
    if model_name not in env:
        raise NotAvailable(f"model {model_name} missing")
    missing = [name for name in names if name not in env[model_name]._fields]
    if missing:
        raise NotAvailable(f"{model_name} lacks {', '.join(missing)}")
    return names


def report(env):
    action = env.ref(REGISTER_REPORT, raise_if_not_found=False)
    if not action:
        raise NotAvailable(f"{REGISTER_REPORT} missing")
    return action


def is_installed(env):
    return bool(env["ir.module.module"].search_count([("name", "=", MODULE), ("state", "=", "installed")]))
