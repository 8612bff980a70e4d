# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import MONDAY, TODAY
from .send_common import (
    NEW_YORK_EVENING,
    NEW_YORK_MORNING,
    NEW_YORK_NOON,
    SendCase,
)


@tagged("post_install", "-at_install")
class TestSendSettings(SendCase):
    """What may be configured for automated emails, and what is refused."""

    def test_a_rule_that_sends_needs_a_template(self):
        with self.refused("choose the email template"):
            self.send_rule.mail_template_id = False
        self.assertEqual(self.send_rule.mail_template_id, self.template)

    def test_a_rule_that_sends_schedules_exactly_one_activity(self):
        with self.refused("exactly one activity"):
            self.send_rule.next_type_ids = [Command.link(self.call.id)]
        with self.refused("exactly one activity"):
            self.send_rule.chaining_type = "suggest"
        with self.refused("exactly one activity"):
            self.send_rule.chaining_type = "stop"
        self.assertEqual(self.send_rule.chaining_type, "trigger")

    def test_a_template_of_another_model_is_refused(self):
        partner_template = self.env["mail.template"].create(
            {"name": "Partner", "model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        with self.refused("written for leads"):
            self.send_rule.mail_template_id = partner_template
        rule = self.add_rule(self.meeting, self.email)
        with self.refused("written for leads"):
            rule.mail_template_id = partner_template

    def test_sending_hours_stay_within_the_day(self):
        for hours in ((-1, 17), (9, 24.5), (17, 9), (9, 9)):
            with self.subTest(hours=hours), self.refused("within the day"):
                self.playbook.write(
                    {"send_hour_from": hours[0], "send_hour_to": hours[1]}
                )
        self.playbook.write({"send_hour_from": 0, "send_hour_to": 24})
        self.assertEqual(self.playbook.send_hour_to, 24)

    def test_a_negative_pause_or_limit_is_refused(self):
        with self.refused("from 0"):
            self.playbook.auto_reply_pause_days = -1
        with self.refused("cannot be negative"):
            self.team.playbook_daily_send_limit = -1
        self.assertEqual(self.playbook.auto_reply_pause_days, 5)
        self.assertEqual(self.team.playbook_daily_send_limit, 100)

    def test_the_sentence_says_it_sends(self):
        self.assertIn(
            "then send 'Follow-up after no answer' automatically between 9:00 and "
            "17:00, customer's time",
            self.send_rule.display_name,
        )
        self.send_rule.auto_send = False
        self.assertNotIn("automatically", self.send_rule.display_name)

    def test_no_preconfigured_rule_sends(self):
        rules = (
            self.env["sale.activity.playbook.line"]
            .with_context(active_test=False)
            .search([("auto_send", "=", True)])
        )
        self.assertEqual(rules, self.send_rule)
        self.assertEqual(self.template.model, "crm.lead")


@tagged("post_install", "-at_install")
class TestSendTime(SendCase):
    """When an automated follow-up goes out: the playbook's hours of the
    recipient's day, on the follow-up's deadline."""

    @freeze_time(NEW_YORK_MORNING)
    def test_planned_with_the_rule_at_the_start_of_the_window(self):
        email = self.call_not_answered()
        self.assertTrue(email.playbook_auto_send)
        self.assertEqual(email.date_deadline, TODAY)
        # 9:00 in New York
        self.assertEqual(email.playbook_send_at, datetime(2026, 11, 25, 14, 0))

    @freeze_time(NEW_YORK_NOON)
    def test_inside_the_window_it_is_now(self):
        email = self.call_not_answered()
        self.assertEqual(email.playbook_send_at, NEW_YORK_NOON)

    @freeze_time(NEW_YORK_EVENING)
    def test_after_the_window_it_is_the_next_window(self):
        email = self.call_not_answered()
        self.assertEqual(email.playbook_send_at, datetime(2026, 11, 26, 14, 0))

    @freeze_time(NEW_YORK_MORNING)
    def test_without_a_customer_zone_the_assignee_s(self):
        self.customer.tz = False
        email = self.call_not_answered()
        # 13:00 in Brussels: inside the salesperson's hours
        self.assertEqual(email.playbook_send_at, NEW_YORK_MORNING)
        self.salesman.tz = False
        email.user_id = self.clicker
        self.clicker.tz = False
        email.date_deadline = MONDAY
        self.assertEqual(email.playbook_send_at, datetime(2026, 11, 30, 9, 0))

    @freeze_time(NEW_YORK_MORNING)
    def test_computed_again_when_the_deadline_or_the_partner_changes(self):
        email = self.call_not_answered()
        email.date_deadline = MONDAY
        self.assertEqual(email.playbook_send_at, datetime(2026, 11, 30, 14, 0))
        tokyo = self.env["res.partner"].create(
            {"name": "Taro", "email": "taro@example.com", "tz": "Asia/Tokyo"}
        )
        self.lead.partner_id = tokyo
        # 9:00 in Tokyo on Monday is Sunday midnight UTC
        self.assertEqual(email.playbook_send_at, datetime(2026, 11, 30, 0, 0))

    @freeze_time(NEW_YORK_MORNING)
    def test_a_pause_moves_the_send_time(self):
        email = self.call_not_answered()
        self.lead.playbook_paused_until = MONDAY
        self.assertEqual(email.date_deadline, MONDAY)
        self.assertEqual(email.playbook_send_at, datetime(2026, 11, 30, 14, 0))

    @freeze_time(NEW_YORK_MORNING)
    def test_a_weekend_deadline_waits_for_a_working_day(self):
        email = self.call_not_answered()
        email.date_deadline = date(2026, 11, 28)  # a Saturday
        self.assertEqual(email.playbook_send_at, datetime(2026, 11, 30, 14, 0))

    @freeze_time(NEW_YORK_MORNING)
    def test_hand_made_activities_never_send(self):
        email = self.schedule(self.email)
        self.assertFalse(email.playbook_auto_send)
        self.assertFalse(email.playbook_send_at)
        with self.refused("sends automatically"):
            email.playbook_auto_send = True

    @freeze_time(NEW_YORK_MORNING)
    def test_one_click_makes_it_a_manual_task(self):
        email = self.call_not_answered()
        email.with_user(self.salesman).action_playbook_send_manually()
        self.assertFalse(email.playbook_auto_send)
        self.assertFalse(email.playbook_send_at)
        self.assertActivitiesPending(email)
