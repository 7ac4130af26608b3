# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_security_groups
from . import test_qualification_document
from . import test_qualification_state
from . import test_document_reminders
from . import test_access_rights
from . import test_partner_register_report
from . import test_transaction_gate
from . import test_ui
from . import test_multi_company
from . import test_admission_request
from . import test_admission_gate
from . import test_admission_wizard
from . import test_admission_hook
from . import test_admission_report
from . import test_admission_tour
from . import test_credit_exposure
from . import test_credit_block
from . import test_credit_release
from . import test_credit_concurrency
from . import test_evaluation_campaign
from . import test_evaluation_facts
from . import test_evaluation_approval
from . import test_evaluation_ui
from . import test_credit_payment
from . import test_credit_exposure_forgery
