# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter
from dataclasses import dataclass

from odoo import api, models
from odoo.tools.misc import format_datetime

from .sale_activity_followup_planner import Followup

# Read with the search of a lead's pending playbook follow-ups
PENDING_FOLLOWUP_FIELDS = (
    "res_model",
    "res_id",
    "activity_type_id",
    "user_id",
    "date_deadline",
    "summary",
    "playbook_line_id",
    "outcome_id",
    "active",
    "playbook_auto_send",
)


@dataclass(frozen=True, eq=False)
class Resolution:
    """The rules that apply to a batch of activities, resolved once and
    handed down the path of a Done: ``rules`` maps each activity of a lead
    that has rules to them, in order; ``leads`` (``{lead id: lead}``) and
    ``facts`` (the cached ``RuleFacts``) are what was read to decide it.
    ``activity_ids``: every activity it was asked about."""

    trigger_on: str
    activity_ids: frozenset
    rules: dict
    leads: dict
    facts: dict

    def covers(self, activities, trigger_on):
        """Whether it answers for ``activities`` on ``trigger_on``."""
        return self.trigger_on == trigger_on and set(activities.ids) <= (
            self.activity_ids
        )

    def suggests(self):
        """Whether a rule suggests next activities (Done & Schedule Next)."""
        return any(
            self.facts[line.id].chaining_type == "suggest"
            for lines in self.rules.values()
            for line in lines
        )


