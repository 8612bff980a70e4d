# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase

_logger = logging.getLogger(__name__)


class _MapTimings(logging.Handler):
    """What the tour printed of the map's timings (browser console.log)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages = []

    def emit(self, record):
        if "cadence map of" in record.getMessage():
            self.messages.append(record.getMessage())


class CadenceMapTourCase(PlaybookTourCase):
    """A sales manager, and playbooks to draw."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "map_manager",
            groups="sales_team.group_sale_manager",
            name="Mia Manager",
            tz="UTC",
            lang="en_US",
        )
        ref = cls.env.ref
        cls.email = ref("mail.mail_activity_data_email")
        cls.call = ref("mail.mail_activity_data_call")
        cls.meeting = ref("mail.mail_activity_data_meeting")
        cls.won = ref("crm.stage_lead4")

    def playbook_url(self, playbook):
        return (
            "/odoo/action-sale_activity_playbooks.sale_activity_playbook_action/"
            f"{playbook.id}"
        )

    def map_cadence(self):
        """Email, then Call; Call again on no answer; Meeting suggested; a stop."""
        ref = self.env.ref
        rule = {"activity_type_id": self.call.id}
        return self.env["sale.activity.playbook"].create(
            {
                "name": "Map cadence",
                "stop_stage_id": self.won.id,
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.email.id,
                            "next_type_ids": [Command.set(self.call.ids)],
                            "delay_count": 2,
                        }
                    ),
                    Command.create(
                        {
                            **rule,
                            "outcome_ids": [
                                Command.set(
                                    ref(
                                        "sale_activity_playbooks.outcome_call_no_answer"
                                    ).ids
                                )
                            ],
                            "next_type_ids": [Command.set(self.call.ids)],
                            "repeat_limit": 3,
                        }
                    ),
                    Command.create(
                        {
                            **rule,
                            "chaining_type": "suggest",
                            "next_type_ids": [Command.set(self.meeting.ids)],
                        }
                    ),
                    Command.create(
                        {
                            **rule,
                            "chaining_type": "stop",
                            "outcome_ids": [
                                Command.set(
                                    ref(
                                        "sale_activity_playbooks.outcome_call_not_interested"
                                    ).ids
                                )
                            ],
                        }
                    ),
                ],
            }
        )

    def fire_the_email_rule(self, playbook):
        """On two leads, 200 days ago: one call done on time, its lead won."""
        team = self.env["crm.team"].create(
            {
                "name": "Map Team",
                "member_ids": [Command.link(self.manager.id)],
                "playbook_ids": [Command.link(playbook.id)],
            }
        )
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Map deal {i}",
                    "type": "opportunity",
                    "team_id": team.id,
                    "user_id": self.manager.id,
                }
                for i in range(2)
            ]
        )
        for lead in leads:
            lead.activity_schedule(
                activity_type_id=self.email.id,
                user_id=self.manager.id,
                date_deadline=fields.Date.today(),
            ).action_feedback()
        leads[0].activity_ids.filtered(
            lambda a: a.activity_type_id == self.call
        ).action_feedback()
        leads[0].action_set_won()
        long_ago = fields.Datetime.now() - timedelta(days=200)
        self.env["sale.activity.playbook.firing"].search(
            [("playbook_id", "=", playbook.id)]
        ).write({"date": long_ago})
        self.env["sale.activity.followup.log"].search(
            [("playbook_id", "=", playbook.id)]
        ).write({"date_done": long_ago.date()})


@tagged("post_install", "-at_install")
class TestTourCadenceMap(CadenceMapTourCase):
    """A sales manager reads a playbook as a map, and opens a rule from its
    arrow (tours in static/tests/tours/cadence_map_tours.js)."""

    def test_1_a_playbook_as_a_map(self):
        playbook = self.map_cadence()
        self.fire_the_email_rule(playbook)
        self.start_tour(
            self.playbook_url(playbook),
            "sale_activity_playbooks_cadence_map",
            login="map_manager",
        )

    def test_2_the_step_report_opens_the_map(self):
        playbook = self.map_cadence()
        self.fire_the_email_rule(playbook)
        self.start_tour(
            "/odoo/action-sale_activity_playbooks.sale_activity_playbook_step_report_action",
            "sale_activity_playbooks_step_report_map",
            login="map_manager",
        )


@tagged("post_install", "-at_install")
class TestTourCadenceMapPhone(CadenceMapTourCase):
    """Twenty rules on a 400 px phone: the map is drawn whole, and scrolls."""

    browser_size = "400,800"

    def test_twenty_rules_drawn_and_timed_on_a_phone(self):
        types = self.env["mail.activity.type"].search(
            [("res_model", "in", (False, "crm.lead"))], limit=6
        )
        self.assertGreaterEqual(len(types), 5)
        playbook = self.env["sale.activity.playbook"].create(
            {
                "name": "Twenty rules",
                "stop_stage_id": self.won.id,
                "stop_on_reply": True,
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": types[i % len(types)].id,
                            "next_type_ids": [
                                Command.set(types[(i + 1 + i // 6) % len(types)].ids)
                            ],
                            "chaining_type": ("trigger", "suggest")[i % 2],
                            "delay_count": i,
                            "repeat_limit": i % 4,
                        }
                    )
                    for i in range(20)
                ],
            }
        )
        timings = _MapTimings()
        browser = logging.getLogger(f"{__name__}.{type(self).__name__}")
        browser.addHandler(timings)
        try:
            self.start_tour(
                self.playbook_url(playbook),
                "sale_activity_playbooks_cadence_map_20_rules",
                login="map_manager",
            )
        finally:
            browser.removeHandler(timings)
        for message in timings.messages:  # printed, not asserted
            _logger.info("%s", message)
