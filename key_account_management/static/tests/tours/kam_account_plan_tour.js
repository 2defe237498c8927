import { registry } from "@web/core/registry";
import { clickSmartButton, openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_account_plan_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_kanban_record:contains('Tour Harbour Bank')",
            content: "Open the account",
            run: "click",
        },
        clickSmartButton("action_view_kam_account_plans", "Open the account plans of the account"),
        {
            trigger: ".o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new",
            content: "Create a plan for the account",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input:value('Tour Harbour Bank')",
            content: "The account is filled in",
        },
        {
            trigger: ".o_field_widget[name=revenue_target] input",
            run: "edit 750000",
        },
        {
            trigger: ".o_notebook a.nav-link[name=objectives]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=objective_ids] .o_field_x2many_list_row_add a",
            content: "Add an objective",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=objective_ids] .o_data_row .o_field_widget[name=name] textarea",
            run: "edit Open the data centre deal",
        },
        {
            trigger: ".o_notebook a.nav-link[name=actions]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=action_ids] .o_field_x2many_list_row_add a",
            content: "Add an action",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=action_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Meet the CIO",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_status_indicator_buttons:visible))",
            content: "The plan is saved",
        },
        {
            trigger: "button[name=action_submit]",
            content: "Submit the plan",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=submitted]",
            content: "The plan is submitted",
        },
        {
            trigger: "button[name=action_approve]",
            content: "Approve it as director",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=approved]",
            content: "The plan is approved",
        },
        {
            trigger: ".o_notebook a.nav-link[name=whitespace]",
            content: "Look at the whitespace grid",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=whitespace_ids] .o_list_renderer",
        },
        {
            trigger: ".o_notebook a.nav-link[name=opportunities]",
            content: "Look at the opportunities",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=opportunity_ids] .o_list_renderer",
        },
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_reporting']",
            content: "Open Reporting",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_account_plan_menu_plans_vs_actuals']",
            content: "Open Plans vs Actuals",
            run: "click",
        },
        {
            trigger: ".o_pivot",
            content: "The pivot of targets against actuals is shown",
        },
        {
            trigger: ".o_main_navbar a[data-menu-xmlid='key_account_management.kam_target_menu'], .o_main_navbar button[data-menu-xmlid='key_account_management.kam_target_menu']",
            content: "Open Targets",
            run: "click",
        },
        {
            trigger: ".o_list_renderer",
            content: "The targets list is shown",
        },
    ],
});
