# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.action_records import ensure_one_record


class SaleActivityPlaybookStop(models.TransientModel):
    """Stop a playbook on leads: its pending follow-ups go, and the lead's
    chatter says who stopped it and why. Other playbooks' follow-ups and
    activities made by hand stay; the playbook may be started again later."""

    _name = "sale.activity.playbook.stop"
    _inherit = "sale.activity.input.checks"
    _description = "Stop Playbook"
    _playbook_checked_fields = (
        "lead_ids",
        "available_playbook_ids",
        "playbook_id",
        "reason",
    )

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    available_playbook_ids = fields.Many2many(
        "sale.activity.playbook", compute="_compute_available_playbook_ids"
    )
    playbook_id = fields.Many2one(
        "sale.activity.playbook",
        domain="[('id', 'in', available_playbook_ids)]",
        help="A playbook with pending follow-ups on the leads, or that their "
        "team follows.",
    )
    reason = fields.Text(help="Why, for the colleagues who read the lead.")

    @api.depends("lead_ids")
    def _compute_available_playbook_ids(self):
        for wizard in self:
            wizard.available_playbook_ids = wizard._available_playbooks()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # the only playbook there is to stop is chosen already
        if values.get("lead_ids") and not values.get("playbook_id"):
            playbooks = self.new(
                {"lead_ids": values["lead_ids"]}
            )._available_playbooks()
            if "playbook_id" in fields_list and len(playbooks) == 1:
                values["playbook_id"] = playbooks.id
        return values

    def action_stop(self):
        """Remove the leads' pending follow-ups of the playbook (the user
        must be able to write the leads) and log who stopped it and why."""
        ensure_one_record(self)
        _ = self.env._
        if not self.lead_ids:
            raise UserError(_("Choose the leads to stop the playbook on."))
        if not self.playbook_id:
            raise UserError(_("Choose the playbook to stop."))
        if not (self.reason or "").strip():
            raise UserError(
                _("Say why you stop the playbook: your colleagues read it on the lead.")
            )
        if self.playbook_id not in self._available_playbooks():
            raise UserError(
                _(
                    "%(playbook)s has no pending follow-up on these leads and their "
                    "teams do not follow it: choose another playbook.",
                    playbook=self.playbook_id.display_name,
                )
            )
        leads = self.lead_ids
        leads.check_access("write")
        counts = Counter()

        def count(activity, _playbook):
            # counted as they go: removed, they can no longer be read
            counts[activity.res_id] += 1
            return True

        self.env["sale.activity.playbook.engine"]._remove_pending_followups(
            leads, [("id", "=", self.playbook_id.id)], applies=count
        )
        for lead in leads:
            self._log_stopped(lead, counts[lead.id])
        return {"type": "ir.actions.act_window_close"}

    def _log_stopped(self, lead, count):
        """Say on ``lead``, in its salesperson's language, who stopped the
        playbook, why, and how many pending follow-ups went."""
        lang = lead.user_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        body = escape(
            env._(
                "%(user)s stopped the playbook %(playbook)s. Pending follow-ups "
                "removed: %(count)s.",
                user=self.env.user.name,
                playbook=self.playbook_id.with_context(lang=lang).name,
                count=count,
            )
        )
        body += Markup("<br/>%s %s") % (env._("Reason:"), self.reason.strip())
        lead._message_log(body=body)

    def _available_playbooks(self):
        """Playbooks with pending follow-ups on the leads, and those their
        teams follow."""
        leads = self.lead_ids._origin
        pending = self.env[
            "sale.activity.playbook.engine"
        ]._pending_playbook_activities(leads)
        return pending.playbook_line_id.playbook_id | leads.team_id.playbook_ids
