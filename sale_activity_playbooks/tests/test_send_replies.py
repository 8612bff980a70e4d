# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY
from .send_stops_common import StopsCase


@freeze_time("2026-11-25 10:00:00")
@tagged("post_install", "-at_install")
class TestReplyCancelsAutomatedEmails(StopsCase):
    """A customer's reply stops the automated emails of the playbooks that
    stop on a reply: nobody gets an automated email right after answering."""

    def test_a_customer_reply_cancels_the_pending_automated_emails(self):
        email = self.call_not_answered()
        self.assertTrue(email.playbook_auto_send)
        by_hand = self.schedule(self.email)
        self.receive()
        self.assertFalse(email.exists())
        self.assertTrue(by_hand.exists(), "an email planned by hand stays")
        self.assertIn(
            "Carla Customer replied: the pending automated emails are cancelled.",
            self.notes(),
        )

    def test_the_reminders_are_done_as_before(self):
        self.add_rule(self.email, self.follow_up, trigger_on="scheduled")
        email = self.call_not_answered()
        follow_up = self.activities(activity_type=self.follow_up)
        self.assertTrue(follow_up)
        self.receive()
        self.assertFalse(email.exists())
        self.assertActivitiesDone(follow_up)

    def test_an_automated_email_made_a_task_stays(self):
        email = self.call_not_answered()
        email.action_playbook_send_manually()
        self.receive()
        self.assertActivitiesPending(email, "the salesperson's task now")

    def test_a_playbook_that_does_not_stop_on_reply_keeps_its_emails(self):
        self.playbook.stop_on_reply = False
        email = self.call_not_answered()
        self.receive()
        self.assertActivitiesPending(email)

    def test_an_employee_s_email_cancels_nothing(self):
        email = self.call_not_answered()
        self.lead.message_post(
            body="Sent from my phone",
            message_type="email",
            author_id=self.salesman.partner_id.id,
        )
        self.assertActivitiesPending(email)

    def test_an_automatic_reply_cancels_nothing(self):
        self.playbook.auto_reply_pause_days = 0
        email = self.call_not_answered()
        self.receive_out_of_office()
        self.assertActivitiesPending(email)
        self.assertTrue(email.playbook_auto_send)
        self.assertFalse(self.lead.playbook_paused_until)

    def test_a_customer_email_with_nothing_pending_costs_what_it_did(self):
        self.call_not_answered().unlink()

        def post(lead):
            return lambda: lead.message_post(
                body="Thanks", message_type="email", author_id=self.customer.id
            )

        # the plain lead's team follows no playbook: what Odoo costs; the
        # watched lead's one query looks for its pending follow-ups
        queries = self.count_queries(post(self.lead))
        self.assertEqual(queries, self.count_queries(post(self.plain_lead)) + 1)
        # what it cost before automated emails could stop
        Engine = self.registry["sale.activity.playbook.engine"]
        with patch.object(Engine, "_on_lead_email", lambda *args: None):
            self.assertEqual(queries, self.count_queries(post(self.lead)))


