# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import column_exists, create_column

from .action_records import ensure_records
from .cron_tools import ensure_index

# (name, columns, predicate as PostgreSQL prints it): the send cron's due
# follow-ups; done ones (archived on 19.0) and manual ones leave it
SEND_INDEX = (
    "mail_activity_playbook_send_idx",
    ["playbook_send_at"],
    "(playbook_auto_send AND active)",
)


class MailActivity(models.Model):
    """Follow-ups that send their email themselves (``playbook_auto_send``),
    and when (``playbook_send_at``)."""

    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    playbook_auto_send = fields.Boolean(
        "Sends Automatically",
        copy=False,
        help="The email of this follow-up goes out by itself at the send time, "
        "and the follow-up is then marked as done. Switch it off to send it "
        "yourself.",
    )
    playbook_send_at = fields.Datetime(
        "Send Time",
        compute="_compute_playbook_send_at",
        store=True,
        copy=False,
        help="When the email goes out: inside the playbook's sending hours, in "
        "the customer's time zone.",
    )

    def _auto_init(self):
        # made by hand: no activity sends by itself when the addon comes, and
        # the ORM would compute (and write) the send time of every one
        if not column_exists(self.env.cr, self._table, "playbook_send_at"):
            create_column(self.env.cr, self._table, "playbook_send_at", "timestamp")
        res = super()._auto_init()
        name, columns, where = SEND_INDEX
        ensure_index(self.env.cr, name, self._table, columns, where)
        return res

    @api.depends(
        "playbook_auto_send",
        "date_deadline",
        "user_id",
        "playbook_line_id.playbook_id.send_hour_from",
        "playbook_line_id.playbook_id.send_hour_to",
    )
    def _compute_playbook_send_at(self):
        # also recomputed when a lead's partner changes (crm_lead_send.py)
        Sender = self.env["sale.activity.playbook.sender"]
        automated = self.filtered(
            lambda a: (
                a.playbook_auto_send
                and a.res_model == "crm.lead"
                and a.res_id
                and a.playbook_line_id
            )
        )
        leads = self.env["crm.lead"].sudo().browse(automated.mapped("res_id"))
        now = fields.Datetime.now()
        for activity in self:
            if activity in automated:
                lead = leads.browse(activity.res_id)
                activity.playbook_send_at = Sender._send_time(activity, lead, now)
            else:
                activity.playbook_send_at = False

    @api.constrains("playbook_auto_send", "playbook_line_id")
    def _check_playbook_auto_send(self):
        for activity in self:
            if activity.playbook_auto_send and not activity.playbook_line_id.auto_send:
                raise ValidationError(
                    self.env._(
                        "Only a follow-up planned by a playbook rule that sends "
                        "automatically can send its email by itself."
                    )
                )

    def action_playbook_send_manually(self):
        """Make pending automated follow-ups ordinary tasks: the salesperson
        sends the email."""
        ensure_records(self)
        self.filtered("playbook_auto_send").write({"playbook_auto_send": False})
        return True
