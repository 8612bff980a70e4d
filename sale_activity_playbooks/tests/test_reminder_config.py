# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PlaybookCase


@tagged("post_install", "-at_install")
class TestReminderConfig(PlaybookCase):
    """Reminder settings of playbooks: bad input is refused with a clear
    message and nothing is half-saved; the activity views show the dates."""

    def assert_write_refused(self, message_part, values):
        before = self.playbook.read(
            ["description", "escalation_days", "neglect_days", "followup_type_id"]
        )
        with self.assertRaises(ValidationError) as caught:
            self.playbook.write({"description": "Changed", **values})
        self.assertIn(message_part, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(
            self.playbook.read(
                ["description", "escalation_days", "neglect_days", "followup_type_id"]
            ),
            before,
        )

    def test_negative_escalation_days_are_refused(self):
        self.assert_write_refused(
            "cannot be negative: use 0 to turn them off", {"escalation_days": -2}
        )

    def test_negative_neglect_days_are_refused(self):
        self.assert_write_refused(
            "cannot be negative: use 0 to turn them off", {"neglect_days": -7}
        )

    def test_neglect_without_follow_up_type_is_refused(self):
        self.assert_write_refused(
            "Choose the follow-up type that Test cadence schedules on neglected leads",
            {"neglect_days": 7, "followup_type_id": False},
        )

    def test_follow_up_type_of_another_model_is_refused(self):
        partner_type = self.env["mail.activity.type"].create(
            {"name": "Partner check", "res_model": "res.partner"}
        )
        self.assert_write_refused(
            "Partner check of Test cadence cannot be scheduled on leads",
            {"neglect_days": 7, "followup_type_id": partner_type.id},
        )

    def test_follow_up_type_in_use_cannot_move_to_another_model(self):
        custom = self.env["mail.activity.type"].create({"name": "Nudge"})
        self.playbook.followup_type_id = custom
        with self.assertRaises(ValidationError):
            custom.res_model = "res.partner"
        with self.assertRaises(ValidationError):
            custom.action_archive()
        self.assertTrue(custom.active)
        self.assertFalse(custom.res_model)

    def test_activity_views_show_reminded_and_escalated(self):
        Activity = self.env["mail.activity"]
        list_arch = etree.fromstring(
            Activity.get_view(self.env.ref("mail.mail_activity_view_tree").id)["arch"]
        )
        self.assertTrue(list_arch.xpath("//field[@name='reminded_on']"))
        self.assertTrue(list_arch.xpath("//field[@name='escalated_on']"))
        search_arch = etree.fromstring(
            Activity.get_view(
                self.env.ref("mail.mail_activity_view_search").id, "search"
            )["arch"]
        )
        filters = {
            node.get("name"): node.get("string")
            for node in search_arch.xpath("//filter")
        }
        self.assertEqual(filters["filter_reminded"], "Reminded")
        self.assertEqual(filters["filter_escalated"], "Escalated")
        self.assertTrue(Activity._fields["reminded_on"].readonly)
        self.assertTrue(Activity._fields["escalated_on"].readonly)
