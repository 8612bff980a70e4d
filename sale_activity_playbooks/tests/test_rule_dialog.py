# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import html

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import PlaybookCase

ONCHANGE_LOGGER = "odoo.tests.form.onchange"


@tagged("post_install", "-at_install")
class TestRuleDialog(PlaybookCase):
    """The rule dialog of the playbook form shows only what applies to the
    rule, never drops a setting without saying so, and refuses a negative
    repeat limit at once, naming the rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_answer = cls.env.ref("sale_activity_playbooks.outcome_call_no_answer")
        cls.voicemail = cls.env.ref("sale_activity_playbooks.outcome_call_voicemail")
        cls.retry_rule = cls.add_rule(
            cls.call,
            cls.call | cls.meeting,
            chaining_type="suggest",
            outcome_ids=[Command.set((cls.no_answer | cls.voicemail).ids)],
            repeat_limit=2,
        )

    def edit_rule(self):
        form = Form(self.playbook)
        return form, form.line_ids.edit(0)

    def test_a_stop_rule_shows_nothing_about_next_activities(self):
        _form, rule = self.edit_rule()
        with rule:
            rule.summary = "Call them again"
            with self.assertLogs(ONCHANGE_LOGGER, "WARNING"):
                rule.chaining_type = "stop"
            for name in ("summary", "note", "next_type_ids", "repeat_limit"):
                with self.subTest(field=name), self.assertRaises(AssertionError):
                    setattr(rule, name, False)
            rule.chaining_type = "trigger"
            # a trigger rule has them again, the summary as it was
            self.assertEqual(rule.summary, "Call them again")
            rule.note = "<p>Ask for the decision maker</p>"
            rule.next_type_ids.add(self.call)

    def test_scheduled_says_which_outcomes_and_action_it_cleared(self):
        _form, rule = self.edit_rule()
        with rule, self.assertLogs(ONCHANGE_LOGGER, "WARNING") as logs:
            rule.trigger_on = "scheduled"
        self.assertFalse(rule.outcome_ids)
        self.assertEqual(rule.chaining_type, "trigger")
        (warning,) = logs.output
        self.assertIn("The rule was changed", warning)
        self.assertIn("No answer or Left a voicemail no longer applies", warning)
        self.assertIn("Only a rule on a done activity can suggest", warning)
        # what still applies is kept
        self.assertEqual(rule.next_type_ids.ids, (self.call | self.meeting).ids)
        self.assertEqual(rule.repeat_limit, 2)

    def test_a_change_that_clears_nothing_says_nothing(self):
        self.retry_rule.write(
            {"chaining_type": "trigger", "outcome_ids": [Command.clear()]}
        )
        _form, rule = self.edit_rule()
        with rule, self.assertNoLogs(ONCHANGE_LOGGER, "WARNING"):
            rule.trigger_on = "scheduled"
            rule.trigger_on = "done"
            rule.chaining_type = "suggest"

    def test_a_start_rule_says_it_has_no_activity_type(self):
        _form, rule = self.edit_rule()
        with rule, self.assertLogs(ONCHANGE_LOGGER, "WARNING") as logs:
            rule.trigger_on = "start"
        self.assertFalse(rule.activity_type_id)
        self.assertIn("A start rule has no activity type: Call", logs.output[0])

    def test_stop_says_which_next_activities_it_removed(self):
        _form, rule = self.edit_rule()
        with rule, self.assertLogs(ONCHANGE_LOGGER, "WARNING") as logs:
            rule.chaining_type = "stop"
        self.assertFalse(rule.next_type_ids)
        self.assertIn(
            "A rule that stops plans no next activity: Call or Meeting", logs.output[0]
        )

    def test_a_negative_repeat_limit_is_refused_in_the_dialog(self):
        form, rule = self.edit_rule()
        with rule, self.assertLogs(ONCHANGE_LOGGER, "WARNING") as logs:
            rule.repeat_limit = -3
        # back to what it was, and the warning names the rule
        self.assertEqual(rule.repeat_limit, 2)
        self.assertIn(
            'The rule "When Call is marked as done with No answer or Left a '
            'voicemail, suggest Call or Meeting on its deadline" cannot fire a '
            "negative number of times",
            logs.output[0],
        )
        self.assertIn("The limit is back to 2.", logs.output[0])
        form.save()
        self.assertEqual(self.retry_rule.repeat_limit, 2)

    def test_a_new_rule_with_a_negative_repeat_limit_is_back_to_no_limit(self):
        form = Form(self.playbook)
        with form.line_ids.new() as rule, self.assertLogs(ONCHANGE_LOGGER, "WARNING"):
            rule.activity_type_id = self.email
            rule.next_type_ids.add(self.call)
            rule.repeat_limit = -1
        self.assertEqual(form.line_ids.edit(1).repeat_limit, 0)

    def test_a_negative_repeat_limit_names_the_rule_when_the_playbook_is_saved(self):
        with self.assertRaises(ValidationError) as refused:
            self.playbook.write(
                {"line_ids": [Command.update(self.retry_rule.id, {"repeat_limit": -1})]}
            )
        self.assertIn(
            'The rule "When Call is marked as done with No answer or Left a '
            'voicemail, suggest Call or Meeting on its deadline" cannot fire a '
            "negative number of times: use 0 for no limit.",
            str(refused.exception),
        )
        self.assertEqual(self.retry_rule.repeat_limit, 2)


@tagged("post_install", "-at_install")
class TestTryItStopRow(PlaybookCase):
    def test_the_stop_row_of_try_it_has_all_its_cells(self):
        outcome = self.env.ref("sale_activity_playbooks.outcome_call_not_interested")
        self.add_rule(self.email, self.call)
        self.add_rule(
            self.call,
            self.env["mail.activity.type"],
            chaining_type="stop",
            outcome_ids=[Command.set(outcome.ids)],
        )
        action = self.playbook.action_try()
        preview = Form(self.env[action["res_model"]].with_context(**action["context"]))
        rows = html.fromstring(str(preview.preview)).xpath("//tbody/tr")
        self.assertEqual(len(rows), 2)
        # the table draws the borders of the cells: a missing one has none
        self.assertEqual([len(row.xpath("./td")) for row in rows], [4, 4])
        self.assertIn("stop", rows[1].text_content())
