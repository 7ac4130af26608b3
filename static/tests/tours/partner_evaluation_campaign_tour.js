import { registry } from "@web/core/registry";

// A rating round: the office starts the campaign, the evaluator scores every criterion
// and submits, leadership approves the proposed grade.

registry.category("web_tour.tours").add("partner_campaign_start_tour", {
    steps: () => [
        {
            content: "Start the campaign",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_start']",
            run: "click",
        },
        {
            content: "The campaign is running",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('In Progress')",
        },
    ],
});

const SCORES = {
    score_standing: "90",
    score_cooperation: "85",
    score_payment: "80",
    score_potential: "90",
    score_other: "80",
};

registry.category("web_tour.tours").add("partner_campaign_evaluate_tour", {
    url: "/odoo/action-partner_qualification_credit.partner_evaluation_action",
    steps: () => [
        {
            content: "Open the evaluation to do",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Campaign Co')",
            run: "click",
        },
        ...Object.entries(SCORES).map(([field, value]) => ({
            content: `Score ${field}`,
            trigger: `.o_field_widget[name='${field}'] input`,
            run: `edit ${value}`,
        })),
        {
            content: "Leave the last field",
            trigger: ".o_field_widget[name='score_standing'] input",
            run: "click",
        },
        {
            content: "The weighted score follows",
            trigger: ".o_field_widget[name='score']:contains('84')",
        },
        {
            content: "Submit",
            trigger: ".o_form_statusbar button[name='action_submit']",
            run: "click",
        },
        {
            content: "The evaluation is submitted",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_campaign_approve_tour", {
    steps: () => [
        {
            content: "Approve the proposed grade",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The evaluation is approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
    ],
});
