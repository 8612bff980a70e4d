import { registry } from "@web/core/registry";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";
import { StepReportListController } from "@sale_activity_playbooks/step_report_map/step_report_map";

// Playbook Steps: a group's record count is the report's internal rows (a
// firing, a completion, a pending activity, a loss: one row each), not a
// figure anyone reads. Its header shows the name; the measures' sums say the
// rest. Its controller adds the Map button (../step_report_map).
export class StepReportListRenderer extends ListRenderer {
    static groupRowTemplate = "sale_activity_playbooks.StepReportListRenderer.GroupRow";

    /** The group's name, as the list shows it (18.0 names a group without a
     * value "None" in the renderer, 19.0 in the group). */
    groupName(group) {
        return super.getGroupDisplayName ? this.getGroupDisplayName(group) : group.displayName;
    }
}

registry.category("views").add("sap_step_report_list", {
    ...listView,
    Controller: StepReportListController,
    Renderer: StepReportListRenderer,
    buttonTemplate: "sale_activity_playbooks.StepReportListButtons",
});
