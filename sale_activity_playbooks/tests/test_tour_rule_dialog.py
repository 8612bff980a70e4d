# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase


class RuleDialogTourCase(PlaybookTourCase):
    """A playbook with a branch on calls nobody answered and a stop rule,
    followed by a team with a lead (tours in
    static/tests/tours/rule_dialog_tours.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            "dialog_salesperson",
            groups="sales_team.group_sale_salesman",
            name="Dina Dialog",
            tz="UTC",
            lang="en_US",
        )
        ref = cls.env.ref
        call = ref("mail.mail_activity_data_call")
        cls.playbook = cls.env["sale.activity.playbook"].create(
            {"name": "Dialog cadence"}
        )
        cls.branch = cls.env["sale.activity.playbook.line"].create(
            {
                "playbook_id": cls.playbook.id,
                "activity_type_id": call.id,
                "chaining_type": "suggest",
                "outcome_ids": [
                    Command.set(
                        (
                            ref("sale_activity_playbooks.outcome_call_no_answer")
                            | ref("sale_activity_playbooks.outcome_call_voicemail")
                        ).ids
                    )
                ],
                "next_type_ids": [
                    Command.set(ref("mail.mail_activity_data_meeting").ids)
                ],
                "repeat_limit": 2,
            }
        )
        cls.stop = cls.env["sale.activity.playbook.line"].create(
            {
                "playbook_id": cls.playbook.id,
                "activity_type_id": call.id,
                "chaining_type": "stop",
                "outcome_ids": [
                    Command.set(
                        ref("sale_activity_playbooks.outcome_call_not_interested").ids
                    )
                ],
            }
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Dialog Team",
                "member_ids": [Command.link(cls.salesperson.id)],
                "playbook_ids": [Command.link(cls.playbook.id)],
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Dialog Deal",
                "type": "opportunity",
                "team_id": cls.team.id,
                "user_id": cls.salesperson.id,
            }
        )
        cls.playbook_url = (
            "/odoo/action-sale_activity_playbooks.sale_activity_playbook_action/"
            f"{cls.playbook.id}"
        )


@tagged("post_install", "-at_install")
class TestTourRuleDialog(RuleDialogTourCase):
    def test_1_the_rule_dialog_says_what_it_changed(self):
        self.start_tour(
            self.playbook_url,
            "sale_activity_playbooks_rule_dialog_says_what_changed",
            login="admin",
        )
        # what still applied was kept, the negative limit never written
        self.assertEqual(self.branch.trigger_on, "scheduled")
        self.assertEqual(self.branch.chaining_type, "trigger")
        self.assertFalse(self.branch.outcome_ids)
        self.assertEqual(self.branch.repeat_limit, 2)
        self.assertEqual(self.branch.next_type_ids.name, "Meeting")

    def test_2_try_it_draws_the_stop_row_whole(self):
        self.start_tour(
            self.playbook_url, "sale_activity_playbooks_try_it_stop_row", login="admin"
        )

    def test_3_the_pause_banner_keeps_its_date_on_its_line(self):
        self.lead.playbook_paused_until = date(2030, 12, 3)
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_paused_banner_on_one_line",
            login="dialog_salesperson",
        )


@tagged("post_install", "-at_install")
class TestTourPauseBannerNarrow(RuleDialogTourCase):
    """The pause banner on a 400 px phone, in Dutch (longer than English)."""

    browser_size = "400,800"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["sale_activity_playbooks"], ["nl_NL"], overwrite=True
        )
        cls.salesperson.lang = "nl_NL"

    def test_the_pause_banner_keeps_its_date_on_its_line_at_400_px_in_dutch(self):
        self.lead.playbook_paused_until = date(2030, 12, 3)
        self.start_tour(
            f"/odoo/crm/{self.lead.id}",
            "sale_activity_playbooks_paused_banner_on_one_line",
            login="dialog_salesperson",
        )
