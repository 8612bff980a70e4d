"""Playbook emails with real mail on a served database: a Call done with the
outcome *No answer* plans an Email that the send cron queues, Odoo's mail
queue delivers it to a real SMTP server, and the customer's answers come back
through Odoo's mail gateway (issue 17, "Real components")."""

import uuid
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import pytest
from conftest import GROUPS_FIELD, Database
from mailboxes import answer, bounce, deliver, text_of

ZONE = "Europe/Amsterdam"
CALL = "mail.mail_activity_data_call"
EMAIL = "mail.mail_activity_data_email"
FOLLOW_UP = "sale_activity_playbooks.mail_activity_type_follow_up"
NO_ANSWER = "sale_activity_playbooks.outcome_call_no_answer"
TEMPLATE = "sale_activity_playbooks.mail_template_followup_no_answer"
# The template in Dutch, as the test sets it (the customer reads Dutch)
DUTCH_SUBJECT = "{{ object.name }}: zullen we even bellen?"
DUTCH_BODY = (
    '<div style="margin: 0px; padding: 0px;">'
    "<p>Hallo <t t-out=\"object.partner_id.name or ''\">Klant</t>,</p>"
    "<p>Ik heb geprobeerd u te bellen over "
    "<t t-out=\"object.name or ''\">uw project</t>, maar kon u niet bereiken.</p>"
    "<p>Met vriendelijke groet,<br/>"
    "<t t-out=\"object.user_id.name or ''\">Marc Demo</t></p></div>"
)


class Rpc:
    """JSON-RPC calls of one session of ``server``."""

    def __init__(self, server, login, password):
        self.server = server
        self.http = server.session(login, password)

    def __call__(self, model, method, *args, **kwargs):
        return self.server.call_kw(self.http, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        [data] = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return data["res_id"]

    def read(self, model, record_id, fields):
        [values] = self(model, "read", [record_id], fields)
        return values

    def activities(self, lead_id, xmlid):
        """The pending activities of the type ``xmlid`` on the lead."""
        return self(
            "mail.activity",
            "search_read",
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead_id),
                ("activity_type_id", "=", self.ref(xmlid)),
            ],
            fields=["playbook_auto_send", "playbook_send_at", "date_deadline"],
        )

    def run_cron(self, xmlid):
        """Run the cron now, in this request (committed)."""
        self("ir.cron", "method_direct_trigger", [self.ref(xmlid)])


def now():
    """UTC now as Odoo's JSON-RPC writes a datetime."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def today():
    return datetime.now(ZoneInfo(ZONE)).date()


def work_every_day(database, user_id, stamp):
    """The salesperson works every day of the week (a calendar of their own,
    through a resource that only the superuser may create): whatever day the
    test runs on, the email may go out."""
    database.script(
        """
