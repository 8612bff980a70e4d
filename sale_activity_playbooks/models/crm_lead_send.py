# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    """The lead's side of the automated emails: a new customer moves their
    send times; the lead's emails (an automatic reply, a customer's reply for
    the other leads of the customer's company) and bounces stop or hand them
    back (see the engine's ``sale_activity_playbook_send_stops.py``). One
    file per concern of the lead: crm_lead.py, crm_lead_start.py, this one."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        # mail.thread.blacklist counts a bounce by writing message_bounce + 1
        bounced = self.browse()
        if vals.get("message_bounce"):
            bounced = self.filtered(
                lambda lead: vals["message_bounce"] > lead.message_bounce
            )
        # the customers before (in the cache whenever the caller read the
        # leads: crm's merge writes them back unchanged)
        partners = (
            {lead.id: lead.partner_id.id for lead in self}
            if "partner_id" in vals
            else {}
        )
        res = super().write(vals)
        moved = self.filtered(
            lambda lead: lead.id in partners and lead.partner_id.id != partners[lead.id]
        )
        if moved:
            moved._playbook_recompute_send_times()
        if bounced:
            self.env["sale.activity.playbook.engine"]._on_leads_bounced(bounced)
        return res

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if message.message_type == "email":
            self.env["sale.activity.playbook.engine"]._on_lead_email(self, message)
        return res

    def _playbook_recompute_send_times(self):
        """The pending automated follow-ups of these leads go out in their
        (new) customer's hours."""
        pending = self.env[
            "sale.activity.playbook.engine"
        ]._pending_playbook_activities(self, domain=[("playbook_auto_send", "=", True)])
        if pending:
            self.env.add_to_compute(pending._fields["playbook_send_at"], pending)
