# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestWon(PlaybookCase):
    """Won leads lose the pending follow-ups that playbooks created."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_rule(cls.call, cls.create_quote | cls.follow_up)

    def test_won_removes_playbook_activities_only(self):
        self.schedule(self.call).action_feedback()
        manual = self.schedule(self.meeting)
        self.assertEqual(len(self.activities()), 3)
        self.lead.action_set_won()
        self.assertEqual(self.activities(), manual)

    def test_won_by_stage(self):
        self.schedule(self.call).action_feedback()
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.lead.stage_id = won_stage
        self.assertFalse(self.activities())

    def test_cancel_on_won_off_keeps_them(self):
        self.playbook.cancel_on_won = False
        self.schedule(self.call).action_feedback()
        self.lead.action_set_won()
        self.assertEqual(len(self.activities()), 2)

    def test_other_leads_keep_theirs(self):
        other = self.lead.copy({"name": "Other Deal"})
        self.schedule(self.call, lead=other).action_feedback()
        self.lead.action_set_won()
        self.assertEqual(len(self.activities(lead=other)), 2)

    def test_won_is_a_won_stage_not_a_probability(self):
        # as crm counts it (_handle_won_lost): typing 100 % wins nothing
        self.schedule(self.call).action_feedback()
        self.lead.probability = 100
        self.assertEqual(len(self.activities()), 2)
        self.lead.action_set_won()
        self.assertFalse(self.activities())
