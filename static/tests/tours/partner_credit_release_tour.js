import { registry } from "@web/core/registry";

// A quotation over the partner's limit: the salesperson's confirmation is refused with
// the figures, they ask finance for a release, a credit manager releases and confirms.

registry.category("web_tour.tours").add("partner_credit_release_request_tour", {
    steps: () => [
        {
            content: "Try to confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Credit control refuses it and says why",
            trigger: ".modal .modal-body:contains('limit')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Ask finance for a release",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_request_credit_release']",
            run: "click",
        },
        {
            content: "The request is on finance's to-do list",
            trigger: ".o-mail-Activity:contains('Emma Release')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_credit_release_tour", {
    steps: () => [
        {
            content: "Open the release dialog",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_credit_release']",
            run: "click",
        },
        {
            content: "The dialog shows the figures of the decision",
            trigger: ".modal .o_field_widget[name='summary']:contains('limit')",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Framework contract signed; payment of next week covers it.",
        },
        {
            content: "Release and confirm",
            trigger: ".modal-footer button[name='action_release_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
    ],
});
