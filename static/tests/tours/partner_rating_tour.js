import { registry } from "@web/core/registry";

// A complaint is recorded and investigated; a receipt gets its quality result.
registry.category("web_tour.tours").add("partner_complaint_tour", {
    url: "/odoo/action-partner_qualification_credit.partner_complaint_action",
    steps: () => [
        {
            content: "New complaint",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Subject",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Coils delivered rusted",
        },
        {
            content: "Partner",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour Complaint Co",
        },
        {
            content: "Pick the partner",
            trigger: ".o-autocomplete--dropdown-menu li:contains('Tour Complaint Co')",
            run: "click",
        },
        {
            content: "Open the severities",
            trigger: ".o_field_widget[name='severity'] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Critical",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Critical')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Start the investigation",
            trigger: ".o_form_statusbar button[name='action_investigate']",
            run: "click",
        },
        {
            content: "The complaint is under investigation",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Investigating')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_receipt_quality_tour", {
    url: "/odoo/action-stock.action_picking_tree_all",
    steps: () => [
        {
            content: "Open the receipt",
            trigger: ".o_data_row td:contains('Tour Quality Supplier')",
            run: "click",
        },
        {
            content: "Open the quality results",
            trigger: ".o_field_widget[name='quality_result'] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Reject the delivery",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Rejected')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, with the inspector",
            trigger: ".o_form_saved .o_field_widget[name='quality_user_id']:contains('Admin')",
        },
    ],
});
