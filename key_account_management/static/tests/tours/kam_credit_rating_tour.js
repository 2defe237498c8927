import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("kam_credit_rating_request_tour", {
    steps: () => [
        {
            trigger: ".o_notebook_headers a:contains('Key Account')",
            content: "Open the Key Account tab of the account",
            run: "click",
        },
        {
            trigger: "button[name=action_kam_request_credit_rating]",
            content: "Request a change of its credit rating",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=new_rating_id] input",
            content: "Choose the new rating",
            run: "edit Tour Excellent",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Excellent')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            content: "Say why",
            run: "edit Three years without a late payment.",
        },
        {
            trigger: ".modal button[name=action_submit]",
            content: "Submit the request to the directors",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("kam_credit_rating_approve_tour", {
    steps: () => [
        {
            trigger: ".o_data_row td:contains('Tour Bank Ltd')",
            content: "Open the credit rating request",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_approve]",
            content: "Approve it",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
            content: "The request is approved",
        },
    ],
});
