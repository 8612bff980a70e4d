import { registry } from "@web/core/registry";
import {
    activityTypeIs,
    chooseActivityType,
    chooseInSelection,
    dateIs,
    editDate,
} from "./series_steps";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// What salespeople and their managers do with playbooks, in the browser. The
// Python tests (tests/test_tour_followups.py) prepare the records, open the
// lead and check what the tours leave behind.
const tours = registry.category("web_tour.tours");
const suggestions = ".modal .o_field_widget[name=playbook_recommended_type_id]";

tours.add("sale_activity_playbooks_done_schedule_next", {
    steps: () => slow([
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
            trigger: `${suggestions} :contains('Meeting')`,
        },
        {
            trigger: `${suggestions} :contains('Call')`,
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
    steps: () => slow([
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
    ],
});

tours.add("sale_activity_playbooks_followup_planned", {
    steps: () => [
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
                ".o_notification:contains('Follow-up planned for Tue 3 Dec (Follow-up discipline)')",
        },
        {
            content: "The follow-up says where it comes from, in its line",
            trigger:
                ".o-mail-Activity:contains('Follow up on the email') .o-sap-PlaybookBadge:contains('Follow-up discipline')",
        },
        {
            trigger: ".o-mail-Activity:contains('Follow up on the email') .o-sap-ReminderBadge",
        },
    ]),
});
