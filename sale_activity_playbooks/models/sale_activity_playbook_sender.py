# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from .sale_activity_user_time import time_zone


class SaleActivityPlaybookSender(models.AbstractModel):
    """The automated emails of the playbooks: when each one goes out (the
    playbook's sending hours in the recipient's time zone, on a working day of
    the assignee). The cron that sends them is in
    ``sale_activity_playbook_sender_cron.py``."""

    _name = "sale.activity.playbook.sender"
    _description = "Automated Playbook Emails"

    # ------------------------------------------------------------------
    # When an automated follow-up goes out
    # ------------------------------------------------------------------

    @api.model
    def _recipient_tz(self, lead, user):
        """The time zone whose hours the sending window counts: the
        customer's (the lead's partner), else the assignee's, else UTC."""
        return lead.partner_id.tz or user.tz or "UTC"

    @api.model
    def _window(self, playbook, day, tz_name):
        """``(start, end)``: the sending hours of ``playbook`` on ``day`` in
        the time zone ``tz_name``, as naive UTC datetimes."""
        tz = time_zone(tz_name)
        midnight = datetime.combine(day, time())

        def moment(hours):
            local = tz.localize(midnight + timedelta(hours=hours))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return moment(playbook.send_hour_from), moment(playbook.send_hour_to)

    @api.model
    def _working_day_from(self, user, day, cache=None):
        """The first day from ``day`` on that ``user`` works: on their
        calendar, past public holidays and their own leaves. ``cache``: a
        dict that keeps the answers of a batch."""
        if cache is not None and (user.id, day) in cache:
            return cache[user.id, day]
        back = self.env["sale.activity.absence"]._first_day_back(
            user, day - timedelta(days=1)
        )
        if cache is not None:
            cache[user.id, day] = back
        return back

    @api.model
    def _send_time(self, activity, lead, now=None, cache=None):
        """When the automated follow-up ``activity`` of ``lead`` goes out
        (naive UTC): the start of its playbook's sending hours on its
        deadline, read in the recipient's time zone; now when that has passed
        while the hours still run; else the next sending hours on a working
        day of the assignee. ``now``: Odoo's now, never the database's;
        ``cache``: see ``_working_day_from``."""
        now = now or fields.Datetime.now()
        playbook = activity.playbook_line_id.playbook_id
        user = activity.user_id
        tz_name = self._recipient_tz(lead, user)
        UserTime = self.env["sale.activity.user.time"]
        day = max(activity.date_deadline, UserTime._today(tz_name, now))
        # the deadline is a working day of the assignee as the engine planned
        # it; a day moved by hand, or today, may not be
        day = self._working_day_from(user, day, cache)
        start, end = self._window(playbook, day, tz_name)
        if end <= now:
            day = self._working_day_from(user, day + timedelta(days=1), cache)
            start, end = self._window(playbook, day, tz_name)
        return max(start, now)
