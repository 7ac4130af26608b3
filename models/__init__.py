# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import const
from . import partner_qualification_grade
from . import partner_qualification_document_type
from . import partner_qualification_document
from . import res_company
from . import res_partner
from . import ir_attachment
from . import res_users
from . import res_partner_qualification
from . import res_partner_credit
from . import res_partner_transaction
from . import res_config_settings
from . import partner_order_gate_mixin
from . import sale_order
from . import purchase_order
from . import sale_order_line
from . import purchase_order_line
from . import payment_transaction
from . import partner_admission_request
from . import partner_credit_lock
from . import partner_credit_release
from . import partner_evaluation_campaign
from . import partner_evaluation
