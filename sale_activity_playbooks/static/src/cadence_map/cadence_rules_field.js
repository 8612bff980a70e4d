import { registry } from "@web/core/registry";
import { X2ManyField, x2ManyField } from "@web/views/fields/x2many/x2many_field";
import { CadenceMap } from "./cadence_map";

/**
 * The playbook's rules, with their map above them: the same list and the
 * same rule dialog (an arrow opens it as a row does), and a map drawn from
 * the rules as they are in the form, saved or not.
 */
export class CadenceRulesField extends X2ManyField {
    static template = "sale_activity_playbooks.CadenceRulesField";
    static components = { ...X2ManyField.components, CadenceMap };

    /** The rule dialog, as a click on the rule's row opens it. */
    openRule(rule) {
        return this.openRecord(rule);
    }
}

export const cadenceRulesField = {
    ...x2ManyField,
    component: CadenceRulesField,
};

registry.category("fields").add("sap_cadence_rules", cadenceRulesField);
