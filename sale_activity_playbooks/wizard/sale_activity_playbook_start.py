# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.action_records import ensure_one_record
from ..models.sale_activity_playbook_start_engine import SKIP_REASONS

# Leads named in the message per reason; the others are counted.
NAMED_LEADS = 5


class SaleActivityPlaybookStart(models.TransientModel):
    """Start a playbook on leads: its start rules plan their activities on
    each lead whose team follows it, once per lead."""

    _name = "sale.activity.playbook.start"
    _inherit = "sale.activity.input.checks"
    _description = "Start a Playbook"
    _playbook_checked_fields = (
        "playbook_id",
        "lead_ids",
        "start_count",
    )

    playbook_id = fields.Many2one(
        "sale.activity.playbook",
        required=True,
        ondelete="cascade",
        domain="[('team_ids', '!=', False), ('line_ids.trigger_on', '=', 'start')]",
        default=lambda self: self._default_playbook(),
    )
    lead_ids = fields.Many2many("crm.lead", string="Leads")
    start_count = fields.Integer(
        "Leads to Start",
        compute="_compute_start_count",
        help="How many of the leads the playbook will start on.",
    )

    @api.model
    def _default_playbook(self):
        """The only playbook with start rules that the leads' teams follow."""
        lead_ids = self.env.context.get("playbook_start_lead_ids")
        if not isinstance(lead_ids, list) or not all(
            isinstance(lead_id, int) for lead_id in lead_ids
        ):
            return self.env["sale.activity.playbook"]
        leads = self.env["crm.lead"].browse(lead_ids)
        playbooks = (
            self.env["sale.activity.playbook"]
            ._followed_playbooks(leads.team_id)
            .filtered(lambda p: "start" in p.line_ids.mapped("trigger_on"))
        )
        return playbooks if len(playbooks) == 1 else playbooks.browse()

    @api.depends("playbook_id", "lead_ids")
    def _compute_start_count(self):
        Engine = self.env["sale.activity.playbook.engine"]
        for wizard in self:
            leads = wizard.lead_ids._origin
            if not wizard.playbook_id or not leads:
                wizard.start_count = 0
                continue
            skipped = Engine._start_skips(wizard.playbook_id._origin.sudo(), leads)
            wizard.start_count = len(leads) - sum(map(len, skipped.values()))

    def action_start(self):
        """Start the playbook on the leads (which the user must be able to
        read), and say in one message what started and what was skipped."""
        ensure_one_record(self)
        leads = self.lead_ids
        leads.check_access("read")
        playbook = self.playbook_id
        if "start" not in playbook.sudo().line_ids.mapped("trigger_on"):
            raise UserError(
                self.env._(
                    '"%(playbook)s" has no start rule: add one (when the playbook '
                    "starts on a lead, plan...) before starting it.",
                    playbook=playbook.name,
                )
            )
        started, skipped = self.env["sale.activity.playbook.engine"]._start_playbook(
            playbook, leads
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Start playbook"),
                "message": self._start_message(playbook, started, skipped),
                "type": "success" if started and not skipped else "warning",
                "sticky": bool(skipped),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _start_message(self, playbook, started, skipped):
        """ "Started X on 3 leads. Skipped: A (another team); B (lost or won)."""
        _ = self.env._
        labels = {
            "team": _("another team"),
            "closed": _("lost or won"),
            "paused": _("paused"),
            "goal": _("past the goal stage"),
            "started": _("already started"),
        }
        message = _(
            "%(playbook)s started on %(count)s leads.",
            playbook=playbook.name,
            count=len(started),
        )
        parts = []
        for reason in SKIP_REASONS:
            leads = skipped.get(reason)
            if not leads:
                continue
            names = ", ".join(leads[:NAMED_LEADS].mapped("display_name"))
            if len(leads) > NAMED_LEADS:
                names = _(
                    "%(names)s and %(count)s more",
                    names=names,
                    count=len(leads) - NAMED_LEADS,
                )
            parts.append(
                _("%(leads)s (%(reason)s)", leads=names, reason=labels[reason])
            )
        if parts:
            message = _(
                "%(message)s Skipped: %(skipped)s.",
                message=message,
                skipped="; ".join(parts),
            )
        return message
