import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// One admission application through the browser, by four people (segregation of
// duties): the applicant fills the assistant, the office reviews, finance assesses the
// credit, leadership approves.

function openAdmissionMenu(menuXmlid, content) {
    return [
        ...stepUtils.goToAppSteps(
            "partner_qualification_credit.partner_qualification_menu_root",
            "Open the Partner Qualification app"
        ),
        {
            content: "Open the Admission menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='partner_qualification_credit.partner_admission_menu']",
            run: "click",
        },
        {
            content,
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("partner_admission_apply_tour", {
    url: "/odoo",
    steps: () => [
        ...openAdmissionMenu(
            "partner_qualification_credit.partner_admission_apply_menu",
            "Start a new application"
        ),
        {
            content: "Partner name",
            trigger: ".modal .o_field_widget[name='name'] input",
            run: "edit Tour Admission Steel Co",
        },
        {
            content: "Its Unified Social Credit Code",
            trigger: ".modal .o_field_widget[name='vat'] input",
            run: "edit 91330100MA2TXUR00D",
        },
        {
            content: "What we will do with it",
            trigger: ".modal .o_field_widget[name='cooperation_content'] textarea",
            run: "edit Hot-rolled steel plates",
        },
        {
            content: "Business contact",
            trigger: ".modal .o_field_widget[name='business_contact_name'] input",
            run: "edit Wang Fang",
        },
        {
            content: "Add the business licence",
            trigger: ".modal div[name='document_line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Document type",
            trigger: ".modal div[name='document_line_ids'] .o_selected_row [name='type_id'] input",
            run: "edit Business Licence",
        },
        {
            content: "Pick the business licence type",
            trigger: ".ui-menu-item-wrapper:contains('Business Licence')",
            run: "click",
        },
        {
            content: "Licence number",
            trigger: ".modal div[name='document_line_ids'] .o_selected_row [name='number'] input",
            run: "edit 91330100MA2TXUR00D",
        },
        {
            content: "Expiry date",
            trigger: ".modal div[name='document_line_ids'] .o_selected_row [name='expiry_date'] input",
            run: "edit 2035-12-31",
        },
        {
            content: "Submit the application",
            trigger: ".modal-footer button[name='action_apply']",
            run: "click",
        },
        {
            content: "The request is submitted and checked",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "The checks panel shows the document check passed",
            trigger: ".o_field_widget[name='check_documents_result']:contains('Pass')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_admission_review_tour", {
    url: "/odoo",
    steps: () => [
        ...openAdmissionMenu(
            "partner_qualification_credit.partner_admission_request_menu_to_review",
            "Open the requests to review"
        ),
        {
            content: "Open the application",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Admission Steel Co')",
            run: "click",
        },
        {
            content: "Open the review page",
            trigger: ".o_notebook .nav-link:contains('Review and Approval')",
            run: "click",
        },
        {
            content: "Write the review opinion",
            trigger: ".o_field_widget[name='review_opinion'] textarea",
            run: "edit Licence consistent and valid; fits our steel business.",
        },
        {
            content: "Pass it to leadership",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_review']",
            run: "click",
        },
        {
            content: "The request is reviewed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Reviewed')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_admission_credit_tour", {
    url: "/odoo",
    steps: () => [
        ...openAdmissionMenu(
            "partner_qualification_credit.partner_admission_request_menu_to_assess",
            "Open the requests waiting for a credit assessment"
        ),
        {
            content: "Open the application",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Admission Steel Co')",
            run: "click",
        },
        {
            content: "Open the credit page",
            trigger: ".o_notebook .nav-link:contains('Credit')",
            run: "click",
        },
        {
            content: "Initial credit limit",
            trigger: ".o_field_widget[name='proposed_credit_limit'] input",
            run: "edit 60000",
        },
        {
            content: "Ask for a guarantee",
            trigger: ".o_field_widget[name='guarantee_required'] input",
            run: "click",
        },
        {
            content: "Write the assessment",
            trigger: ".o_field_widget[name='credit_assessment'] textarea",
            run: "edit Bank references checked; parent company guarantee.",
        },
        {
            content: "Record the assessment",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_assess_credit']",
            run: "click",
        },
        {
            content: "The assessment is recorded",
            trigger: ".o_field_widget[name='credit_assessor_id']:contains('pqc_tour_finance')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_admission_approve_tour", {
    url: "/odoo",
    steps: () => [
        ...openAdmissionMenu(
            "partner_qualification_credit.partner_admission_request_menu_to_approve",
            "Open the requests to approve"
        ),
        {
            content: "Open the application",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Admission Steel Co')",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});

// The office sends the application back with questions; the applicant answers by
// submitting it again.
registry.category("web_tour.tours").add("partner_admission_information_tour", {
    url: "/odoo",
    steps: () => [
        ...openAdmissionMenu(
            "partner_qualification_credit.partner_admission_request_menu_to_review",
            "Open the requests to review"
        ),
        {
            content: "Open the application",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Admission Steel Co')",
            run: "click",
        },
        {
            content: "Open the review page",
            trigger: ".o_notebook .nav-link:contains('Review and Approval')",
            run: "click",
        },
        {
            content: "Write the questions for the applicant",
            trigger: ".o_field_widget[name='information_request'] textarea",
            run: "edit Please add the last audited financial statements.",
        },
        {
            content: "Send the request back to its applicant",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_request_information']",
            run: "click",
        },
        {
            content: "The request is returned",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Returned for Information')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_admission_resubmit_tour", {
    url: "/odoo",
    steps: () => [
        ...openAdmissionMenu(
            "partner_qualification_credit.partner_admission_request_menu_my",
            "Open my applications"
        ),
        {
            content: "Open the returned application",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Admission Steel Co')",
            run: "click",
        },
        {
            content: "The office's questions are in the chatter",
            trigger: ".o-mail-Message:contains('audited financial statements')",
        },
        {
            content: "Submit it again",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']:contains('Submit Again')",
            run: "click",
        },
        {
            content: "The request is submitted again",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
        },
    ],
});
