# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the crons share: indexes made by hand, row locks taken as
PostgreSQL gives them, and progress reports to the cron runner."""

from psycopg2 import errors

from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_index

from .. import odoo_series

# Lock statements that one call may spend telling apart the rows changed
# meanwhile; the rows not told apart then are left to the next call.
LOCK_STATEMENTS = 48


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
    """Run ``lock(ids)``: a statement that locks the rows among ``ids`` that
    nobody else holds (``FOR NO KEY UPDATE SKIP LOCKED``) and returns their
    ids. Returns ``(locked ids, ids left to the next call)``.

    Under Odoo's REPEATABLE READ, locking a row that another transaction
    changed and committed after our snapshot fails the whole statement
    (serialization failure). Each statement runs in a savepoint: a failing
    one is split in halves, down to the rows that fail alone, which wait
    for the next call and its fresh snapshot. So a row changed meanwhile
    costs itself only, for a few statements."""
    locked, left = _lock_in_halves(cr, lock, list(ids), [LOCK_STATEMENTS])
    return locked, sorted(left)


def _lock_in_halves(cr, lock, ids, budget):
    """Lock ``ids``, half by half when a statement fails, within ``budget``
    statements (a one-item list, shared by the calls): ``(locked ids, ids
    left)``."""
    if not ids:
        return [], []
    if budget[0] <= 0:
        return [], ids
    budget[0] -= 1
    locked = _try_lock(cr, lock, ids)
    if locked is not None:
        return locked, []
    if len(ids) == 1:
        return [], ids
    middle = len(ids) // 2
    locked, left = _lock_in_halves(cr, lock, ids[:middle], budget)
    more_locked, more_left = _lock_in_halves(cr, lock, ids[middle:], budget)
    return locked + more_locked, left + more_left


def _try_lock(cr, lock, ids):
    """The ids that ``lock(ids)`` returns, or None on a serialization
    failure (rolled back to a savepoint)."""
    try:
        with cr.savepoint(flush=False):
            cr.execute(lock(ids), log_exceptions=False)
            return [row[0] for row in cr.fetchall()]
    except errors.SerializationFailure:
        return None


def notify_progress(env, cron_xmlid, done, remaining):
    """Tell the cron runner what this call did and what remains, so that it
    calls again while work remains. The runner takes a call that did nothing
    for the end of the run, even with work left (rows that others changed or
    held meanwhile): the job is then triggered again, not left to its next
    scheduled run."""
    odoo_series.notify_cron_progress(env, done=done, remaining=remaining)
    if remaining and not done:
        env.ref(cron_xmlid)._trigger()
