# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# What decides a user's working calendar (res.users._playbook_calendar_ids)
CALENDAR_FIELDS = frozenset({"user_id", "calendar_id", "active"})


class ResourceResource(models.Model):
    _inherit = "resource.resource"

    @api.model_create_multi
    def create(self, vals_list):
        users = self.env["res.users"].browse(
            {vals["user_id"] for vals in vals_list if vals.get("user_id")}
        )
        calendars = users._playbook_calendar_ids()
        resources = super().create(vals_list)
        users._playbook_clear_calendars_if_changed(calendars)
        return resources

    def write(self, vals):
        if not CALENDAR_FIELDS.intersection(vals):
            return super().write(vals)
        users = self.user_id | self.env["res.users"].browse(vals.get("user_id") or [])
        calendars = users._playbook_calendar_ids()
        res = super().write(vals)
        users._playbook_clear_calendars_if_changed(calendars)
        return res

    def unlink(self):
        users = self.user_id
        calendars = users._playbook_calendar_ids()
        res = super().unlink()
        users._playbook_clear_calendars_if_changed(calendars)
        return res
