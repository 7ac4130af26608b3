# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import CreditControlCommon

GUARD_MESSAGE = "cannot be set by hand"
ORDER_FORGERIES = {
    "credit_open_amount": 0.0,
    "credit_draft_amount": 0.0,
    "credit_downpayment_amount": 99999.0,
}
MOVE_FORGERIES = {"credit_draft_amount": 0.0}
DOCUMENT_FORGERIES = {"number_key": "NOTLISTED"}


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestSecurityComputedImports(CreditControlCommon):
    """The stored amounts the exposure reads (and the key the prohibited list is
    matched on) are the ORM's alone, whatever door a client sends them through: an
    import, a one2many command of another record, a copy's defaults or an onchange.
    Each attempt is refused with the guard's message and leaves every record of the
    request as it was."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_credit_limit_required = False
        cls.invoicing = new_test_user(
            cls.env, "pqc_forger_invoicing", groups="account.group_account_invoice", company_id=cls.company.id
        )
        # An ordinary user who may edit partners and their orders, invoices and bills:
        # only the guard stands between them and the amounts.
        cls.clerk = new_test_user(
            cls.env,
            "pqc_forger_clerk",
            groups="partner_qualification_credit.group_officer,sales_team.group_sale_salesman_all_leads,"
            "purchase.group_purchase_user,account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        # Orders with something open and a draft invoice taking all of it, a draft
        # invoice from no order, and the customer's licence.
        cls.sale = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.user.id,
                "order_line": [
                    Command.create({"product_id": cls.service.id, "product_uom_qty": 10, "price_unit": 100.0})
                ],
            }
        )
        cls.sale.action_confirm()
        cls.sale._create_invoices()
        cls.purchase = cls.env["purchase.order"].create(
            {
                "partner_id": cls.supplier.id,
                "order_line": [
                    Command.create({"product_id": cls.service.id, "product_qty": 10, "price_unit": 100.0})
                ],
            }
        )
        cls.purchase.button_confirm()
        cls.purchase.action_create_invoice()
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "price_unit": 1000.0, "tax_ids": [Command.set(cls.tax_sale.ids)]}
                    )
                ],
            }
        )
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": "CN-FORGERY-001", "partner_id": cls.customer.id}
        )
        cls.document = cls.env["partner.qualification.document"].search(
            [("partner_id", "=", cls.customer.id)]
        )

    def setUp(self):
        super().setUp()
        # What the ORM computed: every refusal must leave exactly this.
        self.truth = self._stored_all()
        self.assertEqual(
            self.truth,
            {
                "sale": (1100.0, 1100.0, 0.0),
                "purchase": (1100.0, 1100.0, 0.0),
                "invoice": (1100.0,),
                "document": (self.uscc_customer,),
            },
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _stored(self, record, fields):
        """The columns as the database holds them (what the exposure queries read)."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT %s FROM %s WHERE id = %s",
                SQL(", ").join(SQL.identifier(name) for name in fields),
                SQL.identifier(record._table),
                record.id,
            )
        )
        return tuple(round(value, 6) if isinstance(value, float) else value for value in rows[0])

    def _stored_all(self):
        return {
            "sale": self._stored(self.sale, ORDER_FORGERIES),
            "purchase": self._stored(self.purchase, ORDER_FORGERIES),
            "invoice": self._stored(self.invoice, MOVE_FORGERIES),
            "document": self._stored(self.document, DOCUMENT_FORGERIES),
        }

    def _targets(self):
        """(record, forged values, a field a client may set, its value) per guarded model."""
        return [
            (self.sale, ORDER_FORGERIES, "client_order_ref", "FORGED"),
            (self.purchase, ORDER_FORGERIES, "partner_ref", "FORGED"),
            (self.invoice, MOVE_FORGERIES, "ref", "FORGED"),
            (self.document, DOCUMENT_FORGERIES, "note", "FORGED"),
        ]

    def _users(self, record):
        """The ordinary user of the record's model, and the administrator (not superuser)."""
        ordinary = {
            "sale.order": self.user,
            "purchase.order": self.user,
            "account.move": self.invoicing,
            "partner.qualification.document": self.officer,
        }[record._name]
        return (ordinary, self.admin)

    def assertUntouched(self, record=None, field=None, value=None):
        """Nothing of a refused request is written: the amounts stay the ORM's and the
        client's ordinary field keeps its value."""
        self.assertEqual(self._stored_all(), self.truth)
        if record:
            self.assertNotEqual(record[field], value)

    def assertLoadRefused(self, model, user, fields, rows):
        count = self.env[model].search_count([])
        result = self.env[model].with_user(user).load(fields, rows)
        self.assertFalse(result["ids"], result)
        errors = [message for message in result["messages"] if message["type"] == "error"]
        self.assertEqual(len(errors), 1, result["messages"])
        self.assertIn(GUARD_MESSAGE, errors[0]["message"])
        self.assertEqual(self.env[model].search_count([]), count, "no record created")

    # ------------------------------------------------------------
    # IMPORT
    # ------------------------------------------------------------

    def test_import_update_refused(self):
        """``load()`` with the record's database id writes it: refused, the other
        column of the row included."""
        for record, forgeries, client_field, client_value in self._targets():
            for user in self._users(record):
                for field, value in forgeries.items():
                    with self.subTest(model=record._name, user=user.login, field=field):
                        self.assertLoadRefused(
                            record._name,
                            user,
                            [".id", client_field, field],
                            [[str(record.id), client_value, str(value)]],
                        )
                        self.assertUntouched(record, client_field, client_value)

    def test_import_create_refused(self):
        """``load()`` of new rows creates: refused, nothing created."""
        new_rows = {
            "sale.order": (
                ["partner_id/.id", "order_line/product_id/.id", "order_line/product_uom_qty"],
                [str(self.customer.id), str(self.service.id), "10"],
            ),
            "purchase.order": (
                ["partner_id/.id", "order_line/product_id/.id", "order_line/product_qty"],
                [str(self.supplier.id), str(self.service.id), "10"],
            ),
            "account.move": (
                ["move_type", "partner_id/.id", "invoice_line_ids/name", "invoice_line_ids/price_unit"],
                ["out_invoice", str(self.customer.id), "Service", "1000"],
            ),
            "partner.qualification.document": (
                ["partner_id/.id", "type_id/.id", "number", "issue_date", "expiry_date"],
                [str(self.supplier.id), str(self.type_tax.id), "TAX-IMPORTED", "2024-01-01", "2030-12-31"],
            ),
        }
        for record, forgeries, _client_field, _client_value in self._targets():
            fields, row = new_rows[record._name]
            for user in self._users(record):
                for field, value in forgeries.items():
                    with self.subTest(model=record._name, user=user.login, field=field):
                        self.assertLoadRefused(record._name, user, [*fields, field], [[*row, str(value)]])
                        self.assertUntouched()
            # The same row without the forged column is imported: the refusal is the guard's.
            result = self.env[record._name].with_user(self._users(record)[0]).load(fields, [row])
            self.assertEqual(len(result["ids"]), 1, result["messages"])

    def test_import_through_partner_refused(self):
        """Partners imported with their orders, invoices or documents (one2many columns):
        a guarded column is refused, for the existing records the rows update and for
        the ones they create; neither the partner nor anything else is written."""
        columns = {
            "sale_order_ids": (self.sale, ORDER_FORGERIES),
            "invoice_ids": (self.invoice, MOVE_FORGERIES),
            "qualification_document_ids": (self.document, DOCUMENT_FORGERIES),
        }
        for one2many, (record, forgeries) in columns.items():
            for user in (self.clerk, self.admin):
                for field, value in forgeries.items():
                    with self.subTest(one2many=one2many, user=user.login, field=field, row="update"):
                        self.assertLoadRefused(
                            "res.partner",
                            user,
                            [".id", "comment", f"{one2many}/.id", f"{one2many}/{field}"],
                            [[str(self.customer.id), "FORGED", str(record.id), str(value)]],
                        )
                        self.assertUntouched()
                        self.assertNotEqual(self.customer.comment, "FORGED")
                    with self.subTest(one2many=one2many, user=user.login, field=field, row="create"):
                        self.assertLoadRefused(
                            "res.partner", user, ["name", f"{one2many}/{field}"], [["Forged Co", str(value)]]
                        )
                        self.assertUntouched()

    # ------------------------------------------------------------
    # ONE2MANY COMMANDS
    # ------------------------------------------------------------

    def test_partner_one2many_commands_refused(self):
        """The partner's one2many fields write its orders, invoices and documents: an
        update or a create carrying an amount is refused, the partner's own change and
        the record's other values with it."""
        new_values = {
            "sale_order_ids": {
                "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 10})]
            },
            "invoice_ids": {
                "move_type": "out_invoice",
                "invoice_line_ids": [Command.create({"name": "Service", "price_unit": 1000.0})],
            },
            "qualification_document_ids": {
                "type_id": self.type_tax.id,
                "number": "TAX-FORGED",
                "issue_date": "2024-01-01",
                "expiry_date": "2030-12-31",
            },
        }
        targets = {
            "sale_order_ids": self._targets()[0],
            "invoice_ids": self._targets()[2],
            "qualification_document_ids": self._targets()[3],
        }
        for one2many, (record, forgeries, client_field, client_value) in targets.items():
            partner = record.partner_id
            self.assertIn(record, partner[one2many])
            model = self.env[record._name]
            for user in (self.clerk, self.admin):
                for field, value in forgeries.items():
                    commands = {
                        "update": Command.update(record.id, {client_field: client_value, field: value}),
                        "create": Command.create({**new_values[one2many], field: value}),
                    }
                    for kind, command in commands.items():
                        with self.subTest(one2many=one2many, user=user.login, field=field, command=kind):
                            count = model.search_count([])
                            with self.assertRaisesRegex(AccessError, GUARD_MESSAGE):
                                partner.with_user(user).write({"comment": "FORGED", one2many: [command]})
                            self.assertUntouched(record, client_field, client_value)
                            self.assertNotEqual(partner.comment, "FORGED")
                            self.assertEqual(model.search_count([]), count)
            # Without the amount, the same commands go through: the refusal is the guard's.
            partner.with_user(self.clerk).write(
                {
                    one2many: [
                        Command.update(record.id, {client_field: client_value}),
                        Command.create(new_values[one2many]),
                    ]
                }
            )
            self.assertEqual(record[client_field], client_value)

    def test_every_one2many_door_refused(self):
        """Every stored one2many of the installed modules that reaches a guarded model
        (and res.users, which writes its partner's) is refused for an update and for a
        create carrying a guarded field. A module adding such a door must add it here."""
        guarded = {"sale.order", "purchase.order", "account.move", "partner.qualification.document"}
        doors = {
            (model_name, name)
            for model_name, model in self.env.registry.items()
            if not model._abstract and not model._transient
            for name, field in model._fields.items()
            if field.type == "one2many" and field.store and field.comodel_name in guarded
        }
        parents = {
            ("res.partner", "sale_order_ids"): self.customer,
            ("res.partner", "invoice_ids"): self.customer,
            ("res.partner", "qualification_document_ids"): self.customer,
            ("res.partner.bank", "related_moves"): self.bank_account,
            ("account.move", "reversal_move_ids"): self.invoice,
            ("account.move", "tax_cash_basis_created_move_ids"): self.invoice,
        }
        self.assertEqual(doors, set(parents), "a new door to a guarded model: add it to this test")
        # res.users writes the one2many fields of its partner.
        parents[("res.users", "sale_order_ids")] = self.user
        parents[("res.users", "qualification_document_ids")] = self.user
        targets = {record._name: (record, forgeries) for record, forgeries, *_ in self._targets()}
        for (_model_name, one2many), parent in parents.items():
            record, forgeries = targets[parent._fields[one2many].comodel_name]
            model = self.env[record._name]
            for field, value in forgeries.items():
                for kind, command in (
                    ("update", Command.update(record.id, {field: value})),
                    ("create", Command.create({field: value})),
                ):
                    with self.subTest(door=f"{parent._name}.{one2many}", field=field, command=kind):
                        count = model.search_count([])
                        with self.assertRaisesRegex(AccessError, GUARD_MESSAGE):
                            parent.with_user(self.admin).write({one2many: [command]})
                        self.assertUntouched()
                        self.assertEqual(model.search_count([]), count)

    def test_inherited_statement_line_refused(self):
        """A bank statement line carries its move's fields (``_inherits``): setting the
        move's draft amount through it is refused, at creation and afterwards."""
        accountant = new_test_user(
            self.env, "pqc_accountant", groups="account.group_account_basic", company_id=self.company.id
        )
        StatementLine = self.env["account.bank.statement.line"].with_user(accountant)
        vals = {
            "journal_id": self.company_data["default_journal_bank"].id,
            "partner_id": self.customer.id,
            "payment_ref": "Forged",
            "amount": 100.0,
        }
        count = StatementLine.search_count([])
        with self.assertRaisesRegex(AccessError, GUARD_MESSAGE):
            StatementLine.create({**vals, "credit_draft_amount": 99999.0})
        self.assertEqual(StatementLine.search_count([]), count)
        line = StatementLine.create(vals)
        with self.assertRaisesRegex(AccessError, GUARD_MESSAGE):
            line.write({"payment_ref": "FORGED", "credit_draft_amount": 99999.0})
        self.assertEqual(self._stored(line.move_id, MOVE_FORGERIES), (0.0,))
        self.assertEqual(line.payment_ref, "Forged")

    # ------------------------------------------------------------
    # USER DEFAULTS
    # ------------------------------------------------------------

    def test_personal_default_recomputed(self):
        """Any internal user may store personal defaults (``ir.default``); they reach
        ``create`` as if sent, unseen by the guard. The ORM computes these fields on
        every new record regardless: a forged default is silently replaced by the true
        amount."""
        new_records = {
            "sale.order": lambda: self.sale_order(qty=10),
            "purchase.order": lambda: self.purchase_order(qty=10),
            "account.move": lambda: self.env["account.move"]
            .with_user(self.invoicing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "price_unit": 1000.0,
                                "tax_ids": [Command.set(self.tax_sale.ids)],
                            }
                        )
                    ],
                }
            ),
            "partner.qualification.document": lambda: self.env["partner.qualification.document"]
            .with_user(self.officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "type_id": self.type_tax.id,
                    "number": "tax-0001",
                    "issue_date": "2024-01-01",
                    "expiry_date": "2030-12-31",
                }
            ),
        }
        expected = {
            "sale.order": (1100.0, 0.0, 0.0),
            "purchase.order": (1100.0, 0.0, 0.0),
            "account.move": (1100.0,),
            "partner.qualification.document": ("TAX0001",),
        }
        for record, forgeries, *_ in self._targets():
            user = self._users(record)[0]
            for field, value in forgeries.items():
                self.env["ir.default"].with_user(user).set(record._name, field, value, user_id=True)
            with self.subTest(model=record._name):
                self.assertEqual(
                    self.env[record._name].with_user(user).default_get(list(forgeries)), forgeries
                )
                created = new_records[record._name]()
                self.assertEqual(self._stored(created, forgeries), expected[record._name])
                self.assertUntouched()

    # ------------------------------------------------------------
    # COPY
    # ------------------------------------------------------------

    def test_copy_default_refused(self):
        """``copy(default=...)`` creates with the defaults as values: refused, nothing
        created; a plain copy gets the amounts the ORM computes for it."""
        for record, forgeries, _client_field, _client_value in self._targets():
            model = self.env[record._name]
            for user in self._users(record):
                for field, value in forgeries.items():
                    with self.subTest(model=record._name, user=user.login, field=field):
                        count = model.search_count([])
                        with self.assertRaisesRegex(AccessError, GUARD_MESSAGE):
                            record.with_user(user).copy(default={field: value})
                        self.assertUntouched()
                        self.assertEqual(model.search_count([]), count)
        # A copied order is a quotation no invoice takes yet; a copied draft adds what
        # its lines add; a copied document keys its own number (archived: one valid
        # licence per partner).
        defaults = {"partner.qualification.document": {"active": False, "number": self.uscc_customer.lower()}}
        copies = {
            record._name: record.with_user(self._users(record)[0]).copy(default=defaults.get(record._name))
            for record, *_ in self._targets()
        }
        self.assertEqual(self._stored(copies["sale.order"], ORDER_FORGERIES), (1100.0, 0.0, 0.0))
        self.assertEqual(self._stored(copies["purchase.order"], ORDER_FORGERIES), (1100.0, 0.0, 0.0))
        self.assertEqual(self._stored(copies["account.move"], MOVE_FORGERIES), (1100.0,))
        self.assertEqual(
            self._stored(copies["partner.qualification.document"], DOCUMENT_FORGERIES), (self.uscc_customer,)
        )

    # ------------------------------------------------------------
    # ONCHANGE
    # ------------------------------------------------------------

    def test_onchange_does_not_persist(self):
        """The form's ``onchange()`` with forged amounts in its values writes nothing, and
        never hands a forged amount back as the record's."""
        for record, forgeries, client_field, client_value in self._targets():
            user = self._users(record)[0]
            spec = dict.fromkeys([*forgeries, client_field], {})
            truth = dict(zip(forgeries, self._stored(record, forgeries), strict=True))
            with self.subTest(model=record._name):
                result = record.with_user(user).onchange(
                    {**forgeries, client_field: client_value}, [client_field], spec
                )
                for field in forgeries:
                    self.assertEqual(result["value"].get(field, truth[field]), truth[field])
                self.assertUntouched(record, client_field, client_value)
                # The form then saves what it holds: refused.
                with self.assertRaisesRegex(AccessError, GUARD_MESSAGE):
                    record.with_user(user).write({client_field: client_value, **forgeries})
                self.assertUntouched(record, client_field, client_value)

    def test_onchange_new_order_recomputes(self):
        """On a new order, the lines the form sends recompute the amounts: a forged amount
        in the values is replaced by the true one, and saving it is refused."""
        spec = {
            **dict.fromkeys(ORDER_FORGERIES, {}),
            "partner_id": {},
            "order_line": {"fields": {"product_id": {}, "product_uom_qty": {}, "price_unit": {}}},
        }
        values = {
            **ORDER_FORGERIES,
            "partner_id": self.customer.id,
            "order_line": [
                Command.create({"product_id": self.service.id, "product_uom_qty": 10, "price_unit": 100.0})
            ],
        }
        Order = self.env["sale.order"].with_user(self.user)
        result = Order.onchange(values, ["order_line"], spec)
        self.assertAlmostEqual(result["value"]["credit_open_amount"], 1100.0)
        count = Order.search_count([])
        with self.assertRaisesRegex(AccessError, GUARD_MESSAGE):
            Order.create(values)
        self.assertEqual(Order.search_count([]), count)
        self.assertUntouched()