import sys
user_id, stamp, zone = int(sys.argv[1]), sys.argv[2], sys.argv[3]
calendar = env["resource.calendar"].create({
    "name": f"Every day {stamp}",
    "tz": zone,
    "attendance_ids": [
        (0, 0, {"name": f"{day} {period}", "dayofweek": str(day),
                "hour_from": start, "hour_to": end, "day_period": period})
        for day in range(7)
        for start, end, period in ((8, 12, "morning"), (13, 17, "afternoon"))
    ],
})
env["resource.resource"].create({
    "name": f"Every day {stamp}", "user_id": user_id,
    "calendar_id": calendar.id, "tz": zone,
})
""",
        user_id,
        stamp,
        ZONE,
    )


@pytest.fixture
def dutch_template(odoo_server):
    """The template "Follow-up after no answer" in Dutch too (nl_NL active),
    for the test; what it had before comes back afterwards."""
    admin = Rpc(odoo_server, "admin", "admin")
    template_id, lang_id = admin.ref(TEMPLATE), _dutch(admin)
    lang_was_active = admin.read("res.lang", lang_id, ["active"])["active"]
    admin("res.lang", "write", [lang_id], {"active": True})
    saved = {}
    for field, dutch in (("subject", DUTCH_SUBJECT), ("body_html", DUTCH_BODY)):
        translations, _context = admin(
            "mail.template", "get_field_translations", [template_id], field
        )
        saved[field] = next(
            (t["value"] for t in translations if t["lang"] == "nl_NL"), False
        )
        admin(
            "mail.template",
            "update_field_translations",
            [template_id],
            field,
            {"nl_NL": dutch},
        )
    yield
    for field, value in saved.items():
        admin(
            "mail.template",
            "update_field_translations",
            [template_id],
            field,
            {"nl_NL": value},
        )
    if not lang_was_active:
        admin("res.lang", "write", [lang_id], {"active": False})


def _dutch(admin):
    [lang] = admin(
        "res.lang",
        "search_read",
        [("code", "=", "nl_NL"), ("active", "in", [True, False])],
        fields=["active"],
    )
    return lang["id"]


def no_answer_playbook(admin, team_id, stamp):
    """The team's playbook: after a Call done with *No answer*, an Email
    that sends "Follow-up after no answer" automatically at any hour of the
    customer's day; once it is sent, a Reminder follow-up in 3 days and a
    second automated Email in 2. It stops on a reply, and pauses after an
    automatic reply (the default 5 days)."""
    playbook_id = admin(
        "sale.activity.playbook",
        "create",
        {
            "name": f"Loop cadence {stamp}",
            "team_ids": [(6, 0, [team_id])],
            "send_hour_from": 0.0,
            "send_hour_to": 24.0,
            "stop_on_reply": True,
        },
    )
    call, email, follow_up = map(admin.ref, (CALL, EMAIL, FOLLOW_UP))
    rule = {"playbook_id": playbook_id, "chaining_type": "trigger"}
    auto_send = {"mail_template_id": admin.ref(TEMPLATE), "auto_send": True}
    admin(
        "sale.activity.playbook.line",
        "create",
        [
            {**rule, **auto_send, "activity_type_id": call,
             "outcome_ids": [(6, 0, [admin.ref(NO_ANSWER)])],
             "next_type_ids": [(6, 0, [email])]},
            {**rule, "activity_type_id": email,
             "next_type_ids": [(6, 0, [follow_up])], "delay_count": 3},
            {**rule, **auto_send, "activity_type_id": email,
             "next_type_ids": [(6, 0, [email])], "delay_count": 2, "repeat_limit": 1},
        ],
    )  # fmt: skip
    return playbook_id


def lead_with_a_call(admin, lead_name, team_id, user_id, customer_id):
    """``(lead id, Call id)``: the salesperson's lead of the customer, with a
    Call due today."""
    lead_id = admin(
        "crm.lead",
        "create",
        {
            "name": lead_name,
            "type": "opportunity",
            "team_id": team_id,
            "user_id": user_id,
            "partner_id": customer_id,
        },
    )
    [lead_model_id] = admin("ir.model", "search", [("model", "=", "crm.lead")])
    call_id = admin(
        "mail.activity",
        "create",
        {
            "res_model_id": lead_model_id,
            "res_id": lead_id,
            "activity_type_id": admin.ref(CALL),
            "user_id": user_id,
            "date_deadline": str(today()),
        },
        context={"mail_activity_quick_update": True},
    )
    return lead_id, call_id


@pytest.fixture
def sales_loop(odoo_server, outgoing_mail, dutch_template, databases, test_database):
    """A salesperson (Amsterdam, working every day) in a team that follows
    ``no_answer_playbook``; a Dutch customer on the salesperson's lead, with
    a Call due today."""
    admin = Rpc(odoo_server, "admin", "admin")
    stamp = uuid.uuid4().hex[:8]
    login = f"loop_{stamp}"
    user_id = admin(
        "res.users",
        "create",
        {
            "name": f"Sam Seller {stamp}",
            "login": login,
            "password": login,
            "email": f"{login}@{outgoing_mail.domain}",
            "tz": ZONE,
            GROUPS_FIELD: [(4, admin.ref("sales_team.group_sale_salesman"))],
        },
    )
    work_every_day(
        Database(databases.config, test_database, databases.logs_dir), user_id, stamp
    )
    team_id = admin(
        "crm.team",
        "create",
        {"name": f"Loop Team {stamp}", "member_ids": [(6, 0, [user_id])]},
    )
    playbook_id = no_answer_playbook(admin, team_id, stamp)
    customer = {
        "name": f"Daan de Vries {stamp}",
        "email": f"daan.{stamp}@customer.example.com",
        "lang": "nl_NL",
        "tz": ZONE,
    }
    customer_id = admin("res.partner", "create", customer)
    lead_name = f"Loop Deal {stamp}"
    lead_id, call_id = lead_with_a_call(admin, lead_name, team_id, user_id, customer_id)
    yield {
        "admin": admin,
        "salesperson": Rpc(odoo_server, login, login),
        "seller_email": f"{login}@{outgoing_mail.domain}",
        "customer": customer,
        "lead_id": lead_id,
        "lead_name": lead_name,
        "call_id": call_id,
        "mailbox": outgoing_mail,
    }
    admin("crm.lead", "unlink", [lead_id])
    admin("sale.activity.playbook", "unlink", [playbook_id])
    admin("crm.team", "unlink", [team_id])
    admin("res.partner", "unlink", [customer_id])
    admin("res.users", "write", [user_id], {"active": False})


def call_not_answered(loop):
    """Step 1: the salesperson marks the Call done with *No answer*, as the
    web client does (the outcome in the context of action_feedback); returns
    the Email follow-up that the rule plans."""
    admin = loop["admin"]
    no_answer = admin.ref(NO_ANSWER)
    loop["salesperson"](
        "mail.activity",
        "action_feedback",
        [loop["call_id"]],
        feedback="Voicemail",
        context={"playbook_outcome_id": no_answer},
    )
    [followup] = admin.activities(loop["lead_id"], EMAIL)
    assert followup["playbook_auto_send"], followup
    return followup


def queued_mails(loop):
    """The lead's emails in Odoo's mail queue (``mail.mail``)."""
    return loop["admin"](
        "mail.mail",
        "search_read",
        [("model", "=", "crm.lead"), ("res_id", "=", loop["lead_id"])],
        fields=["state", "email_from"],
    )


def send_and_deliver(loop):
    """Step 2: the send cron queues the email, Odoo's mail queue delivers it
    to the SMTP server; returns the message the customer received."""
    admin, mailbox, address = loop["admin"], loop["mailbox"], loop["customer"]["email"]
    admin.run_cron("sale_activity_playbooks.ir_cron_playbook_send")
    assert not mailbox.received_by(address), "sent inside the send cron"
    assert [mail["state"] for mail in queued_mails(loop)] == ["outgoing"]
    admin.run_cron("mail.ir_cron_mail_scheduler_action")
    received = mailbox.wait_for(address)
    assert len(received) == 1, [message["Subject"] for message in received]
    return received[0]


def pending(loop, xmlid):
    """The lead's pending activities of the type ``xmlid``."""
    return loop["admin"].activities(loop["lead_id"], xmlid)


