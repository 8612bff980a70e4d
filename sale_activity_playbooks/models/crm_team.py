# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .action_records import ensure_one_record


class CrmTeam(models.Model):
    _inherit = (
        "crm.team",
        "sale.activity.input.checks",
        "sale.activity.playbook.cache.mixin",
    )
    _playbook_checked_fields = (
        "playbook_ids",
        "playbook_absence_policy",
        "followup_overdue_count",
        "playbook_daily_send_limit",
    )
    _name = "crm.team"
    _playbook_cache_fields = frozenset({"playbook_ids", "active"})

    playbook_ids = fields.Many2many(
        "sale.activity.playbook",
        "crm_team_sale_activity_playbook_rel",
        "team_id",
        "playbook_id",
        string="Activity Playbooks",
        # checked by _check_playbook_companies(), with a sentence to act on
        domain="company_id and [('company_id', 'in', (False, company_id))] or []",
        help="The playbooks whose rules chain this team's follow-ups.",
    )
    playbook_absence_policy = fields.Selection(
        [("move", "Move to the first day back"), ("leader", "Give to the team leader")],
        string="Follow-ups During a Leave",
        default="move",
        required=True,
        help="What happens to a salesperson's playbook follow-ups that fall due "
        "during a leave entered after they were planned: they move to the first "
        "working day after the leave, or go to the team leader (they move when "
        "the leader is the one away, or the team has none).",
    )
    playbook_daily_send_limit = fields.Integer(
        "Automated Emails per Day",
        default=100,
        help="How many automated playbook emails each salesperson of the team sends "
        "at most per day (their day, in their time zone). 0: no limit.",
    )
    followup_overdue_count = fields.Integer(
        "Overdue Follow-ups", compute="_compute_followup_overdue_count"
    )

    @api.constrains("company_id", "playbook_ids")
    def _check_playbook_companies(self):
        playbooks = self.with_context(active_test=False).playbook_ids
        self.env["sale.activity.playbook"]._raise_on_company_mismatch(self, playbooks)

    @api.constrains("playbook_daily_send_limit")
    def _check_playbook_daily_send_limit(self):
        for team in self:
            if team.playbook_daily_send_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The automated emails per day of %(team)s cannot be "
                        "negative: use 0 for no limit.",
                        team=team.display_name,
                    )
                )

    @api.constrains("playbook_ids")
    def _check_playbook_loops(self):
        Playbook = self.env["sale.activity.playbook"]
        for team in self:
            playbooks = team.playbook_ids.filtered("active")
            Playbook._raise_on_loop(
                playbooks.line_ids, self.env._("team %s", team.display_name)
            )

    def _playbook_cached_records(self):
        return self.filtered("playbook_ids")

    # ------------------------------------------------------------------
    # Follow-ups
    # ------------------------------------------------------------------

    def _compute_followup_overdue_count(self):
        teams = self.filtered("id")
        counts = dict(
            self.env["mail.activity"]._read_group(
                self._overdue_followups_domain(teams), ["lead_team_id"], ["__count"]
            )
        )
        for team in self:
            team.followup_overdue_count = counts.get(team._origin, 0)

    def action_open_overdue_followups(self):
        """The team's overdue follow-ups in My Follow-ups, per salesperson."""
        ensure_one_record(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_activity_playbooks.mail_activity_action_followups"
        )
        name = self.env._("Overdue Follow-ups of %(team)s", team=self.name)
        action.update(
            name=name,
            display_name=name,
            domain=self._overdue_followups_domain(self, overdue=False),
            context={"search_default_overdue": 1, "search_default_groupby_user": 1},
        )
        return action

    @api.model
    def _overdue_followups_domain(self, teams, overdue=True):
        """Open activities on the leads of ``teams`` (overdue ones only, unless
        ``overdue`` is False: the queue's Overdue filter does it)."""
        domain = [("res_model", "=", "crm.lead"), ("lead_team_id", "in", teams.ids)]
        return domain + [("state", "=", "overdue")] if overdue else domain
