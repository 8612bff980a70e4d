import { registry } from "@web/core/registry";
import { cardSelectionAction } from "./series_steps";

// A salesperson on a 400 px phone: My Follow-ups as cards, a follow-up done
// through the Mark Done popover, two rescheduled at once.
// tests/test_tour_phone.py prepares the records and checks what is left.
const tours = registry.category("web_tour.tours");
// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

/** Fails unless the Mark Done popover fits the screen: within its width,
 * one line per outcome, its buttons above the bottom of the screen. */
function checkPopoverFits() {
    const popover = document.querySelector(".o_popover:has(.o-mail-ActivityMarkAsDone)");
    const box = popover.getBoundingClientRect();
    const problems = [];
    if (box.left < 0 || box.right > window.innerWidth) {
        problems.push(`popover from ${box.left} to ${box.right} px`);
    }
    if (box.width < window.innerWidth * 0.75) {
        problems.push(`popover only ${box.width} px wide`);
    }
    const done = popover.querySelector("button[aria-label='Done']");
    const chips = [...popover.querySelectorAll(".o-sap-OutcomeChip")];
    for (const chip of chips) {
        if (chip.offsetHeight > done.offsetHeight + 1) {
            problems.push(`"${chip.textContent.trim()}" on ${chip.offsetHeight} px`);
        }
        if (chip.getBoundingClientRect().left !== chips[0].getBoundingClientRect().left) {
            problems.push(`"${chip.textContent.trim()}" beside another outcome, not in a list`);
        }
    }
    for (const button of popover.querySelectorAll(".o-mail-ActivityMarkAsDone button.btn")) {
        const rect = button.getBoundingClientRect();
        if (rect.bottom > window.innerHeight || rect.right > window.innerWidth) {
            problems.push(`"${button.textContent.trim()}" off screen`);
        }
    }
    console.log(`Mark Done popover: ${Math.round(box.width)}x${Math.round(box.height)} px`);
    if (problems.length) {
        throw new Error(
            `The popover does not fit ${window.innerWidth}x${window.innerHeight}: ${problems.join(", ")}`
        );
    }
}

const card = (lead) => `.o_sap_followups_kanban .o_kanban_record:contains('${lead}')`;
const select = (lead) => [
    {
        content: `Select ${lead}`,
        trigger: `${card(lead)} .o_sap_followup_select input:not(:checked)`,
        run: "click",
    },
    {
        trigger: `${card(lead)} .o_sap_followup_select input:checked`,
    },
];

tours.add("sale_activity_playbooks_phone", {
    steps: () =>
        slow([
            {
                content: "My Follow-ups opens as cards on a phone",
                trigger: `${card("Phone Call Deal")}:contains('Pia Customer'):contains('Call'):contains('12,000')`,
            },
            {
                content: "Each card has a visible check box",
                trigger: `${card("Phone Email Deal")} .o_sap_followup_select input:visible`,
            },
            {
                content: "A card opens its lead",
                trigger: `${card("Phone Call Deal")} span:contains("Phone Call Deal")`,
                run: "click",
            },
            {
                trigger: ".o-mail-Activity:contains('Call') .o-mail-Activity-markDone",
                run: "click",
            },
            {
                content: "The popover fits the phone",
                trigger: ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip:contains('No answer')",
                run: checkPopoverFits,
            },
            {
                trigger: ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip:contains('Reached')",
                run: "click",
            },
            {
                trigger: ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip.btn-primary:contains('Reached')",
            },
            {
                trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
                run: "click",
            },
            {
                content: "The call is done",
                trigger: "body:not(:has(.o-mail-ActivityMarkAsDone)) .o-mail-Message:contains('Call')",
            },
            {
                content: "Back to My Follow-ups",
                trigger: ".o_back_button",
                run: "click",
            },
            {
                content: "The call left the queue",
                trigger: ".o_sap_followups_kanban:not(:has(.o_kanban_record:contains('Phone Call Deal')))",
            },
            ...select("Phone Email Deal"),
            ...select("Phone Todo Deal"),
            ...cardSelectionAction("Reschedule"),
            {
                trigger: ".modal .o_field_widget[name=activity_count]:contains('2')",
            },
            {
                trigger: ".modal button[name=action_reschedule]",
                run: "click",
            },
            {
                content: "Rescheduled: the cards are no longer selected",
                trigger: `body:not(:has(.modal)) ${card("Phone Todo Deal")} .o_sap_followup_select input:not(:checked)`,
            },
            {
                trigger: `${card("Phone Email Deal")} .o_sap_followup_select input:not(:checked)`,
            },
        ]),
});

tours.add("sale_activity_playbooks_phone_popover", {
    steps: () =>
        slow([
            {
                trigger: ".o-mail-Activity:contains('Call') .o-mail-Activity-markDone",
                run: "click",
            },
            {
                content: "The popover fits the phone",
                trigger: ".o-mail-ActivityMarkAsDone .o-sap-OutcomeChip:contains('No answer')",
                run: checkPopoverFits,
            },
            {
                trigger: ".o-mail-ActivityMarkAsDone button:contains('Discard')",
                run: "click",
            },
            {
                trigger: "body:not(:has(.o-mail-ActivityMarkAsDone))",
            },
        ]),
});
