# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Properties of the deadline arithmetic, checked by hypothesis on generated
dates, delays and time zones (deterministic: derandomized, no example
database)."""

import calendar as pycalendar
import os
import time as pytime
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytz
from freezegun import freeze_time
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from odoo.tests import TransactionCase, new_test_user, tagged

# Calendars' time zones, from UTC+14 to UTC-11 (a working day there is
# another day in UTC).
TIME_ZONES = (
    "UTC",
    "Europe/Brussels",
    "America/New_York",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
)
# Public holidays: around year and month ends, a leap day, a long weekend, and
# one falling on a Saturday.
HOLIDAYS = frozenset(
    [
        date(2027, 12, 24),
        date(2027, 12, 25),
        date(2027, 12, 31),
        date(2028, 1, 3),
        date(2028, 2, 28),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 14),
        date(2028, 4, 17),
        date(2028, 5, 1),
        date(2028, 12, 25),
        date(2028, 12, 26),
    ]
)
NEAR_HOLIDAYS = st.builds(
    lambda holiday, shift: holiday + timedelta(days=shift),
    st.sampled_from(sorted(HOLIDAYS)),
    st.integers(-10, 3),
)
MONTH_ENDS = st.builds(
    lambda year, month, back: (
        date(year, month, pycalendar.monthrange(year, month)[1]) - timedelta(days=back)
    ),
    st.integers(2024, 2032),
    st.integers(1, 12),
    st.integers(0, 3),
)
DATES = st.one_of(
    NEAR_HOLIDAYS, MONTH_ENDS, st.dates(date(2000, 1, 1), date(2099, 12, 31))
)
COUNTS = st.integers(0, 45)

PROPERTIES = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def is_working_day(day):
    return day.weekday() < 5 and day not in HOLIDAYS


def nth_working_day(base, count):
    """The oracle: the count-th working day after base, counted by hand (base
    itself or the next working day when count is 0)."""
    day = base
    if count == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    seen = 0
    while seen < count:
        day += timedelta(days=1)
        seen += is_working_day(day)
    return day


def next_working_day(day):
    """Where a calendar-day delay lands: ``day``, or the next working day."""
    return nth_working_day(day, 0)


def add_months(base, count):
    month_index = base.year * 12 + base.month - 1 + count
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(base.day, pycalendar.monthrange(year, month)[1]))


@contextmanager
def server_time_zone(name):
    """Run as if the server's process had another time zone."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = name
    pytime.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        pytime.tzset()


