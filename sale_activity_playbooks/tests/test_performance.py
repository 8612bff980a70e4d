# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged, users

from .common import ARCHIVES_DONE_ACTIVITIES, TODAY, PlaybookCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestPerformance(PlaybookCase):
    """Query counts of the hot paths, next to Odoo's own figure for the same
    work measured in the same run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # native: Call triggers Create Quote for every model and team...
        cls.call.write(
            {"chaining_type": "trigger", "triggered_next_type_id": cls.create_quote.id}
        )
        # ...and the playbook does the same for its team
        cls.add_rule(cls.call, cls.create_quote)
        cls.model_id = cls.env["ir.model"]._get_id("crm.lead")

    def count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def mark_done_queries(self, lead):
        # warm-up: registry caches, as in a running server
        self.schedule(self.call, lead=lead, user=self.salesman).with_user(
            self.salesman
        ).action_feedback()
        call = self.schedule(self.call, lead=lead, user=self.salesman)
        return self.count_queries(
            lambda: call.with_user(self.salesman).action_feedback()
        )

    def count_resolutions(self, func):
        """``{trigger: times}`` the engine resolved rules during ``func()``."""
        Engine = type(self.env["sale.activity.playbook.engine"])
        calls = []
        resolve = Engine._resolve

        def counting(engine, activities, trigger_on, *args, **kwargs):
            calls.append(trigger_on)
            return resolve(engine, activities, trigger_on, *args, **kwargs)

        with patch.object(Engine, "_resolve", counting):
            func()
        return {trigger: calls.count(trigger) for trigger in set(calls)}

    @users("pb_salesman")
    def test_a_done_resolves_the_rules_once(self):
        call = self.schedule(self.call, user=self.salesman).with_user(self.salesman)
        self.env.invalidate_all()
        resolutions = self.count_resolutions(call.action_feedback)
        self.assertEqual(resolutions.get("done"), 1, resolutions)
        self.assertEqual(
            len(self.activities(activity_type=self.create_quote)),
            1,
            "the rule planned the quote, Odoo's chaining did not plan another",
        )

    @users("pb_salesman")
    def test_done_and_schedule_next_resolves_the_rules_once(self):
        self.add_rule(self.meeting, self.call, chaining_type="suggest")
        for activity_type in (self.call, self.meeting):
            activity = self.schedule(activity_type, user=self.salesman)
            activity = activity.with_user(self.salesman)
            self.env.invalidate_all()
            resolutions = self.count_resolutions(activity.action_feedback_schedule_next)
            self.assertEqual(resolutions.get("done"), 1, (activity_type, resolutions))

    @users("pb_salesman")
    def test_mark_done_with_a_playbook_trigger_vs_native_trigger(self):
        # measured here: native 29 queries, playbook 31 (cold record cache)
        native = self.mark_done_queries(self.plain_lead)
        ours = self.mark_done_queries(self.lead)
        self.assertLessEqual(ours, native + 3, f"native {native}, playbook {ours}")

    @users("pb_salesman")
    def test_rescheduling_costs_what_odoo_write_costs(self):
        # the reminder's re-arm check reads the activity before Odoo's write:
        # with the salesperson's rights, the access rule read it once more
        def reschedule_queries(lead):
            call = self.schedule(self.call, lead=lead, as_user=self.salesman)
            return self.count_queries(
                lambda: call.write({"date_deadline": TODAY + timedelta(days=7)})
            )

        reschedule_queries(self.plain_lead)  # warm-up
        native = reschedule_queries(self.plain_lead)
        ours = reschedule_queries(self.lead)
        self.assertEqual(ours, native, f"native {native}, playbook {ours}")

    @users("pb_salesman")
    def test_mark_done_with_an_outcome_and_a_limited_branch_vs_native_trigger(self):
        no_answer = self.env.ref("sale_activity_playbooks.outcome_call_no_answer")
        self.env["sale.activity.playbook.line"].sudo().create(
            {
                "playbook_id": self.playbook.id,
                "activity_type_id": self.call.id,
                "next_type_ids": [Command.set(self.create_quote.ids)],
                "outcome_ids": [Command.set(no_answer.ids)],
                "repeat_limit": 5,
                "delay_unit": "working_days",
                "delay_count": 1,
            }
        )

        def mark_done_queries(lead):
            for warm_up in (True, False):
                self.activities(lead=lead).sudo().unlink()
                call = self.schedule(self.call, lead=lead, user=self.salesman)
                call = call.with_user(self.salesman)
                call.outcome_id = no_answer
                if not warm_up:
                    return self.count_queries(call.action_feedback)
                call.action_feedback()

        native = mark_done_queries(self.plain_lead)
        ours = mark_done_queries(self.lead)
        self.assertEqual(
            self.activities(
                activity_type=self.create_quote
            ).playbook_line_id.outcome_ids,
            no_answer,
            "the branch created the quote",
        )
        self.assertLessEqual(ours, native + 3, f"native {native}, branch {ours}")

    def create_queries(self, team, count):
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Lead {i}", "team_id": team.id, "user_id": self.salesman.id}
                for i in range(count)
            ]
        )

        def create():
            self.env["mail.activity"].create(
                [
                    {
                        "res_model_id": self.model_id,
                        "res_id": lead.id,
                        "activity_type_id": self.email.id,
                        "date_deadline": TODAY,
                        "user_id": self.salesman.id,
                    }
                    for lead in leads
                ]
            )

        create()  # warm-up
        return self.count_queries(create)

    def test_scheduled_rule_lookup_does_not_grow_with_the_batch(self):
        self.add_rule(self.email, self.follow_up, trigger_on="scheduled")
        extra = {}
        for count in (10, 100):
            extra[count] = self.create_queries(self.team, count) - self.create_queries(
                self.plain_team, count
            )
        # Creating the follow-ups themselves is one create() of N records:
        # the ORM flushes its stored computes in chunks, hence the small margin.
        self.assertLessEqual(extra[100], extra[10] + 2, extra)

    def test_rule_lookup_costs_the_same_for_10_or_100_activities(self):
        self.add_rule(self.email, self.follow_up, trigger_on="scheduled")
        costs = []
        for count in (10, 100):
            leads = self.env["crm.lead"].create(
                [{"name": f"Lead {i}", "team_id": self.team.id} for i in range(count)]
            )
            activities = self.env["mail.activity"].create(
                [
                    {
                        "res_model_id": self.model_id,
                        "res_id": lead.id,
                        "activity_type_id": self.email.id,
                        "date_deadline": TODAY,
                    }
                    for lead in leads
                ]
            )
            costs.append(
                self.count_queries(
                    lambda activities=activities: activities._playbook_rules(
                        "scheduled"
                    )
                )
            )
        self.assertEqual(costs[0], costs[1])
        # activities(res_model, res_id, type) + leads(exists, team, company) + rules
        with self.assertQueryCount(4):
            self.env.invalidate_all()
            activities._playbook_rules("scheduled")

    @users("pb_salesman")
    def test_a_repeat_limit_is_counted_in_the_lock_of_the_leads(self):
        # the firings of a limited rule are read in the statement that locks
        # the leads and reads their open activities: no query of its own
        no_answer = self.env.ref("sale_activity_playbooks.outcome_call_no_answer")
        branch = (
            self.env["sale.activity.playbook.line"]
            .sudo()
            .create(
                {
                    "playbook_id": self.playbook.id,
                    "activity_type_id": self.call.id,
                    "next_type_ids": [Command.set(self.create_quote.ids)],
                    "outcome_ids": [Command.set(no_answer.ids)],
                }
            )
        )

        def mark_done_queries(repeat_limit):
            branch.sudo().repeat_limit = repeat_limit
            # a lead of its own: its chatter is the same for both
            lead = self.lead.copy({"user_id": self.salesman.id})
            for warm_up in (True, False):
                call = self.schedule(self.call, lead=lead, user=self.salesman)
                call = call.with_user(self.salesman)
                call.outcome_id = no_answer
                if not warm_up:
                    return self.count_queries(call.action_feedback)
                call.action_feedback()
                self.activities(lead=lead).sudo().unlink()

        self.assertEqual(mark_done_queries(5), mark_done_queries(0))

    def scheduled_queries(self, team, count, follow_ups=False):
        """create() of ``count`` Emails by the salesman, with, if
        ``follow_ups``, the Follow-up a rule would plan on each lead (the
        same rows, in one create)."""
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Lead {i}", "team_id": team.id, "user_id": self.salesman.id}
                for i in range(2 * count)
            ]
        )
        # the salesperson follows their leads, as in the benchmark: Odoo's own
        # create() of two activities of one new follower would insert it twice
        leads.message_subscribe(partner_ids=self.salesman.partner_id.ids)
        Activity = self.env["mail.activity"].with_user(self.salesman)

        def create(leads):
            types = (self.email | self.follow_up) if follow_ups else self.email
            Activity.create(
                [
                    {
                        "res_model_id": self.model_id,
                        "res_id": lead.id,
                        "activity_type_id": activity_type.id,
                        "date_deadline": TODAY,
                        "user_id": self.salesman.id,
                    }
                    for lead in leads
                    for activity_type in types
                ]
            )

        create(leads[:count])  # warm-up
        return self.count_queries(lambda: create(leads[count:]))

    def test_follow_ups_of_a_rule_vs_native_create_of_the_same_rows(self):
        self.add_rule(self.email, self.follow_up, trigger_on="scheduled")
        for count in (1, 100):
            native = self.scheduled_queries(self.plain_team, count, follow_ups=True)
            ours = self.scheduled_queries(self.team, count)
            # measured here: +5 for 1, +4 for 100: the follow-ups' create()
            # and its look-up of the followers, the lock of the leads with
            # their open activities, the links and firings, and the Follow-up
            # type's texts (it has a summary; a type without texts is not
            # read). The toast's names come from a cache.
            extra = 5 if count == 1 else 4
            self.assertLessEqual(ours, native + extra, (count, native, ours))

    def test_a_reply_completing_a_follow_up_vs_native_email(self):
        self.playbook.stop_on_reply = True
        self.add_rule(self.email, self.follow_up, trigger_on="scheduled")
        customer = self.env["res.partner"].create(
            {"name": "Carla Customer", "email": "carla@example.com"}
        )

        def reply_queries(team):
            for warm_up in (True, False):
                lead = self.env["crm.lead"].create(
                    {
                        "name": "Replying lead",
                        "team_id": team.id,
                        "user_id": self.salesman.id,
                        "partner_id": customer.id,
                    }
                )
                self.schedule(self.email, lead=lead)

                def reply(lead=lead):
                    # e-mails go to the queue, as when no test runs (they are
                    # sent after the commit); Odoo's runner marks its thread
                    # as testing, and Odoo then sends them in the transaction
                    lead.with_context(mail_notify_force_send=False).message_post(
                        body="Thanks, let us talk next week.",
                        message_type="email",
                        author_id=customer.id,
                        subtype_xmlid="mail.mt_comment",
                    )

                if not warm_up:
                    return self.count_queries(reply), lead
                reply()

        native, _lead = reply_queries(self.plain_team)
        ours, lead = reply_queries(self.team)
        self.assertFalse(self.activities(lead=lead, activity_type=self.follow_up))
        # measured here, under pytest-odoo and Odoo's runner alike: 18.0 28
        # and 42 queries, 19.0 27 and 39. Completing the follow-up is Odoo's
        # Done (its message, its queued notification, and on 18.0 the
        # deletion), after Odoo notified the followers of the email
        extra = 12 if ARCHIVES_DONE_ACTIVITIES else 14
        self.assertLessEqual(ours, native + extra, f"native {native}, ours {ours}")
