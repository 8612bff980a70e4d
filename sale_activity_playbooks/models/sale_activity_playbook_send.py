# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class SendStops(NamedTuple):
    """What stops or pauses automated emails, per team, known without a query
    (see ``SaleActivityPlaybook._get_send_stops``)."""

    # teams that follow a playbook with stop_on_company_reply, stop_on_meeting
    company_reply_team_ids: frozenset
    meeting_team_ids: frozenset
    # {team id: ((playbook's company id or False, auto_reply_pause_days), ...)}
    auto_reply_pauses: dict


class SaleActivityPlaybook(models.Model):
    """What a playbook says of the emails that its rules send automatically:
    the hours of the recipient's day when they go out, and what stops or
    pauses them (an automatic reply, a reply from the customer's company, a
    meeting)."""

    _inherit = "sale.activity.playbook"  # pylint: disable=consider-merging-classes-inherited

    send_hour_from = fields.Float(
        "Send From",
        default=9.0,
        help="Automated emails go out from this hour of the recipient's day (in "
        "the customer's time zone, else the salesperson's).",
    )
    send_hour_to = fields.Float(
        "Send Until",
        default=17.0,
        help="Automated emails go out until this hour of the recipient's day.",
    )
    auto_reply_pause_days = fields.Integer(
        "Pause After an Automatic Reply",
        default=5,
        help="An automatic reply (out of office) pauses the lead's follow-ups for "
        "this many working days of its salesperson. 0: automatic replies are "
        "ignored.",
    )
    stop_on_company_reply = fields.Boolean(
        "Stop on a Reply From the Company",
        help="When a contact replies, the pending automated emails of this "
        "playbook also stop on the other open leads of the same company.",
    )
    stop_on_meeting = fields.Boolean(
        "Stop on a Meeting",
        help="When a meeting is planned on the lead, the pending follow-ups of "
        "this playbook are removed, as when the goal stage is reached.",
    )

    @api.constrains("send_hour_from", "send_hour_to")
    def _check_send_hours(self):
        for playbook in self:
            if not 0 <= playbook.send_hour_from < playbook.send_hour_to <= 24:
                raise ValidationError(
                    self.env._(
                        "The sending hours of %(playbook)s must lie within the day "
                        "(0:00 to 24:00), the start before the end.",
                        playbook=playbook.name,
                    )
                )

    @api.constrains("auto_reply_pause_days")
    def _check_auto_reply_pause_days(self):
        for playbook in self:
            if not 0 <= playbook.auto_reply_pause_days <= 365:
                raise ValidationError(
                    self.env._(
                        "The pause of %(playbook)s after an automatic reply is "
                        "counted in working days, from 0 (off) to 365.",
                        playbook=playbook.name,
                    )
                )

    @api.model
    @tools.ormcache()
    def _get_send_stops(self):
        """``SendStops`` of the active playbooks that active teams follow:
        emails, automatic replies and meetings on the leads of other teams
        cost no query. Cleared with the rules (``_playbook_cache_fields``)."""
        company_reply, meeting, pauses = set(), set(), {}
        for playbook in self._followed_playbooks():
            team_ids = playbook.team_ids.ids
            if playbook.stop_on_company_reply:
                company_reply.update(team_ids)
            if playbook.stop_on_meeting:
                meeting.update(team_ids)
            if playbook.auto_reply_pause_days:
                pause = (playbook.company_id.id, playbook.auto_reply_pause_days)
                for team_id in team_ids:
                    pauses[team_id] = (*pauses.get(team_id, ()), pause)
        return SendStops(frozenset(company_reply), frozenset(meeting), pauses)

    @api.model
    def _auto_reply_pause_days(self, lead):
        """The working days an automatic reply pauses ``lead``: the largest
        pause of the playbooks of its team that apply to its company; 0:
        none."""
        company_id = (lead.company_id or lead.team_id.company_id).id
        pauses = self._get_send_stops().auto_reply_pauses.get(lead.team_id.id, ())
        return max(
            (
                days
                for playbook_company_id, days in pauses
                if not (company_id and playbook_company_id)
                or playbook_company_id == company_id
            ),
            default=0,
        )
