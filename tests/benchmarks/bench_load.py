"""Row 11 of the benchmarks: salespeople at work against a prefork server.

An Odoo server with 4 workers (``--workers=4``, on a loopback port, as the
repository tests start servers) serves a copy of the benchmark database;
salespeople, each a thread with a JSON-RPC session of their own user, go
round after round through what they do most in the chatter: open a lead's
chatter, schedule a Call on it, reschedule the Call, mark it done (ours: with
an outcome, sent with the Done). Native and ours run one after the other,
each on its own server; the client times each request. Bounded: a number of
rounds per salesperson and a time limit; loopback only; the servers stop and
the copies are dropped at the end.
"""

import statistics
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from bench_playbooks import ADDON, chatter_request, environment, make_leads, make_world
from databases import copy_database, drop_database, odoo_series, release_database

WORKERS = 4
PASSWORD = "bench"
LEADS_PER_SALESPERSON = 3
# (key, what the row says it measures)
REQUEST_TYPES = (
    ("chatter", "open a lead's chatter ({path})"),
    ("schedule", "schedule a Call (mail.activity create)"),
    ("reschedule", "reschedule it (mail.activity write of date_deadline)"),
    (
        "done",
        "mark it done (action_feedback; ours: with an outcome in the same request)",
    ),
)


def prepare(dbname, with_addon, salespeople):
    """Salespeople (users with a password) of one team, with their leads,
    committed; Call triggers a quote, natively or by a playbook rule, and in
    ours *No answer* branches to another Call. What the salespeople need: a
    dict of ``leads`` and ``users`` (ids by login), ``outcomes`` (ours: the
    outcomes they give in turn), ``call_id`` and ``model_id``."""
    with environment(dbname) as env:
        _salesman, team, call, _email = make_world(env, with_addon)
        stamp = time.time_ns()
        users = env["res.users"].create(
            [
                {
                    "name": f"Load salesperson {i}",
                    "login": f"load_rpc_{stamp}_{i}",
                    "password": PASSWORD,
                    "tz": "Europe/Brussels",
                    odoo_series.GROUPS_FIELD: [
                        (4, env.ref("sales_team.group_sale_salesman").id)
                    ],
                }
                for i in range(salespeople)
            ]
        )
        team.member_ids = [(4, user.id) for user in users]
        leads = {
            user.login: make_leads(env, team, user, LEADS_PER_SALESPERSON).ids
            for user in users
        }
        outcomes = []
        if with_addon:
            no_answer = env.ref(f"{ADDON}.outcome_call_no_answer")
            reached = env.ref(f"{ADDON}.outcome_call_reached")
            playbook = env["sale.activity.playbook"].search(
                [("team_ids", "in", team.ids)], limit=1
            )
            env["sale.activity.playbook.line"].create(
                {
                    "playbook_id": playbook.id,
                    "activity_type_id": call.id,
                    "outcome_ids": [(6, 0, no_answer.ids)],
                    "next_type_ids": [(6, 0, call.ids)],
                    "repeat_limit": 2,
                    "delay_unit": "working_days",
                    "delay_count": 1,
                }
            )
            outcomes = [no_answer.id, reached.id]
        plan = {
            "leads": leads,
            "users": {user.login: user.id for user in users},
            "outcomes": outcomes,
            "call_id": call.id,
            "model_id": env["ir.model"]._get_id("crm.lead"),
        }
        env.cr.commit()
        return plan


class Salesperson(threading.Thread):
    """One salesperson's session: ``rounds`` rounds (the first one untimed:
    it warms the workers), or fewer if ``deadline`` (monotonic) passes."""

    def __init__(self, server, login, plan, rounds, deadline):
        super().__init__()
        self.server, self.login, self.plan = server, login, plan
        self.rounds, self.deadline = rounds, deadline
        self.times = {key: [] for key, _what in REQUEST_TYPES}
        self.errors, self.first_error = 0, None
        self.dones = 0  # the untimed first round's too

    def timed(self, key, timing, func, *args):
        start = time.perf_counter()
        result = func(*args)
        if timing:
            self.times[key].append(time.perf_counter() - start)
        return result

    def run(self):
        server, plan = self.server, self.plan
        http = server.session(self.login, PASSWORD)
        leads = plan["leads"][self.login]
        for i in range(self.rounds + 1):
            if time.monotonic() > self.deadline:
                break
            lead_id, timing = leads[i % len(leads)], i > 0
            try:
                path, params = chatter_request(lead_id)
                self.timed("chatter", timing, server.json_rpc, path, params, http)
                values = {
                    "res_model_id": plan["model_id"],
                    "res_id": lead_id,
                    "activity_type_id": plan["call_id"],
                    "date_deadline": date.today().isoformat(),
                    "user_id": plan["users"][self.login],
                }
                [activity_id] = self.timed(
                    "schedule", timing, server.call_kw, http, "mail.activity",
                    "create", [[values]],
                )  # fmt: skip
                later = (date.today() + timedelta(days=2)).isoformat()
                self.timed(
                    "reschedule", timing, server.call_kw, http, "mail.activity",
                    "write", [[activity_id], {"date_deadline": later}],
                )  # fmt: skip
                kwargs = {"feedback": "Done under load"}
                if plan["outcomes"]:
                    outcome = plan["outcomes"][i % len(plan["outcomes"])]
                    kwargs["context"] = {"playbook_outcome_id": outcome}
                self.timed(
                    "done", timing, server.call_kw, http, "mail.activity",
                    "action_feedback", [[activity_id]], kwargs,
                )  # fmt: skip
                self.dones += 1
            except Exception as error:  # noqa: BLE001 (counted: a user would see it)
                self.errors += 1
                self.first_error = self.first_error or repr(error)


