import { registry } from "@web/core/registry";
import {
    activityTypeIs,
    chooseActivityType,
    chooseInSelection,
    dateIs,
    editDate,
    ODOO_19,
    SUGGESTED_TYPES,
} from "./series_steps";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// What salespeople and their managers do with playbooks, in the browser. The
// Python tests (tests/test_tour_followups.py) prepare the records, open the
// lead and check what the tours leave behind.
const tours = registry.category("web_tour.tours");

/** Fails unless the dialog shows one row of activity-type buttons: the
 * suggestions (18.0), or the types with the suggestions marked (19.0). */
function checkOneRowOfTypes() {
    const rows = ["playbook_recommended_type_id", "activity_type_id"].filter((name) => {
        const field = document.querySelector(`.modal .o_field_widget[name=${name}]`);
        return field?.offsetParent && field.querySelector(".o_selection_badge");
    });
    if (rows.length !== 1) {
        throw new Error(`${rows.length} rows of activity types: ${rows.join(", ")}`);
    }
}

tours.add("sale_activity_playbooks_done_schedule_next", {
    steps: () =>
        slow([
            {
                content: "Schedule an activity from the lead's chatter",
                trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-activity",
                run: "click",
            },
            ...chooseActivityType("Email"),
            activityTypeIs("Email"),
            // due on 2 December 2030
            ...editDate("date_deadline", "12/02/2030"),
            dateIs("date_deadline", "12/02/2030"),
            {
                trigger: ".modal button[name=action_schedule_activities]",
                run: "click",
            },
            {
                content: "Mark the email done...",
                trigger: ".o-mail-Activity:contains('Email') .o-mail-Activity-markDone",
                run: "click",
            },
            {
                content: "...and schedule the next step",
                trigger: ".o-mail-ActivityMarkAsDone button:contains('Done & Schedule Next')",
                run: "click",
            },
            {
                content: "The playbook says what it suggests",
                trigger:
                    ".modal .o_sap_playbook_suggestion:contains('When Email is marked as done, suggest Call or Meeting 2 days after its deadline')",
            },
            {
                content: "Call and Meeting are suggested",
                trigger: `${SUGGESTED_TYPES}:contains('Meeting')`,
            },
            {
                content: "One row of activity types",
                trigger: `${SUGGESTED_TYPES}:contains('Call')`,
                run: checkOneRowOfTypes,
            },
            {
                trigger: `${SUGGESTED_TYPES}:contains('Call')`,
                run: "click",
            },
            // the call is due 2 days after the email
            dateIs("date_deadline", "12/04/2030"),
            activityTypeIs("Call"),
            {
                content: "Save the call",
                trigger: ".modal button[name=action_close_dialog]:contains('Save')",
                run: "click",
            },
            {
                content: "The call line shows the playbook that planned it, details closed",
                trigger:
                    ".o-mail-Activity:contains('Call'):not(:has(.o-mail-Activity-details)) .o-sap-PlaybookBadge:contains('Standard sales cadence')",
            },
            {
                trigger: ".o-mail-Activity:contains('Call') .fa-info-circle",
                run: "click",
            },
            {
                content: "Its details say which playbook, without 'from'",
                trigger:
                    ".o-mail-Activity:contains('Call') .o-sap-Activity-playbook td:last-child:contains('Standard sales cadence'):not(:contains('from'))",
            },
        ]),
});

tours.add("sale_activity_playbooks_call_done", {
    steps: () =>
        slow([
            {
                content: "Mark the call done",
                trigger: ".o-mail-Activity:contains('Call') .o-mail-Activity-markDone",
                run: "click",
            },
            {
                trigger: ".o-mail-ActivityMarkAsDone textarea",
                run: "edit She wants a quote for 40 chairs",
            },
            {
                trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
                run: "click",
            },
            {
                content: "The salesperson is told which follow-up the playbook planned",
                trigger: ".o_notification:contains('Create Quote planned for')",
                run() {
                    // the day in the user's date format, as the chatter's notes
                    const text = [...document.querySelectorAll(".o_notification")]
                        .map((toast) => toast.textContent)
                        .join(" | ");
                    if (!/planned for \d\d\/\d\d\/\d{4} \(Standard sales cadence\)/.test(text)) {
                        throw new Error(`Toast: ${text}`);
                    }
                },
            },
            {
                content: "The quote is planned for the lead's salesperson",
                trigger:
                    ".o-mail-Activity:contains('Prepare and send the quotation'):contains('for Sally Owner') .fa-info-circle",
                run: "click",
            },
            {
                trigger: ".o-mail-Activity-details td:contains('Create Quote')",
            },
            {
                trigger: ".o-mail-Message:contains('She wants a quote for 40 chairs')",
            },
        ]),
});

