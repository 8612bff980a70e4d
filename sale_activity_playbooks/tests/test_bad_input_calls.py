# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input that is no value of a field: x2many commands through computed
fields, wizards without their records, buttons called on no record or on
several, searches the addon's search methods cannot do, a reassignment to
someone who may not get follow-ups, a flag only the playbooks may set."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..odoo_series import SERIES
from .common import TODAY, PlaybookCase

MISSING_ID = 2**31 - 7  # no record has it
FOLLOWUP_WIZARDS = (
    "sale.activity.followup.done",
    "sale.activity.followup.reschedule",
    "sale.activity.followup.reassign",
)


class BadCallCase(PlaybookCase):
    def assert_sentence(self, message_part, call, *args, exception=UserError):
        with self.assertRaises(exception, msg=repr(args)) as caught:
            call(*args)
        message = str(caught.exception.args[0])
        self.assertIn(message_part, message)
        self.assertTrue(message.strip().endswith("."), f"a sentence: {message!r}")
        return message


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestComputedX2manyCommands(BadCallCase):
    """Commands on computed x2many fields without an inverse would create,
    change or delete records of their comodel: refused, nothing written."""

    def outcomes(self):
        self.env.flush_all()
        self.env.invalidate_all()
        Outcome = self.env["sale.activity.outcome"].with_context(active_test=False)
        return Outcome.search([]).read(["name", "active", "activity_type_ids"])

    def types(self):
        self.env.flush_all()
        self.env.invalidate_all()
        Type = self.env["mail.activity.type"].with_context(active_test=False)
        return Type.search([]).read(["name", "active", "res_model"])

    def test_possible_outcomes_of_an_activity_are_not_changed_through_it(self):
        admin = self.env.ref("base.user_admin")
        activity = self.schedule(self.call)
        outcome = activity.playbook_outcome_ids[:1]
        self.assertTrue(outcome, "calls have outcomes")
        before = self.outcomes()
        for activity_as in (activity, activity.with_user(admin)):
            for command in (
                [2, outcome.id],
                [1, outcome.id, {"name": "Renamed"}],
                [0, 0, {"name": "Sneaked in"}],
            ):
                with self.subTest(user=activity_as.env.user.login, command=command):
                    self.assert_sentence(
                        "is computed",
                        activity_as.write,
                        {"playbook_outcome_ids": [command]},
                        exception=ValidationError,
                    )
                    self.assertEqual(self.outcomes(), before)
        self.assertTrue(outcome.exists())

    def test_suggested_types_of_an_activity_are_not_changed_through_it(self):
        self.add_rule(self.meeting, self.call, chaining_type="suggest")
        activity = self.schedule(self.todo, previous_activity_type_id=self.meeting.id)
        self.assertEqual(activity.playbook_suggested_type_ids, self.call)
        before = self.types()
        admin = self.env.ref("base.user_admin")
        for command in (
            [0, 0, {"name": "Sneaked in"}],
            [1, self.call.id, {"name": "Renamed"}],
            [2, self.call.id],
        ):
            with self.subTest(command=command):
                self.assert_sentence(
                    "cannot create, change or delete Activity Type records",
                    activity.with_user(admin).write,
                    {"playbook_suggested_type_ids": [command]},
                    exception=ValidationError,
                )
                self.assertEqual(self.types(), before)

    def test_teams_of_a_tried_playbook_are_not_deleted_through_the_wizard(self):
        wizard = self.env["sale.activity.playbook.preview"].create(
            {"playbook_id": self.playbook.id}
        )
        self.assert_sentence(
            "is computed",
            wizard.write,
            {"team_ids": [Command.delete(self.team.id)]},
            exception=ValidationError,
        )
        self.assertTrue(self.team.exists())
        self.assertEqual(self.playbook.team_ids, self.team)

    def test_links_on_computed_fields_are_left_to_odoo(self):
        # no record of the comodel changes: Odoo ignores them, as before
        activity = self.schedule(self.call)
        activity.write({"playbook_outcome_ids": [Command.set([])]})
        activity.invalidate_recordset()
        self.assertTrue(activity.playbook_outcome_ids)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestWizardsNeedTheirFollowups(BadCallCase):
    """The follow-up wizards work on follow-ups: created or left without
    any, they are refused with a sentence."""

    def setUp(self):
        super().setUp()
        self.followup = self.schedule(self.call)

    def values(self, model):
        if model == "sale.activity.followup.reassign":
            return {"user_id": self.clicker.id}
        return {}

    def test_created_without_follow_ups(self):
        for model in FOLLOWUP_WIZARDS:
            Wizard = self.env[model].with_user(self.leader)
            for activity_ids in (None, False, [], [Command.set([])], [Command.clear()]):
                values = self.values(model)
                if activity_ids is not None:
                    values["activity_ids"] = activity_ids
                with self.subTest(model=model, activity_ids=activity_ids):
                    self.assert_sentence(
                        '"Follow-ups"',
                        Wizard.create,
                        values,
                        exception=ValidationError,
                    )
            with self.subTest(model=model, context="no follow-ups selected"):
                self.assert_sentence(
                    "is required",
                    Wizard.with_context(default_activity_ids=[]).create,
                    self.values(model),
                    exception=ValidationError,
                )
            self.assertFalse(self.env[model].search([]))

    def test_left_without_follow_ups(self):
        for model in FOLLOWUP_WIZARDS:
            wizard = (
                self.env[model]
                .with_user(self.leader)
                .create(
                    {
                        **self.values(model),
                        "activity_ids": [Command.set(self.followup.ids)],
                    }
                )
            )
            for activity_ids in (
                False,
                [Command.clear()],
                [Command.unlink(self.followup.id)],
                [Command.set([])],
            ):
                with self.subTest(model=model, activity_ids=activity_ids):
                    self.assert_sentence(
                        "is required",
                        wizard.write,
                        {"activity_ids": activity_ids},
                        exception=ValidationError,
                    )
                    self.assertEqual(wizard.activity_ids, self.followup)

    def test_selected_follow_ups_are_taken_from_the_context(self):
        # as My Follow-ups opens the wizards
        for model in FOLLOWUP_WIZARDS:
            wizard = (
                self.env[model]
                .with_user(self.leader)
                .with_context(default_activity_ids=self.followup.ids)
                .create(self.values(model))
            )
            self.assertEqual(wizard.activity_ids, self.followup)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestButtonsOnTheirRecords(BadCallCase):
    """Buttons called as JSON-RPC calls them (``browse(ids)``): on no record,
    on several where they work on one, on ids that are not ids or name no
    record, they say so in a sentence."""

    def setUp(self):
        super().setUp()
        # follow-ups, as the follow-up report shows them
        self.followups = self.schedule(self.follow_up) | self.schedule(
            self.follow_up, lead=self.plain_lead
        )
        self.wizards = {
            model: self.env[model]
            .with_user(self.leader)
            .create(
                [
                    {
                        "activity_ids": [Command.set(self.followups.ids)],
                        **(
                            {"user_id": self.clicker.id}
                            if model == "sale.activity.followup.reassign"
                            else {}
                        ),
                    }
                ]
                * 2
            )
            for model in FOLLOWUP_WIZARDS
        }
        Pause = self.env["sale.activity.playbook.pause"].with_user(self.leader)
        self.wizards["sale.activity.playbook.pause"] = Pause.create(
            [
                {"lead_id": lead.id, "date": TODAY}
                for lead in self.lead | self.plain_lead
            ]
        )
        Stop = self.env["sale.activity.playbook.stop"].with_user(self.leader)
        self.wizards["sale.activity.playbook.stop"] = Stop.create(
            [
                {
                    "lead_ids": [Command.set(lead.ids)],
                    "playbook_id": self.playbook.id,
                    "reason": "Bought elsewhere",
                }
                for lead in self.lead | self.plain_lead
            ]
        )
        Start = self.env["sale.activity.playbook.start"].with_user(self.leader)
        self.wizards["sale.activity.playbook.start"] = Start.create(
            [
                {"lead_ids": [Command.set(lead.ids)], "playbook_id": self.playbook.id}
                for lead in self.lead | self.plain_lead
            ]
        )
        other = self.env["sale.activity.playbook"].create({"name": "Other"})
        self.records = {
            **self.wizards,
            "sale.activity.playbook": self.playbook | other,
            "crm.lead": self.lead | self.plain_lead,
            "crm.team": self.team | self.plain_team,
            "mail.activity": self.followups,
            "sale.activity.followup.report": self.env[
                "sale.activity.followup.report"
            ].search([("activity_id", "in", self.followups.ids)]),
        }

    # (model, button): work on one record
    ONE = (
        ("sale.activity.followup.done", "action_done"),
        ("sale.activity.followup.reschedule", "action_reschedule"),
        ("sale.activity.followup.reassign", "action_reassign"),
        ("sale.activity.playbook.pause", "action_pause"),
        ("sale.activity.playbook", "action_try"),
        ("sale.activity.playbook.stop", "action_stop"),
        ("sale.activity.playbook.start", "action_start"),
        ("crm.lead", "action_pause_playbook_followups"),
        ("crm.team", "action_open_overdue_followups"),
        ("mail.activity", "action_feedback_schedule_next"),
        ("sale.activity.followup.report", "action_open_lead"),
    )
    # work on the records selected
    SELECTED = (
        ("crm.lead", "action_schedule_playbook_followup"),
        ("crm.lead", "action_resume_playbook_followups"),
        ("crm.lead", "action_stop_playbook"),
        ("crm.lead", "action_start_playbook"),
        ("mail.activity", "action_followup_done"),
        ("mail.activity", "action_followup_reschedule"),
        ("mail.activity", "action_followup_reassign"),
        ("sale.activity.followup.report", "action_open_leads"),
        ("sale.activity.followup.report", "action_followup_done"),
        ("sale.activity.followup.report", "action_followup_reschedule"),
        ("sale.activity.followup.report", "action_followup_reassign"),
    )

    def press(self, model, button, ids):
        records = self.env[model].with_user(self.leader).browse(ids)
        return getattr(records, button)()

    def assert_refused_ids(self, model, button, ids, message_part):
        with self.subTest(model=model, button=button, ids=ids):
            self.assertEqual(len(self.records[model]), 2, model)
            self.assert_sentence(message_part, self.press, model, button, ids)

    def test_buttons_on_one_record(self):
        for model, button in self.ONE:
            two = self.records[model].ids
            self.assert_refused_ids(model, button, [], "works on one")
            self.assert_refused_ids(model, button, two, "works on one")
            self.assert_refused_ids(model, button, [two[0], two[0]], "works on one")
            self.assert_refused_ids(model, button, [MISSING_ID], "with the id")
            for bad_id in ("a", True, 1.5, -1):
                self.assert_refused_ids(model, button, [bad_id], "named by their ids")

    def test_buttons_on_the_records_selected(self):
        for model, button in self.SELECTED:
            existing = self.records[model].ids
            self.assert_refused_ids(model, button, [], "select at least one")
            self.assert_refused_ids(
                model, button, [existing[0], MISSING_ID], "with the id"
            )
            for bad_id in ("a", True):
                self.assert_refused_ids(model, button, [bad_id], "named by their ids")

    def test_buttons_still_work_on_their_records(self):
        for model, button in self.ONE[:2] + self.ONE[4:5]:
            with self.subTest(model=model, button=button):
                self.press(model, button, self.records[model][:1].ids)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestQueueSearches(BadCallCase):
    """My Follow-ups' searches on the state and the lead of activities refuse
    what they cannot search for with a sentence, never a raw error."""

    def setUp(self):
        super().setUp()
        self.overdue = self.schedule(self.call, deadline="2026-11-01")
        self.Activity = self.env["mail.activity"].with_user(self.leader)

    def scalar_in(self, fname, *values):
        """``in`` one value: 19.0 reads it as a list of that value, 18.0 gives
        it to the search method as it is."""
        if SERIES < (19, 0):
            return [("in", value) for value in values]
        domain = [("id", "=", self.overdue.id)]
        for value in values:
            self.assertEqual(
                self.Activity.search([*domain, (fname, "in", value)]),
                self.Activity.search([*domain, (fname, "=", value)]),
            )
        return ()

    def only_on_18(self, *conditions):
        """Searches that 19.0's ORM reads otherwise (names given to ``in``, a
        number to ``ilike``) or refuses before the search method."""
        return conditions if SERIES < (19, 0) else ()

    def test_bad_state_searches(self):
        for operator, value in (
            *self.scalar_in("state", "overdue"),
            ("in", 5),
            # 19.0's ORM refuses these itself (a raw error, before the addon)
            *self.only_on_18(("not in", {"overdue": 1}), ("in", [["overdue"]])),
            ("in", ["soon"]),
            ("=", "soon"),
            ("=", 1),
        ):
            with self.subTest(operator=operator, value=value):
                self.assert_sentence(
                    "searched by state",
                    self.Activity.search,
                    [("state", operator, value)],
                )
        self.assert_sentence(
            "only be searched by state",
            self.Activity.search,
            [("state", "like", "over")],
        )

    def test_good_state_searches(self):
        domain = [("id", "=", self.overdue.id)]
        for condition, found in (
            (("state", "=", "overdue"), True),
            (("state", "in", ["overdue", "today"]), True),
            (("state", "in", ("planned",)), False),
            (("state", "!=", "overdue"), False),
            (("state", "not in", ["today"]), True),
            (("state", "=", False), False),
        ):
            with self.subTest(condition=condition):
                result = self.Activity.search([*domain, condition])
                self.assertEqual(bool(result), found)

    def test_bad_lead_searches(self):
        for operator, value in (
            *self.scalar_in("lead_id", self.lead.id, 5),
            ("child_of", self.lead.id),
            ("parent_of", self.lead.id),
            ("<", self.lead.id),
            ("=", 1.5),
            ("=", True),
            *self.only_on_18(("in", ["Big Deal"]), ("in", [self.lead.id, "x"])),
            *self.only_on_18(("ilike", 5)),
        ):
            with self.subTest(operator=operator, value=value):
                self.assert_sentence(
                    "searched by lead",
                    self.Activity.search,
                    [("lead_id", operator, value)],
                )

    def test_good_lead_searches(self):
        domain = [("id", "=", self.overdue.id)]
        for condition, found in (
            (("lead_id", "=", self.lead.id), True),
            (("lead_id", "in", [self.lead.id, self.plain_lead.id]), True),
            (("lead_id", "not in", [self.lead.id]), False),
            (("lead_id", "!=", False), True),
            (("lead_id", "=", False), False),
            (("lead_id", "ilike", "big"), True),
            (("lead_id.name", "=", "Big Deal"), True),
        ):
            with self.subTest(condition=condition):
                result = self.Activity.search([*domain, condition])
                self.assertEqual(bool(result), found)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestReassignTo(BadCallCase):
    """Follow-ups go only to active internal users of their lead's company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Elsewhere"})
        cls.portal = new_test_user(cls.env, "pb_portal_r", groups="base.group_portal")
        cls.gone = new_test_user(
            cls.env, "pb_gone_r", groups="sales_team.group_sale_salesman"
        )
        cls.gone.action_archive()
        cls.foreign = new_test_user(
            cls.env,
            "pb_foreign_r",
            groups="sales_team.group_sale_salesman",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def test_reassign_only_to_active_internal_users_of_the_lead_s_company(self):
        followup = self.schedule(self.call)
        self.assertEqual(self.lead.company_id, self.company)
        Wizard = self.env["sale.activity.followup.reassign"].with_user(self.leader)
        for user, message_part in (
            (self.portal, "only active internal users"),
            (self.gone, "only active internal users"),
            (self.foreign, f"does not work for {self.company.name}"),
        ):
            with self.subTest(user=user.login):
                self.assert_sentence(
                    message_part,
                    Wizard.create,
                    {"activity_ids": [Command.set(followup.ids)], "user_id": user.id},
                    exception=ValidationError,
                )
                wizard = Wizard.create(
                    {
                        "activity_ids": [Command.set(followup.ids)],
                        "user_id": self.clicker.id,
                    }
                )
                self.assert_sentence(
                    message_part,
                    wizard.write,
                    {"user_id": user.id},
                    exception=ValidationError,
                )
                self.assertEqual(followup.user_id, self.salesman)
        wizard.action_reassign()
        self.assertEqual(followup.user_id, self.clicker)

    def test_an_assignee_archived_after_the_wizard_opened(self):
        followup = self.schedule(self.call)
        wizard = (
            self.env["sale.activity.followup.reassign"]
            .with_user(self.leader)
            .create(
                {
                    "activity_ids": [Command.set(followup.ids)],
                    "user_id": self.clicker.id,
                }
            )
        )
        self.clicker.action_archive()
        self.assert_sentence(
            "only active internal users",
            wizard.action_reassign,
            exception=ValidationError,
        )
        self.assertEqual(followup.user_id, self.salesman)


@tagged("post_install", "-at_install")
class TestGoalFlag(BadCallCase):
    """A stage reaches a goal when it is at or after a playbook's goal stage:
    the playbooks compute it, nobody sets it."""

    def test_the_goal_flag_cannot_be_set_by_hand(self):
        Stage = self.env["crm.stage"]
        first, goal, last = Stage.create(
            [{"name": name, "sequence": 900 + i} for i, name in enumerate("FGL")]
        )
        self.assertFalse(any((first | goal | last).mapped("playbook_goal_reached")))
        self.playbook.stop_stage_id = goal
        self.assertEqual(
            [stage.playbook_goal_reached for stage in (first, goal, last)],
            [False, True, True],
        )
        for stage, value in ((first, True), (goal, False)):
            for stage_as in (stage, stage.sudo(), stage.with_user(self.leader)):
                with self.subTest(stage=stage.name, user=stage_as.env.user.login):
                    self.assert_sentence(
                        "is computed",
                        stage_as.write,
                        {"playbook_goal_reached": value},
                        exception=ValidationError,
                    )
            self.env.flush_all()
            self.env.invalidate_all()
            self.assertEqual(stage.playbook_goal_reached, not value)
        self.assertTrue(Stage._fields["playbook_goal_reached"].readonly)
        # moved before the goal, a stage follows
        last.sequence = 800
        self.assertFalse(last.playbook_goal_reached)
        self.playbook.stop_stage_id = False
        self.assertFalse(goal.playbook_goal_reached)
