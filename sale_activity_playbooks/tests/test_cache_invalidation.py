# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import sys
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.modules.registry import Registry
from odoo.tests import tagged

from .common import TODAY, PlaybookCase

FRIDAY, SATURDAY = date(2026, 11, 27), date(2026, 11, 28)
ADDON = "odoo.addons.sale_activity_playbooks."


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestCacheInvalidation(PlaybookCase):
    """The addon clears the registry cache (of every worker, through the
    database) only when what its caches read changes; then the engine sees
    the new data at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_rule = cls.add_rule(
            cls.call,
            cls.create_quote,
            delay_count=2,
            delay_unit="working_days",
            delay_from="current_date",
        )
        Stage = cls.env["crm.stage"]
        cls.first, cls.second, cls.goal, cls.last = Stage.create(
            [
                {"name": name, "sequence": sequence}
                for name, sequence in (
                    ("PB First", 1001),
                    ("PB Second", 1002),
                    ("PB Goal", 1003),
                    ("PB Last", 1004),
                )
            ]
        )
        cls.playbook.stop_stage_id = cls.goal
        cls.Line = cls.env["sale.activity.playbook.line"]

    @contextmanager
    def addon_clears(self):
        """The calls to ``Registry.clear_cache`` made by the addon's code
        (core clears on its own too, e.g. when a user changes company)."""
        callers = []
        clear_cache = Registry.clear_cache

        def counting_clear_cache(registry, *cache_names):
            callers.append(sys._getframe(1).f_globals.get("__name__") or "")
            return clear_cache(registry, *cache_names)

        clears = []
        with patch.object(Registry, "clear_cache", counting_clear_cache):
            yield clears
        clears += [caller for caller in callers if caller.startswith(ADDON)]

    def quote_deadline(self):
        """What the engine plans now when the call is done."""
        self.activities().unlink()
        self.schedule(self.call).action_feedback()
        return self.activities(activity_type=self.create_quote).date_deadline

    def goal_reached(self, stage):
        self.lead.stage_id = stage
        engine = self.env["sale.activity.playbook.engine"]
        return engine._goal_reached(self.goal.id, self.lead)

    # ------------------------------------------------------------------
    # What the caches do not read clears nothing
    # ------------------------------------------------------------------

    def test_stage_drag_and_stage_edits_keeping_goal_ranks_clear_nothing(self):
        self.assertFalse(self.goal_reached(self.second))
        with self.addon_clears() as clears:
            self.lead.stage_id = self.first
            self.second.name = "PB Qualified"
            # reordered, but still before the goal; the last one still after
            self.first.sequence, self.second.sequence = 1002, 1001
            self.last.sequence = 1010
            self.env["crm.stage"].create({"name": "PB Early", "sequence": 1000})
        self.assertEqual(clears, [])
        self.assertFalse(self.goal_reached(self.second))
        self.assertTrue(self.goal_reached(self.last))

    def test_stage_moved_across_the_goal_clears_and_counts(self):
        self.assertFalse(self.goal_reached(self.second))
        with self.addon_clears() as clears:
            self.second.sequence = 1020
        self.assertTrue(clears)
        self.assertTrue(self.goal_reached(self.second))
        with self.addon_clears() as clears:
            late = self.env["crm.stage"].create({"name": "PB Late", "sequence": 1030})
        self.assertTrue(clears)
        self.assertTrue(self.goal_reached(late))

    def test_user_writes_clear_nothing(self):
        self.assertEqual(self.Line._working_calendar(self.salesman), self.calendar)
        sister = self.env["res.company"].create(
            {"name": "Sister Company", "resource_calendar_id": self.calendar.id}
        )
        with self.addon_clears() as clears:
            self.salesman.name = "Sally Seller"
            self.salesman.signature = "<p>Sally</p>"
            # another company, on the same working calendar
            self.salesman.write(
                {"company_ids": [Command.link(sister.id)], "company_id": sister.id}
            )
        self.assertEqual(clears, [])
        self.assertEqual(self.Line._working_calendar(self.salesman), self.calendar)

    def test_user_moving_to_a_company_with_another_calendar_clears(self):
        self.assertEqual(self.Line._working_calendar(self.salesman), self.calendar)
        far = self.env["res.company"].create({"name": "Far Company"})
        self.assertNotEqual(far.resource_calendar_id, self.calendar)
        with self.addon_clears() as clears:
            self.salesman.write(
                {"company_ids": [Command.link(far.id)], "company_id": far.id}
            )
        self.assertTrue(clears)
        self.assertEqual(
            self.Line._working_calendar(self.salesman), far.resource_calendar_id
        )

    def test_calendar_nobody_works_on_clears_nothing(self):
        workshop = self.env["resource.calendar"].create({"name": "Workshop"})
        self.assertTrue(workshop.attendance_ids)
        self.assertEqual(self.quote_deadline(), FRIDAY)
        with self.addon_clears() as clears:
            workshop.attendance_ids[:1].hour_to = 11
            workshop.attendance_ids[-1:].unlink()
            workshop.tz = "America/New_York"
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Workshop closed",
                    "calendar_id": workshop.id,
                    "date_from": "2026-11-26 00:00:00",
                    "date_to": "2026-11-26 23:00:00",
                }
            )
        self.assertEqual(clears, [])

    def test_edits_that_change_no_cached_value_clear_nothing(self):
        draft = self.env["sale.activity.playbook"].create({"name": "Draft"})
        draft_rule = self.add_rule(self.meeting, self.follow_up, playbook=draft)
        outcome = self.env["sale.activity.outcome"].create({"name": "Left a note"})
        Type = self.env["mail.activity.type"]
        upload = Type.create({"name": "PB Scan", "category": "default"})
        with self.addon_clears() as clears:
            # a playbook that no team follows, a type that no rule plans
            draft.name = "Renamed draft"
            upload.name = "PB Scanned"
            # a rule of a playbook that no team follows
            draft_rule.delay_count = 5
            draft.notify_assignment = True
            # the value it has already
            self.call_rule.delay_count = 2
            outcome.write({"name": "Left a message", "result": "negative"})
            self.team.name = "Renamed team"
            upload.category = "upload_file"
        self.assertEqual(clears, [])

    # ------------------------------------------------------------------
    # What the caches read clears them, and the engine sees it
    # ------------------------------------------------------------------

    def test_rule_change_clears_and_the_next_followup_uses_it(self):
        self.assertEqual(self.quote_deadline(), FRIDAY)
        with self.addon_clears() as clears:
            self.call_rule.delay_count = 1
        self.assertTrue(clears)
        self.assertEqual(self.quote_deadline(), date(2026, 11, 26))

    def test_outcome_change_clears(self):
        outcome = self.env["sale.activity.outcome"].create(
            {"name": "Left a note", "activity_type_ids": [Command.set(self.call.ids)]}
        )
        Outcome = self.env["sale.activity.outcome"]
        self.assertNotIn(outcome, Outcome._for_type(self.meeting))
        with self.addon_clears() as clears:
            outcome.activity_type_ids = [Command.link(self.meeting.id)]
        self.assertTrue(clears)
        self.assertIn(outcome, Outcome._for_type(self.meeting))

    def test_team_playbook_change_clears(self):
        self.quote_deadline()
        with self.addon_clears() as clears:
            self.team.playbook_ids = [Command.unlink(self.playbook.id)]
        self.assertTrue(clears)
        self.assertFalse(self.quote_deadline())

    def test_reminder_category_clears(self):
        Type = self.env["mail.activity.type"]
        scan = Type.create({"name": "PB Scan", "category": "default"})
        self.assertNotIn(scan.id, Type._get_reminder_type_ids())
        with self.addon_clears() as clears:
            scan.category = "reminder"
        self.assertTrue(clears)
        self.assertIn(scan.id, Type._get_reminder_type_ids())

    def test_a_type_given_a_summary_clears_and_its_follow_ups_copy_it(self):
        # a next type without texts is not read when follow-ups are planned
        scan = self.env["mail.activity.type"].create({"name": "PB Scan"})
        self.call_rule.next_type_ids = [Command.set(scan.ids)]

        def follow_up_summary():
            self.activities().unlink()
            self.schedule(self.call).action_feedback()
            return self.activities(activity_type=scan).summary

        self.assertFalse(follow_up_summary())
        with self.addon_clears() as clears:
            scan.summary = "Scan the signed offer"
        self.assertTrue(clears)
        self.assertEqual(follow_up_summary(), "Scan the signed offer")
        # a type with texts is read: editing them changes nothing cached
        with self.addon_clears() as clears:
            scan.summary = "Scan the offer"
        self.assertEqual(clears, [])
        self.assertEqual(follow_up_summary(), "Scan the offer")

    def test_attendance_on_a_used_calendar_clears_and_deadlines_follow(self):
        # the salesman works on the company's calendar
        self.assertEqual(self.quote_deadline(), FRIDAY)
        thursday = self.calendar.attendance_ids.filtered(
            lambda attendance: attendance.dayofweek == "3"
        )
        with self.addon_clears() as clears:
            thursday.dayofweek = "5"
        self.assertTrue(clears)
        # Thursday off, Saturday worked: Wednesday + 2 working days = Saturday
        self.assertEqual(self.quote_deadline(), SATURDAY)
