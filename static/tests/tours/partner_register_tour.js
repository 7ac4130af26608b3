import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Opens the app from the home menu, shows the register and a partner's qualification tab.
registry.category("web_tour.tours").add("partner_qualification_register_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "partner_qualification_credit.partner_qualification_menu_root",
            "Open the Partner Qualification app"
        ),
        {
            content: "The register is the app's first screen",
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
