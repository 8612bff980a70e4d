"""Real mail around a served database: an SMTP server that receives what Odoo's
mail queue sends, and Odoo's mail gateway (what odoo-mailgate.py does) for
what comes back."""

import email
import email.policy
import email.utils
import threading
import time
import xmlrpc.client
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class SmtpMailbox:
    """An SMTP server on a loopback port, in this process (aiosmtpd): every
    message it accepts is kept whole, as an ``email.message.EmailMessage``
    (RFC 822, headers and body as they went over the wire)."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self._received = threading.Condition()
        self._controller = Controller(
            self, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True
        )

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.SMTP
        )
        message.envelope_recipients = list(envelope.rcpt_tos)
        with self._received:
            self.messages.append(message)
            self._received.notify_all()
        return "250 Message accepted for delivery"

    def received_by(self, address):
        """The messages whose envelope went to ``address``."""
        return [
            message
            for message in self.messages
            if address.lower() in (rcpt.lower() for rcpt in message.envelope_recipients)
        ]

    def wait_for(self, address, count=1, timeout=30):
        """The messages to ``address``, once ``count`` of them came in."""
        deadline = time.monotonic() + timeout
        with self._received:
            while len(self.received_by(address)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._received.wait(left)
        return self.received_by(address)


def text_of(message):
    """The text of a message's body: its HTML part (else its plain part),
    decoded."""
    part = message.get_body(preferencelist=("html", "plain"))
    return part.get_content() if part else ""


def answer(sent, sender, body, auto_reply=False):
    """The raw RFC 822 answer of ``sender`` to the ``sent`` message: to its
    Reply-To, with its Message-Id in In-Reply-To and References, as a mail
    client writes it; an automatic answer (out of office) says so with
    Auto-Submitted (RFC 3834)."""
    reply = EmailMessage(policy=email.policy.SMTP)
    reply["From"] = sender
    reply["To"] = sent["Reply-To"] or sent["From"]
    reply["Subject"] = f"Re: {sent['Subject']}"
    reply["Date"] = email.utils.formatdate(localtime=False)
    reply["Message-Id"] = email.utils.make_msgid(domain="customer.example.com")
    reply["In-Reply-To"] = sent["Message-Id"]
    reply["References"] = " ".join(
        filter(None, [sent["References"], sent["Message-Id"]])
    )
    if auto_reply:
        reply["Auto-Submitted"] = "auto-replied"
    reply.set_content(body)
    return reply.as_bytes()


def bounce(sent, recipient):
    """The raw delivery status notification (RFC 3464) of a mail server that
    could not deliver the ``sent`` message to ``recipient``: to its
    Return-Path, with the sent message's headers."""
    report = EmailMessage(policy=email.policy.SMTP)
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.customer.example.com>"
    report["To"] = sent["Return-Path"]
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = email.utils.formatdate(localtime=False)
    report["Message-Id"] = email.utils.make_msgid(domain="mx.customer.example.com")
    report.set_content(
        f"<{recipient}>: host mx.customer.example.com said: 550 5.1.1 User unknown"
    )
    report.make_mixed()
    report.set_type("multipart/report")
    report.set_param("report-type", "delivery-status")
    status = EmailMessage(policy=email.policy.SMTP)
    status["Content-Type"] = "message/delivery-status"
    status.set_payload(
        [
            email.message_from_string("Reporting-MTA: dns; mx.customer.example.com\n"),
            email.message_from_string(
                f"Final-Recipient: rfc822; {recipient}\nAction: failed\nStatus: 5.1.1\n"
            ),
        ]
    )
    report.attach(status)
    headers = EmailMessage(policy=email.policy.SMTP)
    headers["Content-Type"] = "text/rfc822-headers"
    headers.set_payload(
        "".join(f"{name}: {value}\r\n" for name, value in sent.items()
                if name.lower() in ("message-id", "from", "to", "subject", "date"))
    )  # fmt: skip
    report.attach(headers)
    return report.as_bytes()


def deliver(server, raw, uid=2, password="admin"):
    """Deliver the raw message ``raw`` (bytes) to the served database as
    Odoo's mail gateway script (mail/static/scripts/odoo-mailgate.py) does:
    ``mail.thread.message_process`` over XML-RPC, the model left to Odoo's
    routing (the References of a reply). Returns the id of the record that
    received it."""
    models = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)
    return models.execute_kw(
        server.database,
        uid,
        password,
        "mail.thread",
        "message_process",
        [False, xmlrpc.client.Binary(raw)],
        {},
    )
