# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import partner_admission_apply
from . import partner_credit_release_confirm
from . import partner_evaluation_create
from . import partner_evaluation_reject
from . import base_partner_merge_automatic_wizard
from . import partner_qualification_change_propose
