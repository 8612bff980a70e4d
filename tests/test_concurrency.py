"""Two workers (two Odoo processes, two database connections) completing
activities of the same lead at the same moment: the follow-ups are those that
completing them one after the other gives, never twice, and a deadlock is
retried by Odoo, never shown to anyone.

Each scenario holds one worker's transaction open at the worst moment (after
it completed an activity, before it commits) and lets the other run into it,
or starts both at once, round after round.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from databases import odoo_series

WORKER = Path(__file__).with_name("concurrency_worker.py")
# What a retried worker meets when it completes an activity the other worker
# completed: 18.0 deleted it, 19.0 archived it (completing it again is a no-op
# for the playbooks).
DONE_AGAIN_ERROR = None if odoo_series.ARCHIVES_DONE_ACTIVITIES else "MissingError"

SETUP = """
lead = env["crm.lead"].create({
    "name": "Contested deal",
    "type": "opportunity",
    "team_id": env.ref("sales_team.team_sales_department").id,
    "user_id": env.ref("base.user_demo").id,
})
assert env.ref("sale_activity_playbooks.playbook_standard_cadence") in (
    lead.team_id.playbook_ids
)
call = lead.activity_schedule("mail.mail_activity_data_call", user_id=lead.user_id.id)
meeting = lead.activity_schedule(
    "mail.mail_activity_data_meeting", user_id=lead.user_id.id
)
result({"lead": lead.id, "user": lead.user_id.id, "call": call.id,
        "meeting": meeting.id})
"""

# Leads on which two workers complete a Call and a Meeting at the same
# instant, one lead per round.
TRIES = 20
CONTESTED_LEADS = """
rows = []
for i in range(%(tries)s):
    lead = env["crm.lead"].create({
        "name": f"Contested deal {i}",
        "type": "opportunity",
        "team_id": env.ref("sales_team.team_sales_department").id,
        "user_id": env.ref("base.user_demo").id,
    })
    rows.append({
        "lead": lead.id,
        "call": lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=lead.user_id.id).id,
        "meeting": lead.activity_schedule(
            "mail.mail_activity_data_meeting", user_id=lead.user_id.id).id,
    })
