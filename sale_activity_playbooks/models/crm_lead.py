# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def write(self, vals):
        res = super().write(vals)
        # Won is moving to a won stage (action_set_won does, with probability
        # 100), as crm's _handle_won_lost counts it. Only the new stage is
        # read: reading the leads' probability around the write would compute
        # it at another moment than Odoo does, and change the probability
        # that it keeps (crm's test_lead_merge_probability_manual_empty).
        if (
            vals.get("stage_id")
            and self.env["crm.stage"].browse(vals["stage_id"]).is_won
        ):
            self.filtered("active")._cancel_playbook_activities_on_won()
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