@freeze_time("2026-11-25 10:00:00")
@tagged("post_install", "-at_install")
class TestCompanyReply(StopsCase):
    """With "Stop on a Reply From the Company", a contact's reply cancels the
    automated emails of the open leads of the contact's company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.playbook.stop_on_company_reply = True
        cls.sister = cls.add_lead("Sister Deal", cls.colleague)

    def test_a_reply_cancels_the_automated_emails_of_the_company_s_leads(self):
        email = self.call_not_answered(self.sister)
        self.receive()
        self.assertFalse(email.exists())
        self.assertIn(
            "Carla Customer of Acme replied on Big Deal: the pending automated "
            "emails are cancelled.",
            self.notes(self.sister),
        )

    def test_the_flag_alone_stops_the_lead_replied_on_too(self):
        self.playbook.stop_on_reply = False
        email = self.call_not_answered()
        self.receive()
        self.assertFalse(email.exists())

    def test_won_archived_and_other_companies_leads_keep_their_emails(self):
        self.playbook.cancel_on_won = False
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        won = self.add_lead("Won Deal", self.colleague)
        # archiving a record deletes its activities: these come after
        archived = self.add_lead("Archived Deal", self.colleague, active=False)
        elsewhere = self.add_lead(
            "Other Company Deal",
            self.env["res.partner"].create({"name": "Other", "email": "o@example.com"}),
        )
        emails = {
            lead: self.call_not_answered(lead) for lead in (won, archived, elsewhere)
        }
        won.stage_id = won_stage
        self.receive()
        for lead, email in emails.items():
            with self.subTest(lead=lead.name):
                self.assertTrue(email)
                self.assertActivitiesPending(email)

    def test_a_playbook_without_the_flag_keeps_its_emails(self):
        team, _playbook = self.add_team_with_playbook("Quiet")
        quiet = self.add_lead("Quiet Deal", self.colleague, team=team)
        email = self.call_not_answered(quiet)
        self.receive()
        self.assertActivitiesPending(email)

    def test_an_employee_s_or_an_automatic_reply_stops_nothing(self):
        email = self.call_not_answered(self.sister)
        # even an employee filed under the customer's company
        self.salesman.partner_id.parent_id = self.acme
        self.lead.message_post(
            body="Sent from my phone",
            message_type="email",
            author_id=self.salesman.partner_id.id,
        )
        self.receive_out_of_office()
        self.assertActivitiesPending(email)

    def test_the_flag_on_the_other_lead_s_playbook_decides(self):
        self.playbook.stop_on_company_reply = False
        team, _playbook = self.add_team_with_playbook(
            "Company", stop_on_company_reply=True
        )
        sister = self.add_lead("Company Deal", self.colleague, team=team)
        email = self.call_not_answered(sister)
        self.receive(self.plain_lead)  # a lead of a team without playbook
        self.assertFalse(email.exists())


@freeze_time("2026-11-25 10:00:00")
@tagged("post_install", "-at_install")
class TestAutoReplyPause(StopsCase):
    """An automatic reply pauses the lead for the largest number of working
    days that its team's playbooks say (5 by default)."""

    def test_an_out_of_office_pauses_the_lead_and_moves_the_email(self):
        email = self.call_not_answered()
        self.assertEqual(email.date_deadline, TODAY)
        send_at = email.playbook_send_at
        self.receive_out_of_office()
        until = self.lead.playbook_paused_until
        self.assertEqual(str(until), "2026-12-02", "five working days")
        self.assertTrue(self.lead.playbook_paused)
        self.assertEqual(email.date_deadline, until)
        self.assertGreater(email.playbook_send_at, send_at)
        self.assertTrue(email.playbook_auto_send, "it goes out after the pause")
        self.assertIn(
            "Automatic reply from Carla Customer: follow-ups paused until",
            self.notes(),
        )

    def test_it_pauses_even_with_nothing_pending(self):
        self.assertFalse(self.activities())
        self.receive_out_of_office()
        self.assertEqual(str(self.lead.playbook_paused_until), "2026-12-02")

    def test_the_largest_pause_of_the_team_s_playbooks_wins(self):
        other = self.env["sale.activity.playbook"].create(
            {
                "name": "Patient",
                "team_ids": [(4, self.team.id)],
                "auto_reply_pause_days": 8,
            }
        )
        self.receive_out_of_office()
        self.assertEqual(str(self.lead.playbook_paused_until), "2026-12-07")
        other.active = False
        self.lead.playbook_paused_until = False
        self.receive_out_of_office()
        self.assertEqual(str(self.lead.playbook_paused_until), "2026-12-02")

    def test_it_only_extends_a_pause_that_ends_earlier(self):
        self.lead.playbook_paused_until = "2026-12-10"
        self.receive_out_of_office()
        self.assertEqual(str(self.lead.playbook_paused_until), "2026-12-10")
        self.lead.playbook_paused_until = "2026-11-27"
        self.receive_out_of_office()
        self.assertEqual(str(self.lead.playbook_paused_until), "2026-12-02")

    def test_an_employee_s_automatic_reply_pauses_nothing(self):
        self.lead.with_context(playbook_auto_reply=True).message_post(
            body="Out of office",
            message_type="email",
            author_id=self.salesman.partner_id.id,
        )
        self.assertFalse(self.lead.playbook_paused_until)

    def test_a_pause_of_0_ignores_automatic_replies(self):
        self.playbook.auto_reply_pause_days = 0
        self.receive_out_of_office()
        self.assertFalse(self.lead.playbook_paused_until)
        self.receive_out_of_office(self.plain_lead)
        self.assertFalse(self.plain_lead.playbook_paused_until, "no playbook")

    def test_switching_the_pause_off_takes_effect_at_once(self):
        self.receive_out_of_office()
        self.assertTrue(self.lead.playbook_paused_until)
        self.lead.playbook_paused_until = False
        self.playbook.auto_reply_pause_days = 0
        self.receive_out_of_office()
        self.assertFalse(self.lead.playbook_paused_until)

    def test_the_cached_stops_follow_the_playbooks(self):
        Playbook = self.env["sale.activity.playbook"]
        team_id = self.team.id
        self.assertEqual(
            Playbook._get_send_stops().auto_reply_pauses[team_id],
            ((self.company.id, 5),),
        )
        for flag, stops_field in (
            ("stop_on_company_reply", "company_reply_team_ids"),
            ("stop_on_meeting", "meeting_team_ids"),
        ):
            with self.subTest(flag=flag):
                self.assertNotIn(
                    team_id, getattr(Playbook._get_send_stops(), stops_field)
                )
                self.playbook[flag] = True
                self.assertIn(team_id, getattr(Playbook._get_send_stops(), stops_field))
        self.team.active = False
        self.assertFalse(Playbook._get_send_stops().meeting_team_ids)

    def test_an_automatic_reply_on_a_team_without_pause_costs_nothing(self):
        def post(lead):
            return lambda: lead.with_context(playbook_auto_reply=True).message_post(
                body="Out of office", message_type="email", author_id=self.customer.id
            )

        # no playbook pauses (the preconfigured ones neither): what an
        # automatic reply cost before pauses
        playbooks = self.env["sale.activity.playbook"].search([])
        playbooks.auto_reply_pause_days = 0
        before = self.count_queries(post(self.plain_lead))
        self.add_team_with_playbook("Patient", auto_reply_pause_days=5)
        self.assertEqual(self.count_queries(post(self.lead)), before)
        self.assertEqual(self.count_queries(post(self.plain_lead)), before)
        self.assertFalse(self.lead.playbook_paused_until)
