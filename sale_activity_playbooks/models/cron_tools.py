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
    failure), and the whole statement fails. Then the rows changed since (by
    transactions that committed after this snapshot) are left out, and the
    others are locked at once: a conflict costs these rows only, for the next
    transaction to see them as they are now."""
    if not ids:
        return [], []
    locked = _try_lock(cr, lock, ids)
    if locked is not None:
        return locked, []
    changed = set()
    for _attempt in range(3):  # more may change meanwhile
        changed |= _changed_since_snapshot(cr, table, ids)
        rest = [row_id for row_id in ids if row_id not in changed]
        locked = _try_lock(cr, lock, rest) if rest else []
        if locked is not None:
            return locked, sorted(changed)
    return [], sorted(ids)


def _changed_since_snapshot(cr, table, ids):
    """The ``ids`` of rows of ``table`` that another transaction changed or
    deleted, and committed, after this one's snapshot: their current version,
    read on a connection of its own, was written by a transaction that this
    snapshot does not see. This transaction's own changes are not theirs."""
    with closing(db_connect(cr.dbname).cursor()) as now_cr:
        now_cr.execute(
            SQL(
                "SELECT id, xmin::text::bigint, "
                "pg_snapshot_xmax(pg_current_snapshot())::text::bigint "
                "FROM %s WHERE id = ANY(%s)",
                SQL.identifier(table),
                list(ids),
            )
        )
        rows = now_cr.fetchall()
    # xmin holds the low 32 bits of a transaction id: the epoch is that of the
    # next transaction, or the one before
    writers = {}
    for row_id, xmin, next_xid in rows:
        xid = (next_xid >> 32 << 32) | xmin
        writers[row_id] = xid - (1 << 32) if xid > next_xid else xid
    cr.execute(
        SQL(
            "SELECT id FROM unnest(%s::integer[], %s::text[]) AS version(id, xid) "
            "WHERE NOT pg_visible_in_snapshot(version.xid::xid8, "
            "pg_current_snapshot())",
            list(writers),
            [str(xid) for xid in writers.values()],
        )
    )
    gone = set(ids) - set(writers)
    return gone | {row[0] for row in cr.fetchall()}


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
