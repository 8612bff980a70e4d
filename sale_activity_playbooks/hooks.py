# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """Leave the database as if the module had never been there, except for
    the activities people planned: the activity types of this module that they
    use stay, as ordinary activity types (Odoo gives them back the default
    action when the Reminder action goes)."""
    # Playbooks go with their tables; removed first, they no longer hold the
    # activity types that Odoo removes before dropping the tables.
    env["sale.activity.playbook"].with_context(active_test=False).sudo().search(
        []
    ).unlink()
    data = env["ir.model.data"].search(
        [
            ("module", "=", "sale_activity_playbooks"),
            ("model", "=", "mail.activity.type"),
        ]
    )
    types = env["mail.activity.type"].browse(data.mapped("res_id")).exists()
    # whatever may not lose its activity type (activities, done or planned,
    # plan templates, types that trigger them...)
    restricting = env["ir.model.fields"].search(
        [
            ("relation", "=", "mail.activity.type"),
            ("ttype", "=", "many2one"),
            ("on_delete", "=", "restrict"),
            ("store", "=", True),
        ]
    )
    used = env["mail.activity.type"]
    for field in restricting:
        model = env[field.model].sudo().with_context(active_test=False)
        if model._abstract or not model._auto:
            continue
        groups = model._read_group(
            [(field.name, "in", (types - used).ids)], [field.name]
        )
        used |= env["mail.activity.type"].union(*(group for (group,) in groups))
    data.filtered(lambda d: d.res_id in used.ids).unlink()
    # the neglect scan's partial index on crm_lead uses no column of this
    # module: PostgreSQL would keep it
    env.cr.execute("DROP INDEX IF EXISTS crm_lead_playbook_open_team_idx")
