# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, PlaybookCase

# TODAY is a Wednesday: one working day later is the Thursday.
THURSDAY = TODAY.replace(day=26)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestStart(PlaybookCase):
    """Starting a playbook on leads: start rules, the wizard, the automatic
    start on new leads, once per lead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_rule = cls.add_start_rule(cls.call, delay_unit="working_days")
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Lead {index}",
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "user_id": cls.salesman.id,
                }
                for index in range(3)
            ]
        )

    @classmethod
    def add_start_rule(cls, next_types, playbook=None, **values):
        return cls.env["sale.activity.playbook.line"].create(
            {
                "playbook_id": (playbook or cls.playbook).id,
                "trigger_on": "start",
                "next_type_ids": [Command.set(next_types.ids)],
                "delay_count": 1,
                **values,
            }
        )

    def start(self, leads, playbook=None, user=None):
        wizard = (
            self.env["sale.activity.playbook.start"]
            .with_user(user or self.salesman)
            .with_context(**leads.action_start_playbook()["context"])
            .create({"playbook_id": (playbook or self.playbook).id})
        )
        return wizard, wizard.action_start()["params"]["message"]

    def calls(self, leads):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("activity_type_id", "=", self.call.id),
            ]
        )

    # 1. the wizard plans the start rules' activities, and says what it skipped
    def test_wizard_starts_on_leads_and_names_skipped(self):
        won = self.lead
        won.action_set_won()
        leads = self.leads | self.plain_lead | won
        _wizard, message = self.start(leads)
        calls = self.calls(leads)
        self.assertEqual(calls.mapped("res_id"), self.leads.ids)
        self.assertEqual(set(calls.mapped("date_deadline")), {THURSDAY})
        self.assertEqual(calls.user_id, self.salesman)
        self.assertEqual(calls.playbook_line_id, self.start_rule)
        self.assertIn("started on 3 leads", message)
        self.assertIn("Plain Deal (another team)", message)
        self.assertIn("Big Deal (lost or won)", message)

    def test_wizard_counts_leads_to_start_before_it_runs(self):
        context = (self.leads | self.plain_lead).action_start_playbook()["context"]
        wizard = (
            self.env["sale.activity.playbook.start"]
            .with_user(self.salesman)
            .with_context(**context)
            .create({})
        )
        # the only playbook with start rules that their teams follow
        self.assertEqual(wizard.playbook_id, self.playbook)
        self.assertEqual(wizard.start_count, 3)
        self.assertFalse(self.calls(self.leads))

    def test_paused_lead_is_skipped(self):
        self.leads[0].playbook_paused_until = THURSDAY
        _wizard, message = self.start(self.leads)
        self.assertEqual(len(self.calls(self.leads)), 2)
        self.assertIn("Lead 0 (paused)", message)

    def test_action_opens_wizard_on_selection(self):
        action = self.leads.action_start_playbook()
        self.assertEqual(action["res_model"], "sale.activity.playbook.start")
        self.assertEqual(
            action["context"]["default_lead_ids"], [Command.set(self.leads.ids)]
        )
        server_action = self.env.ref("sale_activity_playbooks.action_start_playbook")
        self.assertEqual(server_action.binding_model_id.model, "crm.lead")

    def test_several_start_rules_and_responsible(self):
        self.add_start_rule(
            self.email, delay_count=0, responsible="team_leader", sequence=20
        )
        self.add_start_rule(self.meeting, responsible="activity_user")
        self.start(self.leads[:1])
        activities = self.activities(self.leads[0])
        self.assertEqual(
            {(a.activity_type_id, a.user_id, a.date_deadline) for a in activities},
            {
                (self.call, self.salesman, THURSDAY),
                (self.email, self.leader, TODAY),
                # no activity to take the assignee of: the lead's salesperson
                (self.meeting, self.salesman, TODAY.replace(day=26)),
            },
        )

    # 2. only once
    def test_second_start_plans_nothing_and_says_so(self):
        self.start(self.leads)
        self.calls(self.leads).unlink()
        _wizard, message = self.start(self.leads[:1])
        self.assertFalse(self.calls(self.leads))
        self.assertIn("started on 0 leads", message)
        self.assertIn("Lead 0 (already started)", message)

    def test_a_start_that_finds_its_call_planned_is_a_start_too(self):
        lead = self.leads[:1]
        planned = self.schedule(self.call, lead=lead, user=lead.user_id)
        _wizard, message = self.start(lead)
        self.assertIn("started on 1 leads", message)
        self.assertEqual(self.calls(lead), planned, "no second Call")
        planned.unlink()
        _wizard, message = self.start(lead)
        self.assertIn("already started", message)
        self.assertFalse(self.calls(lead))

    def test_start_is_a_firing(self):
        self.start(self.leads)
        firings = self.env["sale.activity.playbook.firing"].search(
            [("line_id", "=", self.start_rule.id)]
        )
        self.assertEqual(firings.lead_id, self.leads)
        self.assertEqual(firings.playbook_id, self.playbook)

    def test_playbook_without_start_rule_is_refused(self):
        other = self.env["sale.activity.playbook"].create(
            {"name": "No start", "team_ids": [Command.link(self.team.id)]}
        )
        with self.assertRaisesRegex(UserError, "has no start rule"):
            self.start(self.leads, playbook=other)

    # 3. automatic start on new leads matching the domain
    def test_new_leads_matching_domain_start(self):
        website = self.env["utm.source"].create({"name": "Website form"})
        other_source = self.env["utm.source"].create({"name": "Trade fair"})
        self.playbook.write(
            {
                "start_on_new_leads": True,
                "start_domain": f"[('source_id', '=', {website.id})]",
            }
        )
        web_lead, fair_lead, plain = self.env["crm.lead"].create(
            [
                {
                    "name": "From the website",
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                    "source_id": website.id,
                },
                {
                    "name": "From the fair",
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                    "source_id": other_source.id,
                },
                {
                    "name": "Other team",
                    "team_id": self.plain_team.id,
                    "user_id": self.salesman.id,
                    "source_id": website.id,
                },
            ]
        )
        self.assertEqual(self.calls(web_lead).date_deadline, THURSDAY)
        self.assertFalse(self.calls(fair_lead | plain))

    def test_new_lead_without_autostart_costs_no_query(self):
        Playbook = self.env["sale.activity.playbook"]
        self.assertFalse(Playbook._get_autostart_team_ids())
        with self.assertQueryCount(0):
            Playbook._get_autostart_team_ids()
        lead = self.env["crm.lead"].create(
            {"name": "New", "team_id": self.team.id, "user_id": self.salesman.id}
        )
        self.assertFalse(self.calls(lead))
        # the cached team ids follow the playbooks
        self.playbook.start_on_new_leads = True
        self.assertEqual(Playbook._get_autostart_team_ids(), {self.team.id})

    # 8. bad input
    def test_start_rule_with_activity_type_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "it has no activity type"):
            self.add_start_rule(self.call, activity_type_id=self.email.id)
        with self.assertRaisesRegex(ValidationError, "it has no activity type"):
            self.start_rule.activity_type_id = self.email

    def test_start_rule_with_outcomes_is_refused(self):
        outcome = self.env["sale.activity.outcome"].search([], limit=1)
        with self.assertRaisesRegex(ValidationError, "a start rule cannot depend"):
            self.start_rule.outcome_ids = outcome

    def test_start_rule_that_suggests_or_stops_is_refused(self):
        for chaining_type in ("suggest", "stop"):
            with self.assertRaisesRegex(ValidationError, "cannot suggest them"):
                self.start_rule.write(
                    {"chaining_type": chaining_type, "next_type_ids": False}
                    if chaining_type == "stop"
                    else {"chaining_type": chaining_type}
                )

    def test_other_rule_needs_activity_type(self):
        with self.assertRaisesRegex(ValidationError, "Choose the activity type"):
            self.add_rule(self.env["mail.activity.type"], self.call)
        with self.assertRaisesRegex(ValidationError, "Choose the activity type"):
            self.start_rule.trigger_on = "done"

    def test_database_requires_activity_type_but_for_start_rules(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.cr.savepoint(),
        ):
            self.cr.execute(
                "UPDATE sale_activity_playbook_line SET trigger_on = 'done' "
                "WHERE id = %s",
                [self.start_rule.id],
            )

    def test_malformed_domain_is_refused(self):
        for domain in ("[('nope', '=', 1)]", "[(", "42"):
            with self.assertRaisesRegex(ValidationError, "not a valid domain"):
                self.playbook.start_domain = domain

    def test_sentence(self):
        self.assertEqual(
            self.start_rule.display_name,
            "When the playbook starts on a lead, schedule Call 1 working day "
            "after it starts",
        )

    # performance: one batch
    def test_queries_grow_by_batch_not_by_lead(self):
        def leads(count):
            return self.env["crm.lead"].create(
                [
                    {
                        "name": f"Batch {count} {index}",
                        "team_id": self.team.id,
                        "user_id": self.salesman.id,
                    }
                    for index in range(count)
                ]
            )

        Engine = self.env["sale.activity.playbook.engine"]
        few, many = leads(10), leads(100)
        Engine._start_playbook(self.playbook, leads(2))  # warm-up

        def count(batch):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Engine._start_playbook(self.playbook, batch)
            self.env.flush_all()
            return self.cr.sql_log_count - before

        self.assertEqual(count(few), count(many))
        self.assertEqual(len(self.calls(many)), 100)
