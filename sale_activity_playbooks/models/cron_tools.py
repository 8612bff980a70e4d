# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the crons share: indexes made by hand, row locks that survive what
other transactions commit meanwhile, and progress reports to the cron
runner."""

from psycopg2 import errors

from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_index


def ensure_index(cr, name, table, columns, where):
    """Create the partial index ``name`` on ``table``, or recreate it when an
    earlier version of the module made it with another definition (``-u``).
    ``where`` is written as PostgreSQL prints it back (``pg_indexes``)."""
    cr.execute(SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name))
    row = cr.fetchone()
    if row and not row[0].endswith(f"({', '.join(columns)}) WHERE {where}"):
        drop_index(cr, name, table)
    create_index(cr, name, table, columns, where=where)


def lock_rows(cr, lock, ids):
    """Run ``lock(ids)``: a statement that locks the rows of ``ids`` that
    nobody else holds (``FOR UPDATE SKIP LOCKED``) and returns their ids.
    Returns ``(locked ids, conflicting ids)``.

    Under Odoo's REPEATABLE READ, a row that a transaction changed or deleted
    after this one's snapshot cannot be locked (serialization failure), and
    the whole statement fails. Then the ids are locked in halves, each in a
    savepoint, so that only the conflicting rows are left out (a few
    statements per conflict): the next transaction, on a fresh snapshot,
    sees them as they are now."""
    if not ids:
        return [], []
    try:
        with cr.savepoint(flush=False):
            cr.execute(lock(ids), log_exceptions=False)
            return [row[0] for row in cr.fetchall()], []
    except errors.SerializationFailure:
        if len(ids) == 1:
            return [], list(ids)
        middle = len(ids) // 2
        locked, conflicts = lock_rows(cr, lock, ids[:middle])
        more_locked, more_conflicts = lock_rows(cr, lock, ids[middle:])
        return locked + more_locked, conflicts + more_conflicts


def notify_progress(env, cron_xmlid, done, remaining):
    """Tell the cron runner what this call did and what remains, so that it
    calls again while work remains. The runner takes a call that did nothing
    for the end of the run, even with work left (rows that others changed or
    held meanwhile): the job is then triggered again, not left to its next
    scheduled run."""
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    if remaining and not done:
        env.ref(cron_xmlid)._trigger()
