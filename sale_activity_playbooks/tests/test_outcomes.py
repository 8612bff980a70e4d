# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import TODAY, PlaybookCase


class OutcomeCase(PlaybookCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.reached = ref("sale_activity_playbooks.outcome_call_reached")
        cls.no_answer = ref("sale_activity_playbooks.outcome_call_no_answer")
        cls.voicemail = ref("sale_activity_playbooks.outcome_call_voicemail")
        cls.not_interested = ref("sale_activity_playbooks.outcome_call_not_interested")
        cls.held = ref("sale_activity_playbooks.outcome_meeting_held")
        cls.no_show = ref("sale_activity_playbooks.outcome_meeting_no_show")

    def done(self, activity_type=None, outcome=None, lead=None, user=None, **kw):
        """Schedule an activity and mark it done with ``outcome``, as the
        chatter does: set the outcome, then mark it done."""
        activity = self.schedule(activity_type or self.call, lead=lead, **kw)
        if user:
            activity = activity.with_user(user)
        if outcome:
            activity.outcome_id = outcome
        activity.action_feedback(feedback="Done")
        return activity


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestOutcomes(OutcomeCase):
    """How an activity went: outcomes per type, picked when it is done."""

    def test_preconfigured_outcomes(self):
        outcomes = self.env["sale.activity.outcome"].search(
            [("id", "in", (self.reached | self.no_show).ids)]
        )
        self.assertEqual(len(outcomes), 2)
        self.assertRecordValues(
            self.reached
            | self.no_answer
            | self.voicemail
            | self.not_interested
            | self.held
            | self.no_show,
            [
                {"name": "Reached", "result": "positive"},
                {"name": "No answer", "result": "neutral"},
                {"name": "Left a voicemail", "result": "neutral"},
                {"name": "Not interested", "result": "negative"},
                {"name": "Held", "result": "positive"},
                {"name": "No-show", "result": "neutral"},
            ],
        )
        self.assertEqual(self.reached.activity_type_ids, self.call)
        self.assertEqual(self.held.activity_type_ids, self.meeting)
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "sale_activity_playbooks"),
                ("model", "=", "sale.activity.outcome"),
            ]
        )
        self.assertEqual(len(data), 6)
        self.assertTrue(all(data.mapped("noupdate")))

    def test_an_activity_offers_the_outcomes_of_its_type(self):
        call = self.schedule(self.call)
        self.assertEqual(
            call.playbook_outcome_ids,
            self.reached | self.no_answer | self.voicemail | self.not_interested,
        )
        self.assertEqual(
            self.schedule(self.meeting).playbook_outcome_ids, self.held | self.no_show
        )
        everywhere = self.env["sale.activity.outcome"].create({"name": "Postponed"})
        call.invalidate_recordset()  # a new request
        self.assertIn(everywhere, self.schedule(self.todo).playbook_outcome_ids)
        self.assertIn(everywhere, call.playbook_outcome_ids)
        everywhere.action_archive()
        self.assertNotIn(everywhere, self.schedule(self.todo).playbook_outcome_ids)

    def test_an_outcome_of_another_type_is_refused(self):
        meeting = self.schedule(self.meeting)
        with self.assertRaises(ValidationError) as refused:
            meeting.outcome_id = self.no_answer
        self.assertIn("is not an outcome of Meeting", str(refused.exception))
        # changing the type of an activity with an outcome too
        call = self.schedule(self.call)
        call.outcome_id = self.no_answer
        with self.assertRaises(ValidationError):
            call.activity_type_id = self.meeting

    def test_salespeople_read_outcomes_and_managers_edit_them(self):
        outcome = self.reached.with_user(self.salesman)
        self.assertEqual(outcome.name, "Reached")
        self.assertFalse(outcome.has_access("write"))
        self.assertTrue(self.reached.with_user(self.leader).has_access("write"))
        self.env["sale.activity.outcome"].with_user(self.leader).create(
            {"name": "Wrong number", "activity_type_ids": [Command.link(self.call.id)]}
        )

    def test_the_done_message_names_the_outcome(self):
        self.done(outcome=self.voicemail)
        message = self.lead.message_ids.filtered("mail_activity_type_id")[:1]
        self.assertEqual(message.mail_activity_type_id, self.call)
        self.assertIn("Outcome:", message.body)
        self.assertIn("Left a voicemail", message.body)

    def test_every_lead_activity_done_with_an_outcome_is_logged(self):
        Log = self.env["sale.activity.followup.log"]
        # a call made by hand, on a lead of a team without playbook
        self.done(outcome=self.reached, lead=self.plain_lead)
        log = Log.search([("lead_id", "=", self.plain_lead.id)])
        self.assertEqual(log.outcome_id, self.reached)
        self.assertEqual(log.activity_type_id, self.call)
        self.assertFalse(log.is_followup)
        # done without an outcome, and no follow-up: nothing to log
        self.done(lead=self.plain_lead)
        self.assertEqual(len(Log.search([("lead_id", "=", self.plain_lead.id)])), 1)

    def test_the_follow_up_report_counts_only_follow_ups(self):
        self.done(outcome=self.reached, lead=self.plain_lead)
        rows = self.env["sale.activity.followup.report"].search(
            [("lead_id", "=", self.plain_lead.id)]
        )
        self.assertFalse(rows, "a hand-made call is no follow-up")


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestBranches(OutcomeCase):
    """Rules that depend on the outcome: the more specific rules win."""

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

    def test_an_outcome_named_by_a_rule_takes_its_branch(self):
        self.done(outcome=self.no_answer)
        again = self.activities(activity_type=self.call)
        self.assertEqual(len(again), 1)
        self.assertEqual(again.playbook_line_id, self.retry_rule)
        self.assertEqual(again.date_deadline, TODAY + timedelta(days=1))
        self.assertFalse(self.activities(activity_type=self.create_quote))

    def test_other_outcomes_and_no_outcome_follow_the_general_rule(self):
        for outcome in (self.reached, False):
            with self.subTest(outcome=outcome):
                self.activities().unlink()
                self.done(outcome=outcome)
                self.assertEqual(
                    self.activities().playbook_line_id, self.quote_rule, outcome
                )

    def test_specificity_counts_every_playbook_of_the_team(self):
        # a rule of another playbook naming the outcome silences the general
        # rule of this one, whatever it does (here: suggest)
        other = self.env["sale.activity.playbook"].create(
            {"name": "Callbacks", "team_ids": [Command.link(self.team.id)]}
        )
        self.add_rule(
            self.call,
            self.meeting,
            playbook=other,
            chaining_type="suggest",
            outcome_ids=[Command.set(self.reached.ids)],
        )
        call = self.schedule(self.call)
        call.outcome_id = self.reached
        action = call.action_feedback_schedule_next()
        self.assertFalse(self.activities(activity_type=self.create_quote))
        form = Form(
            self.env["mail.activity"].with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertEqual(form.playbook_suggested_type_ids[:], self.meeting)

    def test_done_and_schedule_next_suggests_what_the_outcome_calls_for(self):
        email_rule = self.add_rule(
            self.meeting, self.request_signature, chaining_type="suggest"
        )
        self.add_rule(
            self.meeting,
            self.call,
            chaining_type="suggest",
            outcome_ids=[Command.set(self.no_show.ids)],
        )
        for outcome, suggested in (
            (self.no_show, self.call),
            (self.held, self.request_signature),
        ):
            with self.subTest(outcome=outcome.name):
                meeting = self.schedule(self.meeting)
                meeting.outcome_id = outcome
                action = meeting.action_feedback_schedule_next()
                form = Form(
                    self.env["mail.activity"].with_context(**action["context"]),
                    view="mail.mail_activity_view_form_popup",
                )
                self.assertEqual(form.playbook_suggested_type_ids[:], suggested)
                self.assertEqual(form.activity_type_id, suggested)
        self.assertTrue(email_rule)

    def test_the_rule_sentence_names_its_outcomes(self):
        self.assertEqual(
            self.retry_rule.display_name,
            "When Call is marked as done with No answer or Left a voicemail, "
            "schedule Call 1 working day after completion",
        )

    def test_bad_branches_are_refused(self):
        Line = self.env["sale.activity.playbook.line"]
        cases = [
            (
                {"trigger_on": "scheduled", "outcome_ids": [(6, 0, self.reached.ids)]},
                "known only once an activity is done",
            ),
            (
                {"outcome_ids": [(6, 0, self.held.ids)]},
                "cannot be the outcome of Call",
            ),
            ({"repeat_limit": -1}, "negative number of times"),
            (
                {"chaining_type": "stop", "outcome_ids": [(6, 0, self.reached.ids)]},
                "cannot schedule next activities as well",
            ),
            (
                {
                    "trigger_on": "scheduled",
                    "chaining_type": "stop",
                    "next_type_ids": [],
                },
                "stops only when an activity is marked as done",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                count = Line.search_count([])
                with self.assertRaises(ValidationError) as refused:
                    self.add_rule(self.call, self.create_quote, **values)
                self.assertIn(message, str(refused.exception))
                self.assertEqual(Line.search_count([]), count)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestRepeatLimits(OutcomeCase):
    """A rule fires at most ``repeat_limit`` times on a lead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_rule(cls.call, cls.create_quote)
        cls.retry_rule = cls.add_rule(
            cls.call,
            cls.call,
            outcome_ids=[Command.set(cls.no_answer.ids)],
            repeat_limit=2,
        )

    def call_back(self):
        """Mark the open call done with No answer."""
        call = self.activities(activity_type=self.call)
        self.assertEqual(len(call), 1)
        call.outcome_id = self.no_answer
        call.action_feedback()

    def test_the_rule_stops_at_its_limit_and_says_so(self):
        self.schedule(self.call)
        self.call_back()
        self.call_back()
        self.call_back()  # third time: the limit of 2 is reached
        self.assertFalse(self.activities(), "no call, and no quote in its place")
        notes = self.lead.message_ids.filtered(lambda m: "its limit" in m.body)
        self.assertEqual(len(notes), 1)
        self.assertIn("reached its limit of 2", notes.body)
        self.assertIn("nothing more from Test cadence", notes.body)
        firings = self.env["sale.activity.playbook.firing"].search(
            [("line_id", "=", self.retry_rule.id)]
        )
        self.assertEqual(len(firings), 2)
        self.assertEqual(firings.lead_id, self.lead)

    def test_firings_count_per_lead(self):
        other = self.env["crm.lead"].create(
            {"name": "Other", "team_id": self.team.id, "user_id": self.salesman.id}
        )
        self.schedule(self.call)
        self.call_back()
        self.call_back()
        self.done(outcome=self.no_answer, lead=other)
        self.assertEqual(len(self.activities(lead=other)), 1, "a fresh lead")

    def test_cancelled_or_done_activities_still_count(self):
        self.schedule(self.call)
        self.call_back()
        self.activities().action_cancel()
        self.done(outcome=self.no_answer)  # second firing
        self.activities().action_cancel()
        self.done(outcome=self.no_answer)  # limit reached
        self.assertFalse(self.activities())

    def test_a_firing_turned_into_nothing_does_not_count(self):
        # an open call of the salesperson already there: nothing is created
        self.schedule(self.call)
        self.done(outcome=self.no_answer)
        self.assertEqual(len(self.activities(activity_type=self.call)), 1)
        self.assertFalse(
            self.env["sale.activity.playbook.firing"].search(
                [("line_id", "=", self.retry_rule.id)]
            )
        )

    def test_the_limit_reads_in_the_sentence(self):
        self.assertEqual(
            self.retry_rule.display_name,
            "When Call is marked as done with No answer, schedule Call on its "
            "deadline, at most 2 times per lead",
        )


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestStop(OutcomeCase):
    """A rule that stops removes the lead's pending follow-ups of its
    playbook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_rule(cls.call, cls.create_quote)
        cls.stop_rule = cls.add_rule(
            cls.call,
            cls.env["mail.activity.type"],
            chaining_type="stop",
            outcome_ids=[Command.set(cls.not_interested.ids)],
        )
        cls.other = cls.env["sale.activity.playbook"].create(
            {"name": "Other playbook", "team_ids": [Command.link(cls.team.id)]}
        )
        cls.add_rule(cls.email, cls.todo, playbook=cls.other)

    def test_not_interested_removes_the_playbook_s_pending_follow_ups(self):
        self.done(self.email)  # Other playbook plans a To-Do
        self.done(outcome=self.reached)  # Test cadence plans a quote
        quote = self.activities(activity_type=self.create_quote)
        todo = self.activities(activity_type=self.todo)
        by_hand = self.schedule(self.meeting)
        self.done(outcome=self.not_interested)
        self.assertFalse(quote.exists(), "the playbook's follow-up goes")
        self.assertTrue(todo.exists(), "another playbook's stays")
        self.assertTrue(by_hand.exists(), "hand-made activities stay")
        self.assertFalse(self.activities(activity_type=self.create_quote))

    def test_the_stop_sentence(self):
        self.assertEqual(
            self.stop_rule.display_name,
            "When Call is marked as done with Not interested, stop: remove this "
            "lead's pending follow-ups from this playbook",
        )

    def test_preconfigured_branches_of_the_standard_cadence(self):
        self.team.playbook_ids = [
            Command.set(
                self.env.ref("sale_activity_playbooks.playbook_standard_cadence").ids
            )
        ]
        # no answer: call again the next working day, twice at most
        self.done(outcome=self.no_answer)
        call = self.activities(activity_type=self.call)
        self.assertEqual(call.date_deadline, TODAY + timedelta(days=1))
        self.assertEqual(
            call.playbook_line_id,
            self.env.ref(
                "sale_activity_playbooks.playbook_standard_cadence_call_again"
            ),
        )
        call.outcome_id = self.voicemail
        call.action_feedback()
        call = self.activities(activity_type=self.call)
        # Thursday + 1 working day (from Wednesday, the day it is done)
        self.assertEqual(call.date_deadline, date(2026, 11, 26))
        call.outcome_id = self.no_answer
        call.action_feedback()
        self.assertFalse(self.activities(), "twice at most")
        # reached, or no outcome: the quote, as before
        for outcome in (self.reached, False):
            lead = self.env["crm.lead"].create(
                {"name": "Deal", "team_id": self.team.id, "user_id": self.salesman.id}
            )
            self.done(outcome=outcome, lead=lead)
            self.assertEqual(
                self.activities(lead=lead).activity_type_id, self.create_quote
            )
        # not interested: the pending follow-ups of the cadence go
        self.done(outcome=self.reached)
        self.assertTrue(self.activities(activity_type=self.create_quote))
        self.done(outcome=self.not_interested)
        self.assertFalse(self.activities())
