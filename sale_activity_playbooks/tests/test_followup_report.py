# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TODAY, PlaybookCase

MEASURES = [
    "planned_count",
    "today_count",
    "overdue_count",
    "escalated_count",
    "done_on_time_count",
    "done_late_count",
]


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFollowupReport(PlaybookCase):
    """CRM > Reporting > Follow-ups: per sales team and salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_rule = cls.add_rule(cls.email, cls.call)
        cls.Report = cls.env["sale.activity.followup.report"]
        cls.clicker_lead = cls.env["crm.lead"].create(
            {"name": "Clark's Deal", "team_id": cls.team.id, "user_id": cls.clicker.id}
        )

    def playbook_call(self, deadline, lead=None):
        """The Call that the playbook creates for the salesperson of ``lead``
        (a new lead of the salesman's by default: a lead has one open Call per
        assignee) when an Email due on ``deadline`` is done."""
        lead = lead or self.env["crm.lead"].create(
            {
                "name": f"Deal due {deadline}",
                "team_id": self.team.id,
                "user_id": self.salesman.id,
            }
        )
        before = self.activities(lead=lead, activity_type=self.call)
        self.schedule(self.email, lead=lead, deadline=deadline).action_feedback()
        call = self.activities(lead=lead, activity_type=self.call) - before
        self.assertEqual(call.date_deadline, deadline)
        return call

    def counts(self, domain=(), user=None):
        """Measures per salesperson of the test teams."""
        Report = self.Report.with_user(user) if user else self.Report
        groups = Report._read_group(
            [("team_id", "in", (self.team | self.plain_team).ids), *domain],
            ["user_id"],
            [f"{measure}:sum" for measure in MEASURES],
        )
        return {
            group_user.login: dict(zip(MEASURES, sums, strict=True))
            for group_user, *sums in groups
        }

    def make_story(self):
        """Open and done follow-ups of the salesman and the clicker."""
        self.playbook_call(TODAY + timedelta(days=2))
        self.playbook_call(TODAY)
        self.playbook_call(TODAY - timedelta(days=1)).escalated_on = datetime(
            2026, 11, 25, 6
        )
        self.playbook_call(TODAY - timedelta(days=5)).action_feedback()  # late
        self.playbook_call(TODAY).action_feedback()  # on time
        self.playbook_call(TODAY - timedelta(days=2), lead=self.clicker_lead)

    def test_counts_per_team_and_salesperson(self):
        self.make_story()
        self.assertEqual(
            self.counts(),
            {
                "pb_salesman": {
                    "planned_count": 1,
                    "today_count": 1,
                    "overdue_count": 1,
                    "escalated_count": 1,
                    "done_on_time_count": 1,
                    "done_late_count": 1,
                },
                "pb_clicker": {
                    "planned_count": 0,
                    "today_count": 0,
                    "overdue_count": 1,
                    "escalated_count": 0,
                    "done_on_time_count": 0,
                    "done_late_count": 0,
                },
            },
        )
        teams = dict(
            self.Report._read_group(
                [("team_id", "in", (self.team | self.plain_team).ids)],
                ["team_id"],
                ["__count"],
            )
        )
        self.assertEqual(teams, {self.team: 6})

    def test_reminders_count_even_without_a_playbook(self):
        self.schedule(self.follow_up, lead=self.plain_lead, deadline=TODAY)
        self.schedule(self.todo, lead=self.plain_lead, deadline=TODAY)
        rows = self.Report.search([("lead_id", "=", self.plain_lead.id)])
        self.assertEqual(rows.activity_type_id, self.follow_up)
        self.assertEqual(rows.team_id, self.plain_team)
        self.assertEqual(rows.state, "today")

    def test_done_follow_ups_stay_with_the_team_that_did_them(self):
        self.playbook_call(TODAY, lead=self.lead).action_feedback()
        self.lead.team_id = self.plain_team
        row = self.Report.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(row.team_id, self.team)
        self.assertEqual(row.state, "done_on_time")

    @freeze_time("2026-11-25 23:30:00")
    def test_due_today_is_the_day_of_the_assignee(self):
        # 23:30 UTC: Thursday 26 in Brussels, still Wednesday 25 in UTC.
        self.clicker.tz = "UTC"
        thursday = TODAY + timedelta(days=1)
        self.playbook_call(thursday)
        self.playbook_call(thursday, lead=self.clicker_lead)
        self.playbook_call(TODAY)
        by_user = {
            (row.user_id.login, row.date_deadline): row.state
            for row in self.Report.search([("team_id", "=", self.team.id)])
        }
        self.assertEqual(
            by_user,
            {
                ("pb_salesman", thursday): "today",
                ("pb_clicker", thursday): "planned",
                ("pb_salesman", TODAY): "overdue",
            },
        )

    def test_filters_on_playbook_activity_type_and_period(self):
        other = self.env["sale.activity.playbook"].create(
            {"name": "Other", "team_ids": [(4, self.plain_team.id)]}
        )
        self.add_rule(self.email, self.meeting, playbook=other)
        self.playbook_call(TODAY - timedelta(days=9)).action_feedback()  # late
        self.playbook_call(TODAY + timedelta(days=1))
        self.playbook_call(TODAY + timedelta(days=20))
        self.schedule(
            self.email, lead=self.plain_lead, deadline=TODAY + timedelta(days=2)
        ).action_feedback()
        ours = [("team_id", "in", (self.team | self.plain_team).ids)]
        Report = self.Report
        self.assertEqual(
            Report.search([*ours, ("playbook_id", "=", other.id)]).activity_type_id,
            self.meeting,
        )
        self.assertEqual(
            len(Report.search([*ours, ("activity_type_id", "=", self.call.id)])), 3
        )
        this_week = [
            ("date", ">=", TODAY - timedelta(days=7)),
            ("date", "<=", TODAY + timedelta(days=7)),
        ]
        self.assertEqual(
            sorted(Report.search([*ours, *this_week]).mapped("state")),
            ["done_late", "planned", "planned"],
        )
        done = Report.search([*ours, ("state", "=", "done_late")])
        self.assertEqual(done.date, TODAY, "done follow-ups count on the day done")
        self.assertEqual(done.delay_days, 9)

    def test_salesperson_reads_own_follow_ups_managers_read_all(self):
        self.make_story()
        self.assertEqual(set(self.counts(user=self.salesman)), {"pb_salesman"})
        self.assertEqual(
            set(self.counts(user=self.leader)), {"pb_salesman", "pb_clicker"}
        )
        # "All Documents" salespeople read the whole team, as in CRM's reports
        self.assertEqual(
            set(self.counts(user=self.clicker)), {"pb_salesman", "pb_clicker"}
        )

    def test_salesperson_reads_follow_ups_of_own_leads_given_to_others(self):
        call = self.playbook_call(TODAY, lead=self.lead)
        call.user_id = self.leader
        rows = self.Report.with_user(self.salesman).search(
            [("lead_id", "=", self.lead.id)]
        )
        self.assertEqual(rows.user_id, self.leader)

    def test_open_lead_from_a_follow_up(self):
        call = self.playbook_call(TODAY, lead=self.lead)
        row = self.Report.search([("lead_id", "=", call.res_id)])
        action = row.action_open_lead()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("crm.lead", self.lead.id)
        )

    def test_list_opens_its_leads_and_acts_on_open_follow_ups(self):
        arch = etree.fromstring(
            self.env.ref(
                "sale_activity_playbooks.sale_activity_followup_report_view_list"
            ).arch
        )
        self.assertEqual(
            (arch.get("action"), arch.get("type")), ("action_open_lead", "object")
        )
        self.assertEqual(
            [button.get("name") for button in arch.iterfind("header/button")],
            [
                "action_open_leads",
                "action_followup_done",
                "action_followup_reschedule",
                "action_followup_reassign",
            ],
        )
        self.make_story()
        rows = self.Report.search([("team_id", "=", self.team.id)])
        open_rows = rows.filtered(lambda row: not row.is_done)
        # the story plans each call on a lead of its own
        team_calls = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", rows.lead_id.ids),
                ("activity_type_id", "=", self.call.id),
            ]
        )
        self.assertEqual(len(team_calls), 4)
        self.assertEqual(open_rows.activity_id, team_calls)
        self.assertFalse((rows - open_rows).activity_id)
        action = rows.action_open_leads()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["domain"], [("id", "in", rows.lead_id.ids)])
        self.assertEqual(len(rows.lead_id), 6)
        # one lead: its form
        one = rows.filtered(lambda row: row.lead_id == self.clicker_lead)
        self.assertEqual(one.action_open_leads()["res_id"], self.clicker_lead.id)
        # My Follow-ups' wizards, on the open follow-ups selected
        wizard = rows.action_followup_done()
        self.assertEqual(wizard["res_model"], "sale.activity.followup.done")
        self.assertEqual(
            wizard["context"]["default_activity_ids"], open_rows.activity_id.ids
        )
        self.assertEqual(
            rows.action_followup_reschedule()["context"]["default_activity_ids"],
            open_rows.activity_id.ids,
        )
        with self.assertRaises(UserError):
            (rows - open_rows).action_followup_done()
