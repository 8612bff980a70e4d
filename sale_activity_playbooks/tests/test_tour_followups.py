# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command, fields, sql_db
from odoo.tests import new_test_user, tagged

from odoo.addons.bus.websocket import WebsocketConnectionHandler

from .tour_common import PlaybookTourCase

try:  # where the test cursor lives: odoo.tests.test_cursor on 19.0
    from odoo.tests import test_cursor
except ImportError:  # odoo.sql_db on 18.0
    test_cursor = sql_db


@contextmanager
def bus_notifications_delivered():
    """Odoo's test cursor drops the post-commit hooks of the requests that
    tours make, the bus's NOTIFY among them: run them, as a real commit does,
    so that the browser receives its real-time notifications.

    The browser's websocket is allowed too: 18.0 refuses it (503) while
    ``odoo.modules.module.current_test`` is set, as Odoo's runner sets it
    and pytest-odoo does not (19.0's tours allow it themselves)."""
    commit = test_cursor.TestCursor.commit

    def commit_and_notify(cursor):
        funcs, data = list(cursor.postcommit._funcs), dict(cursor.postcommit.data)
        commit(cursor)
        for func in funcs:
            cursor.postcommit.add(func)
        cursor.postcommit.data.update(data)
        cursor.postcommit.run()

    with (
        patch.object(test_cursor.TestCursor, "commit", commit_and_notify),
        patch.object(
            WebsocketConnectionHandler, "websocket_allowed", return_value=True
        ),
    ):
        yield


