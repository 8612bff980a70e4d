# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PlaybookCase


@tagged("post_install", "-at_install")
class TestPlaybookConfig(PlaybookCase):
    """Rules read as sentences; bad input is refused with a clear message and
    nothing is half-saved."""

    def assert_refused(self, message_part, func, *args, **kwargs):
        lines_before = self.env["sale.activity.playbook.line"].search_count([])
        playbooks_before = self.env["sale.activity.playbook"].search_count([])
        with self.assertRaises(ValidationError) as caught:
            func(*args, **kwargs)
        self.assertIn(message_part, str(caught.exception))
        self.assertEqual(
            self.env["sale.activity.playbook.line"].search_count([]), lines_before
        )
        self.assertEqual(
            self.env["sale.activity.playbook"].search_count([]), playbooks_before
        )

    def test_reminder_is_an_activity_type_action(self):
        categories = dict(
            self.env["mail.activity.type"]
            ._fields["category"]
            ._description_selection(self.env)
        )
        self.assertEqual(categories["reminder"], "Reminder")
        self.assertEqual(self.follow_up.category, "reminder")
        self.assertEqual(self.follow_up.icon, "fa-bell")
        self.assertEqual(self.follow_up_quote.category, "reminder")

    def test_preconfigured_types_are_for_leads_and_native_ones_untouched(self):
        for activity_type in (
            self.follow_up,
            self.create_quote,
            self.follow_up_quote,
            self.request_signature,
        ):
            self.assertEqual(activity_type.res_model, "crm.lead")
        for native in (self.email, self.call, self.meeting, self.todo, self.upload):
            self.assertFalse(native.res_model)
            self.assertNotEqual(native.category, "reminder")
        self.assertEqual(self.call.category, "phonecall")
        self.assertEqual(self.upload.category, "upload_file")

    def test_rule_reads_as_a_sentence(self):
        rule = self.add_rule(
            self.email,
            self.call | self.meeting,
            chaining_type="suggest",
            delay_count=2,
            delay_from="previous_activity",
        )
        self.assertEqual(
            rule.display_name,
            "When Email is marked as done, suggest Call or Meeting 2 days after its "
            "deadline",
        )
        rule.write(
            {
                "chaining_type": "trigger",
                "delay_count": 1,
                "delay_unit": "working_days",
                "delay_from": "current_date",
                "responsible": "team_leader",
            }
        )
        self.assertEqual(
            rule.display_name,
            "When Email is marked as done, schedule Call or Meeting 1 working day "
            "after completion, for the team leader",
        )
        rule.write(
            {
                "trigger_on": "scheduled",
                "delay_count": 0,
                "next_type_ids": [Command.set(self.follow_up.ids)],
                "responsible": "specific",
                "user_id": self.clicker.id,
            }
        )
        self.assertEqual(
            rule.display_name,
            "When Email is scheduled, schedule Follow-up on the day it is scheduled, "
            "for Clark Clicker",
        )

    def test_negative_delay_is_refused(self):
        self.assert_refused(
            "cannot be negative", self.add_rule, self.email, self.call, delay_count=-1
        )

    def test_huge_delay_is_refused(self):
        self.assert_refused(
            "too long",
            self.add_rule,
            self.email,
            self.call,
            delay_count=200,
            delay_unit="months",
        )

    def test_suggest_on_scheduled_is_refused(self):
        self.assert_refused(
            "can only be suggested when an activity is marked as done",
            self.add_rule,
            self.email,
            self.call,
            trigger_on="scheduled",
            chaining_type="suggest",
        )

    def test_specific_without_user_is_refused(self):
        self.assert_refused(
            "Choose the user",
            self.add_rule,
            self.email,
            self.call,
            responsible="specific",
        )

    def test_rule_without_next_activity_is_refused(self):
        self.assert_refused(
            "needs at least one next activity",
            self.add_rule,
            self.email,
            self.env["mail.activity.type"],
        )

    def test_type_of_another_model_is_refused(self):
        partner_type = self.env["mail.activity.type"].create(
            {"name": "Partner check", "res_model": "res.partner"}
        )
        self.assert_refused(
            "Partner check cannot be scheduled on leads",
            self.add_rule,
            self.email,
            partner_type,
        )

    def test_archived_type_is_refused(self):
        archived = self.env["mail.activity.type"].create(
            {"name": "Old type", "active": False}
        )
        self.assert_refused("archived", self.add_rule, self.email, archived)

    def test_loop_in_a_playbook_is_refused_and_named(self):
        self.add_rule(self.email, self.follow_up, trigger_on="scheduled")
        self.assert_refused(
            "Email → Follow-up → Email",
            self.add_rule,
            self.follow_up,
            self.email,
            trigger_on="scheduled",
        )

    def test_loop_across_playbooks_of_a_team_is_refused(self):
        self.add_rule(self.email, self.follow_up, trigger_on="scheduled")
        other = self.env["sale.activity.playbook"].create(
            {
                "name": "Other",
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.follow_up.id,
                            "trigger_on": "scheduled",
                            "next_type_ids": [Command.set(self.email.ids)],
                        }
                    )
                ],
            }
        )
        # attached from the playbook
        self.assert_refused(
            "Playbook Team", other.write, {"team_ids": [Command.link(self.team.id)]}
        )
        self.assertFalse(other.team_ids)
        # attached from the team
        self.assert_refused(
            "Follow-up → Email",
            self.team.write,
            {"playbook_ids": [Command.link(other.id)]},
        )
        self.assertEqual(self.team.playbook_ids, self.playbook)

    def test_loops_among_done_rules_are_allowed(self):
        # each step needs a human: no loop can run away
        self.add_rule(self.call, self.follow_up)
        self.add_rule(self.follow_up, self.call)
        self.assertEqual(len(self.playbook.line_ids), 2)

    def test_deleting_a_type_a_playbook_uses_is_refused(self):
        custom = self.env["mail.activity.type"].create({"name": "Demo"})
        self.add_rule(self.email, custom)
        with self.assertRaises(ValidationError) as caught:
            custom.unlink()
        self.assertIn("Demo cannot be deleted", str(caught.exception))
        self.assertIn("Test cadence", str(caught.exception))
        self.assertTrue(custom.exists())

    def test_archiving_a_type_a_playbook_uses_is_refused(self):
        custom = self.env["mail.activity.type"].create({"name": "Demo"})
        self.add_rule(custom, self.call)
        with self.assertRaises(ValidationError):
            custom.action_archive()
        self.assertTrue(custom.active)

    def test_restricting_a_used_type_to_another_model_is_refused(self):
        custom = self.env["mail.activity.type"].create({"name": "Demo"})
        self.add_rule(self.email, custom)
        with self.assertRaises(ValidationError):
            custom.res_model = "res.partner"
        self.assertFalse(custom.res_model)

    def test_unused_type_can_still_be_deleted(self):
        custom = self.env["mail.activity.type"].create({"name": "Unused"})
        custom.unlink()
        self.assertFalse(custom.exists())

    def test_negative_reminder_days_are_refused(self):
        for field in ("escalation_days", "neglect_days", "neglect_min_revenue"):
            with self.subTest(field=field):
                self.assert_refused(
                    "cannot be",
                    self.env["sale.activity.playbook"].create,
                    {"name": "Bad", field: -1},
                )

    def test_follow_up_type_must_be_available_on_leads(self):
        partner_type = self.env["mail.activity.type"].create(
            {"name": "Partner check", "res_model": "res.partner"}
        )
        self.assertEqual(self.playbook.followup_type_id, self.follow_up)
        self.assert_refused(
            "cannot be scheduled on leads",
            self.env["sale.activity.playbook"].create,
            {"name": "Bad", "followup_type_id": partner_type.id},
        )

    def test_deleting_the_follow_up_type_of_a_playbook_is_refused(self):
        custom = self.env["mail.activity.type"].create({"name": "Nudge"})
        self.playbook.followup_type_id = custom
        with self.assertRaises(ValidationError):
            custom.unlink()

    def test_team_shows_its_playbooks(self):
        self.assertEqual(self.team.playbook_ids, self.playbook)
        self.assertEqual(self.playbook.team_ids, self.team)
        second = self.env["sale.activity.playbook"].create(
            {"name": "Second", "team_ids": [Command.link(self.team.id)]}
        )
        self.assertEqual(self.team.playbook_ids, self.playbook | second)

    def test_copy_keeps_the_rules(self):
        self.add_rule(self.email, self.call | self.meeting, chaining_type="suggest")
        copy = self.playbook.copy()
        self.assertEqual(copy.name, "Test cadence (copy)")
        self.assertEqual(len(copy.line_ids), 1)
        self.assertEqual(copy.line_ids.next_type_ids, self.call | self.meeting)
