import { rpcBus } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { editDate } from "./series_steps";

// Cadences that react, in the chatter: outcomes and their branches, a pause,
// a customer's reply. tests/test_tour_cadences.py prepares the records and
// checks what the tours leave behind.
const tours = registry.category("web_tour.tours");
// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// The requests that may change an activity: a Done with an outcome is one of
// them, the outcome in its context (never a write of the outcome first).
const ACTIVITY_CHANGES = ["write", "action_feedback", "action_feedback_schedule_next"];
const activityChanges = [];
function recordActivityChange({ detail }) {
    const params = detail.data.params || {};
    if (params.model === "mail.activity" && ACTIVITY_CHANGES.includes(params.method)) {
        activityChanges.push(params);
    }
}

/** From here on, record the requests that change activities. */
function recordActivityChanges() {
    return {
        content: "Record the requests that change activities",
        trigger: ".o-mail-ActivityMarkAsDone",
        run() {
            activityChanges.length = 0;
            rpcBus.addEventListener("RPC:REQUEST", recordActivityChange);
        },
    };
}

/** Since recordActivityChanges(): one request, ``method``, with the outcome. */
function oneRequestForTheDone(method) {
    return {
        content: `One request for the Done: ${method}, the outcome with it`,
        trigger: "body",
        run() {
            rpcBus.removeEventListener("RPC:REQUEST", recordActivityChange);
            const [done, ...others] = activityChanges;
            if (others.length || done?.method !== method || !done.kwargs.context?.playbook_outcome_id) {
                throw new Error(
                    `A Done with an outcome must be one ${method} request with the outcome, ` +
                        `not ${JSON.stringify(activityChanges)}`
                );
            }
        },
    };
}

tours.add("sale_activity_playbooks_call_no_answer", {
    steps: () =>
        slow([
        {
            content: "Mark the call done",
            trigger: ".o-mail-Activity:contains('Call') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "The call's outcomes are offered",
            trigger: ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip:contains('Reached')",
        },
        {
            content: "Nobody answered",
            trigger: ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip:contains('No answer')",
            run: "click",
        },
        {
            trigger:
                ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip.btn-primary:contains('No answer')",
        },
        recordActivityChanges(),
        {
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            run: "click",
        },
        {
            content: "The done message names the outcome",
            trigger: ".o-mail-Message:contains('Outcome: No answer')",
        },
        oneRequestForTheDone("action_feedback"),
        {
            content: "The branch plans the call again, from the playbook",
            trigger:
                ".o-mail-Activity:contains('Call') .o-sap-PlaybookBadge:contains('Standard sales cadence')",
        },
        {
            content: "and no quote: that is for reached customers",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity:contains('Create Quote')))",
        },
    ]),
});

tours.add("sale_activity_playbooks_call_voicemail_schedule_next", {
    steps: () =>
        slow([
        {
            content: "Mark the call done",
            trigger: ".o-mail-Activity:contains('Call') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "A voicemail was left",
            trigger: ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip:contains('Left a voicemail')",
            run: "click",
        },
        {
            trigger:
                ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip.btn-primary:contains('Left a voicemail')",
        },
        recordActivityChanges(),
        {
            trigger: ".o-mail-ActivityMarkAsDone button:contains('Done & Schedule Next')",
            run: "click",
        },
        {
            content: "The done message names the outcome",
            trigger: ".o-mail-Message:contains('Outcome: Left a voicemail')",
        },
        {
            content: "The branch plans the call again: nothing left to schedule",
            trigger:
                ".o-mail-Activity:contains('Call') .o-sap-PlaybookBadge:contains('Standard sales cadence')",
        },
        oneRequestForTheDone("action_feedback_schedule_next"),
        {
            trigger: "body:not(:has(.modal))",
        },
    ]),
});

tours.add("sale_activity_playbooks_pause_lead", {
    steps: () =>
        slow([
        {
            content: "Pause the lead's follow-ups",
            trigger: ".o_form_statusbar button[name=action_pause_playbook_followups]",
            run: "click",
        },
        ...editDate("date", "12/03/2030"),
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Back from holiday on the 3rd",
        },
        {
            trigger: ".modal button[name=action_pause]",
            run: "click",
        },
        {
            content: "The lead says its follow-ups are paused",
            trigger: ".o_sap_paused:contains('Follow-ups paused until')",
        },
        {
            content: "The reason is in the chatter",
            trigger: ".o-mail-Message:contains('Back from holiday on the 3rd')",
        },
        {
            trigger: ".o_form_statusbar button[name=action_resume_playbook_followups]",
        },
    ]),
});

tours.add("sale_activity_playbooks_customer_replied", {
    steps: () =>
        slow([
        {
            content: "The customer's reply is in the chatter",
            trigger: ".o-mail-Message .o-mail-Message-author:contains('Carla Customer')",
        },
        {
            content: "It closed the follow-up, and says so",
            trigger: ".o-mail-Message:contains('Carla Customer replied on')",
        },
        {
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity:contains('Follow up on the email')))",
        },
    ]),
});
