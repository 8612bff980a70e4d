import { registry } from "@web/core/registry";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// A salesperson stops a playbook on a lead (tests/test_tour_exits.py prepares
// the lead, with a Call that the playbook planned and a to-do made by hand).
registry.category("web_tour.tours").add("sale_activity_playbooks_stop_playbook", {
    steps: () =>
        slow([
            {
                content: "The playbook's Call is planned",
                trigger: ".o-mail-Activity:contains('Call')",
            },
            {
                content: "Stop the playbook from the lead's header",
                trigger: ".o_form_view button[name=action_stop_playbook]",
                run: "click",
            },
            {
                content: "The team's only playbook is chosen already",
                trigger:
                    ".modal .o_field_widget[name=playbook_id] input:value('Stoppable cadence')",
            },
            {
                content: "Say why",
                trigger: ".modal .o_field_widget[name=reason] textarea",
                run: "edit Went with a competitor",
            },
            {
                trigger: ".modal button[name=action_stop]",
                run: "click",
            },
            {
                content: "The note says who stopped it and why",
                trigger:
                    ".o-mail-Message:contains('Stan Stopper stopped the playbook Stoppable cadence'):contains('Went with a competitor')",
            },
            {
                content: "The Call went, the hand-made to-do stays",
                trigger: ".o-mail-Activity:contains('Hand-made to-do')",
            },
            {
                trigger: "body:not(:has(.o-mail-Activity:contains('Call')))",
            },
        ]),
});
