# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

SCRIPT = Path(__file__).parent.parent / "migrations" / "19.0.1.5.0" / "post-migrate.py"
INDEXES = ("sale_order_credit_amount_open_idx", "purchase_order_credit_amount_open_idx")


@tagged("post_install", "-at_install")
class TestOrderIndexMigration(TransactionCase):
    """The upgrade drops the open-order indexes the exposure no longer reads."""

    def _indexes(self):
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE indexname IN %s", [INDEXES])
        return {name for (name,) in self.env.cr.fetchall()}

    def test_upgrade_drops_the_open_order_indexes(self):
        spec = importlib.util.spec_from_file_location("pqc_post_migrate_19_0_1_5_0", SCRIPT)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        for name, table in zip(INDEXES, ("sale_order", "purchase_order"), strict=True):
            index = SQL("CREATE INDEX %s ON %s (id)", SQL.identifier(name), SQL.identifier(table))
            self.env.cr.execute(index)
        self.assertEqual(self._indexes(), set(INDEXES))
        script.migrate(self.env.cr, None)
        self.assertEqual(self._indexes(), set(INDEXES), "a new install has nothing to drop")
        script.migrate(self.env.cr, "19.0.1.4.0")
        self.assertEqual(self._indexes(), set())
        script.migrate(self.env.cr, "19.0.1.4.0")  # twice: nothing left to do
