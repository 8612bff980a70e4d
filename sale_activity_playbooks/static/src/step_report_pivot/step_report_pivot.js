import { registry } from "@web/core/registry";
import { PivotRenderer } from "@web/views/pivot/pivot_renderer";
import { pivotView } from "@web/views/pivot/pivot_view";
import { openCadenceMap } from "../step_report_map/step_report_map";

// Playbook Steps' pivot with its "Map" button (web.assets_backend_lazy, as
// Odoo's pivot view).

export class StepReportPivotRenderer extends PivotRenderer {
    openCadenceMap() {
        return openCadenceMap(this.env);
    }
}

registry.category("views").add("sap_step_report_pivot", {
    ...pivotView,
    Renderer: StepReportPivotRenderer,
    buttonTemplate: "sale_activity_playbooks.StepReportPivotButtons",
});
