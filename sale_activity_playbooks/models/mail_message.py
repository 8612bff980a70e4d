# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # Set by the mail gateway (mail_thread.py) on an automatic answer (out of
    # office): the step report does not count it as a reply.
    playbook_auto_reply = fields.Boolean(
        "Automatic Reply",
        readonly=True,
        copy=False,
        help="An email that a machine sent (an out-of-office answer): it is no "
        "reply of the customer.",
    )
