"""Benchmark of the reminder cron and the neglect scan, driven by
``setup/bench`` (``bench_playbooks.py``): builds data with SQL in a database of
its own (a copy, dropped at the end) and measures

- the reminder cron on REMINDERS due Reminder activities over USERS users
  (half Inbox, half email, several time zones), run batch after batch as the
  cron runner does, then again with escalation;
- Odoo's own per-activity notification (``action_notify``) on the same kind of
  activities, the native way to tell someone about an activity;
- the neglect scan over LEADS leads (won, lost, planned and messaged ones);
- the reminder cron in several worker processes at once, each committing its
  batches, with a proof that no reminder was sent twice.
"""

import importlib
import multiprocessing
import sys
import time
from datetime import date
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from databases import (
    copy_database,
    drop_database,
    environment,
    load_registry,
    odoo_series,
    release_database,
)

ADDON = "sale_activity_playbooks"
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
                odoo_series.GROUPS_FIELD: [
                    (4, env.ref("sales_team.group_sale_salesman").id)
                ],
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
    # the Follow-up reminder type; To-Do on a database without the addon
    follow_up = env.ref(
        "sale_activity_playbooks.mail_activity_type_follow_up", raise_if_not_found=False
    ) or env.ref("mail.mail_activity_data_todo")
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


class Figure:
    """One measured run: wall time and queries."""

    def __init__(self, seconds, queries, **details):
        self.ms = seconds * 1000
        self.q = queries
        self.__dict__.update(details)


def count_queries(cr, func):
    before, start = cr.sql_log_count, time.perf_counter()
    result = func()
    return result, cr.sql_log_count - before, time.perf_counter() - start


def run_reminders_until_done(env, commit=False):
    """Call the reminder cron as the cron runner does, until nothing remains
    (or, with ``commit``, until a call finds nothing it can take):
    ``(batches, queries, seconds)``."""
    progress = []

    def notify(_env, done, remaining):
        progress.append((done, remaining))

    # the addon's module, as the registry imported it (the crons call it)
    series = importlib.import_module(f"odoo.addons.{ADDON}.odoo_series")

    def run():
        with patch.object(series, "notify_cron_progress", notify):
            while True:
                env["sale.activity.reminder"]._cron_playbook_reminders()
                env.flush_all()
                if commit:
                    env.cr.commit()
                done, remaining = progress[-1]
                if not remaining or (commit and not done):
                    return len(progress)

    return count_queries(env.cr, run)


def bench_reminders(registry, users_count, reminders_count):
    """The reminder cron until done, then again with escalation (rolled back
    both times): two Figures."""
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
        reminders = Figure(
            seconds, queries, batches=batches, digests=digests, reminded=reminded
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
        batches, queries, seconds = run_reminders_until_done(env)
        escalated = env["mail.activity"].search_count(
            [("user_id", "in", users.ids), ("escalated_on", "!=", False)]
        )
        cr.rollback()
        # the data stays for the parallel run: drop what this run built
        return reminders, Figure(seconds, queries, batches=batches, escalated=escalated)


def plan_of_due_reminders(registry, history):
    """The plan and time of the reminder cron's candidate query with
    ``history`` Reminder activities already reminded in the table (what years
    of follow-ups leave behind), next to the due ones. Rolled back."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        follow_up = env.ref(f"{ADDON}.mail_activity_type_follow_up")
        lead_id = env["crm.lead"].search([], limit=1).id
        cr.execute(
            """
            INSERT INTO mail_activity (res_model_id, res_model, res_id,
                                       activity_type_id, user_id, date_deadline,
                                       reminded_on, active,
                                       create_uid, create_date, write_uid, write_date)
            SELECT %s, 'crm.lead', %s, %s, 2,
                   (now() - (1 + n %% 1000) * interval '1 day')::date, now(), true,
                   1, now(), 1, now()
              FROM generate_series(1, %s) n
            """,
            [env["ir.model"]._get_id("crm.lead"), lead_id, follow_up.id, history],
        )
        cr.execute("ANALYZE mail_activity")
        query = env["mail.activity"]._search(
            [
                ("activity_type_id.category", "=", "reminder"),
                ("reminded_on", "=", False),
                ("date_deadline", "<=", date.today()),
            ]
        )
        cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) %s", query.select()))
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.rollback()
        return plan


def native_notify(registry, users_count, count):
    """Odoo's own way to tell someone about an activity: one notification per
    activity (``action_notify``, about 13 queries each). Rolled back."""
    with registry.cursor() as cr:
        env = environment(cr)
        build_reminders(env, users_count, count)
        cr.commit()
        activities = env["mail.activity"].search(
            [("summary", "like", "Bench follow-up %")]
        )
        env.invalidate_all()
        _result, queries, seconds = count_queries(
            cr, lambda: (activities.action_notify(), env.flush_all())
        )
        cr.rollback()
        return Figure(seconds, queries, notified=len(activities))


def bench_neglect(registry, leads_count):
    """The neglect scan (one statement) and one cron batch: a Figure with
    the plan of the scan."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        build_leads(env, leads_count)
        cr.commit()
        cr.execute("ANALYZE crm_lead; ANALYZE mail_activity; ANALYZE mail_message")
        Lead = env["crm.lead"]
        full_scan = Lead._playbook_neglected_leads_query(None)
        locked, scan_queries, scan_seconds = count_queries(
            cr, lambda: Lead._playbook_lock_leads(full_scan)
        )
        cr.rollback()
        cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) %s", full_scan))
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.rollback()
        before = env["mail.activity"].search_count([])
        _result, batch_queries, batch_seconds = count_queries(
            cr, lambda: (Lead._cron_playbook_neglect(), env.flush_all())
        )
        scheduled = env["mail.activity"].search_count([]) - before
        cr.rollback()
    return Figure(
        scan_seconds,
        scan_queries,
        candidates=len(locked),
        plan=plan,
        batch=Figure(batch_seconds, batch_queries, scheduled=scheduled),
    )


