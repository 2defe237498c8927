import { registry } from "@web/core/registry";
import { clickSmartButton, openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_decision_unit_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_kanban_record:contains('Tour Harbour Bank')",
            content: "Open the account",
            run: "click",
        },
        clickSmartButton("action_kam_open_org_chart", "Open its org chart"),
        {
            trigger: ".o_hierarchy_view .o_hierarchy_button_add",
            content: "Add a stakeholder",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input:value('Tour Harbour Bank')",
            content: "The account is preset",
        },
        {
            trigger: ".o_field_widget[name=contact_id] input",
            content: "A new person",
            run: "edit Tour Newcomer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Create') a:contains('Tour Newcomer')",
            content: "Create the person in the account",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=role_ids] input",
            content: "Give a role",
            run: "edit Decision Maker",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Decision Maker / Economic Buyer')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=role_ids] .o_tag:contains('Decision Maker')",
            content: "The role is set",
        },
        {
            trigger: ".o_field_widget[name=attitude] .o_select_menu input",
            content: "Set the attitude",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o_select_menu_item:contains('+4 Advocates')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_status_indicator_buttons:visible))",
            content: "The stakeholder is saved",
        },
        {
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Decision Unit of')",
            content: "Back to the org chart",
            run: "click",
        },
        {
            trigger: ".o_hierarchy_node:contains('Tour Newcomer'):contains('+4 Advocates'):contains('Decision Maker')",
            content: "The stakeholder is in the org chart with role and attitude",
        },
    ],
});
