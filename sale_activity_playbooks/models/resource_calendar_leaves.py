# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays (leaves of no resource) decide working days; the time
    off of one person (leaves of a resource) does not."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        if any(not leave.resource_id for leave in leaves):
            self.env["resource.calendar"]._playbook_invalidate_working_days()
        return leaves

    def write(self, vals):
        public = any(not leave.resource_id for leave in self)
        res = super().write(vals)
        if public or any(not leave.resource_id for leave in self):
            self.env["resource.calendar"]._playbook_invalidate_working_days()
        return res

    def unlink(self):
        public = any(not leave.resource_id for leave in self)
        res = super().unlink()
        if public:
            self.env["resource.calendar"]._playbook_invalidate_working_days()
        return res
