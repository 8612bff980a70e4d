# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the race tests share: a copy of the pristine database per module,
and cron workers started at the same instant on their own connections."""

import threading

from databases import environment, load_registry, release_database


def race_registry(odoo_config, databases, pristine_database, name):
    """A generator for a module fixture: the registry of a copy ``name`` of
    the pristine database, released afterwards."""
    database = databases.copy(pristine_database.name, name)
    try:
        yield load_registry(odoo_config, database.name)
    finally:
        release_database(database.name)


def at_the_same_moment(registry, job, workers=2):
    """Run ``job(cr)`` in ``workers`` threads, each on its own cursor, all
    released at once (after a first query, so that none waits for its
    connection meanwhile). Fails with the first error a worker raised."""
    start, errors = threading.Barrier(workers), []

    def worker():
        try:
            with registry.cursor() as cr:
                environment(cr)["res.users"].search_count([])
                start.wait(timeout=30)
                job(cr)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=worker) for _i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[0]


def on_an_older_snapshot(registry, job):
    """Run ``job(cr)`` twice: first on a transaction B that has read the
    database, then, before B runs it, on a transaction A that commits. B
    then works on a snapshot older than A's commit."""
    with registry.cursor() as cr_b:
        environment(cr_b)["mail.activity"].search_count([])
        with registry.cursor() as cr_a:
            job(cr_a)
        job(cr_b)
