# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    """The lead's side of the automated emails."""

    _inherit = "crm.lead"

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self._playbook_recompute_send_times()
        return res

    def _playbook_recompute_send_times(self):
        """The pending automated follow-ups of these leads go out in their
        (new) customer's hours."""
        pending = self.env[
            "sale.activity.playbook.engine"
        ]._pending_playbook_activities(self, domain=[("playbook_auto_send", "=", True)])
        if pending:
            self.env.add_to_compute(pending._fields["playbook_send_at"], pending)
