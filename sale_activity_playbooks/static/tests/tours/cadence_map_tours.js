import { registry } from "@web/core/registry";

// The cadence map in the playbook form (static/src/cadence_map).
// tests/test_tour_cadence_map.py prepares the playbooks.
const tours = registry.category("web_tour.tours");
// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

const MAP = ".o_field_widget[name=line_ids] .o_sap_cadence_map";

/** Fail when an arrow of the map runs through a box that is neither its
 * source nor its target (it would seem to start there). */
function checkNoArrowThroughABox() {
    const map = document.querySelector(MAP);
    const boxes = [...map.querySelectorAll(".o_sap_cadence_node")].map((node) => {
        const rect = node.querySelector("rect");
        const [x, y, width, height] = ["x", "y", "width", "height"].map((name) =>
            Number(rect.getAttribute(name))
        );
        return { id: node.dataset.node, x, y, width, height };
    });
    for (const arrow of map.querySelectorAll(".o_sap_cadence_arrow")) {
        const { source, target } = arrow.dataset;
        const line = arrow.querySelector(".o_sap_cadence_line");
        const length = line.getTotalLength();
        for (let step = 0; step <= 100; step++) {
            const point = line.getPointAtLength((length * step) / 100);
            const box = boxes.find(
                (box) =>
                    box.id !== source &&
                    box.id !== target &&
                    point.x > box.x + 2 &&
                    point.x < box.x + box.width - 2 &&
                    point.y > box.y + 2 &&
                    point.y < box.y + box.height - 2
            );
            if (box) {
                throw new Error(`The arrow from ${source} to ${target} runs through ${box.id}`);
            }
        }
    }
}

tours.add("sale_activity_playbooks_cadence_map", {
    steps: () =>
        slow([
            {
                content: "Activity types are boxes",
                trigger: `${MAP} .o_sap_cadence_node_type:contains('Email')`,
            },
            {
                trigger: `${MAP} .o_sap_cadence_node_type:contains('Call')`,
            },
            {
                content: "The goal and the stop rule are exits",
                trigger: `${MAP} .o_sap_cadence_node_exit:contains('Goal: Won')`,
            },
            {
                trigger: `${MAP} .o_sap_cadence_node_exit:contains('Stop')`,
            },
            {
                content: "The stop rule's arrow passes the Meeting's box, not through it",
                trigger: `${MAP} .o_sap_cadence_arrow.o_sap_cadence_stop`,
                run: checkNoArrowThroughABox,
            },
            {
                content: "A suggestion is dashed",
                trigger: `${MAP} .o_sap_cadence_arrow.o_sap_cadence_suggest`,
            },
            {
                content: "The retry loop says its outcome and limit",
                trigger: `${MAP} .o_sap_cadence_arrow .o_sap_cadence_label:contains('No answer'):contains('at most 3 times')`,
            },
            {
                content: "Nothing fired in the last 90 days",
                trigger: `${MAP}[data-period='90'] .o_sap_cadence_figures:contains('0 fired')`,
            },
            {
                content: "Figures of the last 365 days",
                trigger: `${MAP} .o_sap_cadence_period`,
                run: "select 365",
            },
            {
                content: "The arrow of the email rule has its figures",
                trigger: `${MAP} .o_sap_cadence_arrow .o_sap_cadence_figures:contains('2 fired · 1 on time · 1 won after')`,
            },
            {
                content: "Click the arrow",
                trigger: `${MAP} .o_sap_cadence_arrow:has(.o_sap_cadence_figures:contains('2 fired')) .o_sap_cadence_label`,
                run: "click",
            },
            {
                content: "The rule's dialog opens",
                trigger:
                    ".modal .o_sap_rule_sentence:contains('When Email is marked as done, schedule Call 2 days after its deadline')",
            },
            {
                trigger: ".modal .o_form_button_cancel",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal))",
            },
            {
                content: "Stop on Reply: an exit at once",
                trigger: ".o_field_widget[name=stop_on_reply] input",
                run: "click",
            },
            {
                trigger: `${MAP} .o_sap_cadence_node_exit:contains('Customer replies')`,
            },
            {
                content: "Add a rule",
                trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=activity_type_id] input",
                run: "edit Meeting",
            },
            {
                trigger: ".dropdown-item:contains('Meeting')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=next_type_ids] input",
                run: "edit Create Quote",
            },
            {
                trigger: ".dropdown-item:contains('Create Quote')",
                run: "click",
            },
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "The unsaved rule is on the map at once",
                trigger: `${MAP} .o_sap_cadence_node_type:contains('Create Quote')`,
            },
            {
                trigger: `${MAP} .o_sap_cadence_arrow.o_sap_cadence_unsaved`,
            },
            {
                content: "Its arrow opens it too",
                trigger: `${MAP} .o_sap_cadence_arrow.o_sap_cadence_unsaved .o_sap_cadence_label`,
                run: "click",
            },
            {
                trigger:
                    ".modal .o_sap_rule_sentence:contains('When Meeting is marked as done, schedule Create Quote')",
            },
            {
                trigger: ".modal .o_form_button_cancel",
                run: "click",
            },
            {
                content: "Discard the playbook's changes",
                trigger: "body:not(:has(.modal)) .o_form_button_cancel",
                run: "click",
            },
            {
                content: "The unsaved rule leaves the map with them",
                trigger: `${MAP}:not(:has(.o_sap_cadence_unsaved)) .o_sap_cadence_arrow`,
            },
            {
                trigger: ".o_form_saved, .o_form_readonly, body:not(:has(.o_form_dirty))",
            },
        ]),
});