def bench_salespeople(config, source_db, with_addon, salespeople, rounds, seconds):
    """``salespeople`` threads against a 4-worker server on a copy of
    ``source_db``: ``{key: [seconds]}`` of the timed requests, errors, and
    the wall time of the run."""
    from conftest import OdooServer, free_port

    release_database(source_db)
    name = copy_database(source_db, prefix="sap_bench_rpc")
    try:
        plan = prepare(name, with_addon, salespeople)
        release_database(name)
        log = Path(tempfile.mkdtemp()) / "server.log"
        server = OdooServer(
            config,
            name,
            log,
            extra_args=(f"--workers={WORKERS}", f"--gevent-port={free_port()}"),
        )
        try:
            server.wait_ready()
            start = time.monotonic()
            threads = [
                Salesperson(server, login, plan, rounds, start + seconds)
                for login in plan["leads"]
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.monotonic() - start
        finally:
            server.stop()
        dones = sum(thread.dones for thread in threads)
        recorded = count_outcomes(name, plan) if with_addon else None
        times = {key: [] for key, _what in REQUEST_TYPES}
        for thread in threads:
            for key, values in thread.times.items():
                times[key] += values
            if thread.first_error:
                print(f"{thread.login}: {thread.errors} failed: {thread.first_error}")
        errors = sum(thread.errors for thread in threads)
        return times, errors, wall, (dones, recorded)
    finally:
        drop_database(name)


def count_outcomes(dbname, plan):
    """Calls done with an outcome on the salespeople's leads, as the follow-up
    log recorded them: the outcomes that reached the server with the Done."""
    with environment(dbname) as env:
        return env["sale.activity.followup.log"].search_count(
            [
                ("lead_id", "in", [i for ids in plan["leads"].values() for i in ids]),
                ("outcome_id", "in", plan["outcomes"]),
            ]
        )


def percentiles(values):
    """``(p50, p95)`` in milliseconds."""
    if len(values) < 2:
        value = values[0] * 1000 if values else float("nan")
        return value, value
    p95 = statistics.quantiles(values, n=20, method="inclusive")[18]
    return statistics.median(values) * 1000, p95 * 1000


def run_load_row(table, config, native_db, ours_db, salespeople, rounds, seconds):
    """Row 11: p50 and p95 latency per request type, native and ours."""
    native, native_errors, native_wall, _dones = bench_salespeople(
        config, native_db, False, salespeople, rounds, seconds
    )
    ours, ours_errors, ours_wall, (dones, recorded) = bench_salespeople(
        config, ours_db, True, salespeople, rounds, seconds
    )
    path = chatter_request(0)[0]
    rows = [(key, what.format(path=path)) for key, what in REQUEST_TYPES]
    native["all"] = [t for key, _what in REQUEST_TYPES for t in native[key]]
    ours["all"] = [t for key, _what in REQUEST_TYPES for t in ours[key]]
    rows.append(("all", "all four requests"))
    for key, what in rows:
        native_p50, native_p95 = percentiles(native[key])
        ours_p50, ours_p95 = percentiles(ours[key])
        note = f"measured: {len(native[key]):,} / {len(ours[key]):,} requests"
        if key == "all":
            note += (
                f"; {salespeople} salespeople × {rounds} rounds (a first one "
                f"untimed) against {WORKERS} workers, JSON-RPC on loopback; "
                f"wall {native_wall:,.0f} s / {ours_wall:,.0f} s; failed "
                f"requests {native_errors} / {ours_errors}; ours: {recorded:,} "
                f"outcomes recorded for {dones:,} Dones; ratio = p50 ours / p50 "
                "native"
            )
        table.add_text(
            f"11. {salespeople} salespeople at once, {WORKERS} workers: {what}",
            f"p50 {native_p50:,.1f} ms / p95 {native_p95:,.1f} ms",
            f"p50 {ours_p50:,.1f} ms / p95 {ours_p95:,.1f} ms",
            ours_p50 / native_p50,
            note,
        )
