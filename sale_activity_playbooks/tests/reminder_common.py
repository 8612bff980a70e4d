# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from collections import namedtuple

from .common import PlaybookCase

# What one cron run produced: digests (mail.message of type
# user_notification), real-time toasts (payloads by partner) and the notes
# logged on records.
Run = namedtuple("Run", "digests toasts notes")


class ReminderCase(PlaybookCase):
    """Runs the reminder and neglect crons and collects what they sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The crons work on the whole database: the demo story's overdue,
        # escalated and neglected records are taken care of beforehand, so that
        # each test sees only what it builds.
        now = cls.env.cr.now()
        cls.env["mail.activity"].search(
            [("activity_type_id.category", "=", "reminder")]
        ).write({"reminded_on": now, "escalated_on": now})
        cls.env["sale.activity.playbook"].search(
            [("id", "!=", cls.playbook.id), ("neglect_days", ">", 0)]
        ).neglect_days = 0

    def _last_id(self, model):
        return self.env[model].sudo().search([], order="id desc", limit=1).id or 0

    def run_cron(
        self, method="_cron_playbook_reminders", model="sale.activity.reminder", **kw
    ):
        self.env.flush_all()
        self.env.cr.precommit.run()  # bus notifications sent so far
        last_message = self._last_id("mail.message")
        last_bus = self._last_id("bus.bus")
        getattr(self.env[model], method)(**kw)
        self.env.flush_all()
        self.env.cr.precommit.run()
        messages = self.env["mail.message"].search([("id", ">", last_message)])
        toasts = {}
        for bus in self.env["bus.bus"].sudo().search([("id", ">", last_bus)]):
            message = json.loads(bus.message)
            if message["type"] == "simple_notification":
                partner_id = json.loads(bus.channel)[2]
                toasts.setdefault(partner_id, []).append(message["payload"])
        return Run(
            digests=messages.filtered(lambda m: m.message_type == "user_notification"),
            toasts=toasts,
            notes=messages.filtered(lambda m: m.message_type == "notification"),
        )

    def run_reminders(self, **kw):
        return self.run_cron(**kw)

    def digest_of(self, run, user):
        digests = run.digests.filtered(lambda m: user.partner_id in m.partner_ids)
        self.assertLessEqual(len(digests), 1, "one digest per user and run")
        return digests

    def reminder(self, lead=None, user=None, deadline=None, **values):
        kwargs = {"deadline": deadline} if deadline else {}
        return self.schedule(self.follow_up, lead=lead, user=user, **kwargs, **values)
