# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase


@tagged("post_install", "-at_install")
class TestTourDutchNarrow(PlaybookTourCase):
    """A Dutch salesperson on a 400 px wide screen: Done & Schedule Next."""

    browser_size = "400,800"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "sale_activity_playbooks"], ["nl_NL"], overwrite=True
        )
        cls.salesperson = new_test_user(
            cls.env,
            "tour_dutch",
            groups="sales_team.group_sale_salesman",
            name="Daan de Vries",
            lang="nl_NL",
            tz="UTC",
        )
        team = cls.env["crm.team"].create(
            {
                "name": "Binnendienst",
                "member_ids": [Command.link(cls.salesperson.id)],
                "playbook_ids": [
                    Command.link(
                        cls.env.ref(
                            "sale_activity_playbooks.playbook_standard_cadence"
                        ).id
                    )
                ],
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Bureaustoelen voor Van Dam",
                "type": "opportunity",
                "team_id": team.id,
                "user_id": cls.salesperson.id,
            }
        )
        cls.lead.activity_schedule(
            "mail.mail_activity_data_email",
            summary="Stuur de brochure",
            user_id=cls.salesperson.id,
            date_deadline=fields.Date.today(),
        )

    def test_done_and_schedule_next_in_dutch_at_400_px(self):
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_done_dialog_dutch_narrow",
            login="tour_dutch",
        )