tours.add("sale_activity_playbooks_reminder_due", {
    steps: () =>
        slow([
            {
                content: "A due follow-up is a reminder",
                trigger: ".o-mail-Activity:contains('Today:') .o-sap-ReminderBadge:contains('Reminder')",
            },
            {
                trigger: ".o-mail-Activity-iconContainer .fa-bell",
            },
            {
                content: "It is not escalated yet",
                trigger: ".o-mail-Activity:not(:has(.o-sap-EscalatedBadge))",
            },
        ]),
});

tours.add("sale_activity_playbooks_reminder_escalated", {
    steps: () =>
        slow([
            {
                content: "The escalated follow-up says so",
                trigger:
                    ".o-mail-Activity:contains('overdue') .o-sap-EscalatedBadge:contains('Escalated')",
            },
            {
                trigger: ".o-mail-Activity .o-sap-ReminderBadge",
            },
            {
                content: "Its details tell when",
                trigger: ".o-mail-Activity .fa-info-circle",
                run: "click",
            },
            {
                trigger: ".o-mail-Activity-details td:contains('Escalated')",
            },
        ]),
});

tours.add("sale_activity_playbooks_manager_creates_playbook", {
    steps: () =>
        slow([
            {
                content: "A new playbook",
                trigger: ".o_list_button_add",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=name] input",
                run: "edit Trade fair leads",
            },
            {
                content: "Followed by the Trade Fair team",
                trigger: ".o_field_widget[name=team_ids] input",
                run: "edit Trade Fair",
            },
            {
                trigger: ".dropdown-item:contains('Trade Fair Team')",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=team_ids] .o_tag:contains('Trade Fair Team')",
            },
            // Rule 1: when a meeting is done, schedule a quote the next day
            {
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
                trigger: ".modal .o_field_widget[name=delay_count] input",
                run: "edit 1",
            },
            ...chooseInSelection("delay_from", "after completion"),
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "The rule reads as a sentence",
                trigger:
                    ".o_field_widget[name=line_ids] td:contains('When Meeting is marked as done, schedule Create Quote 1 day after completion')",
            },
            // Rule 2: when the quote is done, follow it up a week later
            {
                trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=activity_type_id] input",
                run: "edit Create Quote",
            },
            {
                trigger: ".dropdown-item:contains('Create Quote')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=next_type_ids] input",
                run: "edit Follow-up on Quote",
            },
            {
                trigger: ".dropdown-item:contains('Follow-up on Quote')",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=delay_count] input",
                run: "edit 5",
            },
            ...chooseInSelection("delay_unit", "working days"),
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                trigger:
                    ".o_field_widget[name=line_ids] td:contains('When Create Quote is marked as done, schedule Follow-up on Quote 5 working days after its deadline')",
            },
            {
                content: "Save the playbook",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                trigger: ".o_breadcrumb .active:contains('Trade fair leads')",
            },
        ]),
});

tours.add("sale_activity_playbooks_rule_dialog", {
    steps: () =>
        slow([
            {
                content: "The playbooks count their rules",
                trigger: ".o_data_row:contains('Standard sales cadence') td[name=rule_count]:contains('6')",
            },
            {
                trigger: ".o_data_row:contains('Standard sales cadence') td[name=name]",
                run: "click",
            },
            {
                content: "Open the rule on emails",
                trigger:
                    ".o_field_widget[name=line_ids] .o_data_row:contains('When Email is marked as done') td",
                run: "click",
            },
            {
                content: "The dialog is about one rule...",
                trigger: ".modal .modal-title:contains('Rule'):not(:contains('Rules'))",
            },
            {
                content: "...and reads it as a sentence",
                trigger:
                    ".modal .o_sap_rule_sentence:contains('When Email is marked as done, suggest Call or Meeting 2 days after its deadline')",
            },
            {
                trigger: ".modal .o_field_widget[name=delay_count] input",
                run: "edit 3 && press Tab",
            },
            {
                content: "The sentence follows the edit",
                trigger:
                    ".modal .o_sap_rule_sentence:contains('suggest Call or Meeting 3 days after its deadline')",
            },
            ...chooseInSelection("chaining_type", "Trigger"),
            {
                trigger:
                    ".modal .o_sap_rule_sentence:contains('When Email is marked as done, schedule Call or Meeting 3 days after its deadline')",
            },
            {
                trigger: ".modal .o_form_button_cancel",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal))",
            },
            {
                content: "A new rule",
                trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: ".modal .modal-title:contains('Create Rule')",
            },
            {
                trigger: ".modal .o_field_widget[name=activity_type_id] input",
                run: "edit Create Quote",
            },
            {
                trigger: ".dropdown-item:contains('Create Quote')",
                run: "click",
            },
            {
                trigger:
                    ".modal .o_sap_rule_sentence:contains('When Create Quote is marked as done, schedule ... on its deadline')",
            },
            {
                trigger: ".modal .o_form_button_cancel",
                run: "click",
            },
            {
                trigger: "body:not(:has(.modal))",
            },
            {
                trigger: ".o_notebook a:contains('Reminders')",
                run: "click",
            },
            {
                content: "Escalation after 0 days is off",
                trigger: ".o_field_widget[name=escalation_days] input",
                run: "edit 0 && press Tab",
            },
            {
                trigger: ".o_row:has(.o_field_widget[name=escalation_days]) .o_sap_off:contains('off')",
            },
            {
                trigger: ".o_field_widget[name=neglect_days] input",
                run: "edit 0 && press Tab",
            },
            {
                content: "Neglect after 0 days is off",
                trigger: ".o_row:has(.o_field_widget[name=neglect_days]) .o_sap_off:contains('off')",
            },
            {
                trigger: ".o_field_widget[name=neglect_days] input",
                run: "edit 14 && press Tab",
            },
            {
                trigger:
                    ".o_row:has(.o_field_widget[name=neglect_days]):not(:has(.o_sap_off)):contains('days without activity')",
            },
            {
                trigger: ".o_form_button_cancel",
                run: "click",
            },
        ]),
});