@tagged("post_install", "-at_install")
class TestDateProperties(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only our holidays count: the demo data's public holidays go
        cls.env["resource.calendar.leaves"].search(
            [("resource_id", "=", False)]
        ).unlink()
        cls.calendars = {}
        cls.users = {}
        for tz in TIME_ZONES:
            calendar = cls.env["resource.calendar"].create(
                {
                    "name": f"Monday to Friday, {tz}",
                    "tz": tz,
                    "company_id": cls.env.company.id,
                    "attendance_ids": [
                        (
                            0,
                            0,
                            {
                                "name": f"Day {day} {period}",
                                "dayofweek": str(day),
                                "hour_from": hour_from,
                                "hour_to": hour_to,
                                "day_period": period,
                            },
                        )
                        for day in range(5)
                        for hour_from, hour_to, period in (
                            (8, 12, "morning"),
                            (13, 17, "afternoon"),
                        )
                    ],
                }
            )
            zone = pytz.timezone(tz)
            cls.env["resource.calendar.leaves"].create(
                [
                    {
                        "name": f"Holiday {holiday}",
                        "calendar_id": calendar.id,
                        "company_id": cls.env.company.id,
                        "date_from": zone.localize(datetime.combine(holiday, time.min))
                        .astimezone(pytz.utc)
                        .replace(tzinfo=None),
                        "date_to": zone.localize(
                            datetime.combine(holiday, time(23, 59, 59))
                        )
                        .astimezone(pytz.utc)
                        .replace(tzinfo=None),
                    }
                    for holiday in HOLIDAYS
                ]
            )
            cls.calendars[tz] = calendar
            user = new_test_user(
                cls.env,
                f"pb_tz_{tz.lower().replace('/', '_')}",
                groups="sales_team.group_sale_salesman",
                tz=tz,
            )
            # users get a working calendar through their resource (an
            # employee's, with HR)
            cls.env["resource.resource"].create(
                {
                    "name": user.name,
                    "user_id": user.id,
                    "calendar_id": calendar.id,
                    "tz": tz,
                }
            )
            cls.users[tz] = user
        cls.Line = cls.env["sale.activity.playbook.line"]

    def deadline(self, unit, count, base=None, tz="UTC"):
        """The deadline a rule gives, from ``base`` (a previous deadline) or
        from today in the user's time zone."""
        rule = self.Line.new(
            {
                "delay_unit": unit,
                "delay_count": count,
                "delay_from": "previous_activity" if base else "current_date",
            }
        )
        return rule._get_date_deadline(self.users[tz], base)

    def working_day(self, base, count, tz):
        return self.Line._add_working_days(self.calendars[tz], base, count, {})

    # ------------------------------------------------------------------
    # Working days
    # ------------------------------------------------------------------

    @PROPERTIES
    @given(base=DATES, count=COUNTS, tz=st.sampled_from(TIME_ZONES))
    @example(base=date(2028, 2, 25), count=1, tz="Pacific/Kiritimati")
    @example(base=date(2027, 12, 23), count=0, tz="Pacific/Pago_Pago")
    def test_working_days_are_counted_as_by_hand(self, base, count, tz):
        # the n-th working day, skipping weekends and holidays, in every zone
        self.assertEqual(
            self.working_day(base, count, tz), nth_working_day(base, count)
        )

    @PROPERTIES
    @given(base=DATES, count=COUNTS, tz=st.sampled_from(TIME_ZONES))
    def test_working_day_results_are_working_days_after_the_base(self, base, count, tz):
        result = self.working_day(base, count, tz)
        self.assertTrue(is_working_day(result), result)
        if count:
            self.assertGreater(result, base)
        else:
            self.assertGreaterEqual(result, base)
            self.assertEqual(result == base, is_working_day(base))

    @PROPERTIES
    @given(base=DATES, count=COUNTS, tz=st.sampled_from(TIME_ZONES))
    def test_working_days_grow_with_the_count(self, base, count, tz):
        before, after = (self.working_day(base, n, tz) for n in (count, count + 1))
        if count:
            self.assertLess(before, after)
        else:
            # 0: the base or the next working day, which may be the first one
            # after the base too (on a weekend or a holiday)
            self.assertLessEqual(before, after)
            self.assertEqual(before == after, not is_working_day(base))

    @PROPERTIES
    @given(base=DATES, count=COUNTS, tz=st.sampled_from(TIME_ZONES))
    def test_working_days_of_the_user_s_calendar(self, base, count, tz):
        # through a rule, for a user working on that calendar
        self.assertEqual(
            self.deadline("working_days", count, base, tz), nth_working_day(base, count)
        )

    def test_longest_working_day_delay_lands_on_a_working_day(self):
        for tz in TIME_ZONES:
            with self.subTest(tz=tz):
                self.assertEqual(
                    self.working_day(date(2028, 2, 28), 2600, tz),
                    nth_working_day(date(2028, 2, 28), 2600),
                )

    # ------------------------------------------------------------------
    # Calendar days, weeks and months
    # ------------------------------------------------------------------

    @PROPERTIES
    @given(base=DATES, count=st.integers(0, 3650))
    def test_days_and_weeks_land_on_the_next_working_day(self, base, count):
        self.assertEqual(
            self.deadline("days", count, base),
            next_working_day(base + timedelta(count)),
        )
        self.assertEqual(
            self.deadline("weeks", count // 7, base),
            next_working_day(base + timedelta(weeks=count // 7)),
        )

    @PROPERTIES
    @given(base=DATES, count=st.integers(0, 120))
    @example(base=date(2028, 2, 29), count=12)
    @example(base=date(2028, 2, 29), count=48)
    @example(base=date(2027, 1, 31), count=1)
    @example(base=date(2028, 1, 31), count=1)
    def test_months_clamp_to_the_month_end_then_land(self, base, count):
        result = self.deadline("months", count, base)
        self.assertEqual(result, next_working_day(add_months(base, count)))
        self.assertTrue(is_working_day(result), result)
        self.assertLessEqual(result, self.deadline("months", count + 1, base))

    def test_leap_day_examples(self):
        # a Wednesday
        self.assertEqual(
            self.deadline("months", 12, date(2028, 2, 29)), date(2029, 2, 28)
        )
        # Sunday 29 February 2032: the Monday after
        self.assertEqual(
            self.deadline("months", 48, date(2028, 2, 29)), date(2032, 3, 1)
        )
        # 29 February 2028 is a public holiday here: the next working day
        self.assertEqual(
            self.deadline("months", 1, date(2028, 1, 31)), date(2028, 3, 1)
        )
        self.assertEqual(self.deadline("days", 1, date(2028, 2, 28)), date(2028, 3, 1))

    @PROPERTIES
    @given(
        base=DATES,
        count=COUNTS,
        unit=st.sampled_from(["days", "working_days", "weeks", "months"]),
    )
    def test_every_unit_never_goes_back_in_time(self, base, count, unit):
        self.assertGreaterEqual(self.deadline(unit, count, base), base)
        self.assertLessEqual(
            self.deadline(unit, count, base), self.deadline(unit, count + 1, base)
        )

    @PROPERTIES
    @given(
        base=st.dates(date(9999, 10, 1), date(9999, 12, 31)),
        count=st.integers(0, 3650),
        unit=st.sampled_from(["days", "working_days", "weeks", "months"]),
    )
    def test_deadlines_at_the_end_of_time_stop_there(self, base, count, unit):
        oracle = {
            "days": lambda: base + timedelta(days=count),
            "weeks": lambda: base + timedelta(weeks=count),
            "months": lambda: add_months(base, count),
            "working_days": lambda: nth_working_day(base, count),
        }[unit]
        try:
            expected = next_working_day(oracle())
        except (OverflowError, ValueError):
            expected = date.max
        result = self.deadline(unit, count, base)
        self.assertGreaterEqual(result, base)
        self.assertIn(result, (expected, date.max))

    # ------------------------------------------------------------------
    # Time zones
    # ------------------------------------------------------------------

    @PROPERTIES
    @given(
        instant=st.datetimes(datetime(2027, 1, 1), datetime(2029, 12, 31)),
        count=COUNTS,
        tz=st.sampled_from(TIME_ZONES),
    )
    def test_today_is_the_day_of_the_user_s_time_zone(self, instant, count, tz):
        local_today = pytz.utc.localize(instant).astimezone(pytz.timezone(tz)).date()
        with freeze_time(instant):
            self.assertEqual(
                self.deadline("days", count, tz=tz),
                next_working_day(local_today + timedelta(count)),
            )
            self.assertEqual(
                self.deadline("working_days", count, tz=tz),
                nth_working_day(local_today, count),
            )

    @PROPERTIES
    @given(
        base=DATES,
        count=COUNTS,
        unit=st.sampled_from(["days", "working_days", "weeks", "months"]),
        tz=st.sampled_from(TIME_ZONES),
        server_tz=st.sampled_from(["Pacific/Kiritimati", "Pacific/Pago_Pago"]),
    )
    def test_results_do_not_depend_on_the_server_time_zone(
        self, base, count, unit, tz, server_tz
    ):
        expected = self.deadline(unit, count, base, tz)
        with server_time_zone(server_tz):
            self.assertEqual(self.deadline(unit, count, base, tz), expected)
