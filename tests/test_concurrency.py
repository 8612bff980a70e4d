"""Two workers (two Odoo processes, two database connections) completing
activities of the same lead at the same moment: the follow-ups are those that
completing them one after the other gives, never twice, and a deadlock is
retried by Odoo, never shown to anyone.

Each scenario holds one worker's transaction open at the worst moment (after
it completed an activity, before it commits) and lets the other run into it.
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
    time.sleep(2)
    (tmp_path / "commit_first").touch()
    reports = [report(first), report(second)]

    assert [r["error"] for r in reports] == [None, None], reports
    assert [r["tries"] for r in reports] == [1, 1], "they never met"
    # one quote per activity done at most, at least one: the second finds the
    # first one's quote only when its snapshot starts after the first commit
    # (the de-duplication takes no lock on the lead: two workers completing
    # activities of one lead in the same instant may each plan one)
    assert 1 <= len(quotes(concurrency_database, contested)) <= 2
    assert left(concurrency_database, contested) == []


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
        [
            ["complete", meeting],
            ["signal", "second_has_meeting"],
            ["complete", call],
        ],
    )
    wait_for(tmp_path, "second_has_meeting")
    time.sleep(1)  # the second worker waits for the Call, held by the first
    (tmp_path / "go_first").touch()  # the first one now waits for the Meeting
    reports = [report(first), report(second)]

    # PostgreSQL broke the deadlock by failing one transaction; Odoo retried
    # it, and the retry found both activities done by the other worker
    assert sorted(r["tries"] for r in reports) == [1, 2], reports
    winner, loser = sorted(reports, key=lambda r: r["tries"])
    assert winner["error"] is None, winner
    assert loser["retried_on"] == ["DEADLOCK_DETECTED"], loser
    assert loser["error"] == DONE_AGAIN_ERROR, loser
    # the winner completed both: one quote, that follows both up
    assert len(quotes(concurrency_database, contested)) == 1
    assert left(concurrency_database, contested) == []
