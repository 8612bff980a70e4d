import { registry } from "@web/core/registry";
import { ODOO_19 } from "./series_steps";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// My Follow-ups, the team's overdue follow-ups and the follow-up report, in
// the browser. tests/test_tour_followup_queue.py prepares the records and
// checks what the tours leave behind.
const tours = registry.category("web_tour.tours");

/** Fails when a cell or a header of the list is cut (shown with "..."). */
function checkNoColumnCut() {
    const cut = [];
    for (const el of document.querySelectorAll(
        ".o_list_table :is(th, td), .o_list_table :is(th, td) *"
    )) {
        const style = getComputedStyle(el);
        const clips = style.overflowX === "hidden" || style.textOverflow === "ellipsis";
        if (el.offsetParent && clips && el.scrollWidth > el.clientWidth) {
            cut.push(el.textContent.trim());
        }
    }
    if (cut.length) {
        throw new Error(`Cut at ${window.innerWidth}px: ${[...new Set(cut)].join(" | ")}`);
    }
}

/** Fails unless the rows' leads come in this order. */
function checkLeadOrder(expected) {
    const leads = [...document.querySelectorAll(".o_data_row td[name=lead_id]")].map((td) =>
        td.textContent.trim()
    );
    if (JSON.stringify(leads) !== JSON.stringify(expected)) {
        throw new Error(`Rows in the order ${leads.join(", ")}`);
    }
}

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
// the bar of the selected rows' actions (19.0 renamed its class)
const selection = ODOO_19 ? ".o_selection_container" : ".o_list_selection_container";
const selectionButton = (label) => ({
    trigger: `${selection} button:contains('${label}')`,
    run: "click",
});

tours.add("sale_activity_playbooks_my_followups", {
    steps: () =>
        slow([
            {
                content: "Overdue first, then due today, then the largest deals",
                trigger: ".o_sap_followups .o_data_row:first:contains('Overdue big')",
                run: () =>
                    checkLeadOrder([
                        "Overdue big",
                        "Overdue small",
                        "Today big",
                        "Today small",
                        "Later big",
                        "Later small",
                    ]),
            },
            {
                content: "The queue shows the customer, reminder and playbook",
                trigger:
                    ".o_data_row:contains('Overdue big'):contains('Overdue big Inc'):contains('Test cadence')",
            },
            {
                content: "Nothing is cut at this width",
                trigger: ".o_sap_followups .o_data_row",
                run: checkNoColumnCut,
            },
            ...select("Overdue big"),
            ...select("Today small"),
            {
                content: "Salespeople do not reassign",
                trigger: `${selection}:not(:has(button:contains('Reassign')))`,
            },
            selectionButton("Mark as Done"),
            {
                trigger: ".modal .o_field_widget[name=activity_count]:contains('2')",
            },
            {
                trigger: ".modal .o_field_widget[name=feedback] textarea",
                run: "edit Both called back",
            },
            {
                trigger: ".modal button[name=action_done]",
                run: "click",
            },
            {
                content: "A notification says how many were done",
                trigger: ".o_notification:contains('2 follow-ups marked as done.')",
            },
            {
                content: "They left the queue",
                trigger:
                    ".o_sap_followups:not(:has(.o_data_row:contains('Overdue big'))):not(:has(.o_data_row:contains('Today small')))",
            },
            ...select("Later big"),
            selectionButton("Reschedule"),
            {
                content: "Two working days later",
                trigger: ".modal .o_field_widget[name=working_days] input",
                run: "edit 2",
            },
            {
                trigger: ".modal button[name=action_reschedule]",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal))",
            },
            {
                content: "A row opens its lead",
                trigger: ".o_data_row:contains('Today big') td[name=activity_type_id]",
                run: "click",
            },
            {
                trigger: ".o_breadcrumb .active:contains('Today big')",
            },
        ]),
});

tours.add("sale_activity_playbooks_team_overdue_followups", {
    steps: () =>
        slow([
            {
                trigger: ".o_notebook a:contains('Activity Playbooks')",
                run: "click",
            },
            {
                content: "The team's playbooks count their rules",
                trigger:
                    ".o_field_widget[name=playbook_ids] .o_data_row:contains('Test cadence') td[name=rule_count]:contains('1')",
            },
            {
                content: "The team's overdue follow-ups...",
                trigger: "button[name=action_open_overdue_followups]:contains('3')",
                run: "click",
            },
            {
                content: "...open in My Follow-ups, per salesperson, groups open",
                trigger: ".o_sap_followups .o_group_header:contains('Sally Salesman (2)')",
            },
            {
                trigger: ".o_sap_followups .o_group_header:contains('Clark Clicker (1)')",
            },
            {
                trigger: ".o_sap_followups .o_data_row:contains('Overdue big')",
            },
            {
                content: "Whose follow-up a row is shows by default",
                trigger:
                    ".o_sap_followups .o_data_row:contains('Big Deal') td[name=user_id]:contains('Clark Clicker')",
            },
            {
                trigger: ".o_searchview_facet:contains('Overdue')",
            },
            ...select("Big Deal"),
            {
                content: "Sales managers reassign",
                trigger: `${selection} button:contains('Reassign')`,
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=user_id] input",
                run: "edit Sally",
            },
            {
                trigger: ".dropdown-item:contains('Sally Salesman')",
                run: "click",
            },
            {
                trigger: ".modal button[name=action_reassign]",
                run: "click",
            },
            {
                content: "A notification says how many went to whom",
                trigger: ".o_notification:contains('1 follow-up reassigned to Sally Salesman.')",
            },
            {
                content: "Sally now has the three of them",
                trigger: ".o_sap_followups .o_group_header:contains('Sally Salesman (3)')",
            },
        ]),
});

tours.add("sale_activity_playbooks_report_list", {
    steps: () =>
        slow([
            {
                content: "The report's list: no column is cut",
                trigger: ".o_list_view .o_data_row:contains('Overdue big')",
                run: checkNoColumnCut,
            },
            ...select("Today big"),
            {
                content: "Open follow-ups have My Follow-ups' actions",
                trigger: `${selection} button:contains('Mark as Done')`,
                run: "click",
            },
            {
                trigger: ".modal button[name=action_done]",
                run: "click",
            },
            {
                trigger: ".o_notification:contains('1 follow-up marked as done.')",
            },
            {
                trigger: ".o_list_view .o_data_row:contains('Today big'):contains('Done on Time')",
            },
            ...select("Overdue big"),
            ...select("Later big"),
            {
                content: "Selected follow-ups open their leads",
                trigger: `${selection} button:contains('Open Leads')`,
                run: "click",
            },
            {
                trigger: ".o_breadcrumb .active:contains('Leads of the Follow-ups')",
            },
            {
                trigger: ".o_list_view .o_data_row:contains('Later big')",
            },
            {
                trigger: ".o_list_view:not(:has(.o_data_row:contains('Today big')))",
            },
            {
                trigger: ".o_breadcrumb .breadcrumb-item a:contains('Follow-ups')",
                run: "click",
            },
            {
                content: "A row opens its lead",
                trigger: ".o_list_view .o_data_row:contains('Later big') td[name=lead_id]",
                run: "click",
            },
            {
                trigger: ".o_breadcrumb .active:contains('Later big')",
            },
        ]),
});
