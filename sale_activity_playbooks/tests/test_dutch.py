# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged
from odoo.tools.translate import code_translations

from .common import PlaybookCase


@tagged("post_install", "-at_install")
class TestDutch(PlaybookCase):
    """What a Dutch salesperson reads: rules as Dutch sentences (the delay
    before the types, the verb split as Dutch splits it), short labels, the
    native dialog's title."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "sale_activity_playbooks"], ["nl_NL"], overwrite=True
        )
        cls.nl = cls.env(context=dict(cls.env.context, lang="nl_NL"))

    def sentences(self, playbook):
        return playbook.with_env(self.nl).line_ids.mapped("display_name")

    def test_start_rule_reads_as_a_dutch_sentence(self):
        rule = self.env["sale.activity.playbook.line"].create(
            {
                "playbook_id": self.playbook.id,
                "trigger_on": "start",
                "next_type_ids": [Command.set(self.call.ids)],
                "delay_count": 1,
                "delay_unit": "working_days",
            }
        )
        self.assertEqual(
            rule.with_env(self.nl).display_name,
            "Als het draaiboek op een lead start, plan dan 1 werkdag na de start "
            "Bellen in",
        )

    def test_preconfigured_rules_read_as_dutch_sentences(self):
        ref = self.env.ref
        self.assertEqual(
            self.sentences(ref("sale_activity_playbooks.playbook_standard_cadence")),
            [
                (
                    "Als E-mail gereed is, stel dan 2 dagen na de deadline Bellen of "
                    "Afspraak voor"
                ),
                "Als Bellen gereed is, plan dan 1 dag na voltooiing Offerte maken in",
                (
                    "Als Bellen gereed is met Geen antwoord of Voicemail ingesproken, "
                    "plan dan 1 werkdag na voltooiing Bellen in, hoogstens 2 keer per "
                    "lead"
                ),
                (
                    "Als Bellen gereed is met Niet geïnteresseerd, stop dan: verwijder "
                    "de openstaande opvolgingen van deze lead uit dit draaiboek"
                ),
                "Als Afspraak gereed is, plan dan 1 dag na voltooiing Offerte maken in",
                (
                    "Als Offerte maken gereed is, plan dan 5 dagen na voltooiing "
                    "Offerte opvolgen in"
                ),
            ],
        )
        self.assertEqual(
            self.sentences(
                ref("sale_activity_playbooks.playbook_follow_up_discipline")
            ),
            [
                "Als E-mail is ingepland, plan dan 1 dag na de deadline Opvolging in",
                (
                    "Als Afspraak is ingepland, plan dan 2 dagen na de deadline "
                    "Opvolging in"
                ),
            ],
        )

    def test_assignee_and_zero_delays_in_dutch(self):
        rule = self.add_rule(
            self.email,
            self.call | self.meeting | self.follow_up,
            trigger_on="scheduled",
            delay_from="current_date",
            responsible="team_leader",
        )
        self.assertEqual(
            rule.with_env(self.nl).display_name,
            "Als E-mail is ingepland, plan dan op de dag van inplannen Bellen, "
            "Afspraak of Opvolging in, voor de teamleider",
        )

    def test_short_labels(self):
        menu = self.env.ref(
            "sale_activity_playbooks.sale_activity_playbook_menu_config"
        )
        self.assertEqual(menu.with_env(self.nl).name, "Draaiboeken")
        notify = (
            self.env["sale.activity.playbook"]
            .with_env(self.nl)
            .fields_get(["notify_assignment"])["notify_assignment"]["string"]
        )
        self.assertEqual(notify, "Toewijzing melden")
        self.assertEqual(
            self.env.ref("sale_activity_playbooks.mail_activity_menu_followups")
            .with_env(self.nl)
            .name,
            "Mijn opvolgingen",
        )

    def test_done_and_schedule_next_has_the_native_dialog_title(self):
        self.add_rule(self.email, self.call, chaining_type="suggest")
        email = self.schedule(self.email)
        action = email.with_env(self.nl).action_feedback_schedule_next()
        # the title of Odoo's own "Schedule Activity" dialog, in mail's Dutch
        # (its web client's term; 18.0 has it in Python too)
        web = code_translations.get_web_translations("mail", "nl_NL")
        native = {message["id"]: message["string"] for message in web["messages"]}
        self.assertEqual(action["name"], native["Schedule Activity"])
        self.assertEqual(action["name"], "Activiteit inplannen")