def test_send_cron_queues_the_email_and_the_mail_queue_delivers_it(sales_loop):
    """Nothing goes out inside the send cron's transaction (nor after its
    commit, in the same request): the email waits in Odoo's mail queue, whose
    cron delivers it."""
    call_not_answered(sales_loop)
    sent = send_and_deliver(sales_loop)
    assert parseaddr(sent["To"])[1] == sales_loop["customer"]["email"]
    assert [mail["state"] for mail in queued_mails(sales_loop)] in ([], ["sent"])


def test_a_bounce_through_the_gateway_makes_the_automated_emails_tasks(sales_loop):
    """The mail server of the customer could not deliver the automated email:
    its delivery status notification, through the gateway, counts the bounce
    on the lead, the next automated email becomes a task, and the sent one
    counts as bounced."""
    loop, admin = sales_loop, sales_loop["admin"]
    call_not_answered(loop)
    sent = send_and_deliver(loop)
    [next_email] = pending(loop, EMAIL)
    assert next_email["playbook_auto_send"]
    deliver(admin.server, bounce(sent, loop["customer"]["email"]))
    lead = admin.read("crm.lead", loop["lead_id"], ["message_bounce"])
    assert lead["message_bounce"] == 1
    [task] = pending(loop, EMAIL)
    assert task["id"] == next_email["id"]
    assert not task["playbook_auto_send"], "a task for the salesperson now"
    [logged] = admin(
        "mail.message", "search", [("message_id", "=", sent["Message-Id"])]
    )
    bounced = admin(
        "sale.activity.followup.log",
        "search_read",
        [("email_message_id", "=", logged)],
        fields=["email_bounced"],
    )
    assert [log["email_bounced"] for log in bounced] == [True]


