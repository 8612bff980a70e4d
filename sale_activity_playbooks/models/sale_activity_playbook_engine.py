# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from odoo import Command, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date, format_datetime

_logger = logging.getLogger(__name__)

# Rules on "is scheduled" cascade (an Email schedules a Follow-up, which may
# schedule more). Loops are refused when rules are saved; this only guards
# against rules written behind the ORM's back.
MAX_CASCADE_DEPTH = 10


@dataclass
class Followup:
    """An activity that the playbooks ask for: its values, whether Odoo's
    "assigned to you" notification goes out, and the activities it follows up
    (only for rules on scheduled activities, whose follow-ups move and go
    with their sources)."""

    vals: dict
    notify: bool = False
    sources: list = field(default_factory=list)

    @property
    def key(self):
        """What makes two activities the same follow-up: the lead, the type
        and the assignee."""
        return (
            self.vals["res_id"],
            self.vals["activity_type_id"],
            self.vals["user_id"],
        )


class SaleActivityPlaybookEngine(models.AbstractModel):
    """The playbook engine: which rules apply to which activities of leads,
    and what they create, move or remove. ``mail.activity`` calls it from its
    CRUD hooks; each rule (``sale.activity.playbook.line``) says who gets its
    next activities, when they are due and how they read.

    Everything works on batches: the rules of a batch come from the per-team
    cache, its leads and open activities are read once."""

    _name = "sale.activity.playbook.engine"
    _description = "Activity Playbook Engine"

    # ------------------------------------------------------------------
    # Entry points (mail.activity)
    # ------------------------------------------------------------------

    @api.model
    def _on_activities_scheduled(self, activities):
        """Create the follow-ups that rules on scheduled activities ask for,
        and tell the user who scheduled them, once."""
        followups = self._prepare_followups(activities, "scheduled")
        if not followups:
            return activities.browse()
        created, shared, _satisfied = self._create_followups(followups)
        self._notify_planned(created | shared)
        return created

    @api.model
    def _on_activities_done(self, activities):
        """Before ``activities`` are marked as done: create what rules on
        their completion ask for, and keep the follow-ups they were the
        source of (a done source never takes its follow-ups away). Returns
        the next activities of the rules: those created, and the open ones
        that already were what a rule asks for (no second one is made)."""
        self._release_followups(activities)
        followups = self._prepare_followups(activities, "done")
        created, _shared, satisfied = self._create_followups(
            followups, completed=activities
        )
        return created | satisfied

    @api.model
    def _on_customer_reply(self, lead, message):
        """An email came in on ``lead`` (``message``): if a customer wrote it
        (not an employee), the pending Reminder follow-ups that playbooks
        stopping on a reply created there are done, on the reply's date, with
        feedback that names it. A lead with nothing pending costs one query."""
        pending = self._pending_playbook_activities(lead)
        author = message.author_id
        if not pending or not author:
            return
        if author.sudo().user_ids.filtered(lambda user: not user.share):
            return  # an employee's email
        pending = pending.filtered(
            lambda a: (
                a.activity_type_id.category == "reminder"
                and a.playbook_line_id.playbook_id.stop_on_reply
            )
        ).with_context(lang=lead.user_id.lang or self.env.lang)
        if not pending:
            return
        feedback = pending.env._(
            "%(author)s replied on %(date)s.",
            author=message.author_id.display_name,
            date=format_datetime(pending.env, message.date, dt_format="short"),
        )
        pending.with_context(playbook_done_at=message.date)._action_done(
            feedback=feedback
        )

    @api.model
    def _on_leads_reaching_stage(self, leads):
        """Leads that reached the goal stage of playbooks lose the pending
        activities these playbooks created on them, as won leads do. Called
        for leads moved to a stage at or after some goal stage (the stage's
        ``playbook_goal_reached``): each playbook's own goal decides."""
        pending = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("playbook_line_id.playbook_id.stop_stage_id", "!=", False),
                ]
            )
        )
        reached = pending.filtered(
            lambda a: self._goal_reached(
                a.playbook_line_id.playbook_id.stop_stage_id.id, leads.browse(a.res_id)
            )
        )
        if reached:
            reached.unlink()

    @api.model
    def _on_activities_rescheduled(self, activities):
        """Follow-ups counted from their sources' deadlines move with them."""
        self._move_followups(self._followups_of(activities))

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
        if orphans:
            orphans.unlink()
        self._move_followups(followups - orphans)

    # ------------------------------------------------------------------
    # Which rules apply
    # ------------------------------------------------------------------

    @api.model
    def _rules_for_activities(
        self, activities, trigger_on, type_field="activity_type_id"
    ):
        """Map the activities of leads in ``activities`` to the rules
        (``trigger_on``) that the playbooks of the lead's team have for their
        ``type_field``, in order: ``{activity: playbook lines}``. Activities
        without rules are left out."""
        Playbook = self.env["sale.activity.playbook"]
        Line = self.env["sale.activity.playbook.line"].sudo()
        type_ids = Playbook._get_rule_type_ids(trigger_on)
        lead_activities = activities.filtered(
            lambda a: (
                a.res_model == "crm.lead" and a.res_id and a[type_field].id in type_ids
            )
        )
        if not lead_activities:
            return {}
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
            rules = Playbook._get_team_rules(lead.team_id.id)
            line_ids = rules.get((trigger_on, activity[type_field].id))
            if line_ids:
                candidates.append((activity, lead, line_ids))
        if not candidates:
            return {}
        facts = Playbook._get_rule_facts()
        previous_outcome_id = self.env.context.get("playbook_previous_outcome_id")
        result = {}
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
                result[activity] = Playbook._sort_rules(Line.browse(line_ids))
            elif line_ids:
                result[activity] = Line.browse(line_ids)
        return result

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
    def _prepare_followups(self, activities, trigger_on):
        """The follow-ups that the rules on ``trigger_on`` that create
        activities ask for ``activities``: a list of ``Followup``."""
        rules = self._rules_for_activities(activities, trigger_on)
        if not rules:
            return []
        leads = self._leads_of(activities.browse([a.id for a in rules]))
        facts = self.env["sale.activity.playbook"]._get_rule_facts()
        firings = self._count_firings(rules, leads, facts)
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
                if fact.repeat_limit and firings[line, lead] >= fact.repeat_limit:
                    self._log_limit_reached(line, lead)
                    continue
                firings[line, lead] += 1
                followups += self._followups_of_rule(
                    line, fact, activity, lead, trigger_on
                )
        if stops:
            self._stop_playbooks(stops, exclude=activities)
        return followups

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
            for next_type in self.env["mail.activity.type"].browse(fact.next_type_ids)
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
    def _pending_playbook_activities(self, leads, playbook_ids=None):
        """The open activities that playbooks (``playbook_ids`` only, when
        given) created on ``leads``."""
        domain = [
            ("res_model", "=", "crm.lead"),
            ("res_id", "in", leads.ids),
            ("playbook_line_id", "!=", False),
        ]
        if playbook_ids is not None:
            domain.append(("playbook_line_id.playbook_id", "in", list(playbook_ids)))
        return self.env["mail.activity"].sudo().search(domain)

    @api.model
    def _stop_playbooks(self, stops, exclude):
        """Remove the pending follow-ups that each playbook created on each
        lead of ``stops`` (pairs of lead and playbook ids), but ``exclude``."""
        lead_ids = {lead_id for lead_id, _playbook_id in stops}
        pending = (
            self._pending_playbook_activities(
                self.env["crm.lead"].browse(lead_ids),
                {playbook_id for _lead_id, playbook_id in stops},
            )
            - exclude
        )
        stopped = pending.filtered(
            lambda a: (a.res_id, a.playbook_line_id.playbook_id.id) in stops
        )
        if stopped:
            stopped.unlink()

    @api.model
    def _count_firings(self, rules, leads, facts):
        """``{(line, lead): times}``: how often each rule with a repeat limit
        already created activities on each lead (a Counter, 0 by default)."""
        limited = {
            line
            for lines in rules.values()
            for line in lines
            if facts[line.id].repeat_limit
        }
        counts = Counter()
        if not limited:
            return counts
        groups = (
            self.env["sale.activity.playbook.firing"]
            .sudo()
            ._read_group(
                [
                    ("line_id", "in", [line.id for line in limited]),
                    ("lead_id", "in", list(leads)),
                ],
                ["line_id", "lead_id"],
                ["__count"],
            )
        )
        for line, lead, count in groups:
            counts[line, lead] = count
        return counts

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

    @api.model
    def _record_firings(self, created):
        """One firing per rule and lead that created activities (what
        de-duplication turned into nothing is no firing)."""
        counts = Counter(
            (activity.playbook_line_id.id, activity.res_id)
            for activity in created
            if activity.playbook_line_id and activity.res_model == "crm.lead"
        )
        if not counts:
            return
        Lead = self.env["crm.lead"].sudo()
        facts = self.env["sale.activity.playbook"]._get_rule_facts()
        rows = [
            (
                line_id,
                facts[line_id].playbook_id or None,
                lead_id,
                Lead.browse(lead_id).company_id.id or None,
                count,
            )
            for (line_id, lead_id), count in counts.items()
        ]
        # one statement: the ORM inserts them by hundreds, and a batch of
        # follow-ups fires a rule on each of its leads
        line_ids, playbook_ids, lead_ids, company_ids, activity_counts = zip(
            *rows, strict=True
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sale_activity_playbook_firing
                       (line_id, playbook_id, lead_id, company_id, activity_count,
                        date, create_uid, create_date, write_uid, write_date)
                SELECT line_id, playbook_id, lead_id, company_id, activity_count,
                       %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(lines)s::int[], %(playbooks)s::int[],
                              %(leads)s::int[], %(companies)s::int[],
                              %(counts)s::int[])
                       AS firing(line_id, playbook_id, lead_id, company_id,
                                 activity_count)
                """,
                now=fields.Datetime.now(),
                uid=self.env.uid,
                lines=list(line_ids),
                playbooks=list(playbook_ids),
                leads=list(lead_ids),
                companies=list(company_ids),
                counts=list(activity_counts),
            )
        )
        self.env["sale.activity.playbook.firing"].invalidate_model()

    @api.model
    def _create_followups(self, followups, completed=None):
        """Create ``followups`` that no open activity of the lead already
        satisfies: ``(created, shared, satisfied)``, the new activities, the
        existing follow-ups of scheduled activities that now serve more
        sources, and every open activity that satisfied one of ``followups``.
        ``completed``: activities being marked as done (no longer open)."""
        Activity = self.env["mail.activity"].sudo()
        if not followups:
            return Activity, Activity, Activity
        depth = self.env.context.get("playbook_cascade_depth")
        depth = depth if isinstance(depth, int) and depth > 0 else 0
        if depth >= MAX_CASCADE_DEPTH:
            _logger.error(
                "Playbook rules on scheduled activities cascade more than %s "
                "levels deep: %s follow-ups not created.",
                MAX_CASCADE_DEPTH,
                len(followups),
            )
            return Activity, Activity, Activity
        to_create, shared, satisfied = self._deduplicate(
            followups, completed or Activity
        )
        if shared:
            self._share_followups(shared)
        created = Activity
        if to_create:
            created = self._create_activities(to_create, depth)
            self._record_firings(created)
        return (
            created.with_env(self.env),
            Activity.union(*shared).with_env(self.env),
            satisfied.with_env(self.env),
        )

    @api.model
    def _deduplicate(self, followups, completed):
        """A lead never gets a second open activity of a type for the same
        assignee: ``(followups to create, {existing follow-up: followups it
        also serves}, the open activities that satisfied some)``. An open
        activity, whoever planned it, satisfies a rule; only a follow-up of
        scheduled activities is shared with a new source (it then moves to
        the latest deadline of its sources)."""
        lead_ids = sorted({followup.vals["res_id"] for followup in followups})
        self._lock_leads(lead_ids)
        open_activities = (
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", lead_ids),
                    ("id", "not in", completed.ids),
                ],
                ["res_id", "activity_type_id", "user_id", "date_deadline"],
            )
        )
        existing = {
            (a.res_id, a.activity_type_id.id, a.user_id.id): a for a in open_activities
        }
        planned = {}
        to_create, shared = [], defaultdict(list)
        satisfied = open_activities.browse()
        for followup in followups:
            key = followup.key
            if key in existing:
                satisfied |= existing[key]
                if followup.sources and existing[key].playbook_source_ids:
                    shared[existing[key]].append(followup)
                continue
            if key in planned:
                first = planned[key]
                if followup.sources and first.sources:
                    first.sources += followup.sources
                    first.vals["date_deadline"] = max(
                        first.vals["date_deadline"], followup.vals["date_deadline"]
                    )
                continue
            planned[key] = followup
            to_create.append(followup)
        return to_create, shared, satisfied

    @api.model
    def _lock_leads(self, lead_ids):
        """Lock the leads' rows until commit, before reading what they have
        planned. Two workers completing activities of one lead at once then
        plan one follow-up: the second waits for the first's commit. Its
        snapshot (REPEATABLE READ) may predate that commit and miss the first
        one's follow-up, so the rows are rewritten unchanged: the second's
        rewrite then fails to serialize, and Odoo runs its request again on a
        fresh snapshot, which sees the follow-up."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_lead SET write_date = crm_lead.write_date
                 WHERE id IN (SELECT id FROM crm_lead WHERE id = ANY(%s)
                            ORDER BY id FOR NO KEY UPDATE)
                """,
                lead_ids,
            )
        )

    @api.model
    def _share_followups(self, shared):
        """Existing follow-ups of scheduled activities serve new sources too,
        due on the latest of their deadlines."""
        by_deadline = defaultdict(lambda: self.env["mail.activity"].sudo())
        self._link_sources(
            self.env["mail.activity"].union(*shared),
            [
                (activity.id, source.id)
                for activity, followups in shared.items()
                for followup in followups
                for source in followup.sources
            ],
        )
        for activity, followups in shared.items():
            deadline = max(
                activity.date_deadline,
                *(followup.vals["date_deadline"] for followup in followups),
            )
            if deadline != activity.date_deadline:
                by_deadline[deadline] |= activity
        for deadline, activities in by_deadline.items():
            activities.write({"date_deadline": deadline})

    @api.model
    def _create_activities(self, followups, depth):
        """Create the follow-ups in (at most) two batches: with and without
        Odoo's "assigned to you" notification."""
        # The follow-ups come from the playbooks' configuration: a salesperson
        # who completes an activity on a lead they may not edit still gets its
        # follow-ups created. Only values the engine computed are written with
        # its privileges, in a context of its own: nothing that the caller's
        # context says (defaults, tracking, mail options) applies to them.
        Activity = (
            self.env["mail.activity"]
            .sudo()
            .with_context(
                {
                    key: self.env.context[key]
                    for key in ("lang", "tz")
                    if key in self.env.context
                },
                playbook_cascade_depth=depth + 1,
            )
        )
        self._subscribe_repeated_assignees([followup.vals for followup in followups])
        created = Activity.browse()
        links = []
        for notify in (False, True):
            batch = [followup for followup in followups if followup.notify == notify]
            if not batch:
                continue
            activities = Activity.with_context(
                mail_activity_quick_update=not notify
            ).create([followup.vals for followup in batch])
            links += [
                (activity.id, source.id)
                for activity, followup in zip(activities, batch, strict=True)
                for source in followup.sources
            ]
            created |= activities
        self._link_sources(created, links)
        return created

    @api.model
    def _link_sources(self, followups, links):
        """Link new ``followups`` to their sources (``links``: pairs of ids) in
        one statement: the ORM would insert them one by one."""
        if not links:
            return
        followup_ids, source_ids = zip(*links, strict=True)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_activity_playbook_source_rel (followup_id, source_id)
                SELECT * FROM unnest(%s::int[], %s::int[])
                ON CONFLICT DO NOTHING
                """,
                list(followup_ids),
                list(source_ids),
            )
        )
        followups.invalidate_recordset(["playbook_source_ids"])

    @api.model
    def _subscribe_repeated_assignees(self, vals_list):
        """Subscribe the users who get several follow-ups of one record at
        once: mail.activity.create() subscribes an assignee once per activity,
        and would insert the same new follower twice."""
        counts = Counter(
            (vals["res_model_id"], vals["res_id"], vals["user_id"])
            for vals in vals_list
        )
        repeated = defaultdict(set)
        for (model_id, res_id, user_id), count in counts.items():
            if count > 1:
                repeated[model_id, user_id].add(res_id)
        for (model_id, user_id), res_ids in repeated.items():
            model = self.env["ir.model"].sudo().browse(model_id).model
            partner = self.env["res.users"].sudo().browse(user_id).partner_id
            self.env[model].sudo().browse(res_ids).message_subscribe(
                partner_ids=partner.ids
            )

    # ------------------------------------------------------------------
    # Follow-ups of scheduled activities
    # ------------------------------------------------------------------

    @api.model
    def _release_followups(self, sources):
        """Follow-ups of ``sources`` that are being done stay as they are,
        whatever happens to their other sources."""
        followups = self._followups_of(sources)
        if followups:
            followups.write({"playbook_source_ids": [Command.clear()]})

    @api.model
    def _move_followups(self, followups):
        """Each follow-up is due on the latest deadline that its open sources
        give it (rules counted from the source's deadline; those counted from
        the day it was scheduled do not move it back)."""
        followups = followups.filtered("playbook_source_ids")
        if not followups:
            return
        sources = followups.playbook_source_ids
        rules = self._rules_for_activities(sources, "scheduled")
        by_deadline = defaultdict(lambda: self.env["mail.activity"].sudo())
        for followup in followups:
            deadlines = []
            for source in followup.playbook_source_ids:
                for line in rules.get(source, ()):
                    if followup.activity_type_id not in line.next_type_ids:
                        continue
                    if line.delay_from == "previous_activity":
                        deadlines.append(
                            line._get_date_deadline(
                                followup.user_id, source.date_deadline
                            )
                        )
                    else:
                        deadlines.append(followup.date_deadline)
            if deadlines and max(deadlines) != followup.date_deadline:
                by_deadline[max(deadlines)] |= followup
        for deadline, moved in by_deadline.items():
            moved.write({"date_deadline": deadline})

    @api.model
    def _notify_planned(self, followups):
        """Tell the user who scheduled an activity, once, which follow-ups the
        playbooks planned for it."""
        user = self.env.user
        if not followups or self.env.su or not user._is_internal():
            return
        first = followups.sorted("date_deadline")[:1]
        playbooks = ", ".join(followups.playbook_line_id.playbook_id.mapped("name"))
        deadline = format_date(self.env, first.date_deadline, date_format="EEE d MMM")
        if len(followups) == 1:
            message = self.env._(
                "%(type)s planned for %(date)s (%(playbook)s)",
                type=first.activity_type_id.name,
                date=deadline,
                playbook=playbooks,
            )
        else:
            message = self.env._(
                "%(count)s follow-ups planned, the first for %(date)s (%(playbook)s)",
                count=len(followups),
                date=deadline,
                playbook=playbooks,
            )
        user._bus_send(
            "simple_notification",
            {"type": "info", "message": message, "sticky": False},
        )
