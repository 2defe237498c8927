import { registry } from "@web/core/registry";

/* A contact of a key account files a service request in the portal, then confirms and
   rates a completed one. */
registry.category("web_tour.tours").add("kam_service_portal_tour", {
    url: "/my/service_requests",
    steps: () => [
        {
            trigger: "a.o_kam_service_new",
            content: "File a new request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "form.o_kam_service_new_form input[name=subject]",
            run: "edit Tour: VPN to the data centre is down",
        },
        {
            trigger: "form.o_kam_service_new_form select[name=priority]",
            run: "select 3",
        },
        {
            trigger: "form.o_kam_service_new_form textarea[name=description]",
            run: "edit Since 9:00 our branches cannot reach the data centre.",
        },
        {
            trigger: "form.o_kam_service_new_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "h4:contains('Tour: VPN to the data centre is down')",
            content: "The request is filed",
        },
        {
            trigger: "a.o_kam_service_back",
            content: "Back to the list",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "a:contains('Tour completed request'), td:contains('Tour completed request')",
            content: "The completed request is listed",
        },
        {
            trigger: "tr:has(td:contains('Tour completed request')) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "form.o_kam_service_confirm select[name=rating]",
            run: "select 4",
        },
        {
            trigger: "form.o_kam_service_confirm textarea[name=comment]",
            run: "edit Solved quickly",
        },
        {
            trigger: "form.o_kam_service_confirm button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains('Confirmed on')",
            content: "The request is confirmed",
        },
    ],
});

/* The KAM dispatches a request to a service team, then opens the service level report. */
registry.category("web_tour.tours").add("kam_service_kam_tour", {
    url: "/odoo/action-key_account_management.kam_service_request_action",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Tour printer down')",
            content: "Open the request",
            run: "click",
        },
        {
            trigger: ".o_notebook a.nav-link[name=dispatch]",
            content: "Open the Dispatch tab",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=dispatch_ids] .o_field_x2many_list_row_add a",
            content: "Add a dispatch line",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=dispatch_ids] .o_data_row .o_field_widget[name=team_id] input",
            run: "edit Tour Field Team",
        },
        {
            trigger: ".dropdown-item:contains('Tour Field Team')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=dispatch_ids] .o_data_row .o_field_widget[name=instruction] textarea",
            run: "edit Replace the printer's network card",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Dispatched')",
            content: "The request is dispatched",
        },
        {
            trigger: ".o_main_navbar button:contains('Reporting'), .o_main_navbar [data-menu-xmlid='key_account_management.key_account_management_menu_reporting']",
            content: "Open the Reporting menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='key_account_management.kam_service_report_menu']",
            content: "Open Service Levels",
            run: "click",
        },
        {
            trigger: ".o_pivot_view",
            content: "The service level report is shown",
        },
    ],
});

/* A member of the service team completes the request dispatched to their team. */
registry.category("web_tour.tours").add("kam_service_team_tour", {
    url: "/odoo/action-key_account_management.kam_service_dispatch_action_my",
    steps: () => [
        {
            trigger: ".o_data_row:contains('Tour router down') button[name=action_accept]",
            content: "Accept the dispatch",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Tour router down') button[name=action_done]",
            content: "The dispatch is accepted",
        },
        {
            trigger: "body",
            content: "Open the request",
            run() {
                window.location.href = window.location.origin +
                    "/odoo/action-key_account_management.kam_service_request_action";
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kanban_record:contains('Tour router down')",
            run: "click",
        },
        {
            trigger: ".o_notebook a.nav-link[name=completion]",
            run: "click",
        },
        {
            trigger: ".o_field_html[name=resolution] .odoo-editor-editable",
            content: "Write the resolution",
            run: "editor Router replaced",
        },
        {
            trigger: ".o_statusbar_buttons button[name=action_complete]",
            content: "Complete the request",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Completed')",
            content: "The request is completed",
        },
    ],
});
