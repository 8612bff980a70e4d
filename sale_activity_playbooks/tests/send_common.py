# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import datetime

from odoo.exceptions import ValidationError

from .common import PlaybookCase

# TODAY (Wednesday 25 November 2026) at these UTC hours
NEW_YORK_MORNING = datetime(2026, 11, 25, 12, 0)  # 7:00 in New York
NEW_YORK_NOON = datetime(2026, 11, 25, 17, 0)  # 12:00 in New York
NEW_YORK_EVENING = datetime(2026, 11, 25, 23, 0)  # 18:00 in New York


class SendCase(PlaybookCase):
    """The test playbook sends an email automatically after a call that found
    no answer: a Call done with *No answer* plans an Email for the lead's
    salesperson (in Brussels) that sends the template "Follow-up after no
    answer" to the customer, in New York, between 9:00 and 17:00 of their
    day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.no_answer = ref("sale_activity_playbooks.outcome_call_no_answer")
        cls.template = ref("sale_activity_playbooks.mail_template_followup_no_answer")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Carla Customer",
                "email": "carla@example.com",
                "tz": "America/New_York",
            }
        )
        cls.lead.partner_id = cls.customer
        cls.send_rule = cls.add_rule(
            cls.call,
            cls.email,
            outcome_ids=[(6, 0, cls.no_answer.ids)],
            mail_template_id=cls.template.id,
            auto_send=True,
        )

    @contextmanager
    def refused(self, sentence):
        """A ``ValidationError`` saying ``sentence``, and nothing written."""
        with self.assertRaisesRegex(ValidationError, sentence), self.cr.savepoint():
            yield
        self.env.invalidate_all()

    def call_not_answered(self, lead=None, deadline=None):
        """A Call of ``lead`` done with *No answer*; returns the Email that the
        rule plans."""
        lead = lead or self.lead
        call = self.schedule(
            self.call, lead=lead, **({"deadline": deadline} if deadline else {})
        )
        call.outcome_id = self.no_answer
        call.action_done()
        return self.activities(lead, self.email)
