import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";
import { clickSmartButton, openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_scorecard_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='spreadsheet_dashboard.spreadsheet_dashboard_menu_root']",
            content: "Open the Dashboards app",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value:contains('Key Accounts')",
            content: "Open the Key Accounts dashboard",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value.active:contains('Key Accounts')",
            content: "The Key Accounts dashboard is selected",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-figure",
            content: "Its charts are drawn",
        },
        ...openKeyAccountsApp(),
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_reporting']",
            content: "Open Reporting",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_scorecard_menu']",
            content: "Open the KAM scorecards",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Tess Tour') td[name=period_label]",
            content: "Open the key account manager's scorecard of the year",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=revenue_achievement]:contains('50.0')",
            content: "Half of the target is reached",
        },
        clickSmartButton("action_view_accounts", "Drill down to the accounts behind the figure"),
        {
            trigger: ".o_data_row:contains('Tour Scorecard Co') .o_data_cell",
            content: "Open the key account",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_breadcrumb:contains('Tour Scorecard Co')",
            content: "The account form is open",
        },
    ],
});
