# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.partner_qualification_credit.migrations_relationship import (
    RELATIONSHIP_COLUMNS,
    save_global_columns,
    spread_global_columns,
)

from .common import PartnerQualificationCommon

TABLE = "pqc_partner_upgrade_test"


@tagged("post_install", "-at_install")
class TestRelationshipMigration(PartnerQualificationCommon):
    """The upgrade to per-company relationship fields, on rows laid out as before it."""

    def _prepare_table(self, rows):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TABLE %s (
                    id int PRIMARY KEY, company_id int, admission_state jsonb,
                    partner_role varchar, qualification_applicant_id int4,
                    cooperation_content text, qualification_application_date date,
                    scale_class varchar, strategic_class varchar
                )
                """,
                SQL.identifier(TABLE),
            )
        )
        for row in rows:
            cr.execute(
                SQL(
                    "INSERT INTO %s VALUES (%s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s)",
                    SQL.identifier(TABLE),
                    *row,
                )
            )

    def test_values_copied_to_each_admitting_company(self):
        company_b = self.env["res.company"].create({"name": "Sister Company B"})
        company_c = self.env["res.company"].create({"name": "Sister Company C"})
        a, b, c = (str(company.id) for company in (self.company, company_b, company_c))
        admitted = f'{{"{a}": "approved", "{b}": "approved", "{c}": "in_review"}}'
        self._prepare_table(
            [
                (1, None, admitted, "supplier", self.user.id, "Steel", "2025-04-01", "large", "core"),
                (2, company_c.id, None, "customer", None, None, None, None, None),
                (3, None, admitted, None, None, None, None, None, None),
            ]
        )
        self.assertEqual(save_global_columns(self.env.cr, TABLE), list(RELATIONSHIP_COLUMNS))
        self.assertEqual(save_global_columns(self.env.cr, TABLE), [], "run twice: nothing more to do")
        # What the ORM does next: new jsonb columns.
        for column in RELATIONSHIP_COLUMNS:
            self.env.cr.execute(
                SQL("ALTER TABLE %s ADD COLUMN %s jsonb", SQL.identifier(TABLE), SQL.identifier(column))
            )
        spread_global_columns(self.env.cr, TABLE)
        rows = self.env.execute_query_dict(
            SQL("SELECT * FROM %s ORDER BY id", SQL.identifier(TABLE)),
        )
        self.assertEqual(
            rows[0],
            {
                "id": 1,
                "company_id": None,
                "admission_state": {a: "approved", b: "approved", c: "in_review"},
                "partner_role": {a: "supplier", b: "supplier"},
                "qualification_applicant_id": {a: self.user.id, b: self.user.id},
                "cooperation_content": {a: "Steel", b: "Steel"},
                "qualification_application_date": {a: "2025-04-01", b: "2025-04-01"},
                "scale_class": {a: "large", b: "large"},
                "strategic_class": {a: "core", b: "core"},
            },
        )
        # Admitted nowhere: the value stays where it was visible, its own company.
        self.assertEqual(rows[1]["partner_role"], {c: "customer"})
        self.assertIsNone(rows[1]["cooperation_content"])
        self.assertIsNone(rows[2]["partner_role"])
        self.assertFalse(
            {f"{column}_pqc_global" for column in RELATIONSHIP_COLUMNS}
            & set(self.env.execute_query_dict(SQL("SELECT * FROM %s LIMIT 1", SQL.identifier(TABLE)))[0])
        )

    def test_values_read_by_the_orm_per_company(self):
        """The jsonb written by the upgrade is what the ORM reads per company."""
        company_b = self.env["res.company"].create({"name": "Sister Company B"})
        partner = self.customer.sudo()
        partner.with_company(self.company).write(
            {"partner_role": "supplier", "qualification_applicant_id": self.user.id}
        )
        self.env.flush_all()
        [(role, applicant)] = self.env.execute_query(
            SQL(
                "SELECT partner_role, qualification_applicant_id FROM res_partner WHERE id = %s",
                partner.id,
            )
        )
        self.assertEqual(role[str(self.company.id)], "supplier")
        self.assertEqual(applicant[str(self.company.id)], self.user.id)
        self.assertNotIn(str(company_b.id), role)
