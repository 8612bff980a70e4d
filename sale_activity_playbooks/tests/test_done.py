# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged
from odoo.tools import html2plaintext

from odoo.addons.sale_activity_playbooks.odoo_series import keep_done_values

from .common import MONDAY, TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestDone(PlaybookCase):
    """Marking an activity done on a lead of a playbook team."""

    def test_trigger_creates_one_activity_per_next_type_for_the_lead_owner(self):
        self.add_rule(
            self.call,
            self.create_quote | self.follow_up,
            delay_count=1,
            delay_from="current_date",
        )
        call = self.schedule(self.call, deadline=TODAY - timedelta(days=3))
        # another salesperson clicks Done: the follow-ups still go to the owner
        call.with_user(self.clicker).action_feedback(feedback="Reached him")
        quote = self.activities(activity_type=self.create_quote)
        follow_up = self.activities(activity_type=self.follow_up)
        self.assertEqual(len(quote), 1)
        self.assertEqual(len(follow_up), 1)
        for activity in quote | follow_up:
            self.assertEqual(activity.user_id, self.salesman)
            self.assertEqual(activity.date_deadline, TODAY + timedelta(days=1))
            self.assertEqual(activity.playbook_line_id.playbook_id, self.playbook)
            self.assertEqual(activity.previous_activity_type_id, self.call)
            self.assertTrue(activity.automated)
        self.assertActivitiesDone(call)

    def test_done_twice_is_followed_up_once(self):
        # Odoo keeps done activities, archived (every one on 19.0, of keep_done
        # types on 18.0): a second Done (another tab, a retried transaction)
        # chains and logs nothing more
        (self.call | self.create_quote).write(keep_done_values())
        self.add_rule(self.call, self.create_quote)
        call = self.schedule(self.call)
        call.action_feedback()
        call.action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(len(quote), 1)
        quote.action_feedback()
        quote.action_feedback()
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(len(log), 1)

    def test_delay_from_the_previous_deadline(self):
        self.add_rule(self.call, self.create_quote, delay_count=2)
        call = self.schedule(self.call, deadline=TODAY + timedelta(days=10))
        call.action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).date_deadline,
            TODAY + timedelta(days=12),
        )

    def test_delay_in_weeks_and_months(self):
        self.add_rule(
            self.call,
            self.create_quote,
            delay_count=2,
            delay_unit="weeks",
            delay_from="current_date",
        )
        self.add_rule(
            self.call,
            self.follow_up,
            delay_count=1,
            delay_unit="months",
            delay_from="current_date",
        )
        self.schedule(self.call).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).date_deadline,
            TODAY + timedelta(weeks=2),
        )
        self.assertEqual(
            self.activities(activity_type=self.follow_up).date_deadline.isoformat(),
            "2026-12-25",
        )

    def test_lead_without_salesperson_falls_back_to_the_activity_assignee(self):
        self.add_rule(self.call, self.create_quote)
        self.lead.user_id = False
        call = self.schedule(self.call, user=self.clicker)
        call.with_user(self.leader).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).user_id, self.clicker
        )

    def test_responsible_activity_user_team_leader_and_specific(self):
        self.add_rule(self.call, self.create_quote, responsible="activity_user")
        self.add_rule(self.call, self.follow_up, responsible="team_leader")
        self.add_rule(
            self.call,
            self.request_signature,
            responsible="specific",
            user_id=self.clicker.id,
        )
        self.schedule(self.call, user=self.leader).with_user(
            self.salesman
        ).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).user_id, self.leader
        )
        self.assertEqual(
            self.activities(activity_type=self.follow_up).user_id, self.leader
        )
        self.assertEqual(
            self.activities(activity_type=self.request_signature).user_id, self.clicker
        )

    def test_two_next_types_for_someone_not_yet_following_the_lead(self):
        # Odoo cannot create two activities for a new follower of a record in
        # one create() (duplicate follower); the engine subscribes them first.
        self.assertNotIn(self.leader.partner_id, self.lead.message_partner_ids)
        self.add_rule(
            self.call, self.create_quote | self.follow_up, responsible="team_leader"
        )
        self.schedule(self.call).action_feedback()
        self.assertEqual(self.activities().user_id, self.leader, "both for the leader")
        self.assertEqual(len(self.activities()), 2)
        self.assertIn(self.leader.partner_id, self.lead.message_partner_ids)

    def test_archived_responsible_falls_back_to_the_lead_owner(self):
        # (archiving the specific user of a rule is refused: see test_bad_input)
        self.add_rule(self.call, self.create_quote, responsible="team_leader")
        self.leader.active = False
        self.schedule(self.call).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).user_id, self.salesman
        )

    def test_summary_and_note_of_the_rule(self):
        self.add_rule(
            self.call,
            self.create_quote,
            summary="Quote the premium plan",
            note="<p>Use the 2027 price list</p>",
        )
        self.schedule(self.call).action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(quote.summary, "Quote the premium plan")
        self.assertIn("2027 price list", quote.note)

    def test_done_message_does_not_repeat_the_type_as_summary(self):
        # 19.0's Call has its own name as default summary, which its chatter
        # line shows: the done message would read "Call done: Call"
        self.call.summary = self.call.name
        self.meeting.summary = "Agree on the next step"
        self.add_rule(self.email, self.call | self.meeting)
        self.schedule(self.email).action_feedback()
        call = self.activities(activity_type=self.call)
        self.assertEqual(call.summary, "Call")
        call.action_feedback(feedback="Reached her")
        done = " ".join(html2plaintext(self.lead.message_ids[0].body).split())
        self.assertIn("Call done", done)
        self.assertIn("Reached her", done)
        self.assertNotIn(": Call", done)
        self.activities(activity_type=self.meeting).action_feedback()
        done = " ".join(html2plaintext(self.lead.message_ids[0].body).split())
        self.assertIn(": Agree on the next step", done)

    def test_done_follow_ups_are_created_in_one_batch(self):
        self.add_rule(self.call, self.create_quote)
        leads = self.lead | self.lead.copy({"name": "Second Deal"})
        calls = self.env["mail.activity"]
        for lead in leads:
            calls |= self.schedule(self.call, lead=lead)
        calls.action_feedback()
        quotes = self.env["mail.activity"].search(
            [
                ("res_id", "in", leads.ids),
                ("activity_type_id", "=", self.create_quote.id),
            ]
        )
        self.assertEqual(sorted(quotes.mapped("res_id")), sorted(leads.ids))

    # ------------------------------------------------------------------
    # Native chaining
    # ------------------------------------------------------------------

    def test_playbook_replaces_native_trigger_for_its_team(self):
        self.call.write(
            {"chaining_type": "trigger", "triggered_next_type_id": self.todo.id}
        )
        self.add_rule(self.call, self.create_quote)
        self.schedule(self.call).action_feedback()
        self.assertTrue(self.activities(activity_type=self.create_quote))
        self.assertFalse(self.activities(activity_type=self.todo))

    def test_native_trigger_untouched_without_done_rule(self):
        self.call.write(
            {"chaining_type": "trigger", "triggered_next_type_id": self.todo.id}
        )
        # a rule on another moment of the same type does not take over
        self.add_rule(self.email, self.create_quote)
        self.schedule(self.call).action_feedback()
        self.assertTrue(self.activities(activity_type=self.todo))
        # a lead of a team without playbooks keeps native chaining too
        self.schedule(self.call, lead=self.plain_lead).action_feedback()
        self.assertTrue(self.activities(lead=self.plain_lead, activity_type=self.todo))

    def test_native_chaining_kept_on_other_models(self):
        self.call.write(
            {"chaining_type": "trigger", "triggered_next_type_id": self.todo.id}
        )
        self.add_rule(self.call, self.create_quote)
        partner = self.env["res.partner"].create({"name": "Customer"})
        partner.activity_schedule(activity_type_id=self.call.id).action_feedback()
        todo = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        self.assertEqual(todo.activity_type_id, self.todo)
        self.assertFalse(todo.playbook_line_id)

    def test_native_suggestions_hidden_when_the_playbook_decides(self):
        self.email.suggested_next_type_ids = self.todo
        self.add_rule(self.email, self.call | self.meeting, chaining_type="suggest")
        action = self.schedule(self.email).action_feedback_schedule_next()
        form = Form(
            self.env["mail.activity"].with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertFalse(form.has_recommended_activities)
        self.assertEqual(form.playbook_suggested_type_ids[:], self.call | self.meeting)

    # ------------------------------------------------------------------
    # Suggestions ("Done & Schedule Next")
    # ------------------------------------------------------------------

    def test_suggest_offers_the_next_types_prefilled_from_the_rule(self):
        self.add_rule(
            self.email,
            self.call | self.meeting,
            chaining_type="suggest",
            delay_count=2,
            responsible="team_leader",
        )
        email = self.schedule(self.email, deadline=TODAY + timedelta(days=1))
        action = email.with_user(self.clicker).action_feedback_schedule_next()
        self.assertEqual(action["res_model"], "mail.activity")
        self.assertActivitiesDone(email)
        self.assertFalse(self.activities(), "suggestions are not created by themselves")
        form = Form(
            self.env["mail.activity"]
            .with_user(self.clicker)
            .with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertEqual(form.playbook_suggested_type_ids[:], self.call | self.meeting)
        form.playbook_recommended_type_id = self.call
        self.assertEqual(form.activity_type_id, self.call)
        self.assertEqual(form.date_deadline, MONDAY, "Saturday is not a working day")
        self.assertEqual(form.user_id, self.leader)
        call = form.save()
        self.assertEqual(call.playbook_line_id.activity_type_id, self.email)
        self.assertEqual(call.res_id, self.lead.id)

    def test_suggest_and_trigger_on_the_same_type(self):
        self.add_rule(self.email, self.call | self.meeting, chaining_type="suggest")
        self.add_rule(self.email, self.follow_up)
        action = self.schedule(self.email).action_feedback_schedule_next()
        self.assertTrue(action, "the suggestions are still offered")
        self.assertTrue(self.activities(activity_type=self.follow_up))

    def test_done_and_schedule_next_with_only_triggers_opens_nothing(self):
        self.add_rule(self.call, self.create_quote)
        self.assertFalse(self.schedule(self.call).action_feedback_schedule_next())
        self.assertTrue(self.activities(activity_type=self.create_quote))

    def test_mark_done_button_shown_for_playbook_types(self):
        # the web client hides "Done" for native triggers; playbook types keep it
        self.call.write(
            {"chaining_type": "trigger", "triggered_next_type_id": self.todo.id}
        )
        self.add_rule(self.call, self.create_quote)
        self.assertEqual(self.schedule(self.call).chaining_type, "suggest")
        self.assertEqual(
            self.schedule(self.call, lead=self.plain_lead).chaining_type, "trigger"
        )

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------

    def test_archived_playbook_does_nothing(self):
        self.add_rule(self.call, self.create_quote)
        self.playbook.active = False
        self.schedule(self.call).action_feedback()
        self.assertFalse(self.activities(activity_type=self.create_quote))

    def test_lead_without_team_does_nothing(self):
        self.add_rule(self.call, self.create_quote)
        self.lead.team_id = False
        self.schedule(self.call).action_feedback()
        self.assertFalse(self.activities(activity_type=self.create_quote))

    def test_salesperson_completes_without_access_error(self):
        # the salesperson may only see their own leads; the quote goes to the
        # team leader, on a lead the salesperson cannot edit
        self.add_rule(self.call, self.create_quote, responsible="team_leader")
        self.lead.user_id = self.leader
        self.assertEqual(self.lead.team_id, self.team)
        call = self.schedule(self.call, user=self.salesman)
        self.env.flush_all()
        call.with_user(self.salesman).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).user_id, self.leader
        )
