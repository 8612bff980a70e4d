# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from odoo import Command, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

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


@dataclass
class LockedLeads:
    """What was read of leads once they were locked (see the planner's
    ``_lock_leads``): their open activities ``{(lead id, type id, user id):
    activity}``, and how often rules fired on them ``{(line id, lead id):
    times}`` (a Counter, for the rules asked about)."""

    open: dict
    firings: Counter


class SaleActivityFollowupPlanner(models.AbstractModel):
    """Writes what the engine (``sale.activity.playbook.engine``) decided:
    creates the follow-ups that no open activity of the lead already is,
    in one batch, links them to their sources, records the rules' firings,
    moves follow-ups with their sources, and tells who scheduled."""

    _name = "sale.activity.followup.planner"
    _description = "Activity Playbook Follow-up Planner"

    # ------------------------------------------------------------------
    # Creating follow-ups
    # ------------------------------------------------------------------

    @api.model
    def _create_followups(self, followups, completed=None, locked=None):
        """Create ``followups`` that no open activity of the lead already
        satisfies: ``(created, shared, satisfied)``, the new activities, the
        existing follow-ups of scheduled activities that now serve more
        sources, and every open activity that satisfied one of ``followups``.
        ``completed``: activities being marked as done (no longer open).
        ``locked``: the ``LockedLeads`` of their leads, if the caller locked
        them already."""
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
            followups, completed or Activity, locked
        )
        if shared:
            self._share_followups(shared)
        created = Activity
        if to_create:
            created, links = self._create_activities(to_create, depth)
            self._record_firings(created, links)
        return (
            created.with_env(self.env),
            Activity.union(*shared).with_env(self.env),
            satisfied.with_env(self.env),
        )

    @api.model
    def _deduplicate(self, followups, completed, locked=None):
        """A lead never gets a second open activity of a type for the same
        assignee: ``(followups to create, {existing follow-up: followups it
        also serves}, the open activities that satisfied some)``. An open
        activity, whoever planned it, satisfies a rule; only a follow-up of
        scheduled activities is shared with a new source (it then moves to
        the latest deadline of its sources)."""
        if locked is None:
            locked = self._lock_leads(
                {followup.vals["res_id"] for followup in followups}, completed
            )
        existing = locked.open
        satisfied = self.env["mail.activity"].sudo()
        planned = {}
        to_create, shared = [], defaultdict(list)
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
    def _lock_leads(self, lead_ids, completed, line_ids=()):
        """Lock the rows of the leads until commit, then read, in the same
        statement, their open activities but ``completed``, and how often the
        rules ``line_ids`` fired on them: a ``LockedLeads``. Two workers
        completing activities of one lead at once then plan one follow-up, and
        a repeat limit holds: the second waits for the first's commit. Its
        snapshot (REPEATABLE READ) may predate that commit and miss the first
        one's follow-up, so the rows are rewritten unchanged: the second's
        rewrite then fails to serialize, and Odoo runs its request again on a
        fresh snapshot, which sees the follow-up."""
        Activity = self.env["mail.activity"].sudo()
        Activity.flush_model(
            ["res_model", "res_id", "activity_type_id", "user_id", "active"]
        )
        if line_ids:
            self.env["sale.activity.playbook.firing"].flush_model(
                ["line_id", "lead_id"]
            )
        self.env.cr.execute(
            SQL(
                """
                WITH locked AS (
                    UPDATE crm_lead SET write_date = crm_lead.write_date
                     WHERE id IN (SELECT id FROM crm_lead WHERE id = ANY(%(leads)s)
                                ORDER BY id FOR NO KEY UPDATE)
                 RETURNING id
                )
                SELECT 'open', activity.res_id, activity.activity_type_id,
                       activity.user_id, activity.id
                  FROM mail_activity activity
                  JOIN locked ON locked.id = activity.res_id
                 WHERE activity.res_model = 'crm.lead' AND activity.active
                   AND activity.id != ALL(%(completed)s)
                 UNION ALL
                SELECT 'fired', firing.lead_id, firing.line_id, NULL, COUNT(*)
                  FROM sale_activity_playbook_firing firing
                  JOIN locked ON locked.id = firing.lead_id
                 WHERE firing.line_id = ANY(%(lines)s)
                 GROUP BY firing.lead_id, firing.line_id
                """,
                leads=sorted(lead_ids),
                completed=completed.ids,
                lines=list(line_ids),
            )
        )
        rows = defaultdict(list)
        for kind, *row in self.env.cr.fetchall():
            rows[kind].append(row)
        firings = Counter(
            {(line_id, lead_id): count for lead_id, line_id, _u, count in rows["fired"]}
        )
        rows = rows["open"]
        # one recordset: reading more of them later is one query, not one each
        by_id = {
            activity.id: activity for activity in Activity.browse(r[3] for r in rows)
        }
        return LockedLeads(
            {
                (lead_id, type_id, user_id or False): by_id[activity_id]
                for lead_id, type_id, user_id, activity_id in rows
            },
            firings,
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
        Odoo's "assigned to you" notification. Returns ``(created, links)``:
        the new activities, and the pairs (follow-up id, source id) that link
        them to their sources (see ``_record_firings``)."""
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
        return created, links

    @api.model
    def _link_sources(self, followups, links):
        """Link ``followups`` to more sources (``links``: pairs of ids)."""
        if links:
            self.env.cr.execute(self._link_sources_sql(links))
            followups.invalidate_recordset(["playbook_source_ids"])

    @api.model
    def _link_sources_sql(self, links):
        """The statement that inserts ``links`` (pairs of follow-up and source
        ids) at once: the ORM would insert them one by one."""
        followup_ids, source_ids = zip(*links, strict=True)
        return SQL(
            """
            INSERT INTO mail_activity_playbook_source_rel (followup_id, source_id)
            SELECT * FROM unnest(%s::int[], %s::int[])
            ON CONFLICT DO NOTHING
            """,
            list(followup_ids),
            list(source_ids),
        )

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

    @api.model
    def _record_firings(self, created, links=()):
        """One firing per rule and lead that created activities (what
        de-duplication turned into nothing is no firing), and the ``links`` of
        the new follow-ups to their sources, in one statement."""
        counts = Counter(
            (activity.playbook_line_id.id, activity.res_id)
            for activity in created
            if activity.playbook_line_id and activity.res_model == "crm.lead"
        )
        if not counts:
            self._link_sources(created, links)
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
        # the ORM inserts them by hundreds, and a batch of follow-ups fires a
        # rule on each of its leads
        line_ids, playbook_ids, lead_ids, company_ids, activity_counts = zip(
            *rows, strict=True
        )
        firings = SQL(
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
        if links:
            # a data-modifying WITH runs whether the statement reads it or not
            firings = SQL(
                "WITH links AS (%s) %s", self._link_sources_sql(links), firings
            )
        self.env.cr.execute(firings)
        if links:
            created.invalidate_recordset(["playbook_source_ids"])
        self.env["sale.activity.playbook.firing"].invalidate_model()

    # ------------------------------------------------------------------
    # Follow-ups of scheduled activities
    # ------------------------------------------------------------------

    @api.model
    def _release_followups(self, sources):
        """Follow-ups of ``sources`` that are being done stay as they are,
        whatever happens to their other sources."""
        followups = self.env["sale.activity.playbook.engine"]._followups_of(sources)
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
        rules = self.env["sale.activity.playbook.engine"]._rules_for_activities(
            sources, "scheduled"
        )
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

    # ------------------------------------------------------------------
    # Telling who scheduled
    # ------------------------------------------------------------------

    @api.model
    def _notify_planned(self, followups):
        """Tell the user who scheduled or completed activities, once, which
        follow-ups the playbooks planned for them."""
        user = self.env.user
        if not followups or self.env.su or not user._is_internal():
            return
        # in the user's language when the call names none (the same request
        # from the web client names it): not in the company's, read for it
        planner = self if self.env.lang else self.with_context(lang=user.lang)
        planner._send_planned_toast(user, followups)

    @api.model
    def _send_planned_toast(self, user, followups):
        """The toast of ``_notify_planned``, in the language of the context."""
        followups = followups.with_env(self.env)
        first = followups.sorted("date_deadline")[:1]
        # the rules' playbooks from the cached facts, their names and the
        # types' from the cached names: the engine planned them, the user need
        # not be able to read the rules
        Playbook = self.env["sale.activity.playbook"]
        facts = Playbook._get_rule_facts()
        playbook_names, type_names = Playbook._get_planned_names()
        playbook_ids = {
            facts[line_id].playbook_id
            for line_id in followups.playbook_line_id.ids
            if line_id in facts
        }
        playbooks = ", ".join(
            playbook_names.get(playbook_id) or Playbook.sudo().browse(playbook_id).name
            for playbook_id in sorted(playbook_ids)
        )
        deadline = format_date(self.env, first.date_deadline)
        if len(followups) == 1:
            message = self.env._(
                "%(type)s planned for %(date)s (%(playbook)s)",
                type=type_names.get(first.activity_type_id.id)
                or first.activity_type_id.sudo().name,
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
