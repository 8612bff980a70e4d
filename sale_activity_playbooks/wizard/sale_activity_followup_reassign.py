# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleActivityFollowupReassign(models.TransientModel):
    """Give several follow-ups to someone else at once (sales managers)."""

    _name = "sale.activity.followup.reassign"
    _inherit = "sale.activity.input.checks"
    _description = "Reassign Follow-ups"

    activity_ids = fields.Many2many("mail.activity", string="Follow-ups", required=True)
    activity_count = fields.Integer(compute="_compute_activity_count")
    user_id = fields.Many2one(
        "res.users",
        string="Assign To",
        required=True,
        domain="[('share', '=', False)]",
    )

    @api.depends("activity_ids")
    def _compute_activity_count(self):
        for wizard in self:
            wizard.activity_count = len(wizard.activity_ids)

    def action_reassign(self):
        self.ensure_one()
        activities = self.activity_ids.exists()
        activities._check_can_reassign()
        activities.write({"user_id": self.user_id.id})
        return {"type": "ir.actions.act_window_close"}
