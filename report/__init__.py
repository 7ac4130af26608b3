# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import partner_register_report
from . import partner_admission_request_report
from . import partner_credit_statement_report
