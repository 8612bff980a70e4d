import { ListController } from "@web/views/list/list_controller";

// Playbook Steps: a "Map" button that opens the playbook's cadence map with
// the report's filters (its figures then count what the report counts). The
// list's controller here (its view: ../step_report/step_report_list.js); the
// pivot, lazily loaded as Odoo's, in ../step_report_pivot.

/** Open the map of the playbook that the report's filters show. */
export async function openCadenceMap(env) {
    const action = await env.services.orm.call(
        "sale.activity.playbook.step.report",
        "action_open_cadence_map",
        [],
        { domain: env.searchModel.domain }
    );
    return env.services.action.doAction(action);
}

export class StepReportListController extends ListController {
    openCadenceMap() {
        return openCadenceMap(this.env);
    }
}
