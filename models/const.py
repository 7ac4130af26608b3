# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Selections and codes shared by several models, wizards and reports of the addon."""

# ------------------------------------------------------------
# Company settings
# ------------------------------------------------------------

# Prefetch group of the addon's company settings: Odoo reads a company's whole row
# (every field of the default group) in nearly every request, the addon's settings are
# read only by the settings form and the cached ``_get_credit_settings``.
SETTINGS_PREFETCH = "partner_qualification_settings"

# ------------------------------------------------------------
# Partners and their documents
# ------------------------------------------------------------

PARTNER_ROLES = [
    ("customer", "Customer"),
    ("supplier", "Supplier"),
    ("both", "Customer and Supplier"),
]
ADMISSION_STATES = [
    ("none", "Not Admitted"),
    ("in_review", "In Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
QUALIFICATION_STATES = [
    ("ok", "Documents OK"),
    ("expiring", "Expiring Soon"),
    ("expired", "Expired"),
    ("missing", "Missing Documents"),
]
# Severity of each state: a partner shows the worst of its mandatory documents.
QUALIFICATION_SEVERITY = {"ok": 0, "expiring": 1, "expired": 2, "missing": 3}
SEVERITY_STATE = {value: key for key, value in QUALIFICATION_SEVERITY.items()}
DOCUMENT_STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring Soon"),
    ("expired", "Expired"),
]
PARTNER_SCALES = [("large", "Large"), ("medium", "Medium"), ("small", "Small")]
PARTNER_STRATEGIC_CLASSES = [("core", "Core"), ("important", "Important"), ("general", "General")]
GRADE_POLICIES = [
    ("allow", "Allow"),
    ("restrict", "Restrict (release needed)"),
    ("block", "Block (no new orders)"),
]

PROHIBITED_SOURCES = [
    ("group", "Group"),
    ("own", "Own"),
    ("regulator", "Regulator"),
]

# How a document type's number is checked.
DOCUMENT_NUMBER_FORMATS = [
    ("none", "Free"),
    ("uscc", "Unified Social Credit Code"),
    ("organization_code", "Organisation Code (from the USCC)"),
]

BUSINESS_LICENCE = "business_licence"
ORGANIZATION_CODE = "organization_code"
TAX_REGISTRATION = "tax_registration"
FOREIGN_REGISTRATION = "foreign_registration"
# Documents whose number is the partner's identity (admission workflow, prohibited list).
IDENTITY_DOCUMENT_TYPES = (BUSINESS_LICENCE, ORGANIZATION_CODE, TAX_REGISTRATION, FOREIGN_REGISTRATION)


def compact_code(number):
    """Registration numbers compared without separators and case."""
    return "".join(ch for ch in (number or "") if ch.isalnum()).upper()


def uscc_organization_code(code):
    """Characters 9-17 of a Unified Social Credit Code are the organisation code."""
    return compact_code(code)[8:17]


# ------------------------------------------------------------
# Admission
# ------------------------------------------------------------

REQUEST_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("reviewed", "Reviewed"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
CHECK_RESULTS = [
    ("pass", "Pass"),
    ("warning", "Warning"),
    ("fail", "Fail"),
]
ADMISSION_CHECKS = ("prohibited", "documents", "numbers", "duplicates")
# A failed blocking check needs an officer's justification to review the request.
BLOCKING_CHECKS = ("prohibited", "documents")
OPEN_STATES = ("draft", "submitted", "returned", "reviewed")
# Which state each state may move to; approved requests are history. "Returned": the
# office asked the applicant for more information; answering submits it again.
REQUEST_TRANSITIONS = {
    "draft": ("submitted", "cancelled"),
    "submitted": ("reviewed", "returned", "rejected", "cancelled"),
    "returned": ("submitted", "cancelled"),
    "reviewed": ("approved", "returned", "rejected", "cancelled"),
    "approved": (),
    "rejected": ("draft",),
    "cancelled": ("draft",),
}
REQUEST_ORIGINS = [
    ("application", "Application"),
    ("identity_change", "Identity Change"),
]

# ------------------------------------------------------------
# Rating
# ------------------------------------------------------------

EVALUATION_CRITERIA = ("standing", "cooperation", "payment", "potential", "other")
EVALUATION_WEIGHT_FIELDS = [
    f"evaluation_weight_{role}_{criterion}"
    for role in ("customer", "supplier")
    for criterion in EVALUATION_CRITERIA
]
EVALUATION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
]
EVALUATION_ROLES = PARTNER_ROLES
# Facts read from the ERP for the period; refreshed while draft, frozen at submission.
# Amounts are Floats in the company currency (shown with the monetary widget): Monetary
# fields resolve their currency record by record on insert, too slow for 5,000 at once.
FACT_FIELDS = [
    "fact_turnover_sale",
    "fact_turnover_purchase",
    "fact_avg_days_to_pay",
    "fact_overdue_amount",
    "fact_overdue_days",
    "fact_receivable_end",
    "fact_receivable_peak",
    "fact_receipt_count",
    "fact_on_time_rate",
    "fact_returned_share",
    "fact_prepayment_end",
    "fact_prepayment_peak",
    "fact_credit_limit",
    "fact_usage_end",
    "fact_usage_peak",
    "fact_complaint_count",
    "fact_complaint_severe_count",
    "fact_dispute_open_count",
    "fact_complaint_response_hours",
    "fact_inspected_count",
    "fact_acceptance_rate",
    "fact_tied_up_end",
    "fact_tied_up_peak",
    "fact_corrective_open_count",
    "fact_days_over_limit",
]
# Rejecting sends a submitted evaluation back to draft; approved ones are history.
EVALUATION_TRANSITIONS = {
    "draft": ("submitted",),
    "submitted": ("draft", "approved"),
    "approved": (),
}
CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("in_progress", "In Progress"),
    ("to_approve", "To Approve"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# in_progress, to_approve and done follow the campaign's evaluations; done is history.
CAMPAIGN_TRANSITIONS = {
    "draft": ("in_progress",),
    "in_progress": ("to_approve", "done", "cancelled"),
    "to_approve": ("in_progress", "done", "cancelled"),
    "done": (),
    "cancelled": ("draft",),
}
CAMPAIGN_SCOPES = [
    ("customer", "Customers"),
    ("supplier", "Suppliers"),
    ("both", "Customers and Suppliers"),
]
# Figures beyond this are typing errors or attacks (and overflow sums and reports);
# dates outside these years are typing errors.
MAX_AMOUNT = 1e15
MIN_YEAR = 1900
MAX_YEAR = 2999

# ------------------------------------------------------------
# Complaints, supplier quality and corrective actions
# ------------------------------------------------------------

COMPLAINT_DIRECTIONS = [
    ("customer", "From a Customer"),
    ("supplier", "About a Supplier"),
]
COMPLAINT_CATEGORIES = [
    ("quality", "Quality"),
    ("delivery", "Delivery"),
    ("service", "Service"),
    ("billing", "Billing"),
    ("contract", "Contract"),
    ("other", "Other"),
]
COMPLAINT_SEVERITIES = [("minor", "Minor"), ("major", "Major"), ("critical", "Critical")]
# Severities counted as "severe" by the rating caps.
COMPLAINT_SEVERE = ("critical",)
COMPLAINT_STATES = [
    ("new", "New"),
    ("investigating", "Investigating"),
    ("settled", "Settled"),
    ("closed", "Closed"),
]
# A settlement the partner does not accept goes back to investigation; closed is history.
COMPLAINT_TRANSITIONS = {
    "new": ("investigating",),
    "investigating": ("settled",),
    "settled": ("investigating", "closed"),
    "closed": (),
}
COMPLAINT_OPEN_STATES = ("new", "investigating")
COMPLAINT_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("visit", "Visit"),
    ("letter", "Letter"),
    ("portal", "Portal"),
    ("other", "Other"),
]
DISPUTE_TYPES = [("arbitration", "Arbitration"), ("litigation", "Litigation")]
COMPLAINT_SATISFACTION = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
RECEIPT_QUALITY_RESULTS = [
    ("accepted", "Accepted"),
    ("accepted_concession", "Accepted with Concession"),
    ("rejected", "Rejected"),
]
CORRECTIVE_ACTION_STATES = [
    ("open", "Open"),
    ("done", "Done, to Verify"),
    ("verified", "Verified"),
    ("cancelled", "Cancelled"),
]
CORRECTIVE_ACTION_TRANSITIONS = {
    "open": ("done", "cancelled"),
    "done": ("open", "verified"),
    "verified": (),
    "cancelled": (),
}

# Records per create() of chatter messages and activities in mass operations. Their
# res_id (a Many2oneReference) updates the inverse cache of every new record for each
# distinct document: quadratic in the size of one create(). Chunks keep it linear, for a
# handful more INSERTs (the ORM inserts 100 rows per query anyway).
MASS_CREATE_CHUNK = 200
