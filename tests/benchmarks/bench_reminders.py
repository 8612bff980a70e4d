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
import logging
import multiprocessing
import os
import sys
import time
from datetime import timedelta
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
    # the addon keeps the type's category on the row (is_reminder)
    flag = column_exists(cr, "mail_activity", "is_reminder")
    cr.execute(
        f"""
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                                   activity_type_id, user_id, user_tz,
                                   date_deadline, summary, active, automated,
                                   {"is_reminder," if flag else ""}
                                   create_uid, create_date, write_uid, write_date)
        SELECT %(model_id)s, 'crm.lead', lead.id, lead.name, %(type_id)s,
               usr.id, partner.tz, (now() - (1 + n %% 10) * interval '1 day')::date,
               'Bench follow-up ' || n, true, true, {"true," if flag else ""}
               1, now(), 1, now()
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


def column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def build_history(env, users, count):
    """``count`` activities that years of follow-ups leave behind, of every
    activity type: the Reminder ones reminded and escalated long ago, the
    others never reminded (they are no reminders), deadlines over the last
    three years and the next month. Committed."""
    cr = env.cr
    types = env["mail.activity.type"].search([])
    reminder_types = types.filtered(lambda t: t.category == "reminder")
    lead_id = env["crm.lead"].search([], limit=1).id
    cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id,
                                   activity_type_id, user_id, date_deadline,
                                   is_reminder, reminded_on, escalated_on, active,
                                   create_uid, create_date, write_uid, write_date)
        SELECT %(model_id)s, 'crm.lead', %(lead)s, type_id, user_id,
               (now() + (30 - n %% 1125) * interval '1 day')::date,
               type_id = ANY(%(reminder_types)s),
               CASE WHEN type_id = ANY(%(reminder_types)s) THEN now() END,
               CASE WHEN type_id = ANY(%(reminder_types)s) THEN now() END,
               true, 1, now(), 1, now()
          FROM (SELECT n, (%(types)s::int[])[1 + n %% %(types_count)s] AS type_id,
                       (%(users)s::int[])[1 + n %% %(users_count)s] AS user_id
                  FROM generate_series(1, %(count)s) n) history
        """,
        {
            "model_id": env["ir.model"]._get_id("crm.lead"),
            "lead": lead_id,
            "types": types.ids,
            "types_count": len(types),
            "reminder_types": reminder_types.ids,
            "users": users.ids,
            "users_count": len(users),
            "count": count,
        },
    )
    cr.commit()


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
    # each lead followed by its salesperson, as crm makes it
    cr.execute(
        """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'crm.lead', lead.id, usr.partner_id
          FROM crm_lead lead JOIN res_users usr ON usr.id = lead.user_id
         WHERE lead.id = ANY(%s)
        ON CONFLICT DO NOTHING
        """,
        [lead_ids],
    )
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


def backend_cpu(cr):
    """CPU seconds that the PostgreSQL backend of ``cr`` has used so far, from
    /proc (None when the server runs elsewhere)."""
    cr.execute("SELECT pg_backend_pid()")
    try:
        stat = Path(f"/proc/{cr.fetchone()[0]}/stat").read_text()
    except OSError:
        return None
    utime, stime = stat.rsplit(")", 1)[1].split()[11:13]
    return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


def count_queries(cr, func):
    """Run ``func``: ``(result, queries, wall seconds, CPU seconds)``. The CPU
    time is this process's and its PostgreSQL backend's: what the work costs
    whatever else the machine runs (None when the server runs elsewhere)."""
    cpu_before = time.process_time(), backend_cpu(cr)
    before, start = cr.sql_log_count, time.perf_counter()
    result = func()
    queries, seconds = cr.sql_log_count - before, time.perf_counter() - start
    cpu_after = time.process_time(), backend_cpu(cr)
    cpu = None
    if cpu_before[1] is not None:
        cpu = sum(cpu_after) - sum(cpu_before)
    return result, queries, seconds, cpu


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
        batches, queries, seconds, cpu = run_reminders_until_done(env)
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
            seconds,
            queries,
            batches=batches,
            digests=digests,
            reminded=reminded,
            cpu=cpu,
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
        batches, queries, seconds, cpu = run_reminders_until_done(env)
        escalated = env["mail.activity"].search_count(
            [("user_id", "in", users.ids), ("escalated_on", "!=", False)]
        )
        cr.rollback()
        # the data stays for the parallel run: drop what this run built
        return reminders, Figure(
            seconds, queries, batches=batches, escalated=escalated, cpu=cpu
        )


