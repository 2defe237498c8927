import { registry } from "@web/core/registry";
import { openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_health_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_accounts']",
            content: "Open the Accounts menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.res_partner_menu_key_accounts_at_risk']",
            content: "Open the at-risk accounts",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Tour Harbour Foods') td[name=kam_health_drag]:contains('Receivables 45 days overdue')",
            content: "The list shows the biggest drag of the account",
        },
        {
            trigger: ".o_data_row:contains('Tour Harbour Foods') td[name=name]",
            content: "Open the account",
            run: "click",
        },
        {
            trigger: ".o_notebook_headers a:contains('Key Account')",
            content: "Open the Key Account tab",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=kam_health_drag]:contains('points')",
            content: "The account shows its biggest drag",
        },
        {
            trigger: ".o_field_widget[name=kam_health_band]:contains('Red')",
            content: "and its health band",
        },
    ],
});
