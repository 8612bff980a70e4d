# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from functools import lru_cache

import pytz

from odoo import api, fields, models
from odoo.tools import SQL


def time_zone(tz_name):
    """The pytz zone named ``tz_name``; UTC for an empty or unknown name (a
    zone written by hand, or one that pytz spells otherwise: SQL compares
    the names as they are)."""
    if tz_name and tz_name in pytz.all_timezones_set:
        return pytz.timezone(tz_name)
    return pytz.utc


@lru_cache(maxsize=4)
def _time_zones_by_minute(minute):
    # Local midnights fall on whole UTC minutes: the answer holds the minute.
    utc_now = pytz.utc.localize(minute)
    days = defaultdict(list)
    for tz_name in pytz.all_timezones:
        days[utc_now.astimezone(pytz.timezone(tz_name)).date()].append(tz_name)
    return {day: tuple(zones) for day, zones in days.items()}


class SaleActivityUserTime(models.AbstractModel):
    """A user's today, now and working calendar, in Python and in SQL: the
    one place that says which day it is for whom. An empty or unknown time
    zone counts as UTC everywhere, never as an error."""

    _name = "sale.activity.user.time"
    _description = "Day, Time and Working Calendar of a User"

    @api.model
    def _now(self, tz_name, now=None):
        """Now (or ``now``, naive UTC) in the time zone ``tz_name``, as an
        aware datetime."""
        now = now or fields.Datetime.now()
        return pytz.utc.localize(now).astimezone(time_zone(tz_name))

    @api.model
    def _today(self, tz_name, now=None):
        """Today (at ``now``, naive UTC) in the time zone ``tz_name``."""
        return self._now(tz_name, now).date()

    @api.model
    def _user_today(self, user, now=None):
        """Today (at ``now``) for ``user``, in their time zone."""
        return self._today(user.tz, now)

    @api.model
    def _working_calendar(self, user):
        """The working calendar of ``user``: their own (their resource's),
        else their company's; never the lead's company's, which says nothing
        of the days its salesperson works. Cached (the rule's
        ``_get_user_calendar_id``)."""
        calendar_id = self.env["sale.activity.playbook.line"]._get_user_calendar_id(
            user.id
        )
        return self.env["resource.calendar"].browse(calendar_id)

    @api.model
    def _time_zones_by_day(self, now):
        """``{date: names of the time zones where it is that day}`` at
        ``now`` (naive UTC), for every time zone a user may choose."""
        return _time_zones_by_minute(now.replace(second=0, microsecond=0))

    @api.model
    def _day_in_time_zone_sql(self, tz, now=None, days=None):
        """SQL: the day at ``now`` (naive UTC) in the time zone that the SQL
        expression ``tz`` names, as ``_today`` says: UTC's for an empty zone
        or one pytz does not know. The days come from pytz, not from
        PostgreSQL's ``AT TIME ZONE``: a zone that PostgreSQL does not know
        is no error, and Python and SQL agree. ``days``:
        ``_time_zones_by_day(now)``, when the caller has it."""
        now = now or fields.Datetime.now()
        days = days or self._time_zones_by_day(now)
        utc_day = now.date()
        cases = [
            SQL("WHEN %s = ANY(%s) THEN %s::date", tz, list(zones), day)
            for day, zones in sorted(days.items())
            if day != utc_day
        ]
        if not cases:
            return SQL("%s::date", utc_day)
        return SQL("CASE %s ELSE %s::date END", SQL(" ").join(cases), utc_day)
