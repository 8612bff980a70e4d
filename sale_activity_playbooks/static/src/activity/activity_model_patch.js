import { Activity, datetimeField } from "@sale_activity_playbooks/odoo_series";
import { patch } from "@web/core/utils/patch";
import { formatDateTime } from "@web/core/l10n/dates";
import { localization } from "@web/core/l10n/localization";
import { _t } from "@web/core/l10n/translation";

// The server sends playbook_id ([id, name]), reminded_on, escalated_on,
// playbook_auto_send and playbook_send_at with the other fields of the activity
// (18.0 reads them all; on 19.0, mail.activity._to_store_defaults() adds them).
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
        this.reminded_on = datetimeField();
        /** @type {luxon.DateTime} */
        this.escalated_on = datetimeField();
        /** @type {boolean} its email goes out by itself at playbook_send_at */
        this.playbook_auto_send = false;
        /** @type {luxon.DateTime} */
        this.playbook_send_at = datetimeField();
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
    /** A pending follow-up whose email the playbook sends itself. */
    get sendsAutomatically() {
        return Boolean(this.playbook_auto_send && this.playbook_send_at);
    },
    /** When it goes out, in the user's time zone, without seconds. */
    get sendAtFormatted() {
        return this.playbook_send_at
            ? formatDateTime(this.playbook_send_at, {
                  format: `${localization.dateFormat} ${localization.timeFormat.replace(/:ss/, "")}`,
              })
            : "";
    },
    get sendAtTitle() {
        return _t("The email goes out by itself on %(time)s (your time)", {
            time: this.sendAtFormatted,
        });
    },
});
