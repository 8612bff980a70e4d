# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo import Command
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase

# Monday 2 December 2030, 9:00 in New York: the send time of the email that
# the tours find (static/tests/tours/send_tours.js says it too)
DEADLINE = date(2030, 12, 2)
SEND_AT = datetime(2030, 12, 2, 14, 0)


@tagged("post_install", "-at_install")
class TestTourSend(PlaybookTourCase):
    """Automated emails in the browser: a manager makes a rule send its email
    by itself, a salesperson takes a pending one back to send it by hand
    (tours in static/tests/tours/send_tours.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user_values = {"tz": "Europe/Brussels", "lang": "en_US"}
        cls.salesperson = new_test_user(
            cls.env,
            "tour_sender",
            groups="sales_team.group_sale_salesman",
            name="Sam Sender",
            **user_values,
        )
        new_test_user(
            cls.env,
            "tour_send_manager",
            groups="sales_team.group_sale_manager",
            name="Max Manager",
            **user_values,
        )
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.email = cls.env.ref("mail.mail_activity_data_email")
        cls.no_answer = cls.env.ref("sale_activity_playbooks.outcome_call_no_answer")
        cls.template = cls.env.ref(
            "sale_activity_playbooks.mail_template_followup_no_answer"
        )
        cls.playbook = cls.env["sale.activity.playbook"].create(
            {
                "name": "Emailing cadence",
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": cls.call.id,
                            "outcome_ids": [Command.set(cls.no_answer.ids)],
                            "next_type_ids": [Command.set(cls.email.ids)],
                        }
                    )
                ],
            }
        )
        cls.rule = cls.playbook.line_ids
        team = cls.env["crm.team"].create(
            {
                "name": "Send Team",
                "member_ids": [Command.set(cls.salesperson.ids)],
                "playbook_ids": [Command.set(cls.playbook.ids)],
            }
        )
        customer = cls.env["res.partner"].create(
            {
                "name": "Nora Newyork",
                "email": "nora@example.com",
                "tz": "America/New_York",
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Send Deal",
                "type": "opportunity",
                "team_id": team.id,
                "user_id": cls.salesperson.id,
                "partner_id": customer.id,
            }
        )

    def test_1_manager_makes_a_rule_send_its_email_automatically(self):
        self.start_tour(
            "/odoo/action-sale_activity_playbooks.sale_activity_playbook_action",
            "sale_activity_playbooks_rule_sends_automatically",
            login="tour_send_manager",
        )
        self.assertRecordValues(
            self.rule, [{"auto_send": True, "mail_template_id": self.template.id}]
        )
        self.assertTrue(
            self.rule.display_name.endswith(
                "then send 'Follow-up after no answer' automatically between 9:00 "
                "and 17:00, customer's time"
            )
        )

    def test_2_salesperson_sends_a_pending_email_by_hand(self):
        self.rule.write({"auto_send": True, "mail_template_id": self.template.id})
        call = self.lead.activity_schedule(
            activity_type_id=self.call.id,
            user_id=self.salesperson.id,
            date_deadline=DEADLINE,
        )
        call.outcome_id = self.no_answer
        call.action_done()
        email = self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        )
        self.assertRecordValues(
            email,
            [
                {
                    "activity_type_id": self.email.id,
                    "playbook_auto_send": True,
                    "playbook_send_at": SEND_AT,
                }
            ],
        )
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_send_manually",
            login="tour_sender",
        )
        self.assertRecordValues(
            email,
            [{"active": True, "playbook_auto_send": False, "playbook_send_at": False}],
        )
