import { registry } from "@web/core/registry";
import { openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_tier_configuration_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_main_navbar button[data-menu-xmlid='key_account_management.key_account_management_menu_config']",
            content: "Open Configuration",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_tier_menu']",
            content: "Open Tiers",
            run: "click",
        },
        {
            trigger: ".o_list_button_add",
            content: "Create a tier",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: "edit Platinum",
        },
        {
            trigger: ".o_field_widget[name=code] input",
            run: "edit P",
        },
        {
            trigger: ".o_field_widget[name=visit_interval_days] input",
            run: "edit 7",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_status_indicator_buttons:visible))",
            content: "The tier is saved",
        },
    ],
});
