# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TODAY
from .test_outcomes import OutcomeCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestCadenceMap(OutcomeCase):
    """The playbook as a map: activity types as nodes, one arrow per rule,
    exits, and the step report's figures on the arrows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_rule = cls.add_rule(cls.email, cls.call, delay_count=2)
        cls.retry_rule = cls.add_rule(
            cls.call,
            cls.call,
            outcome_ids=[Command.set(cls.no_answer.ids)],
            repeat_limit=3,
            delay_count=1,
            delay_unit="working_days",
        )
        cls.suggest_rule = cls.add_rule(
            cls.call, cls.meeting | cls.create_quote, chaining_type="suggest"
        )
        cls.stop_rule = cls.add_rule(
            cls.call,
            cls.env["mail.activity.type"],
            chaining_type="stop",
            outcome_ids=[Command.set(cls.not_interested.ids)],
        )
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.playbook.write({"stop_stage_id": cls.won_stage.id, "stop_on_reply": True})

    def edges(self, cadence_map):
        return {edge["rule"]: edge for edge in cadence_map["edges"]}

    def test_types_are_nodes_rules_are_arrows_stops_are_exits(self):
        cadence_map = self.playbook.with_user(self.leader).get_cadence_map()
        nodes = {node["id"]: node for node in cadence_map["nodes"]}
        self.assertEqual(
            set(nodes),
            {
                f"type_{self.email.id}",
                f"type_{self.call.id}",
                f"type_{self.meeting.id}",
                f"type_{self.create_quote.id}",
                "exit_stop",
                "exit_goal",
                "exit_reply",
            },
        )
        self.assertEqual(nodes[f"type_{self.call.id}"]["label"], self.call.name)
        self.assertEqual(nodes["exit_goal"]["kind"], "exit")
        self.assertIn(self.won_stage.name, nodes["exit_goal"]["label"])
        edges = self.edges(cadence_map)
        self.assertEqual(len(cadence_map["edges"]), 4, "one arrow per rule")
        call, retry = edges[self.call_rule.id], edges[self.retry_rule.id]
        self.assertEqual(call["source"], f"type_{self.email.id}")
        self.assertEqual(call["targets"], [f"type_{self.call.id}"])
        self.assertEqual(call["label"], "2 days")
        self.assertFalse(call["dashed"])
        self.assertEqual(retry["targets"], [retry["source"]], "a loop")
        self.assertEqual(retry["label"], "No answer · 1 working day · at most 3 times")
        suggest = edges[self.suggest_rule.id]
        self.assertTrue(suggest["dashed"])
        self.assertEqual(
            suggest["targets"],
            [f"type_{self.meeting.id}", f"type_{self.create_quote.id}"],
        )
        stop = edges[self.stop_rule.id]
        self.assertTrue(stop["stop"])
        self.assertEqual(stop["targets"], ["exit_stop"])
        self.assertEqual(stop["label"], "Not interested")

    def test_company_reply_and_meeting_are_exits_when_set(self):
        nodes = {n["id"] for n in self.playbook.get_cadence_map()["nodes"]}
        self.assertFalse(nodes & {"exit_company_reply", "exit_meeting"})
        self.playbook.write({"stop_on_company_reply": True, "stop_on_meeting": True})
        nodes = {n["id"] for n in self.playbook.get_cadence_map()["nodes"]}
        self.assertLessEqual({"exit_company_reply", "exit_meeting"}, nodes)

    def test_figures_of_the_step_report_for_the_period(self):
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Map deal {i}",
                    "team_id": self.team.id,
                    "type": "opportunity",
                }
                for i in range(3)
            ]
        )
        for lead in leads:
            self.done(self.email, lead=lead)  # the call rule fires on each
        self.activities(leads[0], self.call).action_feedback()
        leads[0].action_set_won()
        playbook = self.playbook.with_user(self.leader)
        cadence_map = playbook.get_cadence_map()
        self.assertTrue(cadence_map["figures"])
        figures = self.edges(cadence_map)[self.call_rule.id]["figures"]
        self.assertEqual(
            figures,
            {"fired": 3, "done_on_time": 1, "won_after": 1, "won_rate": 33.3},
        )
        # the same figures as the step report's
        (report,) = self.env["sale.activity.playbook.step.report"]._read_group(
            [("line_id", "=", self.call_rule.id)], [], ["fired_count:sum"]
        )
        self.assertEqual(report[0], figures["fired"])
        self.assertEqual(
            self.edges(cadence_map)[self.retry_rule.id]["figures"]["fired"], 0
        )
        later = playbook.get_cadence_map(date_from=TODAY + timedelta(days=1))
        self.assertEqual(self.edges(later)[self.call_rule.id]["figures"]["fired"], 0)
        period = playbook.get_cadence_map(
            date_from=str(TODAY - timedelta(days=30)), date_to=str(TODAY)
        )
        self.assertEqual(self.edges(period)[self.call_rule.id]["figures"], figures)
        # the step report's filters, as its Map button passes them
        one_lead = playbook.get_cadence_map(domain=[("lead_id", "=", leads[1].id)])
        self.assertEqual(self.edges(one_lead)[self.call_rule.id]["figures"]["fired"], 1)

    def test_salespeople_see_the_map_without_figures(self):
        cadence_map = self.playbook.with_user(self.salesman).get_cadence_map()
        self.assertEqual(len(cadence_map["edges"]), 4)
        self.assertFalse(cadence_map["figures"])
        self.assertFalse(cadence_map["edges"][0]["figures"])
        portal = new_test_user(self.env, "map_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.playbook.with_user(portal).get_cadence_map()

    def test_empty_playbook(self):
        empty = self.env["sale.activity.playbook"].create({"name": "Empty"})
        self.assertEqual(
            empty.with_user(self.leader).get_cadence_map(),
            {"nodes": [], "edges": [], "figures": True},
        )

    def test_unsaved_rules_are_drawn(self):
        """The form sends its rules as they are, the unsaved ones too."""
        draft = {
            "rules": [
                {
                    "key": self.call_rule.id,
                    "activity_type_id": self.email.id,
                    "next_type_ids": [self.call.id],
                    "trigger_on": "done",
                    "chaining_type": "trigger",
                    "delay_count": 3,
                    "delay_unit": "days",
                },
                {
                    "key": "virtual_12",
                    "activity_type_id": self.meeting.id,
                    "next_type_ids": [self.todo.id],
                    "chaining_type": "suggest",
                },
            ],
            "stop_stage_id": False,
            "stop_on_meeting": True,
        }
        cadence_map = self.playbook.with_user(self.leader).get_cadence_map(draft=draft)
        edges = self.edges(cadence_map)
        self.assertEqual(edges[self.call_rule.id]["label"], "3 days")
        self.assertEqual(edges["virtual_12"]["source"], f"type_{self.meeting.id}")
        self.assertEqual(edges["virtual_12"]["targets"], [f"type_{self.todo.id}"])
        self.assertTrue(edges["virtual_12"]["dashed"])
        self.assertEqual(edges["virtual_12"]["figures"]["fired"], 0)
        nodes = {node["id"] for node in cadence_map["nodes"]}
        self.assertIn("exit_meeting", nodes)
        self.assertNotIn("exit_goal", nodes)
        with self.assertRaisesRegex(UserError, "could not read the playbook's rules"):
            self.playbook.get_cadence_map(draft={"rules": [{"next_type_ids": ["x"]}]})

    def test_bad_input_is_refused_with_a_sentence(self):
        Playbook = self.env["sale.activity.playbook"].with_user(self.leader)
        other = self.playbook.copy()
        for playbooks, message in (
            (Playbook.browse("a"), "named by their ids"),
            (Playbook, "works on one"),
            (self.playbook | other, "works on one"),
            (Playbook.browse(2**31 - 7), "with the id"),
        ):
            with self.assertRaisesRegex(UserError, message):
                playbooks.get_cadence_map()
        playbook = self.playbook.with_user(self.leader)
        for kwargs in (
            {"date_from": "last week"},
            {"date_to": 12},
            {"domain": [("no_such_field", "=", 1)]},
            {"domain": "all"},
        ):
            with self.assertRaisesRegex(UserError, "period or filters could not"):
                playbook.get_cadence_map(**kwargs)
        # a new playbook (no record yet) draws its draft
        new_map = Playbook.get_cadence_map(draft={"rules": [], "stop_on_reply": True})
        self.assertEqual([node["id"] for node in new_map["nodes"]], ["exit_reply"])

    def count_queries(self, playbook):
        """The queries of the map on its data (the registry's caches of
        access rules and users aside: they fill when they please)."""
        self.env.invalidate_all()
        queries = []
        cursor = type(self.env.cr)
        execute = cursor.execute

        def spy(cr, query, *args, **kwargs):
            queries.append(str(query))
            return execute(cr, query, *args, **kwargs)

        with patch.object(cursor, "execute", spy):
            playbook.get_cadence_map()
        caches = ('"ir_rule"', "ir_rule r", "res_groups", "ir_model_access")
        caches += ('FROM "res_users"', 'FROM "res_company"')
        return len([q for q in queries if not any(t in q for t in caches)])

    def test_one_query_for_all_the_rules(self):
        """Twenty rules cost what four cost: no query per rule."""
        playbook = self.playbook.with_user(self.leader)
        four_rules = self.count_queries(playbook)
        types = self.email | self.call | self.meeting | self.todo | self.upload
        self.add_rule(
            self.call, self.todo, outcome_ids=[Command.set(self.voicemail.ids)]
        )
        for i in range(15):
            self.add_rule(types[i % 5], types[(i + 1) % 5], repeat_limit=i)
        self.assertEqual(len(playbook.line_ids), 20)
        # not one more (one less here: the types that only start rules are
        # read with the next types when every type is also a next one)
        self.assertLessEqual(self.count_queries(playbook), four_rules)

    def test_the_step_report_opens_the_map_with_its_filters(self):
        Report = self.env["sale.activity.playbook.step.report"].with_user(self.leader)
        for bad in ("all", [("no_such_field", "=", 1)]):
            with self.assertRaisesRegex(UserError, "filters could not be read"):
                Report.action_open_cadence_map(bad)
        domain = [("playbook_id", "=", self.playbook.id)]
        with self.assertRaisesRegex(UserError, "No playbook step matches"):
            Report.action_open_cadence_map(domain)
        self.done(self.email)  # the call rule fires
        action = Report.action_open_cadence_map(domain)
        self.assertEqual(action["res_model"], "sale.activity.playbook")
        self.assertEqual(action["res_id"], self.playbook.id)
        self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(action["context"], {"sap_cadence_map_domain": domain})
        other = self.playbook.copy({"name": "Other cadence"})
        self.add_rule(self.email, self.call, playbook=other)
        self.done(self.email, lead=self.plain_lead)  # no playbook
        other.team_ids = self.plain_team
        self.done(self.email, lead=self.plain_lead)
        both = self.playbook | other
        action = Report.action_open_cadence_map([("playbook_id", "in", both.ids)])
        self.assertEqual(action["domain"], [("id", "in", both.ids)])
        self.assertFalse(action.get("res_id"))
