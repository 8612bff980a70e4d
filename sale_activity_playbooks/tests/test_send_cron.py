# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MONDAY
from .send_common import NEW_YORK_EVENING, NEW_YORK_NOON, SendCase

# Thursday 26 November 2026, 12:00 in New York
THURSDAY_NEW_YORK_NOON = datetime(2026, 11, 26, 17, 0)
# 9:00 in New York on these days
THURSDAY_WINDOW = datetime(2026, 11, 26, 14, 0)
MONDAY_WINDOW = datetime(2026, 11, 30, 14, 0)
# 9:30 in New York, 15:30 in Brussels and Amsterdam: both windows are open
BOTH_OPEN = datetime(2026, 11, 25, 14, 30)


class SendCronCase(SendCase):
    """The send rule's Email is followed by a Call when it is done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.after_email = cls.add_rule(cls.email, cls.call)
        cls.Sender = cls.env["sale.activity.playbook.sender"]

    def send(self):
        """One run of the send cron, as the cron runner calls it."""
        self.Sender._cron_send_playbook_emails()

    def mails(self, leads=None):
        """The emails queued on ``leads`` (not the notifications to their
        salesperson)."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "in", (leads or self.lead).ids),
                ("message_type", "=", "email_outgoing"),
            ]
        )

    def new_lead(self, name, user=None, **values):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "team_id": self.team.id,
                "user_id": (user or self.salesman).id,
                "partner_id": self.customer.id,
                **values,
            }
        )

    def due_at(self, emails, when):
        """Make ``emails`` due at ``when``, as a cron that did not run for a
        while finds them (the send time is computed: no write sets it)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_activity SET playbook_send_at = %s WHERE id = ANY(%s)",
            (when, emails.ids),
        )
        emails.invalidate_recordset(["playbook_send_at"])

    def assertNotSent(self, email, lead=None):
        self.assertActivitiesPending(email)
        self.assertTrue(email.playbook_auto_send)
        self.assertFalse(self.mails(lead))


@tagged("post_install", "-at_install")
class TestSendCron(SendCronCase):
    """2. The send cron queues the email of a due automated follow-up, from
    its assignee to the lead's customer, then marks it done."""

    @freeze_time(NEW_YORK_NOON)
    def test_sent_inside_the_window_from_the_assignee_to_the_customer(self):
        email = self.call_not_answered()
        self.lead.message_subscribe(self.leader.partner_id.ids)
        self.send()
        mail = self.mails()
        self.assertEqual(len(mail), 1)
        # queued for Odoo's mail queue, not sent in the cron's transaction
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.author_id, self.salesman.partner_id)
        self.assertIn(self.salesman.email, mail.email_from)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertFalse(mail.email_to)
        self.assertEqual(mail.subject, "Big Deal: shall we talk?")
        self.assertIn("I tried to call you about Big Deal", mail.body_html)
        reply_to = self.lead._notify_get_reply_to(default=False)[self.lead.id]
        self.assertEqual(mail.reply_to, reply_to or mail.email_from)
        self.assertTrue(mail.message_id)
        # logged on the lead, no follower notified
        message = mail.mail_message_id
        self.assertEqual((message.model, message.res_id), ("crm.lead", self.lead.id))
        self.assertIn(message, self.lead.message_ids)
        self.assertFalse(message.notification_ids.res_partner_id - self.customer)
        # done as any Done: the next rule plans the Call
        self.assertActivitiesDone(email)
        done = self.lead.message_ids.filtered(
            lambda m: "Sent automatically" in (m.body or "")
        )
        self.assertEqual(len(done), 1)
        self.assertTrue(self.activities(activity_type=self.call))
        log = self.env["sale.activity.followup.log"].search(
            [
                ("lead_id", "=", self.lead.id),
                ("playbook_line_id", "=", self.send_rule.id),
            ]
        )
        self.assertEqual(log.email_sent_at, NEW_YORK_NOON)
        self.assertEqual(log.email_message_id, message)

    @freeze_time(BOTH_OPEN)
    def test_in_the_customer_s_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.template.update_field_translations(
            "subject", {"nl_NL": "{{ object.name }}: zullen we even bellen?"}
        )
        dutch_body = self.template.body_html.replace(
            "I tried to call you about", "Ik probeerde u te bellen over"
        )
        self.template.update_field_translations("body_html", {"nl_NL": dutch_body})
        dutch = self.env["res.partner"].create(
            {
                "name": "Daan",
                "email": "daan@example.com",
                "lang": "nl_NL",
                "tz": "Europe/Amsterdam",
            }
        )
        lead = self.new_lead("Groot Project", partner_id=dutch.id)
        self.call_not_answered(lead)
        self.call_not_answered()
        self.send()
        self.assertEqual(
            self.mails(lead).subject, "Groot Project: zullen we even bellen?"
        )
        self.assertIn(
            "Ik probeerde u te bellen over Groot Project", self.mails(lead).body_html
        )
        self.assertEqual(self.mails().subject, "Big Deal: shall we talk?")

    @freeze_time(BOTH_OPEN)
    def test_a_lead_without_customer_gets_it_at_its_email(self):
        lead = self.new_lead(
            "Walk-in", partner_id=False, email_from="walter@example.com"
        )
        partners = self.env["res.partner"].search_count([])
        self.call_not_answered(lead)
        self.send()
        mail = self.mails(lead)
        self.assertEqual(mail.email_to, "walter@example.com")
        self.assertFalse(mail.recipient_ids)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    @freeze_time(BOTH_OPEN)
    def test_a_template_without_recipients_writes_to_the_customer(self):
        self.template.write({"partner_to": False, "email_to": False})
        lead = self.new_lead(
            "Walk-in", partner_id=False, email_from="walter@example.com"
        )
        self.call_not_answered(lead)
        self.call_not_answered()
        self.send()
        self.assertEqual(self.mails().recipient_ids, self.customer)
        self.assertEqual(self.mails(lead).email_to, "walter@example.com")

    @freeze_time(NEW_YORK_NOON)
    def test_nothing_is_sent_twice(self):
        email = self.call_not_answered()
        self.send()
        self.send()
        self.assertEqual(len(self.mails()), 1)
        self.assertActivitiesDone(email)

    @freeze_time(NEW_YORK_NOON)
    def test_a_paused_lead_is_skipped(self):
        email = self.call_not_answered()
        self.lead.playbook_paused_until = MONDAY
        self.due_at(email, NEW_YORK_NOON)
        self.send()
        self.assertNotSent(email)

    @freeze_time(NEW_YORK_NOON)
    def test_an_assignee_on_leave_is_skipped(self):
        email = self.call_not_answered()
        self.env["resource.resource"].create(
            {
                "name": self.salesman.name,
                "user_id": self.salesman.id,
                "calendar_id": self.calendar.id,
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Day off",
                "resource_id": self.salesman.resource_ids.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 25, 7, 0),
                "date_to": datetime(2026, 11, 25, 16, 0),
            }
        )
        self.due_at(email, NEW_YORK_NOON)
        self.send()
        self.assertNotSent(email)
        self.assertEqual(email.playbook_send_at, NEW_YORK_NOON)

    def test_the_cron_sends_and_records_its_progress(self):
        cron = self.env.ref("sale_activity_playbooks.ir_cron_playbook_send")
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))
        with freeze_time(NEW_YORK_NOON):
            email = self.call_not_answered()
            with self.cron_sees_this_test():
                cron.method_direct_trigger()
            self.assertEqual(len(self.mails()), 1)
            self.assertActivitiesDone(email)
            progress = self.env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            self.assertEqual((progress.done, progress.remaining), (1, 0))


