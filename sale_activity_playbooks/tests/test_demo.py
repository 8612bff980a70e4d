# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import TransactionCase, tagged


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

    def test_two_teams_follow_different_playbooks(self):
        sales = self.env.ref("sales_team.team_sales_department")
        pre_sales = self.env.ref("sales_team.crm_team_1")
        self.assertIn(self.ref("playbook_standard_cadence"), sales.playbook_ids)
        self.assertIn(self.ref("playbook_website_lead"), pre_sales.playbook_ids)
        self.assertNotEqual(sales.playbook_ids, pre_sales.playbook_ids)
        self.assertIn(self.ref("user_sally"), sales.member_ids)

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
        escalated = self.followups("lead_escalated")
        self.assertEqual(escalated.activity_type_id.category, "reminder")
        self.assertTrue(escalated.escalated_on)

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
