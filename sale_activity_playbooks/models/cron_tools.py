# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the crons share: indexes made by hand, row locks that survive what
other transactions commit meanwhile, and progress reports to the cron
runner."""

from psycopg2 import errors

from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_index

# After a serialization failure, at most this many rows of a batch are tried
# one by one; more (another worker processed them) are left to the next call.
MAX_ROWS_TRIED_ALONE = 64


def ensure_index(cr, name, table, columns, where):
    """Create the partial index ``name`` on ``table``, or recreate it when an
    earlier version of the module made it with another definition (``-u``).
    ``where`` is written as PostgreSQL prints it back (``pg_indexes``)."""
    cr.execute(SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name))
    row = cr.fetchone()
    if row and not row[0].endswith(f"({', '.join(columns)}) WHERE {where}"):
        drop_index(cr, name, table)
    create_index(cr, name, table, columns, where=where)


def lock_rows(cr, table, lock, ids):
    """Run ``lock(ids)``: a statement that locks the rows of ``table`` among
    ``ids`` that nobody else holds (``FOR UPDATE SKIP LOCKED``) and returns
    their ids. Returns ``(locked ids, conflicting ids)``.

    Under Odoo's REPEATABLE READ, a row that another transaction changed or
    deleted after this one's snapshot cannot be locked (serialization
    failure), and the whole statement fails. Then the rows whose version we
    see was ended or locked by another transaction (``xmax``) are told from
    the others, which are locked at once, and tried one by one: only the
    rows changed meanwhile are left out, for the next transaction to see
    them as they are now. When many changed (another worker processed them),
    they are all left out without trying."""
    if not ids:
        return [], []
    locked = _try_lock(cr, lock, ids)
    if locked is not None:
        return locked, []
    cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id = ANY(%s) AND xmax <> 0",
            SQL.identifier(table),
            list(ids),
        )
    )
    suspects = sorted(row[0] for row in cr.fetchall())
    others = sorted(set(ids) - set(suspects))
    locked = _try_lock(cr, lock, others) if others else []
    if locked is None:  # changed since the look at xmax: the next call
        return [], sorted(ids)
    if len(suspects) > MAX_ROWS_TRIED_ALONE:
        return locked, suspects
    conflicts = []
    for row_id in suspects:
        alone = _try_lock(cr, lock, [row_id])
        if alone is None:
            conflicts.append(row_id)
        else:
            locked += alone
    return sorted(locked), conflicts


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
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    if remaining and not done:
        env.ref(cron_xmlid)._trigger()
