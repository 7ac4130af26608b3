import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Opens the app from the home menu (the overview), then the register and a partner's
// qualification tab.
registry.category("web_tour.tours").add("partner_qualification_register_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "partner_qualification_credit.partner_qualification_menu_root",
            "Open the Partner Qualification app"
        ),
        {
            content: "The app opens on the overview of the work waiting",
            trigger: ".o_kanban_record:contains('Documents Expiring')",
        },
        {
            content: "Open the Register menu",
            trigger: '.dropdown-toggle[data-menu-xmlid="partner_qualification_credit.partner_qualification_menu_register"]',
            run: "click",
        },
        {
            content: "Open the partner register",
            trigger: '.dropdown-item[data-menu-xmlid="partner_qualification_credit.res_partner_menu_register"]',
            run: "click",
        },
        {
            content: "The register lists the admitted partners",
            trigger: ".o_breadcrumb:contains('Partner Register')",
        },
        {
            content: "Open a register entry",
            trigger: ".o_data_row td[name='name']:contains('Tour Register Co')",
            run: "click",
        },
        {
            content: "Open the Qualification tab",
            trigger: ".o_notebook .nav-link:contains('Qualification')",
            run: "click",
        },
        {
            content: "The grade and admission are shown",
            trigger: ".o_field_widget[name='admission_state']:contains('Approved')",
        },
    ],
});
