# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase


@tagged("post_install", "-at_install")
class TestTourCadences(PlaybookTourCase):
    """Cadences that react, driven in headless Chromium: a call done with an
    outcome takes its branch (the outcome sent with the Done, in one request),
    a lead is paused, a reply closes a follow-up (tours in
    static/tests/tours/cadence_tours.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            "cadence_salesperson",
            groups="sales_team.group_sale_salesman",
            name="Cora Cadence",
            tz="UTC",
            lang="en_US",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Cadence Team",
                "member_ids": [Command.link(cls.salesperson.id)],
                "playbook_ids": [
                    Command.set(
                        (
                            cls.env.ref(
                                "sale_activity_playbooks.playbook_standard_cadence"
                            )
                            | cls.env.ref(
                                "sale_activity_playbooks.playbook_follow_up_discipline"
                            )
                        ).ids
                    )
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Carla Customer", "email": "carla@example.com"}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Cadence Deal",
                "type": "opportunity",
                "team_id": cls.team.id,
                "user_id": cls.salesperson.id,
                "partner_id": cls.customer.id,
            }
        )
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.email = cls.env.ref("mail.mail_activity_data_email")
        cls.follow_up = cls.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up"
        )

    def activities(self, activity_type=None):
        domain = [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        if activity_type:
            domain.append(("activity_type_id", "=", activity_type.id))
        return self.env["mail.activity"].search(domain)

    def test_1_a_call_with_no_answer_is_planned_again(self):
        self.lead.activity_schedule(
            activity_type_id=self.call.id,
            user_id=self.salesperson.id,
            date_deadline=fields.Date.today(),
        )
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_call_no_answer",
            login="cadence_salesperson",
        )
        again = self.activities()
        self.assertEqual(again.activity_type_id, self.call)
        self.assertEqual(
            again.playbook_line_id,
            self.env.ref(
                "sale_activity_playbooks.playbook_standard_cadence_call_again"
            ),
        )
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(
            log.outcome_id,
            self.env.ref("sale_activity_playbooks.outcome_call_no_answer"),
        )

    def test_2_a_salesperson_pauses_a_lead(self):
        self.lead.activity_schedule(
            activity_type_id=self.email.id,
            user_id=self.salesperson.id,
            date_deadline=fields.Date.today() + timedelta(days=1),
        )
        follow_up = self.activities(self.follow_up)
        self.assertTrue(follow_up)
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_pause_lead",
            login="cadence_salesperson",
        )
        self.assertEqual(self.lead.playbook_paused_until, date(2030, 12, 3))
        self.assertEqual(follow_up.date_deadline, date(2030, 12, 3))

    def test_3_a_customer_reply_closes_the_follow_up(self):
        self.lead.activity_schedule(
            activity_type_id=self.email.id,
            user_id=self.salesperson.id,
            date_deadline=fields.Date.today(),
        )
        self.assertTrue(self.activities(self.follow_up))
        # the reply comes in through the mail gateway
        self.env["mail.thread"].message_process(
            "crm.lead",
            (
                b"From: Carla Customer <carla@example.com>\n"
                b"To: sales@example.com\n"
                b"Subject: Re: Cadence Deal\n"
                b"Message-Id: <cadence-reply@example.com>\n"
                b"Content-Type: text/html\n"
                b"\n"
                b"<p>Thanks, send me the proposal.</p>\n"
            ),
            thread_id=self.lead.id,
        )
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_customer_replied",
            login="cadence_salesperson",
        )
        self.assertFalse(self.activities(self.follow_up))
        reply = self.lead.message_ids.filtered(lambda m: m.author_id == self.customer)
        self.assertIn("Thanks, send me the proposal", reply.body)

    def test_4_done_and_schedule_next_sends_the_outcome_with_the_done(self):
        call = self.lead.activity_schedule(
            activity_type_id=self.call.id,
            user_id=self.salesperson.id,
            date_deadline=fields.Date.today(),
        )
        # the tour checks that one request did it all
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_call_voicemail_schedule_next",
            login="cadence_salesperson",
        )
        again = self.activities()
        self.assertNotIn(call, again)
        self.assertEqual(
            again.playbook_line_id,
            self.env.ref(
                "sale_activity_playbooks.playbook_standard_cadence_call_again"
            ),
        )
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(
            log.outcome_id,
            self.env.ref("sale_activity_playbooks.outcome_call_voicemail"),
        )
