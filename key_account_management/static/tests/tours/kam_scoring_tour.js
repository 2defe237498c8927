import { registry } from "@web/core/registry";
import { openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_scoring_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_kanban_record:contains('Tour Telecom')",
            content: "Open the account",
            run: "click",
        },
        {
            trigger: ".o_notebook_headers a:contains('Key Account')",
            content: "Open the Key Account tab",
            run: "click",
        },
        {
            trigger: "button[name=action_kam_recompute]",
            content: "Recompute the score now",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=kam_revenue_12m]:contains('5,000.00')",
            content: "The revenue of the last 12 months is shown",
        },
        {
            trigger: ".o_field_widget[name=kam_score_revenue]:contains('35.00')",
            content: "The score breakdown shows the revenue rank points",
        },
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_reporting']",
            content: "Open Reporting",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_pareto_report_menu']",
            content: "Open the Pareto analysis",
            run: "click",
        },
        {
            trigger: ".o_pivot table:contains('5,000.00')",
            content: "The Pareto analysis shows the account's revenue",
        },
    ],
});