result({"user": env.ref("base.user_demo").id, "leads": rows})
"""


@pytest.fixture(scope="module")
def concurrency_database(databases, pristine_database):
    return databases.copy(pristine_database.name, "concurrency")


@pytest.fixture
def contested(concurrency_database):
    """A lead of a team following the standard cadence (Call or Meeting done:
    Create Quote for the salesperson), with a Call and a Meeting planned."""
    return concurrency_database.script(SETUP)


def start(database, records, sync_dir, steps):
    return subprocess.Popen(
        [
            sys.executable,
            str(WORKER),
            database.config,
            database.name,
            str(records["user"]),
            str(sync_dir),
            json.dumps(steps),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def report(worker):
    stdout, stderr = worker.communicate(timeout=180)
    assert worker.returncode == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])


def wait_for(sync_dir, name, timeout=120):
    deadline = time.monotonic() + timeout
    while not (sync_dir / name).exists():
        assert time.monotonic() < deadline, f"no worker created {name}"
        time.sleep(0.05)


def wait_for_a_lock_wait(database, timeout=120):
    """Until a worker waits for a row lock that another one holds."""
    deadline = time.monotonic() + timeout
    while not database.sql(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = %s AND wait_event_type = 'Lock'",
        [database.name],
    )[0][0]:
        assert time.monotonic() < deadline, "no worker waits for a lock"
        time.sleep(0.05)


def quotes(database, records):
    return database.sql(
        "SELECT a.id FROM mail_activity a "
        "JOIN mail_activity_type t ON t.id = a.activity_type_id "
        "WHERE a.res_model = 'crm.lead' AND a.res_id = %s "
        "AND t.name->>'en_US' = 'Create Quote'",
        [records["lead"]],
    )


def left(database, records):
    return database.sql(
        "SELECT id FROM mail_activity WHERE id IN %s AND active",
        [(records["call"], records["meeting"])],
    )


@pytest.mark.slow
def test_two_workers_completing_the_same_activity(
    concurrency_database, contested, tmp_path
):
    call = contested["call"]
    first = start(
        concurrency_database,
        contested,
        tmp_path,
        [["complete", call], ["signal", "first_done"], ["wait", "commit_first"]],
    )
    wait_for(tmp_path, "first_done")
    second = start(
        concurrency_database,
        contested,
        tmp_path,
        [["signal", "second_started"], ["complete", call]],
    )
    wait_for(tmp_path, "second_started")
    time.sleep(2)  # the second worker is now waiting for the first one's lock
    (tmp_path / "commit_first").touch()
    first_report, second_report = report(first), report(second)

    assert first_report["tries"] == 1, first_report
    assert first_report["error"] is None, first_report
    # the second worker's transaction failed to serialize, Odoo retried it,
    # and the retry found the activity done
    assert second_report["retried_on"] == ["SERIALIZATION_FAILURE"], second_report
    assert second_report["tries"] == 2, second_report
    assert second_report["error"] == DONE_AGAIN_ERROR, second_report
    assert len(quotes(concurrency_database, contested)) == 1


@pytest.mark.slow
def test_two_workers_completing_two_activities_of_a_lead(
    concurrency_database, contested, tmp_path
):
    first = start(
        concurrency_database,
        contested,
        tmp_path,
        [
            ["complete", contested["call"]],
            ["signal", "first_done"],
            ["wait", "commit_first"],
        ],
    )
    wait_for(tmp_path, "first_done")
    second = start(
        concurrency_database, contested, tmp_path, [["complete", contested["meeting"]]]
    )
    # the second worker now waits for the lead, held by the first
    wait_for_a_lock_wait(concurrency_database)
    (tmp_path / "commit_first").touch()
    first_report, second_report = report(first), report(second)

    assert first_report["tries"] == 1, first_report
    assert first_report["error"] is None, first_report
    # the de-duplication locks the lead: the second worker waited for the
    # first one's commit, failed to serialize (its snapshot predates that
    # commit), and Odoo's retry found the first one's quote
    assert second_report["retried_on"] == ["SERIALIZATION_FAILURE"], second_report
    assert second_report["tries"] == 2, second_report
    assert second_report["error"] is None, second_report
    assert len(quotes(concurrency_database, contested)) == 1
    assert left(concurrency_database, contested) == []


@pytest.mark.slow
def test_two_workers_completing_two_activities_of_a_lead_at_the_same_instant(
    concurrency_database, tmp_path
):
    contested = concurrency_database.script(CONTESTED_LEADS % {"tries": TRIES})
    leads = contested["leads"]
    # two workers, one transaction per round: each round, one completes the
    # Call and the other the Meeting of the round's lead, both at once
    workers = {
        kind: start(
            concurrency_database,
            contested,
            tmp_path,
            {"name": kind, "rounds": [[["complete", lead[kind]]] for lead in leads]},
        )
        for kind in ("call", "meeting")
    }
    for number in range(TRIES):
        (tmp_path / f"go_{number}").touch()
        for kind in workers:
            wait_for(tmp_path, f"{kind}_done_{number}")
    reports = [round_report for w in workers.values() for round_report in report(w)]

    assert [r["error"] for r in reports] == [None] * 2 * TRIES, reports
    met = sum(r["tries"] > 1 for r in reports)
    assert met, "the workers never met: the rounds tested nothing"
    assert [len(quotes(concurrency_database, lead)) for lead in leads] == [1] * TRIES
    assert all(left(concurrency_database, lead) == [] for lead in leads)


@pytest.mark.slow
def test_deadlock_between_two_workers_is_retried(
    concurrency_database, contested, tmp_path
):
    call, meeting = contested["call"], contested["meeting"]
    # each worker completes both activities, in opposite orders
    first = start(
        concurrency_database,
        contested,
        tmp_path,
        [
            ["complete", call],
            ["signal", "first_has_call"],
            ["wait", "go_first"],
            ["complete", meeting],
        ],
    )
    wait_for(tmp_path, "first_has_call")
    second = start(
        concurrency_database,
        contested,
        tmp_path,
        [["complete", meeting], ["complete", call]],
    )
    # the second worker, holding the Meeting, waits for the lead, held by the
    # first one (de-duplication)
    wait_for_a_lock_wait(concurrency_database)
    time.sleep(1.5)  # past its deadlock check: the first one will be the loser
    (tmp_path / "go_first").touch()  # the first one now waits for the Meeting
    reports = [report(first), report(second)]

    # PostgreSQL broke the deadlock by failing one transaction; Odoo retried
    # it, and the retry found both activities done by the other worker. A
    # retry that comes while the winner still works on the lead waits for it
    # and fails to serialize once more (Odoo's retry sleeps a random time).
    winner, loser = sorted(reports, key=lambda r: r["tries"])
    assert winner["tries"] == 1 and winner["error"] is None, winner
    assert loser["retried_on"][0] == "DEADLOCK_DETECTED", loser
    assert set(loser["retried_on"][1:]) <= {"SERIALIZATION_FAILURE"}, loser
    assert loser["tries"] == len(loser["retried_on"]) + 1, loser
    assert loser["error"] == DONE_AGAIN_ERROR, loser
    # the winner completed both: one quote, that follows both up
    assert len(quotes(concurrency_database, contested)) == 1
    assert left(concurrency_database, contested) == []
