# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase

QUEUE_ACTION = "sale_activity_playbooks.mail_activity_action_followups"


class PhoneCase(PlaybookTourCase):
    """A salesperson's follow-ups on three leads of a team without playbooks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            "phone_salesperson",
            groups="sales_team.group_sale_salesman",
            name="Paula Phone",
            tz="UTC",
            lang="en_US",
        )
        # a team without playbooks: a follow-up done plans nothing next
        team = cls.env["crm.team"].create(
            {"name": "Phone Team", "member_ids": [Command.link(cls.salesperson.id)]}
        )
        today = fields.Date.today()
        cls.followups = {}
        for name, xmlid, days in (
            ("Phone Call Deal", "mail.mail_activity_data_call", 0),
            ("Phone Email Deal", "mail.mail_activity_data_email", 1),
            ("Phone Todo Deal", "mail.mail_activity_data_todo", 3),
        ):
            lead = cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": team.id,
                    "user_id": cls.salesperson.id,
                    "expected_revenue": 12000,
                    "partner_id": cls.env["res.partner"]
                    .create({"name": "Pia Customer"})
                    .id,
                }
            )
            cls.followups[name] = lead.activity_schedule(
                xmlid, user_id=cls.salesperson.id, date_deadline=today + timedelta(days)
            )


@tagged("post_install", "-at_install")
class TestTourPhone(PhoneCase):
    """A salesperson on a 400 px phone works My Follow-ups: cards, the Mark
    Done popover, a bulk reschedule (static/tests/tours/phone_tours.js)."""

    browser_size = "400,800"

    def test_phone_cards_popover_and_bulk_reschedule(self):
        moved = self.followups["Phone Email Deal"] | self.followups["Phone Todo Deal"]
        deadlines = {activity: activity.date_deadline for activity in moved}
        call = self.followups["Phone Call Deal"]
        lead_id = call.res_id
        self.start_tour(
            f"/odoo/action-{QUEUE_ACTION}",
            "sale_activity_playbooks_phone",
            login="phone_salesperson",
        )
        self.assertFalse(call.exists().filtered("active"), "the call is done")
        log = self.env["sale.activity.followup.log"].search([("lead_id", "=", lead_id)])
        self.assertEqual(
            log.outcome_id, self.env.ref("sale_activity_playbooks.outcome_call_reached")
        )
        calendar = self.env["sale.activity.user.time"]._working_calendar(
            self.salesperson
        )
        later = self.env["sale.activity.playbook.line"]._add_working_days
        for activity, deadline in deadlines.items():
            self.assertEqual(activity.date_deadline, later(calendar, deadline, 1))


@tagged("post_install", "-at_install")
class TestTourSmallPhone(PhoneCase):
    """The Mark Done popover on a 360 px phone."""

    browser_size = "360,800"

    def test_mark_done_popover_fits_a_360_px_phone(self):
        call = self.followups["Phone Call Deal"]
        self.start_tour(
            f"/odoo/crm/{call.res_id}",
            "sale_activity_playbooks_phone_popover",
            login="phone_salesperson",
        )
        self.assertTrue(call.exists(), "discarded: still to do")
