# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_date


class SaleActivityPlaybookPreview(models.TransientModel):
    """What a playbook would schedule on a sample lead, computed in the form:
    nothing is saved, no activity is created."""

    _name = "sale.activity.playbook.preview"
    _inherit = "sale.activity.input.checks"
    _description = "Try an Activity Playbook"
    _playbook_checked_fields = (
        "playbook_id",
        "team_ids",
        "lead_id",
        "preview",
    )

    playbook_id = fields.Many2one(
        "sale.activity.playbook", required=True, readonly=True, ondelete="cascade"
    )
    # read with the user's rights: the playbook id comes from the client
    team_ids = fields.Many2many(related="playbook_id.team_ids", compute_sudo=False)
    lead_id = fields.Many2one(
        "crm.lead",
        string="Sample Lead",
        domain="[('team_id', 'in', team_ids)] if team_ids else []",
        help="The lead on which the playbook is tried: its salesperson and sales "
        "team decide who gets the activities.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.depends("playbook_id", "lead_id")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = self.env["ir.qweb"]._render(
                "sale_activity_playbooks.playbook_preview",
                {
                    "playbook": wizard.playbook_id,
                    "lead": wizard.lead_id,
                    "rows": wizard._preview_rows(),
                },
            )

    def _preview_rows(self):
        """One row per rule: what it schedules or suggests on the sample lead,
        for whom and when, if the activity that starts it were due today."""
        self.ensure_one()
        lead, playbook = self.lead_id, self.playbook_id
        # Both ids come from the client: the user's own rights decide what the
        # preview may show, and a lead they cannot read tells nothing.
        for record in (playbook, lead):
            if record and not record._filtered_access("read"):
                raise AccessError(
                    self.env._(
                        "You can only try a playbook that you may read on a lead "
                        "that you may read."
                    )
                )
        if not lead:
            return []
        today = self.env["sale.activity.user.time"]._user_today(self.env.user)
        source_user = lead.user_id or self.env.user
        rows = []
        for line in playbook.line_ids:
            row = {
                "line": line,
                "when": self.env._(
                    "%(type)s %(moment)s",
                    type=line.activity_type_id.name,
                    moment=line._moment_with_outcomes(),
                ),
                "action": line.chaining_type,
                "types": line.next_type_ids,
                "user": self.env["res.users"],
                "deadline": "",
            }
            if line.chaining_type != "stop":
                row["user"] = line._determine_responsible(lead, source_user)
                # working calendars are configuration, not lead data
                deadline = line.sudo()._get_date_deadline(row["user"].sudo(), today)
                row["deadline"] = format_date(
                    self.env, deadline, date_format="EEEE d MMMM"
                )
            rows.append(row)
        return rows
