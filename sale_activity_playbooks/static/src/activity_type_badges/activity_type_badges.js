import { registry } from "@web/core/registry";

// 19.0 picks the activity type with a row of buttons (mail's
// selection_badge_icons): the playbook's suggestions are highlighted in that
// row, not repeated in a row of their own (mail_activity._get_view). 18.0
// picks the type in a dropdown, under the row of suggestions: nothing to do.
const fields = registry.category("fields");
const typeBadges = fields.get("selection_badge_icons", null);

if (typeBadges) {
    class ActivityTypeBadges extends typeBadges.component {
        static template = "sale_activity_playbooks.ActivityTypeBadges";

        /** Whether the playbooks suggest the type ``id``. */
        isSuggested(id) {
            const suggested = this.props.record.data.playbook_suggested_type_ids;
            return Boolean(suggested?.currentIds?.includes(id));
        }
    }
    fields.add("sap_activity_type_badges", { ...typeBadges, component: ActivityTypeBadges });
}
