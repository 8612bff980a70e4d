# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.action_records import ensure_one_record, notify_and_close


class SaleActivityFollowupReassign(models.TransientModel):
    """Give several follow-ups to someone else at once (sales managers)."""

    _name = "sale.activity.followup.reassign"
    _inherit = "sale.activity.input.checks"
    _description = "Reassign Follow-ups"
    _playbook_checked_fields = (
        "activity_ids",
        "activity_count",
        "user_id",
    )

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

    @api.constrains("user_id", "activity_ids")
    def _check_assignee(self):
        for wizard in self:
            user = wizard.user_id.sudo()
            if not user.active or user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be assigned follow-ups: only active internal "
                        "users can. Choose another user.",
                        user=user.name,
                    )
                )
            foreign = wizard._activity_companies() - user.company_ids
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(companies)s, where these "
                        "follow-ups are: choose a user of that company.",
                        user=user.name,
                        companies=", ".join(foreign.mapped("name")),
                    )
                )

    def action_reassign(self):
        ensure_one_record(self)
        self._check_assignee()
        activities = self.activity_ids.exists()
        activities._check_can_reassign()
        activities.write({"user_id": self.user_id.id})
        count, user = len(activities), self.user_id.sudo().name
        message = (
            self.env._("1 follow-up reassigned to %(user)s.", user=user)
            if count == 1
            else self.env._(
                "%(count)s follow-ups reassigned to %(user)s.", count=count, user=user
            )
        )
        return notify_and_close(message)

    def _activity_companies(self):
        """The companies of the records (leads) that the follow-ups are on."""
        companies = self.env["res.company"]
        for model, activities in self.activity_ids.sudo().grouped("res_model").items():
            if model in self.env and "company_id" in self.env[model]._fields:
                records = self.env[model].sudo().browse(activities.mapped("res_id"))
                companies |= records.exists().company_id
        return companies