@tagged("post_install", "-at_install")
class TestTourFollowups(PlaybookTourCase):
    """The chatter of a salesperson and the playbook form of a sales manager,
    driven in headless Chromium (tours in static/tests/tours/)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user_values = {"tz": "UTC", "lang": "en_US"}
        cls.salesperson = new_test_user(
            cls.env,
            "tour_salesperson",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Tom Tour",
            **user_values,
        )
        cls.owner = new_test_user(
            cls.env,
            "tour_owner",
            groups="sales_team.group_sale_salesman",
            name="Sally Owner",
            **user_values,
        )
        cls.manager = new_test_user(
            cls.env,
            "tour_manager",
            groups="sales_team.group_sale_manager",
            name="Mia Manager",
            **user_values,
        )
        cls.cadence = cls.env.ref("sale_activity_playbooks.playbook_standard_cadence")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Tour Team",
                "user_id": cls.manager.id,
                "member_ids": [Command.set((cls.salesperson | cls.owner).ids)],
                "playbook_ids": [Command.set(cls.cadence.ids)],
            }
        )
        cls.email = cls.env.ref("mail.mail_activity_data_email")
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.create_quote = cls.env.ref(
            "sale_activity_playbooks.mail_activity_type_create_quote"
        )
        cls.follow_up = cls.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up"
        )

    def create_lead(self, user):
        return self.env["crm.lead"].create(
            {
                "name": "Tour Deal",
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": user.id,
            }
        )

    def lead_activities(self, lead):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )

    def test_1_email_done_and_schedule_next_suggests_call_or_meeting(self):
        lead = self.create_lead(self.salesperson)
        self.start_tour(
            f"/odoo/crm/{lead.id}",
            "sale_activity_playbooks_done_schedule_next",
            login="tour_salesperson",
        )
        call = self.lead_activities(lead)
        self.assertEqual(len(call), 1, "the email is done, the call planned")
        self.assertRecordValues(
            call,
            [
                {
                    "activity_type_id": self.call.id,
                    "date_deadline": date(2030, 12, 4),
                    "user_id": self.salesperson.id,
                    "playbook_line_id": self.env.ref(
                        "sale_activity_playbooks.playbook_standard_cadence_email"
                    ).id,
                }
            ],
        )

    def test_2_call_done_plans_the_quote_for_the_lead_salesperson(self):
        lead = self.create_lead(self.owner)
        lead.activity_schedule(
            activity_type_id=self.call.id,
            user_id=self.salesperson.id,
            date_deadline=fields.Date.today(),
        )
        with bus_notifications_delivered():
            self.start_tour(
                f"/odoo/crm/{lead.id}",
                "sale_activity_playbooks_call_done",
                login="tour_salesperson",
            )
        quote = self.lead_activities(lead)
        self.assertRecordValues(
            quote,
            [
                {
                    "activity_type_id": self.create_quote.id,
                    "user_id": self.owner.id,
                    "date_deadline": fields.Date.today() + timedelta(days=1),
                }
            ],
        )
        self.assertIn(
            "She wants a quote for 40 chairs",
            lead.message_ids.filtered("mail_activity_type_id")[:1].body,
        )

    def test_3_due_follow_up_shows_reminder_then_escalated(self):
        lead = self.create_lead(self.salesperson)
        follow_up = lead.activity_schedule(
            activity_type_id=self.follow_up.id,
            user_id=self.salesperson.id,
            date_deadline=fields.Date.today(),
        )
        self.start_tour(
            f"/odoo/crm/{lead.id}",
            "sale_activity_playbooks_reminder_due",
            login="tour_salesperson",
        )
        self.assertFalse(follow_up.escalated_on)
        # what escalation leaves on an overdue reminder
        follow_up.write(
            {
                "date_deadline": fields.Date.today() - timedelta(days=3),
                "reminded_on": fields.Datetime.now() - timedelta(days=2),
                "escalated_on": fields.Datetime.now(),
            }
        )
        self.start_tour(
            f"/odoo/crm/{lead.id}",
            "sale_activity_playbooks_reminder_escalated",
            login="tour_salesperson",
        )
        self.assertTrue(follow_up.exists())

    def test_4_manager_creates_a_playbook_with_two_rules_for_a_team(self):
        trade_fair = self.env["crm.team"].create({"name": "Trade Fair Team"})
        self.start_tour(
            "/odoo/action-sale_activity_playbooks.sale_activity_playbook_action",
            "sale_activity_playbooks_manager_creates_playbook",
            login="tour_manager",
        )
        playbook = self.env["sale.activity.playbook"].search(
            [("name", "=", "Trade fair leads")]
        )
        self.assertEqual(playbook.team_ids, trade_fair)
        self.assertEqual(trade_fair.playbook_ids, playbook)
        self.assertEqual(
            playbook.line_ids.mapped("display_name"),
            [
                (
                    "When Meeting is marked as done, schedule Create Quote 1 day "
                    "after completion"
                ),
                (
                    "When Create Quote is marked as done, schedule Follow-up on "
                    "Quote 5 working days after its deadline"
                ),
            ],
        )
        self.assertEqual(playbook.line_ids.create_uid, self.manager)

    def test_5_manager_edits_a_rule_and_reads_its_sentence_live(self):
        self.start_tour(
            "/odoo/action-sale_activity_playbooks.sale_activity_playbook_action",
            "sale_activity_playbooks_rule_dialog",
            login="tour_manager",
        )
        # discarded: the standard cadence is as it was
        self.assertEqual(
            self.cadence.line_ids[:1].display_name,
            "When Email is marked as done, suggest Call or Meeting 2 days after its "
            "deadline",
        )
        self.assertEqual(self.cadence.rule_count, 6)

    def test_6_scheduling_tells_which_follow_up_the_playbook_planned(self):
        self.team.playbook_ids = [
            Command.set(
                self.env.ref(
                    "sale_activity_playbooks.playbook_follow_up_discipline"
                ).ids
            )
        ]
        lead = self.create_lead(self.salesperson)
        with bus_notifications_delivered():
            self.start_tour(
                f"/odoo/crm/{lead.id}",
                "sale_activity_playbooks_followup_planned",
                login="tour_salesperson",
            )
        follow_up = self.lead_activities(lead).filtered(
            lambda a: a.activity_type_id == self.follow_up
        )
        self.assertEqual(follow_up.date_deadline, date(2030, 12, 3))
