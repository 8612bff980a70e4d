# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestGoalStage(PlaybookCase):
    """Once a lead reaches its playbook's goal stage (or a later one), the
    playbook's pending activities go and its rules create nothing there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        cls.new, cls.qualified, cls.proposition, cls.negotiation = Stage.create(
            [
                {"name": name, "sequence": 500 + i}
                for i, name in enumerate(
                    ("Goal New", "Goal Qualified", "Goal Proposition", "Goal Talks")
                )
            ]
        )
        cls.lead.stage_id = cls.new
        cls.playbook.stop_stage_id = cls.proposition
        cls.add_rule(cls.call, cls.create_quote)
        cls.other = cls.env["sale.activity.playbook"].create(
            {"name": "No goal", "team_ids": [Command.link(cls.team.id)]}
        )
        cls.add_rule(cls.call, cls.todo, playbook=cls.other)

    def test_reaching_the_goal_removes_the_playbook_s_pending_activities(self):
        self.schedule(self.call).action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        todo = self.activities(activity_type=self.todo)
        by_hand = self.schedule(self.meeting)
        self.lead.stage_id = self.qualified
        self.assertTrue(quote.exists(), "not there yet")
        self.lead.stage_id = self.negotiation  # past the goal counts too
        self.assertFalse(quote.exists())
        self.assertTrue(todo.exists(), "a playbook without this goal keeps its own")
        self.assertTrue(by_hand.exists())

    def test_at_the_goal_the_playbook_creates_nothing(self):
        self.lead.stage_id = self.proposition
        self.schedule(self.call).action_feedback()
        self.assertFalse(self.activities(activity_type=self.create_quote))
        self.assertTrue(self.activities(activity_type=self.todo))

    def test_moving_back_resumes_later_rules_and_restores_nothing(self):
        self.schedule(self.call).action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        self.lead.stage_id = self.proposition
        self.lead.stage_id = self.qualified
        self.assertFalse(quote.exists(), "what was removed stays removed")
        self.activities().unlink()
        self.schedule(self.call).action_feedback()
        self.assertTrue(self.activities(activity_type=self.create_quote))

    def test_stages_of_equal_sequence_follow_their_id(self):
        twin = self.env["crm.stage"].create(
            {"name": "Twin", "sequence": self.proposition.sequence}
        )
        self.assertGreater(twin.id, self.proposition.id)
        self.schedule(self.call).action_feedback()
        self.lead.stage_id = twin
        self.assertFalse(self.activities(activity_type=self.create_quote))


@freeze_time("2026-11-25 10:00:00")
@tagged("post_install", "-at_install")
class TestReplyDetection(PlaybookCase):
    """A playbook that stops on a reply: when the customer answers by email,
    its pending Reminder follow-ups on the lead are done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.playbook.stop_on_reply = True
        cls.email_rule = cls.add_rule(
            cls.email, cls.follow_up, trigger_on="scheduled", delay_count=2
        )
        cls.add_rule(cls.follow_up, cls.call)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Carla Customer", "email": "carla@example.com"}
        )
        cls.lead.partner_id = cls.customer

    def reply(self, author=None, lead=None, **kwargs):
        """An email on the lead, as Odoo's mail gateway posts it."""
        return (lead or self.lead).message_post(
            body="Thanks, let's talk next week.",
            message_type="email",
            author_id=(author or self.customer).id,
            subtype_xmlid="mail.mt_comment",
            **kwargs,
        )

    def test_a_customer_reply_closes_the_pending_reminders(self):
        self.schedule(self.email, deadline=TODAY)
        follow_up = self.activities(activity_type=self.follow_up)
        quote = self.schedule(self.create_quote)
        self.reply()
        self.assertActivitiesDone(follow_up, "done")
        self.assertActivitiesPending(quote, "not a Reminder: left alone")
        self.assertTrue(self.activities(activity_type=self.email), "by hand")
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(log.activity_type_id, self.follow_up)
        self.assertEqual(log.date_done, TODAY)
        self.assertFalse(log.done_late)
        done = self.lead.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.follow_up
        )
        self.assertIn("Carla Customer replied", done.body)
        # rules on the follow-up's completion still apply
        self.assertTrue(self.activities(activity_type=self.call))

    def test_a_reply_after_the_deadline_counts_as_done_late(self):
        self.schedule(self.email, deadline=date(2026, 11, 16))
        with freeze_time("2026-11-25 10:00:00"):
            self.reply()
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(log.date_deadline, date(2026, 11, 18))
        self.assertTrue(log.done_late)

    def test_the_reply_s_own_date_is_the_day_done(self):
        self.schedule(self.email, deadline=TODAY)
        self.reply(date=datetime(2026, 11, 24, 16, 0))
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(log.date_done, date(2026, 11, 24))
        done = self.lead.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.follow_up
        )
        # in the user's date format, as the other notes
        self.assertIn("Carla Customer replied on 11/24/2026", done.body)

    def test_what_is_no_reply(self):
        self.schedule(self.email, deadline=TODAY)
        follow_up = self.activities(activity_type=self.follow_up)
        # a note, a message of an internal user, a message of another type
        self.lead.message_post(body="Internal note", message_type="comment")
        self.reply(author=self.salesman.partner_id)
        self.lead.message_post(
            body="Portal message",
            message_type="comment",
            author_id=self.customer.id,
        )
        # an automatic answer, recognised by the mail gateway
        self.lead.with_context(playbook_auto_reply=True).message_post(
            body="Out of office",
            message_type="email",
            author_id=self.customer.id,
        )
        self.assertTrue(follow_up.exists())

    def test_an_email_of_odoobot_is_no_reply(self):
        # OdooBot's partner has no active user, but is no customer
        self.schedule(self.email, deadline=TODAY)
        follow_up = self.activities(activity_type=self.follow_up)
        self.reply(author=self.env.ref("base.partner_root"))
        self.assertActivitiesPending(follow_up)

    def test_an_employee_s_email_costs_nothing(self):
        self.schedule(self.email, deadline=TODAY)
        follow_up = self.activities(activity_type=self.follow_up)
        employee = self.salesman.partner_id

        def queries(lead):
            self.reply(author=employee, lead=lead)  # warm-up
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.reply(author=employee, lead=lead)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        # the plain lead's team follows no playbook: what Odoo costs
        self.assertEqual(queries(self.lead), queries(self.plain_lead))
        self.assertActivitiesPending(follow_up)

    def test_playbooks_without_stop_on_reply_keep_their_follow_ups(self):
        self.playbook.stop_on_reply = False
        self.schedule(self.email, deadline=TODAY)
        self.reply()
        self.assertTrue(self.activities(activity_type=self.follow_up))

    def test_reminders_made_by_hand_are_left_alone(self):
        by_hand = self.schedule(self.follow_up, deadline=TODAY)
        self.reply()
        self.assertTrue(by_hand.exists())

    def test_emails_on_leads_of_teams_that_do_not_watch_cost_nothing(self):
        def queries(stop_on_reply):
            self.playbook.stop_on_reply = stop_on_reply
            self.reply(lead=self.plain_lead)  # warm-up
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.reply(lead=self.plain_lead)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(True), queries(False))

    def test_a_watched_lead_with_nothing_pending_costs_one_query(self):
        self.assertTrue(self.playbook.stop_on_reply)
        self.activities(lead=self.lead).unlink()

        def queries(lead):
            self.reply(lead=lead)  # warm-up
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.reply(lead=lead)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        # the plain lead's team follows no playbook: what Odoo costs
        self.assertEqual(queries(self.lead), queries(self.plain_lead) + 1)

    def test_follow_up_discipline_stops_on_reply(self):
        discipline = self.env.ref(
            "sale_activity_playbooks.playbook_follow_up_discipline"
        )
        self.assertTrue(discipline.stop_on_reply)
        self.assertFalse(
            self.env.ref(
                "sale_activity_playbooks.playbook_standard_cadence"
            ).stop_on_reply
        )

    def receive(self, headers=""):
        """An email from the customer, through Odoo's mail gateway."""
        raw = (
            "From: Carla Customer <carla@example.com>\n"
            "To: sales@example.com\n"
            "Subject: Re: Big Deal\n"
            f"Message-Id: <reply-{len(headers)}@example.com>\n"
            f"{headers}"
            "Content-Type: text/plain\n"
            "\n"
            "Thanks, let's talk next week.\n"
        )
        self.env["mail.thread"].message_process(
            "crm.lead", raw.encode(), thread_id=self.lead.id
        )

    def test_the_mail_gateway_tells_replies_from_automatic_answers(self):
        self.schedule(self.email, deadline=TODAY)
        follow_up = self.activities(activity_type=self.follow_up)
        self.receive("Auto-Submitted: auto-replied\n")
        self.receive("X-Autoreply: yes\n")
        self.assertActivitiesPending(follow_up, "out of office is no reply")
        self.receive()
        self.assertActivitiesDone(follow_up)
