# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, PlaybookCase


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
