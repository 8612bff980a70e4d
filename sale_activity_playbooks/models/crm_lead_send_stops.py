# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    """What the lead's emails tell its automated emails: an automatic reply,
    a customer's reply (for the other leads of the customer's company) and a
    bounce (see the engine's ``sale_activity_playbook_send_stops.py``)."""

    _inherit = "crm.lead"

    def write(self, vals):
        # mail.thread.blacklist counts a bounce by writing message_bounce + 1
        bounced = self.browse()
        if vals.get("message_bounce"):
            bounced = self.filtered(
                lambda lead: vals["message_bounce"] > lead.message_bounce
            )
        res = super().write(vals)
        if bounced:
            self.env["sale.activity.playbook.engine"]._on_leads_bounced(bounced)
        return res

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if message.message_type == "email":
            self.env["sale.activity.playbook.engine"]._on_lead_email(self, message)
        return res
