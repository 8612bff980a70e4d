# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SQL plumbing shared by the crons: indexes made by hand, and row locks that
survive what other transactions commit meanwhile."""

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
