# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import MONDAY, TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestPreconfigured(PlaybookCase):
    """Every step of the preconfigured playbooks, on a team that follows
    them."""

    def follow(self, *xmlids):
        playbooks = self.env["sale.activity.playbook"]
        for xmlid in xmlids:
            playbooks |= self.env.ref(f"sale_activity_playbooks.{xmlid}")
        self.team.playbook_ids = [Command.set(playbooks.ids)]

    def suggestions(self, activity):
        action = activity.with_user(self.clicker).action_feedback_schedule_next()
        return Form(
            self.env["mail.activity"]
            .with_user(self.clicker)
            .with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )

    def test_preconfigured_playbooks_follow_no_team_and_assign_the_lead_owner(self):
        for xmlid in (
            "playbook_standard_cadence",
            "playbook_website_lead",
            "playbook_follow_up_discipline",
        ):
            playbook = self.env.ref(f"sale_activity_playbooks.{xmlid}")
            self.assertTrue(playbook.line_ids)
            self.assertEqual(
                set(playbook.line_ids.mapped("responsible")), {"lead_owner"}
            )
            self.assertFalse(playbook.company_id)
            data = self.env["ir.model.data"].search(
                [("module", "=", "sale_activity_playbooks"), ("name", "=", xmlid)]
            )
            self.assertTrue(data.noupdate)

    # Standard sales cadence

    def test_standard_cadence_email_done_suggests_call_or_meeting(self):
        self.follow("playbook_standard_cadence")
        email = self.schedule(self.email, deadline=TODAY + timedelta(days=1))
        form = self.suggestions(email)
        self.assertEqual(form.playbook_suggested_type_ids[:], self.call | self.meeting)
        form.playbook_recommended_type_id = self.meeting
        # Thursday + 2 days is a Saturday: the Monday after
        self.assertEqual(form.date_deadline, MONDAY)
        self.assertEqual(form.user_id, self.salesman)

    def test_standard_cadence_call_done_triggers_create_quote(self):
        self.follow("playbook_standard_cadence")
        self.schedule(self.call).with_user(self.clicker).action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(quote.date_deadline, TODAY + timedelta(days=1))
        self.assertEqual(quote.user_id, self.salesman)

    def test_standard_cadence_meeting_done_triggers_create_quote(self):
        self.follow("playbook_standard_cadence")
        self.schedule(
            self.meeting, deadline=TODAY - timedelta(days=2)
        ).action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(quote.date_deadline, TODAY + timedelta(days=1))

    def test_standard_cadence_quote_done_triggers_follow_up_on_quote(self):
        self.follow("playbook_standard_cadence")
        self.schedule(self.create_quote).action_feedback()
        follow_up = self.activities(activity_type=self.follow_up_quote)
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=5))
        self.assertEqual(follow_up.activity_category, "reminder")

    # Website lead

    def test_website_lead_call_done_triggers_the_proposal_upload(self):
        self.follow("playbook_website_lead")
        self.schedule(self.call).action_feedback()
        upload = self.activities(activity_type=self.upload)
        self.assertEqual(upload.date_deadline, TODAY + timedelta(days=1))
        self.assertEqual(upload.summary, "Upload the proposal")

    def test_website_lead_upload_done_suggests_signature_or_meeting(self):
        self.follow("playbook_website_lead")
        form = self.suggestions(self.schedule(self.upload))
        self.assertEqual(
            form.playbook_suggested_type_ids[:], self.request_signature | self.meeting
        )
        form.playbook_recommended_type_id = self.request_signature
        # Wednesday + 2 working days
        self.assertEqual(form.date_deadline, TODAY + timedelta(days=2))

    # Follow-up discipline

    def test_follow_up_discipline_after_every_email(self):
        self.follow("playbook_follow_up_discipline")
        self.schedule(self.email, deadline=TODAY + timedelta(days=3))
        follow_up = self.activities(activity_type=self.follow_up)
        # the day after a Saturday email is a Sunday: the Monday after
        self.assertEqual(follow_up.date_deadline, MONDAY)
        self.assertEqual(follow_up.summary, "Follow up on the email")

    def test_follow_up_discipline_after_every_meeting(self):
        self.follow("playbook_follow_up_discipline")
        self.schedule(self.meeting, deadline=TODAY + timedelta(days=3))
        follow_up = self.activities(activity_type=self.follow_up)
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=5))

    def test_whole_cadence_with_discipline(self):
        """Email -> (follow-up) -> Meeting -> (follow-up) -> Quote -> Follow-up
        on quote, on a team following two playbooks."""
        self.follow("playbook_standard_cadence", "playbook_follow_up_discipline")
        email = self.schedule(self.email)
        self.assertEqual(len(self.activities(activity_type=self.follow_up)), 1)
        form = self.suggestions(email)
        form.playbook_recommended_type_id = self.meeting
        meeting = form.save()
        # the email's follow-up, still open, satisfies the meeting's rule: the
        # salesperson gets no second one (done, the email released it)
        follow_up = self.activities(activity_type=self.follow_up)
        self.assertEqual(len(follow_up), 1)
        self.assertFalse(follow_up.playbook_source_ids)
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=1))
        meeting.action_feedback()
        self.activities(activity_type=self.create_quote).action_feedback()
        self.assertEqual(len(self.activities(activity_type=self.follow_up_quote)), 1)
