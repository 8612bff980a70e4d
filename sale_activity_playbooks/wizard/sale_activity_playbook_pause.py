# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..models.action_records import ensure_one_record


class SaleActivityPlaybookPause(models.TransientModel):
    """Pause a lead's follow-ups until a day, and say why in its chatter."""

    _name = "sale.activity.playbook.pause"
    _inherit = "sale.activity.input.checks"
    _description = "Pause Follow-ups"
    _playbook_checked_fields = (
        "lead_id",
        "date",
        "reason",
    )

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    date = fields.Date(
        "Until",
        required=True,
        help="Follow-ups resume on this day: nothing is reminded, escalated or "
        "planned before it.",
    )
    reason = fields.Text(help="Why, for the colleagues who read the lead.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        lead = self.env["crm.lead"].browse(values.get("lead_id"))
        if "date" in fields_list and lead.exists() and lead.playbook_paused_until:
            values.setdefault("date", lead.playbook_paused_until)
        return values

    def action_pause(self):
        """Pause the follow-ups (with the rights of the user, who must be able
        to write the lead) and log the reason."""
        ensure_one_record(self)
        lead = self.lead_id
        lead.playbook_paused_until = self.date
        body = escape(
            self.env._(
                "Follow-ups paused until %(date)s.",
                date=format_date(self.env, self.date),
            )
        )
        if self.reason:
            body += Markup("<br/>") + escape(self.reason)
        lead._message_log(body=body)
        return {"type": "ir.actions.act_window_close"}
