# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .send_stops_common import StopsCase

TOMORROW_AT_TEN = datetime(2026, 11, 26, 10, 0)
YESTERDAY_AT_TEN = datetime(2026, 11, 24, 10, 0)


@freeze_time("2026-11-25 10:00:00")
@tagged("post_install", "-at_install")
class TestMeetingStops(StopsCase):
    """With "Stop on a Meeting", a meeting ahead planned on the lead removes
    the playbook's pending follow-ups, as the goal stage does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.playbook.stop_on_meeting = True
        cls.other = cls.env["sale.activity.playbook"].create(
            {"name": "No meeting stop", "team_ids": [Command.link(cls.team.id)]}
        )
        cls.add_rule(cls.call, cls.todo, playbook=cls.other)

    def meet(self, start=TOMORROW_AT_TEN, lead=None, **values):
        return self.env["calendar.event"].create(
            {
                "name": "Demo",
                "start": start,
                "stop": start.replace(hour=11),
                "user_id": self.salesman.id,
                "opportunity_id": (lead or self.lead).id,
                **values,
            }
        )

    def test_a_meeting_ahead_removes_the_playbook_s_pending_follow_ups(self):
        email = self.call_not_answered()
        todo = self.activities(activity_type=self.todo)
        by_hand = self.schedule(self.email)
        self.meet()
        self.assertFalse(email.exists())
        self.assertActivitiesPending(todo, "a playbook without the stop keeps its own")
        self.assertActivitiesPending(by_hand)

    def test_a_past_meeting_removes_nothing(self):
        email = self.call_not_answered()
        self.meet(start=YESTERDAY_AT_TEN)
        self.assertActivitiesPending(email)

    def test_a_meeting_linked_to_the_lead_later_stops_it(self):
        email = self.call_not_answered()
        event = self.meet(opportunity_id=False)
        self.assertActivitiesPending(email)
        event.opportunity_id = self.lead
        self.assertFalse(email.exists())

    def test_without_the_stop_the_follow_ups_stay(self):
        self.playbook.stop_on_meeting = False
        email = self.call_not_answered()
        self.meet()
        self.assertActivitiesPending(email)

    def test_a_meeting_on_another_lead_removes_nothing(self):
        email = self.call_not_answered()
        self.meet(lead=self.plain_lead)
        self.meet(lead=self.add_lead("Sister Deal", self.colleague))
        self.assertActivitiesPending(email)

    def test_the_meeting_booked_from_a_follow_up_keeps_it(self):
        self.add_rule(self.call, self.meeting)
        self.schedule(self.call).action_feedback()
        meeting = self.activities(activity_type=self.meeting)
        self.assertTrue(meeting.playbook_line_id)
        self.meet(activity_ids=[Command.set(meeting.ids)])
        self.assertActivitiesPending(meeting)
        self.assertEqual(meeting.calendar_event_id.name, "Demo")
