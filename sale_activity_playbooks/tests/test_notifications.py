# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestNotifications(PlaybookCase):
    """No email storm: playbook activities do not send "assigned to you"
    unless the playbook asks for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman.notification_type = "email"
        cls.add_rule(cls.call, cls.create_quote)

    def assigned_notifications(self):
        return self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("subject", "ilike", "assigned to you"),
                ("partner_ids", "in", self.salesman.partner_id.ids),
            ]
        )

    def test_playbook_activities_send_no_assignment_email(self):
        call = self.schedule(self.call, as_user=self.clicker)
        before = self.assigned_notifications()
        call.with_user(self.clicker).action_feedback()
        self.assertTrue(self.activities(activity_type=self.create_quote))
        self.assertEqual(self.assigned_notifications(), before)

    def test_notify_assignment_sends_it(self):
        self.playbook.notify_assignment = True
        call = self.schedule(self.call, as_user=self.clicker)
        before = self.assigned_notifications()
        call.with_user(self.clicker).action_feedback()
        self.assertGreater(len(self.assigned_notifications() - before), 0)