def bench_reminders_with_history(registry, users_count, due_count, history):
    """The reminder cron until done on ``due_count`` due reminders next to
    ``history`` activities of every type already dealt with (rolled back): a
    Figure, with the plan of the query that picks the first batch's
    assignees."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        users, _team = build_reminders(env, users_count, due_count)
        cr.commit()
        build_history(env, users, history)
        cr.execute("ANALYZE mail_activity; ANALYZE crm_lead")
        env.invalidate_all()
        Reminder = env["sale.activity.reminder"]
        now = fields_now()
        query = Reminder._pick_assignees_query(
            Reminder._due_reminder_condition(now), 2000
        )
        cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) %s", query))
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.rollback()
        batches, queries, seconds, cpu = run_reminders_until_done(env)
        reminded = env["mail.activity"].search_count(
            [("summary", "like", "Bench follow-up %"), ("reminded_on", "!=", False)]
        )
        cr.rollback()
        return Figure(
            seconds, queries, batches=batches, reminded=reminded, plan=plan, cpu=cpu
        )


def fields_now():
    from odoo import fields

    return fields.Datetime.now()


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
        _result, queries, seconds, cpu = count_queries(
            cr, lambda: (activities.action_notify(), env.flush_all())
        )
        cr.rollback()
        return Figure(seconds, queries, notified=len(activities), cpu=cpu)


def bench_neglect(registry, leads_count):
    """The neglect cron as Odoo's cron runner calls it, batch after batch
    until nothing remains, each batch committed (on a throwaway copy): a
    Figure of the whole run, with the batches, the follow-ups scheduled, the
    cost of the scan (the statement that selects and locks a batch's leads)
    in the first and last batches, and the plan of the scan of a chunk."""
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = environment(cr)
        team = build_leads(env, leads_count)
        cr.commit()
        cr.execute("ANALYZE crm_lead; ANALYZE mail_activity; ANALYZE mail_message")
        cr.commit()
        Neglect = env["sale.activity.neglect"]
        # the first chunk of the benchmark's team (the demo's come first)
        start = (team.id, 0)
        first_chunk = Neglect._neglected_leads_query(
            500, after=start, until=Neglect._chunk_end(start)
        )
        cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) %s", first_chunk))
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.rollback()
        follow_ups = [
            ("res_model", "=", "crm.lead"),
            ("note", "ilike", "Nothing planned, done or written"),
        ]
        before = env["mail.activity"].search_count(follow_ups)
        # the scan of a batch: where its chunks end, and the statements that
        # select and lock their neglected leads
        scans = []
        NeglectClass = type(Neglect)

        def timed(method):
            def call(self, *args, **kwargs):
                queries, start = self.env.cr.sql_log_count, time.perf_counter()
                result = method(self, *args, **kwargs)
                scans[-1].ms += (time.perf_counter() - start) * 1000
                scans[-1].q += self.env.cr.sql_log_count - queries
                return result

            return call

        cron = env.ref("sale_activity_playbooks.ir_cron_playbook_neglect")

        def run():
            with (
                patch.object(
                    NeglectClass,
                    "_lock_leads",
                    timed(NeglectClass._lock_leads),
                ),
                patch.object(
                    NeglectClass,
                    "_chunk_end",
                    timed(NeglectClass._chunk_end),
                ),
            ):
                while True:
                    _cron, progress = cron._add_progress()
                    cr.commit()
                    scans.append(Figure(0, 0))
                    # as the runner gives it (19.0 checks the cron_id)
                    Neglect.with_context(
                        ir_cron_progress_id=progress.id, cron_id=cron.id
                    )._cron_playbook_neglect()
                    env.flush_all()
                    cr.commit()
                    scans[-1].leads = progress.done
                    if not progress.remaining or not progress.done:
                        return

        _result, queries, seconds, cpu = count_queries(cr, run)
        scheduled = env["mail.activity"].search_count(follow_ups) - before
    return Figure(
        seconds,
        queries,
        cpu=cpu,
        batches=len(scans),
        scheduled=scheduled,
        first=scans[0],
        # the last batch that scheduled follow-ups (the runner's last call
        # may find none)
        last=[scan for scan in scans if scan.leads][-1],
        plan=plan,
    )


def _worker(config, dbname, queue):
    registry = load_registry(config, dbname)
    with registry.cursor() as cr:
        env = environment(cr)
        batches, queries, seconds, _cpu = run_reminders_until_done(env, commit=True)
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


class ConflictLog(logging.Handler):
    """Counts the follow-ups that a batch found changed under it (the
    reminder cron logs them, left to its next call)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.rows = 0

    def emit(self, record):
        if "changed meanwhile" in record.getMessage():
            self.rows += len(record.args[0])


def _salesperson(registry, user_id, stop, counts):
    """A salesperson working on their due follow-ups until ``stop``: moves
    one to an earlier day (still due), or marks one done, about 20 times a
    second, each write a request of its own (retried by Odoo on a
    serialization failure, as the HTTP layer does)."""
    import random

    from odoo import api
    from odoo.service.model import retrying

    rnd = random.Random(user_id)
    while not stop.is_set():
        with registry.cursor() as cr:
            env = api.Environment(cr, user_id, {})

            def work(env=env):
                env.cr.execute(
                    "SELECT id FROM mail_activity WHERE user_id = %s AND is_reminder "
                    "AND active AND date_deadline <= now()::date "
                    "ORDER BY random() LIMIT 1",
                    [user_id],
                )
                row = env.cr.fetchone()
                if not row:
                    return
                activity = env["mail.activity"].browse(row[0])
                if rnd.random() < 0.7:
                    activity.date_deadline = activity.date_deadline - timedelta(days=1)
                else:
                    activity.action_feedback(feedback="Done under load")
                counts["writes"] += 1

            try:
                retrying(work, env)
            except Exception:  # noqa: BLE001 (a user would have seen it)
                counts["errors"] += 1
        time.sleep(rnd.uniform(0.02, 0.08))


def bench_under_load(config, source_db, salespeople, runs, per_run):
    """The reminder cron, run after run as Odoo's cron runner calls it (a call
    per batch, each committed; at most 10 calls a run; a run again at once
    when a call triggered the job), while ``salespeople`` threads move and
    complete their due follow-ups, each write committed. Before each run,
    ``per_run`` follow-ups per salesperson come due (5 days ago: reminded and
    escalated after one working day). A Figure of the cron's runs with: runs,
    calls, rows found changed under a batch, batches dropped (a call that did
    nothing while work remained) and reminders delayed (due and open at the
    start of a run, not reminded when the run ended)."""
    import threading

    name = copy_database(source_db, prefix="sap_bench_load")
    try:
        registry = load_registry(config, name)
        with registry.cursor() as cr:
            env = environment(cr)
            stamp = time.time_ns()
            users = env["res.users"].create(
                [
                    {
                        "name": f"Load salesperson {i}",
                        "login": f"load_{stamp}_{i}",
                        "email": f"load.{i}@example.com",
                        "tz": TIME_ZONES[i % len(TIME_ZONES)],
                        "notification_type": "inbox",
                        odoo_series.GROUPS_FIELD: [
                            (4, env.ref("sales_team.group_sale_salesman").id)
                        ],
                    }
                    for i in range(salespeople)
                ]
            )
            team = env["crm.team"].create(
                {"name": "Load team", "user_id": env.ref("base.user_admin").id}
            )
            env["sale.activity.playbook"].create(
                {"name": "Load", "escalation_days": 1, "team_ids": [(4, team.id)]}
            )
            leads = env["crm.lead"].create(
                [
                    {"name": f"Load lead {i}", "team_id": team.id, "user_id": user.id}
                    for i, user in enumerate(users)
                    for _j in range(5)
                ]
            )
            # only what this benchmark makes comes due
            cr.execute(
                "UPDATE mail_activity SET reminded_on = now(), escalated_on = now()"
            )
            cr.commit()
            user_ids = users.ids
            follow_up = env.ref("sale_activity_playbooks.mail_activity_type_follow_up")
            model_id = env["ir.model"]._get_id("crm.lead")
            cron = env.ref("sale_activity_playbooks.ir_cron_playbook_reminders")
        stop, counts = threading.Event(), {"writes": 0, "errors": 0}
        threads = [
            threading.Thread(target=_salesperson, args=(registry, uid, stop, counts))
            for uid in user_ids
        ]
        conflicts = ConflictLog()
        logger = logging.getLogger("odoo.addons.sale_activity_playbooks")
        logger.setLevel(logging.INFO)
        logger.addHandler(conflicts)
        figure = Figure(0, 0, runs=0, calls=0, dropped=0, delayed=0, reminded=0)
        for thread in threads:
            thread.start()
        try:
            with registry.cursor() as cr:
                env = environment(cr)
                cron = cron.with_env(env)
                for _run in range(runs):
                    cr.execute(
                        """
                        INSERT INTO mail_activity (res_model_id, res_model, res_id,
                               activity_type_id, user_id, user_tz, date_deadline,
                               summary, is_reminder, active, automated,
                               create_uid, create_date, write_uid, write_date)
                        SELECT %s, 'crm.lead', lead.id, %s, lead.user_id, partner.tz,
                               (now() - interval '5 days')::date, 'Load follow-up',
                               true, true, true, 1, now(), 1, now()
                          FROM crm_lead lead
                          JOIN res_users usr ON usr.id = lead.user_id
                          JOIN res_partner partner ON partner.id = usr.partner_id
                         CROSS JOIN generate_series(1, %s / 5)
                         WHERE lead.id = ANY(%s)
                     RETURNING id
                        """,
                        [model_id, follow_up.id, per_run, leads.ids],
                    )
                    due_ids = [row[0] for row in cr.fetchall()]
                    cr.commit()
                    start, queries = time.perf_counter(), cr.sql_log_count
                    again = True
                    while again:
                        again = False
                        figure.runs += 1
                        triggers = env["ir.cron.trigger"].search_count(
                            [("cron_id", "=", cron.id)]
                        )
                        for _call in range(10):  # MAX_BATCH_PER_CRON_JOB
                            _cron, progress = cron._add_progress()
                            cr.commit()
                            env["sale.activity.reminder"].with_context(
                                ir_cron_progress_id=progress.id, cron_id=cron.id
                            )._cron_playbook_reminders()
                            env.flush_all()
                            cr.commit()
                            figure.calls += 1
                            if progress.remaining and not progress.done:
                                figure.dropped += 1
                            if not progress.remaining or not progress.done:
                                break
                        again = (
                            env["ir.cron.trigger"].search_count(
                                [("cron_id", "=", cron.id)]
                            )
                            > triggers
                        )
                    figure.ms += (time.perf_counter() - start) * 1000
                    figure.q += cr.sql_log_count - queries
                    cr.execute(
                        "SELECT count(*) FILTER (WHERE reminded_on IS NULL "
                        "AND active AND date_deadline <= now()::date), "
                        "count(*) FILTER (WHERE reminded_on IS NOT NULL) "
                        "FROM mail_activity WHERE id = ANY(%s)",
                        [due_ids],
                    )
                    delayed, reminded = cr.fetchone()
                    figure.delayed += delayed
                    figure.reminded += reminded
                    cr.commit()
        finally:
            stop.set()
            for thread in threads:
                thread.join()
            logger.removeHandler(conflicts)
        figure.conflicts = conflicts.rows
        figure.writes = counts["writes"]
        figure.errors = counts["errors"]
        figure.due = runs * per_run * salespeople
        return figure
    finally:
        drop_database(name)


def cpu_text(figure):
    if figure.cpu is None:
        return "CPU not measured (PostgreSQL runs elsewhere)"
    return f"CPU {figure.cpu:,.1f} s"


def run_all(table, config, native_db, ours_db, scales):
    """Rows 3, 4, 6 and 7 of the table; each on its own copy of the
    benchmark database."""
    users = 50
    # Odoo has no reminders: its way to tell someone about an activity is the
    # "assigned to you" notification, one per activity (action_notify).
    # Measured on the smallest scale, scaled linearly beyond (said so in the
    # row).
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
        if count == native_sample:
            native_text, how = None, "both measured"
        else:
            native_text = (
                f"≈{native.ms / 1000 * factor:,.0f} s / ≈{int(native.q * factor):,} q "
                f"(scaled ×{factor:,.0f})"
            )
            how = (
                f"ours measured; native scaled from {native.notified:,} "
                "action_notify() measured in this run"
            )
        table.add(
            f"3. reminder cron, {count:,} due reminders over {users} users; "
            'native: Odoo\'s per-activity "assigned to you" notification '
            "(action_notify)",
            Figure(native.ms / 1000 * factor, int(native.q * factor)),
            reminders,
            f"{how}; {cpu_text(reminders)}; {reminders.batches} batches, "
            f"{reminders.digests} digests, {reminders.q / users:.1f} queries per user"
            + (f"; native CPU {native.cpu:,.1f} s" if native_text is None else ""),
            native_text=native_text,
        )
        table.add_line(
            "3b. the same reminders, all escalated after 1 working day",
            f"{escalation.ms / 1000:,.1f} s / {escalation.q:,} q",
            f"measured; {cpu_text(escalation)}; {escalation.escalated:,} escalated, "
            f"{escalation.batches} batches",
        )
    due, history = scales["history"]
    name = copy_database(ours_db, prefix="sap_bench_hist")
    try:
        with_history = bench_reminders_with_history(
            load_registry(config, name), users, due, history
        )
    finally:
        drop_database(name)
    table.add_line(
        f"3c. reminder cron, {due:,} due reminders next to {history:,} "
        "activities of every type already dealt with",
        f"{with_history.ms / 1000:,.1f} s / {with_history.q:,} q",
        f"measured: the whole run, {cpu_text(with_history)}; "
        f"{with_history.batches} batches, {with_history.reminded:,} reminded",
    )
    table.plans[
        f"reminder cron's pick of the first batch's assignees, next to "
        f"{history:,} activities of history"
    ] = with_history.plan
    for count in scales["leads"]:
        name = copy_database(ours_db, prefix="sap_bench_neg")
        try:
            neglect = bench_neglect(load_registry(config, name), count)
        finally:
            drop_database(name)
        uses_index = "crm_lead_playbook_open_team_idx" in neglect.plan
        table.add_line(
            f"4. neglect cron over {count:,} leads, batch after batch until "
            "nothing remains",
            f"{neglect.ms / 1000:,.1f} s / {neglect.q:,} q",
            f"measured: the whole run, {cpu_text(neglect)}; "
            f"{neglect.scheduled:,} neglected leads followed up in "
            f"{neglect.batches} batches; scan of the first batch "
            f"{neglect.first.ms:,.0f} ms / {neglect.first.q} q, of the last "
            f"{neglect.last.ms:,.0f} ms / {neglect.last.q} q; partial index used: "
            f"{'yes' if uses_index else 'no'}",
        )
        table.plans[
            f"neglect cron's scan of a chunk (2,000 leads of a team), {count:,} leads"
        ] = neglect.plan
    for workers in scales["workers"]:
        parallel = bench_parallel(config, ours_db, users, scales["parallel"], workers)
        table.add_line(
            f"6. reminder cron in {workers} process(es), "
            f"{scales['parallel']:,} reminders",
            f"{parallel.ms / 1000:,.1f} s / {parallel.q:,} q",
            f"measured; {scales['parallel'] / (parallel.ms / 1000):,.0f} "
            f"reminders/s; {parallel.reminded:,} reminded, sent twice: "
            f"{parallel.sent_twice}, left: {parallel.left}",
        )
    salespeople, runs, per_run = scales["load"]
    load = bench_under_load(config, ours_db, salespeople, runs, per_run)
    table.add_line(
        f"10. reminder cron, {runs} runs while {salespeople} salespeople move and "
        "complete their due follow-ups",
        f"{load.ms / 1000:,.1f} s / {load.q:,} q",
        f"measured: {load.runs} runs ({load.calls} calls), {load.writes:,} "
        f"salesperson writes ({load.errors} failed); rows changed under a "
        f"batch: {load.conflicts}; batches dropped: {load.dropped}; "
        f"reminders delayed past their run: {load.delayed} of {load.due:,} due "
        f"({load.reminded:,} reminded, the others completed meanwhile)",
    )
