# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# What decides which follow-ups a leave covers
ABSENCE_FIELDS = frozenset({"date_from", "date_to", "resource_id", "time_type"})


class ResourceCalendarLeaves(models.Model):
    """Public holidays (leaves of no resource) decide working days; the time
    off of one person (leaves of a resource) does not, but moves or
    reassigns their playbook follow-ups that fall due meanwhile
    (``sale.activity.absence``)."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._playbook_calendars()._playbook_invalidate_working_days()
        self.env["sale.activity.absence"]._apply_leaves(leaves)
        return leaves

    def write(self, vals):
        calendars = self._playbook_calendars()
        res = super().write(vals)
        (calendars | self._playbook_calendars())._playbook_invalidate_working_days()
        # a leave edited later moves follow-ups again, by its new dates
        if ABSENCE_FIELDS & set(vals):
            self.env["sale.activity.absence"]._apply_leaves(self)
        return res

    def unlink(self):
        calendars = self._playbook_calendars()
        res = super().unlink()
        calendars.exists()._playbook_invalidate_working_days()
        return res

    def _playbook_calendars(self):
        """The calendars whose working days the public holidays of ``self``
        decide: every calendar for a holiday of no calendar."""
        public = self.filtered(lambda leave: not leave.resource_id)
        if any(not leave.calendar_id for leave in public):
            Calendar = self.env["resource.calendar"].with_context(active_test=False)
            return Calendar.sudo().search([])
        return public.calendar_id
