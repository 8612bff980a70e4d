# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .send_stops_common import StopsCase


@freeze_time("2026-11-25 10:00:00")
@tagged("post_install", "-at_install")
class TestBounce(StopsCase):
    """When an email to the lead bounces, its automated emails become tasks:
    the salesperson finds another way to reach the customer."""

    def test_a_bounce_makes_the_automated_emails_tasks(self):
        with freeze_time("2026-11-23 15:00:00"):
            _first, first_log = self.email_sent()
        sent, last_log = self.email_sent()
        email = self.call_not_answered()
        by_hand = self.schedule(self.todo)
        self.receive_bounce(sent)
        self.assertEqual(self.lead.message_bounce, 1)
        self.assertActivitiesPending(email, "a task now")
        self.assertFalse(email.playbook_auto_send)
        self.assertFalse(email.playbook_send_at)
        self.assertActivitiesPending(by_hand)
        self.assertIn(
            "An email to carla@example.com bounced: the pending automated emails "
            "are now tasks for the salesperson.",
            self.notes(),
        )
        self.assertTrue(last_log.email_bounced, "the last email sent bounced")
        self.assertFalse(first_log.email_bounced)

    def test_a_bounce_without_an_automated_email_sent_marks_no_log(self):
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertFalse(log)
        email = self.call_not_answered()
        sent = self.lead._message_log(
            body="Written by hand",
            message_type="email",
            author_id=self.salesman.partner_id.id,
        )
        self.receive_bounce(sent)
        self.assertFalse(email.playbook_auto_send)
        self.assertFalse(
            self.env["sale.activity.followup.log"]
            .search([("lead_id", "=", self.lead.id)])
            .filtered("email_bounced")
        )

    def test_a_bounce_with_nothing_pending_only_marks_the_email(self):
        sent, log = self.email_sent()
        self.receive_bounce(sent)
        self.assertTrue(log.email_bounced)
        self.assertNotIn("bounced", self.notes())

    def test_other_leads_are_left_alone(self):
        sister = self.add_lead("Sister Deal", self.colleague)
        email = self.call_not_answered(sister)
        sent, _log = self.email_sent(sister)
        self.assertEqual(sent.date, datetime(2026, 11, 25, 10, 0))
        self.receive_bounce(self.email_sent()[0])
        self.assertTrue(email.playbook_auto_send, "dan@example.com did not bounce")
        self.assertEqual(sister.message_bounce, 0)

    def test_resetting_the_bounce_counter_changes_nothing(self):
        email = self.call_not_answered()
        self.lead.message_bounce = 0
        self.assertTrue(email.playbook_auto_send)
