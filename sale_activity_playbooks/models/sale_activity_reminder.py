# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .cron_tools import lock_rows, notify_progress

_logger = logging.getLogger(__name__)

# Activities per batch. A batch always holds every due activity of the users it
# serves, so that each user gets one digest per run.
REMINDER_BATCH_SIZE = 2000
# The furthest time zone from UTC (Pacific/Kiritimati, UTC+14).
MAX_UTC_OFFSET = timedelta(hours=14)
# Classes of the transaction locks that share recipients out between
# workers (pg_try_advisory_xact_lock(class, user id)).
LOCK_REMINDERS = 713_001
LOCK_ESCALATIONS = 713_002


class SaleActivityReminder(models.AbstractModel):
    """Reminders of due follow-ups and escalation of overdue ones.

    Both run from ``ir_cron_playbook_reminders``, one batch per call: the cron
    runner commits each batch and calls again while work remains. An activity
    is processed once: a batch locks the rows it takes (``FOR NO KEY UPDATE
    SKIP LOCKED``) and marks them (``reminded_on`` / ``escalated_on``) in the same
    transaction. What a batch sends (digests, escalation notes) is
    ``sale.activity.reminder.digest``'s.
    """

    _name = "sale.activity.reminder"
    _description = "Follow-up Reminders and Escalation"

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_playbook_reminders(self, batch_size=REMINDER_BATCH_SIZE):
        """Remind the assignees of their due Reminder activities, then escalate
        the overdue ones to the team leaders: one batch of each per call."""
        now = fields.Datetime.now()
        # Both batches are taken first, close to the start of the transaction:
        # rows that people change after it began cannot be locked.
        # nothing goes to a user on leave today: it waits for their day back
        on_leave = self.env["sale.activity.absence"]._users_on_leave(now)
        reminders, reminders_left = self._due_reminders(now, batch_size, on_leave)
        escalations, escalations_left = self._due_escalations(now, batch_size, on_leave)
        Digest = self.env["sale.activity.reminder.digest"]
        Digest._send_reminders(reminders, now)
        Digest._escalate(escalations, now)
        notify_progress(
            self.env,
            "sale_activity_playbooks.ir_cron_playbook_reminders",
            done=len(reminders) + len(escalations),
            remaining=reminders_left + escalations_left,
        )

    # ------------------------------------------------------------------
    # Selection and locking
    # ------------------------------------------------------------------

    @api.model
    def _due_reminders(self, now, batch_size, on_leave=None):
        """The next batch of Reminder activities due in their assignee's time
        zone and not reminded yet, locked, and how many remain after it (at
        least: 0 when none).

        A batch reads what it processes. One query goes through the assignees
        with due reminders in the order of their ids (the partial index
        ``mail_activity_playbook_remind_idx``: reminded ones leave it), takes
        a transaction lock on each one (workers running at once share them
        out, and nobody gets two digests of one run) and stops when the batch
        holds ``batch_size`` reminders; then their reminders are read and
        locked. An assignee's reminders are never split. ``on_leave``: the ids
        of the users on leave today (``sale.activity.absence``), who get
        none."""
        Activity = self.env["mail.activity"].sudo()
        if on_leave is None:
            on_leave = self.env["sale.activity.absence"]._users_on_leave(now)
        due = self._due_reminder_condition(now, on_leave)
        cr = self.env.cr
        cr.execute(self._pick_assignees_query(due, batch_size))
        picked = cr.fetchall()
        users = [user_id for user_id, _count, taken in picked if taken]
        remaining = sum(count for _user_id, count, taken in picked if not taken)
        if not users:
            return Activity, remaining
        cr.execute(
            SQL(
                "SELECT a.id FROM mail_activity a WHERE %s AND a.user_id = ANY(%s) "
                "ORDER BY a.id",
                due,
                users,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        activities = self._lock(Activity.browse(ids), "reminded_on")
        remaining += len(ids) - len(activities)
        # The reminders of archived assignees go to team leaders, who are
        # recipients of this batch too.
        recipients = self._reminder_recipients(activities)
        # (not to a leader on leave: they wait for the leader's day back)
        activities = activities.filtered(lambda a: recipients[a].id not in on_leave)
        leaders = {
            user
            for activity, user in recipients.items()
            if user and user != activity.user_id and user.id not in on_leave
        }
        if leaders:
            taken = self._take_recipients(
                [(leader.id, 0) for leader in leaders], LOCK_REMINDERS
            )
            left = activities.filtered(
                lambda a: recipients[a] in leaders and recipients[a].id not in taken
            )
            activities -= left
            remaining += len(left)
        return activities, remaining

    @api.model
    def _due_reminder_condition(self, now, on_leave=()):
        """SQL condition on ``mail_activity a``: a Reminder activity not
        reminded yet, whose deadline has come in its assignee's time zone,
        of an assignee not in ``on_leave`` (user ids). Flushes what it reads:
        the query reads the database."""
        self.env["mail.activity"].flush_model(
            [
                "is_reminder",
                "reminded_on",
                "active",
                "date_deadline",
                "user_id",
                "user_tz",
                "res_model",
                "res_id",
            ]
        )
        UserTime = self.env["sale.activity.user.time"]
        days = UserTime._time_zones_by_day(now)
        # the assignee's day, as UserTime._today() counts it
        today = UserTime._day_in_time_zone_sql(SQL("a.user_tz"), now, days)
        return SQL(
            "a.is_reminder AND a.reminded_on IS NULL AND a.active "
            "AND a.date_deadline <= %s AND a.date_deadline <= %s AND NOT %s "
            "AND a.user_id <> ALL(%s::integer[])",
            max(days),
            today,
            self._on_paused_lead(now, days),
            list(on_leave),
        )

    @api.model
    def _on_paused_lead(self, now, days):
        """SQL condition on ``mail_activity a``: it is on a lead whose
        follow-ups are paused (no reminder, no escalation meanwhile)."""
        return SQL(
            "(a.res_model = 'crm.lead' AND EXISTS (SELECT FROM crm_lead paused "
            "WHERE paused.id = a.res_id AND %s))",
            self.env["crm.lead"]._playbook_paused_condition("paused", now, days),
        )

    @api.model
    def _postponed_by(self, activities, vals):
        """The activities of ``activities`` already reminded or escalated that
        a write of ``vals`` postpones: due again later, their reminder and
        escalation are re-armed (``_rearm``; this covers "Snooze 7d" too)."""
        if not vals.get("date_deadline") or {"reminded_on", "escalated_on"} & set(vals):
            return activities.browse()
        deadline = fields.Date.to_date(vals["date_deadline"])
        # read as superuser: the write checks the access, and reading first
        # with the user's rights would fetch the rows twice (the access rule
        # of activities reads their records before the columns are fetched)
        return (
            activities.sudo()
            .filtered(
                lambda a: (
                    (a.reminded_on or a.escalated_on) and a.date_deadline < deadline
                )
            )
            .with_env(activities.env)
        )

    @api.model
    def _rearm(self, activities):
        """Remind and escalate ``activities`` again when due (the engine's
        bookkeeping, not the user's)."""
        if activities:
            activities.sudo().write({"reminded_on": False, "escalated_on": False})

    @api.model
    def _pick_assignees_query(self, due, batch_size):
        """The query that picks the assignees of the next batch: ``(user id,
        due reminders, taken)`` rows. Each step finds the next assignee with
        due reminders (one probe of the partial index), counts them and tries
        the assignee's transaction lock; the step after the batch is full only
        looks ahead, to tell whether more remain."""

        def step(after, ahead):
            return SQL(
                """
                SELECT nxt.user_id,
                       (SELECT count(*) FROM mail_activity a
                         WHERE %(due)s AND a.user_id = nxt.user_id) AS reminders,
                       CASE WHEN %(ahead)s THEN false
                            ELSE pg_try_advisory_xact_lock(%(lock)s, nxt.user_id)
                       END AS taken
                  FROM (SELECT a.user_id FROM mail_activity a
                         WHERE %(due)s AND a.user_id > %(after)s
                      ORDER BY a.user_id LIMIT 1) nxt
                """,
                due=due,
                ahead=ahead,
                lock=LOCK_REMINDERS,
                after=after,
            )

        full = SQL("assignee.total >= %s", batch_size)
        return SQL(
            """
            WITH RECURSIVE assignee (user_id, reminders, taken, total, ahead) AS (
                SELECT pick.user_id, pick.reminders, pick.taken,
                       CASE WHEN pick.taken THEN pick.reminders ELSE 0 END, false
                  FROM (%(first)s) pick
              UNION ALL
                SELECT pick.user_id, pick.reminders, pick.taken,
                       assignee.total
                       + CASE WHEN pick.taken THEN pick.reminders ELSE 0 END,
                       %(full)s
                  FROM assignee
                 CROSS JOIN LATERAL (%(next)s) pick
                 WHERE NOT assignee.ahead
            )
            SELECT user_id, reminders, taken FROM assignee
            """,
            first=step(SQL("0"), SQL("false")),
            next=step(SQL("assignee.user_id"), full),
            full=full,
        )

    @api.model
    def _due_escalations(self, now, batch_size, on_leave=None):
        """The next batch of Reminder activities on leads still open
        ``escalation_days`` working days after their deadline (the team's
        playbooks decide, the assignee's calendar counts), locked, and how
        many remain after it. None while the assignee or the team leader is
        on leave (``on_leave``: their user ids): it waits for their day
        back."""
        Activity = self.env["mail.activity"].sudo()
        Playbook = self.env["sale.activity.playbook"]
        settings = Playbook._get_team_settings("escalation_days")
        if not settings:
            return Activity, 0
        if on_leave is None:
            on_leave = self.env["sale.activity.absence"]._users_on_leave(now)
        teams = self._teams_with_leader_present(settings, on_leave)
        fewest_days = min(
            playbook.escalation_days
            for playbooks in settings.values()
            for playbook in playbooks
        )
        # Working days are never fewer than calendar days.
        latest_deadline = (now + MAX_UTC_OFFSET).date() - timedelta(days=fewest_days)
        # Only leads of escalating teams: reminders that never escalate are not
        # read again every hour.
        team_leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            ._search([("team_id", "in", teams)])
        )
        # nor those of leads whose follow-ups are paused
        team_leads.add_where(
            SQL(
                "NOT %s",
                self.env["crm.lead"]._playbook_paused_condition(team_leads.table, now),
            )
        )
        candidates = Activity.search_fetch(
            [
                ("is_reminder", "=", True),
                ("escalated_on", "=", False),
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", team_leads),
                ("user_id", "not in", list(on_leave)),
                ("date_deadline", "<=", latest_deadline),
            ],
            ["user_id", "user_tz", "date_deadline", "res_model", "res_id"],
            order="id",
        )
        due = self._escalation_due(candidates, settings, now)
        batch, remaining = self._cut_batch(
            due, self._team_leaders(due), batch_size, LOCK_ESCALATIONS
        )
        escalations = self._lock(batch, "escalated_on")
        return escalations, remaining + len(batch) - len(escalations)

    @api.model
    def _teams_with_leader_present(self, settings, on_leave):
        """The ids of the teams of ``settings`` whose leader is not on leave
        (``on_leave``: user ids)."""
        if not on_leave:
            return list(settings)
        Team = self.env["crm.team"].sudo().with_context(active_test=False)
        away = Team.search(
            [("id", "in", list(settings)), ("user_id", "in", list(on_leave))]
        )
        return [team_id for team_id in settings if team_id not in away.ids]

    @api.model
    def _escalation_due(self, candidates, settings, now):
        """The ``candidates`` whose escalation day has come: ``escalation_days``
        (the lead's playbook in ``settings``) working days after the deadline
        on the assignee's calendar, today in the assignee's time zone."""
        Playbook = self.env["sale.activity.playbook"]
        Line = self.env["sale.activity.playbook.line"]
        UserTime = self.env["sale.activity.user.time"]
        leads = self._leads(candidates)
        calendars_cache = {}
        due_ids = []
        for activity in candidates:
            playbook = Playbook._setting_for_lead(settings, leads[activity])
            if not playbook:
                continue
            escalation_day = Line._add_working_days(
                UserTime._working_calendar(activity.user_id),
                activity.date_deadline,
                playbook.escalation_days,
                calendars_cache,
            )
            if escalation_day <= UserTime._today(activity.user_tz, now):
                due_ids.append(activity.id)
        return candidates.browse(due_ids)

    @api.model
    def _cut_batch(self, activities, recipients, batch_size, lock_class):
        """Take whole recipients' shares of ``activities`` (``recipients``:
        ``{activity: user}``), in the order of the recipients' ids, until the
        batch holds ``batch_size`` activities: ``(batch, how many are
        left)``. A recipient that another worker is serving is left to it."""
        shares = defaultdict(list)
        for activity in activities:
            shares[recipients[activity].id or 0].append(activity.id)
        order = sorted(shares)
        taken = self._take_recipients(
            [(recipient_id, len(shares[recipient_id])) for recipient_id in order],
            lock_class,
            batch_size,
        )
        batch = [
            activity_id for rid in order if rid in taken for activity_id in shares[rid]
        ]
        return activities.browse(batch), len(activities) - len(batch)

    @api.model
    def _take_recipients(self, shares, lock_class, batch_size=None):
        """Take a transaction lock of ``lock_class`` on the recipients of
        ``shares`` (``[(user id, activities)]``, in this order) until the
        taken ones hold ``batch_size`` activities (all of them without
        ``batch_size``), skipping those that another worker holds: one query
        for the whole batch. Returns the ids of the recipients taken."""
        if not shares:
            return set()
        user_ids, counts = zip(*shares, strict=True)
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE pick (i, total, taken) AS (
                    SELECT 0, 0, NULL::integer
                  UNION ALL
                    SELECT pick.i + 1,
                           pick.total
                           + CASE WHEN lock.ok THEN (%(counts)s)[pick.i + 1] ELSE 0 END,
                           CASE WHEN lock.ok THEN (%(users)s)[pick.i + 1] END
                      FROM pick
                     CROSS JOIN LATERAL (
                           SELECT pg_try_advisory_xact_lock(
                                      %(lock)s, (%(users)s)[pick.i + 1]) AS ok
                           ) lock
                     WHERE pick.i < %(n)s AND pick.total < %(size)s
                )
                SELECT taken FROM pick WHERE taken IS NOT NULL
                """,
                counts=SQL("%s::integer[]", list(counts)),
                users=SQL("%s::integer[]", list(user_ids)),
                lock=lock_class,
                n=len(user_ids),
                size=batch_size if batch_size is not None else sum(counts) + 1,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _lock(self, activities, marker):
        """The ``activities`` that this transaction processes: still open and
        without ``marker``, locked until commit. Rows that another worker
        holds are left to it; rows that someone changed after this
        transaction's snapshot (a salesperson rescheduling or completing a
        follow-up) are left to the next call, which sees them as they are
        now: a conflict costs these rows, not the batch."""
        if not activities:
            return activities
        # what this transaction changed is in the database (its own changes
        # are no conflict): the lock reads the rows as they are
        activities.flush_model()
        locked, conflicts = lock_rows(
            self.env.cr,
            lambda ids: SQL(
                "SELECT id FROM mail_activity WHERE id = ANY(%s) AND active "
                "AND %s IS NULL ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                ids,
                SQL.identifier(marker),
            ),
            activities.ids,
        )
        if conflicts:
            _logger.info(
                "Follow-ups %s changed meanwhile (%s): left to the next call.",
                conflicts,
                marker,
            )
        return activities.browse(locked)

    # ------------------------------------------------------------------
    # Recipients
    # ------------------------------------------------------------------

    @api.model
    def _reminder_recipients(self, activities):
        """``{activity: user}``: the assignee, or the leader of the lead's team
        when the assignee is archived (no user when there is none)."""
        leaders = self._team_leaders(
            activities.filtered(lambda a: not a.user_id.active)
        )
        return {
            activity: activity.user_id if activity.user_id.active else leaders[activity]
            for activity in activities
        }

    @api.model
    def _leads(self, activities):
        """``{activity: lead}`` for the ``activities`` on leads (an empty lead
        for the others)."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        on_leads = activities.filtered(lambda a: a.res_model == "crm.lead")
        lead_by_id = {
            lead.id: lead
            for lead in Lead.browse(set(on_leads.mapped("res_id"))).exists()
        }
        leads = defaultdict(Lead.browse)
        for activity in on_leads:
            if activity.res_id in lead_by_id:
                leads[activity] = lead_by_id[activity.res_id]
        return leads

    @api.model
    def _team_leaders(self, activities):
        """``{activity: user}``: the active leader of the team of the
        activity's lead, or no user."""
        leads = self._leads(activities)
        Users = self.env["res.users"].sudo()
        leaders = {}
        for activity in activities:
            leader = leads[activity].team_id.user_id
            leaders[activity] = leader if leader.active else Users
        return leaders
