# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TODAY
from .reminder_common import ReminderCase

THURSDAY = date(2026, 11, 26)
FRIDAY = date(2026, 11, 27)
TUESDAY = date(2026, 12, 1)
NEXT_MONDAY = date(2026, 12, 7)


class AbsenceCase(ReminderCase):
    """The salesperson and the leader are resources (employees, with HR) of
    the test company's calendar, in Brussels (UTC+1 in winter)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.salesman, cls.leader):
            cls.env["resource.resource"].create(
                {"name": user.name, "user_id": user.id, "calendar_id": cls.calendar.id}
            )
            user.notification_type = "inbox"

    def leave(self, user, first_day, last_day):
        """Time off of ``user`` from 8:00 on ``first_day`` to 17:00 on
        ``last_day``, Brussels time, as hr_holidays writes it."""
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": user.resource_ids.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime.combine(first_day, datetime.min.time()).replace(
                    hour=7
                ),
                "date_to": datetime.combine(last_day, datetime.min.time()).replace(
                    hour=16
                ),
            }
        )


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestAbsencePolicy(AbsenceCase):
    """A leave entered after the follow-ups were planned moves the playbook
    follow-ups that fall inside it, or gives them to the team leader."""

    def plan(self):
        """Done on the Wednesday's call plans a Follow-up on Friday and a
        quote the Monday after next, for the lead's salesperson."""
        self.add_rule(
            self.call, self.follow_up, delay_count=2, delay_from="current_date"
        )
        self.add_rule(
            self.call, self.create_quote, delay_count=12, delay_from="current_date"
        )
        self.schedule(self.call, user=self.lead.user_id).action_feedback()
        follow_up = self.activities(activity_type=self.follow_up)
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(follow_up.date_deadline, FRIDAY)
        self.assertEqual(quote.date_deadline, NEXT_MONDAY)
        return follow_up, quote

    def test_move_to_the_first_working_day_after_the_leave(self):
        self.assertEqual(self.team.playbook_absence_policy, "move", "the default")
        follow_up, quote = self.plan()
        by_hand = self.schedule(self.todo, deadline=FRIDAY)
        reminder_by_hand = self.schedule(self.follow_up, deadline=THURSDAY)
        # Thursday, Friday and Monday away: back on Tuesday
        leave = self.leave(self.salesman, THURSDAY, date(2026, 11, 30))
        self.assertEqual(follow_up.date_deadline, TUESDAY)
        self.assertEqual(follow_up.user_id, self.salesman)
        self.assertIn(
            "Moved from 11/27/2026 to 12/01/2026: Sally Salesman is on leave.",
            follow_up.note,
        )
        # outside the leave, or made by hand: unchanged
        self.assertEqual(quote.date_deadline, NEXT_MONDAY)
        self.assertEqual(by_hand.date_deadline, FRIDAY)
        self.assertEqual(reminder_by_hand.date_deadline, THURSDAY)
        self.assertFalse(quote.note)
        # a longer leave moves it again, by its new dates
        leave.date_to = datetime(2026, 12, 2, 16, 0)
        self.assertEqual(follow_up.date_deadline, date(2026, 12, 3))
        self.assertEqual(by_hand.date_deadline, FRIDAY)
        # a deleted leave moves nothing back
        leave.unlink()
        self.assertEqual(follow_up.date_deadline, date(2026, 12, 3))

    def test_first_day_back_skips_another_leave(self):
        follow_up, _quote = self.plan()
        self.leave(self.salesman, TUESDAY, TUESDAY)
        self.leave(self.salesman, THURSDAY, date(2026, 11, 30))
        self.assertEqual(follow_up.date_deadline, date(2026, 12, 2))

    def test_leader_policy_gives_the_followup_to_the_team_leader(self):
        self.team.playbook_absence_policy = "leader"
        follow_up, quote = self.plan()
        by_hand = self.schedule(self.todo, deadline=FRIDAY)
        self.leave(self.salesman, THURSDAY, date(2026, 11, 30))
        self.assertEqual(follow_up.user_id, self.leader)
        self.assertEqual(follow_up.date_deadline, FRIDAY)
        self.assertIn(
            "Reassigned from Sally Salesman to Lea Leader: Sally Salesman is on "
            "leave until 11/30/2026.",
            follow_up.note,
        )
        self.assertEqual(quote.user_id, self.salesman)
        self.assertEqual(by_hand.user_id, self.salesman)

    def test_leader_away_or_no_leader_moves_instead(self):
        self.team.playbook_absence_policy = "leader"
        self.lead.user_id = self.leader
        follow_up, _quote = self.plan()
        self.assertEqual(follow_up.user_id, self.leader)
        self.leave(self.leader, THURSDAY, date(2026, 11, 30))
        self.assertEqual(follow_up.user_id, self.leader)
        self.assertEqual(follow_up.date_deadline, TUESDAY)

    def test_team_without_leader_moves_instead(self):
        self.team.playbook_absence_policy = "leader"
        self.team.user_id = False
        follow_up, _quote = self.plan()
        self.leave(self.salesman, THURSDAY, date(2026, 11, 30))
        self.assertEqual(follow_up.user_id, self.salesman)
        self.assertEqual(follow_up.date_deadline, TUESDAY)

    def test_unknown_policy_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, 'is not a choice of "Follow-ups During a Leave"'
        ):
            self.team.write({"playbook_absence_policy": "nobody"})
        self.assertEqual(self.team.playbook_absence_policy, "move")


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestAbsenceNoteInDutch(AbsenceCase):
    """The note speaks the language of the follow-up's assignee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["sale_activity_playbooks"], ["nl_NL"], overwrite=True
        )

    def followup_on_friday(self):
        line = self.add_rule(
            self.call, self.follow_up, delay_count=2, delay_from="current_date"
        )
        self.schedule(self.call).action_feedback()
        follow_up = self.activities(activity_type=self.follow_up)
        self.assertEqual(follow_up.playbook_line_id, line)
        return follow_up

    def test_moved_note_in_dutch(self):
        self.salesman.lang = "nl_NL"
        follow_up = self.followup_on_friday()
        self.leave(self.salesman, THURSDAY, date(2026, 11, 30))
        self.assertIn(
            "Verplaatst van 27-11-2026 naar 01-12-2026: Sally Salesman is met verlof.",
            follow_up.note,
        )

    def test_reassigned_note_in_the_leaders_language(self):
        self.team.playbook_absence_policy = "leader"
        self.leader.lang = "nl_NL"
        follow_up = self.followup_on_friday()
        self.leave(self.salesman, THURSDAY, date(2026, 11, 30))
        self.assertIn(
            "Overgedragen van Sally Salesman aan Lea Leader: Sally Salesman is met "
            "verlof tot en met 30-11-2026.",
            follow_up.note,
        )


@freeze_time("2026-11-25 09:00:00")
@tagged("post_install", "-at_install")
class TestNothingToUsersOnLeave(AbsenceCase):
    """Reminders and escalations wait for the first working day back."""

    def run_on(self, day):
        with freeze_time(f"{day} 09:00:00"):
            return self.run_reminders()

    def test_reminder_waits_for_the_first_day_back(self):
        follow_up = self.reminder(summary="Call back")
        self.leave(self.salesman, TODAY, TODAY)
        self.assertFalse(self.digest_of(self.run_on("2026-11-25"), self.salesman))
        self.assertFalse(follow_up.reminded_on)
        thursday = self.run_on("2026-11-26")
        self.assertTrue(self.digest_of(thursday, self.salesman))
        self.assertTrue(follow_up.reminded_on)

    def test_escalation_waits_for_the_leader_back(self):
        follow_up = self.reminder(summary="Call back")
        self.run_on("2026-11-25")
        # Friday is the escalation day, the leader's day off
        self.leave(self.leader, FRIDAY, FRIDAY)
        friday = self.run_on("2026-11-27")
        self.assertFalse(self.digest_of(friday, self.leader))
        self.assertFalse(follow_up.escalated_on)
        monday = self.run_on("2026-11-30")
        self.assertTrue(self.digest_of(monday, self.leader))
        self.assertTrue(follow_up.escalated_on)

    def test_no_escalation_against_a_salesperson_on_leave(self):
        follow_up = self.reminder(summary="Call back")
        self.run_on("2026-11-25")
        self.leave(self.salesman, FRIDAY, FRIDAY)
        self.assertFalse(self.run_on("2026-11-27").digests)
        self.assertFalse(follow_up.escalated_on)
        self.assertTrue(self.digest_of(self.run_on("2026-11-30"), self.leader))
