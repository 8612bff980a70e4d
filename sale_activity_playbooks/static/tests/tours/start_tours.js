import { registry } from "@web/core/registry";
import { ODOO_19 } from "./series_steps";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// Starting a playbook on leads selected in the list.
// tests/test_tour_start.py prepares the records and checks what it planned.
const tours = registry.category("web_tour.tours");

const select = (lead) => [
    {
        content: `Select ${lead}`,
        trigger: `.o_data_row:contains('${lead}') .o_list_record_selector input:not(:checked)`,
        run: "click",
    },
    {
        trigger: `.o_data_row:contains('${lead}') .o_list_record_selector input:checked`,
    },
];
// the bar of the selected rows (19.0 renamed its class)
const selection = ODOO_19 ? ".o_selection_container" : ".o_list_selection_container";

tours.add("sale_activity_playbooks_start_from_list", {
    steps: () =>
        slow([
            ...select("Tour Lead A"),
            ...select("Tour Lead B"),
            {
                trigger: `${selection}:contains('2')`,
            },
            {
                content: "The list's Actions menu",
                trigger: ".o_cp_action_menus button:has(.fa-cog)",
                run: "click",
            },
            {
                trigger: ".dropdown-item:contains('Start playbook')",
                run: "click",
            },
            {
                content: "The wizard says how many leads will start",
                trigger:
                    ".modal .o_field_widget[name=playbook_id]:contains('Tour cadence'), .modal .o_field_widget[name=playbook_id] input:value('Tour cadence')",
            },
            {
                trigger: ".modal .o_field_widget[name=start_count]:contains('2')",
            },
            {
                trigger: ".modal button[name=action_start]",
                run: "click",
            },
            {
                trigger: ".o_notification:contains('Tour cadence started on 2 leads.')",
            },
        ]),
});
