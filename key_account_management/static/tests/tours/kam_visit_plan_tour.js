import { registry } from "@web/core/registry";
import { openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_visit_plan_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_visits']",
            content: "Open the Visits menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_visit_menu']",
            content: "Open my visits",
            run: "click",
        },
        {
            trigger: ".o_calendar_view",
            content: "Visits open in the calendar",
        },
        {
            trigger: ".o_searchview_facet:contains('My Visits This Week')",
            content: "The KAM lands on their visits of this week",
        },
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_visits']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_visit_plan_menu']",
            content: "Open the visit plans",
            run: "click",
        },
        {
            trigger: "button[name=action_prepare_next_period]",
            content: "Prepare next month's plan",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=visit_ids] .o_data_row:contains('Tour Due Account')",
            content: "The plan has a visit for the account due next month",
        },
        {
            trigger: "button[name=action_submit]",
            content: "Submit the plan",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
            content: "The plan is submitted",
        },
    ],
});
