# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tools.misc import format_date

from odoo.addons.sale_activity_playbooks.odoo_series import keep_done_values

from .common import MONDAY, TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestScheduled(PlaybookCase):
    """Rules on "is scheduled": follow-ups created at once, whatever the path,
    moved with their source and cancelled with it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.email_rule = cls.add_rule(
            cls.email,
            cls.follow_up,
            trigger_on="scheduled",
            delay_count=1,
            summary="Did they answer?",
        )

    def follow_ups(self, lead=None):
        return self.activities(lead=lead, activity_type=self.follow_up)

    def test_scheduling_from_the_chatter_creates_the_follow_up(self):
        email = self.schedule(self.email, deadline=TODAY + timedelta(days=2))
        follow_up = self.follow_ups()
        self.assertEqual(len(follow_up), 1)
        # the day after Friday's email is a Saturday: the Monday after
        self.assertEqual(follow_up.date_deadline, MONDAY)
        self.assertEqual(follow_up.user_id, self.salesman)
        self.assertEqual(follow_up.summary, "Did they answer?")
        self.assertEqual(follow_up.playbook_source_ids, email)
        self.assertEqual(follow_up.playbook_line_id, self.email_rule)

    def test_schedule_wizard(self):
        wizard = Form(
            self.env["mail.activity.schedule"]
            .with_user(self.salesman)
            .with_context(active_model="crm.lead", active_ids=self.lead.ids)
        )
        wizard.activity_type_id = self.email
        wizard.date_deadline = TODAY + timedelta(days=4)
        wizard.save().action_schedule_activities()
        self.assertEqual(self.follow_ups().date_deadline, TODAY + timedelta(days=5))

    def test_activity_plan(self):
        plan = self.env["mail.activity.plan"].create(
            {
                "name": "Onboarding",
                "res_model": "crm.lead",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.email.id,
                            "responsible_type": "other",
                            "responsible_id": self.salesman.id,
                            "delay_count": 2,
                            "delay_from": "after_plan_date",
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
        self.assertEqual(self.follow_ups().date_deadline, MONDAY)

    def test_calendar_meeting(self):
        self.add_rule(
            self.meeting, self.follow_up, trigger_on="scheduled", delay_count=2
        )
        self.env["calendar.event"].with_user(self.salesman).with_context(
            default_res_model="crm.lead",
            default_res_id=self.lead.id,
            default_activity_type_id=self.meeting.id,
        ).create(
            {
                "name": "Demo",
                "start": datetime(2026, 11, 27, 9, 0),
                "stop": datetime(2026, 11, 27, 10, 0),
                "opportunity_id": self.lead.id,
                "user_id": self.salesman.id,
            }
        )
        meeting = self.activities(activity_type=self.meeting)
        self.assertEqual(len(meeting), 1)
        # two days after Friday's meeting: the Monday after
        self.assertEqual(meeting.date_deadline, TODAY + timedelta(days=2))
        self.assertEqual(self.follow_ups().date_deadline, MONDAY)

    def test_triggered_activity_schedules_its_follow_up(self):
        # Call done -> Email (trigger), Email scheduled -> Follow-up
        self.add_rule(self.call, self.email, delay_count=1, delay_from="current_date")
        self.schedule(self.call).action_feedback()
        email = self.activities(activity_type=self.email)
        self.assertEqual(email.date_deadline, TODAY + timedelta(days=1))
        self.assertEqual(self.follow_ups().date_deadline, TODAY + timedelta(days=2))

    def test_rpc_create(self):
        self.env["mail.activity"].with_user(self.salesman).create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": self.lead.id,
                "activity_type_id": self.email.id,
                "date_deadline": TODAY,
                "user_id": self.salesman.id,
            }
        )
        self.assertEqual(len(self.follow_ups()), 1)

    def test_rules_cascade(self):
        self.add_rule(self.follow_up, self.todo, trigger_on="scheduled", delay_count=2)
        self.schedule(self.email)
        # Thursday's follow-up, then two days: a Saturday, so Monday
        self.assertEqual(self.activities(activity_type=self.todo).date_deadline, MONDAY)

    def test_other_teams_and_models_are_untouched(self):
        self.schedule(self.email, lead=self.plain_lead)
        self.assertFalse(self.follow_ups(lead=self.plain_lead))
        partner = self.env["res.partner"].create({"name": "Customer"})
        partner.activity_schedule(activity_type_id=self.email.id)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("activity_type_id", "=", self.follow_up.id),
                ]
            )
        )

    def test_rescheduling_moves_the_follow_up(self):
        email = self.schedule(self.email)
        email.date_deadline = TODAY + timedelta(days=7)
        self.assertEqual(self.follow_ups().date_deadline, TODAY + timedelta(days=8))

    def test_rescheduling_keeps_follow_ups_counted_from_today(self):
        rule = self.email_rule
        rule.delay_from = "current_date"
        email = self.schedule(self.email)
        email.date_deadline = TODAY + timedelta(days=7)
        self.assertEqual(self.follow_ups().date_deadline, TODAY + timedelta(days=1))

    def test_cancelling_the_source_deletes_its_follow_ups(self):
        email = self.schedule(self.email)
        manual = self.schedule(self.follow_up)
        email.action_cancel()
        self.assertEqual(self.follow_ups(), manual)

    def test_done_source_keeps_its_follow_ups(self):
        email = self.schedule(self.email)
        follow_up = self.follow_ups()
        email.action_feedback()
        self.assertTrue(follow_up.exists())
        self.assertFalse(follow_up.playbook_source_ids)

    def test_done_source_kept_archived_then_deleted_keeps_its_follow_ups(self):
        # every done activity on 19.0, those of keep_done types on 18.0
        self.email.write(keep_done_values())
        email = self.schedule(self.email)
        follow_up = self.follow_ups()
        deadline = follow_up.date_deadline
        email.action_feedback()
        self.assertFalse(email.active)
        email.date_deadline = TODAY + timedelta(days=10)
        email.unlink()
        self.assertTrue(follow_up.exists())
        self.assertEqual(follow_up.date_deadline, deadline)

    def test_batch_of_schedules_creates_follow_ups_in_one_batch(self):
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Lead {i}",
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                }
                for i in range(20)
            ]
        )
        model_id = self.env["ir.model"]._get_id("crm.lead")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": self.email.id,
                    "date_deadline": TODAY,
                    "user_id": self.salesman.id,
                }
                for lead in leads
            ]
        )
        follow_ups = self.env["mail.activity"].search(
            [("res_id", "in", leads.ids), ("activity_type_id", "=", self.follow_up.id)]
        )
        self.assertEqual(len(follow_ups), 20)
        self.assertEqual(
            set(follow_ups.mapped("date_deadline")), {TODAY + timedelta(days=1)}
        )


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestScheduledNotification(PlaybookCase):
    """When scheduling plans follow-ups, whoever scheduled is told once, with
    the day and the playbook: a Reminder never appears unexplained."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_rule(cls.email, cls.follow_up, trigger_on="scheduled", delay_count=1)
        cls.add_rule(cls.meeting, cls.follow_up, trigger_on="scheduled", delay_count=2)

    def toasts(self, func):
        """The real-time notifications that ``func`` sends, per partner."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        last = self.env["bus.bus"].sudo().search([], order="id desc", limit=1).id or 0
        func()
        self.env.flush_all()
        self.env.cr.precommit.run()
        toasts = {}
        for bus in self.env["bus.bus"].sudo().search([("id", ">", last)]):
            message = json.loads(bus.message)
            if message["type"] == "simple_notification":
                partner = self.env["res.partner"].browse(json.loads(bus.channel)[2])
                toasts.setdefault(partner, []).append(message["payload"]["message"])
        return toasts

    def test_the_scheduler_is_told_which_follow_up_was_planned(self):
        toasts = self.toasts(lambda: self.schedule(self.email, as_user=self.clicker))
        self.assertEqual(
            toasts,
            {
                self.clicker.partner_id: [
                    "Follow-up planned for 11/26/2026 (Test cadence)"
                ]
            },
        )

    def test_the_toast_names_a_renamed_playbook_and_type(self):
        # the names come from a cache: a rename clears it
        self.schedule(self.email, as_user=self.clicker)
        self.playbook.name = "Renamed cadence"
        self.follow_up.name = "Check back"
        toasts = self.toasts(lambda: self.schedule(self.email, as_user=self.clicker))
        self.assertEqual(
            toasts,
            {
                self.clicker.partner_id: [
                    "Check back planned for 11/26/2026 (Renamed cadence)"
                ]
            },
        )

    def test_several_follow_ups_are_told_once(self):
        self.add_rule(self.email, self.todo, trigger_on="scheduled", delay_count=3)
        toasts = self.toasts(lambda: self.schedule(self.email, as_user=self.clicker))
        self.assertEqual(
            toasts,
            {
                self.clicker.partner_id: [
                    "2 follow-ups planned, the first for 11/26/2026 (Test cadence)"
                ]
            },
        )

    def test_a_call_naming_no_language_tells_in_the_scheduler_s(self):
        # the web client names the user's language; a server call may name
        # none: the toast is still the scheduler's, not the company's
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["mail", "sale_activity_playbooks"], ["nl_NL"], overwrite=True
        )
        self.clicker.lang = "nl_NL"
        self.assertFalse(self.env.lang)
        toasts = self.toasts(lambda: self.schedule(self.email, as_user=self.clicker))
        dutch = self.env(context={"lang": "nl_NL"})
        day = format_date(dutch, TODAY + timedelta(days=1))  # 26-11-2026
        follow_up = self.follow_up.with_env(dutch).name
        expected = f"{follow_up} ingepland voor {day} (Test cadence)"
        self.assertEqual(toasts, {self.clicker.partner_id: [expected]})

    def test_the_toast_names_a_playbook_translated_afterwards(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.clicker.lang = "nl_NL"
        self.schedule(self.email, as_user=self.clicker)
        # a translation written without write(), as the translation dialog does
        self.playbook.update_field_translations("name", {"nl_NL": "Testcadans"})
        toasts = self.toasts(lambda: self.schedule(self.email, as_user=self.clicker))
        self.assertTrue(toasts[self.clicker.partner_id][0].endswith("(Testcadans)"))

    def test_completing_tells_which_follow_up_the_playbook_planned(self):
        self.add_rule(self.call, self.create_quote, delay_count=1)
        call = self.schedule(self.call)
        toasts = self.toasts(lambda: call.with_user(self.clicker).action_feedback())
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(quote.date_deadline, TODAY + timedelta(days=1))
        self.assertEqual(
            toasts,
            {
                self.clicker.partner_id: [
                    f"{self.create_quote.name} planned for 11/26/2026 (Test cadence)"
                ]
            },
        )

    def test_nothing_planned_nothing_told(self):
        self.schedule(self.follow_up)
        toasts = self.toasts(lambda: self.schedule(self.todo, as_user=self.clicker))
        self.assertFalse(toasts)
        # an open follow-up already satisfies the rule: nothing new to tell
        self.schedule(self.email, as_user=self.clicker)
        toasts = self.toasts(lambda: self.schedule(self.meeting, as_user=self.clicker))
        self.assertFalse(toasts)
