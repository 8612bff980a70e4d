# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, models

from .action_records import ensure_records


class CrmLead(models.Model):
    """Starting a playbook on leads: by hand (the wizard), or by itself on the
    new leads of teams whose playbooks start on new leads."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # cached: a lead of a team without such a playbook costs no query
        team_ids = self.env["sale.activity.playbook"]._get_autostart_team_ids()
        if team_ids:
            starting = leads.filtered(lambda lead: lead.team_id.id in team_ids)
            if starting:
                self.env["sale.activity.playbook.engine"]._start_new_leads(starting)
        return leads

    def action_start_playbook(self):
        """Open the wizard that starts a playbook on these leads."""
        ensure_records(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Start Playbook"),
            "res_model": "sale.activity.playbook.start",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_lead_ids": [Command.set(self.ids)],
                "playbook_start_lead_ids": self.ids,
            },
        }
