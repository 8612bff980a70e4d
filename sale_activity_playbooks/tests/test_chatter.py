# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged

from odoo.addons.sale_activity_playbooks.odoo_series import ACTIVITY_TYPE_BADGES

from .common import MONDAY, TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestChatter(PlaybookCase):
    """What the chatter receives and shows: reminders, escalations, the playbook
    that created an activity, and the playbook's suggestions first in "Done &
    Schedule Next"."""

    def activity_data(self, activity, user):
        store = activity.with_user(user).activity_format()
        return next(
            data for data in store["mail.activity"] if data["id"] == activity.id
        )

    def test_chatter_receives_reminder_escalation_and_playbook(self):
        self.add_rule(self.call, self.follow_up)
        self.schedule(self.call).action_feedback()
        follow_up = self.activities(activity_type=self.follow_up)
        follow_up.escalated_on = datetime(2026, 11, 25, 8)
        data = self.activity_data(follow_up, self.salesman)
        self.assertEqual(data["activity_category"], "reminder")
        self.assertEqual(data["playbook_id"], (self.playbook.id, "Test cadence"))
        self.assertEqual(data["escalated_on"], "2026-11-25 08:00:00")
        self.assertFalse(data["reminded_on"])

    def test_chatter_of_an_activity_made_by_hand_names_no_playbook(self):
        data = self.activity_data(self.schedule(self.todo), self.salesman)
        # False, as JSON sends it (an empty recordset would arrive as a string)
        self.assertIs(data["playbook_id"], False)
        self.assertNotEqual(data["activity_category"], "reminder")

    def test_done_and_schedule_next_preselects_the_first_suggestion(self):
        self.add_rule(
            self.email, self.call | self.meeting, chaining_type="suggest", delay_count=2
        )
        email = self.schedule(self.email, deadline=TODAY + timedelta(days=1))
        action = email.with_user(self.clicker).action_feedback_schedule_next()
        form = Form(
            self.env["mail.activity"]
            .with_user(self.clicker)
            .with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertEqual(form.playbook_recommended_type_id, self.call)
        self.assertEqual(form.activity_type_id, self.call)
        # two days after Thursday is a Saturday: the next working day
        self.assertEqual(form.date_deadline, MONDAY)
        self.assertEqual(form.user_id, self.salesman, "the lead's salesperson")
        self.assertEqual(
            form.playbook_suggestion,
            "Test cadence: When Email is marked as done, suggest Call or Meeting "
            "2 days after its deadline.",
        )
        form.playbook_recommended_type_id = self.meeting
        self.assertEqual(form.activity_type_id, self.meeting)
        self.assertEqual(form.date_deadline, MONDAY)
        meeting = form.save()
        self.assertEqual(meeting.playbook_id, self.playbook)

    def test_done_and_schedule_next_shows_one_row_of_activity_types(self):
        view = self.env.ref("mail.mail_activity_view_form_popup")
        arch = etree.fromstring(
            self.env["mail.activity"].get_view(view.id, "form")["arch"]
        )
        activity_type = arch.xpath("//field[@name='activity_type_id']")[0]
        suggestions = arch.xpath("//group[field[@name='playbook_recommended_type_id']]")
        classes = suggestions[0].get("class").split()
        if ACTIVITY_TYPE_BADGES:
            # 19.0: the row of type buttons marks the suggestions
            self.assertEqual(activity_type.get("widget"), "sap_activity_type_badges")
            self.assertIn("d-none", classes)
        else:
            # 18.0: the type is a dropdown, under the row of suggestions
            self.assertFalse(activity_type.get("widget"))
            self.assertNotIn("d-none", classes)

    def test_done_and_schedule_next_without_playbook_is_native(self):
        email = self.schedule(self.email, lead=self.plain_lead)
        action = email.action_feedback_schedule_next()
        form = Form(
            self.env["mail.activity"].with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertFalse(form.playbook_suggestion)
        self.assertFalse(form.playbook_recommended_type_id)
        self.assertFalse(form.playbook_line_id)
