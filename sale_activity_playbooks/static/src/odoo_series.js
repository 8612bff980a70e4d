import * as mailRecord from "@mail/core/common/record";
import { registry } from "@web/core/registry";

// What differs between Odoo 18.0 and 19.0 in the web client (the server side
// is in odoo_series.py). Both are found by what exists, not by a version.

// The chatter's activity model: @mail/core/web/activity_model registered as
// "Activity" on 18.0, @mail/core/common/activity_model registered under its
// model name on 19.0. Both only need mail's record modules: they run when
// defined, before this addon's modules in the bundle.
const models = registry.category("discuss.model");
export const Activity = models.get("mail.activity", null) || models.get("Activity", null);
if (!Activity) {
    throw new Error("sale_activity_playbooks: mail's activity model is not loaded");
}

/** A datetime field of a mail record: fields.Datetime() on 19.0, an attribute
 * of type datetime on 18.0. */
export function datetimeField() {
    return mailRecord.fields?.Datetime
        ? mailRecord.fields.Datetime()
        : mailRecord.Record.attr(undefined, { type: "datetime" });
}