@tagged("post_install", "-at_install")
class TestSendWindow(SendCronCase):
    """3. Nothing goes out outside the customer's hours, nor on a day the
    assignee does not work: it waits for the next window."""

    def test_due_after_the_window_waits_for_the_next_one(self):
        with freeze_time(NEW_YORK_NOON):
            email = self.call_not_answered()
        with freeze_time(NEW_YORK_EVENING):
            self.send()
        self.assertNotSent(email)
        self.assertEqual(email.playbook_send_at, THURSDAY_WINDOW)
        with freeze_time(THURSDAY_WINDOW):
            self.send()
        self.assertEqual(len(self.mails()), 1)
        self.assertActivitiesDone(email)

    def test_weekend_and_holiday_wait_for_a_working_day(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Company holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 29, 23, 0),
                "date_to": datetime(2026, 11, 30, 22, 59, 59),
            }
        )
        with freeze_time(NEW_YORK_NOON):
            email = self.call_not_answered()
        # the cron did not run before Saturday noon in New York
        with freeze_time(datetime(2026, 11, 28, 17, 0)):
            self.send()
        self.assertNotSent(email)
        # Monday is a holiday: Tuesday 9:00 in New York
        self.assertEqual(email.playbook_send_at, datetime(2026, 12, 1, 14, 0))
        with freeze_time(MONDAY_WINDOW):
            self.send()
        self.assertNotSent(email)


