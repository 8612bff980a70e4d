# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self.env["resource.calendar"]._playbook_invalidate_working_days()
        return attendances

    def write(self, vals):
        res = super().write(vals)
        self.env["resource.calendar"]._playbook_invalidate_working_days()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["resource.calendar"]._playbook_invalidate_working_days()
        return res
