# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import TODAY
from .reminder_common import ReminderCase

FRIDAY = date(2026, 11, 27)
LOGGER = "odoo.addons.sale_activity_playbooks.models.sale_activity_reminder_digest"


@freeze_time("2026-11-25 09:00:00")
@tagged("post_install", "-at_install")
class TestEscalation(ReminderCase):
    """A Reminder on a lead still open ``escalation_days`` working days after
    its deadline goes to the team leader once, with a note on the lead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.salesman, cls.clicker, cls.leader):
            user.notification_type = "inbox"

    def run_on(self, day):
        with freeze_time(f"{day} 09:00:00"):
            return self.run_reminders()

    def notes_on(self, run, lead=None):
        lead = lead or self.lead
        return run.notes.filtered(
            lambda m: m.model == "crm.lead" and m.res_id == lead.id
        )

    def test_stepping_through_the_days_of_an_overdue_followup(self):
        self.assertEqual(self.playbook.escalation_days, 2, "the default")
        follow_up = self.reminder(summary="Call back")
        # Wednesday, due today: reminded, not escalated
        wednesday = self.run_on("2026-11-25")
        self.assertTrue(self.digest_of(wednesday, self.salesman))
        self.assertFalse(self.digest_of(wednesday, self.leader))
        # Thursday, one day overdue: nothing new
        thursday = self.run_on("2026-11-26")
        self.assertFalse(thursday.digests)
        self.assertFalse(follow_up.escalated_on)
        # Friday, two working days after the deadline: escalated
        friday = self.run_on("2026-11-27")
        self.assertFalse(self.digest_of(friday, self.salesman))
        digest = self.digest_of(friday, self.leader)
        self.assertEqual(digest.subject, "Overdue follow-up of your team: Big Deal")
        for text in ("Call back", "2 days overdue", "Sally Salesman", "Big Deal"):
            self.assertIn(text, digest.body)
        self.assertEqual(set(friday.toasts), {self.leader.partner_id.id})
        note = self.notes_on(friday)
        self.assertEqual(len(note), 1)
        self.assertIn(
            "Follow-up overdue by 2 days, escalated to Lea Leader: Call back "
            "(Sally Salesman, due 11/25/2026).",
            note.body,
        )
        self.assertTrue(note.is_internal)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(follow_up.escalated_on.date(), FRIDAY)
        # Saturday and later: escalated once
        saturday = self.run_on("2026-11-28")
        self.assertFalse(saturday.digests)
        self.assertFalse(saturday.notes)

    def test_weekend_in_between_delays_the_escalation(self):
        follow_up = self.reminder(deadline=FRIDAY)
        self.run_on("2026-11-27")  # reminded on Friday
        for day in ("2026-11-28", "2026-11-29", "2026-11-30"):
            run = self.run_on(day)
            self.assertFalse(run.digests, day)
            self.assertFalse(follow_up.escalated_on, day)
        tuesday = self.run_on("2026-12-01")
        self.assertTrue(self.digest_of(tuesday, self.leader))
        self.assertIn("overdue by 4 days", self.notes_on(tuesday).body)
        self.assertTrue(follow_up.escalated_on)

    def test_one_day_overdue_reads_in_the_singular(self):
        self.playbook.escalation_days = 1
        self.reminder(summary="Call back")
        thursday = self.run_on("2026-11-26")
        self.assertIn(
            "Follow-up overdue by 1 day, escalated", self.notes_on(thursday).body
        )

    def test_public_holiday_delays_the_escalation(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Company holiday",
                "calendar_id": self.calendar.id,
                "date_from": "2026-11-26 00:00:00",
                "date_to": "2026-11-26 23:00:00",
            }
        )
        follow_up = self.reminder()
        self.run_on("2026-11-27")
        self.assertFalse(follow_up.escalated_on)
        self.run_on("2026-11-30")
        self.assertTrue(follow_up.escalated_on)

    def test_reminder_and_escalation_in_the_same_run(self):
        # a follow-up found long overdue is reminded and escalated at once
        follow_up = self.reminder(deadline=TODAY - timedelta(days=10))
        run = self.run_reminders()
        self.assertIn("10 days overdue", self.digest_of(run, self.salesman).body)
        self.assertIn("10 days overdue", self.digest_of(run, self.leader).body)
        self.assertTrue(follow_up.reminded_on and follow_up.escalated_on)

    def test_assignee_calendar_counts_the_working_days(self):
        four_days = self.env["resource.calendar"].create(
            {
                "name": "Monday to Thursday",
                "tz": "Europe/Brussels",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {d}",
                            "dayofweek": str(d),
                            "hour_from": 9,
                            "hour_to": 17,
                        }
                    )
                    for d in range(4)
                ],
            }
        )
        # A user's working calendar is that of their resource (an employee's,
        # with hr): without one, a calendar set on the user is not stored.
        self.assertFalse(self.salesman.resource_ids)
        self.env["resource.resource"].create(
            {
                "name": self.salesman.name,
                "user_id": self.salesman.id,
                "calendar_id": four_days.id,
            }
        )
        self.env.invalidate_all()
        self.assertEqual(self.salesman.resource_calendar_id, four_days)
        follow_up = self.reminder()
        # Thursday is one working day, Monday the second one: not Friday
        self.run_on("2026-11-27")
        self.assertFalse(follow_up.escalated_on)
        self.run_on("2026-11-30")
        self.assertTrue(follow_up.escalated_on)

    def test_zero_escalation_days_never_escalate(self):
        self.playbook.escalation_days = 0
        follow_up = self.reminder(deadline=TODAY - timedelta(days=30))
        run = self.run_reminders()
        self.assertFalse(self.digest_of(run, self.leader))
        self.assertFalse(follow_up.escalated_on)

    def test_team_without_playbook_never_escalates(self):
        self.plain_team.user_id = self.leader
        follow_up = self.reminder(
            lead=self.plain_lead, deadline=TODAY - timedelta(days=30)
        )
        run = self.run_reminders()
        self.assertFalse(self.digest_of(run, self.leader))
        self.assertFalse(follow_up.escalated_on)

    def test_only_reminders_on_leads_are_escalated(self):
        any_model = self.env["mail.activity.type"].create(
            {"name": "Check in", "category": "reminder"}
        )
        partner = self.env["res.partner"].create({"name": "Acme Corp"})
        on_partner = partner.activity_schedule(
            activity_type_id=any_model.id,
            user_id=self.salesman.id,
            date_deadline=TODAY - timedelta(days=30),
        )
        call = self.schedule(self.call, deadline=TODAY - timedelta(days=30))
        run = self.run_reminders()
        self.assertFalse(self.digest_of(run, self.leader))
        self.assertFalse(on_partner.escalated_on or call.escalated_on)

    def test_smallest_non_zero_escalation_days_of_the_team_apply(self):
        self.env["sale.activity.playbook"].create(
            [
                {
                    "name": "Off",
                    "escalation_days": 0,
                    "team_ids": [Command.link(self.team.id)],
                },
                {
                    "name": "Strict",
                    "escalation_days": 1,
                    "team_ids": [Command.link(self.team.id)],
                },
            ]
        )
        follow_up = self.reminder()
        self.run_on("2026-11-26")
        self.assertTrue(follow_up.escalated_on)

    def test_team_without_leader_escalates_to_nobody_and_logs_it(self):
        self.team.user_id = False
        follow_up = self.reminder(deadline=TODAY - timedelta(days=5))
        with self.assertLogs(LOGGER, "WARNING") as logs:
            run = self.run_reminders()
        self.assertIn("escalated to nobody", logs.output[0])
        self.assertIn("Playbook Team", logs.output[0])
        self.assertEqual(set(run.toasts), {self.salesman.partner_id.id})
        self.assertEqual(len(run.digests), 1, "the salesman's reminder only")
        self.assertIn(
            "escalated to nobody: the sales team Playbook Team has no leader",
            self.notes_on(run).body,
        )
        self.assertTrue(follow_up.escalated_on)
        self.assertFalse(self.run_reminders().notes)

    def test_archived_leader_is_no_leader(self):
        self.team.user_id = self.clicker
        self.clicker.active = False
        self.reminder(deadline=TODAY - timedelta(days=5))
        with self.assertLogs(LOGGER, "WARNING"):
            run = self.run_reminders()
        self.assertFalse(self.digest_of(run, self.clicker))

    def test_leader_gets_one_digest_for_the_whole_team(self):
        other_lead = self.env["crm.lead"].create(
            {"name": "Small Deal", "team_id": self.team.id, "user_id": self.clicker.id}
        )
        self.reminder(summary="Sally's", deadline=TODAY - timedelta(days=5))
        self.reminder(
            lead=other_lead,
            user=self.clicker,
            summary="Clark's",
            deadline=TODAY - timedelta(days=3),
        )
        run = self.run_reminders()
        digest = self.digest_of(run, self.leader)
        self.assertEqual(digest.subject, "2 overdue follow-ups of your team")
        for text in ("Sally's", "Clark's", "Sally Salesman", "Clark Clicker"):
            self.assertIn(text, digest.body)
        self.assertEqual(len(self.notes_on(run)), 1)
        self.assertEqual(len(self.notes_on(run, other_lead)), 1)
        self.assertEqual(len(run.toasts[self.leader.partner_id.id]), 1)

    def test_followup_done_in_time_is_not_escalated(self):
        follow_up = self.reminder()
        self.run_on("2026-11-26")
        follow_up.action_feedback(feedback="Called")
        run = self.run_on("2026-11-27")
        self.assertFalse(run.digests)
        self.assertFalse(run.notes)

    def test_escalation_note_is_not_human_attention(self):
        # the neglect scan ignores it: only people's messages and notes count
        self.reminder(deadline=TODAY - timedelta(days=5))
        note = self.notes_on(self.run_reminders())
        self.assertEqual(note.message_type, "notification")


@freeze_time("2026-11-25 09:00:00")
@tagged("post_install", "-at_install")
class TestEscalationAccess(ReminderCase):
    """A team leader's digest shows only leads the leader may read: the
    overdue follow-ups of the others are escalated to nobody, and the note on
    the lead and the server log say why."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.seller_ab = new_test_user(
            cls.env,
            "pb_seller_ab",
            groups="sales_team.group_sale_salesman",
            name="Bob Both",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
            notification_type="inbox",
        )
        # a team of every company, led by a leader of company A only
        cls.leader.notification_type = "inbox"
        cls.everyone = cls.env["crm.team"].create(
            {"name": "Everyone", "company_id": False, "user_id": cls.leader.id}
        )
        cls.env["sale.activity.playbook"].create(
            {
                "name": "Shared escalation",
                "company_id": False,
                "escalation_days": 2,
                "team_ids": [Command.link(cls.everyone.id)],
            }
        )
        cls.lead_a, cls.lead_b = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Deal {code}",
                    "team_id": cls.everyone.id,
                    "company_id": company.id,
                    "user_id": cls.seller_ab.id,
                }
                for code, company in (("A", cls.company), ("B", cls.company_b))
            ]
        )

    def overdue(self, lead, summary):
        return self.reminder(
            lead=lead,
            user=self.seller_ab,
            summary=summary,
            deadline=TODAY - timedelta(days=5),
        )

    def note_on(self, run, lead):
        return run.notes.filtered(lambda m: m.res_id == lead.id).body

    def test_leader_is_not_shown_leads_of_a_company_they_cannot_access(self):
        self.assertNotIn(self.company_b, self.leader.company_ids)
        on_a = self.overdue(self.lead_a, "Quote A")
        on_b = self.overdue(self.lead_b, "Quote B")
        with self.assertLogs(LOGGER, "WARNING") as logs:
            run = self.run_reminders()
        digest = self.digest_of(run, self.leader)
        self.assertEqual(digest.subject, "Overdue follow-up of your team: Deal A")
        self.assertNotIn("Deal B", digest.body)
        self.assertNotIn("Quote B", digest.body)
        toast = run.toasts[self.leader.partner_id.id]
        self.assertNotIn("Deal B", str(toast))
        self.assertIn("escalated to Lea Leader", self.note_on(run, self.lead_a))
        self.assertIn(
            "escalated to nobody: the team leader Lea Leader has no access to "
            "Company B",
            self.note_on(run, self.lead_b),
        )
        self.assertIn(f"[{on_b.id}]", logs.output[0])
        self.assertIn("Lea Leader", logs.output[0])
        self.assertIn("Company B", logs.output[0])
        self.assertTrue(on_a.escalated_on and on_b.escalated_on)
        self.assertFalse(self.run_reminders().notes, "escalated once")

    def test_leader_who_may_not_read_the_lead_is_shown_nothing(self):
        for name, groups in (
            ("no access to leads", "base.group_user"),
            ("own leads only", "sales_team.group_sale_salesman"),
        ):
            with self.subTest(name):
                leader = new_test_user(
                    self.env,
                    f"pb_leader_{groups}",
                    groups=groups,
                    name=f"Leader ({name})",
                    notification_type="inbox",
                )
                self.everyone.user_id = leader
                follow_up = self.overdue(self.lead_a, f"Quote {name}")
                with self.assertLogs(LOGGER, "WARNING") as logs:
                    run = self.run_reminders()
                self.assertFalse(self.digest_of(run, leader))
                self.assertNotIn(leader.partner_id.id, run.toasts)
                self.assertIn(
                    f"escalated to nobody: the team leader Leader ({name}) may not "
                    "read this lead",
                    self.note_on(run, self.lead_a),
                )
                self.assertIn(f"[{follow_up.id}]", logs.output[0])
                self.assertTrue(follow_up.escalated_on)
