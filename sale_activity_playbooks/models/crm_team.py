# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    playbook_ids = fields.Many2many(
        "sale.activity.playbook",
        "crm_team_sale_activity_playbook_rel",
        "team_id",
        "playbook_id",
        string="Activity Playbooks",
        # checked by _check_playbook_companies(), with a sentence to act on
        domain="[('company_id', 'in', (False, company_id))]",
        help="The playbooks whose rules chain this team's follow-ups.",
    )

    @api.constrains("company_id", "playbook_ids")
    def _check_playbook_companies(self):
        playbooks = self.with_context(active_test=False).playbook_ids
        self.env["sale.activity.playbook"]._raise_on_company_mismatch(self, playbooks)

    @api.constrains("playbook_ids")
    def _check_playbook_loops(self):
        Playbook = self.env["sale.activity.playbook"]
        for team in self:
            playbooks = team.playbook_ids.filtered("active")
            Playbook._raise_on_loop(
                playbooks.line_ids, self.env._("team %s", team.display_name)
            )

    def write(self, vals):
        res = super().write(vals)
        if "playbook_ids" in vals or "company_id" in vals:
            self.env.registry.clear_cache()
        return res
