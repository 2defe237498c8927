import { registry } from "@web/core/registry";
import { clickSmartButton, openKeyAccountsApp } from "@key_account_management/../tests/utils/kam_tour_utils";

registry.category("web_tour.tours").add("kam_visit_tour", {
    url: "/odoo",
    steps: () => [
        ...openKeyAccountsApp(),
        {
            trigger: ".o_kanban_record:contains('Tour Overdue Account')",
            content: "Open the overdue account",
            run: "click",
        },
        {
            trigger: ".o_notebook a.nav-link[name=key_account]",
            content: "Open the Key Account tab",
            run: "click",
        },
        {
            trigger: ".o_kam_visit_overdue",
            content: "The account is overdue for a visit",
        },
        clickSmartButton("action_view_kam_visits", "Open the account's visits"),
        {
            trigger: ".o_list_button_add",
            content: "Plan a visit",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=objective] input",
            run: "edit Quarterly review",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input:value('Tour Overdue Account')",
            content: "The account is preset",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_status_indicator_buttons:visible))",
            content: "The visit is saved",
        },
        {
            trigger: ".o_notebook a.nav-link[name=report]",
            content: "Open the Report tab",
            run: "click",
        },
        {
            trigger: ".o_field_html[name=summary] .odoo-editor-editable",
            content: "Write the summary",
            run: "editor Renewal agreed with the CIO",
        },
        {
            trigger: ".o_field_widget[name=satisfaction] input",
            run: "edit 5",
        },
        {
            trigger: "button[name=action_done]",
            content: "Complete the visit",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
            content: "The visit is done",
        },
        {
            trigger: ".o_breadcrumb a:contains('Tour Overdue Account')",
            content: "Back to the account",
            run: "click",
        },
        {
            trigger: ".o_notebook a.nav-link[name=key_account]",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(.o_kam_visit_overdue)) .o_field_widget[name=kam_last_visit_date]:not(:empty)",
            content: "The account is no longer overdue",
        },
    ],
});
