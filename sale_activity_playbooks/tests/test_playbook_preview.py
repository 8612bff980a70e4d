# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestPlaybookPreview(PlaybookCase):
    """A playbook can be tried on a sample lead of its team: it shows what it
    would schedule, for whom and when, and creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_rule(
            cls.email,
            cls.call | cls.meeting,
            chaining_type="suggest",
            delay_count=2,
        )
        cls.add_rule(
            cls.call,
            cls.create_quote,
            delay_count=1,
            delay_unit="working_days",
            delay_from="current_date",
            responsible="team_leader",
        )

    def try_playbook(self, user=None):
        playbook = self.playbook.with_user(user) if user else self.playbook
        action = playbook.action_try()
        self.assertEqual(action["res_model"], "sale.activity.playbook.preview")
        return Form(self.env[action["res_model"]].with_context(**action["context"]))

    def test_try_shows_what_each_rule_schedules_on_a_sample_lead(self):
        activities_before = self.env["mail.activity"].search_count([])
        form = self.try_playbook(user=self.salesman)
        self.assertEqual(form.lead_id, self.lead)
        preview = str(form.preview)
        self.assertIn("Big Deal", preview)
        self.assertIn("Email is marked as done", preview)
        self.assertIn("suggest", preview)
        # Email due today: the call or meeting two days later, for the owner
        self.assertIn("Friday 27 November", preview)
        self.assertIn("Sally Salesman", preview)
        # Call done today: the quote the next working day, for the leader
        self.assertIn("Thursday 26 November", preview)
        self.assertIn("Lea Leader", preview)
        self.assertEqual(self.env["mail.activity"].search_count([]), activities_before)

    def test_sample_lead_is_an_open_opportunity_of_the_team(self):
        self.lead.action_set_won()
        newer = self.env["crm.lead"].create(
            {
                "name": "Newer Deal",
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": self.clicker.id,
            }
        )
        self.env["crm.lead"].create(
            {"name": "Other Team", "type": "opportunity", "team_id": self.plain_team.id}
        )
        self.assertEqual(self.playbook._sample_lead(), newer)

    def test_another_lead_can_be_chosen(self):
        form = self.try_playbook()
        form.lead_id = self.env["crm.lead"].create(
            {
                "name": "Clark's Deal",
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": self.clicker.id,
            }
        )
        self.assertIn("Clark Clicker", str(form.preview))
        self.assertNotIn("Sally Salesman", str(form.preview))

    def test_without_lead_the_preview_asks_for_one(self):
        self.lead.action_set_won()
        form = self.try_playbook()
        self.assertFalse(form.lead_id)
        self.assertIn("Choose a lead", str(form.preview))

    def test_a_lead_the_user_may_not_read_tells_nothing(self):
        # a client may send any lead id: Sally may only read her own leads
        hidden = self.env["crm.lead"].create(
            {
                "name": "Secret Deal",
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": self.clicker.id,
            }
        )
        self.assertFalse(hidden.with_user(self.salesman)._filtered_access("read"))
        wizard = (
            self.env["sale.activity.playbook.preview"]
            .with_user(self.salesman)
            .create({"playbook_id": self.playbook.id, "lead_id": hidden.id})
        )
        with self.assertRaises(AccessError) as refused:
            wizard.read(["preview"])
        self.assertNotIn("Secret Deal", str(refused.exception))
        self.assertNotIn("Clark", str(refused.exception))
        # her own lead is shown
        wizard.lead_id = self.lead
        self.assertIn("Big Deal", str(wizard.read(["preview"])[0]["preview"]))

    def test_a_playbook_of_another_company_tells_nothing(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere Inc."})
        secret_team = self.env["crm.team"].create(
            {"name": "Secret Team", "company_id": other_company.id}
        )
        playbook = self.env["sale.activity.playbook"].create(
            {
                "name": "Secret cadence",
                "company_id": other_company.id,
                "team_ids": [Command.link(secret_team.id)],
            }
        )
        self.add_rule(self.call, self.create_quote, playbook=playbook)
        wizard = (
            self.env["sale.activity.playbook.preview"]
            .with_user(self.salesman)
            .create({"playbook_id": playbook.id, "lead_id": self.lead.id})
        )
        for fname in ("preview", "team_ids"):
            with self.assertRaises(AccessError):
                wizard.read([fname])

    def test_preview_lands_on_working_days_as_the_engine_does(self):
        self.add_rule(self.meeting, self.request_signature, delay_count=3)
        preview = str(self.try_playbook(user=self.salesman).preview)
        # Wednesday + 3 days is a Saturday: Monday
        self.assertIn("Monday 30 November", preview)
        self.assertNotIn("Saturday", preview)
