# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the crons share: indexes made by hand, row locks that survive what
other transactions commit meanwhile, and progress reports to the cron
runner."""

from contextlib import closing

from psycopg2 import errors

from odoo.sql_db import db_connect
from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_index

from .. import odoo_series

# Rows locked by one statement once a batch met rows changed meanwhile
LOCK_SLICE = 250


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
    failure), and the whole statement fails. Then the rows are locked in
    slices, each without the rows changed since (by transactions that
    committed after this snapshot): a conflict costs these rows only, for the
    next transaction to see them as they are now. A slice that keeps failing
    while people change rows meanwhile is locked in halves."""
    if not ids:
        return [], []
    locked = _try_lock(cr, lock, ids)
    if locked is not None:
        return locked, []
    locked, conflicts = [], set()
    for start in range(0, len(ids), LOCK_SLICE):
        rest = list(ids[start : start + LOCK_SLICE])
        slice_locked, attempts = _try_lock(cr, lock, rest), 0
        while slice_locked is None and attempts < 3:
            attempts += 1
            conflicts |= _changed_since_snapshot(cr, table, rest)
            rest = [row_id for row_id in rest if row_id not in conflicts]
            slice_locked = _try_lock(cr, lock, rest) if rest else []
        if slice_locked is None:
            slice_locked, left = _lock_in_halves(cr, lock, rest, budget=[16])
            conflicts |= set(left)
        locked += slice_locked
    return locked, sorted(conflicts)


def _lock_in_halves(cr, lock, ids, budget):
    """Lock ``ids`` half by half, down to the single rows that fail, within
    ``budget`` statements (a one-item list, shared by the calls): ``(locked
    ids, ids left)``."""
    if not ids or budget[0] <= 0:
        return [], list(ids)
    budget[0] -= 1
    locked = _try_lock(cr, lock, ids)
    if locked is not None:
        return locked, []
    if len(ids) == 1:
        return [], list(ids)
    middle = len(ids) // 2
    locked, left = _lock_in_halves(cr, lock, ids[:middle], budget)
    more_locked, more_left = _lock_in_halves(cr, lock, ids[middle:], budget)
    return locked + more_locked, left + more_left


def _changed_since_snapshot(cr, table, ids):
    """The ``ids`` of rows of ``table`` that another transaction changed or
    deleted, and committed, after this one's snapshot: the version we see is
    not the one committed now (read on a connection of its own), and it is
    not one this transaction wrote itself (in progress: only ours are
    visible to us)."""
    versions = SQL(
        "SELECT id, xmin::text::bigint FROM %s WHERE id = ANY(%s)",
        SQL.identifier(table),
        list(ids),
    )
    cr.execute(versions)
    seen = dict(cr.fetchall())
    with closing(db_connect(cr.dbname).cursor()) as now_cr:
        now_cr.execute(versions)
        now = dict(now_cr.fetchall())
        now_cr.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        (next_xid,) = now_cr.fetchone()
    differ = [row_id for row_id in ids if seen.get(row_id) != now.get(row_id)]
    if not differ:
        return set()

    def full_id(xmin):
        # xmin holds the low 32 bits of a transaction id: the full id is the
        # one nearest to the transactions of now
        xid = (next_xid >> 32 << 32) | xmin
        if xid > next_xid + (1 << 31):
            return xid - (1 << 32)
        if xid < next_xid - (1 << 31):
            return xid + (1 << 32)
        return xid

    cr.execute(
        SQL(
            "SELECT id FROM unnest(%s::integer[], %s::text[]) AS version(id, xid) "
            "WHERE pg_xact_status(version.xid::xid8) = 'in progress'",
            differ,
            [str(full_id(seen[row_id])) for row_id in differ],
        )
    )
    ours = {row[0] for row in cr.fetchall()}
    return set(differ) - ours


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
