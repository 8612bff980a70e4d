"""Benchmark of the send cron (row 13), driven by ``setup/bench``
(``bench_playbooks.py --only 13``): builds data with SQL in copies of the
benchmark databases (dropped at the end) and measures

- the send cron on DUE automated follow-ups due now over SALESPEOPLE
  salespeople whose team allows LIMIT automated emails a day each, run batch
  after batch as the cron runner calls it, until nothing may go out today
  (SALESPEOPLE x LIMIT emails queued, the rest waits for tomorrow);
- Odoo's own way to send the same emails: ``mail.template.send_mail`` called
  per lead, as a server action on each lead does it, on the database
  without the addon, with a template of the same content.

Both queue the emails (``mail.mail``); Odoo's mail queue sends them later.
"""

import importlib
import sys
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_reminders import Figure, count_queries, cpu_text
from databases import (
    copy_database,
    drop_database,
    environment,
    load_registry,
    release_database,
)
from send_world import rule_that_sends, salespeople_every_day

ADDON = "sale_activity_playbooks"
# the content of the addon's template "Follow-up after no answer", for the
# database without the addon
TEMPLATE_VALUES = {
    "name": "Bench follow-up after no answer",
    "subject": "{{ object.name }}: shall we talk?",
    "email_from": "{{ (object.user_id.email_formatted or user.email_formatted) }}",
    "partner_to": "{{ object.partner_id.id or '' }}",
    "email_to": "{{ (not object.partner_id and object.email_from) or '' }}",
    "lang": "{{ object.partner_id.lang or object.lang_code }}",
    "body_html": (
        '<div style="margin: 0px; padding: 0px;">'
        "<p>Hello <t t-out=\"object.partner_id.name or object.contact_name or ''\"/>,"
        "</p><p>I tried to call you about <t t-out=\"object.name or ''\"/>, but "
        "could not reach you.</p><p>When would a short call suit you? Just reply "
        "to this email with a moment that works for you.</p><p>Kind regards,<br/>"
        "<t t-out=\"object.user_id.name or ''\"/></p></div>"
    ),
}


def build_salespeople(env, count, limit):
    """``count`` salespeople (UTC, working every day) in a team that allows
    ``limit`` automated emails a day each, and the leads' team."""
    users = salespeople_every_day(env, count, "Bench sender", notification_type="inbox")
    values = {"name": "Bench sends"}
    if "playbook_daily_send_limit" in env["crm.team"]._fields:
        values["playbook_daily_send_limit"] = limit
    return users, env["crm.team"].create(values)


def build_leads(env, team, users, count):
    """``count`` leads of ``team`` spread over ``users``, each with its
    customer's address and no partner (the email goes to ``email_from``)."""
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, team_id, company_id, user_id,
                              email_from, email_normalized, probability,
                              expected_revenue, create_uid, create_date,
                              write_uid, write_date)
        SELECT 'Bench send lead ' || n, 'opportunity', true, %(team)s,
               %(company)s, (%(users)s::int[])[1 + n %% %(users_count)s],
               'customer' || n || '@example.com',
               'customer' || n || '@example.com', 10, 1000,
               1, now(), 1, now()
          FROM generate_series(0, %(count)s - 1) n
        RETURNING id
        """,
        {
            "team": team.id,
            "company": env.company.id,
            "users": users.ids,
            "users_count": len(users),
            "count": count,
        },
    )
    return env["crm.lead"].browse(row[0] for row in env.cr.fetchall())


def build_sends(env, salespeople, due, limit):
    """The automated follow-ups: a playbook of the team that sends the
    addon's template after a Call found no answer, all day long, and an
    Email of its rule due now on each of ``due`` leads, oldest first by
    lead. Committed."""
    users, team = build_salespeople(env, salespeople, limit)
    rule = rule_that_sends(env, team, "Bench sends")
    email = env.ref("mail.mail_activity_data_email")
    leads = build_leads(env, team, users, due)
    env.cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                                   activity_type_id, user_id, user_tz,
                                   date_deadline, summary, active, automated,
                                   is_reminder, playbook_line_id,
                                   playbook_auto_send, playbook_send_at,
                                   create_uid, create_date, write_uid, write_date)
        SELECT %(model_id)s, 'crm.lead', lead.id, lead.name, %(type_id)s,
               lead.user_id, 'UTC', (now() at time zone 'UTC')::date,
               'Bench email', true, true, false, %(rule)s, true,
               (now() at time zone 'UTC') - interval '1 hour'
               + lead.id * interval '1 millisecond',
               1, now(), 1, now()
          FROM crm_lead lead WHERE lead.id = ANY(%(leads)s)
        """,
        {
            "model_id": env["ir.model"]._get_id("crm.lead"),
            "type_id": email.id,
            "rule": rule.id,
            "leads": leads.ids,
        },
    )
    env.cr.commit()
    return users, leads


def counted(env, counts, key, method):
    """``method`` that adds the queries of each call to ``counts[key]``."""

    def wrapper(self, *args):
        before = env.cr.sql_log_count
        result = method(self, *args)
        counts[key] += env.cr.sql_log_count - before
        return result

    return wrapper


