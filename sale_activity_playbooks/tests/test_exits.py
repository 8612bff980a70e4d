# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TODAY
from .test_outcomes import OutcomeCase


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestExits(OutcomeCase):
    """Leaving a playbook: stopped by hand, or lost with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_rule = cls.add_rule(cls.email, cls.call)
        cls.quote_rule = cls.add_rule(cls.call, cls.create_quote)
        cls.other_playbook = cls.env["sale.activity.playbook"].create(
            {"name": "Other cadence", "team_ids": [Command.link(cls.team.id)]}
        )
        cls.meeting_rule = cls.add_rule(
            cls.todo, cls.meeting, playbook=cls.other_playbook
        )
        cls.unfollowed = cls.env["sale.activity.playbook"].create(
            {"name": "Unfollowed cadence"}
        )
        LostReason = cls.env["crm.lost.reason"]
        cls.too_expensive = LostReason.search(
            [("name", "=", "Too expensive")], limit=1
        ) or LostReason.create({"name": "Too expensive"})
        cls.Report = cls.env["sale.activity.playbook.step.report"]

    def stop(self, playbook, reason="The customer asked us to stop", leads=None):
        wizard = (
            self.env["sale.activity.playbook.stop"]
            .with_user(self.salesman)
            .with_context(default_lead_ids=[Command.set((leads or self.lead).ids)])
            .create({"playbook_id": playbook.id, "reason": reason})
        )
        return wizard.action_stop()

    def lose(self, lead, reason):
        self.env["crm.lead.lost"].create(
            {"lead_ids": [Command.set(lead.ids)], "lost_reason_id": reason.id}
        ).action_lost_reason_apply()

    def losses(self, line, groupby=("lost_reason_id",)):
        return {
            group[0]: group[-1]
            for group in self.Report._read_group(
                [("line_id", "=", line.id)], list(groupby), ["lost_count:sum"]
            )
            if group[-1]
        }

    # ------------------------------------------------------------------
    # Stopping
    # ------------------------------------------------------------------

    def test_stopping_removes_that_playbooks_followups_only_and_logs_why(self):
        self.done(self.email)  # the call rule plans a Call
        self.done(self.todo)  # the other playbook plans a Meeting
        call = self.activities(activity_type=self.call)
        meeting = self.activities(activity_type=self.meeting)
        by_hand = self.schedule(self.upload)
        self.assertTrue(call.playbook_line_id and meeting.playbook_line_id)
        self.stop(self.playbook, reason="Bought from a competitor")
        self.assertFalse(call.exists())
        self.assertActivitiesPending(meeting | by_hand)
        note = self.lead.message_ids[0]
        body = note.body
        for words in ("Sally Salesman", "Test cadence", "Bought from a competitor"):
            self.assertIn(words, body)
        self.assertIn("Pending follow-ups removed: 1", body)
        self.assertEqual(note.author_id, self.salesman.partner_id)

    def test_the_wizard_offers_the_leads_playbooks(self):
        self.unfollowed.team_ids = self.plain_team
        self.schedule(self.email).playbook_line_id = False
        wizard = (
            self.env["sale.activity.playbook.stop"]
            .with_user(self.salesman)
            .with_context(default_lead_ids=[Command.set(self.lead.ids)])
            .new({})
        )
        self.assertEqual(
            wizard.available_playbook_ids._origin, self.playbook | self.other_playbook
        )
        with self.assertRaisesRegex(UserError, "choose another playbook"):
            self.stop(self.unfollowed)

    def test_the_lead_form_opens_the_wizard(self):
        action = self.lead.with_user(self.salesman).action_stop_playbook()
        self.assertEqual(action["res_model"], "sale.activity.playbook.stop")
        self.assertEqual(
            action["context"], {"default_lead_ids": [Command.set(self.lead.ids)]}
        )

    def test_a_stop_without_playbook_or_reason_is_refused(self):
        self.done(self.email)
        call = self.activities(activity_type=self.call)
        notes = len(self.lead.message_ids)
        with self.assertRaisesRegex(UserError, "Choose the playbook to stop"):
            self.stop(self.env["sale.activity.playbook"])
        with self.assertRaisesRegex(UserError, "Say why you stop the playbook"):
            self.stop(self.playbook, reason="  ")
        self.assertActivitiesPending(call)
        self.assertEqual(len(self.lead.message_ids), notes)

    def test_stopping_someone_elses_lead_needs_write_access(self):
        self.done(self.email)
        self.lead.user_id = self.leader
        call = self.activities(activity_type=self.call)
        with self.assertRaises(UserError):
            # the salesman sees only their own leads
            self.stop(self.playbook)
        self.assertActivitiesPending(call)

    # ------------------------------------------------------------------
    # Exit reasons
    # ------------------------------------------------------------------

    def test_a_loss_counts_at_the_last_rule_that_fired_in_its_reason(self):
        self.done(self.email)  # the call rule fires
        call = self.activities(activity_type=self.call)
        call.outcome_id = self.reached
        call.action_feedback(feedback="Done")  # then the quote rule
        self.lose(self.lead, self.too_expensive)
        self.assertEqual(self.losses(self.quote_rule), {self.too_expensive: 1})
        self.assertEqual(self.losses(self.call_rule), {})
        # the loss is no completion (what becomes of the quote on a lost lead
        # is the series' business: 18.0 deletes it, 19.0 keeps it)
        for rule, completions in ((self.quote_rule, 0), (self.call_rule, 1)):
            (step,) = self.Report._read_group(
                [("line_id", "=", rule.id)],
                [],
                ["completion_count:sum", "fired_count:sum"],
            )
            self.assertEqual(step, (completions, 1), rule.display_name)

    def test_a_loss_is_no_done_followup(self):
        self.done(self.email)
        FollowupReport = self.env["sale.activity.followup.report"]
        domain = [("lead_id", "=", self.lead.id), ("is_done", "=", True)]
        done = FollowupReport.search_count(domain)
        self.lead.action_set_lost(lost_reason_id=self.too_expensive.id)
        self.assertEqual(FollowupReport.search_count(domain), done)
        log = self.env["sale.activity.followup.log"].search(
            [("lead_id", "=", self.lead.id), ("kind", "=", "lost")]
        )
        self.assertRecordValues(
            log,
            [
                {
                    "playbook_line_id": self.call_rule.id,
                    "playbook_id": self.playbook.id,
                    "team_id": self.team.id,
                    "lost_reason_id": self.too_expensive.id,
                    "is_followup": False,
                    "date_done": TODAY,
                }
            ],
        )

    def test_no_loss_without_reason_or_firing(self):
        self.done(self.email)
        self.lead.action_set_lost()  # no reason
        self.lose(self.plain_lead, self.too_expensive)  # no rule fired
        self.assertEqual(self.losses(self.call_rule), {})
        self.assertFalse(
            self.env["sale.activity.followup.log"].search_count([("kind", "=", "lost")])
        )

    def test_restoring_the_lead_keeps_its_loss(self):
        self.done(self.email)
        self.lose(self.lead, self.too_expensive)
        self.lead.action_unarchive()
        self.assertEqual(self.losses(self.call_rule), {self.too_expensive: 1})


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestExitsInDutch(OutcomeCase):
    """The stop note is in the salesperson's language, whoever stops."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["sale_activity_playbooks"], ["nl_NL"], overwrite=True
        )
        cls.add_rule(cls.email, cls.call)

    def test_the_stop_note_is_in_the_salespersons_language(self):
        self.salesman.lang = "nl_NL"
        self.done(self.email)
        self.env["sale.activity.playbook.stop"].with_user(self.leader).with_context(
            lang="en_US", default_lead_ids=[Command.set(self.lead.ids)]
        ).create(
            {"playbook_id": self.playbook.id, "reason": "Klant wil niet meer"}
        ).action_stop()
        body = self.lead.message_ids[0].body
        self.assertIn(
            "Lea Leader heeft het draaiboek Test cadence gestopt. Openstaande "
            "opvolgingen verwijderd: 1.",
            body,
        )
        self.assertIn("Reden: Klant wil niet meer", body)