tours.add("sale_activity_playbooks_cadence_map_20_rules", {
    steps: () =>
        slow([
            {
                content: "The map of twenty rules is drawn",
                trigger: `${MAP}[data-render-ms] .o_sap_cadence_arrow`,
                run() {
                    const map = document.querySelector(MAP);
                    const rules = new Set(
                        [...map.querySelectorAll(".o_sap_cadence_arrow")].map((g) => g.dataset.rule)
                    );
                    if (rules.size !== 20) {
                        throw new Error(`20 rules expected on the map, not ${rules.size}`);
                    }
                    console.log(
                        `sale_activity_playbooks: cadence map of ${rules.size} rules: ` +
                            `layout and drawing ${map.dataset.renderMs} ms`
                    );
                },
            },
            {
                content: "No arrow of the twenty runs through a box",
                trigger: `${MAP} .o_sap_cadence_arrow`,
                run: checkNoArrowThroughABox,
            },
            {
                content: "On a phone, the map keeps its size and scrolls sideways",
                trigger: `${MAP} .o_sap_cadence_scroll`,
                run() {
                    const scroll = document.querySelector(`${MAP} .o_sap_cadence_scroll`);
                    if (window.innerWidth <= 500 && !(scroll.scrollWidth > scroll.clientWidth && scroll.clientWidth <= window.innerWidth)) {
                        throw new Error(
                            `The map must scroll within the ${window.innerWidth} px screen ` +
                                `(${scroll.scrollWidth} px wide in ${scroll.clientWidth} px)`
                        );
                    }
                },
            },
            {
                content: "Ask for another period, and time it",
                trigger: `${MAP} .o_sap_cadence_period`,
                run() {
                    window.__sapMapAsked = performance.now();
                    const period = document.querySelector(`${MAP} .o_sap_cadence_period`);
                    period.value = "all";
                    period.dispatchEvent(new Event("change", { bubbles: true }));
                },
            },
            {
                trigger: `${MAP}[data-period='all'][data-render-ms]`,
                run() {
                    const total = performance.now() - window.__sapMapAsked;
                    const map = document.querySelector(MAP);
                    console.log(
                        `sale_activity_playbooks: cadence map of 20 rules for another period: ` +
                            `${total.toFixed(1)} ms from the click to the map drawn ` +
                            `(request included; layout and drawing ${map.dataset.renderMs} ms)`
                    );
                },
            },
        ]),
});

tours.add("sale_activity_playbooks_step_report_map", {
    steps: () =>
        slow([
            {
                content: "Filter Playbook Steps on one playbook",
                trigger: ".o_searchview_input",
                run: "edit Map cadence",
            },
            {
                // 18.0: .o_menu_item, 19.0: .o-dropdown-item
                trigger: [".o_menu_item", ".o-dropdown-item"]
                    .map((item) => `.o_searchview_autocomplete ${item}:contains('Playbook'):contains('Map cadence')`)
                    .join(", "),
                run: "click",
            },
            {
                trigger: ".o_searchview_facet:contains('Map cadence')",
            },
            {
                content: "The report's Map button",
                trigger: ".o_sap_step_report_map",
                run: "click",
            },
            {
                content: "The playbook's map, with the report's filters",
                trigger: ".o_breadcrumb .active:contains('Map cadence')",
            },
            {
                trigger: `${MAP}[data-period='report'] .o_sap_cadence_period`,
            },
            {
                content: "Its figures: every date, as the report's",
                trigger: `${MAP} .o_sap_cadence_figures:contains('2 fired · 1 on time · 1 won after')`,
            },
        ]),
});