def run_sends_until_done(env):
    """Call the send cron as the cron runner does, until nothing remains
    today: ``((batches, {part: queries}), queries, seconds, CPU seconds)``;
    the parts: ``queue`` (the template's send_mail_batch: Odoo's rendering
    and queueing) and ``done`` (marking the follow-ups done: Odoo's Done
    messages, the engine's next rules, the log rows)."""
    progress, counts = [], {"queue": 0, "done": 0}
    series = importlib.import_module(f"odoo.addons.{ADDON}.odoo_series")
    Sender = env["sale.activity.playbook.sender"]
    cls = type(Sender)

    def notify(_env, done, remaining):
        progress.append((done, remaining))

    def run():
        with (
            patch.object(series, "notify_cron_progress", notify),
            patch.object(
                cls,
                "_queue_template",
                counted(env, counts, "queue", cls._queue_template),
            ),
            patch.object(
                cls, "_mark_sent", counted(env, counts, "done", cls._mark_sent)
            ),
        ):
            while True:
                Sender._cron_send_playbook_emails()
                env.flush_all()
                done, remaining = progress[-1]
                if not remaining or not done:
                    return len(progress), counts

    return count_queries(env.cr, run)


def bench_send_cron(registry, salespeople, due, limit):
    """The send cron until nothing may go out today (rolled back): a
    Figure."""
    with registry.cursor() as cr:
        env = environment(cr)
        users, leads = build_sends(env, salespeople, due, limit)
        cr.execute("ANALYZE mail_activity; ANALYZE crm_lead")
        env.invalidate_all()
        (batches, parts), queries, seconds, cpu = run_sends_until_done(env)
        queued = env["mail.mail"].search_count(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("message_type", "=", "email_outgoing"),
            ]
        )
        logged = env["sale.activity.followup.log"].search_count(
            [("user_id", "in", users.ids), ("email_sent_at", "!=", False)]
        )
        cr.rollback()
        return Figure(
            seconds,
            queries,
            batches=batches,
            queueing=parts["queue"],
            done=parts["done"],
            queued=queued,
            logged=logged,
            cpu=cpu,
        )


def native_send_mail(registry, salespeople, count):
    """``mail.template.send_mail`` per lead on ``count`` leads, as a server
    action does it (the email queued, not sent). Rolled back: a Figure."""
    with registry.cursor() as cr:
        env = environment(cr)
        users, team = build_salespeople(env, salespeople, 0)
        leads = build_leads(env, team, users, count)
        template = env["mail.template"].create(
            {**TEMPLATE_VALUES, "model_id": env["ir.model"]._get_id("crm.lead")}
        )
        cr.commit()
        env.invalidate_all()

        def send():
            for lead in leads:
                template.send_mail(lead.id)
            env.flush_all()

        _result, queries, seconds, cpu = count_queries(cr, send)
        queued = env["mail.mail"].search_count(
            [("model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
        )
        cr.rollback()
        return Figure(seconds, queries, queued=queued, cpu=cpu)


def on_copy(config, database, prefix, bench, *args):
    """Run ``bench`` on a throwaway copy of ``database``."""
    release_database(database)
    name = copy_database(database, prefix=prefix)
    try:
        return bench(load_registry(config, name), *args)
    finally:
        drop_database(name)


def run_row(table, config, native_db, ours_db, quick):
    """Row 13: the send cron, and side by side Odoo's send_mail per lead."""
    salespeople, due, limit = (10, 1000, 50) if quick else (50, 10000, 100)
    ours = on_copy(
        config, ours_db, "sap_bench_send", bench_send_cron, salespeople, due, limit
    )
    native = on_copy(
        config, native_db, "sap_bench_sendn", native_send_mail, salespeople, ours.queued
    )
    others = ours.q - ours.queueing - ours.done
    table.add(
        f"13. send cron, {due:,} automated follow-ups due over {salespeople} "
        f"salespeople, daily limit {limit} each; native: the same "
        f"{native.queued:,} emails with mail.template.send_mail per lead",
        native,
        ours,
        f"both measured, whole runs; ours {cpu_text(ours)}, native "
        f"{cpu_text(native)}; ours: {ours.queued:,} emails queued and logged "
        f"({ours.logged:,} log rows), the follow-ups done, the rest waits for "
        f"tomorrow, in {ours.batches} batches; of its queries {ours.queueing:,} "
        f"are Odoo's rendering and queueing (the template's send_mail_batch), "
        f"{ours.done:,} the Done of the follow-ups (Odoo's done messages, the "
        f"next rules, the log), {others:,} the cron's own (selection, locks, "
        f"limits, checks): {others / ours.batches:,.0f} per batch, "
        f"{others / salespeople:,.1f} per salesperson, "
        f"{others / max(ours.queued, 1):.1f} per email (derived); native "
        f"{native.q / max(native.queued, 1):.1f} queries per email (derived)",
    )
