# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# What decides a user's working calendar (sale.activity.playbook.line
# _get_user_calendar_id)
CALENDAR_FIELDS = frozenset({"user_id", "calendar_id", "active"})


class ResourceResource(models.Model):
    _inherit = "resource.resource"

    @api.model_create_multi
    def create(self, vals_list):
        resources = super().create(vals_list)
        if any(vals.get("user_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return resources

    def write(self, vals):
        res = super().write(vals)
        if CALENDAR_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        with_users = any(self.mapped("user_id"))
        res = super().unlink()
        if with_users:
            self.env.registry.clear_cache()
        return res