def _worker(config, dbname, queue):
    registry = load_registry(config, dbname)
    with registry.cursor() as cr:
        env = environment(cr)
        batches, queries, seconds = run_reminders_until_done(env, commit=True)
    queue.put((batches, queries, seconds))


def bench_parallel(config, source_db, users_count, reminders_count, workers):
    """The reminder cron in ``workers`` processes at once on committed data,
    each committing its batches as the cron runner does. Returns a Figure
    (wall time, queries of all workers) with the proof of "once": how many
    times each due reminder appears in the digests."""
    name = copy_database(source_db, prefix="sap_bench_par")
    try:
        registry = load_registry(config, name)
        with registry.cursor() as cr:
            env = environment(cr)
            users, _team = build_reminders(env, users_count, reminders_count)
            cr.commit()
            cr.execute("ANALYZE mail_activity; ANALYZE crm_lead")
            cr.commit()
            partner_ids = users.partner_id.ids
        release_database(name)
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        processes = [
            context.Process(target=_worker, args=(config, name, queue))
            for _i in range(workers)
        ]
        start = time.perf_counter()
        for process in processes:
            process.start()
        results = [queue.get() for _process in processes]
        for process in processes:
            process.join()
        seconds = time.perf_counter() - start
        registry = load_registry(config, name)
        with registry.cursor() as cr:
            # every digest line carries the follow-up's unique summary
            cr.execute(
                """
                SELECT m[1], count(*)
                  FROM mail_message msg
                  JOIN mail_message_res_partner_rel rel ON rel.mail_message_id = msg.id
                 CROSS JOIN regexp_matches(msg.body, 'Bench follow-up ([0-9]+)', 'g') m
                 WHERE msg.message_type = 'user_notification'
                   AND rel.res_partner_id = ANY(%s)
                 GROUP BY m[1]
                """,
                [partner_ids],
            )
            counts = dict(cr.fetchall())
            cr.execute(
                "SELECT count(*) FROM mail_activity"
                " WHERE summary LIKE 'Bench follow-up %%' AND reminded_on IS NULL"
            )
            (left,) = cr.fetchone()
        return Figure(
            seconds,
            sum(r[1] for r in results),
            workers=workers,
            reminded=len(counts),
            sent_twice=sum(1 for c in counts.values() if c > 1),
            left=left,
            batches=sum(r[0] for r in results),
        )
    finally:
        drop_database(name)


def run_all(table, config, native_db, ours_db, scales):
    """Rows 3, 4 and 6 of the table; each scale on its own copy of the
    benchmark database."""
    users = 50
    # native per-activity notifications: measured on the smallest scale,
    # scaled linearly beyond
    native_sample = min(scales["reminders"])
    native = native_notify(load_registry(config, native_db), users, native_sample)
    release_database(ours_db)
    for count in scales["reminders"]:
        name = copy_database(ours_db, prefix="sap_bench_rem")
        try:
            reminders, escalation = bench_reminders(
                load_registry(config, name), users, count
            )
        finally:
            drop_database(name)
        factor = count / native.notified
        scaled = Figure(native.ms / 1000 * factor, int(native.q * factor))
        note = "" if count == native_sample else "native scaled from "
        table.add(
            f"3. reminder cron, {count:,} due reminders over {users} users",
            scaled,
            reminders,
            f"{note}{native.notified:,} action_notify(); "
            f"{reminders.batches} batches, {reminders.digests} digests, "
            f"{reminders.q / users:.1f} queries per user",
        )
        if count == max(scales["reminders"]):
            name = copy_database(ours_db, prefix="sap_bench_plan")
            try:
                table.plans[
                    "reminder cron's candidates: 1,000,000 reminded Reminder "
                    "activities and the demo's due ones"
                ] = plan_of_due_reminders(load_registry(config, name), 1_000_000)
            finally:
                drop_database(name)
        table.add_line(
            "3b. the same reminders, all escalated after 1 working day",
            f"{escalation.ms / 1000:,.1f} s / {escalation.q:,} q",
            f"{escalation.escalated:,} escalated, {escalation.batches} batches",
        )
    for count in scales["leads"]:
        name = copy_database(ours_db, prefix="sap_bench_neg")
        try:
            neglect = bench_neglect(load_registry(config, name), count)
        finally:
            drop_database(name)
        uses_index = "crm_lead_playbook_open_team_idx" in neglect.plan
        table.add_line(
            f"4. neglect scan over {count:,} leads",
            f"{neglect.ms / 1000:,.2f} s / {neglect.q} q",
            f"{neglect.candidates:,} neglected leads selected, locked and marked in "
            f"one statement; partial index used: {'yes' if uses_index else 'no'}; one "
            f"cron batch ({neglect.batch.scheduled} follow-ups): {neglect.batch.q} q, "
            f"{neglect.batch.ms / 1000:.1f} s",
        )
        table.plans[f"neglect scan over {count:,} leads"] = neglect.plan
    for workers in scales["workers"]:
        parallel = bench_parallel(config, ours_db, users, scales["parallel"], workers)
        table.add_line(
            f"6. reminder cron in {workers} process(es), "
            f"{scales['parallel']:,} reminders",
            f"{parallel.ms / 1000:,.1f} s / {parallel.q:,} q",
            f"{scales['parallel'] / (parallel.ms / 1000):,.0f} reminders/s; "
            f"{parallel.reminded:,} reminded, sent twice: {parallel.sent_twice}, "
            f"left: {parallel.left}",
        )
