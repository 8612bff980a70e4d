"""Benchmarks of sale_activity_playbooks against native Odoo, side by side.

Run through ``setup/bench`` (it provisions, builds the two databases and passes
their names). Each row is measured in the same run on two databases built from
the same crm template: ``native`` (crm only) and ``ours`` (crm + this addon).
Nothing here is collected by pytest (file name ``bench_*``).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from databases import odoo_series

ADDON = "sale_activity_playbooks"


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------


class Measure:
    """Median wall time and query count of ``func`` over ``repeat`` warm runs."""

    def __init__(self, env, func, repeat, setup=None):
        self.times, self.queries = [], []
        for i in range(repeat + 1):
            arg = setup() if setup else None
            env.flush_all()
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            func(arg) if setup else func()
            env.flush_all()
            elapsed = time.perf_counter() - start
            if i:  # the first run only warms the caches
                self.times.append(elapsed)
                self.queries.append(env.cr.sql_log_count - before)

    @property
    def ms(self):
        return statistics.median(self.times) * 1000

    @property
    def q(self):
        return int(statistics.median(self.queries))


class Table:
    def __init__(self):
        self.rows = []
        self.plans = {}

    def add(self, what, native, ours, note="", native_text=None):
        """A row; ``native_text``: the native figure as derived, not
        measured."""
        ratio = ours.ms / native.ms if native and native.ms else float("nan")
        self.rows.append(
            (
                what,
                native_text
                or (f"{native.ms:,.1f} ms / {native.q:,} q" if native else "-"),
                f"{ours.ms:,.1f} ms / {ours.q:,} q",
                f"{ratio:.2f}" if native else "-",
                f"{ours.q - native.q:+,}" if native else "-",
                note,
            )
        )
        self.print_row(self.rows[-1])

    def add_line(self, what, value, note=""):
        self.rows.append((what, "-", value, "-", "-", note))
        self.print_row(self.rows[-1])

    def add_text(self, what, native, ours, ratio, note=""):
        """A row of figures already written out (latency percentiles)."""
        self.rows.append((what, native, ours, f"{ratio:.2f}", "-", note))
        self.print_row(self.rows[-1])

    HEADER = ("benchmark", "native", "ours", "ratio", "Δ queries", "note")

    def print_row(self, row):
        print(" | ".join(str(c) for c in row), flush=True)

    def markdown(self):
        lines = ["| " + " | ".join(self.HEADER) + " |", "|" + "---|" * len(self.HEADER)]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in self.rows]
        for what, plan in self.plans.items():
            lines += ["", f"Plan of the {what}:", "", "```", plan, "```"]
        return "\n".join(lines)


@contextmanager
def environment(dbname):
    """A superuser environment on ``dbname``, rolled back at the end."""
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            yield env
        finally:
            cr.rollback()


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def make_world(env, with_playbook):
    """A salesperson, a team, leads; Call triggers Create Quote, natively or
    through a playbook rule."""
    salesman = env["res.users"].create(
        {
            "name": "Bench Salesman",
            "login": f"bench_salesman_{time.time_ns()}",
            odoo_series.GROUPS_FIELD: [
                Command.link(env.ref("sales_team.group_sale_salesman").id)
            ],
            "tz": "Europe/Brussels",
        }
    )
    team = env["crm.team"].create(
        {"name": "Bench Team", "member_ids": [Command.link(salesman.id)]}
    )
    call = env.ref("mail.mail_activity_data_call")
    quote = env["mail.activity.type"].create({"name": "Bench Quote"})
    email = env.ref("mail.mail_activity_data_email")
    follow_up = env["mail.activity.type"].create({"name": "Bench Follow-up"})
    if with_playbook:
        env["sale.activity.playbook"].create(
            {
                "name": "Bench playbook",
                "team_ids": [Command.link(team.id)],
                "line_ids": [
                    Command.create(
                        {
                            "activity_type_id": call.id,
                            "next_type_ids": [Command.set(quote.ids)],
                            "delay_count": 1,
                        }
                    ),
                    Command.create(
                        {
                            "activity_type_id": email.id,
                            "trigger_on": "scheduled",
                            "next_type_ids": [Command.set(follow_up.ids)],
                            "delay_count": 1,
                        }
                    ),
                ],
            }
        )
    else:
        call.write({"chaining_type": "trigger", "triggered_next_type_id": quote.id})
    return salesman, team, call, email


def make_leads(env, team, salesman, count):
    """Leads of ``salesman``, who follows them (as a lead's salesperson does)."""
    leads = env["crm.lead"].create(
        [
            {
                "name": f"Bench lead {i}",
                "team_id": team.id,
                "user_id": salesman.id,
                "type": "opportunity",
            }
            for i in range(count)
        ]
    )
    leads.message_subscribe(partner_ids=salesman.partner_id.ids)
    return leads


def activity_values(env, leads, activity_type, user):
    model_id = env["ir.model"]._get_id("crm.lead")
    return [
        {
            "res_model_id": model_id,
            "res_id": lead.id,
            "activity_type_id": activity_type.id,
            "date_deadline": date.today(),
            "user_id": user.id,
        }
        for lead in leads
    ]


# ----------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------


def bench_mark_done(dbname, with_playbook, repeat):
    """Mark one Call done; Create Quote is triggered (natively / by a rule)."""
    with environment(dbname) as env:
        salesman, team, call, _email = make_world(env, with_playbook)
        leads = make_leads(env, team, salesman, repeat + 1)
        activities = iter(
            env["mail.activity"].create(activity_values(env, leads, call, salesman))
        )
        return Measure(
            env,
            lambda activity: activity.with_user(salesman).action_feedback(),
            repeat,
            setup=lambda: next(activities),
        )


def bench_mark_done_outcome(dbname, repeat):
    """Mark one Call done with the outcome "No answer": a branch on that
    outcome, with a repeat limit and a working-day delay, plans the next Call
    (ours only: Odoo has no outcomes). The outcome is set before each run,
    as the chatter's outcome buttons do: the run is the completion."""
    with environment(dbname) as env:
        salesman, team, call, _email = make_world(env, True)
        no_answer = env.ref(f"{ADDON}.outcome_call_no_answer")
        playbook = env["sale.activity.playbook"].search(
            [("team_ids", "in", team.ids)], limit=1
        )
        env["sale.activity.playbook.line"].create(
            {
                "playbook_id": playbook.id,
                "activity_type_id": call.id,
                "outcome_ids": [Command.set(no_answer.ids)],
                "next_type_ids": [Command.set(call.ids)],
                "repeat_limit": 5,
                "delay_unit": "working_days",
                "delay_count": 1,
            }
        )
        leads = make_leads(env, team, salesman, repeat + 1)
        activities = env["mail.activity"].create(
            activity_values(env, leads, call, salesman)
        )
        activities.write({"outcome_id": no_answer.id})
        pending = iter(activities)
        measure = Measure(
            env,
            lambda activity: activity.with_user(salesman).action_feedback(),
            repeat,
            setup=lambda: next(pending),
        )
        retries = env["mail.activity"].search_count(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("activity_type_id", "=", call.id),
                ("playbook_line_id.outcome_ids", "in", no_answer.ids),
            ]
        )
        measure.note = f"{retries} Calls planned by the branch in {repeat + 1} runs"
        return measure


