# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Partner Qualification & Credit Control",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "summary": "Partner register, qualification documents, admission, A-E grading "
    "and blocking credit control for sales and purchases",
    "author": "Partner Qualification & Credit Control contributors",
    "website": "https://github.com/partner-qualification-credit/partner_qualification_credit",
    "license": "LGPL-3",
    "depends": ["sale_management", "purchase_stock", "account", "mail"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        "security/partner_qualification_credit_security.xml",
        "security/ir.model.access.csv",
        "data/partner_qualification_grade_data.xml",
        "data/partner_qualification_document_type_data.xml",
        "data/ir_cron_data.xml",
        "report/partner_register_reports.xml",
        "report/partner_register_templates.xml",
        "report/partner_evaluation_reports.xml",
        "report/partner_evaluation_templates.xml",
        "views/partner_qualification_grade_views.xml",
        "views/partner_qualification_document_type_views.xml",
        "views/partner_qualification_document_views.xml",
        "views/partner_evaluation_campaign_views.xml",
        "views/partner_evaluation_views.xml",
        "wizards/partner_evaluation_create_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/partner_qualification_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "partner_qualification_credit/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
