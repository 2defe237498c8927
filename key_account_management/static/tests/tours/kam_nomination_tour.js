import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("kam_nomination_tour", {
    steps: () => [
        {
            trigger: ".o_notebook_headers a:contains('Key Account')",
            content: "Open the Key Account tab of the customer",
            run: "click",
        },
        {
            trigger: "button[name=action_kam_nominate]",
            content: "Nominate the customer as a key account",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=proposed_tier_id] input",
            content: "Propose a tier",
            run: "edit Tour Strategic",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Strategic')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            content: "Say why",
            run: "edit Orders tripled this year; wants a dedicated fibre network.",
        },
        {
            trigger: ".modal button:contains('Nominate')",
            content: "Send the nomination",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: "button[name=action_kam_view_nomination]",
            content: "The customer now has a nomination waiting for approval",
        },
    ],
});

registry.category("web_tour.tours").add("kam_nomination_approve_tour", {
    steps: () => [
        {
            trigger: ".o_data_row td:contains('Tour Prospect Ltd')",
            content: "Open the nomination to approve",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_approve]",
            content: "Approve it",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
            content: "The nomination is approved",
        },
    ],
});
