"""Benchmark of the reminder cron and the neglect scan (a plain script: pytest
does not collect it).

On a throwaway copy of the test database (dropped at the end), it builds
- USERS users (half Inbox, half email, several time zones) with REMINDERS due
  Reminder activities between them, on leads of a team without escalation;
- LEADS leads on a team whose playbook watches for neglect (14 days, 5,000
  minimum), with won and lost ones, planned activities and messages;
then runs the reminder cron until nothing remains, as the cron runner would
(batch after batch; nothing is committed, so no email leaves), and the neglect
scan, and prints queries and seconds.

Needs the environment of setup/test (PG* variables for the project's
PostgreSQL, SAP_ODOO_CONFIG, SAP_TEST_DB) and nobody connected to the test
database, e.g.::

    SAP_ODOO_CONFIG=.local/test.cfg SAP_TEST_DB=sap_test PGHOST=... \\
        .venv/bin/python tests/bench_reminders.py [--users 50] [--reminders 10000]
"""

import argparse
import sys
import time
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from databases import (
    copy_database,
    drop_database,
    environment,
    load_registry,
    required_env,
)

TIME_ZONES = ["Europe/Brussels", "America/New_York", "Asia/Tokyo", "UTC"]


def build_reminders(env, users_count, reminders_count):
    cr = env.cr
    users = env["res.users"].create(
        [
            {
                "name": f"Bench user {i}",
                "login": f"bench_user_{i}",
                "email": f"bench.user.{i}@example.com",
                "tz": TIME_ZONES[i % len(TIME_ZONES)],
                "notification_type": "inbox" if i % 2 else "email",
                "groups_id": [(4, env.ref("sales_team.group_sale_salesman").id)],
            }
            for i in range(users_count)
        ]
    )
    team = env["crm.team"].create({"name": "Bench reminders"})
    env.flush_all()
    leads_count = max(1, reminders_count // 5)
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, team_id, company_id,
                              probability, expected_revenue,
                              create_uid, create_date, write_uid, write_date)
        SELECT 'Bench reminder lead ' || n, 'opportunity', true, %s, %s, 10, 1000,
               1, now(), 1, now()
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        [team.id, env.company.id, leads_count],
    )
    lead_ids = [row[0] for row in cr.fetchall()]
    follow_up = env.ref("sale_activity_playbooks.mail_activity_type_follow_up")
    cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                                   activity_type_id, user_id, user_tz,
                                   date_deadline, summary, active, automated,
                                   create_uid, create_date, write_uid, write_date)
        SELECT %(model_id)s, 'crm.lead', lead.id, lead.name, %(type_id)s,
               usr.id, partner.tz, (now() - (1 + n %% 10) * interval '1 day')::date,
               'Bench follow-up ' || n, true, true, 1, now(), 1, now()
          FROM generate_series(0, %(count)s - 1) n
          JOIN res_users usr ON usr.id = (%(users)s::int[])[1 + n %% %(users_count)s]
          JOIN res_partner partner ON partner.id = usr.partner_id
          JOIN crm_lead lead ON lead.id = (%(leads)s::int[])[1 + n %% %(leads_count)s]
        """,
        {
            "model_id": env["ir.model"]._get_id("crm.lead"),
            "type_id": follow_up.id,
            "count": reminders_count,
            "users": users.ids,
            "users_count": len(users),
            "leads": lead_ids,
            "leads_count": len(lead_ids),
        },
    )
    return users, team


def build_leads(env, leads_count):
    cr = env.cr
    leader = env.ref("base.user_admin")
    team = env["crm.team"].create({"name": "Bench neglect", "user_id": leader.id})
    env["sale.activity.playbook"].create(
        {
            "name": "Bench neglect",
            "neglect_days": 14,
            "neglect_min_revenue": 5000,
            "escalation_days": 0,
            "team_ids": [(4, team.id)],
        }
    )
    salespeople = env["res.users"].search([("share", "=", False)], limit=10)
    env.flush_all()
    # a pipeline of a year: one lead in ten won, one in ten lost (archived),
    # revenue from 0 to 20,000
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, team_id, company_id, user_id,
                              probability, expected_revenue,
                              create_uid, create_date, write_uid, write_date)
        SELECT 'Bench lead ' || n, 'opportunity', n %% 10 <> 1, %s, %s,
               (%s::int[])[1 + n %% %s],
               CASE WHEN n %% 10 = 0 THEN 100 WHEN n %% 10 = 1 THEN 0 ELSE 30 END,
               (n * 7919) %% 20000,
               1, now() - (n %% 365) * interval '1 day',
               1, now() - (n %% 365) * interval '1 day'
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        [
            team.id,
            env.company.id,
            salespeople.ids,
            len(salespeople),
            leads_count,
        ],
    )
    lead_ids = [row[0] for row in cr.fetchall()]
    todo = env.ref("mail.mail_activity_data_todo")
    # a planned activity on one lead in three
    cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id,
                                   user_id, date_deadline, active,
                                   create_uid, create_date, write_uid, write_date)
        SELECT %s, 'crm.lead', id, %s, 2, (now() + interval '5 days')::date, true,
               1, now(), 1, now()
          FROM unnest(%s::int[]) id
         WHERE id %% 3 = 0
        """,
        [env["ir.model"]._get_id("crm.lead"), todo.id, lead_ids],
    )
    # four messages a lead over two months: tracking, notes, emails
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, body, date,
                                  create_uid, create_date, write_uid, write_date)
        SELECT 'crm.lead', id,
               (ARRAY['notification', 'comment', 'email', 'notification'])[1 + k],
               '<p>bench</p>',
               now() - ((id * 13 + k * 17) %% 60) * interval '1 day',
               1, now(), 1, now()
          FROM unnest(%s::int[]) id, generate_series(0, 3) k
        """,
        [lead_ids],
    )
    return team


def count_queries(cr, func):
    before, start = cr.sql_log_count, time.perf_counter()
    result = func()
    return result, cr.sql_log_count - before, time.perf_counter() - start


def run_reminders_until_done(env):
    """Call the reminder cron as the cron runner does, until nothing remains:
    ``(batches, queries, seconds)``."""
    progress = []

    def notify(_cron, done, remaining, **_kw):
        progress.append((done, remaining))

    def run():
        with patch.object(type(env["ir.cron"]), "_notify_progress", notify):
            while True:
                env["sale.activity.reminder"]._cron_playbook_reminders()
                env.flush_all()
                if not progress[-1][1]:
                    return len(progress)

    return count_queries(env.cr, run)


def bench_reminders(registry, users_count, reminders_count):
    with registry.cursor() as cr:
        env = environment(cr)
        users, team = build_reminders(env, users_count, reminders_count)
        cr.commit()
        cr.execute("ANALYZE mail_activity; ANALYZE crm_lead")
        env.invalidate_all()
        batches, queries, seconds = run_reminders_until_done(env)
        digests = env["mail.message"].search_count(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", users.partner_id.ids),
            ]
        )
        reminded = env["mail.activity"].search_count(
            [("user_id", "in", users.ids), ("reminded_on", "!=", False)]
        )
        cr.rollback()
        print(
            f"reminders: {reminded} due reminders over {users_count} users: "
            f"{batches} batches, {digests} digests, {queries} queries "
            f"({queries / max(reminded, 1):.3f} per reminder), {seconds:.1f} s"
        )
        # the same, on a team that escalates after one working day
        team.user_id = env.ref("base.user_admin")
        env["sale.activity.playbook"].create(
            {
                "name": "Bench escalation",
                "escalation_days": 1,
                "team_ids": [(4, team.id)],
            }
        )
        env.flush_all()
        batches, esc_queries, esc_seconds = run_reminders_until_done(env)
        escalated = env["mail.activity"].search_count(
            [("user_id", "in", users.ids), ("escalated_on", "!=", False)]
        )
        cr.rollback()
        print(
            f"reminders with escalation: the same {reminded} reminders, {escalated} "
            f"of them escalated to the team leader: {batches} batches, "
            f"{esc_queries} queries, {esc_seconds:.1f} s"
        )
    return queries, seconds


def bench_neglect(registry, leads_count):
    with registry.cursor() as cr:
        env = environment(cr)
        build_leads(env, leads_count)
        cr.commit()
        cr.execute("ANALYZE crm_lead; ANALYZE mail_activity; ANALYZE mail_message")
        Lead = env["crm.lead"]
        from odoo.tools import SQL

        # the whole scan: every candidate selected, locked and marked at once
        full_scan = Lead._playbook_neglected_leads_query(None)
        locked, _queries, scan_seconds = count_queries(
            cr, lambda: Lead._playbook_lock_leads(full_scan)
        )
        cr.rollback()
        cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) %s", full_scan))
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.rollback()
        # one batch of the cron, scheduling included
        before = env["mail.activity"].search_count([])
        _result, batch_queries, batch_seconds = count_queries(
            cr, lambda: (Lead._cron_playbook_neglect(), env.flush_all())
        )
        scheduled = env["mail.activity"].search_count([]) - before
        cr.rollback()
    print(
        f"neglect: scan over {leads_count} leads: {len(locked)} neglected leads "
        f"selected, locked and marked in one query, {scan_seconds:.2f} s; "
        f"one cron batch ({scheduled} follow-ups scheduled): {batch_queries} queries, "
        f"{batch_seconds:.1f} s"
    )
    print("neglect: plan of the scan\n" + plan)
    return scan_seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--reminders", type=int, default=10000)
    parser.add_argument("--leads", type=int, default=100000)
    args = parser.parse_args(argv)
    config = required_env("SAP_ODOO_CONFIG")
    name = copy_database(required_env("SAP_TEST_DB"), prefix="sap_bench")
    try:
        registry = load_registry(config, name)
        queries, seconds = bench_reminders(registry, args.users, args.reminders)
        scan_seconds = bench_neglect(registry, args.leads)
    finally:
        drop_database(name)
    print(
        f"targets: reminders < 2000 queries and < 30 s: {queries} queries, "
        f"{seconds:.1f} s; neglect scan < 10 s: {scan_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
