import { registry } from "@web/core/registry";
import { chooseInSelection } from "./series_steps";

// The rule dialog of the playbook form, Try It, and the pause banner of a
// lead. tests/test_tour_rule_dialog.py prepares the records and checks what
// the tours leave behind.
const tours = registry.category("web_tour.tours");
// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

/** Close Odoo's warning dialog (an onchange's warning). */
function closeWarning() {
    return [
        {
            trigger: ".o_error_dialog .o-default-button",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ];
}

const branch = "When Call is marked as done with No answer or Left a voicemail";

tours.add("sale_activity_playbooks_rule_dialog_says_what_changed", {
    steps: () =>
        slow([
            {
                content: "Open the stop rule",
                trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Not interested, stop') td",
                run: "click",
            },
            {
                trigger: ".modal .o_sap_rule_sentence:contains('When Call is marked as done with Not interested, stop')",
            },
            {
                content: "A stop rule plans no next activity: nothing about one is shown",
                trigger:
                    ".modal .o_form_view:has(.o_field_widget[name=chaining_type])" +
                    ":not(:has(.o_field_widget[name=summary]))" +
                    ":not(:has(.o_field_widget[name=note]))" +
                    ":not(:has(.o_field_widget[name=next_type_ids]))" +
                    ":not(:has(.o_field_widget[name=delay_count]))",
            },
            {
                trigger: ".modal .o_form_button_cancel",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal))",
            },
            {
                content: "Open the rule on calls nobody answered",
                trigger: `.o_field_widget[name=line_ids] .o_data_row:contains('${branch}') td`,
                run: "click",
            },
            {
                trigger: `.modal .o_sap_rule_sentence:contains('${branch}, suggest Meeting')`,
            },
            {
                content: "A rule that does not stop has its summary",
                trigger: ".modal .o_field_widget[name=summary] input",
            },
            ...chooseInSelection("trigger_on", "is scheduled"),
            {
                content: "What no longer applies is cleared, and said",
                trigger:
                    ".o_error_dialog:contains('The rule was changed')" +
                    ":contains('No answer or Left a voicemail no longer applies')" +
                    ":contains('Only a rule on a done activity can suggest')",
            },
            ...closeWarning(),
            {
                trigger:
                    ".modal .o_sap_rule_sentence:contains('When Call is scheduled, schedule Meeting on its deadline, at most 2 times per lead')",
            },
            {
                content: "A negative limit",
                trigger: ".modal .o_field_widget[name=repeat_limit] input",
                run: "edit -3 && press Tab",
            },
            {
                content: "is refused in the dialog, naming the rule",
                trigger:
                    ".o_error_dialog:contains('The rule \"When Call is scheduled, schedule Meeting on its deadline\" cannot fire a negative number of times')",
            },
            ...closeWarning(),
            {
                trigger: ".modal .o_field_widget[name=repeat_limit] input:value('2')",
            },
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                trigger:
                    "body:not(:has(.modal)) .o_field_widget[name=line_ids] td:contains('When Call is scheduled, schedule Meeting on its deadline, at most 2 times per lead')",
            },
            {
                content: "Save the playbook",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_form_saved",
            },
        ]),
});

tours.add("sale_activity_playbooks_try_it_stop_row", {
    steps: () =>
        slow([
            {
                trigger: ".o_form_statusbar button[name=action_try]",
                run: "click",
            },
            {
                content: "The stop row has all its cells, and so all its borders",
                trigger:
                    ".modal .o_sap_playbook_preview tbody tr:contains('Not interested'):has(td:nth-child(4))",
            },
            {
                trigger: ".modal .o_sap_playbook_preview tbody tr:contains('No answer'):has(td:nth-child(4))",
            },
        ]),
});

tours.add("sale_activity_playbooks_paused_banner_on_one_line", {
    steps: () =>
        slow([
            {
                content: "The label and the date of the pause banner stay on one line",
                trigger: ".o_sap_paused .o_field_widget[name=playbook_paused_until] span:not(:empty)",
                run() {
                    const banner = document.querySelector(".o_sap_paused");
                    const icon = banner.querySelector(".fa-pause-circle").getBoundingClientRect();
                    const date = banner
                        .querySelector(".o_field_widget[name=playbook_paused_until] span")
                        .getBoundingClientRect();
                    const middle = (rect) => (rect.top + rect.bottom) / 2;
                    const width = document.documentElement.clientWidth;
                    console.log(`pause banner: "${banner.innerText}", ${banner.offsetWidth} px wide on a ${width} px screen`);
                    if (Math.abs(middle(icon) - middle(date)) > icon.height) {
                        throw new Error(`The date is not on the label's line: ${banner.innerText}`);
                    }
                    if (date.right > banner.getBoundingClientRect().right || date.right > width) {
                        throw new Error(`The date runs out of the banner: ${banner.innerText}`);
                    }
                },
            },
        ]),
});
