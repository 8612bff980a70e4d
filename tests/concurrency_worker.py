"""One worker of test_concurrency: an Odoo process that runs steps in one
transaction, as a request of the HTTP server does (retried by Odoo on
serialization failures and deadlocks), then commits, and reports as JSON.

usage: python concurrency_worker.py CONFIG DATABASE USER_ID SYNC_DIR STEPS_JSON

STEPS_JSON is a list of steps, each [name, argument], or {"name": NAME,
"rounds": [steps, ...]}: one transaction per round, in turn, each when
SYNC_DIR/go_<round> exists; after its commit, SYNC_DIR/<NAME>_done_<round>
is created (the report is then the list of the rounds' reports). Steps:
  ["complete", activity_id]   mark an activity done (action_feedback)
  ["signal", "name"]          flush, then create SYNC_DIR/name
  ["wait", "name"]            wait until SYNC_DIR/name exists
  ["method", ["model", "method", ids]]
                              call a public method (a cron's entry point, a
                              server action's method...) on records

Adding a step is one entry in STEPS.
"""

import json
import logging
import sys
import time
from pathlib import Path

import odoo
from odoo.service.model import retrying

WAIT_TIMEOUT = 60


def complete(env, activity_id, sync_dir):
    env["mail.activity"].browse(activity_id).action_feedback(feedback="worker")


def signal(env, name, sync_dir):
    env.flush_all()
    (sync_dir / name).touch()


def wait(env, name, sync_dir):
    deadline = time.monotonic() + WAIT_TIMEOUT
    while not (sync_dir / name).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"nobody created {name}")
        time.sleep(0.05)


def method(env, argument, sync_dir):
    model, name, ids = argument
    getattr(env[model].browse(ids), name)()


STEPS = {"complete": complete, "signal": signal, "wait": wait, "method": method}


class RetriesLog(logging.Handler):
    """Collects why Odoo retried the transaction (e.g. DEADLOCK_DETECTED)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.reasons = []

    def emit(self, record):
        if "tries left" in record.getMessage() or "maximum number" in (
            record.getMessage()
        ):
            self.reasons.append(record.getMessage().split(",")[0])


def transaction(registry, user_id, sync_dir, steps, retries):
    """Run ``steps`` in one transaction as Odoo runs a request: its report."""
    report = {"tries": 0, "error": None, "message": None, "retried_on": []}
    retries.reasons = []
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, int(user_id), {})

            def run():
                report["tries"] += 1
                for step, argument in steps:
                    STEPS[step](env, argument, Path(sync_dir))
                env.flush_all()

            retrying(run, env)
    except Exception as error:  # noqa: BLE001 (reported to the test, which judges it)
        report["error"] = type(error).__name__
        report["message"] = str(error)
    report["retried_on"] = retries.reasons
    return report


def main(config, database, user_id, sync_dir, steps):
    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    retries = RetriesLog()
    retry_logger = logging.getLogger("odoo.service.model")
    retry_logger.setLevel(logging.INFO)
    retry_logger.addHandler(retries)
    registry = odoo.modules.registry.Registry(database)
    if isinstance(steps, list):
        report = transaction(registry, user_id, sync_dir, steps, retries)
        print(json.dumps(report), flush=True)
        return
    reports, sync = [], Path(sync_dir)
    for number, round_steps in enumerate(steps["rounds"]):
        go = sync / f"go_{number}"
        deadline = time.monotonic() + WAIT_TIMEOUT
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.002)
        reports.append(transaction(registry, user_id, sync_dir, round_steps, retries))
        (sync / f"{steps['name']}_done_{number}").touch()
    print(json.dumps(reports), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5], json.loads(sys.argv[5]))
