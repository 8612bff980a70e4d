# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase


@tagged("post_install", "-at_install")
class TestTourExits(PlaybookTourCase):
    """A salesperson stops a playbook from the lead form (tour in
    static/tests/tours/exit_tours.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            "tour_stopper",
            groups="sales_team.group_sale_salesman",
            name="Stan Stopper",
            tz="UTC",
            lang="en_US",
        )
        email = cls.env.ref("mail.mail_activity_data_email")
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.playbook = cls.env["sale.activity.playbook"].create(
            {
                "name": "Stoppable cadence",
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": email.id,
                            "next_type_ids": [Command.set(cls.call.ids)],
                        }
                    )
                ],
            }
        )
        team = cls.env["crm.team"].create(
            {
                "name": "Stop Team",
                "member_ids": [Command.set(cls.salesperson.ids)],
                "playbook_ids": [Command.set(cls.playbook.ids)],
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Stop Deal",
                "type": "opportunity",
                "team_id": team.id,
                "user_id": cls.salesperson.id,
            }
        )
        deadline = date(2030, 12, 2)
        cls.lead.activity_schedule(
            activity_type_id=email.id,
            user_id=cls.salesperson.id,
            date_deadline=deadline,
        ).action_feedback(feedback="Sent")
        cls.by_hand = cls.lead.activity_schedule(
            activity_type_id=cls.todo.id,
            user_id=cls.salesperson.id,
            date_deadline=deadline,
            summary="Hand-made to-do",
        )

    def test_salesperson_stops_the_playbook_from_the_lead(self):
        Activity = self.env["mail.activity"]
        domain = [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        self.assertEqual(
            Activity.search(domain).activity_type_id, self.call | self.todo
        )
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_stop_playbook",
            login="tour_stopper",
        )
        self.assertEqual(Activity.search(domain), self.by_hand)
        self.assertIn("Went with a competitor", self.lead.message_ids[0].body)
