# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


def hour_label(hours):
    """9.5 -> "9:30"."""
    minutes = round(hours * 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


class SaleActivityPlaybookLine(models.Model):
    """Rules whose email follow-up sends itself: the follow-up is planned
    like any other, and the send cron (``sale.activity.playbook.sender``)
    sends its template and marks it done when it is due."""

    _inherit = "sale.activity.playbook.line"  # pylint: disable=consider-merging-classes-inherited

    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'crm.lead')]",
        ondelete="restrict",
        help="The email that the follow-up sends, written for the lead.",
    )
    auto_send = fields.Boolean(
        "Send Automatically",
        help="When the follow-up is due, the email goes out by itself inside the "
        "playbook's sending hours, and the follow-up is marked as done. Off: the "
        "salesperson sends it.",
    )

    @api.constrains("mail_template_id", "auto_send", "chaining_type", "next_type_ids")
    def _check_auto_send(self):
        for line in self:
            template = line.mail_template_id
            if template and template.model != "crm.lead":
                raise ValidationError(
                    self.env._(
                        'The email template of "%(rule)s" must be written for '
                        "leads: %(template)s is not.",
                        rule=line.display_name,
                        template=template.display_name,
                    )
                )
            if not line.auto_send:
                continue
            if not template:
                raise ValidationError(
                    self.env._(
                        '"%(rule)s" sends automatically: choose the email template '
                        "it sends.",
                        rule=line.display_name,
                    )
                )
            if line.chaining_type != "trigger" or len(line.next_type_ids) != 1:
                raise ValidationError(
                    self.env._(
                        "Only a rule that schedules exactly one activity can send "
                        'it automatically: "%(rule)s" does not.',
                        rule=line.display_name,
                    )
                )

    def _prepare_followup_values(self, source, user, deadline, next_type, lead=None):
        values = super()._prepare_followup_values(
            source, user, deadline, next_type, lead=lead
        )
        values["playbook_auto_send"] = self.auto_send
        return values

    def _sentence(self):
        sentence = super()._sentence()
        if not self.auto_send:
            return sentence
        playbook = self.playbook_id
        return self.env._(
            "%(sentence)s, then send '%(template)s' automatically between %(from)s "
            "and %(to)s, customer's time",
            sentence=sentence,
            template=self.mail_template_id.name or "...",
            **{
                "from": hour_label(playbook.send_hour_from),
                "to": hour_label(playbook.send_hour_to),
            },
        )
