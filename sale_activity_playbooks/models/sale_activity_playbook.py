# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from .action_records import ensure_one_record


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
    _name = "sale.activity.playbook"
    # the input checks first: nothing is read before they pass
    _inherit = ("sale.activity.input.checks", "sale.activity.playbook.cache.mixin")
    _description = "Activity Playbook"
    _playbook_checked_fields = (
        "name",
        "active",
        "sequence",
        "company_id",
        "team_ids",
        "line_ids",
        "rule_count",
        "description",
        "stop_stage_id",
        "stop_on_reply",
        "cancel_on_won",
        "notify_assignment",
        "escalation_days",
        "neglect_days",
        "neglect_min_revenue",
        "currency_id",
        "followup_type_id",
        # sale_activity_playbook_start.py
        "start_line_ids",
        "start_on_new_leads",
        "start_domain",
        # sale_activity_playbook_send.py
        "send_hour_from",
        "send_hour_to",
        "auto_reply_pause_days",
        "stop_on_company_reply",
        "stop_on_meeting",
    )
    _order = "sequence, id"
    _check_company_auto = True
    _playbook_cache_fields = frozenset(
        {
            "active",
            "team_ids",
            "company_id",
            "notify_assignment",
            "stop_stage_id",
            "stop_on_reply",
            "start_on_new_leads",
            # sale_activity_playbook_send.py (_get_send_stops)
            "auto_reply_pause_days",
            "stop_on_company_reply",
            "stop_on_meeting",
        }
    )

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
    )
    team_ids = fields.Many2many(
        "crm.team",
        "crm_team_sale_activity_playbook_rel",
        "playbook_id",
        "team_id",
        string="Sales Teams",
        # checked by _check_team_companies(), with a sentence to act on
        domain="company_id and [('company_id', 'in', (False, company_id))] or []",
        help="The sales teams that follow this playbook. A team may follow several.",
    )
    line_ids = fields.One2many(
        "sale.activity.playbook.line", "playbook_id", string="Rules", copy=True
    )
    rule_count = fields.Integer("Number of Rules", compute="_compute_rule_count")
    description = fields.Text(translate=True)
    stop_stage_id = fields.Many2one(
        "crm.stage",
        string="Goal Stage",
        ondelete="restrict",
        help="Once a lead reaches this stage or one after it, the pending "
        "activities this playbook created on it are removed, and its rules create "
        "nothing there while the lead stays.",
    )
    stop_on_reply = fields.Boolean(
        "Stop on Reply",
        help="When the customer replies to the lead by email, the pending Reminder "
        "follow-ups this playbook created on it are marked as done.",
    )
    cancel_on_won = fields.Boolean(
        "Cancel on Won",
        default=True,
        help="When a lead is won, remove its pending activities created by this "
        "playbook.",
    )
    notify_assignment = fields.Boolean(
        "Notify Assignees",
        default=False,
        help='Send Odoo\'s "assigned to you" notification for the activities this '
        "playbook creates. Off by default: reminders cover them.",
    )

    escalation_days = fields.Integer(
        "Escalate After",
        default=2,
        help="Working days after its deadline when a reminder still open is "
        "escalated to the team leader. 0: never.",
    )
    neglect_days = fields.Integer(
        "Neglected After",
        default=0,
        help="Days without any activity done or message logged after which an open "
        "lead without planned activity gets a follow-up. 0: off.",
    )
    neglect_min_revenue = fields.Monetary(
        "Minimum Expected Revenue",
        currency_field="currency_id",
        help="Only leads expected to bring at least this much are watched for "
        "neglect. 0: every lead.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
    )
    followup_type_id = fields.Many2one(
        "mail.activity.type",
        string="Follow-up Type",
        default=lambda self: self.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up",
            raise_if_not_found=False,
        ),
        domain="[('res_model', 'in', (False, 'crm.lead'))]",
        ondelete="restrict",
        help="The activity scheduled on neglected leads.",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("line_ids")
    def _compute_rule_count(self):
        for playbook in self:
            playbook.rule_count = len(playbook.line_ids)

    @api.depends("company_id")
    def _compute_currency_id(self):
        for playbook in self:
            playbook.currency_id = (
                playbook.company_id.currency_id or self.env.company.currency_id
            )

    @api.constrains("escalation_days", "neglect_days", "neglect_min_revenue")
    def _check_days(self):
        for playbook in self:
            if min(playbook.escalation_days, playbook.neglect_days) < 0:
                raise ValidationError(
                    self.env._(
                        "Escalation and neglect delays of %(playbook)s cannot be "
                        "negative: use 0 to turn them off.",
                        playbook=playbook.name,
                    )
                )
            if max(playbook.escalation_days, playbook.neglect_days) > 365:
                raise ValidationError(
                    self.env._(
                        "Escalation and neglect delays of %(playbook)s are counted in "
                        "days: use at most 365.",
                        playbook=playbook.name,
                    )
                )
            if playbook.neglect_min_revenue < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum expected revenue of %(playbook)s cannot be "
                        "negative.",
                        playbook=playbook.name,
                    )
                )

    @api.constrains("followup_type_id")
    def _check_followup_type(self):
        for playbook in self:
            followup_type = playbook.followup_type_id
            if followup_type and followup_type.res_model not in (False, "crm.lead"):
                raise ValidationError(
                    self.env._(
                        "The follow-up type %(type)s of %(playbook)s cannot be "
                        "scheduled on leads.",
                        type=followup_type.name,
                        playbook=playbook.name,
                    )
                )

    @api.constrains("company_id", "team_ids")
    def _check_team_companies(self):
        self._raise_on_company_mismatch(
            self.with_context(active_test=False).team_ids, self
        )
        self.line_ids._check_specific_user_company()

    @api.model
    def _raise_on_company_mismatch(self, teams, playbooks):
        """A team of a company follows that company's playbooks and the shared
        ones; a team of every company may follow any playbook, which applies
        to the leads of its own company only."""
        for team in teams.filtered("company_id"):
            for playbook in (
                playbooks & team.with_context(active_test=False).playbook_ids
            ):
                if playbook.company_id and playbook.company_id != team.company_id:
                    raise ValidationError(
                        self.env._(
                            'The sales team "%(team)s" of %(team_company)s cannot '
                            'follow the playbook "%(playbook)s" of %(company)s: a '
                            "team follows the playbooks of its own company and "
                            "those shared by every company.",
                            team=team.name,
                            team_company=team.company_id.name,
                            playbook=playbook.name,
                            company=playbook.company_id.name,
                        )
                    )

    @api.constrains("team_ids", "active", "company_id")
    def _check_no_scheduled_loop(self):
        """Rules on "is scheduled" create activities at once; a loop among them
        would never end. Checked per playbook and per team that follows it."""
        for playbook in self:
            playbook._raise_on_loop(playbook.line_ids, playbook.display_name)
        self.team_ids._check_playbook_loops()

    @api.model
    def _raise_on_loop(self, lines, where):
        cycle = self._find_scheduled_loop(lines)
        if cycle:
            raise ValidationError(
                self.env._(
                    "The rules on scheduled activities of %(where)s loop: %(loop)s. "
                    "Remove one of these rules.",
                    where=where,
                    loop=" → ".join(cycle.mapped("name") + cycle[:1].mapped("name")),
                )
            )

    @api.model
    def _find_scheduled_loop(self, lines):
        """Return the activity types of a loop among the ``scheduled`` rules of
        ``lines`` (in order), or an empty recordset."""
        graph = defaultdict(set)
        for line in lines.filtered(lambda line: line.trigger_on == "scheduled"):
            graph[line.activity_type_id.id].update(line.next_type_ids.ids)
        visiting, done = [], set()

        def visit(node):
            if node in visiting:
                return visiting[visiting.index(node) :]
            if node in done:
                return None
            visiting.append(node)
            for successor in sorted(graph.get(node, ())):
                cycle = visit(successor)
                if cycle:
                    return cycle
            visiting.pop()
            done.add(node)
            return None

        for start in sorted(graph):
            cycle = visit(start)
            if cycle:
                return self.env["mail.activity.type"].browse(cycle)
        return self.env["mail.activity.type"]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _playbook_cached_records(self):
        # the goal stages are cached too (crm.stage._playbook_stage_rank)
        return self.filtered(lambda record: record.team_ids or record.stop_stage_id)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if "name" not in (default or {}):
            for playbook, vals in zip(self, vals_list, strict=True):
                vals["name"] = self.env._("%s (copy)", playbook.name)
        return vals_list

    # ------------------------------------------------------------------
    # Rules lookup, cached per team
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Reminders, escalation and neglected leads
    # ------------------------------------------------------------------

    @api.constrains("neglect_days", "followup_type_id")
    def _check_neglect_followup_type(self):
        for playbook in self:
            if playbook.neglect_days and not playbook.followup_type_id:
                raise ValidationError(
                    self.env._(
                        "Choose the follow-up type that %(playbook)s schedules on "
                        "neglected leads, or set their delay to 0.",
                        playbook=playbook.name,
                    )
                )

    @api.model
    def _get_team_settings(self, field):
        """``{team id: playbooks}``: for each team, the active playbooks it
        follows with a non-zero ``field`` (``escalation_days`` or
        ``neglect_days``), the smallest first (ties: sequence). Which one
        applies to a lead depends on its company: see ``_setting_for_lead``."""
        playbooks = self.sudo().search([(field, ">", 0), ("team_ids", "!=", False)])
        settings = {}
        for playbook in playbooks.sorted(lambda p: (p[field], p.sequence, p.id)):
            for team in playbook.team_ids:
                settings[team.id] = settings.get(team.id, self.browse()) | playbook
        return settings

    @api.model
    def _setting_for_lead(self, settings, lead):
        """The first playbook of ``settings`` (``{team id: playbooks}``) for the
        lead's team that applies to the lead: shared, or of its company."""
        company = lead.company_id or lead.team_id.company_id
        for playbook in settings.get(lead.team_id.id, ()):
            if not (company and playbook.company_id) or playbook.company_id == company:
                return playbook
        return self.browse()

    # ------------------------------------------------------------------
    # Trying a playbook
    # ------------------------------------------------------------------

    def action_try(self):
        """Show what the playbook would schedule on a sample lead of its teams,
        without creating anything."""
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Try %(playbook)s", playbook=self.name),
            "res_model": "sale.activity.playbook.preview",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_playbook_id": self.id,
                "default_lead_id": self._sample_lead().id,
            },
        }

    def _sample_lead(self):
        """The most recent open opportunity of the playbook's teams (of any
        team when it has none), preferably with a salesperson."""
        self.ensure_one()
        # open as crm counts it: active (the default) and not in a won stage
        domain = [
            ("type", "=", "opportunity"),
            "|",
            ("stage_id", "=", False),
            ("stage_id.is_won", "=", False),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        Lead = self.env["crm.lead"]
        order = "create_date desc, id desc"
        return Lead.search(
            [*domain, ("user_id", "!=", False)], order=order, limit=1
        ) or Lead.search(domain, order=order, limit=1)

    # ------------------------------------------------------------------
    # Goal stages: the stages' flags follow the playbooks' goals
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        playbooks = super().create(vals_list)
        if any(vals.get("stop_stage_id") for vals in vals_list):
            self.env["crm.stage"]._playbook_update_goal_flags()
        return playbooks

    def write(self, vals):
        res = super().write(vals)
        if {"stop_stage_id", "active"} & set(vals):
            self.env["crm.stage"]._playbook_update_goal_flags()
        return res

    def unlink(self):
        goals = self.filtered("stop_stage_id")
        res = super().unlink()
        if goals:
            self.env["crm.stage"]._playbook_update_goal_flags()
        return res
