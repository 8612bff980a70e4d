import { registry } from "@web/core/registry";
import { ODOO_19 } from "./series_steps";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// Smaller things a user trips over: what a dialog reads, how groups come, what
// fits the screen. tests/test_tour_experience.py prepares the records.
const tours = registry.category("web_tour.tours");
// the bar of the selected rows' actions (19.0 renamed its class)
const selection = ODOO_19 ? ".o_selection_container" : ".o_list_selection_container";

/** The names of the list's group headers, in order. */
function groupNames() {
    return [...document.querySelectorAll(".o_list_view .o_group_header .o_group_name")].map(
        (header) => header.textContent.trim()
    );
}

tours.add("sale_activity_playbooks_reschedule_reads_well", {
    steps: () =>
        slow([
            {
                trigger: ".o_sap_followups .o_data_row:contains('Later big') .o_list_record_selector input",
                run: "click",
            },
            {
                trigger: `${selection} button:contains('Reschedule')`,
                run: "click",
            },
            {
                content: "Postpone by [1] working days: no label repeats the unit",
                trigger: ".modal .o_form_label:contains('Postpone by')",
                run() {
                    const form = document.querySelector(".modal .o_form_view");
                    const text = form.textContent.replace(/\s+/g, " ");
                    if (/Working Days/.test(text) || !/working days/.test(text)) {
                        throw new Error(`The dialog reads: ${text}`);
                    }
                },
            },
            {
                trigger: ".modal .modal-footer button:contains('Discard')",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal))",
            },
        ]),
});

tours.add("sale_activity_playbooks_followups_by_playbook", {
    steps: () =>
        slow([
            {
                trigger: ".o_sap_followups .o_data_row",
            },
            {
                trigger: ".o_control_panel .o_searchview_dropdown_toggler",
                run: "click",
            },
            {
                trigger: ".o_group_by_menu .o_menu_item:contains('Playbook')",
                run: "click",
            },
            {
                content: "Grouped by playbook: the follow-ups of no playbook last",
                trigger: ".o_list_view .o_group_header:contains('Other cadence')",
                run() {
                    const names = groupNames();
                    const none = names.findIndex((name) => name.startsWith("None"));
                    if (names.length !== 3 || none !== names.length - 1) {
                        throw new Error(`Groups in the order ${names.join(", ")}`);
                    }
                },
            },
        ]),
});

tours.add("sale_activity_playbooks_step_report_fits", {
    steps: () =>
        slow([
            {
                content: "The pivot's measures fit the screen",
                trigger: ".o_pivot th.o_pivot_measure_row:contains('Won after (%)')",
                run() {
                    const width = document.documentElement.clientWidth;
                    const cut = [...document.querySelectorAll(".o_pivot th.o_pivot_measure_row")]
                        .filter((th) => th.getBoundingClientRect().right > width)
                        .map((th) => th.textContent.trim());
                    const table = document.querySelector(".o_pivot table");
                    console.log(`Playbook Steps pivot: ${table.offsetWidth}px wide in ${width}px`);
                    if (cut.length) {
                        throw new Error(`Off screen at ${width}px: ${cut.join(", ")}`);
                    }
                },
            },
            {
                trigger: ".o_switch_view.o_list",
                run: "click",
            },
            {
                content: "The list's groups show no count of internal rows",
                trigger: ".o_list_view .o_group_header:contains('Standard sales cadence')",
                run() {
                    const names = groupNames();
                    if (names.some((name) => /\(\d+\)/.test(name))) {
                        throw new Error(`Group headers: ${names.join(", ")}`);
                    }
                },
            },
        ]),
});
