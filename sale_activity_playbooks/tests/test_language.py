# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import TODAY
from .reminder_common import ReminderCase


@freeze_time("2026-11-25 09:00:00")
@tagged("post_install", "-at_install")
class TestAssigneeLanguage(ReminderCase):
    """What the playbooks write for someone is written in their language, not
    in the language of whoever clicked: follow-ups in the assignee's, digests
    in the recipient's (Dutch from the addon's nl.po)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "sale_activity_playbooks"], ["nl_NL"], overwrite=True
        )
        cls.team.playbook_ids = [
            Command.set(
                (
                    cls.env.ref("sale_activity_playbooks.playbook_standard_cadence")
                    | cls.env.ref(
                        "sale_activity_playbooks.playbook_follow_up_discipline"
                    )
                ).ids
            )
        ]

    def test_a_dutch_manager_completing_gives_an_english_follow_up(self):
        # seen in the browser: the follow-up came out in the manager's Dutch
        self.leader.lang = "nl_NL"
        self.salesman.lang = "en_US"
        call = self.schedule(self.call)
        call.with_user(self.leader).with_context(lang="nl_NL").action_feedback()
        quote = self.activities(activity_type=self.create_quote)
        self.assertEqual(quote.user_id, self.salesman)
        self.assertEqual(quote.summary, "Prepare and send the quotation")

    def test_an_english_manager_scheduling_gives_a_dutch_follow_up(self):
        self.salesman.lang = "nl_NL"
        self.lead.with_user(self.leader).with_context(lang="en_US").activity_schedule(
            activity_type_id=self.email.id, user_id=self.salesman.id
        )
        follow_up = self.activities(activity_type=self.follow_up)
        self.assertEqual(follow_up.summary, "E-mail opvolgen")

    def test_a_suggested_next_step_is_prefilled_in_the_assignee_s_language(self):
        line = self.env.ref("sale_activity_playbooks.playbook_standard_cadence_email")
        line.summary = "Call them back"
        line.with_context(lang="nl_NL").summary = "Bel ze terug"
        self.salesman.lang = "nl_NL"
        email = self.schedule(self.email)
        action = email.with_user(self.leader).action_feedback_schedule_next()
        form = Form(
            self.env["mail.activity"]
            .with_user(self.leader)
            .with_context(**action["context"], lang="en_US"),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertEqual(form.user_id, self.salesman)
        self.assertEqual(form.summary, "Bel ze terug")

    def test_digests_are_written_in_the_recipient_s_language(self):
        self.salesman.lang = "nl_NL"
        self.clicker.lang = "en_US"
        self.reminder(deadline=TODAY - timedelta(days=1))
        self.reminder(user=self.clicker, deadline=TODAY - timedelta(days=1))
        run = self.run_reminders()
        self.assertIn(
            "Deze opvolgingen zijn aan de beurt",
            self.digest_of(run, self.salesman).body,
        )
        self.assertIn(
            "These follow-ups are due", self.digest_of(run, self.clicker).body
        )

    def test_escalation_notes_are_written_in_the_salesperson_s_language(self):
        self.salesman.lang = "nl_NL"
        self.leader.lang = "en_US"
        self.reminder(deadline=TODAY - timedelta(days=10))
        run = self.run_reminders()
        note = run.notes.filtered(
            lambda m: m.model == "crm.lead" and m.res_id == self.lead.id
        )
        self.assertIn("geëscaleerd naar", note.body)
        self.assertIn("overdue", self.digest_of(run, self.leader).body)

    def test_neglect_notes_are_written_in_the_salesperson_s_language(self):
        self.salesman.lang = "nl_NL"
        self.playbook.neglect_days = 7
        follow_up = self.env["sale.activity.neglect"]._schedule_followups(
            self.lead, {self.lead.id: self.playbook}, neglected=True
        )
        self.assertIn("niets gepland, gedaan of geschreven", str(follow_up.note))
