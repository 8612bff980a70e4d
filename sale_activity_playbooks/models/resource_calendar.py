# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, models, tools

# What decides which days a calendar works (its public holidays are leaves,
# see resource_calendar_leaves.py)
WORKING_DAYS_FIELDS = frozenset(
    {"attendance_ids", "leave_ids", "tz", "two_weeks_calendar", "flexible_hours"}
)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.model
    @tools.ormcache("calendar_id", "year")
    def _playbook_working_days(self, calendar_id, year):
        """The working days of ``year`` on a calendar, its public holidays
        (leaves of no resource) left out, in the calendar's time zone: a
        sorted tuple of dates. Cached until a calendar, an attendance or a
        public holiday changes (see ``_playbook_invalidate_working_days``)."""
        calendar = self.sudo().browse(calendar_id)
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime(year, 1, 1))
        stop = tz.localize(datetime.combine(date(year, 12, 31), time.max))
        intervals = calendar._work_intervals_batch(start, stop, tz=tz)[False]
        return tuple(sorted({interval[0].date() for interval in intervals}))

    def _playbook_add_working_days(self, base, count):
        """The ``count``-th working day after ``base`` (``base`` itself, or
        the next working day, when ``count`` is 0). Raises OverflowError
        beyond the year 9999."""
        self.ensure_one()
        days = self._playbook_working_days(self.id, base.year)
        if not days:
            # no attendance at all: calendar days
            return base + timedelta(days=count)
        # the first candidate: after the base, or the base itself for 0
        index = bisect_right(days, base) if count else bisect_left(days, base)
        remaining = max(count - 1, 0)
        year = base.year
        while index + remaining >= len(days):
            remaining -= len(days) - index
            year += 1
            if year > date.max.year:
                raise OverflowError("no working day before the end of time")
            days = self._playbook_working_days(self.id, year)
            if not days:
                return base + timedelta(days=count)
            index = 0
        return days[index + remaining]

    @api.model
    def _playbook_invalidate_working_days(self):
        self.env.registry.clear_cache()

    def write(self, vals):
        res = super().write(vals)
        if WORKING_DAYS_FIELDS.intersection(vals):
            self._playbook_invalidate_working_days()
        return res
