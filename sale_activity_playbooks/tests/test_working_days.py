# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import TODAY, PlaybookCase

THURSDAY, FRIDAY = date(2026, 11, 26), date(2026, 11, 27)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestWorkingDays(PlaybookCase):
    """Delays in working days follow the assignee's working calendar (the
    company's by default), skip weekends and public holidays, and land on a
    working day."""

    def quote_deadline(self, **rule_values):
        self.add_rule(
            self.call,
            self.create_quote,
            delay_unit="working_days",
            delay_from="current_date",
            **rule_values,
        )
        self.schedule(self.call).action_feedback()
        return self.activities(activity_type=self.create_quote).date_deadline

    def test_weekend_is_skipped(self):
        # Wednesday + 3 working days = Monday
        self.assertEqual(self.quote_deadline(delay_count=3), date(2026, 11, 30))

    def test_public_holiday_is_skipped(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Company holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 26, 0, 0),
                "date_to": datetime(2026, 11, 26, 23, 0),
            }
        )
        # Thursday is off: Wednesday + 2 working days = Monday
        self.assertEqual(self.quote_deadline(delay_count=2), date(2026, 11, 30))

    def test_personal_calendar_of_the_assignee(self):
        four_days = self.env["resource.calendar"].create(
            {
                "name": "Monday to Thursday",
                "tz": "Europe/Brussels",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {d}",
                            "dayofweek": str(d),
                            "hour_from": 9,
                            "hour_to": 17,
                        },
                    )
                    for d in range(4)
                ],
            }
        )
        # a user's working calendar is their resource's (an employee's, with
        # HR): writing it on a user without resource stores nothing
        self.env["resource.resource"].create(
            {"name": "Sally", "user_id": self.salesman.id, "calendar_id": four_days.id}
        )
        self.env.invalidate_all()
        self.assertEqual(self.salesman.resource_calendar_id, four_days)
        # Wednesday + 2 working days = Monday (no Friday for this salesperson)
        self.assertEqual(self.quote_deadline(delay_count=2), date(2026, 11, 30))

    def test_zero_working_days_lands_on_a_working_day(self):
        with freeze_time("2026-11-28"):  # a Saturday
            self.assertEqual(self.quote_deadline(delay_count=0), date(2026, 11, 30))

    def test_deadline_counted_from_a_deadline_on_a_friday(self):
        self.add_rule(
            self.call, self.create_quote, delay_unit="working_days", delay_count=1
        )
        self.schedule(self.call, deadline=date(2026, 11, 27)).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).date_deadline,
            date(2026, 11, 30),
        )

    def test_today_is_the_assignee_s_today(self):
        # 23:30 UTC on Wednesday is already Thursday in Brussels
        with freeze_time("2026-11-25 23:30:00"):
            self.assertEqual(self.quote_deadline(delay_count=1), date(2026, 11, 27))


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestWorkingDayLandings(PlaybookCase):
    """Every deadline a playbook computes lands on a working day of the
    assignee, whatever the unit: a calendar-day delay that ends on a weekend
    or a public holiday moves forward to the next working day."""

    def quote_deadline(self, deadline=TODAY, **rule_values):
        self.activities().unlink()
        self.env["sale.activity.playbook.line"].search(
            [("playbook_id", "=", self.playbook.id)]
        ).unlink()
        self.add_rule(self.call, self.create_quote, **rule_values)
        self.schedule(self.call, deadline=deadline).action_feedback()
        return self.activities(activity_type=self.create_quote).date_deadline

    def holiday(self, day):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Company holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime.combine(day, datetime.min.time()),
                "date_to": datetime.combine(day, datetime.max.time()).replace(
                    microsecond=0
                ),
            }
        )

    def test_days_weeks_and_months_ending_on_a_weekend_move_to_monday(self):
        saturday = date(2026, 11, 28)
        for values, deadline in (
            ({"delay_count": 3}, TODAY),
            ({"delay_count": 1, "delay_unit": "weeks"}, date(2026, 11, 21)),
            ({"delay_count": 1, "delay_unit": "months"}, date(2026, 10, 28)),
        ):
            with self.subTest(**values):
                self.assertEqual(
                    self.quote_deadline(deadline, **values) - saturday,
                    date(2026, 11, 30) - saturday,
                )

    def test_a_day_delay_ending_on_a_public_holiday_moves_on(self):
        self.holiday(date(2026, 11, 27))
        # Friday is off: Wednesday + 2 days lands on Monday
        self.assertEqual(self.quote_deadline(delay_count=2), date(2026, 11, 30))

    def test_preconfigured_quote_follow_up_is_never_due_on_a_saturday(self):
        # seen in the browser: "Create Quote -> Follow-up on Quote, 5 days"
        # done on a Monday gave a Saturday
        self.team.playbook_ids = [
            Command.set(
                self.env.ref("sale_activity_playbooks.playbook_standard_cadence").ids
            )
        ]
        with freeze_time("2026-11-23 10:00:00"):  # a Monday
            self.schedule(self.create_quote).action_feedback()
        follow_up = self.activities(activity_type=self.follow_up_quote)
        self.assertEqual(follow_up.date_deadline, date(2026, 11, 30))

    def deadline_after(self, source, next_type):
        """Complete ``source`` today (the rules stay as they are: changing them
        would clear every cache) and return the deadline of ``next_type``."""
        self.activities().unlink()
        self.schedule(source).action_feedback()
        return self.activities(activity_type=next_type).date_deadline

    def test_a_holiday_added_later_counts_at_once(self):
        self.add_rule(self.call, self.create_quote, delay_count=1)
        self.add_rule(self.todo, self.request_signature, delay_count=2)
        # deadlines computed, working days cached...
        self.assertEqual(self.deadline_after(self.call, self.create_quote), THURSDAY)
        # ...then Thursday becomes a holiday: the cache follows
        holiday = self.holiday(THURSDAY)
        self.assertEqual(self.deadline_after(self.call, self.create_quote), FRIDAY)
        holiday.write(
            {
                "date_from": datetime(2026, 11, 27, 0, 0),
                "date_to": datetime(2026, 11, 27, 23, 0),
            }
        )
        self.assertEqual(self.deadline_after(self.call, self.create_quote), THURSDAY)
        self.assertEqual(
            self.deadline_after(self.todo, self.request_signature), date(2026, 11, 30)
        )
        holiday.unlink()
        self.assertEqual(self.deadline_after(self.todo, self.request_signature), FRIDAY)

    def test_a_calendar_that_stops_working_on_fridays_counts_at_once(self):
        self.add_rule(self.todo, self.request_signature, delay_count=2)
        self.assertEqual(self.deadline_after(self.todo, self.request_signature), FRIDAY)
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4").unlink()
        self.assertEqual(
            self.deadline_after(self.todo, self.request_signature), date(2026, 11, 30)
        )

    def test_the_time_off_of_one_person_is_no_holiday(self):
        self.add_rule(self.call, self.create_quote, delay_count=1)
        self.assertEqual(self.deadline_after(self.call, self.create_quote), THURSDAY)
        resource = self.env["resource.resource"].create({"name": "Someone"})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Day off",
                "calendar_id": self.calendar.id,
                "resource_id": resource.id,
                "date_from": datetime(2026, 11, 26, 0, 0),
                "date_to": datetime(2026, 11, 26, 23, 0),
            }
        )
        self.assertEqual(self.deadline_after(self.call, self.create_quote), THURSDAY)
