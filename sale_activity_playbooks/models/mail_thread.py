# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

# Headers of automatic answers (out of office, autoresponders): RFC 3834's
# Auto-Submitted, and what common mail servers add instead.
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponse")
AUTO_PRECEDENCES = ("auto_reply", "bulk", "junk", "list")


def is_auto_reply(message):
    """Whether an incoming ``email.message.Message`` was sent by a machine."""
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    if auto_submitted != "no":
        return True
    if any(message.get(header) for header in AUTO_REPLY_HEADERS):
        return True
    return (message.get("Precedence") or "").strip().lower() in AUTO_PRECEDENCES


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        # Playbooks that stop on a customer's reply must not take an
        # out-of-office answer for one.
        thread = self.with_context(playbook_auto_reply=is_auto_reply(message))
        return super(MailThread, thread)._message_route_process(
            message, message_dict, routes
        )
