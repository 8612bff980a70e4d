# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import TODAY, PlaybookCase

# A Thursday, a week ahead; the Saturday after it
PAUSED_UNTIL = date(2026, 12, 3)
SATURDAY = date(2026, 12, 5)


@freeze_time("2026-11-25 10:00:00")
@tagged("post_install", "-at_install")
class TestPause(PlaybookCase):
    """A salesperson pauses a lead's follow-ups until a day, with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_rule(cls.call, cls.create_quote, delay_count=1)

    def pause(self, until=PAUSED_UNTIL, reason="On holiday", user=None):
        user = user or self.salesman
        action = self.lead.with_user(user).action_pause_playbook_followups()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.date = until
        form.reason = reason
        return form.save().action_pause()

    def test_pausing_moves_the_rules_follow_ups_due_before_the_day(self):
        self.schedule(self.call).action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        later = self.schedule(self.todo, deadline=date(2026, 12, 10))
        by_hand = self.schedule(self.meeting, deadline=TODAY)
        self.pause()
        self.assertEqual(quote.date_deadline, PAUSED_UNTIL)
        self.assertEqual(by_hand.date_deadline, TODAY, "hand-made: left alone")
        self.assertEqual(later.date_deadline, date(2026, 12, 10))
        self.assertEqual(self.lead.playbook_paused_until, PAUSED_UNTIL)
        self.assertTrue(self.lead.playbook_paused)

    def test_a_pause_ending_on_a_weekend_resumes_on_the_next_working_day(self):
        self.schedule(self.call).action_feedback()
        self.pause(until=SATURDAY)
        self.assertEqual(
            self.activities(activity_type=self.create_quote).date_deadline,
            date(2026, 12, 7),
        )

    def test_the_reason_goes_in_the_chatter(self):
        self.pause(reason="Back from holiday on the 3rd")
        note = self.lead.message_ids[:1]
        self.assertIn("Follow-ups paused until", note.body)
        self.assertIn("Back from holiday on the 3rd", note.body)

    def test_a_day_in_the_past_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            self.pause(until=TODAY - timedelta(days=1))
        self.assertIn("the day is past", str(refused.exception))
        self.assertFalse(self.lead.playbook_paused_until)
        self.pause(until=TODAY)  # today is fine
        self.assertFalse(self.lead.playbook_paused, "nothing lies ahead")

    def test_today_is_the_salesperson_s_today(self):
        # 23:30 UTC on Wednesday: Thursday already in Brussels
        with freeze_time("2026-11-25 23:30:00"), self.assertRaises(ValidationError):
            self.pause(until=TODAY)

    def test_rules_still_apply_but_not_before_the_day(self):
        self.pause()
        self.schedule(self.call).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).date_deadline,
            PAUSED_UNTIL,
        )

    def test_resuming_clears_the_day(self):
        self.pause()
        self.lead.with_user(self.salesman).action_resume_playbook_followups()
        self.assertFalse(self.lead.playbook_paused_until)
        self.schedule(self.call).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).date_deadline,
            TODAY + timedelta(days=1),
        )

    def test_the_day_passing_resumes_everything(self):
        self.pause()
        with freeze_time("2026-12-04 10:00:00"):
            self.assertFalse(self.lead.playbook_paused)
            self.schedule(self.call, deadline=date(2026, 12, 4)).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).date_deadline,
            date(2026, 12, 7),
        )

    def test_whoever_may_write_the_lead_may_pause_it(self):
        # Sally owns the lead; another salesperson of "own leads" may not
        other = new_test_user(
            self.env, "pb_other", groups="sales_team.group_sale_salesman"
        )
        self.pause(user=self.salesman)
        with self.assertRaises(AccessError):
            self.pause(user=other)
