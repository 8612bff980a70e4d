# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sale_activity_playbooks import odoo_series
from odoo.addons.sale_activity_playbooks.odoo_series import (
    GROUPS_FIELD,
    keep_done_values,
)

from .common import POSTPONE_A_WEEK, TODAY
from .reminder_common import ReminderCase


@freeze_time("2026-11-25 09:00:00")
@tagged("post_install", "-at_install")
class TestReminders(ReminderCase):
    """Due Reminder activities are reminded once, in one digest per user,
    delivered as the user chose, with a real-time notification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman.notification_type = "inbox"
        cls.clicker.notification_type = "inbox"
        # No escalation here: see test_escalation.
        cls.playbook.escalation_days = 0

    def test_followup_due_today_is_reminded_once(self):
        follow_up = self.reminder(summary="Call back about the discount")
        run = self.run_reminders()
        digest = self.digest_of(run, self.salesman)
        self.assertEqual(digest.subject, "Follow-up due: Big Deal")
        self.assertIn("Call back about the discount", digest.body)
        self.assertIn("due today", digest.body)
        self.assertEqual(follow_up.reminded_on.date(), TODAY)
        self.assertFalse(follow_up.escalated_on)
        # the next runs of the day, and of the next days, send nothing more
        self.assertFalse(self.run_reminders().digests)
        with freeze_time("2026-11-26 09:00:00"):
            run = self.run_reminders()
        self.assertFalse(run.digests)
        self.assertFalse(run.toasts)

    def test_followup_is_not_reminded_before_its_deadline(self):
        follow_up = self.reminder(deadline=TODAY + timedelta(days=1))
        self.assertFalse(self.run_reminders().digests)
        self.assertFalse(follow_up.reminded_on)
        with freeze_time("2026-11-26 00:30:00"):  # 01:30 in Brussels
            run = self.run_reminders()
        self.assertTrue(self.digest_of(run, self.salesman))
        self.assertTrue(follow_up.reminded_on)

    def test_deadline_comes_in_the_assignee_time_zone(self):
        self.clicker.tz = "America/New_York"
        brussels = self.reminder(deadline=TODAY + timedelta(days=1))
        new_york = self.reminder(deadline=TODAY + timedelta(days=1), user=self.clicker)
        # 23:30 UTC on Wednesday: Thursday in Brussels, still Wednesday in New York
        with freeze_time("2026-11-25 23:30:00"):
            run = self.run_reminders()
        self.assertTrue(self.digest_of(run, self.salesman))
        self.assertFalse(self.digest_of(run, self.clicker))
        self.assertTrue(brussels.reminded_on)
        self.assertFalse(new_york.reminded_on)
        with freeze_time("2026-11-26 05:00:00"):  # midnight in New York
            run = self.run_reminders()
        self.assertTrue(self.digest_of(run, self.clicker))
        self.assertTrue(new_york.reminded_on)

    def test_one_digest_per_user_lists_each_due_followup(self):
        other_lead = self.env["crm.lead"].create(
            {"name": "Small Deal", "team_id": self.team.id, "user_id": self.salesman.id}
        )
        self.reminder(summary="Send the references", deadline=TODAY - timedelta(days=3))
        self.reminder(summary="Ask for the budget", deadline=TODAY - timedelta(days=1))
        self.reminder(lead=other_lead, summary="Confirm the date")
        self.reminder(user=self.clicker, summary="Clicker's own")
        run = self.run_reminders()
        self.assertEqual(len(run.digests), 2)
        digest = self.digest_of(run, self.salesman)
        self.assertEqual(digest.subject, "3 follow-ups due")
        self.assertEqual(digest.partner_ids, self.salesman.partner_id)
        body = digest.body
        for text in (
            "Big Deal",
            "Small Deal",
            self.env["crm.lead"]._description,
            "Send the references",
            "Ask for the budget",
            "Confirm the date",
            "3 days overdue",
            "1 day overdue",
            "due today",
            "11/22/2026",
            f"/mail/view?model=crm.lead&amp;res_id={self.lead.id}",
            f"/mail/view?model=crm.lead&amp;res_id={other_lead.id}",
        ):
            self.assertIn(text, body)
        self.assertNotIn("Clicker's own", body)
        # oldest deadline first
        self.assertLess(
            body.index("Send the references"), body.index("Confirm the date")
        )
        self.assertIn("Clicker's own", self.digest_of(run, self.clicker).body)

    def test_only_reminder_activities_are_reminded(self):
        call = self.schedule(self.call, deadline=TODAY - timedelta(days=2))
        run = self.run_reminders()
        self.assertFalse(run.digests)
        self.assertFalse(call.reminded_on)

    def test_a_type_that_becomes_a_reminder_reminds_its_activities(self):
        # the category lives on the type: activities follow when it changes
        call = self.schedule(self.call, deadline=TODAY - timedelta(days=1))
        self.call.category = "reminder"
        self.assertTrue(self.digest_of(self.run_reminders(), self.salesman))
        self.assertTrue(call.reminded_on)
        self.call.category = "phonecall"
        later = self.schedule(self.call, deadline=TODAY)
        self.assertFalse(self.run_reminders().digests)
        self.assertFalse(later.reminded_on)

    def test_done_and_cancelled_followups_are_not_reminded(self):
        kept = self.env["mail.activity.type"].create(
            {"name": "Kept reminder", "category": "reminder", **keep_done_values()}
        )
        done = self.schedule(kept, deadline=TODAY - timedelta(days=1))
        done.action_feedback(feedback="Done")
        self.assertFalse(done.active)
        cancelled = self.reminder(deadline=TODAY - timedelta(days=1))
        cancelled.unlink()
        run = self.run_reminders()
        self.assertFalse(run.digests)
        self.assertFalse(done.reminded_on)

    def test_inbox_user_gets_no_email(self):
        self.reminder()
        digest = self.digest_of(self.run_reminders(), self.salesman)
        self.assertEqual(digest.notification_ids.mapped("notification_type"), ["inbox"])
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", digest.id)])
        )

    def test_email_user_gets_an_email(self):
        self.salesman.notification_type = "email"
        self.reminder()
        # queued, as a server queues it until the cron commits: Odoo's test
        # runner would send (and delete) it at once, pytest-odoo would not
        self.env = self.env(
            context=dict(self.env.context, mail_notify_force_send=False)
        )
        digest = self.digest_of(self.run_reminders(), self.salesman)
        self.assertEqual(digest.notification_ids.mapped("notification_type"), ["email"])
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", digest.id)])
        )
        self.assertEqual(mail.recipient_ids, self.salesman.partner_id)
        self.assertIn("Big Deal", mail.body_html)

    def test_open_web_client_gets_one_notification_per_user(self):
        self.reminder(summary="first")
        self.reminder(summary="second", deadline=TODAY - timedelta(days=1))
        self.reminder(user=self.clicker)
        run = self.run_reminders()
        # one toast each, not core's one event for the last activity of a batch
        self.assertEqual(
            set(run.toasts),
            {self.salesman.partner_id.id, self.clicker.partner_id.id},
        )
        toasts = run.toasts[self.salesman.partner_id.id]
        self.assertEqual(len(toasts), 1)
        self.assertEqual(toasts[0]["title"], "2 follow-ups due")
        self.assertEqual(toasts[0]["message"], "Big Deal, Big Deal")
        self.assertEqual(toasts[0]["type"], "warning")

    def test_toast_names_a_few_records(self):
        for i in range(5):
            lead = self.env["crm.lead"].create(
                {"name": f"Deal {i}", "user_id": self.salesman.id}
            )
            self.reminder(lead=lead, deadline=TODAY - timedelta(days=5 - i))
        toast = self.run_reminders().toasts[self.salesman.partner_id.id][0]
        self.assertEqual(toast["message"], "Deal 0, Deal 1, Deal 2 and 2 more")

    def test_archived_user_reminders_go_to_the_team_leader(self):
        self.leader.notification_type = "inbox"
        follow_up = self.reminder(user=self.clicker, summary="Left behind")
        # Archiving from the users list deletes their activities (mail's
        # action_archive); other ways keep them, and someone must follow up.
        self.clicker.active = False
        run = self.run_reminders()
        self.assertFalse(self.digest_of(run, self.clicker))
        digest = self.digest_of(run, self.leader)
        self.assertIn("Left behind", digest.body)
        self.assertIn("Clark Clicker", digest.body)  # the assignee is named
        self.assertEqual(set(run.toasts), {self.leader.partner_id.id})
        self.assertTrue(follow_up.reminded_on)

    def test_archived_user_without_team_leader_reminds_nobody(self):
        self.team.user_id = False
        follow_up = self.reminder(user=self.clicker)
        self.clicker.active = False
        with self.assertLogs(
            "odoo.addons.sale_activity_playbooks.models.sale_activity_reminder_digest",
            "WARNING",
        ) as logs:
            run = self.run_reminders()
        self.assertFalse(run.digests)
        self.assertIn("Nobody to remind", logs.output[0])
        self.assertTrue(follow_up.reminded_on, "not looked at again every hour")

    def test_reminders_on_any_model(self):
        any_model = self.env["mail.activity.type"].create(
            {"name": "Check in", "category": "reminder"}
        )
        partner = self.env["res.partner"].create({"name": "Acme Corp"})
        follow_up = partner.activity_schedule(
            activity_type_id=any_model.id,
            user_id=self.salesman.id,
            date_deadline=TODAY,
        )
        digest = self.digest_of(self.run_reminders(), self.salesman)
        self.assertIn("Acme Corp", digest.body)
        self.assertIn(
            f"/mail/view?model=res.partner&amp;res_id={partner.id}", digest.body
        )
        self.assertTrue(follow_up.reminded_on)

    def test_postponed_followup_is_reminded_again(self):
        follow_up = self.reminder()
        self.run_reminders()
        self.assertTrue(follow_up.reminded_on)
        # the salesperson postpones it a week: reminder re-armed
        getattr(follow_up.with_user(self.salesman), POSTPONE_A_WEEK)()
        self.assertFalse(follow_up.reminded_on)
        self.assertFalse(self.run_reminders().digests)
        with freeze_time("2026-12-02 09:00:00"):
            self.assertTrue(self.digest_of(self.run_reminders(), self.salesman))

    def test_digest_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.salesman.lang = "fr_FR"
        self.reminder()
        digest = self.digest_of(self.run_reminders(), self.salesman)
        self.assertIn("25/11/2026", digest.body)


@freeze_time("2026-11-25 09:00:00")
@tagged("post_install", "-at_install")
class TestReminderBatches(ReminderCase):
    """Reminders run in batches that keep each user's follow-ups together;
    a crash loses nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.playbook.escalation_days = 0
        cls.third = cls.env["res.users"].create(
            {
                "name": "Theo Third",
                "login": "pb_third",
                "email": "third@example.com",
                "tz": "Europe/Brussels",
                "notification_type": "inbox",
                GROUPS_FIELD: [Command.link(cls.env.ref("base.group_user").id)],
            }
        )

    def schedule_for_three_users(self):
        for user, count in ((self.salesman, 3), (self.clicker, 2), (self.third, 2)):
            for i in range(count):
                self.reminder(user=user, deadline=TODAY - timedelta(days=i))

    def test_batches_keep_each_user_whole_and_report_progress(self):
        self.schedule_for_three_users()
        progress = []
        with patch.object(
            odoo_series,
            "notify_cron_progress",
            lambda env, done, remaining: progress.append((done, remaining)),
        ):
            first = self.run_reminders(batch_size=3)
            second = self.run_reminders(batch_size=3)
            third = self.run_reminders(batch_size=3)
        # a batch takes whole users until it holds 3 activities or more, and
        # says what remains at least (the next user's)
        self.assertEqual(len(first.digests), 1)
        self.assertEqual(len(second.digests), 2)
        self.assertFalse(third.digests)
        self.assertEqual(progress, [(3, 2), (4, 0), (0, 0)])
        for user in (self.salesman, self.clicker, self.third):
            self.assertEqual(
                len((first.digests | second.digests).partner_ids & user.partner_id), 1
            )

    def test_a_crash_loses_nothing_the_next_run_picks_up_the_rest(self):
        self.schedule_for_three_users()
        self.run_reminders(batch_size=3)  # committed by the cron runner
        Digest = type(self.env["sale.activity.reminder.digest"])
        with (
            patch.object(
                Digest,
                "_notify_digest",
                side_effect=RuntimeError("SMTP down"),
            ),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            self.run_reminders(batch_size=3)
        self.env.invalidate_all()
        pending = self.env["mail.activity"].search(
            [("activity_type_id", "=", self.follow_up.id), ("reminded_on", "=", False)]
        )
        self.assertEqual(len(pending), 4, "the failed batch was rolled back")
        run = self.run_reminders(batch_size=10)
        self.assertEqual(len(run.digests), 2)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("activity_type_id", "=", self.follow_up.id),
                    ("reminded_on", "=", False),
                ]
            )
        )

    def test_cron_runs_the_reminders_and_records_its_progress(self):
        cron = self.env.ref("sale_activity_playbooks.ir_cron_playbook_reminders")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        self.assertEqual(cron.model_id.model, "sale.activity.reminder")
        self.schedule_for_three_users()
        with self.cron_sees_this_test():
            cron.method_direct_trigger()
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (7, 0))
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("activity_type_id", "=", self.follow_up.id),
                    ("reminded_on", "=", False),
                ]
            )
        )