@tagged("post_install", "-at_install")
class TestSendLimit(SendCronCase):
    """4. At most the team's daily limit of automated emails per assignee and
    per day of the assignee; the rest wait, oldest first."""

    def plan_emails(self, names, user=None):
        """An automated Email due now on a new lead per name, the first one
        planned last but due first."""
        emails = self.env["mail.activity"]
        for name in names:
            emails |= self.call_not_answered(self.new_lead(name, user=user))
        for minutes, email in enumerate(emails):
            self.due_at(email, NEW_YORK_NOON - timedelta(minutes=minutes + 1))
        return emails

    def test_the_oldest_go_first_within_the_limit(self):
        self.team.playbook_daily_send_limit = 2
        with freeze_time(NEW_YORK_NOON):
            emails = self.plan_emails(["A", "B", "C"])
            self.send()
            self.send()
        # the first planned one was due last: it waits, with its send time
        waiting = emails[0]
        self.assertActivitiesDone(emails[1:])
        self.assertActivitiesPending(waiting)
        self.assertEqual(waiting.playbook_send_at, NEW_YORK_NOON - timedelta(minutes=1))
        with freeze_time(THURSDAY_NEW_YORK_NOON):
            later = self.plan_emails(["D"])
            self.due_at(later, THURSDAY_NEW_YORK_NOON)
            self.team.playbook_daily_send_limit = 1
            self.send()
        self.assertActivitiesDone(waiting)
        self.assertActivitiesPending(later)

    def test_each_assignee_has_the_limit_of_their_own_day(self):
        self.team.playbook_daily_send_limit = 1
        self.playbook.write({"send_hour_from": 0, "send_hour_to": 24})
        # 23:00 in Brussels on Wednesday
        with freeze_time(datetime(2026, 11, 25, 22, 0)):
            emails = self.plan_emails(["A", "B"])
            other = self.plan_emails(["C"], user=self.clicker)
            self.send()
            self.assertActivitiesDone(emails[1] | other)
            self.assertActivitiesPending(emails[0])
        # 0:30 in Brussels on Thursday, still Wednesday in UTC and New York
        with freeze_time(datetime(2026, 11, 25, 23, 30)):
            self.send()
        self.assertActivitiesDone(emails[0])

    def test_the_limit_of_the_lead_s_team(self):
        self.team.playbook_daily_send_limit = 1
        unlimited = self.env["crm.team"].create(
            {
                "name": "Unlimited Team",
                "playbook_daily_send_limit": 0,
                "member_ids": [(6, 0, self.salesman.ids)],
            }
        )
        self.playbook.team_ids = [(4, unlimited.id)]
        with freeze_time(NEW_YORK_NOON):
            emails = self.plan_emails(["A", "B"])
            other = self.call_not_answered(self.new_lead("C", team_id=unlimited.id))
            self.send()
        self.assertActivitiesDone(emails[1] | other)
        self.assertActivitiesPending(emails[0])

    def test_no_limit(self):
        self.team.playbook_daily_send_limit = 0
        with freeze_time(NEW_YORK_NOON):
            emails = self.plan_emails(["A", "B", "C"])
            self.send()
        self.assertActivitiesDone(emails)


