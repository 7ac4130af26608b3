import { registry } from "@web/core/registry";

// The evaluator opens an evaluation of the list, scores every criterion, gives the reason
// and submits it; the critical complaint of the period shows among the facts.
registry.category("web_tour.tours").add("partner_evaluation_tour", {
    url: "/odoo/action-partner_qualification_credit.partner_evaluation_action",
    steps: () => [
        {
            content: "Open the evaluation to do",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Evaluation Co')",
            run: "click",
        },
        {
            content: "Not scored yet: no suggestion",
            trigger: ".alert-info:contains('Score every criterion')",
        },
        ...[
            ["score_standing", "70"],
            ["score_cooperation", "70"],
            ["score_payment", "40"],
            ["score_potential", "70"],
            ["score_other", "70"],
        ].map(([field, value]) => ({
            content: `Score ${field}`,
            trigger: `.o_field_widget[name='${field}'] input`,
            run: `edit ${value}`,
        })),
        {
            content: "Leave the field",
            trigger: ".o_field_widget[name='score_standing'] input",
            run: "click",
        },
        {
            content: "The weighted score follows",
            trigger: ".o_field_widget[name='score']:contains('58')",
        },
        {
            content: "Criteria below the C band need a reason",
            trigger: ".o_field_widget[name='reason'] textarea",
            run: "edit Only the payments were followed in this period",
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
        {
            content: "Open the complaints of the period",
            trigger: ".o_notebook_headers a:contains('Complaints and Actions')",
            run: "click",
        },
        {
            content: "The critical complaint of the period is a fact",
            trigger: ".o_field_widget[name='fact_complaint_severe_count']:contains('1')",
        },
    ],
});