/** Fails when the suggestion chips stand further above the activity type
 * than two fields of the form stand apart (18.0; 19.0 marks the suggestions
 * in the row of types). */
function checkSuggestionGap() {
    if (ODOO_19) {
        return checkOneRowOfTypes(); // the suggestions are in the row of types
    }
    const modal = document.querySelector(".modal");
    const field = (name) => modal.querySelector(`.o_field_widget[name=${name}]`);
    const chips = [...field("playbook_recommended_type_id").querySelectorAll(".o_selection_badge")];
    const chipsBottom = Math.max(...chips.map((chip) => chip.getBoundingClientRect().bottom));
    const top = (name) =>
        (field(name).closest(".o_wrap_field") || field(name)).getBoundingClientRect().top;
    const gap = top("activity_type_id") - chipsBottom;
    const rhythm = top("summary") - field("activity_type_id").getBoundingClientRect().bottom;
    if (gap > rhythm + 4) {
        throw new Error(`${gap}px between the suggestions and the activity type (${rhythm}px between fields)`);
    }
}

tours.add("sale_activity_playbooks_done_dialog_dutch_narrow", {
    steps: () =>
        slow([
            {
                trigger: ".o-mail-Activity:contains('Stuur de brochure') .o-mail-Activity-markDone",
                run: "click",
            },
            {
                trigger: ".o-mail-ActivityMarkAsDone button:contains('Gereed & nieuwe activiteit')",
                run: "click",
            },
            {
                content: "The title of Odoo's own dialog",
                trigger: ".modal .modal-title:contains('Activiteit inplannen')",
            },
            {
                content: "The rule in plain Dutch",
                trigger:
                    ".modal .o_sap_playbook_suggestion:contains('Standaard verkoopritme: Als E-mail gereed is, stel dan 2 dagen na de deadline Bellen of Afspraak voor.')",
            },
            {
                trigger: `${SUGGESTED_TYPES}:contains('Afspraak')`,
            },
            {
                content: "The suggestions sit right above the activity type",
                ...activityTypeIs("Bellen"),
                run: checkSuggestionGap,
            },
        ]),
});

tours.add("sale_activity_playbooks_followup_planned", {
    steps: () =>
        slow([
            {
                content: "Schedule an email from the lead's chatter",
                trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-activity",
                run: "click",
            },
            ...chooseActivityType("Email"),
            activityTypeIs("Email"),
            // due on Monday 2 December 2030
            ...editDate("date_deadline", "12/02/2030"),
            dateIs("date_deadline", "12/02/2030"),
            {
                trigger: ".modal button[name=action_schedule_activities]",
                run: "click",
            },
            {
                content: "The salesperson is told which follow-up the playbook planned",
                trigger:
                    ".o_notification:contains('Follow-up planned for 12/03/2030 (Follow-up discipline)')",
            },
            {
                content: "The follow-up says where it comes from, in its line",
                trigger:
                    ".o-mail-Activity:contains('Follow up on the email') .o-sap-PlaybookBadge:contains('Follow-up discipline')",
            },
            {
                trigger:
                    ".o-mail-Activity:contains('Follow up on the email') .o-sap-ReminderBadge",
            },
        ]),
});
