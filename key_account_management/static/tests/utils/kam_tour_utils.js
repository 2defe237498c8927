import { stepUtils } from "@web_tour/tour_utils";

/**
 * Tour step that clicks a smart button of the open form, also when the button box is full
 * and Odoo has moved the button into its "More" dropdown (the partner form has many).
 */
export function clickSmartButton(name, content) {
    return {
        trigger: ".o_form_view .o-form-buttonbox",
        content: content || `Click the smart button ${name}`,
        async run() {
            const selector = `button[name='${name}']`;
            let button = document.querySelector(`.o_form_view .o-form-buttonbox ${selector}`);
            if (!button) {
                document.querySelector(".o_form_view .o-form-buttonbox .o_button_more").click();
                for (let i = 0; i < 50 && !button; i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    button = document.querySelector(`.o-dropdown--menu ${selector}`);
                }
            }
            button.click();
        },
    };
}

/** Steps that open the Key Accounts app from the home menu. */
export function openKeyAccountsApp() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='key_account_management.key_account_management_menu_root']",
            content: "Open the Key Accounts app",
            run: "click",
        },
    ];
}
