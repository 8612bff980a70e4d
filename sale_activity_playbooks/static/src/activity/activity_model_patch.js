import { Activity } from "@mail/core/web/activity_model";
import { Record } from "@mail/core/common/record";
import { patch } from "@web/core/utils/patch";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";

// The server sends every field of the activity (mail.activity._to_store reads
// them all): playbook_id, reminded_on and escalated_on come with the others.
patch(Activity.prototype, {
    setup() {
        super.setup();
        /** @type {[number, string]|false} */
        this.playbook_id = false;
        /** @type {[number, string]|false} */
        this.outcome_id = false;
        /** @type {number[]} the outcomes that may be picked for its type */
        this.playbook_outcome_ids = [];
        /** @type {luxon.DateTime} */
        this.reminded_on = Record.attr(undefined, { type: "datetime" });
        /** @type {luxon.DateTime} */
        this.escalated_on = Record.attr(undefined, { type: "datetime" });
    },
    /** A follow-up reminder: an activity of a Reminder type. */
    get isReminder() {
        return this.activity_category === "reminder";
    },
    /** The playbook that planned the activity, e.g. "Standard sales cadence". */
    get playbookName() {
        return this.playbook_id ? this.playbook_id[1] : "";
    },
    get playbookTitle() {
        return this.playbook_id
            ? _t("Planned by the playbook %(playbook)s", { playbook: this.playbookName })
            : "";
    },
    get remindedOnFormatted() {
        return this.reminded_on ? formatDateTime(this.reminded_on) : "";
    },
    get escalatedOnFormatted() {
        return this.escalated_on ? formatDateTime(this.escalated_on) : "";
    },
});
