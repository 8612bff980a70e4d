# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CalendarEvent(models.Model):
    """A meeting planned on a lead stops the playbooks that stop on a meeting
    (crm's ``opportunity_id``, set when the meeting is made or later)."""

    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        self.env["sale.activity.playbook.engine"]._on_meetings_planned(events)
        return events

    def write(self, vals):
        res = super().write(vals)
        if vals.get("opportunity_id"):
            self.env["sale.activity.playbook.engine"]._on_meetings_planned(self)
        return res
