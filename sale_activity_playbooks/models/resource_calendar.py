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
        sorted tuple of dates. Cached until a calendar that users work on, its
        attendances or its public holidays change (see
        ``_playbook_invalidate_working_days``)."""
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

    def _playbook_invalidate_working_days(self):
        """Clear the cached working days (of every worker) when users may
        work on one of these calendars: nobody else's deadlines read them."""
        if self._playbook_used_by_users():
            self.env.registry.clear_cache()

    def _playbook_used_by_users(self):
        """Whether one of these calendars is a user's working calendar: their
        own (a resource's) or their company's. A user who moves to another
        calendar clears the caches (res_users.py), so no cache holds a
        calendar that no user works on."""
        if not self:
            return False
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        if companies.search_count([("resource_calendar_id", "in", self.ids)], limit=1):
            return True
        resources = self.env["resource.resource"].sudo().with_context(active_test=False)
        return bool(
            resources.search_count(
                [("calendar_id", "in", self.ids), ("user_id", "!=", False)], limit=1
            )
        )

    def write(self, vals):
        res = super().write(vals)
        if WORKING_DAYS_FIELDS.intersection(vals):
            self._playbook_invalidate_working_days()
        return res
