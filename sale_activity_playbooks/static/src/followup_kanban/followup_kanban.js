import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// My Follow-ups on a phone: cards that are selected for the bulk actions of
// the list. 19.0's kanban selects cards itself (a long press, then a tap) and
// offers the header buttons of the selection; 18.0's has no selection.
export const NATIVE_SELECTION = "hasSelectedRecords" in KanbanController.prototype;

/** A card's check box: selects it on both series. */
export class FollowupSelect extends Component {
    static template = "sale_activity_playbooks.FollowupSelect";
    static props = standardWidgetProps;

    onChange() {
        this.props.record.toggleSelection();
    }
}

registry.category("view_widgets").add("sap_followup_select", { component: FollowupSelect });

/** On 18.0, the selected cards' count and the header buttons, as the list's. */
export class FollowupKanbanController extends KanbanController {
    static template = NATIVE_SELECTION
        ? KanbanController.template
        : "sale_activity_playbooks.FollowupKanbanView";

    get sapSelection() {
        return NATIVE_SELECTION ? [] : this.model.root.selection;
    }

    onSapUnselectAll() {
        for (const record of this.model.root.selection) {
            record.toggleSelection(false);
        }
    }
}

registry.category("views").add("sap_followups_kanban", {
    ...kanbanView,
    Controller: FollowupKanbanController,
});