class SaleActivityPlaybookEngine(models.AbstractModel):
    """The playbook engine decides: which rules apply to which activities of
    leads (``_resolve``, once per batch), what they ask for (``Followup``),
    and which pending follow-ups go. ``mail.activity`` calls it from its CRUD
    hooks; each rule (``sale.activity.playbook.line``) says who gets its next
    activities, when they are due and how they read; the planner
    (``sale.activity.followup.planner``) writes the result in one batch."""

    _name = "sale.activity.playbook.engine"
    _description = "Activity Playbook Engine"

    # ------------------------------------------------------------------
    # Entry points (mail.activity)
    # ------------------------------------------------------------------

    @api.model
    def _on_activities_scheduled(self, activities):
        """Create the follow-ups that rules on scheduled activities ask for,
        and tell the user who scheduled them, once."""
        followups, locked = self._plan_followups(self._resolve(activities, "scheduled"))
        if not followups:
            return activities.browse()
        Planner = self.env["sale.activity.followup.planner"]
        created, shared, _satisfied = Planner._create_followups(
            followups, locked=locked
        )
        Planner._notify_planned(created | shared)
        return created

    @api.model
    def _on_activities_done(self, activities, resolution=None):
        """Before ``activities`` are marked as done: create what rules on
        their completion ask for, tell the user who completed them (once),
        and keep the follow-ups they were the source of (a done source never
        takes its follow-ups away).
        ``resolution``: their rules, when the caller resolved them already.
        Returns ``(next activities, resolution)``: the activities created,
        and the open ones that already were what a rule asks for (no second
        one is made); the resolution says which activities the playbooks
        chain (Odoo's own chaining reads it)."""
        if resolution is None or not resolution.covers(activities, "done"):
            resolution = self._resolve(activities, "done")
        Planner = self.env["sale.activity.followup.planner"]
        Planner._release_followups(activities)
        followups, locked = self._plan_followups(resolution, exclude=activities)
        created, _shared, satisfied = Planner._create_followups(
            followups, completed=activities, locked=locked
        )
        Planner._notify_planned(created)
        return created | satisfied, resolution

    @api.model
    def _on_customer_reply(self, lead, message):
        """An email came in on ``lead`` (``message``): if a customer wrote it
        (not an employee), the pending automated emails of playbooks stopping
        on a reply go, and their pending Reminder follow-ups there are done, on
        the reply's date, with feedback that names it. A lead with nothing
        pending costs one query."""
        # an employee's email (partner_share: the author has no internal user)
        author = message.author_id
        if not author or not author.sudo().partner_share:
            return
        # the Reminder follow-ups and automated emails of playbooks that stop
        # on a reply, in the search itself, with what completing them reads
        pending = self._pending_playbook_activities(
            lead,
            [("stop_on_reply", "=", True)],
            ["|", ("is_reminder", "=", True), ("playbook_auto_send", "=", True)],
            fields=self._done_activity_fields(),
        )
        if not pending:
            return
        automated = pending.filtered("playbook_auto_send")
        pending -= automated
        if pending:
            pending = pending.with_context(lang=lead.user_id.lang or self.env.lang)
            feedback = pending.env._(
                "%(author)s replied on %(date)s.",
                author=message.author_id.display_name,
                # the user's date and time formats, as the other notes
                date=format_datetime(pending.env, message.date, dt_format=False),
            )
            pending.with_context(playbook_done_at=message.date)._action_done(
                feedback=feedback
            )
        self._cancel_automated_emails_on_reply(lead, automated, message)

    @api.model
    def _on_leads_reaching_stage(self, leads):
        """Leads that reached the goal stage of playbooks lose the pending
        activities these playbooks created on them, as won leads do. Called
        for leads moved to a stage at or after some goal stage (the stage's
        ``playbook_goal_reached``): each playbook's own goal decides."""
        self._remove_pending_followups(
            leads,
            [("stop_stage_id", "!=", False)],
            applies=lambda activity, playbook: self._goal_reached(
                playbook.stop_stage_id.id, leads.browse(activity.res_id)
            ),
        )

    @api.model
    def _on_leads_won(self, leads):
        """Won leads lose the pending follow-ups of the playbooks that cancel
        them on won."""
        self._remove_pending_followups(leads, [("cancel_on_won", "=", True)])

    @api.model
    def _on_activities_rescheduled(self, activities):
        """Follow-ups counted from their sources' deadlines move with them."""
        self.env["sale.activity.followup.planner"]._move_followups(
            self._followups_of(activities)
        )

    @api.model
    def _followups_of(self, sources):
        """Pending follow-ups that rules on scheduled activities created for
        ``sources`` (none when no rule on scheduled activities starts with
        their types: no query then)."""
        # leads' activities first: unlinking any record unlinks its (often no)
        # activities, also while 19.0 uninstalls this module, rules gone
        sources = sources.filtered(lambda a: a.res_model == "crm.lead")
        if sources:
            type_ids = self.env["sale.activity.playbook"]._get_rule_type_ids(
                "scheduled"
            )
            sources = sources.filtered(lambda a: a.activity_type_id.id in type_ids)
        if not sources:
            return self.env["mail.activity"].sudo()
        return (
            self.env["mail.activity"]
            .sudo()
            .search([("playbook_source_ids", "in", sources.ids)])
        )

    @api.model
    def _after_sources_cancelled(self, followups):
        """Once their sources are cancelled (deleted without being done),
        follow-ups left without an open source go; the others move to the
        latest deadline of the sources they still have."""
        followups = followups.exists()
        orphans = followups.filtered(lambda f: not f.playbook_source_ids)
        self._remove_pending_followups(followups=orphans)
        self.env["sale.activity.followup.planner"]._move_followups(followups - orphans)

    # ------------------------------------------------------------------
    # Which rules apply
    # ------------------------------------------------------------------

    @api.model
    def _rules_for_activities(
        self, activities, trigger_on, type_field="activity_type_id"
    ):
        """``{activity: playbook lines}``: see ``_resolve``."""
        return self._resolve(activities, trigger_on, type_field).rules

    @api.model
    def _resolve(self, activities, trigger_on, type_field="activity_type_id"):
        """Which rules (``trigger_on``) the playbooks of each lead's team have
        for the ``type_field`` of the activities of leads in ``activities``, in
        order, as a ``Resolution``. Activities without rules are left out."""
        Playbook = self.env["sale.activity.playbook"]
        candidates, leads = self._candidate_rules(activities, trigger_on, type_field)
        facts = Playbook._get_rule_facts() if candidates else {}
        Line = self.env["sale.activity.playbook.line"].sudo()
        previous_outcome_id = self.env.context.get("playbook_previous_outcome_id")
        rules = {}
        for activity, lead, line_ids in candidates:
            company_id = (lead.company_id or lead.team_id.company_id).id
            line_ids = [
                line_id
                for line_id in line_ids
                if not company_id or facts[line_id].company_id in (company_id, False)
            ]
            if trigger_on == "done":
                outcome_id = (
                    activity.outcome_id.id
                    if type_field == "activity_type_id"
                    else previous_outcome_id
                )
                line_ids = self._most_specific(line_ids, outcome_id, facts)
            if len(line_ids) > 1:
                rules[activity] = Playbook._sort_rules(Line.browse(line_ids))
            elif line_ids:
                rules[activity] = Line.browse(line_ids)
        return Resolution(trigger_on, frozenset(activities.ids), rules, leads, facts)

    @api.model
    def _candidate_rules(self, activities, trigger_on, type_field):
        """``([(activity, lead, rule ids of its team)], {lead id: lead})``: the
        activities of leads whose team has rules on ``trigger_on`` for their
        ``type_field``, before companies and outcomes are looked at."""
        Playbook = self.env["sale.activity.playbook"]
        type_ids = Playbook._get_rule_type_ids(trigger_on)
        lead_activities = activities.filtered(
            lambda a: (
                a.res_model == "crm.lead" and a.res_id and a[type_field].id in type_ids
            )
        )
        if not lead_activities:
            return [], {}
        leads = self._leads_of(lead_activities)
        # Saved activities passed the access checks of mail.activity: their
        # lead is read with the engine's privileges (its salesperson may be
        # someone else). An activity being edited in a form names its lead
        # itself: only a lead the user may read says what its team's
        # playbooks suggest.
        new_lead_ids = {a.res_id for a in lead_activities if not a._origin}
        readable_new_lead_ids = set()
        if new_lead_ids:
            readable_new_lead_ids = set(
                self.env["crm.lead"]
                .browse(new_lead_ids & set(leads))
                ._filtered_access("read")
                .ids
            )
        candidates = []
        for activity in lead_activities:
            lead = leads.get(activity.res_id)
            if not lead or not lead.team_id:
                continue
            if not activity._origin and lead.id not in readable_new_lead_ids:
                continue
            line_ids = Playbook._get_team_rules(lead.team_id.id).get(
                (trigger_on, activity[type_field].id)
            )
            if line_ids:
                candidates.append((activity, lead, line_ids))
        return candidates, leads

    @api.model
    def _most_specific(self, line_ids, outcome_id, facts):
        """The rules on completion that apply to an activity done with the
        outcome ``outcome_id``: those that name it, or else those that name
        no outcome (trigger, suggest and stop alike)."""
        if outcome_id:
            specific = [i for i in line_ids if outcome_id in facts[i].outcome_ids]
            if specific:
                return specific
        return [i for i in line_ids if not facts[i].outcome_ids]

    @api.model
    def _leads_of(self, activities):
        """``{lead id: lead}`` of the activities of leads, read with the
        engine's privileges."""
        Lead = self.env["crm.lead"].sudo()
        leads = Lead.browse({a.res_id for a in activities if a.res_model == "crm.lead"})
        return {lead.id: lead for lead in leads}

    # ------------------------------------------------------------------
    # What the rules create
    # ------------------------------------------------------------------

    @api.model
    def _plan_followups(self, resolution, exclude=None):
        """The follow-ups that the rules of ``resolution`` that create
        activities ask for: ``(list of Followup, LockedLeads or None)``. Stop
        rules remove the pending follow-ups of their playbook, but ``exclude``
        (the activities being done). Rules with a repeat limit count their
        firings once the leads are locked (the planner's ``_lock_leads``),
        which also reads what is open there for the planner."""
        rules, leads, facts = resolution.rules, resolution.leads, resolution.facts
        if not rules:
            return [], None
        trigger_on = resolution.trigger_on
        locked = self._lock_for_repeat_limits(rules, facts, exclude)
        firings = locked.firings if locked else Counter()
        followups, stops = [], set()
        for activity, lines in rules.items():
            lead = leads[activity.res_id]
            for line in lines:
                fact = facts[line.id]
                if fact.chaining_type == "suggest" or self._goal_reached(
                    fact.stop_stage_id, lead
                ):
                    continue
                if fact.chaining_type == "stop":
                    stops.add((lead.id, fact.playbook_id))
                    continue
                if fact.repeat_limit and firings[line.id, lead.id] >= fact.repeat_limit:
                    self._log_limit_reached(line, lead)
                    continue
                firings[line.id, lead.id] += 1
                followups += self._followups_of_rule(
                    line, fact, activity, lead, trigger_on
                )
        if stops and self._stop_playbooks(stops, exclude=exclude):
            # what is open is read again (removing follow-ups may remove
            # those of their own, as sources)
            locked = None
        return followups, locked

    @api.model
    def _followups_of_rule(self, line, fact, activity, lead, trigger_on):
        """What ``line`` (``fact``: its RuleFacts) creates after ``activity``:
        one follow-up per next type, due on a working day of its assignee,
        never while the lead's follow-ups are paused."""
        line = self._rule_for_planning(line, fact)
        user = line._determine_responsible(lead, activity.user_id)
        deadline = line._get_date_deadline(user, activity.date_deadline)
        resume = lead._playbook_resume_date()
        if resume and deadline < resume:
            deadline = line._add_working_days(line._working_calendar(user), resume, 0)
        return [
            Followup(
                line._prepare_followup_values(activity, user, deadline, next_type),
                notify=fact.notify_assignment,
                sources=[activity] if trigger_on == "scheduled" else [],
            )
            for next_type in self.env["mail.activity.type"]
            .sudo()
            .browse(fact.next_type_ids)
        ]

    @api.model
    def _rule_for_planning(self, line, fact):
        """``line`` as it plans activities: a virtual copy made from the cached
        facts (no query), or the rule itself when it has a summary or a note
        to read in the assignee's language."""
        if fact.planning is None:
            return line
        return line.new(dict(fact.planning, summary=False, note=False), origin=line)

    # ------------------------------------------------------------------
    # Goals, stops and limits
    # ------------------------------------------------------------------

    @api.model
    def _goal_reached(self, goal_stage_id, lead):
        """Whether ``lead`` stands at the stage ``goal_stage_id`` (a
        playbook's goal) or after it, in the order of the stages."""
        if not goal_stage_id or not lead.stage_id:
            return False
        rank = self.env["crm.stage"]._playbook_stage_rank()
        return rank.get(lead.stage_id.id, 0) >= rank.get(goal_stage_id, 0)

    @api.model
    def _pending_playbook_activities(
        self, leads, playbook_domain=None, domain=(), fields=PENDING_FOLLOWUP_FIELDS
    ):
        """The open activities that playbooks (those matching
        ``playbook_domain`` only, when given) created on ``leads``, that
        match ``domain``, with ``fields`` read."""
        domain = [
            ("res_model", "=", "crm.lead"),
            ("res_id", "in", leads.ids),
            ("playbook_line_id", "!=", False),
            *domain,
        ]
        for leaf in playbook_domain or ():
            field, operator, value = leaf
            domain.append((f"playbook_line_id.playbook_id.{field}", operator, value))
        # what removing them or marking them done reads, with the search
        return self.env["mail.activity"].sudo().search_fetch(domain, fields)

    @api.model
    def _done_activity_fields(self):
        """The columns of activities that marking them done reads (Odoo's
        ``_action_done`` and the follow-up log): all that the ORM would fetch
        at the first of them."""
        return [
            name
            for name, field in self.env["mail.activity"]._fields.items()
            if field.store and field.column_type and field.prefetch is True
        ]

    @api.model
    def _stop_playbooks(self, stops, exclude=None):
        """Remove the pending follow-ups that each playbook created on each
        lead of ``stops`` (pairs of lead and playbook ids), but ``exclude``.
        Returns what was removed."""
        return self._remove_pending_followups(
            self.env["crm.lead"].browse({lead_id for lead_id, _playbook in stops}),
            [("id", "in", list({playbook_id for _lead, playbook_id in stops}))],
            applies=lambda activity, playbook: (activity.res_id, playbook.id) in stops,
            exclude=exclude,
        )

    @api.model
    def _remove_pending_followups(
        self,
        leads=None,
        playbook_domain=None,
        applies=None,
        exclude=None,
        followups=None,
    ):
        """The one way pending playbook follow-ups go (won, goal, stop rule,
        orphans): those that the playbooks matching ``playbook_domain``
        created on ``leads``, or ``followups`` when given, for which
        ``applies(activity, playbook)`` holds, but ``exclude``. Removing them
        is the playbook's decision, not the user's: with the engine's
        privileges. Returns what was removed."""
        if followups is None:
            followups = self._pending_playbook_activities(
                leads, playbook_domain=playbook_domain
            )
        if exclude:
            followups -= exclude
        if applies:
            followups = followups.filtered(
                lambda a: applies(a, a.playbook_line_id.playbook_id)
            )
        if followups:
            followups.sudo().unlink()
        return followups

    @api.model
    def _lock_for_repeat_limits(self, rules, facts, exclude=None):
        """When a rule of ``rules`` (``{activity: lines}``) has a repeat limit:
        the ``LockedLeads`` of their leads, with the firings of those rules
        (the planner's ``_lock_leads``, one statement). Else None: nothing is
        counted, and the planner locks the leads when it creates."""
        limited = {
            line.id
            for lines in rules.values()
            for line in lines
            if facts[line.id].repeat_limit
        }
        if not limited:
            return None
        Activity = self.env["mail.activity"].sudo()
        return self.env["sale.activity.followup.planner"]._lock_leads(
            {activity.res_id for activity in rules},
            exclude or Activity,
            sorted(limited),
        )

    @api.model
    def _log_limit_reached(self, line, lead):
        """Say on the lead, in its salesperson's language, that a rule reached
        its repeat limit and that nothing more comes from its playbook."""
        line = line.with_context(lang=lead.user_id.lang or self.env.lang)
        lead.sudo()._message_log(
            body=line.env._(
                '"%(rule)s" reached its limit of %(limit)s: nothing more from '
                "%(playbook)s",
                rule=line._sentence(),
                limit=line.repeat_limit,
                playbook=line.playbook_id.name,
            )
        )
