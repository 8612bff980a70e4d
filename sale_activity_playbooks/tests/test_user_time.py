# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import TODAY
from .reminder_common import ReminderCase

# 23:30 UTC on Wednesday: Thursday in Brussels, Wednesday in UTC.
LATE_WEDNESDAY = "2026-11-25 23:30:00"
THURSDAY = TODAY + timedelta(days=1)


@tagged("post_install", "-at_install")
class TestUserTime(ReminderCase):
    """One "today" for a user (sale.activity.user.time), in Python and in
    SQL, that every part of the addon counts with: an empty or unknown time
    zone counts as UTC, never as an error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.UserTime = cls.env["sale.activity.user.time"]
        cls.Report = cls.env["sale.activity.followup.report"]

    def on_mars(self, user):
        # the ORM refuses a zone that is not in its list: a database may
        # still hold one (an old import, a zone since renamed)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET tz = 'Mars/Olympus' WHERE id = %s",
            [user.partner_id.id],
        )
        self.env.invalidate_all()
        # the activities' copy of it (mail.activity.user_tz, stored)
        self.env.cr.execute(
            "UPDATE mail_activity SET user_tz = 'Mars/Olympus' WHERE user_id = %s",
            [user.id],
        )
        self.env.invalidate_all()
        self.assertEqual(user.tz, "Mars/Olympus")

    def sql_day(self, tz_name):
        sql = self.UserTime._day_in_time_zone_sql(SQL("%s", tz_name))
        self.env.cr.execute(SQL("SELECT %s", sql))
        return self.env.cr.fetchone()[0]

    def queue_states(self, activities):
        """``{state: activities}`` as My Follow-ups filters them (SQL)."""
        Activity = self.env["mail.activity"]
        return {
            state: Activity.search(
                [("id", "in", activities.ids), ("state", "=", state)]
            )
            for state in ("overdue", "today", "planned")
        }

    def report_states(self, activities):
        rows = self.Report.search_read(
            [("activity_id", "in", activities.ids)], ["activity_id", "state"]
        )
        return {row["activity_id"][0]: row["state"] for row in rows}

    @freeze_time(LATE_WEDNESDAY)
    def test_an_unknown_time_zone_counts_as_utc_everywhere_without_error(self):
        due_today = self.reminder(deadline=TODAY, summary="Due in UTC")
        due_tomorrow = self.reminder(deadline=THURSDAY, summary="Due in Brussels")
        activities = due_today | due_tomorrow
        self.assertEqual(self.UserTime._user_today(self.salesman), THURSDAY)
        self.on_mars(self.salesman)
        # Python
        self.assertEqual(self.UserTime._user_today(self.salesman), TODAY)
        self.assertEqual(self.UserTime._today("Mars/Olympus"), TODAY)
        self.assertEqual(self.UserTime._today(False), TODAY)
        self.assertEqual(self.lead._playbook_today(), TODAY)
        self.assertEqual(
            self.UserTime._now(self.salesman.tz).replace(tzinfo=None),
            datetime(2026, 11, 25, 23, 30),
        )
        # SQL
        self.assertEqual(self.sql_day("Mars/Olympus"), TODAY)
        self.assertEqual(self.sql_day(None), TODAY)
        self.assertEqual(self.sql_day("Europe/Brussels"), THURSDAY)
        # My Follow-ups: the state read, filtered and ordered on
        self.assertEqual(due_today.read(["state"])[0]["state"], "today")
        self.assertEqual(due_tomorrow.state, "planned")
        states = self.queue_states(activities)
        self.assertEqual(states["today"], due_today)
        self.assertEqual(states["planned"], due_tomorrow)
        self.assertFalse(states["overdue"])
        ranked = self.env["mail.activity"].search(
            [("id", "in", activities.ids)], order="state, id"
        )
        self.assertEqual(ranked, due_today | due_tomorrow)
        # the follow-up report
        self.assertEqual(
            self.report_states(activities),
            {due_today.id: "today", due_tomorrow.id: "planned"},
        )
        # the reminder cron: Wednesday's follow-up is due, Thursday's not yet
        self.env["sale.activity.reminder"]._cron_playbook_reminders()
        self.assertTrue(due_today.reminded_on)
        self.assertFalse(due_tomorrow.reminded_on)
        # the log of a done follow-up
        due_today.action_feedback()
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(log.date_done, TODAY)
        self.assertFalse(log.done_late)

    @freeze_time("2026-11-25 12:00:00")
    def test_auckland_and_los_angeles_have_their_own_today_in_every_helper(self):
        # noon UTC: 01:00 on Thursday in Auckland, 04:00 on Wednesday in LA
        expected = {"Pacific/Auckland": THURSDAY, "America/Los_Angeles": TODAY}
        Activity = self.env["mail.activity"]
        for tz_name, today in expected.items():
            with self.subTest(tz=tz_name):
                user = new_test_user(
                    self.env,
                    f"pb_{tz_name.split('/')[1].lower()}",
                    groups="sales_team.group_sale_salesman",
                    tz=tz_name,
                )
                lead = self.env["crm.lead"].create(
                    {"name": f"Deal in {tz_name}", "user_id": user.id}
                )
                self.assertEqual(self.UserTime._user_today(user), today)
                self.assertEqual(self.UserTime._now(user.tz).date(), today)
                self.assertEqual(self.sql_day(tz_name), today)
                self.assertEqual(lead._playbook_today(), today)
                activities = Activity
                for days in (-1, 0, 1):
                    activities |= self.reminder(
                        lead=lead, user=user, deadline=today + timedelta(days=days)
                    )
                overdue, due, planned = activities
                self.assertEqual(
                    [a.state for a in activities], ["overdue", "today", "planned"]
                )
                self.assertEqual(
                    self.queue_states(activities),
                    {"overdue": overdue, "today": due, "planned": planned},
                )
                self.assertEqual(
                    self.report_states(activities),
                    {overdue.id: "overdue", due.id: "today", planned.id: "planned"},
                )
                self.env["sale.activity.reminder"]._cron_playbook_reminders()
                self.assertEqual(
                    activities.filtered("reminded_on"), overdue | due, "due ones"
                )
                due.action_feedback()
                log = self.env["sale.activity.followup.log"].search(
                    [("lead_id", "=", lead.id)]
                )
                self.assertEqual(log.date_done, today)
                # the reschedule wizard counts from the assignee's today
                wizard = self.env["sale.activity.followup.reschedule"].create(
                    {"activity_ids": [Command.set(overdue.ids)], "working_days": 1}
                )
                self.assertEqual(
                    wizard._working_day_deadlines(overdue),
                    {self.next_working_day(today): overdue},
                )

    def next_working_day(self, day):
        # the test company works Monday to Friday
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    @freeze_time("2026-11-27 09:00:00")  # a Friday
    def test_the_working_calendar_is_the_assignee_s_not_the_lead_company_s(self):
        six_days = self.env["resource.calendar"].create({"name": "Six days"})
        six_days.attendance_ids = [
            Command.create(
                {
                    "name": "Saturday",
                    "dayofweek": "5",
                    "hour_from": 8,
                    "hour_to": 12,
                    "day_period": "morning",
                }
            )
        ]
        other = self.env["res.company"].create(
            {"name": "Six Days Co", "resource_calendar_id": six_days.id}
        )
        self.salesman.company_ids |= other
        self.assertFalse(self.salesman.resource_calendar_id, "no calendar of her own")
        self.assertEqual(
            self.UserTime._working_calendar(self.salesman),
            self.company.resource_calendar_id,
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Saturday shop",
                "company_id": other.id,
                "user_id": self.salesman.id,
                "team_id": False,
            }
        )
        lead.action_schedule_playbook_followup()
        followup = self.activities(lead=lead)
        self.assertEqual(followup.user_id, self.salesman)
        # her next working day (Monday to Friday), whatever the lead's company works
        self.assertEqual(
            followup.date_deadline, self.next_working_day(THURSDAY + timedelta(days=1))
        )