def bench_incoming_email(dbname, variant, repeat):
    """An email of the customer posted on a lead, as the mail gateway posts
    it (``message_post`` of type email, as OdooBot). ``variant``: "native";
    "unwatched" (ours, no playbook of the team stops on a reply); "nothing
    pending" (the team's playbook stops on a reply, the lead has no
    follow-up); "pending" (it has one, that the reply marks done)."""
    with environment(dbname) as env:
        salesman, team, _call, _email = make_world(env, variant != "native")
        if variant != "native":
            env["sale.activity.playbook"].search(
                [("team_ids", "in", team.ids)]
            ).stop_on_reply = variant != "unwatched"
        follow_up = (
            env.ref(f"{ADDON}.mail_activity_type_follow_up")
            if variant == "pending"
            else None
        )
        rule = follow_up and env["sale.activity.playbook.line"].search(
            [("playbook_id.team_ids", "in", team.ids)], limit=1
        )
        customers = env["res.partner"].create(
            [
                {"name": f"Bench customer {i}", "email": f"bench.c{i}@example.com"}
                for i in range(repeat + 1)
            ]
        )
        leads = make_leads(env, team, salesman, repeat + 1)
        for lead, customer in zip(leads, customers, strict=True):
            lead.partner_id = customer
            if follow_up:
                activity = env["mail.activity"].create(
                    activity_values(env, lead, follow_up, salesman)
                )
                activity.playbook_line_id = rule
        pending = iter(zip(leads, customers, strict=True))

        def post(lead_customer):
            lead, customer = lead_customer
            lead.message_post(
                body="Thanks, let us talk next week.",
                message_type="email",
                author_id=customer.id,
                email_from=customer.email,
                subtype_xmlid="mail.mt_comment",
            )

        measure = Measure(env, post, repeat, setup=lambda: next(pending))
        measure.left = env["mail.activity"].search_count(
            [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
        )
        return measure


def bench_paused_reminders(dbname, count, paused):
    """The reminder cron on ``count`` due Reminder follow-ups, one per lead,
    ``paused`` of the leads paused: ``(queries, reminded)``. The pause is a
    condition of the candidate query: no query per lead."""
    import bench_reminders

    with environment(dbname) as env:
        salesman, team, _call, _email = make_world(env, True)
        # the cron works on the whole database: what the demo data has due
        # is taken care of first
        now = env.cr.now()
        env["mail.activity"].search([("is_reminder", "=", True)]).write(
            {"reminded_on": now, "escalated_on": now}
        )
        follow_up = env.ref(f"{ADDON}.mail_activity_type_follow_up")
        leads = make_leads(env, team, salesman, count)
        values = activity_values(env, leads, follow_up, salesman)
        for vals in values:
            vals["date_deadline"] = date.today() - timedelta(days=1)
        activities = env["mail.activity"].create(values)
        leads[:paused].write({"playbook_paused_until": date.today() + timedelta(7)})
        env.flush_all()
        _batches, queries, _seconds, _cpu = bench_reminders.run_reminders_until_done(
            env
        )
        return queries, len(activities.filtered("reminded_on"))


def bench_create(dbname, with_playbook, count, repeat, with_follow_ups=False):
    """create() of ``count`` Email activities (a rule schedules follow-ups).
    ``with_follow_ups``: the same create() also gives each lead the To-Do a
    rule would have added (the same rows, natively)."""
    with environment(dbname) as env:
        salesman, team, _call, email = make_world(env, with_playbook)
        batches = iter(
            [make_leads(env, team, salesman, count) for _i in range(repeat + 1)]
        )
        todo = env.ref("mail.mail_activity_data_todo")
        Activity = env["mail.activity"].with_user(salesman)

        def create(leads):
            values = activity_values(env, leads, email, salesman)
            if with_follow_ups:
                values += activity_values(env, leads, todo, salesman)
            Activity.create(values)

        return Measure(env, create, repeat, setup=lambda: next(batches))


def bench_create_no_rule(dbname, with_playbook, count, repeat):
    """create() of ``count`` Email activities where no rule applies (the
    addon's overhead on everything else)."""
    with environment(dbname) as env:
        salesman, team, _call, _email = make_world(env, with_playbook)
        batches = iter(
            [make_leads(env, team, salesman, count) for _i in range(repeat + 1)]
        )
        todo = env.ref("mail.mail_activity_data_todo")
        Activity = env["mail.activity"].with_user(salesman)
        return Measure(
            env,
            lambda leads: Activity.create(activity_values(env, leads, todo, salesman)),
            repeat,
            setup=lambda: next(batches),
        )


class HttpMeasure:
    """Median wall time (client side) and queries (server log) of a request."""

    def __init__(self, server, http, path, params, repeat):
        self.times, self.queries = [], []
        for i in range(repeat + 1):
            start = time.perf_counter()
            server.json_rpc(path, params, http=http)
            elapsed = time.perf_counter() - start
            if i:
                self.times.append(elapsed)
                self.queries.append(server.last_query_count(path))

    ms = Measure.ms
    q = Measure.q


def prepare_chatter(dbname, with_playbook, count):
    """A lead with ``count`` activities of a salesperson, committed. In ours,
    a third of them come from a playbook rule."""
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        salesman, team, call, _email = make_world(env, with_playbook)
        salesman.password = "bench"
        lead = make_leads(env, team, salesman, 1)
        types = [
            call,
            env.ref("mail.mail_activity_data_todo"),
            env.ref("mail.mail_activity_data_meeting"),
        ]
        rule = False
        if with_playbook:
            types[1] = env.ref(f"{ADDON}.mail_activity_type_follow_up")
            rule = env["sale.activity.playbook.line"].search(
                [("playbook_id.team_ids", "in", team.ids)], limit=1
            )
        Activity = env["mail.activity"].with_user(salesman)
        for i in range(count):
            # one create per activity, as they are scheduled in real life
            vals = activity_values(env, lead, types[i % 3], salesman)[0]
            vals["date_deadline"] = date.today() + timedelta(days=i - count // 2)
            activity = Activity.create(vals)
            if rule and i % 3 == 1:
                activity.sudo().playbook_line_id = rule
        env.cr.commit()
        return salesman.login, lead.id


def chatter_request(lead_id):
    """The request with which the chatter loads a lead's activities,
    attachments and followers: ``(path, params)``."""
    thread = {
        "thread_model": "crm.lead",
        "thread_id": lead_id,
        "request_list": ["activities", "attachments", "followers"],
    }
    if odoo_series.SERIES >= (19, 0):
        return "/mail/data", {"fetch_params": [["mail.thread", thread]]}
    return "/mail/thread/data", thread


def bench_chatter(config, dbname, with_playbook, count, repeat):
    from conftest import OdooServer  # the repository tests' real server

    login, lead_id = prepare_chatter(dbname, with_playbook, count)
    log = Path(tempfile.mkdtemp()) / "server.log"
    server = OdooServer(config, dbname, log)
    try:
        server.wait_ready()
        http = server.session(login, "bench")
        activities = server.call_kw(
            http, "crm.lead", "read", [[lead_id], ["activity_ids"]]
        )[0]["activity_ids"]
        path, params = chatter_request(lead_id)
        measure = HttpMeasure(server, http, path, params, repeat)
        measure.activities = len(activities)
        return measure
    finally:
        server.stop()


QUEUE_VIEWS = {
    # (list view, search filter of "my" activities), as the web client opens it
    True: (f"{ADDON}.mail_activity_view_list_followups", [("user_id", "=", "uid")]),
    False: ("mail.mail_activity_view_tree", [("user_id", "=", "uid")]),
}


def build_open_activities(env, salesman, count):
    """``count`` open activities of ``salesman`` on as many leads of various
    revenues, due from a month ago to a month ahead (SQL: minutes otherwise)."""
    team = env["crm.team"].create(
        {"name": "Bench queue", "member_ids": [Command.link(salesman.id)]}
    )
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, team_id, company_id, user_id,
                              probability, expected_revenue,
                              create_uid, create_date, write_uid, write_date)
        SELECT 'Bench queue lead ' || n, 'opportunity', true, %s, %s, %s, 30,
               (n * 7919) %% 100000, 1, now(), 1, now()
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        [team.id, env.company.id, salesman.id, count],
    )
    lead_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                                   activity_type_id, user_id, user_tz,
                                   date_deadline, summary, active, automated,
                                   create_uid, create_date, write_uid, write_date)
        SELECT %(model_id)s, 'crm.lead', lead.id, lead.name, %(type_id)s, %(user)s,
               %(tz)s, current_date + (lead.id %% 61 - 30), 'Bench queue', true,
               false, 1, now(), 1, now()
          FROM crm_lead lead
         WHERE lead.id = ANY(%(leads)s)
        """,
        {
            "model_id": env["ir.model"]._get_id("crm.lead"),
            "type_id": env.ref("mail.mail_activity_data_call").id,
            "user": salesman.id,
            "tz": salesman.tz,
            "leads": lead_ids,
        },
    )
    env.invalidate_all()


def bench_followup_queue(dbname, with_addon, count, repeat):
    """Open My Follow-ups (ours) or Odoo's activity list (native) on ``count``
    open activities of one salesperson: the web_search_read of the list view
    with its default filter and order, as the web client sends it."""
    from lxml import etree

    from odoo.tools.safe_eval import safe_eval

    with environment(dbname) as env:
        salesman = env["res.users"].create(
            {
                "name": "Bench Queue Salesman",
                "login": f"bench_queue_{time.time_ns()}",
                odoo_series.GROUPS_FIELD: [
                    Command.link(env.ref("sales_team.group_sale_salesman").id)
                ],
                "tz": "Europe/Brussels",
            }
        )
        build_open_activities(env, salesman, count)
        view_xmlid, domain = QUEUE_VIEWS[with_addon]
        arch = etree.fromstring(env.ref(view_xmlid).arch)
        Activity = env["mail.activity"].with_user(salesman)
        specification = {
            node.get("name"): (
                {"fields": {"display_name": {}}}
                if Activity._fields[node.get("name")].type == "many2one"
                else {}
            )
            for node in arch.iter("field")
        }
        if with_addon:
            action = env.ref(f"{ADDON}.mail_activity_action_followups")
            domain = safe_eval(action.domain) + domain
        domain = [(f, op, salesman.id if v == "uid" else v) for f, op, v in domain]
        kwargs = {
            "specification": specification,
            "offset": 0,
            "limit": 80,
            "order": arch.get("default_order"),
            "count_limit": 10001,
        }
        Activity = Activity.with_context(bin_size=True)
        measure = Measure(
            env, lambda: Activity.web_search_read(domain, **kwargs), repeat
        )
        result = Activity.web_search_read(domain, **kwargs)
        measure.rows, measure.length = len(result["records"]), result["length"]
        measure.order = kwargs["order"]
        return measure


def bench_start(dbname, with_addon, count, repeat):
    """Start a cadence on ``count`` selected leads in one go: ours, the
    *Start playbook* wizard with a start rule (a Call in 1 working day, for
    the lead's salesperson); native, Odoo's activity plan wizard
    (``mail.activity.schedule`` with a plan of the same Call, assigned to the
    salesperson) on the same number of leads."""
    with environment(dbname) as env:
        salesman, team, call, _email = make_world(env, False)
        batches = iter(
            [make_leads(env, team, salesman, count) for _i in range(repeat + 1)]
        )
        if with_addon:
            playbook = env["sale.activity.playbook"].create(
                {
                    "name": "Bench start",
                    "team_ids": [Command.link(team.id)],
                    "line_ids": [
                        Command.create(
                            {
                                "trigger_on": "start",
                                "next_type_ids": [Command.set(call.ids)],
                                "delay_count": 1,
                                "delay_unit": "working_days",
                            }
                        )
                    ],
                }
            )

            def start(leads):
                wizard = env["sale.activity.playbook.start"].create(
                    {"playbook_id": playbook.id, "lead_ids": [Command.set(leads.ids)]}
                )
                wizard.action_start()

        else:
            plan = env["mail.activity.plan"].create(
                {
                    "name": "Bench plan",
                    "res_model": "crm.lead",
                    "template_ids": [
                        Command.create(
                            {
                                "activity_type_id": call.id,
                                "delay_count": 1,
                                "delay_unit": "days",
                                "delay_from": "after_plan_date",
                                "responsible_type": "other",
                                "responsible_id": salesman.id,
                            }
                        )
                    ],
                }
            )

            def start(leads):
                wizard = (
                    env["mail.activity.schedule"]
                    .with_context(active_model="crm.lead", active_ids=leads.ids)
                    .create({"plan_id": plan.id, "res_ids": f"{leads.ids}"})
                )
                wizard.action_schedule_plan()

        measure = Measure(env, start, repeat, setup=lambda: next(batches))
        return measure


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--native-db", required=True)
    parser.add_argument("--ours-db", required=True)
    parser.add_argument("--quick", action="store_true", help="small scales only")
    parser.add_argument("--markdown", help="write the table to this file")
    parser.add_argument(
        "--only",
        choices=("11", "12", "13"),
        help="run only this row (11: the load row; 12: starting a cadence; "
        "13: the send cron)",
    )
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])

    table = Table()
    load_at_start = os.getloadavg()[0]
    print(" | ".join(Table.HEADER))
    repeat = 5 if args.quick else 20
    if not args.only:
        run_rows_1_to_10(args, table, repeat)
    if args.only in (None, "12"):
        for count in (10, 100) if args.quick else (100, 1000):
            runs = 3 if count == 1000 else repeat
            native = bench_start(args.native_db, False, count, runs)
            ours = bench_start(args.ours_db, True, count, runs)
            table.add(
                f"12. start a cadence on {count} selected leads",
                native,
                ours,
                "ours: the Start playbook wizard (a start rule plans a Call); "
                "native: Odoo's activity plan wizard with the same Call",
            )
    if args.only == "12":
        return 0
    if args.only in (None, "13"):
        run_row_13(args, table)
    if args.only == "13":
        return 0
    import bench_load

    # (salespeople, rounds each, time limit in seconds of each database's run)
    salespeople, rounds, seconds = (4, 5, 300) if args.quick else (16, 20, 900)
    bench_load.run_load_row(
        table, args.config, args.native_db, args.ours_db, salespeople, rounds, seconds
    )
    for what, plan in table.plans.items():
        print(f"\nPlan of the {what}:\n{plan}")
    # wall times stretch on a busy machine; CPU times and query counts do not
    load = (
        f"Load average (1 minute) of the machine: {load_at_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} CPUs."
    )
    print(load)

    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(table.markdown() + "\n\n" + load + "\n")
    return 0


def run_row_13(args, table):
    """Row 13: the send cron, against Odoo's send_mail per lead."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_send
    import databases

    if args.config not in databases._config_loaded:
        databases._config_loaded.append(args.config)  # parsed above already
    bench_send.run_row(
        table, args.config, args.native_db, args.ours_db, quick=args.quick
    )


def run_rows_1_to_10(args, table, repeat):
    """Rows 1 to 10, in the order of the tables of BENCHMARKS.md."""
    native_done = bench_mark_done(args.native_db, False, repeat)
    ours = bench_mark_done(args.ours_db, True, repeat)
    table.add("1. mark 1 activity done, next one triggered", native_done, ours, "warm")

    for count in (1, 100) if args.quick else (1, 100, 1000):
        runs = 3 if count == 1000 else repeat
        native = bench_create(args.native_db, False, count, runs)
        ours = bench_create(args.ours_db, True, count, runs)
        table.add(
            f"2. create() {count} activities, rule on scheduled",
            native,
            ours,
            f"{count} follow-ups created by the rule",
        )
        native = bench_create(args.native_db, False, count, runs, with_follow_ups=True)
        table.add(
            f"2c. the same, native create() of the same {2 * count} activities",
            native,
            ours,
            "Δ = what the rule lookup and the second create() cost",
        )

    outcome = bench_mark_done_outcome(args.ours_db, repeat)
    table.add(
        "1b. mark 1 Call done with the outcome No answer, a branch with a repeat "
        "limit plans the next Call",
        native_done,
        outcome,
        f"{outcome.note}; native: row 1's Odoo chaining, measured in this run "
        "(Odoo has no outcomes)",
    )

    count = 1000 if not args.quick else 100
    native = bench_create_no_rule(args.native_db, False, count, 3)
    ours = bench_create_no_rule(args.ours_db, True, count, 3)
    table.add(f"2b. create() {count} activities, no rule applies", native, ours)

    native = bench_chatter(args.config, args.native_db, False, 50, repeat)
    ours = bench_chatter(args.config, args.ours_db, True, 50, repeat)
    table.add(
        f"5. chatter of a lead with 50 activities ({chatter_request(0)[0]})",
        native,
        ours,
        f"{ours.activities} activities, JSON-RPC as the salesperson",
    )

    native = bench_incoming_email(args.native_db, "native", repeat)
    for variant, what in (
        ("unwatched", "no playbook of the team stops on a reply"),
        ("nothing pending", "the team's playbook stops on a reply, no follow-up"),
        ("pending", "the reply marks the lead's pending follow-up done"),
    ):
        ours = bench_incoming_email(args.ours_db, variant, repeat)
        table.add(
            f"8. a customer's email posted on a lead: {what}",
            native,
            ours,
            f"message_post of type email as the mail gateway does; activities "
            f"left on the {repeat + 1} leads: {ours.left}",
        )

    count = 200 if not args.quick else 50
    plain_queries, plain_reminded = bench_paused_reminders(args.ours_db, count, 0)
    paused_queries, paused_reminded = bench_paused_reminders(
        args.ours_db, count, count // 2
    )
    table.add_line(
        f"9. reminder cron, {count} due follow-ups on as many leads, none paused "
        f"/ half of the leads paused",
        f"{plain_queries} q / {paused_queries} q",
        f"reminded: {plain_reminded} / {paused_reminded}; the pause is a "
        "condition of the candidate query, not a query per lead",
    )

    count = 10000 if not args.quick else 2000
    native = bench_followup_queue(args.native_db, False, count, repeat)
    ours = bench_followup_queue(args.ours_db, True, count, repeat)
    table.add(
        f"7. open My Follow-ups on {count:,} open activities (web_search_read)",
        native,
        ours,
        f"{ours.rows} rows of {ours.length:,}, ordered by {ours.order!r}, as the "
        "salesperson, cold record cache; native: Odoo's activity list of the "
        f"same activities ({native.order!r})",
    )

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_reminders
    import databases

    databases._config_loaded.append(args.config)  # parsed above already

    bench_reminders.run_all(
        table,
        args.config,
        args.native_db,
        args.ours_db,
        {
            "reminders": [1000] if args.quick else [1000, 10000, 50000],
            # (due reminders, activities of history)
            "history": (5000, 100_000) if args.quick else (50_000, 1_000_000),
            "leads": [10000] if args.quick else [10000, 100000],
            "parallel": 5000 if args.quick else 50000,
            "workers": [1, 2] if args.quick else [1, 2, 4],
            # (salespeople, runs, follow-ups coming due per salesperson a run)
            "load": (8, 6, 50) if args.quick else (16, 30, 150),
        },
    )


if __name__ == "__main__":
    sys.exit(main())
