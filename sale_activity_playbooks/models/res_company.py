# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def write(self, vals):
        if "resource_calendar_id" not in vals:
            return super().write(vals)
        # the working calendar of its users who have none of their own
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", self.ids)])
        )
        calendars = users._playbook_calendar_ids()
        res = super().write(vals)
        users._playbook_clear_calendars_if_changed(calendars)
        return res
