# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import TODAY
from .test_outcomes import OutcomeCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestDoneWithOutcome(OutcomeCase):
    """The web client sends the outcome with the Done, in its context
    (``playbook_outcome_id``): one request sets it and completes the activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quote_rule = cls.add_rule(cls.call, cls.create_quote)
        cls.retry_rule = cls.add_rule(
            cls.call,
            cls.call,
            outcome_ids=[Command.set((cls.no_answer | cls.voicemail).ids)],
            delay_count=1,
            delay_unit="working_days",
            delay_from="current_date",
        )

    def schedule_call(self):
        return self.schedule(self.call).with_user(self.salesman)

    def assertNothingDone(self, activity):
        activity.invalidate_recordset()
        self.assertActivitiesPending(activity)
        self.assertFalse(activity.outcome_id)
        self.assertFalse(self.lead.message_ids.filtered("mail_activity_type_id"))
        self.assertEqual(self.activities(), activity)

    def test_a_done_with_the_outcome_logs_it_and_takes_its_branch(self):
        call = self.schedule_call()
        call.with_context(playbook_outcome_id=self.no_answer.id).action_feedback(
            feedback="Nobody picked up"
        )
        self.assertActivitiesDone(call)
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(log.outcome_id, self.no_answer)
        again = self.activities(activity_type=self.call)
        self.assertEqual(again.playbook_line_id, self.retry_rule)
        self.assertEqual(again.date_deadline, TODAY + timedelta(days=1))
        self.assertFalse(self.activities(activity_type=self.create_quote))
        message = self.lead.message_ids.filtered("mail_activity_type_id")[:1]
        self.assertIn("No answer", message.body)

    def test_the_outcome_sent_replaces_the_one_set_before_or_clears_it(self):
        for sent, rule in ((self.voicemail, self.retry_rule), (False, self.quote_rule)):
            with self.subTest(sent=sent):
                self.activities().unlink()
                call = self.schedule_call()
                call.outcome_id = self.reached
                call.with_context(
                    playbook_outcome_id=sent.id if sent else False
                ).action_feedback()
                self.assertEqual(self.activities().playbook_line_id, rule)

    def test_done_and_schedule_next_with_the_outcome(self):
        # the branch triggers the call again: nothing to schedule by hand
        call = self.schedule_call()
        action = call.with_context(
            playbook_outcome_id=self.voicemail.id
        ).action_feedback_schedule_next()
        self.assertFalse(action)
        self.assertEqual(self.activities().playbook_line_id, self.retry_rule)
        # a branch that suggests: the form offers what the outcome calls for,
        # and its context no longer carries the outcome
        self.add_rule(
            self.meeting,
            self.call,
            chaining_type="suggest",
            outcome_ids=[Command.set(self.no_show.ids)],
        )
        meeting = self.schedule(self.meeting).with_user(self.salesman)
        action = meeting.with_context(
            playbook_outcome_id=self.no_show.id
        ).action_feedback_schedule_next()
        self.assertNotIn("playbook_outcome_id", action["context"])
        form = Form(
            self.env["mail.activity"].with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertEqual(form.playbook_suggested_type_ids[:], self.call)

    def test_an_outcome_of_another_type_is_refused_and_nothing_done(self):
        for method in ("action_feedback", "action_feedback_schedule_next"):
            with self.subTest(method=method):
                call = self.schedule_call()
                with self.assertRaises(ValidationError) as refused:
                    getattr(
                        call.with_context(playbook_outcome_id=self.held.id), method
                    )()
                self.assertIn(
                    '"Held" is not an outcome of Call', str(refused.exception)
                )
                self.assertNothingDone(call)
                call.sudo().unlink()

    def test_an_outcome_that_is_no_record_is_refused_and_nothing_done(self):
        for sent in (999999999, "a", [self.no_answer.id], -1):
            with self.subTest(sent=sent):
                call = self.schedule_call()
                with self.assertRaises(ValidationError) as refused:
                    call.with_context(playbook_outcome_id=sent).action_feedback()
                self.assertIn('"Outcome"', str(refused.exception))
                self.assertNothingDone(call)
                call.sudo().unlink()

    def test_the_outcome_needs_the_access_that_the_done_needs(self):
        # a salesperson of their own leads only, on another's lead
        self.lead.user_id = self.clicker
        call = self.schedule(self.call, user=self.clicker)
        with self.assertRaises(AccessError):
            call.with_user(self.salesman).with_context(
                playbook_outcome_id=self.no_answer.id
            ).action_feedback()
        self.assertFalse(call.outcome_id)
        self.assertActivitiesPending(call)
