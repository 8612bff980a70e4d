# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def write(self, vals):
        if "stage_id" not in vals and "probability" not in vals:
            return super().write(vals)
        won_before = self.filtered(lambda lead: lead.active and lead.probability >= 100)
        res = super().write(vals)
        newly_won = self.filtered(lambda lead: lead.active and lead.probability >= 100)
        (newly_won - won_before)._cancel_playbook_activities_on_won()
        return res

    def _cancel_playbook_activities_on_won(self):
        """Remove the pending follow-ups that playbooks created on won leads
        (playbooks with "Cancel on Won")."""
        if not self:
            return
        # The follow-ups may belong to other salespeople: removing them is the
        # playbook's decision, not the user's.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", self.ids),
                    ("playbook_line_id.playbook_id.cancel_on_won", "=", True),
                ]
            )
        )
        activities.unlink()