@tagged("post_install", "-at_install")
class TestNeverSent(SendCronCase):
    """5. Checked when it goes out: nothing is sent, the follow-up becomes a
    task for the salesperson with a note that says why."""

    def assertKeptAsTask(self, email, reason, lead=None):
        lead = lead or self.lead
        self.assertActivitiesPending(email)
        self.assertFalse(email.playbook_auto_send)
        self.assertFalse(email.playbook_send_at)
        self.assertFalse(self.mails(lead))
        self.assertIn(reason, email.note)
        self.assertTrue(
            lead.message_ids.filtered(lambda m: reason in (m.body or "")),
            "the lead's chatter says why",
        )

    @freeze_time(NEW_YORK_NOON)
    def test_no_email_address(self):
        email = self.call_not_answered()
        self.customer.email = False
        self.send()
        self.assertKeptAsTask(email, "the customer has no email address")

    @freeze_time(NEW_YORK_NOON)
    def test_an_invalid_email_address(self):
        email = self.call_not_answered()
        self.customer.email = "carla.example.com"
        self.send()
        self.assertKeptAsTask(email, "carla.example.com is not valid")

    @freeze_time(NEW_YORK_NOON)
    def test_a_blacklisted_address(self):
        email = self.call_not_answered()
        self.env["mail.blacklist"].create({"email": "Carla@Example.com"})
        self.send()
        self.assertKeptAsTask(email, "carla@example.com is blacklisted")

    @freeze_time(NEW_YORK_NOON)
    def test_a_lead_whose_emails_bounced(self):
        email = self.call_not_answered()
        self.lead.message_bounce = 1
        self.send()
        self.assertKeptAsTask(email, "emails to carla@example.com bounced")

    @freeze_time(NEW_YORK_NOON)
    def test_a_rule_without_template_any_more(self):
        email = self.call_not_answered()
        self.send_rule.write({"auto_send": False, "mail_template_id": False})
        self.send()
        self.assertKeptAsTask(email, "no email template any more")

    @freeze_time(NEW_YORK_NOON)
    def test_a_template_that_fails_to_render_for_one_lead(self):
        self.template.subject = (
            "{{ object.name }}: {{ 100 // object.expected_revenue }}"
        )
        email = self.call_not_answered()
        fine_lead = self.new_lead("Fine", expected_revenue=10)
        fine = self.call_not_answered(fine_lead)
        self.lead.expected_revenue = 0
        self.send()
        self.assertKeptAsTask(email, "could not be filled in for this lead")
        self.assertActivitiesDone(fine)
        self.assertEqual(self.mails(fine_lead).subject, "Fine: 10.0")


@tagged("post_install", "-at_install")
class TestSendQueries(SendCronCase):
    """A batch costs queries per assignee and batch, not per email, beyond
    Odoo's own rendering and queueing (the template's ``send_mail_batch``)
    and Done (its message per activity, the next rules)."""

    def own_queries(self, count):
        """Queries of one run of the cron sending ``count`` emails of the
        salesman, but Odoo's queueing and Done."""
        leads = self.env["crm.lead"]
        for i in range(count):
            leads |= self.new_lead(f"Lead {count} {i}")
        for lead in leads:
            self.call_not_answered(lead)
        self.env.flush_all()
        self.env.invalidate_all()
        Sender = type(self.Sender)
        spent = [0]

        def aside(method):
            def wrapper(model, *args):
                before = self.cr.sql_log_count
                result = method(model, *args)
                spent[0] += self.cr.sql_log_count - before
                return result

            return wrapper

        before = self.cr.sql_log_count
        with (
            patch.object(Sender, "_queue_template", aside(Sender._queue_template)),
            patch.object(Sender, "_mark_sent", aside(Sender._mark_sent)),
        ):
            self.send()
            self.env.flush_all()
        self.assertEqual(len(self.mails(leads)), count)
        return self.cr.sql_log_count - before - spent[0]

    @freeze_time(NEW_YORK_NOON)
    def test_the_cron_s_own_queries_do_not_grow_with_the_emails(self):
        self.own_queries(1)  # warms the caches
        self.assertEqual(self.own_queries(2), self.own_queries(6))
