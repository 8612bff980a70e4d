import { registry } from "@web/core/registry";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { localization } from "@web/core/l10n/localization";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

// Automated emails, in the browser. The Python tests (tests/test_tour_send.py)
// prepare the records and check what the tours leave behind.
const tours = registry.category("web_tour.tours");
const sentence =
    "When Call is marked as done with No answer, schedule Email on its deadline, " +
    "then send 'Follow-up after no answer' automatically between 9:00 and 17:00, customer's time";

tours.add("sale_activity_playbooks_rule_sends_automatically", {
    steps: () =>
        slow([
            {
                trigger: ".o_data_row:contains('Emailing cadence') td[name=name]",
                run: "click",
            },
            {
                content: "Open the rule on calls",
                trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('When Call') td",
                run: "click",
            },
            {
                content: "The template is asked for once the rule sends",
                trigger: ".modal:not(:has(.o_field_widget[name=mail_template_id])) .o_field_widget[name=auto_send] input",
                run: "click",
            },
            {
                trigger: ".modal .o_field_widget[name=mail_template_id] input",
                run: "edit Follow-up after",
            },
            {
                trigger: ".dropdown-item:contains('Follow-up after no answer')",
                run: "click",
            },
            {
                content: "The sentence says it sends, when, in whose hours",
                trigger: `.modal .o_sap_rule_sentence:contains("${sentence}")`,
            },
            {
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                trigger: `body:not(:has(.modal)) .o_field_widget[name=line_ids] td:contains("${sentence}")`,
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

tours.add("sale_activity_playbooks_send_manually", {
    steps: () => {
        // the send time that tests/test_tour_send.py plans (9:00 in New York),
        // shown in the user's time zone and formats, without seconds (19.0's
        // English writes 02:00 PM, 18.0's 14:00)
        const sendAt = deserializeDateTime("2030-12-02 14:00:00");
        const timeFormat = localization.timeFormat.replace(":ss", "");
        const shown = sendAt.toFormat(`${localization.dateFormat} ${timeFormat}`);
        const email = ".o-mail-Activity:contains('Email')";
        return slow([
            {
                content: "The email says when it goes out by itself",
                trigger: `${email} .o-sap-AutoSendBadge:contains('${shown}')`,
            },
            {
                trigger: `${email} .fa-info-circle`,
                run: "click",
            },
            {
                trigger: `${email} .o-sap-Activity-sendAt td:contains('${shown}')`,
            },
            {
                content: "One click: the salesperson sends it",
                trigger: `${email} .o-sap-SendManually`,
                run: "click",
            },
            {
                content: "It is a task now, with nothing to send by itself",
                trigger: `${email}:not(:has(.o-sap-AutoSendBadge)):not(:has(.o-sap-SendManually)) .o-mail-Activity-markDone`,
            },
        ]);
    },
});
