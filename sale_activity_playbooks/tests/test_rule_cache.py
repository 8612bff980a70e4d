# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.modules.registry import Registry
from odoo.tests import tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestRuleCache(PlaybookCase):
    """The rules cached per team follow every change of which teams follow
    which rules. Each test first lets the engine cache the rules as they are
    (as a running server has them), then changes the configuration the way an
    administrator does, and completes an activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Types of their own: on a demo database, the teams of the demo story
        # already follow rules on Email, Call and Meeting, which would hide a
        # stale cache.
        Type = cls.env["mail.activity.type"]
        cls.call, cls.meeting, cls.todo, cls.review = Type.create(
            [
                {"name": name, "res_model": "crm.lead"}
                for name in ("Discovery call", "Site visit", "Paperwork", "Review")
            ]
        )
        cls.call_rule = cls.add_rule(cls.call, cls.create_quote)
        cls.other_playbook = cls.env["sale.activity.playbook"].create(
            {"name": "Visits first"}
        )
        cls.add_rule(cls.meeting, cls.request_signature, playbook=cls.other_playbook)

    def warm_cache(self):
        """What every worker does all day: complete and schedule activities,
        which caches the rules of the teams involved."""
        self.schedule(self.meeting, lead=self.plain_lead).action_feedback()
        self.schedule(self.call).action_feedback()
        self.schedule(self.call, lead=self.plain_lead).action_feedback()
        for lead in self.lead | self.plain_lead:
            self.activities(lead=lead).unlink()

    def completes_with(self, done_type, next_type, lead=None):
        """Whether completing ``done_type`` on ``lead`` creates ``next_type``."""
        lead = lead or self.lead
        self.activities(lead=lead).unlink()
        self.schedule(done_type, lead=lead).action_feedback()
        return bool(self.activities(lead=lead, activity_type=next_type))

    def new_lead(self, team):
        return self.env["crm.lead"].create(
            {
                "name": f"Deal of {team.name}",
                "type": "opportunity",
                "team_id": team.id,
                "user_id": self.salesman.id,
            }
        )

    # ------------------------------------------------------------------
    # Teams
    # ------------------------------------------------------------------

    def test_team_created_with_its_playbooks_follows_them(self):
        self.warm_cache()
        team = self.env["crm.team"].create(
            {
                "name": "New Team",
                "playbook_ids": [Command.set(self.other_playbook.ids)],
            }
        )
        self.assertTrue(
            self.completes_with(
                self.meeting, self.request_signature, self.new_lead(team)
            )
        )

    def test_team_starting_to_follow_a_playbook(self):
        self.warm_cache()
        self.plain_team.playbook_ids = [Command.link(self.other_playbook.id)]
        self.assertTrue(
            self.completes_with(self.meeting, self.request_signature, self.plain_lead)
        )

    def test_team_no_longer_following_a_playbook(self):
        self.warm_cache()
        self.team.playbook_ids = [Command.unlink(self.playbook.id)]
        self.assertFalse(self.completes_with(self.call, self.create_quote))

    def test_archived_team_follows_nothing_until_restored(self):
        self.warm_cache()
        self.team.action_archive()
        self.assertFalse(self.completes_with(self.call, self.create_quote))
        self.team.action_unarchive()
        self.assertTrue(self.completes_with(self.call, self.create_quote))

    def test_deleted_team_leaves_no_rule_behind(self):
        self.warm_cache()
        team = self.env["crm.team"].create(
            {"name": "Short-lived", "playbook_ids": [Command.set(self.playbook.ids)]}
        )
        lead = self.new_lead(team)
        self.assertTrue(self.completes_with(self.call, self.create_quote, lead))
        self.activities(lead=lead).unlink()
        # the lead stays, without a team: team_id is set to null by the database
        team.unlink()
        self.assertFalse(lead.team_id)
        self.assertFalse(self.completes_with(self.call, self.create_quote, lead))

    def test_team_moving_to_another_company_keeps_its_shared_playbook(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        shared = self.env["sale.activity.playbook"].create(
            {"name": "Shared cadence", "company_id": False}
        )
        self.add_rule(self.call, self.request_signature, playbook=shared)
        team = self.env["crm.team"].create(
            {
                "name": "Moving team",
                "company_id": self.company.id,
                "playbook_ids": [Command.set(shared.ids)],
            }
        )
        lead = self.new_lead(team)
        self.warm_cache()
        self.assertTrue(self.completes_with(self.call, self.request_signature, lead))
        self.salesman.company_ids = [Command.link(other_company.id)]
        team.company_id = other_company
        lead.company_id = other_company
        self.assertTrue(self.completes_with(self.call, self.request_signature, lead))

    def test_playbook_shared_with_every_company_applies_at_once(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        everyone = self.env["crm.team"].create(
            {
                "name": "Every company",
                "company_id": False,
                "playbook_ids": [Command.set(self.playbook.ids)],
            }
        )
        self.salesman.company_ids = [Command.link(other_company.id)]
        lead = self.new_lead(everyone)
        lead.company_id = other_company
        self.assertFalse(self.completes_with(self.call, self.create_quote, lead))
        self.playbook.company_id = False
        self.assertTrue(self.completes_with(self.call, self.create_quote, lead))

    # ------------------------------------------------------------------
    # Playbooks and rules
    # ------------------------------------------------------------------

    def test_playbook_created_for_a_team(self):
        self.warm_cache()
        playbook = self.env["sale.activity.playbook"].create(
            {
                "name": "Uploads",
                "team_ids": [Command.link(self.plain_team.id)],
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.review.id,
                            "next_type_ids": [Command.set(self.follow_up.ids)],
                        }
                    )
                ],
            }
        )
        self.assertTrue(playbook.line_ids)
        self.assertTrue(
            self.completes_with(self.review, self.follow_up, self.plain_lead)
        )

    def test_playbook_archived_and_restored(self):
        self.warm_cache()
        self.playbook.action_archive()
        self.assertFalse(self.completes_with(self.call, self.create_quote))
        self.playbook.action_unarchive()
        self.assertTrue(self.completes_with(self.call, self.create_quote))

    def test_playbook_deleted(self):
        self.warm_cache()
        self.playbook.unlink()
        self.assertFalse(self.completes_with(self.call, self.create_quote))

    def test_rule_created(self):
        self.warm_cache()
        self.add_rule(self.todo, self.follow_up)
        self.assertTrue(self.completes_with(self.todo, self.follow_up))

    def test_rule_deleted(self):
        self.warm_cache()
        self.call_rule.unlink()
        self.assertFalse(self.completes_with(self.call, self.create_quote))

    def test_rule_moved_to_another_playbook(self):
        self.warm_cache()
        self.call_rule.playbook_id = self.other_playbook
        self.assertFalse(self.completes_with(self.call, self.create_quote))
        self.plain_team.playbook_ids = [Command.link(self.other_playbook.id)]
        self.assertTrue(
            self.completes_with(self.call, self.create_quote, self.plain_lead)
        )

    def test_rule_starting_on_another_activity_type(self):
        self.warm_cache()
        self.call_rule.activity_type_id = self.todo
        self.assertFalse(self.completes_with(self.call, self.create_quote))
        self.assertTrue(self.completes_with(self.todo, self.create_quote))

    def test_rule_changing_its_moment(self):
        self.warm_cache()
        self.call_rule.trigger_on = "scheduled"
        call = self.schedule(self.call)
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(
            quote.playbook_source_ids, call, "made when the call is planned"
        )

    def test_rules_follow_the_sequence_they_are_dragged_to(self):
        suggest = {"chaining_type": "suggest"}
        first = self.add_rule(self.email, self.call, **suggest, sequence=1)
        second = self.add_rule(self.email, self.meeting, **suggest, sequence=2)
        email = self.schedule(self.email)
        self.assertEqual(email._playbook_rules("done")[email], first | second)
        second.sequence = 0
        self.assertEqual(email._playbook_rules("done")[email].ids, (second | first).ids)

    # ------------------------------------------------------------------
    # What does not change the rules does not clear every worker's cache
    # ------------------------------------------------------------------

    def test_edits_that_change_no_rule_keep_the_registry_cache(self):
        self.warm_cache()
        with patch.object(Registry, "clear_cache", autospec=True) as clear_cache:
            self.playbook.description = "Calls lead to quotes."
            self.playbook.sequence = 3
            self.call_rule.sequence = 7
            self.team.name = "Renamed team"
            self.env["sale.activity.playbook"].create({"name": "Draft playbook"})
            self.env["crm.team"].create({"name": "Team without playbooks"})
            self.env["sale.activity.playbook"].create({"name": "Unused"}).unlink()
        clear_cache.assert_not_called()
        # what changes what the engine does clears it
        for record, values in (
            (self.playbook, {"team_ids": [Command.link(self.plain_team.id)]}),
            (self.call_rule, {"delay_count": 4}),
            (self.call_rule, {"summary": "Quote it"}),
            # the toast of planned follow-ups names the playbook
            (self.playbook, {"name": "Renamed cadence"}),
        ):
            with patch.object(Registry, "clear_cache", autospec=True) as clear_cache:
                record.write(values)
            clear_cache.assert_called()

    def test_every_fact_the_engine_caches_follows_its_change(self):
        # the engine plans from cached facts of each rule: each change counts
        # at once, as a cold cache would read it
        def planned():
            self.activities().unlink()
            self.schedule(self.call).action_feedback()
            return self.activities()

        self.warm_cache()
        self.assertEqual(planned().activity_type_id, self.create_quote)
        changes = [
            ({"delay_count": 1}, "date_deadline", TODAY + timedelta(days=1)),
            ({"delay_unit": "weeks"}, "date_deadline", TODAY + timedelta(weeks=1)),
            ({"responsible": "team_leader"}, "user_id", self.leader),
            ({"summary": "Quote them now"}, "summary", "Quote them now"),
            (
                {"next_type_ids": [Command.set(self.follow_up.ids)]},
                "activity_type_id",
                self.follow_up,
            ),
        ]
        for values, fname, expected in changes:
            with self.subTest(values=values):
                self.call_rule.write(values)
                self.assertEqual(planned()[fname], expected)
        self.call_rule.playbook_id.notify_assignment = True
        self.assertTrue(planned())
        self.call_rule.repeat_limit = 1
        self.assertFalse(planned(), "fired once already on this lead")
        self.call_rule.write({"repeat_limit": 0, "chaining_type": "suggest"})
        self.assertFalse(planned(), "a suggestion creates nothing")
