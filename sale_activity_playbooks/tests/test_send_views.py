# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .send_common import NEW_YORK_MORNING, SendCase

PLAYBOOK_FORM = "sale_activity_playbooks.sale_activity_playbook_view_form"
QUEUE_ACTION = "sale_activity_playbooks.mail_activity_action_followups"
QUEUE_SEARCH = "sale_activity_playbooks.mail_activity_view_search_followups"


@freeze_time(NEW_YORK_MORNING)
@tagged("post_install", "-at_install")
class TestSendViews(SendCase):
    """What salespeople and managers see of automated emails: the rule dialog,
    the playbook and team forms, the chatter and My Follow-ups."""

    def activity_data(self, activity, user):
        store = activity.with_user(user).activity_format()
        return next(
            data for data in store["mail.activity"] if data["id"] == activity.id
        )

    def playbook_form(self):
        return Form(self.playbook.with_user(self.leader), view=PLAYBOOK_FORM)

    def test_the_rule_dialog_sends_automatically_with_a_template(self):
        form = self.playbook_form()
        with form.line_ids.new() as rule:
            rule.activity_type_id = self.meeting
            rule.next_type_ids.add(self.email)
            rule.auto_send = True
            self.assertIn("send '...' automatically", rule.display_name)
            # the template is asked for once the rule sends
            with self.assertRaisesRegex(AssertionError, "mail_template_id"):
                rule.save()
            rule.mail_template_id = self.template
        form.save()
        rule = self.playbook.line_ids.filtered(
            lambda line: line.activity_type_id == self.meeting
        )
        self.assertRecordValues(
            rule, [{"auto_send": True, "mail_template_id": self.template.id}]
        )
        self.assertIn(
            "then send 'Follow-up after no answer' automatically between 9:00 and "
            "17:00, customer's time",
            rule.display_name,
        )

    def test_only_a_rule_that_schedules_offers_to_send(self):
        form = self.playbook_form()
        with form.line_ids.new() as rule:
            rule.activity_type_id = self.meeting
            rule.next_type_ids.add(self.email)
            rule.chaining_type = "suggest"
            with self.assertRaisesRegex(AssertionError, "invisible field 'auto_send'"):
                rule.auto_send = True
            with self.assertRaisesRegex(
                AssertionError, "invisible field 'mail_template_id'"
            ):
                rule.mail_template_id = self.template

    def test_the_playbook_form_shows_the_sending_hours_and_stops(self):
        form = self.playbook_form()
        form.send_hour_from = 8.5
        form.send_hour_to = 18
        form.auto_reply_pause_days = 3
        form.stop_on_company_reply = True
        form.stop_on_meeting = True
        form.save()
        self.assertRecordValues(
            self.playbook,
            [
                {
                    "send_hour_from": 8.5,
                    "send_hour_to": 18,
                    "auto_reply_pause_days": 3,
                    "stop_on_company_reply": True,
                    "stop_on_meeting": True,
                }
            ],
        )
        self.assertIn("between 8:30 and 18:00", self.send_rule.display_name)

    def test_the_team_form_shows_the_daily_limit(self):
        form = Form(self.team.with_user(self.leader))
        form.playbook_daily_send_limit = 40
        form.save()
        self.assertEqual(self.team.playbook_daily_send_limit, 40)

    def test_the_chatter_receives_the_send_flag_and_time(self):
        email = self.call_not_answered()
        data = self.activity_data(email, self.salesman)
        self.assertIs(data["playbook_auto_send"], True)
        # 9:00 in New York
        self.assertEqual(data["playbook_send_at"], "2026-11-25 14:00:00")
        email.with_user(self.salesman).action_playbook_send_manually()
        data = self.activity_data(email, self.salesman)
        self.assertIs(data["playbook_auto_send"], False)
        self.assertIs(data["playbook_send_at"], False)
        self.assertActivitiesPending(email)

    def test_my_followups_filter_what_sends_automatically(self):
        email = self.call_not_answered()
        by_hand = self.schedule(self.todo)
        action = self.env.ref(QUEUE_ACTION)
        search = etree.fromstring(self.env.ref(QUEUE_SEARCH).arch)
        domain = safe_eval(action.domain)
        for name in ("my", "auto_send"):
            node = search.find(f".//filter[@name='{name}']")
            domain += safe_eval(node.get("domain"), {"uid": self.salesman.id})
        Activity = self.env["mail.activity"].with_user(self.salesman)
        self.assertEqual(Activity.search(domain), email)
        email.with_user(self.salesman).action_playbook_send_manually()
        self.assertFalse(Activity.search(domain))
        self.assertIn(by_hand, Activity.search([("user_id", "=", self.salesman.id)]))
