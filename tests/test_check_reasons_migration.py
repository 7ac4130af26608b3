# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.partner_qualification_credit.migrations_check_reasons import keep_recorded_reasons

from .common import PartnerQualificationCommon

TABLE = "pqc_check_reasons_upgrade_test"


@tagged("post_install", "-at_install")
class TestCheckReasonsMigration(PartnerQualificationCommon):
    """Check reasons written as text before the upgrade stay readable after it."""

    def test_text_reasons_kept_as_recorded(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE TABLE %s (id int PRIMARY KEY, check_documents_reason varchar, "
                "check_documents_details jsonb, check_numbers_reason varchar, check_numbers_details jsonb)",
                SQL.identifier(TABLE),
            )
        )
        cr.execute(
            SQL(
                "INSERT INTO %s VALUES (1, '营业执照 missing', NULL, '', NULL), (2, NULL, NULL, NULL, NULL)",
                SQL.identifier(TABLE),
            )
        )
        self.assertEqual(keep_recorded_reasons(cr, TABLE), ["check_documents_reason", "check_numbers_reason"])
        self.assertEqual(keep_recorded_reasons(cr, TABLE), [], "run twice: nothing more to do")
        cr.execute(
            SQL(
                "SELECT id, check_documents_details, check_numbers_details FROM %s ORDER BY id",
                SQL.identifier(TABLE),
            )
        )
        rows = cr.fetchall()
        self.assertEqual(rows[0], (1, [["recorded_text", {"text": "营业执照 missing"}]], None))
        self.assertEqual(rows[1], (2, None, None))
        # What a reader sees: the text as it was recorded.
        request = self.env["partner.admission.request"].new({})
        self.assertEqual(request._render_check_details(rows[0][1]), "营业执照 missing")