def test_no_answer_email_reply_loop(sales_loop):
    """The whole loop: Call not answered, automated email over SMTP in Dutch,
    an out-of-office answer pauses the lead, the customer's reply stops the
    playbook."""
    loop, admin = sales_loop, sales_loop["admin"]
    customer, lead_id = loop["customer"], loop["lead_id"]
    # 1. the Call is done with No answer: an automated Email, due now
    followup = call_not_answered(loop)
    assert followup["playbook_send_at"] <= now(), followup

    # 2. it goes out over SMTP, from the salesperson, in Dutch
    sent = send_and_deliver(loop)
    assert parseaddr(sent["From"])[1] == loop["seller_email"]
    assert parseaddr(sent["To"])[1] == customer["email"]
    assert sent["Subject"] == f"{loop['lead_name']}: zullen we even bellen?"
    body = text_of(sent)
    assert "Ik heb geprobeerd u te bellen over" in body, body
    assert customer["name"] in body and loop["lead_name"] in body, body
    # answers go to the company's catchall, and from there to the lead
    assert parseaddr(sent["Reply-To"])[1] == loop["mailbox"].catchall, sent["Reply-To"]
    # the chatter has it, as the salesperson's email, under the same Message-Id
    logged = admin(
        "mail.message",
        "search_read",
        [("model", "=", "crm.lead"), ("res_id", "=", lead_id),
         ("message_id", "=", sent["Message-Id"])],
        fields=["author_id", "subject"],
    )  # fmt: skip
    assert len(logged) == 1, (sent["Message-Id"], logged)
    [next_email] = pending(loop, EMAIL)
    assert next_email["playbook_auto_send"]
    assert next_email["playbook_send_at"] > now(), "the next email waits for its day"
    [reminder] = pending(loop, FOLLOW_UP)

    # 3. an out-of-office answer through the gateway pauses the lead
    out_of_office = answer(
        sent, customer["email"], "Ik ben afwezig tot volgende week.", auto_reply=True
    )
    assert deliver(loop["admin"].server, out_of_office) == lead_id
    paused_until = admin.read("crm.lead", lead_id, ["playbook_paused_until"])[
        "playbook_paused_until"
    ]
    # 5 working days of the salesperson, who works every day
    assert paused_until == str(today() + timedelta(days=5))
    [moved] = pending(loop, EMAIL)
    assert moved["date_deadline"] >= paused_until, "the next email waits for the end"
    assert [a["id"] for a in pending(loop, FOLLOW_UP)] == [reminder["id"]], (
        "an automatic reply is no reply: the Reminder follow-up stays"
    )

    # 4. the customer's real reply stops the playbook
    reply = answer(sent, customer["email"], "Bel me morgen om 10 uur, graag.")
    assert deliver(loop["admin"].server, reply) == lead_id
    assert not pending(loop, FOLLOW_UP)
    assert not pending(loop, EMAIL), (
        "no automated email right after the customer answered"
    )
    admin.run_cron("sale_activity_playbooks.ir_cron_playbook_send")
    admin.run_cron("mail.ir_cron_mail_scheduler_action")
    assert len(loop["mailbox"].received_by(customer["email"])) == 1
