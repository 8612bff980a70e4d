# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY
from .send_common import SendCase
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
        # the menus a user sees (18.0's search() filtered them, 19.0's does not)
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.leader)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.salesman)._visible_menu_ids())


# Wednesday 25 and Thursday 26 November 2026, UTC: inside the customer's
# sending hours (New York, 9:00 to 17:00)
SENT = datetime(2026, 11, 25, 15, 0)
SENT_NEXT_DAY = datetime(2026, 11, 26, 15, 0)


@tagged("post_install", "-at_install")
class TestStepReportEmails(SendCase):
    """The emails that a step sent automatically: how many, how many the
    customer answered before the lead's next automated email, how many
    bounced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Email deal {i}",
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "user_id": cls.salesman.id,
                    "partner_id": cls.customer.id,
                }
                for i in range(2)
            ]
        )

    def email_sent(self, lead, at):
        """The rule's email of ``lead``, sent at ``at``: the follow-up done,
        its log row says when its email went out (as the send cron writes)."""
        with freeze_time(at):
            email = self.call_not_answered(lead, deadline=at.date())
            email.action_done()
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", lead.id), ("playbook_line_id", "=", self.send_rule.id)],
            limit=1,
        )
        log.email_sent_at = at
        return log

    def message(self, lead, at, author, message_type="email"):
        with freeze_time(at):
            lead.message_post(
                body="About your email", author_id=author.id, message_type=message_type
            )

    def emails(self, groupby=()):
        groups = self.env["sale.activity.playbook.step.report"]._read_group(
            [("line_id", "=", self.send_rule.id)],
            list(groupby),
            ["emails_sent:sum", "emails_replied:sum", "emails_bounced:sum"],
        )
        return {group[: len(groupby)]: group[len(groupby) :] for group in groups}

    def test_emails_sent_replied_before_the_next_one_and_bounced(self):
        replied, answered_later, bounced = self.lead, *self.other_leads
        employee = self.salesman.partner_id
        self.email_sent(replied, SENT)
        self.message(replied, SENT + timedelta(hours=1), self.customer)
        # the customer writes after the first email, but only after the next
        # automated one: a reply to the second, not to the first
        self.email_sent(answered_later, SENT)
        self.message(answered_later, SENT + timedelta(hours=1), employee)
        self.message(
            answered_later, SENT + timedelta(hours=2), self.customer, "comment"
        )
        self.email_sent(answered_later, SENT_NEXT_DAY)
        self.message(answered_later, SENT_NEXT_DAY + timedelta(hours=1), self.customer)
        # an email before the automated one answers nothing
        self.message(bounced, SENT - timedelta(hours=1), self.customer)
        self.email_sent(bounced, SENT).email_bounced = True
        self.assertEqual(self.emails(), {(): (4, 2, 1)})
        self.assertEqual(
            self.emails(["lead_id", "date:day"]),
            {
                (replied, SENT.date()): (1, 1, 0),
                (answered_later, SENT.date()): (1, 0, 0),
                (answered_later, SENT_NEXT_DAY.date()): (1, 1, 0),
                (bounced, SENT.date()): (1, 0, 1),
            },
        )

    def test_an_email_done_by_hand_was_not_sent(self):
        with freeze_time(SENT):
            self.call_not_answered().action_done()
        self.assertEqual(self.emails(), {(): (0, 0, 0)})
        (step,) = self.env["sale.activity.playbook.step.report"]._read_group(
            [("line_id", "=", self.send_rule.id)], [], ["completion_count:sum"]
        )
        self.assertEqual(step, (1,))
