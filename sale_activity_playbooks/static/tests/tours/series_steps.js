import { session } from "@web/session";

// Tour steps that Odoo 18.0 and 19.0 take differently; the rest of the tours
// is the same on both. 19.0 draws activity types as badges (18.0: a many2one
// input), selections as a searchable menu (18.0: a <select>), a filled date
// as a button until it is clicked (18.0: an input).
export const ODOO_19 = session.server_version_info[0] >= 19;

/** Choose the activity type ``name`` in the activity dialog. */
export function chooseActivityType(name) {
    if (ODOO_19) {
        return [
            {
                trigger: `.modal .o_field_widget[name=activity_type_id] .o_selection_badge:contains('${name}')`,
                run: "click",
            },
        ];
    }
    return [
        {
            trigger: ".modal input[id*='activity_type_id']",
            run: "click",
        },
        {
            trigger: `.dropdown-item:contains('${name}')`,
            run: "click",
        },
    ];
}

/** The activity dialog has the activity type ``name``. */
export function activityTypeIs(name) {
    return {
        trigger: ODOO_19
            ? `.modal .o_field_widget[name=activity_type_id] .o_selection_badge.active:contains('${name}')`
            : `.modal input[id*='activity_type_id']:value('${name}')`,
    };
}

/** Type ``value`` into the date field ``name`` of the dialog. */
export function editDate(name, value) {
    const field = `.modal .o_field_widget[name=${name}]`;
    return [
        // 19.0: a filled date is a button, an empty one an input already
        ...(ODOO_19 ? [{ trigger: `${field} button, ${field} input`, run: "click" }] : []),
        { trigger: `${field} input`, run: `edit ${value} && press Enter` },
    ];
}

/** The date field ``name`` of the dialog shows ``value``. */
export function dateIs(name, value) {
    const field = `.modal .o_field_widget[name=${name}]`;
    return {
        trigger: ODOO_19
            ? // the button shows "Dec 2, 2030", its tooltip the numeric date
              `${field} input:value('${value}'), ${field} button[data-tooltip='${value}']`
            : `${field} input:value('${value}')`,
    };
}

/** Choose ``label`` in the selection field ``name`` of the dialog. */
export function chooseInSelection(name, label) {
    if (ODOO_19) {
        return [
            {
                trigger: `.modal .o_field_widget[name=${name}] .o_select_menu_toggler`,
                run: "click",
            },
            {
                trigger: `.o_select_menu_menu .o_select_menu_item:contains('${label}')`,
                run: "click",
            },
        ];
    }
    return [
        {
            trigger: `.modal .o_field_widget[name=${name}] select`,
            run: `selectByLabel ${label}`,
        },
    ];
}

/** Run the bulk action ``label`` on the selected cards of My Follow-ups on a
 * phone: 19.0 offers it in the cog menu of its own selection, 18.0 in the
 * addon's selection bar (static/src/followup_kanban). */
export function cardSelectionAction(label) {
    if (ODOO_19) {
        return [
            {
                trigger: ".o_control_panel .o_cp_action_menus button[aria-label='Actions menu']",
                run: "click",
            },
            {
                trigger: `.dropdown-menu button:contains('${label}')`,
                run: "click",
            },
        ];
    }
    return [
        {
            trigger: `.o_sap_followup_selection button:contains('${label}')`,
            run: "click",
        },
    ];
}

/** The activity types that the playbook suggests in the activity dialog: a
 * row of their own on 18.0 (above the type's dropdown), marked in the row of
 * type buttons on 19.0. */
export const SUGGESTED_TYPES = ODOO_19
    ? ".modal .o_field_widget[name=activity_type_id] .o_sap_suggested_type"
    : ".modal .o_field_widget[name=playbook_recommended_type_id] .o_selection_badge";
