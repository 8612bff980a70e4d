# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY
from .test_outcomes import OutcomeCase

MEASURES = (
    "fired_count",
    "lead_count",
    "created_count",
    "done_on_time_count",
    "done_late_count",
    "completion_count",
    "cancelled_count",
    "pending_count",
    "won_lead_count",
)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestStepReport(OutcomeCase):
    """CRM > Reporting > Playbook Steps: each rule as a step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_rule = cls.add_rule(cls.email, cls.call)
        cls.quote_rule = cls.add_rule(cls.call, cls.create_quote)
        cls.Report = cls.env["sale.activity.playbook.step.report"]
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Step deal {i}",
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "user_id": cls.salesman.id,
                }
                for i in range(4)
            ]
        )

    def step(self, line, groupby=()):
        groups = self.Report._read_group(
            [("line_id", "=", line.id)],
            list(groupby),
            [f"{measure}:sum" for measure in MEASURES] + ["won_rate:avg"],
        )
        return [
            dict(zip((*groupby, *MEASURES, "won_rate"), group, strict=True))
            for group in groups
        ]

    def test_what_became_of_each_step(self):
        leads = self.leads
        for lead in leads:
            self.done(self.email, lead=lead)  # the call rule fires on each lead
        calls = [self.activities(lead, self.call) for lead in leads]
        calls[0].outcome_id = self.reached
        calls[0].action_feedback()  # on time
        with freeze_time(TODAY + timedelta(days=3)):
            calls[1].outcome_id = self.no_answer
            calls[1].action_feedback()  # late
        calls[2].action_cancel()  # cancelled
        # calls[3] stays pending
        leads[0].action_set_won()
        (step,) = self.step(self.call_rule)
        self.assertEqual(
            {measure: step[measure] for measure in MEASURES},
            {
                "fired_count": 4,
                "lead_count": 4,
                "created_count": 4,
                "done_on_time_count": 1,
                "done_late_count": 1,
                "completion_count": 2,
                "cancelled_count": 1,
                "pending_count": 1,
                "won_lead_count": 1,
            },
        )
        self.assertAlmostEqual(step["won_rate"], 25.0)
        by_outcome = {
            row["outcome_id"].name: row["completion_count"]
            for row in self.step(self.call_rule, ["outcome_id"])
            if row["outcome_id"]
        }
        self.assertEqual(by_outcome, {"Reached": 1, "No answer": 1})
        # the quote rule fired once, on the lead whose call was reached; the
        # lead was won: its quote went with the win, as Cancel on Won says
        (quote_step,) = self.step(self.quote_rule)
        self.assertEqual(quote_step["fired_count"], 2)
        self.assertEqual(quote_step["cancelled_count"], 1)

    def test_leads_won_before_the_step_do_not_count_as_won_after_it(self):
        lead = self.leads[0]
        with freeze_time(TODAY - timedelta(days=1)):
            lead.action_set_won()
        self.done(self.email, lead=lead)
        (step,) = self.step(self.call_rule)
        self.assertEqual(step["fired_count"], 1)
        self.assertEqual(step["won_lead_count"], 0)

    def test_for_sales_managers(self):
        self.assertFalse(self.Report.with_user(self.salesman).has_access("read"))
        self.assertTrue(self.Report.with_user(self.leader).has_access("read"))
        menu = self.env.ref(
            "sale_activity_playbooks.sale_activity_playbook_step_report_menu"
        )
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu, Menu.with_user(self.leader).search([]))
        self.assertNotIn(menu, Menu.with_user(self.salesman).search([]))
