# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IrCronProgress(models.Model):
    _inherit = "ir.cron.progress"

    # Odoo's cron runner makes a progress record before each call of a job
    # and commits it; the call writes here, in its own transaction, where it
    # stopped. A call that fails writes nothing: the next one goes on from
    # the last batch that was committed.
    playbook_scan_position = fields.Char(
        readonly=True,
        help="Where the neglect scan of this call stopped (sales team id, lead id), "
        "or 'end' when its pass through the leads ended.",
    )