@freeze_time("2026-11-25 09:00:00")
@tagged("post_install", "-at_install")
class TestReminderPerformance(ReminderCase):
    """A batch reads what it processes; one run costs queries per user and
    batch, not per reminder (Odoo's per-activity notification costs about 13
    queries each)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.playbook.escalation_days = 0

    @contextmanager
    def count_sql(self):
        """Rows that queries on mail_activity return, and the queries that
        take transaction locks, while the block runs."""
        counts = {"activity rows": 0, "lock queries": 0}
        execute = Cursor.execute

        def counting_execute(cr, query, params=None, log_exceptions=True):
            result = execute(cr, query, params, log_exceptions)
            text = str(query.code if isinstance(query, SQL) else query)
            if "mail_activity" in text and cr.description:
                counts["activity rows"] += cr.rowcount
            if "pg_try_advisory_xact_lock" in text:
                counts["lock queries"] += 1
            return result

        with patch.object(Cursor, "execute", counting_execute):
            yield counts

    def test_a_batch_reads_the_followups_it_reminds_not_the_backlog(self):
        users = self.make_users(40)
        self.schedule_for(users, per_user=5)
        with self.count_sql() as counts:
            run = self.run_reminders(batch_size=5)
        self.assertEqual(len(run.digests), 1, "one user's 5 follow-ups a batch")
        # the backlog is 200 follow-ups: a batch reads its own, a few times
        self.assertLess(counts["activity rows"], 60, counts)

    def test_the_recipients_of_a_batch_are_locked_in_one_query(self):
        self.schedule_for(self.make_users(6), per_user=2)
        with self.count_sql() as counts:
            run = self.run_reminders()
        self.assertEqual(len(run.digests), 6)
        self.assertEqual(counts["lock queries"], 1, counts)

    def test_the_index_holds_reminders_only(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'mail_activity_playbook_remind_idx'"
        )
        (definition,) = self.env.cr.fetchone()
        self.assertIn(
            "WHERE (is_reminder AND (reminded_on IS NULL) AND active)", definition
        )

    def make_users(self, count):
        self.made = getattr(self, "made", 0) + 1
        return self.env["res.users"].create(
            [
                {
                    "name": f"Perf {self.made}-{i}",
                    "login": f"pb_perf_{self.made}_{i}",
                    "email": f"perf{self.made}.{i}@example.com",
                    "tz": "Europe/Brussels",
                    "notification_type": "inbox" if i % 2 else "email",
                    GROUPS_FIELD: [Command.link(self.env.ref("base.group_user").id)],
                }
                for i in range(count)
            ]
        )

    def schedule_for(self, users, per_user):
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Perf lead {i}", "team_id": self.plain_team.id}
                for i in range(per_user)
            ]
        )
        model_id = self.env["ir.model"]._get_id("crm.lead")
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": self.follow_up.id,
                    "user_id": user.id,
                    "date_deadline": TODAY - timedelta(days=lead.id % 5),
                    "summary": f"Perf {lead.id}",
                }
                for user in users
                for lead in leads
            ]
        )

    def run_queries(self, users, per_user):
        self.schedule_for(users, per_user)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        run = self.run_reminders()
        queries = self.cr.sql_log_count - before
        self.assertEqual(len(run.digests), len(users))
        return queries

    def test_query_count_grows_with_users_not_with_reminders(self):
        # warm-up: templates, registry caches, as in a running server
        self.run_queries(self.make_users(1), 1)
        few = self.run_queries(self.make_users(2), 2)
        many = self.run_queries(self.make_users(2), 40)
        more_users = self.run_queries(self.make_users(4), 2)
        figures = f"2x2: {few}, 2x40: {many}, 4x2: {more_users} queries"
        # 20 times more reminders: the same cost, give or take a flush chunk
        self.assertLessEqual(many, few + 4, figures)
        # twice the users: about twice the per-user part
        self.assertGreater(more_users, few, figures)
