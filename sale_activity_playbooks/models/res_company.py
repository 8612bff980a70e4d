# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def write(self, vals):
        res = super().write(vals)
        # the working calendar of its users who have none of their own
        if "resource_calendar_id" in vals:
            self.env.registry.clear_cache()
        return res
