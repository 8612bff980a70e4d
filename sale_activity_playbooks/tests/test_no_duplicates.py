# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestNoDuplicates(PlaybookCase):
    """A playbook never gives a lead a second open activity of a type for the
    same assignee: the open one, whoever planned it, satisfies the rule. A
    follow-up of scheduled activities is shared by its sources instead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_rule(cls.call, cls.create_quote)
        cls.add_rule(cls.email, cls.follow_up, trigger_on="scheduled", delay_count=1)
        cls.add_rule(cls.meeting, cls.follow_up, trigger_on="scheduled", delay_count=3)

    def follow_ups(self, lead=None):
        return self.activities(lead=lead, activity_type=self.follow_up)

    # ------------------------------------------------------------------
    # Rules on completion
    # ------------------------------------------------------------------

    def test_done_rule_leaves_an_open_activity_of_the_type_as_it_is(self):
        # seen in the browser: a Call done next to an open Create Quote
        quote = self.schedule(
            self.create_quote, deadline=TODAY + timedelta(days=6), summary="By hand"
        )
        self.schedule(self.call).action_feedback()
        self.assertEqual(self.activities(activity_type=self.create_quote), quote)
        self.assertEqual(quote.date_deadline, TODAY + timedelta(days=6))
        self.assertEqual(quote.summary, "By hand")
        self.assertFalse(quote.playbook_line_id)

    def test_done_and_schedule_next_opens_no_form_when_the_next_step_is_open(self):
        # the rule's next step is there already, as when it creates it: Odoo
        # opens the "Schedule Activity" form only when nothing was triggered
        quote = self.schedule(self.create_quote)
        action = self.schedule(self.call).action_feedback_schedule_next()
        self.assertFalse(action)
        self.assertEqual(self.activities(activity_type=self.create_quote), quote)

    def test_an_open_activity_of_someone_else_is_no_duplicate(self):
        self.schedule(self.create_quote, user=self.clicker)
        self.schedule(self.call).action_feedback()
        quotes = self.activities(activity_type=self.create_quote)
        self.assertEqual(quotes.user_id, self.clicker | self.salesman)

    def test_the_activity_being_done_is_no_longer_open(self):
        # a rule may plan the same type again (a call back)
        self.add_rule(self.todo, self.todo, delay_count=2)
        todo = self.schedule(self.todo)
        todo.action_feedback()
        again = self.activities(activity_type=self.todo)
        self.assertEqual(len(again), 1)
        self.assertNotEqual(again, todo)
        self.assertEqual(again.date_deadline, TODAY + timedelta(days=2))

    def test_two_calls_done_at_once_plan_one_quote(self):
        calls = self.schedule(self.call) | self.schedule(self.call, user=self.clicker)
        calls.action_feedback()
        self.assertEqual(len(self.activities(activity_type=self.create_quote)), 1)

    # ------------------------------------------------------------------
    # Rules on scheduling: one follow-up, shared
    # ------------------------------------------------------------------

    def test_second_email_shares_the_follow_up_of_the_first(self):
        # seen in the browser: a second Email added a second follow-up
        first = self.schedule(self.email, deadline=TODAY)
        second = self.schedule(self.email, deadline=TODAY + timedelta(days=5))
        follow_up = self.follow_ups()
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.playbook_source_ids, first | second)
        # the latest deadline of its sources: Monday's email + 1 day
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=6))

    def test_shared_follow_up_moves_to_the_latest_deadline_of_its_sources(self):
        first = self.schedule(self.email, deadline=TODAY)
        second = self.schedule(self.meeting, deadline=TODAY + timedelta(days=1))
        follow_up = self.follow_ups()
        # Thursday's meeting + 3 days is a Sunday: Monday
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=5))
        first.date_deadline = TODAY + timedelta(days=7)
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=8))
        second.date_deadline = TODAY + timedelta(days=13)
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=16))

    def test_shared_follow_up_goes_with_the_last_source_cancelled(self):
        first = self.schedule(self.email, deadline=TODAY + timedelta(days=5))
        second = self.schedule(self.email, deadline=TODAY)
        follow_up = self.follow_ups()
        first.action_cancel()
        self.assertTrue(follow_up.exists())
        self.assertEqual(follow_up.playbook_source_ids, second)
        # back to the deadline its remaining source gives it
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=1))
        second.action_cancel()
        self.assertFalse(follow_up.exists())

    def test_once_a_source_is_done_the_follow_up_stays(self):
        first = self.schedule(self.email)
        second = self.schedule(self.email)
        follow_up = self.follow_ups()
        first.action_feedback()
        second.action_cancel()
        self.assertTrue(follow_up.exists())
        self.assertFalse(follow_up.playbook_source_ids)

    def test_one_create_of_two_sources_makes_one_shared_follow_up(self):
        model_id = self.env["ir.model"]._get_id("crm.lead")
        # Odoo itself cannot give a new follower two activities in one create()
        self.lead.message_subscribe(self.salesman.partner_id.ids)
        sources = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": self.lead.id,
                    "activity_type_id": self.email.id,
                    "user_id": self.salesman.id,
                    "date_deadline": TODAY + timedelta(days=days),
                }
                for days in (0, 5)
            ]
        )
        follow_up = self.follow_ups()
        self.assertEqual(follow_up.playbook_source_ids, sources)
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=6))

    def test_a_hand_made_follow_up_satisfies_the_rule_and_is_left_alone(self):
        by_hand = self.schedule(self.follow_up, deadline=TODAY + timedelta(days=9))
        email = self.schedule(self.email)
        self.assertEqual(self.follow_ups(), by_hand)
        self.assertFalse(by_hand.playbook_source_ids)
        email.action_cancel()
        self.assertTrue(by_hand.exists(), "not the playbook's to remove")
        self.assertEqual(by_hand.date_deadline, TODAY + timedelta(days=9))

    def test_a_follow_up_planned_by_an_activity_plan_satisfies_the_rule(self):
        plan = self.env["mail.activity.plan"].create(
            {
                "name": "Onboarding",
                "res_model": "crm.lead",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.follow_up.id,
                            "responsible_type": "other",
                            "responsible_id": self.salesman.id,
                        }
                    )
                ],
            }
        )
        wizard = Form(
            self.env["mail.activity.schedule"].with_context(
                active_model="crm.lead", active_ids=self.lead.ids
            )
        )
        wizard.plan_id = plan
        wizard.plan_date = TODAY
        wizard.save().action_schedule_plan()
        planned = self.follow_ups()
        self.assertEqual(len(planned), 1)
        self.schedule(self.email)
        self.assertEqual(self.follow_ups(), planned)

    def test_follow_ups_of_other_leads_are_not_shared(self):
        self.schedule(self.email)
        self.schedule(self.email, lead=self.plain_lead)
        other = self.env["crm.lead"].create(
            {"name": "Other", "team_id": self.team.id, "user_id": self.salesman.id}
        )
        self.schedule(self.email, lead=other)
        self.assertEqual(len(self.follow_ups()), 1)
        self.assertEqual(len(self.follow_ups(lead=other)), 1)
