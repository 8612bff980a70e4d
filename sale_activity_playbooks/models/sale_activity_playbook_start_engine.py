# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .sale_activity_followup_planner import Followup

# Why a playbook does not start on a lead, in the order they are looked at.
SKIP_REASONS = ("team", "closed", "paused", "goal", "started")


class SaleActivityPlaybookEngine(models.AbstractModel):
    """Starting a playbook on leads: its start rules plan their activities
    (``Followup``), which the planner creates in one batch, recording a firing
    of each start rule per lead: a playbook starts at most once per lead."""

    _inherit = "sale.activity.playbook.engine"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _start_playbook(self, playbook, leads):
        """Start ``playbook`` on ``leads`` (with the engine's privileges):
        ``(started leads, {reason: leads skipped})``, reasons from
        ``SKIP_REASONS``, the empty ones left out."""
        playbook, leads = playbook.sudo(), leads.sudo()
        skipped = self._start_skips(playbook, leads)
        started = leads.browse(
            [
                lead.id
                for lead in leads
                if not any(lead in skips for skips in skipped.values())
            ]
        )
        followups = self._plan_start_followups(playbook, started)
        created = self.env["mail.activity"]
        if followups:
            created = self.env["sale.activity.followup.planner"]._create_followups(
                followups
            )[0]
        self._record_empty_starts(
            playbook, started - started.browse(created.mapped("res_id"))
        )
        return started, skipped

    @api.model
    def _record_empty_starts(self, playbook, leads):
        """A start is a firing of the playbook's start rules, also where the
        lead already had every activity they plan (de-duplication created
        none): the playbook then does not start there again."""
        line = playbook.line_ids.filtered(lambda line: line.trigger_on == "start")[:1]
        if leads and line:
            self.env["sale.activity.playbook.firing"].sudo().create(
                [
                    {
                        "line_id": line.id,
                        "playbook_id": playbook.id,
                        "lead_id": lead.id,
                        "company_id": lead.company_id.id,
                        "activity_count": 0,
                    }
                    for lead in leads
                ]
            )

    @api.model
    def _start_skips(self, playbook, leads):
        """``{reason: leads}``: the leads of ``leads`` that ``playbook`` does
        not start on, each with its first reason."""
        started = self._started_lead_ids(playbook, leads)
        company = playbook.company_id
        skipped = {}
        for lead in leads:
            lead_company = lead.company_id or lead.team_id.company_id
            if (
                not playbook.active
                or lead.team_id not in playbook.team_ids
                or (company and lead_company and lead_company != company)
            ):
                reason = "team"
            elif not lead.active or lead.stage_id.is_won:
                reason = "closed"
            elif lead._playbook_resume_date():
                reason = "paused"
            elif self._goal_reached(playbook.stop_stage_id.id, lead):
                reason = "goal"
            elif lead.id in started:
                reason = "started"
            else:
                continue
            skipped[reason] = skipped.get(reason, leads.browse()) | lead
        return skipped

    @api.model
    def _started_lead_ids(self, playbook, leads):
        """Ids of the leads of ``leads`` where ``playbook`` started already:
        one of its start rules fired there."""
        firings = (
            self.env["sale.activity.playbook.firing"]
            .sudo()
            .search_fetch(
                [
                    ("playbook_id", "=", playbook.id),
                    ("lead_id", "in", leads.ids),
                    ("line_id.trigger_on", "=", "start"),
                ],
                ["lead_id"],
            )
        )
        return set(firings.lead_id.ids)

    @api.model
    def _plan_start_followups(self, playbook, leads):
        """What the start rules of ``playbook`` plan on ``leads``: a list of
        ``Followup``, due from the day it starts for their assignee."""
        if not leads:
            return []
        facts = self.env["sale.activity.playbook"]._get_rule_facts()
        lines = playbook.line_ids.filtered(
            lambda line: line.trigger_on == "start" and line.id in facts
        )
        Type = self.env["mail.activity.type"].sudo()
        deadlines = {}
        followups = []
        for line in lines:
            fact = facts[line.id]
            rule = self._rule_for_planning(line, fact)
            next_types = Type.browse(fact.next_type_ids)
            for lead in leads:
                user = rule._determine_responsible(lead)
                # the deadline depends on the rule and the assignee only
                key = (line.id, user.id)
                if key not in deadlines:
                    deadlines[key] = rule._get_date_deadline(user)
                followups += [
                    Followup(
                        rule._prepare_followup_values(
                            None, user, deadlines[key], next_type, lead=lead
                        ),
                        notify=fact.notify_assignment,
                    )
                    for next_type in next_types
                ]
        return followups

    @api.model
    def _start_new_leads(self, leads):
        """Start the playbooks that start on new leads on ``leads`` (just
        created in teams that follow one) that match their domain."""
        playbooks = (
            self.env["sale.activity.playbook"]
            .sudo()
            ._followed_playbooks(leads.team_id)
            .filtered("start_on_new_leads")
        )
        for playbook in playbooks:
            teams = playbook.team_ids
            candidates = leads.filtered(lambda lead, teams=teams: lead.team_id in teams)
            matching = candidates.sudo().filtered_domain(playbook._start_domain())
            if matching:
                self._start_playbook(playbook, matching)
