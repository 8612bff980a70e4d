# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFollowupLog(PlaybookCase):
    """Done follow-ups are logged before Odoo deletes them, so that they can be
    counted afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_rule = cls.add_rule(cls.email, cls.call, delay_count=2)
        cls.Log = cls.env["sale.activity.followup.log"]

    def playbook_call(self, deadline=TODAY):
        """A Call that the playbook created, due on ``deadline``."""
        self.schedule(
            self.email, deadline=deadline - timedelta(days=2)
        ).action_feedback()
        return self.activities(activity_type=self.call)

    def test_follow_up_done_on_time_is_logged_with_its_team_and_assignee(self):
        call = self.playbook_call(deadline=TODAY)
        call.with_user(self.clicker).action_feedback(feedback="Reached her")
        log = self.Log.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(len(log), 1)
        self.assertRecordValues(
            log,
            [
                {
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                    "done_by_id": self.clicker.id,
                    "activity_type_id": self.call.id,
                    "playbook_id": self.playbook.id,
                    "playbook_line_id": self.call_rule.id,
                    "date_deadline": TODAY,
                    "date_done": TODAY,
                    "done_late": False,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertActivitiesDone(call, "the log is what counts done follow-ups")

    def test_follow_up_done_after_its_deadline_is_late(self):
        call = self.playbook_call(deadline=TODAY - timedelta(days=3))
        call.write(
            {
                "reminded_on": datetime(2026, 11, 23, 7),
                "escalated_on": datetime(2026, 11, 24, 7),
            }
        )
        call.action_feedback()
        log = self.Log.search([("lead_id", "=", self.lead.id)])
        self.assertTrue(log.done_late)
        self.assertTrue(log.was_reminded)
        self.assertTrue(log.was_escalated)

    def test_reminder_scheduled_by_hand_is_a_follow_up(self):
        self.schedule(self.follow_up, summary="Chase the signature").action_feedback()
        log = self.Log.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(log.activity_type_id, self.follow_up)
        self.assertEqual(log.summary, "Chase the signature")
        self.assertFalse(log.playbook_id)

    def test_other_activities_are_not_logged(self):
        self.schedule(self.todo).action_feedback()
        self.schedule(self.email, lead=self.plain_lead).action_feedback()
        self.schedule(self.email).action_feedback()  # starts the rule, made by hand
        self.assertFalse(
            self.Log.search([("lead_id", "in", (self.lead | self.plain_lead).ids)])
        )

    def test_cancelled_follow_up_is_not_logged(self):
        self.playbook_call().unlink()
        self.assertFalse(self.Log.search([("lead_id", "=", self.lead.id)]))

    @freeze_time("2026-11-25 23:30:00")
    def test_done_date_is_the_assignee_day(self):
        # 23:30 UTC is already Thursday 26 in Brussels: one day late.
        call = self.playbook_call(deadline=TODAY)
        call.action_feedback()
        log = self.Log.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(log.date_done, TODAY + timedelta(days=1))
        self.assertTrue(log.done_late)

    def test_batch_of_follow_ups_is_logged_in_one_create(self):
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Lead {i}",
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                }
                for i in range(6)
            ]
        )
        followups = self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": self.follow_up.id,
                    "user_id": self.salesman.id,
                    "date_deadline": TODAY,
                }
                for lead in leads
            ]
        )
        # cold cache: the same queries for one follow-up as for a batch
        for batch in (followups[:1], followups[1:]):
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=7):
                self.Log._log_done_activities(batch)
        self.assertEqual(self.Log.search_count([("lead_id", "in", leads.ids)]), 6)

    def test_salesperson_reads_own_done_follow_ups_only(self):
        self.playbook_call().action_feedback()
        self.schedule(
            self.follow_up, lead=self.plain_lead, user=self.clicker
        ).action_feedback()
        ours = [("lead_id", "in", (self.lead | self.plain_lead).ids)]
        logs = self.Log.with_user(self.salesman).search(ours)
        self.assertEqual(logs.lead_id, self.lead | self.plain_lead)
        self.plain_lead.user_id = self.clicker
        logs = self.Log.with_user(self.salesman).search(ours)
        self.assertEqual(logs.lead_id, self.lead)
        self.assertEqual(len(self.Log.with_user(self.leader).search(ours)), 2)
