# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._playbook_invalidate_working_days()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        (calendars | self.calendar_id)._playbook_invalidate_working_days()
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        calendars.exists()._playbook_invalidate_working_days()
        return res
