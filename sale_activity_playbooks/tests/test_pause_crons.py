# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MONDAY
from .test_neglect import NOW, NeglectCase


@tagged("post_install", "-at_install")
class TestPauseInTheCrons(NeglectCase):
    """While a lead's follow-ups are paused (the day they resume lies ahead in
    its salesperson's time zone): no reminder, no escalation and no neglect
    follow-up for it, hand-made Reminder activities included."""

    def pause_until(self, day, lead=None):
        (lead or self.lead).sudo().playbook_paused_until = day

    def run_on(self, moment, method="_cron_playbook_reminders", **kw):
        with freeze_time(moment):
            if method == "_cron_playbook_neglect":
                return self.run_neglect(**kw)
            return self.run_reminders(**kw)

    def test_no_reminder_while_paused_hand_made_ones_included(self):
        with freeze_time("2026-11-25 08:00:00"):
            by_hand = self.reminder(summary="Call back")
            other_lead = self.new_lead(days=0)
            not_paused = self.reminder(lead=other_lead, summary="Call back too")
            self.pause_until(date(2026, 11, 26))
        self.assertFalse(by_hand.playbook_line_id, "a hand-made Reminder")
        wednesday = self.run_on("2026-11-25 09:00:00")
        self.assertFalse(by_hand.reminded_on)
        self.assertTrue(not_paused.reminded_on, "other leads are reminded")
        self.assertNotIn("Big Deal", self.digest_of(wednesday, self.salesman).body)
        # the day it resumes
        thursday = self.run_on("2026-11-26 09:00:00")
        self.assertTrue(by_hand.reminded_on)
        self.assertIn("Big Deal", self.digest_of(thursday, self.salesman).body)

    def test_the_pause_ends_in_the_salesperson_s_time_zone(self):
        with freeze_time("2026-11-25 08:00:00"):
            follow_up = self.reminder()
            self.pause_until(date(2026, 11, 26))
        # 22:30 UTC on Wednesday: still Wednesday in Brussels, still paused
        self.run_on("2026-11-25 22:30:00")
        self.assertFalse(follow_up.reminded_on)
        # 23:30 UTC: Thursday in Brussels, resumed (not yet in UTC)
        self.run_on("2026-11-25 23:30:00")
        self.assertTrue(follow_up.reminded_on)

    def test_no_escalation_while_paused(self):
        self.assertEqual(self.playbook.escalation_days, 2)
        with freeze_time("2026-11-25 08:00:00"):
            follow_up = self.reminder()
        self.run_on("2026-11-25 09:00:00")  # reminded on the day
        with freeze_time("2026-11-27 08:00:00"):
            self.pause_until(MONDAY)
        friday = self.run_on("2026-11-27 09:00:00")
        self.assertFalse(follow_up.escalated_on)
        self.assertFalse(self.digest_of(friday, self.leader))
        monday = self.run_on("2026-11-30 09:00:00")
        self.assertTrue(follow_up.escalated_on)
        self.assertTrue(self.digest_of(monday, self.leader))

    def test_no_neglect_follow_up_while_paused(self):
        with freeze_time(NOW):
            other_lead = self.new_lead()
            self.pause_until(MONDAY)
            self.run_neglect()
            self.assertFalse(self.followups(self.lead), "paused: left alone")
            self.assertTrue(self.followups(other_lead), "others are watched")
        with freeze_time("2026-11-30 09:00:00"):
            self.run_neglect()
        self.assertEqual(len(self.followups(self.lead)), 1)

    def test_schedule_follow_up_says_a_lead_is_paused(self):
        with freeze_time(NOW):
            self.pause_until(MONDAY)
            action = self.lead.with_user(
                self.salesman
            ).action_schedule_playbook_followup()
        self.assertFalse(self.followups(self.lead))
        self.assertEqual(
            action["params"]["message"],
            "Follow-ups scheduled: 0. Follow-ups paused: 1.",
        )

    # The crons' raw queries read the database: a pause written just before
    # them, not flushed yet, holds. Their methods are called directly here,
    # as nothing flushes for them.

    def pause_unflushed(self, *leads):
        self.env.flush_all()
        (self.lead | self.lead.browse().union(*leads)).sudo().write(
            {"playbook_paused_until": MONDAY}
        )

    @freeze_time(NOW)
    def test_a_pause_just_written_holds_for_the_reminders(self):
        due = self.reminder(deadline=NOW.date())
        other = self.reminder(lead=self.new_lead(days=0), deadline=NOW.date())
        self.pause_unflushed()
        self.env["sale.activity.reminder"]._cron_playbook_reminders()
        self.assertTrue(other.reminded_on, "the cron ran")
        self.assertFalse(due.reminded_on)

    @freeze_time(NOW)
    def test_a_pause_just_written_holds_for_the_escalation(self):
        overdue = self.reminder(deadline=NOW.date() - timedelta(days=7))
        other = self.reminder(
            lead=self.new_lead(days=0), deadline=NOW.date() - timedelta(days=7)
        )
        self.pause_unflushed()
        escalations, _left = self.env["sale.activity.reminder"]._due_escalations(
            NOW, 2000
        )
        self.assertIn(other, escalations, "the escalation ran")
        self.assertNotIn(overdue, escalations)

    @freeze_time(NOW)
    def test_a_pause_just_written_holds_for_the_neglect_scan(self):
        neglected = self.new_lead()
        other = self.new_lead()
        self.pause_unflushed(neglected)
        self.env["sale.activity.neglect"]._cron_playbook_neglect()
        self.assertTrue(self.followups(other), "the scan ran")
        self.assertFalse(self.followups(neglected))
