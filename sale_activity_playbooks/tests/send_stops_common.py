# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from itertools import count

from odoo import Command

from .send_common import SendCase

_message_ids = count(1)


class StopsCase(SendCase):
    """SendCase, with what comes back through Odoo's mail gateway: replies,
    automatic replies and bounces, as whole RFC 822 messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.playbook.stop_on_reply = True
        cls.acme = cls.env["res.partner"].create({"name": "Acme", "is_company": True})
        cls.customer.parent_id = cls.acme
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Dan Colleague",
                "email": "dan@example.com",
                "parent_id": cls.acme.id,
            }
        )

    @classmethod
    def add_lead(cls, name, partner, team=None, **values):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "team_id": (team or cls.team).id,
                "user_id": cls.salesman.id,
                "partner_id": partner.id,
                **values,
            }
        )

    @classmethod
    def add_team_with_playbook(cls, name, **playbook_values):
        """Another team, following a playbook of its own that sends the same
        email after a call that found no answer."""
        team = cls.env["crm.team"].create(
            {
                "name": f"{name} Team",
                "company_id": cls.company.id,
                "member_ids": [Command.set(cls.salesman.ids)],
            }
        )
        playbook = cls.env["sale.activity.playbook"].create(
            {"name": name, "team_ids": [Command.link(team.id)], **playbook_values}
        )
        cls.add_rule(
            cls.call,
            cls.email,
            playbook=playbook,
            outcome_ids=[Command.set(cls.no_answer.ids)],
            mail_template_id=cls.template.id,
            auto_send=True,
        )
        return team, playbook

    def receive(self, lead=None, headers=""):
        """Carla's email to ``lead`` through Odoo's mail gateway."""
        raw = (
            "From: Carla Customer <carla@example.com>\n"
            "To: sales@example.com\n"
            "Subject: Re: Big Deal\n"
            f"Message-Id: <reply-{next(_message_ids)}@example.com>\n"
            f"{headers}"
            "Content-Type: text/plain\n"
            "\n"
            "Thanks, let's talk next week.\n"
        )
        self.env["mail.thread"].message_process(
            "crm.lead", raw.encode(), thread_id=(lead or self.lead).id
        )

    def receive_out_of_office(self, lead=None):
        self.receive(lead, "Auto-Submitted: auto-replied\n")

    def receive_bounce(self, sent_message, recipient="carla@example.com"):
        """The mail server's delivery report: ``sent_message`` (a
        mail.message) could not be delivered to ``recipient``."""
        boundary = "report-boundary"
        raw = (
            "From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\n"
            "To: sales@example.com\n"
            "Subject: Undelivered Mail Returned to Sender\n"
            f"Message-Id: <bounce-{next(_message_ids)}@mail.example.com>\n"
            "Auto-Submitted: auto-replied\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            f' boundary="{boundary}"\n'
            "\n"
            f"--{boundary}\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "\n"
            "Your message could not be delivered.\n"
            "\n"
            f"--{boundary}\n"
            "Content-Type: message/delivery-status\n"
            "\n"
            "Reporting-MTA: dns; mail.example.com\n"
            "\n"
            f"Final-Recipient: rfc822; {recipient}\n"
            "Action: failed\n"
            "Status: 5.1.1\n"
            "Diagnostic-Code: smtp; 550 No such user\n"
            "\n"
            f"--{boundary}\n"
            "Content-Type: message/rfc822\n"
            "\n"
            f"Message-Id: {sent_message.message_id}\n"
            "From: Sally Salesman <sally@example.com>\n"
            f"To: {recipient}\n"
            "Subject: Big Deal\n"
            "Content-Type: text/plain\n"
            "\n"
            "Hello again.\n"
            "\n"
            f"--{boundary}--\n"
        )
        self.env["mail.thread"].message_process("crm.lead", raw.encode())

    def email_sent(self, lead=None, **log_values):
        """An automated email that the send cron sent on ``lead``: its
        message, and the follow-up log row the cron writes."""
        lead = lead or self.lead
        message = lead._message_log(
            body="Hello again.",
            message_type="email",
            author_id=self.salesman.partner_id.id,
        )
        log = (
            self.env["sale.activity.followup.log"]
            .sudo()
            .create(
                {
                    "lead_id": lead.id,
                    "team_id": lead.team_id.id,
                    "user_id": self.salesman.id,
                    "activity_type_id": self.email.id,
                    "playbook_id": self.playbook.id,
                    "playbook_line_id": self.send_rule.id,
                    "date_deadline": message.date.date(),
                    "date_done": message.date.date(),
                    "email_sent_at": message.date,
                    "email_message_id": message.id,
                    **log_values,
                }
            )
        )
        return message, log

    def notes(self, lead=None):
        return "\n".join((lead or self.lead).message_ids.mapped("body"))

    def count_queries(self, post):
        """Queries of ``post()``, after a warm-up run."""
        post()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        post()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before
