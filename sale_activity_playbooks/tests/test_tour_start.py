# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase


@tagged("post_install", "-at_install")
class TestTourStart(PlaybookTourCase):
    def test_starts_a_playbook_on_two_selected_leads_from_the_list(self):
        user = new_test_user(
            self.env,
            login="start_salesman",
            groups="sales_team.group_sale_salesman",
            name="Start Salesman",
        )
        team = self.env["crm.team"].create(
            {"name": "Tour Start Team", "member_ids": [Command.set(user.ids)]}
        )
        call = self.env.ref("mail.mail_activity_data_call")
        playbook = self.env["sale.activity.playbook"].create(
            {
                "name": "Tour cadence",
                "team_ids": [Command.link(team.id)],
                "line_ids": [
                    Command.create(
                        {
                            "trigger_on": "start",
                            "next_type_ids": [Command.set(call.ids)],
                            "delay_count": 1,
                        }
                    )
                ],
            }
        )
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": team.id,
                    "user_id": user.id,
                }
                for name in ("Tour Lead A", "Tour Lead B", "Tour Lead C")
            ]
        )
        # The server reads every manifest at its first request of a static
        # path; Python 3.11.7 may fail to compile one while another thread
        # compiles too (the server action's code): read them before the tour.
        self.url_open("/web/static/img/favicon.ico")
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline?view_type=list",
            "sale_activity_playbooks_start_from_list",
            login="start_salesman",
        )
        calls = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("playbook_line_id.playbook_id", "=", playbook.id),
            ]
        )
        self.assertEqual(set(calls.mapped("res_id")), set(leads[:2].ids))
        self.assertEqual(calls.activity_type_id, call)
        self.assertEqual(calls.user_id, user)
