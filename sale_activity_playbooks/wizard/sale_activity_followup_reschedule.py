# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.action_records import ensure_one_record
from ..models.sale_activity_playbook_line import MAX_DELAY


class SaleActivityFollowupReschedule(models.TransientModel):
    """Move several follow-ups at once: to a date, or some working days later
    on each assignee's working calendar."""

    _name = "sale.activity.followup.reschedule"
    _inherit = "sale.activity.input.checks"
    _description = "Reschedule Follow-ups"
    _playbook_checked_fields = (
        "activity_ids",
        "activity_count",
        "mode",
        "date_deadline",
        "working_days",
    )

    activity_ids = fields.Many2many("mail.activity", string="Follow-ups", required=True)
    activity_count = fields.Integer(compute="_compute_activity_count")
    mode = fields.Selection(
        [("date", "On a date"), ("working_days", "Working days later")],
        string="Reschedule",
        required=True,
        default="working_days",
    )
    date_deadline = fields.Date("Due Date")
    working_days = fields.Integer(
        default=1,
        help="Counted on the working calendar of each assignee from the due date, "
        "or from today for follow-ups already overdue.",
    )

    @api.depends("activity_ids")
    def _compute_activity_count(self):
        for wizard in self:
            wizard.activity_count = len(wizard.activity_ids)

    @api.constrains("mode", "date_deadline", "working_days")
    def _check_reschedule(self):
        for wizard in self:
            if wizard.mode == "date" and not wizard.date_deadline:
                raise ValidationError(self.env._("Choose the new due date."))
            limit = MAX_DELAY["working_days"]
            if wizard.mode == "working_days" and not 1 <= wizard.working_days <= limit:
                raise ValidationError(
                    self.env._(
                        "Reschedule by 1 to %(limit)s working days.", limit=limit
                    )
                )

    def action_reschedule(self):
        ensure_one_record(self)
        activities = self.activity_ids.exists()
        if self.mode == "date":
            activities.write({"date_deadline": self.date_deadline})
        else:
            for deadline, moved in self._working_day_deadlines(activities).items():
                moved.write({"date_deadline": deadline})
        return {"type": "ir.actions.act_window_close"}

    def _working_day_deadlines(self, activities):
        """``{new deadline: activities}``: ``working_days`` after the due date
        (today, when it is past) in each assignee's time zone and calendar."""
        Line = self.env["sale.activity.playbook.line"]
        UserTime = self.env["sale.activity.user.time"]
        now = fields.Datetime.now()
        cache = {}
        moved = defaultdict(lambda: activities.browse())
        for activity in activities:
            user = activity.user_id.sudo()
            today = UserTime._user_today(user, now)
            calendar = UserTime._working_calendar(user)
            base = max(activity.date_deadline, today)
            deadline = Line._add_working_days(
                calendar.sudo(), base, self.working_days, cache
            )
            moved[deadline] |= activity
        return moved
