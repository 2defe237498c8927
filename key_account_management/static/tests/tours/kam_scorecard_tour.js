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
        {
            trigger: ".o_sp_dashboard_search .o_searchview_input",
            content: "Look for a key account manager",
            run: "edit Tess Tour",
        },
        {
            trigger: ".o_searchview_autocomplete .dropdown-item:contains('Key Account Manager') a.o_expand",
            content: "Unfold the key account managers found",
            run: "click",
        },
        {
            trigger: ".o_searchview_autocomplete .dropdown-item.o_indent:contains('Tess Tour')",
            content: "Filter the dashboard on this key account manager",
            run: "click",
        },
        {
            trigger: ".o_sp_dashboard_search .o_searchview_facet:contains('Tess Tour')",
            content: "The dashboard shows this key account manager's figures",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-grid",
            content: "Scroll down to the accounts at risk",
            run() {
                this.anchor.dispatchEvent(new WheelEvent("wheel", { deltaY: 2000, bubbles: true }));
            },
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell[title='Open record']",
            content: "Open the account at risk",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_breadcrumb:contains('Tour Scorecard Co')",
            content: "The account at risk is open",
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
