# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..models.action_records import ensure_one_record, notify_and_close


class SaleActivityFollowupDone(models.TransientModel):
    """Mark several follow-ups done at once, with one feedback."""

    _name = "sale.activity.followup.done"
    _inherit = "sale.activity.input.checks"
    _description = "Mark Follow-ups as Done"
    _playbook_checked_fields = (
        "activity_ids",
        "activity_count",
        "feedback",
    )

    activity_ids = fields.Many2many("mail.activity", string="Follow-ups", required=True)
    activity_count = fields.Integer(compute="_compute_activity_count")
    feedback = fields.Text(help="Logged on each lead with the activity done.")

    @api.depends("activity_ids")
    def _compute_activity_count(self):
        for wizard in self:
            wizard.activity_count = len(wizard.activity_ids)

    def action_done(self):
        ensure_one_record(self)
        activities = self.activity_ids.exists()
        count = len(activities)
        activities.action_feedback(feedback=self.feedback or False)
        message = (
            self.env._("1 follow-up marked as done.")
            if count == 1
            else self.env._("%(count)s follow-ups marked as done.", count=count)
        )
        return notify_and_close(message)
