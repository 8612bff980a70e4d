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

    def _message_create(self, values_list):
        # the incoming email that is an automatic answer says so on its
        # message, in the same INSERT (the messages that processing it logs
        # are no emails)
        if self.env.context.get("playbook_auto_reply"):
            values_list = [
                dict(values, playbook_auto_reply=True)
                if values.get("message_type") == "email"
                else values
                for values in values_list
            ]
        return super()._message_create(values_list)

    def _get_message_create_valid_field_names(self):
        # what _message_create above adds to the gateway's email
        return super()._get_message_create_valid_field_names() | {"playbook_auto_reply"}
