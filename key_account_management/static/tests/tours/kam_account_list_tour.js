import { registry } from "@web/core/registry";

/**
 * Issue 27: the key accounts' list had nineteen columns and cut the names
 * ("Pacific Un…"); the revenue on the list and the kanban had no currency.
 */
function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

registry.category("web_tour.tours").add("kam_account_list_tour", {
    url: "/odoo/action-key_account_management.res_partner_action_key_accounts",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Pacific Union Bank Holdings') [name=kam_revenue_12m]",
            content: "The kanban shows the revenue with its currency",
            run() {
                check(this.anchor.textContent.includes("¥"),
                      `no currency in the kanban's revenue: ${this.anchor.textContent}`);
            },
        },
        {
            trigger: ".o_switch_view.o_list",
            content: "Switch to the list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name=name]:contains('Pacific Union Bank Holdings')",
            content: "The account's name is read whole, among a few columns",
            run() {
                const headers = document.querySelectorAll(".o_list_table thead th[data-name]");
                check(headers.length <= 9, `${headers.length} columns by default`);
                check(this.anchor.scrollWidth <= this.anchor.clientWidth + 1,
                      `the name is cut: ${this.anchor.scrollWidth} > ${this.anchor.clientWidth}`);
                const revenue = this.anchor.closest(".o_data_row")
                    .querySelector("td[name=kam_revenue_12m]");
                check(revenue && revenue.textContent.includes("¥"),
                      `no currency in the list's revenue: ${revenue && revenue.textContent}`);
            },
        },
    ],
});
