# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .action_records import ensure_one_record


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
            # the toast of planned follow-ups names them (_get_planned_names)
            "name",
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
