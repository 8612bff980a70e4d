# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """The story that the demo database tells (the test database has demo
    data)."""

    def ref(self, xmlid):
        return self.env.ref(f"sale_activity_playbooks.{xmlid}")

    def followups(self, lead_xmlid):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.ref(lead_xmlid).id)]
        )

    def test_teams_follow_the_cadence_or_work_website_leads(self):
        sales = self.env.ref("sales_team.team_sales_department")
        pre_sales = self.env.ref("sales_team.crm_team_1")
        website = self.env.ref("sales_team.salesteam_website_sales")
        cadence = self.ref("playbook_standard_cadence")
        self.assertIn(cadence, sales.playbook_ids)
        self.assertIn(cadence, pre_sales.playbook_ids)
        self.assertIn(self.ref("playbook_website_lead"), website.playbook_ids)
        self.assertNotIn(cadence, website.playbook_ids)
        self.assertIn(self.ref("user_sally"), sales.member_ids)
        # the demo salesperson of Odoo (login demo) works in Pre-Sales
        self.assertIn(self.env.ref("base.user_demo"), pre_sales.member_ids)
        for team in (sales, pre_sales, website):
            self.assertEqual(team.user_id, self.env.ref("base.user_admin"))

    def test_the_readme_tells_that_website_leads_wait_for_the_website_team(self):
        # Odoo archives its Website team (eCommerce restores it): the README
        # must not say that the team works with the Website lead playbook
        website = self.env.ref("sales_team.salesteam_website_sales")
        self.assertFalse(website.active)
        followed = self.env["sale.activity.playbook"]._followed_playbooks()
        self.assertNotIn(self.ref("playbook_website_lead"), followed)
        with file_open("sale_activity_playbooks/readme/USAGE.md") as usage:
            text = " ".join(usage.read().split())
        self.assertNotIn("the *Website* team works website requests", text)
        self.assertIn("Odoo keeps archived until an app such as *eCommerce*", text)

    def test_leads_at_every_step_of_the_playbooks(self):
        today = fields.Date.context_today(self.env["crm.lead"])
        cadence = self.ref("playbook_standard_cadence")
        steps = {
            "lead_email": "mail.mail_activity_data_email",
            "lead_call": "mail.mail_activity_data_call",
            "lead_quote": "sale_activity_playbooks.mail_activity_type_create_quote",
            "lead_overdue": (
                "sale_activity_playbooks.mail_activity_type_follow_up_quote"
            ),
            "lead_web_call": "mail.mail_activity_data_call",
            "lead_web_upload": "mail.mail_activity_data_upload_document",
            "lead_web_signature": (
                "sale_activity_playbooks.mail_activity_type_request_signature"
            ),
            "lead_demo_email": "mail.mail_activity_data_email",
            "lead_demo_call": "mail.mail_activity_data_call",
            "lead_demo_quote": (
                "sale_activity_playbooks.mail_activity_type_create_quote"
            ),
            "lead_demo_overdue": "sale_activity_playbooks.mail_activity_type_follow_up",
            "lead_demo_escalated": (
                "sale_activity_playbooks.mail_activity_type_follow_up_quote"
            ),
        }
        for lead, activity_type in steps.items():
            with self.subTest(lead=lead):
                self.assertIn(
                    self.env.ref(activity_type),
                    self.followups(lead).activity_type_id,
                )
        # scheduling the email planned its follow-up (Follow-up discipline)
        self.assertIn(
            self.ref("mail_activity_type_follow_up"),
            self.followups("lead_email").activity_type_id,
        )
        self.assertEqual(
            self.followups("lead_call").playbook_id,
            cadence,
            "the call was suggested by the standard cadence",
        )
        overdue = self.followups("lead_overdue")
        self.assertLess(overdue.date_deadline, today)
        self.assertTrue(overdue.reminded_on)
        self.assertFalse(overdue.escalated_on)
        for lead in ("lead_escalated", "lead_demo_escalated"):
            escalated = self.followups(lead)
            self.assertEqual(escalated.activity_type_id.category, "reminder")
            self.assertTrue(escalated.escalated_on)

    def test_escalated_follow_ups_have_the_note_the_escalation_writes(self):
        Digest = self.env["sale.activity.reminder.digest"]
        for xmlid in ("lead_escalated", "lead_demo_escalated"):
            with self.subTest(lead=xmlid):
                lead = self.ref(xmlid)
                escalated = self.followups(xmlid)
                demo_note = lead.message_ids.filtered(
                    lambda m: "escalated to" in (m.body or "")
                )
                self.assertEqual(len(demo_note), 1)
                # what the cron writes for the same follow-up and moment
                with self.env.cr.savepoint(flush=False) as savepoint:
                    when = escalated.escalated_on
                    escalated.sudo().escalated_on = False
                    Digest._escalate(escalated, when)
                    note = lead.message_ids[:1]
                    self.assertNotEqual(note, demo_note)
                    self.assertEqual(note.body, demo_note.body)
                    self.assertEqual(note.author_id, demo_note.author_id)
                    self.assertEqual(note.subtype_id, demo_note.subtype_id)
                    savepoint.rollback()

    def test_demo_salesperson_walks_the_whole_flow(self):
        """Marc Demo (login demo): his queue, Done & Schedule Next, a
        triggered follow-up."""
        demo = self.env.ref("base.user_demo")
        Activity = self.env["mail.activity"].with_user(demo)
        queue = Activity.search(
            [("res_model", "=", "crm.lead"), ("user_id", "=", demo.id)],
            order="state, lead_expected_revenue desc, date_deadline, id",
        )
        overdue = queue.filtered(lambda a: a.state == "overdue")
        self.assertIn(self.followups("lead_demo_escalated"), overdue)
        self.assertIn(self.followups("lead_demo_overdue"), overdue)
        self.assertEqual(queue[: len(overdue)], overdue, "overdue first")
        # the email suggests a call or a meeting (Done & Schedule Next)...
        email = self.followups("lead_demo_email").filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("mail.mail_activity_data_email")
            )
        )
        self.assertTrue(email.with_user(demo).action_feedback_schedule_next())
        # ...and the call done plans the quote, for him
        call = self.followups("lead_demo_call")
        call.with_user(demo).action_feedback()
        quote = self.followups("lead_demo_call")
        self.assertEqual(
            quote.activity_type_id, self.ref("mail_activity_type_create_quote")
        )
        self.assertEqual(quote.user_id, demo)

    def test_neglected_high_value_opportunity(self):
        lead = self.ref("lead_neglected")
        cadence = self.ref("playbook_standard_cadence")
        self.assertFalse(lead.activity_ids)
        self.assertGreaterEqual(lead.expected_revenue, cadence.neglect_min_revenue)
        self.assertTrue(cadence.neglect_days)
        last_news = max(lead.message_ids.mapped("date"))
        self.assertGreater(
            (fields.Datetime.now() - last_news).days, cadence.neglect_days
        )

    def test_report_shows_each_measure(self):
        totals = self.env["sale.activity.followup.report"]._read_group(
            [],
            [],
            [
                "planned_count:sum",
                "today_count:sum",
                "overdue_count:sum",
                "escalated_count:sum",
                "done_on_time_count:sum",
                "done_late_count:sum",
            ],
        )[0]
        self.assertTrue(all(totals), totals)
