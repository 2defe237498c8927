import { registry } from "@web/core/registry";
import { openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_tier_lock_tour", {
    steps: () => [
        {
            trigger: ".o_notebook_headers a:contains('Key Account')",
            content: "Open the Key Account tab",
            run: "click",
        },
        {
            trigger: "button[name=action_kam_lock_tier]",
            content: "Lock the tier",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] input",
            content: "Say why",
            run: "edit Three-year framework contract",
        },
        {
            trigger: ".modal button[name=action_lock]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) button[name=action_kam_unlock_tier]",
            content: "The tier is locked",
        },
    ],
});

registry.category("web_tour.tours").add("kam_handover_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_accounts']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_handover_wizard_menu']",
            content: "Hand accounts over",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=from_user_id] input",
            run: "edit Fiona From",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Fiona From')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_ids] .o_data_row:contains('Handover Account')",
            content: "Her accounts are proposed",
        },
        {
            trigger: ".modal .o_field_widget[name=to_user_id] input",
            run: "edit Toby To",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Toby To')",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_handover]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('handed over')",
            content: "Done",
        },
    ],
});
