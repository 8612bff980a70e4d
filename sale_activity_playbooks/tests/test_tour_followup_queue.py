# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

import pytz

from odoo import fields
from odoo.tests import tagged

from .test_my_followups import QUEUE_ACTION, FollowupQueueCase
from .tour_common import PlaybookTourCase


@tagged("post_install", "-at_install")
class TestTourFollowupQueue(PlaybookTourCase, FollowupQueueCase):
    """My Follow-ups, the team's overdue follow-ups and the follow-up report,
    driven in headless Chromium at 1400 px (tours in
    static/tests/tours/followup_queue_tours.js)."""

    browser_size = "1400,900"
    # the browser's today (the salespeople work in Brussels); Follow-ups are
    # Reminders: the report shows them too
    queue_today = datetime.now(pytz.timezone("Europe/Brussels")).date()
    queue_type_xmlid = "sale_activity_playbooks.mail_activity_type_follow_up"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rule = cls.add_rule(cls.email, cls.follow_up)
        overdue_big = cls.Activity.search(
            [("res_id", "=", cls.queue_leads["Overdue big"].id)]
        )
        overdue_big.sudo().write(
            {"playbook_line_id": rule.id, "reminded_on": fields.Datetime.now()}
        )

    def queue_activity(self, name):
        return self.Activity.search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.queue_leads[name].id)]
        )

    def test_1_salesperson_works_the_queue(self):
        later_big = self.queue_activity("Later big")
        deadline = later_big.date_deadline
        self.start_tour(
            f"/odoo/action-{QUEUE_ACTION}",
            "sale_activity_playbooks_my_followups",
            login="pb_salesman",
        )
        self.assertFalse(self.queue_activity("Overdue big"))
        self.assertFalse(self.queue_activity("Today small"))
        self.assertIn(
            "Both called back", self.queue_leads["Overdue big"].message_ids[0].body
        )
        self.assertEqual(
            later_big.date_deadline,
            self.env["sale.activity.playbook.line"]._add_working_days(
                self.calendar, deadline, 2
            ),
        )

    def test_2_team_leader_opens_the_team_s_overdue_follow_ups(self):
        self.schedule(
            self.follow_up, user=self.clicker, deadline=self.queue_today - timedelta(1)
        )
        self.start_tour(
            f"/odoo/action-sales_team.crm_team_action_config/{self.team.id}",
            "sale_activity_playbooks_team_overdue_followups",
            login="pb_leader",
        )
        self.assertEqual(
            self.activities(activity_type=self.follow_up).user_id, self.salesman
        )

    def test_3_report_list_opens_leads_and_marks_follow_ups_done(self):
        self.start_tour(
            "/odoo/action-sale_activity_playbooks.sale_activity_followup_report_action"
            "?view_type=list",
            "sale_activity_playbooks_report_list",
            login="pb_leader",
        )
        self.assertFalse(self.queue_activity("Today big"))
