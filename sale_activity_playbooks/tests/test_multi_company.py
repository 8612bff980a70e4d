# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestMultiCompany(PlaybookCase):
    """Company A is the test company (``team`` follows ``playbook``); company
    B has its own team and playbook. A playbook of B never applies to a lead
    of A, users see the playbooks of their companies, and a team follows only
    playbooks of its company or shared ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.team_b = cls.env["crm.team"].create(
            {"name": "Team B", "company_id": cls.company_b.id}
        )
        cls.playbook_b = cls.env["sale.activity.playbook"].create(
            {
                "name": "Cadence B",
                "company_id": cls.company_b.id,
                "team_ids": [Command.link(cls.team_b.id)],
            }
        )
        cls.add_rule(cls.call, cls.create_quote, playbook=cls.playbook_b)
        cls.add_rule(
            cls.email, cls.follow_up, playbook=cls.playbook_b, trigger_on="scheduled"
        )
        cls.add_rule(
            cls.meeting, cls.call, playbook=cls.playbook_b, chaining_type="suggest"
        )
        cls.shared = cls.env["sale.activity.playbook"].create(
            {"name": "Shared cadence", "company_id": False}
        )
        cls.user_a = new_test_user(
            cls.env,
            "pb_user_a",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_ab = new_test_user(
            cls.env,
            "pb_user_ab",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )

    def assert_company_refused(self, func, *args):
        relation_before = self.team_links()
        with self.assertRaises(ValidationError) as caught:
            func(*args)
        self.assertIn("follows the playbooks of its own company", str(caught.exception))
        self.assertEqual(self.team_links(), relation_before, "nothing half-saved")
        return str(caught.exception)

    def team_links(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT team_id, playbook_id FROM crm_team_sale_activity_playbook_rel "
            "ORDER BY 1, 2"
        )
        return self.env.cr.fetchall()

    def force_link(self, team, playbook):
        """Link as an old database or a SQL script could have: behind the
        constraints' back."""
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO crm_team_sale_activity_playbook_rel (team_id, playbook_id) "
            "VALUES (%s, %s)",
            (team.id, playbook.id),
        )
        self.env.invalidate_all()
        self.env.registry.clear_cache()

    # ------------------------------------------------------------------
    # The engine
    # ------------------------------------------------------------------

    def test_playbook_of_company_b_never_applies_to_a_lead_of_company_a(self):
        self.force_link(self.team, self.playbook_b)
        self.assertEqual(self.lead.company_id, self.company)
        self.schedule(self.call).action_feedback()
        self.schedule(self.email)
        self.assertFalse(self.activities(activity_type=self.create_quote))
        self.assertFalse(self.activities(activity_type=self.follow_up))
        action = self.schedule(self.meeting).action_feedback_schedule_next()
        form = Form(
            self.env["mail.activity"].with_context(**action["context"]),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertFalse(form.playbook_suggested_type_ids)

    def test_playbook_of_company_b_applies_to_leads_of_company_b(self):
        lead_b = self.env["crm.lead"].create(
            {
                "name": "Deal B",
                "team_id": self.team_b.id,
                "company_id": self.company_b.id,
                "user_id": self.user_ab.id,
            }
        )
        self.schedule(self.call, lead=lead_b).action_feedback()
        self.assertTrue(self.activities(lead_b, self.create_quote))

    def test_shared_playbook_applies_in_every_company(self):
        # a next type that no playbook of a company schedules after a call
        self.add_rule(self.call, self.request_signature, playbook=self.shared)
        self.shared.team_ids = [Command.set((self.plain_team | self.team_b).ids)]
        lead_b = self.env["crm.lead"].create(
            {"name": "Deal B", "team_id": self.team_b.id, "user_id": self.user_ab.id}
        )
        self.assertEqual(lead_b.company_id, self.company_b)
        for lead in (self.plain_lead, lead_b):
            self.schedule(self.call, lead=lead).action_feedback()
            signature = self.activities(lead, self.request_signature)
            self.assertEqual(signature.playbook_id, self.shared)
        # company B's own playbook applies next to the shared one
        self.assertEqual(
            self.activities(lead_b, self.create_quote).playbook_id, self.playbook_b
        )

    # ------------------------------------------------------------------
    # Who sees what
    # ------------------------------------------------------------------

    def test_users_see_only_the_playbooks_of_their_companies(self):
        Playbook = self.env["sale.activity.playbook"]
        Line = self.env["sale.activity.playbook.line"]
        self.assertNotIn(self.playbook_b, Playbook.with_user(self.user_a).search([]))
        self.assertIn(self.shared, Playbook.with_user(self.user_a).search([]))
        self.assertIn(self.playbook, Playbook.with_user(self.user_a).search([]))
        self.assertFalse(
            Line.with_user(self.user_a).search(
                [("playbook_id", "=", self.playbook_b.id)]
            )
        )
        # a user of both companies sees B's only while B is selected
        only_a = Playbook.with_user(self.user_ab).with_context(
            allowed_company_ids=self.company.ids
        )
        self.assertNotIn(self.playbook_b, only_a.search([]))
        both = Playbook.with_user(self.user_ab).with_context(
            allowed_company_ids=(self.company | self.company_b).ids
        )
        self.assertIn(self.playbook_b, both.search([]))
        self.assertEqual(
            len(
                Line.with_user(self.user_ab)
                .with_context(allowed_company_ids=(self.company | self.company_b).ids)
                .search([("playbook_id", "=", self.playbook_b.id)])
            ),
            3,
        )

    def test_rules_follow_the_company_of_their_playbook(self):
        self.assertEqual(set(self.playbook_b.line_ids.company_id), {self.company_b})
        self.shared.company_id = self.company_b
        self.add_rule(self.call, self.todo, playbook=self.shared)
        self.shared.company_id = False
        self.assertFalse(self.shared.line_ids.company_id)

    def test_playbook_of_another_company_never_escalates_a_lead(self):
        # linked behind the constraints' back: the crons still keep to the
        # lead's company
        self.playbook.escalation_days = 0
        self.playbook_b.escalation_days = 1
        self.force_link(self.team, self.playbook_b)
        overdue = self.schedule(self.follow_up, deadline=TODAY - timedelta(days=10))
        due = self.schedule(self.follow_up, deadline=TODAY)
        self.env["sale.activity.reminder"]._cron_playbook_reminders()
        self.assertTrue(overdue.reminded_on and due.reminded_on)
        self.assertFalse(overdue.escalated_on)
        self.assertFalse(due.escalated_on)

    # ------------------------------------------------------------------
    # A team and its playbooks agree on the company
    # ------------------------------------------------------------------

    def test_attaching_a_playbook_of_another_company_from_the_playbook(self):
        message = self.assert_company_refused(
            self.playbook_b.write, {"team_ids": [Command.link(self.team.id)]}
        )
        self.assertIn('"Playbook Team"', message)
        self.assertIn('"Cadence B" of Company B', message)

    def test_attaching_a_playbook_of_another_company_from_the_team(self):
        self.assert_company_refused(
            self.team.write, {"playbook_ids": [Command.link(self.playbook_b.id)]}
        )
        self.assertEqual(self.team.playbook_ids, self.playbook)

    def test_team_of_every_company_follows_playbooks_for_their_company_leads(self):
        everyone = self.env["crm.team"].create(
            {"name": "Everyone", "company_id": False}
        )
        everyone.playbook_ids = [Command.link(self.playbook_b.id)]
        self.assertEqual(everyone.playbook_ids, self.playbook_b)
        lead_a = self.env["crm.lead"].create(
            {"name": "A", "team_id": everyone.id, "company_id": self.company.id}
        )
        lead_b = self.env["crm.lead"].create(
            {"name": "B", "team_id": everyone.id, "company_id": self.company_b.id}
        )
        # Cadence B: Call done -> Create Quote
        for lead in lead_a | lead_b:
            self.schedule(self.call, lead=lead, user=self.leader).action_feedback()
        self.assertFalse(self.activities(lead=lead_a, activity_type=self.create_quote))
        self.assertTrue(self.activities(lead=lead_b, activity_type=self.create_quote))

    def test_shared_playbook_attached_from_either_side(self):
        self.shared.team_ids = [Command.link(self.team.id)]
        self.team_b.playbook_ids = [Command.link(self.shared.id)]
        self.assertEqual(self.shared.team_ids, self.team | self.team_b)

    def test_changing_the_playbook_company_under_its_teams(self):
        self.assert_company_refused(
            self.playbook.write, {"company_id": self.company_b.id}
        )
        self.assertEqual(self.playbook.company_id, self.company)

    def test_changing_the_team_company_under_its_playbooks(self):
        self.assert_company_refused(self.team.write, {"company_id": self.company_b.id})
        self.assertEqual(self.team.company_id, self.company)

    def test_restricting_a_shared_playbook_to_a_company(self):
        self.shared.team_ids = [Command.set((self.team | self.team_b).ids)]
        self.assert_company_refused(self.shared.write, {"company_id": self.company.id})
        self.assertFalse(self.shared.company_id)

    def test_archived_team_counts_too(self):
        team = self.env["crm.team"].create(
            {"name": "Old team", "active": False, "company_id": self.company.id}
        )
        self.assert_company_refused(
            self.playbook_b.write, {"team_ids": [Command.link(team.id)]}
        )

    def test_specific_user_must_work_for_the_playbook_company(self):
        only_b = new_test_user(
            self.env,
            "pb_only_b",
            groups="sales_team.group_sale_salesman",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        lines_before = self.env["sale.activity.playbook.line"].search_count([])
        with self.assertRaises(ValidationError) as caught:
            self.add_rule(
                self.call, self.todo, responsible="specific", user_id=only_b.id
            )
        self.assertIn("do not work", str(caught.exception))
        self.assertEqual(
            self.env["sale.activity.playbook.line"].search_count([]), lines_before
        )
        # a shared playbook may assign anyone; restricting it then is refused
        self.add_rule(
            self.call,
            self.todo,
            playbook=self.shared,
            responsible="specific",
            user_id=only_b.id,
        )
        with self.assertRaises(ValidationError):
            self.shared.company_id = self.company
        self.assertFalse(self.shared.company_id)
