# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import time, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

# The furthest time zone from UTC (Pacific/Kiritimati, UTC+14): a leave that
# covers today somewhere overlaps this margin around now.
MAX_UTC_OFFSET = timedelta(hours=14)


class SaleActivityAbsence(models.AbstractModel):
    """A salesperson's leaves (``resource.calendar.leaves`` of their
    resource, as ``hr_holidays`` creates them for approved time off): the
    days they are away, in their time zone, and what happens to their
    playbook follow-ups that fall due meanwhile (the team's
    ``playbook_absence_policy``)."""

    _name = "sale.activity.absence"
    _description = "Follow-ups of Absent Salespeople"

    # ------------------------------------------------------------------
    # Leave days
    # ------------------------------------------------------------------

    @api.model
    def _leave_days(self, leave, tz_name):
        """``(first day, last day)`` of ``leave`` in the time zone
        ``tz_name``: a leave that ends at midnight ends the day before."""
        UserTime = self.env["sale.activity.user.time"]
        start = UserTime._now(tz_name, leave.date_from).date()
        end_at = UserTime._now(tz_name, leave.date_to)
        end = end_at.date()
        if end_at.time() == time(0) and end > start:
            end -= timedelta(days=1)
        return start, end

    @api.model
    def _absence_leaves(self, leaves):
        """The leaves of ``leaves`` that make a user absent: time off of a
        resource that is a user."""
        return leaves.sudo().filtered(
            lambda leave: leave.resource_id.user_id and leave.time_type == "leave"
        )

    @api.model
    def _users_on_leave(self, now=None):
        """The ids of the users on leave today (at ``now``, naive UTC), each
        in their time zone: one query, for a whole cron batch."""
        now = now or fields.Datetime.now()
        Leave = self.env["resource.calendar.leaves"].sudo()
        Leave.flush_model(["date_from", "date_to", "resource_id", "time_type"])
        self.env["resource.resource"].flush_model(["user_id"])
        self.env.cr.execute(
            SQL(
                "SELECT l.id FROM resource_calendar_leaves l "
                "JOIN resource_resource r ON r.id = l.resource_id "
                "WHERE r.user_id IS NOT NULL AND l.time_type = 'leave' "
                "AND l.date_from <= %s AND l.date_to >= %s",
                now + MAX_UTC_OFFSET,
                now - MAX_UTC_OFFSET,
            )
        )
        leaves = Leave.browse(row[0] for row in self.env.cr.fetchall())
        UserTime = self.env["sale.activity.user.time"]
        on_leave = set()
        for leave in leaves:
            user = leave.resource_id.user_id
            start, end = self._leave_days(leave, user.tz)
            if start <= UserTime._today(user.tz, now) <= end:
                on_leave.add(user.id)
        return sorted(on_leave)

    @api.model
    def _first_day_back(self, user, day):
        """The first working day of ``user`` after ``day``: on their working
        calendar, past their public holidays and their own leaves."""
        Line = self.env["sale.activity.playbook.line"]
        calendar = self.env["sale.activity.user.time"]._working_calendar(user)
        Leave = self.env["resource.calendar.leaves"].sudo()
        leaves = self._absence_leaves(
            Leave.search(
                [
                    ("resource_id.user_id", "=", user.id),
                    ("date_to", ">=", fields.Datetime.to_datetime(day)),
                ]
            )
        )
        spans = [self._leave_days(leave, user.tz) for leave in leaves]
        back = Line._add_working_days(calendar, day, 1)
        # each leave pushes the day once at most
        for _leave in range(len(spans)):
            ends = [end for start, end in spans if start <= back <= end]
            if not ends:
                break
            back = Line._add_working_days(calendar, max(ends), 1)
        return back

    # ------------------------------------------------------------------
    # Follow-ups inside a leave
    # ------------------------------------------------------------------

    @api.model
    def _apply_leaves(self, leaves):
        """Move or reassign the pending playbook follow-ups that fall due
        inside ``leaves``, by the policy of their lead's team."""
        for leave in self._absence_leaves(leaves):
            user = leave.resource_id.user_id
            start, end = self._leave_days(leave, user.tz)
            followups = self._followups_inside(user, start, end)
            if followups:
                self._cover_absence(followups, user, end)

    @api.model
    def _followups_inside(self, user, start, end):
        """The pending follow-ups that playbooks made for ``user``, due from
        ``start`` to ``end``: activities made by hand are theirs to move."""
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("user_id", "=", user.id),
                    ("playbook_line_id", "!=", False),
                    ("automated", "=", True),
                    ("date_deadline", ">=", start),
                    ("date_deadline", "<=", end),
                ]
            )
        )

    @api.model
    def _cover_absence(self, followups, user, end):
        """Give ``followups`` of ``user``, away until ``end``, to their team
        leader (policy ``leader``, when there is one and it is not
        ``user``), else move them to ``user``'s first day back."""
        leads = self.env["sale.activity.reminder"]._leads(followups)
        back = None
        for followup in followups:
            team = leads[followup].team_id
            leader = team.user_id
            if (
                team.playbook_absence_policy == "leader"
                and leader.active
                and leader != user
            ):
                self._reassign(followup, user, leader, end)
                continue
            back = back or self._first_day_back(user, end)
            self._move(followup, user, back)

    @api.model
    def _move(self, followup, user, back):
        env = followup.with_context(lang=user.lang or self.env.lang).env
        note = env._(
            "Moved from %(old)s to %(new)s: %(user)s is on leave.",
            old=format_date(env, followup.date_deadline),
            new=format_date(env, back),
            user=user.name,
        )
        followup.write(
            {"date_deadline": back, "note": self._noted(followup.note, note)}
        )

    @api.model
    def _reassign(self, followup, user, leader, end):
        env = followup.with_context(lang=leader.lang or self.env.lang).env
        note = env._(
            "Reassigned from %(user)s to %(leader)s: %(user)s is on leave "
            "until %(end)s.",
            user=user.name,
            leader=leader.name,
            end=format_date(env, end),
        )
        followup.write({"user_id": leader.id, "note": self._noted(followup.note, note)})

    @api.model
    def _noted(self, html, line):
        """``html`` with the paragraph ``line`` appended."""
        return Markup("%s<p>%s</p>") % (html or Markup(), line)
