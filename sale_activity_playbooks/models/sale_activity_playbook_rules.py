# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The playbooks' rules as the engine looks them up: cached per team and per
trigger, cleared when playbook, rule, outcome or team data changes
(``sale.activity.cache.mixin``)."""

from collections import defaultdict
from typing import NamedTuple

from odoo import api, models, tools


class RuleFacts(NamedTuple):
    """What the engine knows of a rule without reading it (see
    ``SaleActivityPlaybook._get_rule_facts``)."""

    playbook_id: int
    company_id: int
    chaining_type: str
    outcome_ids: frozenset
    next_type_ids: tuple
    repeat_limit: int
    notify_assignment: bool
    stop_stage_id: int
    # how it plans, when it has no summary or note to translate (else None)
    planning: tuple | None


# What a rule reads to plan its activities (besides its texts).
PLANNING_FIELDS = (
    "delay_count",
    "delay_unit",
    "delay_from",
    "responsible",
    "user_id",
    "playbook_id",
    "auto_send",
)


class SaleActivityPlaybook(models.Model):
    _inherit = "sale.activity.playbook"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _get_team_rules(self, team_id):
        """The rules of the active playbooks that an active team follows, as a
        dict ``{(trigger_on, activity_type_id): line ids}`` (unordered: see
        ``_sort_rules``). Cached until a playbook, a rule or a team's playbooks
        change, so that scheduling and completing activities costs no query
        for it."""
        return dict(self._get_team_rules_cached(team_id))

    @api.model
    @tools.ormcache("trigger_on")
    def _get_rule_type_ids(self, trigger_on):
        """Ids of the activity types that start a rule on ``trigger_on`` in an
        active playbook followed by an active team: other activities are not
        looked at any further."""
        return frozenset(
            type_id
            for moment, type_id in self._followed_rules()
            if moment == trigger_on
        )

    @api.model
    @tools.ormcache()
    def _get_reply_watching_team_ids(self):
        """Ids of the active teams that follow an active playbook stopping on
        a customer's reply: emails on the leads of other teams cost nothing."""
        teams = (
            self.env["crm.team"]
            .sudo()
            .search(
                [
                    ("playbook_ids.active", "=", True),
                    ("playbook_ids.stop_on_reply", "=", True),
                ]
            )
        )
        return frozenset(teams.ids)

    @tools.ormcache("team_id")
    def _get_team_rules_cached(self, team_id):
        # Configuration read with the registry's privileges: the result holds
        # ids only, and callers filter on the lead's company.
        team = self.env["crm.team"].sudo().browse(team_id)
        rules = self._followed_rules(team)
        return tuple((key, tuple(sorted(ids))) for key, ids in rules.items())

    @api.model
    @tools.ormcache()
    def _get_rule_facts(self):
        """``{line id: RuleFacts}`` for the rules of the active playbooks that
        active teams follow: what the engine needs to choose the rules that
        apply to an activity and to plan their activities, without a query.
        Read-only."""
        return {
            line.id: RuleFacts(
                playbook_id=line.playbook_id.id,
                company_id=line.company_id.id,
                chaining_type=line.chaining_type,
                outcome_ids=frozenset(line.outcome_ids.ids),
                next_type_ids=tuple(line.next_type_ids.ids),
                repeat_limit=line.repeat_limit,
                notify_assignment=line.playbook_id.notify_assignment,
                stop_stage_id=line.playbook_id.stop_stage_id.id,
                planning=None
                if line.summary or line.note
                else tuple(
                    (fname, line._fields[fname].convert_to_write(line[fname], line))
                    for fname in PLANNING_FIELDS
                ),
            )
            for line in self._followed_playbooks().line_ids
        }

    @api.model
    @tools.ormcache("self.env.lang")
    def _get_planned_names(self):
        """``({playbook id: name}, {activity type id: name})`` in the
        context's language: the playbooks that teams follow and the types
        their rules plan, as the toast of planned follow-ups names them,
        without a query. Read-only."""
        playbooks = self._followed_playbooks()
        types = playbooks.line_ids.next_type_ids
        return (
            {playbook.id: playbook.name for playbook in playbooks},
            {activity_type.id: activity_type.name for activity_type in types},
        )

    @api.model
    def _followed_playbooks(self, teams=None):
        """The active playbooks that ``teams`` (every team by default) follow,
        active teams only."""
        domain = [("playbook_ids.active", "=", True)]
        if teams is not None:
            domain.append(("id", "in", teams.ids))
        return (
            self.env["crm.team"].sudo().search(domain).playbook_ids.filtered("active")
        )

    @api.model
    def _followed_rules(self, teams=None):
        """``{(trigger_on, activity type id): line ids}`` of the active
        playbooks that ``teams`` (every team by default) follow, active teams
        only."""
        rules = defaultdict(list)
        for line in self._followed_playbooks(teams).line_ids:
            rules[(line.trigger_on, line.activity_type_id.id)].append(line.id)
        return rules

    @api.model
    def _sort_rules(self, lines):
        """``lines`` in the order of their playbooks, then of their sequence."""
        return lines.sorted(
            lambda line: (
                line.playbook_id.sequence,
                line.playbook_id.id,
                line.sequence,
                line.id,
            )
        )
