# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.sale_activity_playbooks import odoo_series

from ..models import sale_activity_neglect
from .reminder_common import ReminderCase

# A Friday: the next working day is Monday.
NOW = datetime(2026, 11, 27, 9, 0)
MONDAY = date(2026, 11, 30)


class NeglectCase(ReminderCase):
    """Where customers start: a database without won or lost leads, where
    predictive lead scoring computes no probability (the column is NULL, the
    form shows 0 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("DELETE FROM crm_lead_scoring_frequency")
        cls.without_history(cls.lead | cls.plain_lead)
        cls.playbook.write({"neglect_days": 7, "neglect_min_revenue": 10000})
        cls.age(cls.lead | cls.plain_lead, days=30)

    @classmethod
    def without_history(cls, leads):
        """The probability that ``leads`` would have had on a database without
        history: none."""
        leads.flush_recordset()
        cls.env.cr.execute(
            "UPDATE crm_lead SET probability = NULL, automated_probability = NULL "
            "WHERE id = ANY(%s)",
            [leads.ids],
        )
        leads.invalidate_recordset(["probability", "automated_probability"])

    def stored_probabilities(self, leads):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT probability FROM crm_lead WHERE id = ANY(%s)", [leads.ids]
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @classmethod
    def age(cls, leads, days):
        """Pretend ``leads`` were created ``days`` ago."""
        leads.flush_recordset()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = ANY(%s)",
            [NOW - timedelta(days=days), leads.ids],
        )
        leads.invalidate_recordset(["create_date"])

    def new_lead(self, days=30, **values):
        lead = self.env["crm.lead"].create(
            {
                "name": "Another Deal",
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": self.salesman.id,
                "expected_revenue": 20000,
                **values,
            }
        )
        self.age(lead, days)
        return lead

    def run_neglect(self, **kw):
        return self.run_cron("_cron_playbook_neglect", "sale.activity.neglect", **kw)

    def followups(self, lead=None):
        return self.activities(lead=lead)

    def days_ago(self, days):
        return freeze_time(NOW - timedelta(days=days))


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestNeglect(NeglectCase):
    """Daily, an open lead with nothing planned, done or written for
    ``neglect_days`` days gets the playbook's follow-up."""

    def test_leads_here_have_no_probability_as_on_a_fresh_database(self):
        # the scenario of this file: without history, crm stores no probability
        self.assertEqual(self.stored_probabilities(self.lead | self.new_lead()), {None})

    def test_neglected_lead_gets_a_followup_for_its_salesperson_next_working_day(self):
        self.run_neglect()
        follow_up = self.followups()
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.activity_type_id, self.follow_up)
        self.assertEqual(follow_up.user_id, self.salesman)
        self.assertEqual(follow_up.date_deadline, MONDAY)
        self.assertEqual(follow_up.summary, "Follow up")
        self.assertIn("for 7 days", follow_up.note)
        self.assertTrue(follow_up.automated)

    def test_lead_with_a_planned_activity_is_not_neglected(self):
        planned = self.schedule(self.call, deadline=date(2026, 12, 15))
        self.run_neglect()
        self.assertEqual(self.followups(), planned)

    def test_recent_message_or_note_counts_as_attention(self):
        customer = self.env["res.partner"].create({"name": "Customer"})
        for message_type, subtype, author in (
            ("comment", "mail.mt_note", self.salesman.partner_id),
            ("comment", "mail.mt_comment", self.salesman.partner_id),
            ("email", "mail.mt_comment", customer),  # the customer wrote
        ):
            with self.subTest(message_type=message_type, subtype=subtype):
                recent, old = self.new_lead(), self.new_lead()
                for lead, days in ((recent, 3), (old, 8)):
                    with self.days_ago(days):
                        lead.message_post(
                            body="Spoke to them",
                            message_type=message_type,
                            subtype_xmlid=subtype,
                            author_id=author.id,
                        )
                self.run_neglect()
                self.assertFalse(self.followups(recent))
                self.assertTrue(self.followups(old))

    def test_recent_activity_done_counts_as_attention(self):
        with self.days_ago(3):
            call = self.schedule(self.call)
            call.with_user(self.salesman).action_feedback(feedback="Reached them")
        self.run_neglect()
        self.assertFalse(self.followups())

    def test_activity_done_long_ago_does_not(self):
        with self.days_ago(10):
            call = self.schedule(self.call)
            call.with_user(self.salesman).action_feedback(feedback="Reached them")
        self.run_neglect()
        self.assertTrue(self.followups())

    def test_tracking_and_system_notifications_do_not_count(self):
        self.env.cr.flush()  # tracking left over from the class setup
        with self.days_ago(1):
            self.lead.with_context(tracking_disable=False).write(
                {"expected_revenue": 60000}
            )
            self.env.cr.precommit.run()  # tracking messages are written here
            self.lead._message_log(body="Automated check")
        self.assertTrue(
            self.env["mail.message"].search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "=", self.lead.id),
                    ("tracking_value_ids", "!=", False),
                ]
            ),
            "a tracking message exists",
        )
        self.run_neglect()
        self.assertTrue(self.followups())

    def test_automated_messages_do_not_count(self):
        # mailings, automated notifications, and what OdooBot (crons,
        # automations) writes are nobody's attention
        bot = self.env.ref("base.partner_root")
        with self.days_ago(1):
            for message_type in ("auto_comment", "email_outgoing"):
                self.lead.message_post(body="Newsletter", message_type=message_type)
            self.lead.message_post(
                body="Automated reminder",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=bot.id,
            )
        self.run_neglect()
        self.assertTrue(self.followups())

    def test_leads_below_the_revenue_threshold_are_not_watched(self):
        small = self.new_lead(expected_revenue=9999)
        self.run_neglect()
        self.assertFalse(self.followups(small))
        self.playbook.neglect_min_revenue = 0
        nothing = self.new_lead(expected_revenue=0)
        self.run_neglect()
        self.assertTrue(self.followups(small))
        self.assertTrue(self.followups(nothing))

    def test_playbook_without_revenue_threshold_watches_every_lead(self):
        self.env["sale.activity.playbook"].create(
            {
                "name": "Watch all",
                "neglect_days": 7,
                "team_ids": [Command.link(self.plain_team.id)],
            }
        )
        self.run_neglect()
        self.assertTrue(self.followups(self.plain_lead))

    def test_won_and_lost_leads_are_not_watched(self):
        won = self.new_lead()
        won.action_set_won()
        lost = self.new_lead()
        lost.action_set_lost()
        self.run_neglect()
        self.assertFalse(self.followups(won))
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "crm.lead"), ("res_id", "=", lost.id)]
            )
        )

    def test_open_is_not_in_a_won_stage_whatever_the_probability(self):
        # as crm counts it: a won stage wins, typing 100 % does not
        certain = self.new_lead(probability=100)
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        won_at_50 = self.new_lead()
        won_at_50.stage_id = won_stage
        # 19.0 refuses it through the ORM; the scan must not read it anyway
        won_at_50.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET probability = 50 WHERE id = %s", [won_at_50.id]
        )
        scored = self.new_lead(probability=30)
        self.run_neglect()
        self.assertTrue(self.followups(certain))
        self.assertFalse(self.followups(won_at_50))
        self.assertTrue(self.followups(scored))

    def test_lead_younger_than_the_delay_is_not_neglected(self):
        young = self.new_lead(days=3)
        self.run_neglect()
        self.assertFalse(self.followups(young))
        self.assertTrue(self.followups())

    def test_plain_leads_and_lead_types_both_count(self):
        lead = self.new_lead(type="lead")
        self.run_neglect()
        self.assertTrue(self.followups(lead))

    def test_teams_without_neglect_setting_are_not_watched(self):
        self.plain_lead.expected_revenue = 50000
        self.run_neglect()
        self.assertFalse(self.followups(self.plain_lead))
        self.playbook.neglect_days = 0
        self.run_neglect()
        self.assertFalse(self.followups(self.new_lead()))

    def test_smallest_non_zero_neglect_days_apply_with_their_threshold_and_type(self):
        self.env["sale.activity.playbook"].create(
            [
                {
                    "name": "Off",
                    "neglect_days": 0,
                    "team_ids": [Command.link(self.team.id)],
                },
                {
                    "name": "Strict",
                    "neglect_days": 3,
                    "neglect_min_revenue": 100000,
                    "followup_type_id": self.todo.id,
                    "team_ids": [Command.link(self.team.id)],
                },
            ]
        )
        big = self.new_lead(days=5, expected_revenue=200000)
        self.run_neglect()
        # the strict playbook watches from 100,000 after 3 days
        self.assertFalse(self.followups(), "50,000 is below the strict threshold")
        self.assertEqual(self.followups(big).activity_type_id, self.todo)
        self.assertIn("for 3 days", self.followups(big).note)

    def test_running_twice_schedules_once(self):
        self.run_neglect()
        self.run_neglect()
        self.assertEqual(len(self.followups()), 1)

    def test_archived_salesperson_falls_back_to_the_team_leader(self):
        self.lead.user_id = self.clicker
        self.clicker.active = False
        unassigned = self.new_lead(user_id=False)
        self.run_neglect()
        self.assertEqual(self.followups().user_id, self.leader)
        self.assertEqual(self.followups(unassigned).user_id, self.leader)

    def test_lead_nobody_can_follow_up_is_left_alone(self):
        self.team.user_id = False
        orphan = self.new_lead(user_id=False)
        self.run_neglect()
        self.assertFalse(self.followups(orphan))
        self.assertTrue(self.followups())

    def test_no_assignment_email_unless_the_playbook_asks(self):
        self.run_neglect()
        assigned = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("subject", "ilike", "assigned to you"),
                ("partner_ids", "in", self.salesman.partner_id.ids),
            ]
        )
        self.assertFalse(assigned)

    def test_batches_report_progress(self):
        for _i in range(3):
            self.new_lead()
        follow_ups = [("activity_type_id", "=", self.follow_up.id)]
        before = self.env["mail.activity"].search_count(follow_ups)
        progress = []
        with patch.object(
            odoo_series,
            "notify_cron_progress",
            lambda env, done, remaining: progress.append((done, remaining)),
        ):
            for _i in range(3):
                self.run_neglect(batch_size=2)
        self.assertEqual(progress, [(2, 1), (2, 1), (0, 0)])
        self.assertEqual(self.env["mail.activity"].search_count(follow_ups) - before, 4)

    def run_as_the_runner(self, batch_size):
        """One call of Odoo's cron runner, with the progress record that it
        makes before each call: ``(done, remaining)``."""
        cron = self.env.ref("sale_activity_playbooks.ir_cron_playbook_neglect")
        cron, progress = cron._add_progress()
        # 19.0's runner commits each batch (_commit_progress): here the test's
        # transaction goes on
        with patch.object(self.env.cr, "commit", self.env.flush_all):
            self.env["sale.activity.neglect"].with_context(
                ir_cron_progress_id=progress.id, cron_id=cron.id
            )._cron_playbook_neglect(batch_size=batch_size)
        return progress.done, progress.remaining

    def test_each_batch_goes_on_where_the_previous_one_stopped(self):
        # a batch does not read again the leads that earlier batches of the
        # pass went through: its cost does not grow with them
        self.new_lead(), self.new_lead(), self.new_lead()
        self.assertEqual(self.run_as_the_runner(2), (2, 1))
        self.assertTrue(self.followups())
        # neglected again, but behind the scan: left to the next pass
        self.followups().unlink()
        self.assertEqual(self.run_as_the_runner(2), (2, 1))
        self.assertFalse(self.followups())
        self.assertEqual(self.run_as_the_runner(2), (0, 0), "the end of the pass")
        self.assertEqual(self.run_as_the_runner(2), (1, 0), "the next pass")
        self.assertTrue(self.followups())

    def test_a_batch_reads_chunk_after_chunk_until_it_is_full(self):
        # chunks of two leads: the first holds none to follow up, and does not
        # end the call; the batch gathers its leads from the next ones
        self.schedule(self.call)
        self.schedule(self.call, lead=self.new_lead())
        neglected = self.new_lead() | self.new_lead() | self.new_lead()
        with patch.object(sale_activity_neglect, "NEGLECT_SCAN_CHUNK", 2):
            self.assertEqual(self.run_as_the_runner(2), (2, 1))
            self.assertEqual(self.run_as_the_runner(2), (1, 0))
        for lead in neglected:
            self.assertEqual(self.followups(lead).activity_type_id, self.follow_up)

    def test_candidates_come_from_one_query(self):
        for _i in range(5):
            self.new_lead()
        Neglect = self.env["sale.activity.neglect"]
        query = Neglect._neglected_leads_query(100)
        self.env.flush_all()
        # savepoint, the query that selects, locks and marks, release
        with self.assertQueryCount(3):
            taken, held, conflicts = Neglect._lock_leads(query, isolate_conflicts=True)
        self.assertEqual(len(taken), 6)
        self.assertEqual(set(taken.values()), {self.playbook.id})
        self.assertEqual((held, conflicts), ([], []))

    def test_open_leads_index_does_not_read_the_probability(self):
        def definition():
            self.env.cr.execute(
                "SELECT indexdef FROM pg_indexes "
                "WHERE indexname = 'crm_lead_playbook_open_team_idx'"
            )
            return self.env.cr.fetchone()[0]

        self.assertTrue(definition().endswith(" WHERE active"), definition())
        # the index of an earlier version is replaced when the module updates
        self.env.cr.execute(
            "DROP INDEX crm_lead_playbook_open_team_idx; "
            "CREATE INDEX crm_lead_playbook_open_team_idx ON crm_lead "
            "(team_id, expected_revenue) WHERE active AND probability < 100"
        )
        self.env["sale.activity.neglect"].init()  # on install and update
        self.assertTrue(definition().endswith(" WHERE active"), definition())

    def test_an_update_points_the_cron_that_ran_on_leads_at_the_scan(self):
        cron = self.env.ref("sale_activity_playbooks.ir_cron_playbook_neglect")
        self.assertEqual(cron.model_id.model, "sale.activity.neglect")
        # as a database that had the module when the scan was on crm.lead
        cron.model_id = self.env["ir.model"]._get("crm.lead")
        self.env["sale.activity.neglect"]._adopt_cron()  # data/ir_cron_data.xml
        self.assertEqual(cron.model_id.model, "sale.activity.neglect")
        with self.cron_sees_this_test():
            cron.method_direct_trigger()
        self.assertTrue(self.followups())

    def test_cron_is_daily(self):
        cron = self.env.ref("sale_activity_playbooks.ir_cron_playbook_neglect")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        with self.cron_sees_this_test():
            cron.method_direct_trigger()
        self.assertTrue(self.followups())


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestScheduleFollowupAction(NeglectCase):
    """The "Schedule follow-up" action does the same on demand."""

    def run_action(self, leads, user=None):
        action = self.env.ref(
            "sale_activity_playbooks.action_schedule_playbook_followup"
        )
        if user:
            action = action.with_user(user)
        return action.with_context(
            active_model="crm.lead", active_ids=leads.ids, active_id=leads[:1].id
        ).run()

    def test_bound_to_leads_in_list_and_form(self):
        action = self.env.ref(
            "sale_activity_playbooks.action_schedule_playbook_followup"
        )
        self.assertEqual(action.name, "Schedule follow-up")
        self.assertEqual(action.binding_model_id.model, "crm.lead")
        self.assertEqual(action.binding_view_types, "list,form")

    def test_schedules_on_selected_leads_and_says_what_happened(self):
        planned = self.new_lead()
        self.schedule(self.call, lead=planned)
        fresh = self.new_lead(days=0, expected_revenue=0)
        won, lost = self.new_lead(), self.new_lead()
        won.action_set_won()
        lost.action_set_lost()
        result = self.run_action(self.lead | planned | fresh | won | lost)
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(
            result["params"]["message"],
            "Follow-ups scheduled: 2. Already planned: 1. Closed (won or lost): 2.",
        )
        self.assertEqual(result["params"]["type"], "success")
        # on demand: no delay, no revenue threshold
        for lead in (self.lead, fresh):
            follow_up = self.followups(lead)
            self.assertEqual(follow_up.activity_type_id, self.follow_up)
            self.assertEqual(follow_up.user_id, self.salesman)
            self.assertEqual(follow_up.date_deadline, MONDAY)
        self.assertEqual(self.followups(planned).activity_type_id, self.call)
        self.assertFalse(self.followups(won) | self.followups(lost))

    def test_running_it_twice_schedules_once(self):
        self.run_action(self.lead)
        result = self.run_action(self.lead)
        self.assertEqual(
            result["params"]["message"], "Follow-ups scheduled: 0. Already planned: 1."
        )
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual(len(self.followups()), 1)

    def test_salesperson_runs_it_on_own_leads(self):
        self.run_action(self.lead, user=self.salesman)
        self.assertEqual(self.followups().user_id, self.salesman)

    def test_salesperson_cannot_run_it_on_leads_of_others(self):
        other = self.new_lead(user_id=self.clicker.id)
        with self.assertRaises(AccessError):
            self.run_action(other, user=self.salesman)
        self.assertFalse(self.followups(other))

    def test_type_comes_from_the_team_playbook(self):
        self.playbook.write({"neglect_days": 0, "followup_type_id": self.todo.id})
        no_team = self.new_lead(team_id=False)
        self.run_action(self.lead | self.plain_lead | no_team)
        self.assertEqual(self.followups().activity_type_id, self.todo)
        self.assertEqual(
            self.followups(self.plain_lead).activity_type_id, self.follow_up
        )
        self.assertEqual(self.followups(no_team).activity_type_id, self.follow_up)


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestNeglectCompanies(NeglectCase):
    """A playbook watches the leads of its company (or every company's when
    shared), even on a team of every company."""

    def test_playbook_of_company_b_watches_only_company_b_leads(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        everyone = self.env["crm.team"].create(
            {"name": "Everyone", "company_id": False, "user_id": self.leader.id}
        )
        self.env["sale.activity.playbook"].create(
            {
                "name": "Watch B",
                "company_id": company_b.id,
                "neglect_days": 7,
                # not the default follow-up type: which playbook applied shows
                "followup_type_id": self.todo.id,
                "team_ids": [Command.link(everyone.id)],
            }
        )
        lead_a = self.new_lead(team_id=everyone.id, company_id=self.company.id)
        self.salesman.company_ids = [Command.link(company_b.id)]
        lead_b = self.new_lead(team_id=everyone.id, company_id=company_b.id)
        self.run_neglect()
        self.assertFalse(self.followups(lead_a))
        self.assertEqual(len(self.followups(lead_b)), 1)
        # the server action keeps to the company too
        self.assertEqual(self.followups(lead_b).activity_type_id, self.todo)
        lead_a.action_schedule_playbook_followup()
        self.assertEqual(
            self.followups(lead_a).activity_type_id,
            self.env.ref("sale_activity_playbooks.mail_activity_type_follow_up"),
        )
