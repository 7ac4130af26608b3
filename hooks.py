# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Roles learnt from history: documents sold to a partner make it a customer, bought
# from it a supplier.
HISTORY_SQL = SQL(
    """
    SELECT p.commercial_partner_id, h.company_id, h.role
      FROM (
            SELECT m.partner_id, m.company_id,
                   CASE WHEN m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                        THEN 'customer' ELSE 'supplier' END AS role
              FROM account_move m
             WHERE m.state = 'posted' AND m.move_type != 'entry' AND m.partner_id IS NOT NULL
             UNION
            SELECT so.partner_id, so.company_id, 'customer'
              FROM sale_order so
             WHERE so.state = 'sale'
             UNION
            SELECT po.partner_id, po.company_id, 'supplier'
              FROM purchase_order po
             WHERE po.state IN ('purchase', 'done')
           ) h
      JOIN res_partner p ON p.id = h.partner_id
     WHERE p.commercial_partner_id IS NOT NULL
    """
)


def post_init_hook(env):
    """Installing on a live database must not stop the business: admit every
    commercial partner that already traded (posted invoice, confirmed sale or
    purchase) with a company, with that company's default grade."""
    set_default_grade(env)
    # The partners that existed before the addon have no requirement snapshot yet.
    env["partner.qualification.requirement"]._refresh()
    companies = admit_partners_with_history(env)
    if has_demo_data(env):
        # The history of a demo database is Odoo's demo orders, not a business to keep
        # running: the demo shows the documented defaults, and tells its story through
        # the workflows (applications at each step, a partner over its limit, ...).
        env["partner.qualification.demo"]._load_demo_story()
        return
    relax_document_block(companies)
    relax_credit_limit_requirement(companies)


def uninstall_hook(env):
    """The balances' triggers live on core tables: remove them with the addon."""
    env["partner.credit.balance"]._drop_balances()


def has_demo_data(env):
    """Whether the database was created with demo data (Odoo flags each module whose
    demo data it loaded)."""
    return bool(env["ir.module.module"].sudo().search_count([("demo", "=", True)], limit=1))


def set_default_grade(env):
    """Existing companies got their column before the grades were loaded: give them
    the shipped default grade (C) now."""
    grade = env.ref("partner_qualification_credit.grade_c", raise_if_not_found=False)
    if grade:
        env["res.company"].sudo().with_context(active_test=False).search(
            [("partner_default_grade_id", "=", False)]
        ).write({"partner_default_grade_id": grade.id})


def admit_partners_with_history(env):
    """Admit the partners that traded with each company.

    :return: the companies that had partners admitted
    """
    env.flush_all()
    rows = env.execute_query(HISTORY_SQL)
    companies = env["res.company"].sudo()
    if not rows:
        return companies
    by_company, roles = {}, {}
    for partner_id, company_id, role in rows:
        by_company.setdefault(company_id, set()).add(partner_id)
        roles.setdefault((partner_id, company_id), set()).add(role)
    Partner = env["res.partner"].sudo().with_context(tracking_disable=True)
    admitted = Partner.browse()
    bodies = {}
    companies = companies.browse(list(by_company)).exists()
    for company in companies:
        partners = Partner.with_company(company).browse(sorted(by_company[company.id]))
        vals = {"admission_state": "approved"}
        if company.partner_default_grade_id:
            vals["qualification_grade_id"] = company.partner_default_grade_id.id
        partners.write(vals)
        admitted |= partners
        for partner in partners:
            bodies.setdefault(partner.id, []).append(company.name)
        # The role (per company) from that company's history, only where the office has
        # not set one.
        without_role = partners.filtered(lambda p: not p.partner_role)
        for role in ("customer", "supplier", "both"):
            matching = without_role.filtered(
                lambda p, r=role, c=company.id: (
                    "both" if len(roles[p.id, c]) > 1 else next(iter(roles[p.id, c]))
                )
                == r
            )
            if matching:
                matching.write({"partner_role": role})
    admitted._message_log_batch(
        bodies={
            partner_id: Markup("%s")
            % env._(
                "Admitted at installation (existing business with %(companies)s).",
                companies=", ".join(names),
            )
            for partner_id, names in bodies.items()
        }
    )
    return companies


def relax_document_block(companies):
    """Partners admitted at installation have no qualification documents recorded yet:
    with 'Block on Invalid Documents' on, every order of the companies they trade with
    would stop at once. Those companies start with the block off; the office turns it
    on (Settings) once the documents of its existing partners are recorded."""
    return _relax_company_setting(companies, "partner_block_invalid_documents", "documents")


def relax_credit_limit_requirement(companies):
    """The same for credit: partners admitted at installation have no credit limit yet,
    and with 'Every Partner Needs a Credit Limit' on a limit of 0 allows no credit, so
    every credit order would stop. Those companies start with 0 meaning "unlimited";
    finance sets the limits (or an evaluation campaign does) and turns it back on."""
    return _relax_company_setting(companies, "partner_credit_limit_required", "a credit limit")


def _relax_company_setting(companies, field_name, missing):
    companies = companies.filtered(field_name)
    if companies:
        companies.write({field_name: False})
        _logger.info(
            "Partner qualification: '%s' starts off for %s, whose existing partners were "
            "admitted at installation without %s.",
            companies._fields[field_name].string,
            ", ".join(companies.mapped("name")),
            missing,
        )
    return companies
