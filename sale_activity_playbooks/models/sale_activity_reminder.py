# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

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
# Record names in a real-time notification; the digest lists them all.
TOAST_NAMES = 3


class SaleActivityReminder(models.AbstractModel):
    """Reminders of due follow-ups and escalation of overdue ones.

    Both run from ``ir_cron_playbook_reminders``, one batch per call: the cron
    runner commits each batch and calls again while work remains. An activity
    is processed once: a batch locks the rows it takes (``FOR NO KEY UPDATE
    SKIP LOCKED``) and marks them (``reminded_on`` / ``escalated_on``) in the same
    transaction.
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
        reminders, reminders_left = self._due_reminders(now, batch_size)
        escalations, escalations_left = self._due_escalations(now, batch_size)
        self._send_reminders(reminders, now)
        self._escalate(escalations, now)
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
    def _due_reminders(self, now, batch_size):
        """The next batch of Reminder activities due in their assignee's time
        zone and not reminded yet, locked, and how many remain after it (at
        least: 0 when none).

        A batch reads what it processes. One query goes through the assignees
        with due reminders in the order of their ids (the partial index
        ``mail_activity_playbook_remind_idx``: reminded ones leave it), takes
        a transaction lock on each one (workers running at once share them
        out, and nobody gets two digests of one run) and stops when the batch
        holds ``batch_size`` reminders; then their reminders are read and
        locked. An assignee's reminders are never split."""
        Activity = self.env["mail.activity"].sudo()
        Activity.flush_model(
            ["is_reminder", "reminded_on", "active", "date_deadline", "user_id"]
        )
        due = self._due_reminder_condition(now)
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
        leaders = {
            user
            for activity, user in recipients.items()
            if user and user != activity.user_id
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
    def _due_reminder_condition(self, now):
        """SQL condition on ``mail_activity a``: a Reminder activity not
        reminded yet, whose deadline has come in its assignee's time zone."""
        days = self._time_zones_by_day(now)
        # the assignee's day, as _today() counts it
        today = self._day_in_time_zone_sql(days, now, SQL("a.user_tz"))
        return SQL(
            "a.is_reminder AND a.reminded_on IS NULL AND a.active "
            "AND a.date_deadline <= %s AND a.date_deadline <= %s AND NOT %s",
            max(days),
            today,
            self._on_paused_lead(now, days),
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
        return activities.filtered(
            lambda a: (a.reminded_on or a.escalated_on) and a.date_deadline < deadline
        )

    @api.model
    def _rearm(self, activities):
        """Remind and escalate ``activities`` again when due (the engine's
        bookkeeping, not the user's)."""
        if activities:
            activities.sudo().write({"reminded_on": False, "escalated_on": False})

    @api.model
    def _day_in_time_zone_sql(self, days, now, tz):
        """SQL: the day at ``now`` (UTC) in the time zone that the SQL
        expression ``tz`` names; UTC's for a time zone unknown or unset.
        ``days``: ``_time_zones_by_day(now)``."""
        utc_day = now.date()
        cases = [
            SQL("WHEN %s = ANY(%s) THEN %s::date", tz, zones, day)
            for day, zones in sorted(days.items())
            if day != utc_day
        ]
        if not cases:
            return SQL("%s::date", utc_day)
        return SQL("CASE %s ELSE %s::date END", SQL(" ").join(cases), utc_day)

    @api.model
    def _time_zones_by_day(self, now):
        """``{date: names of the time zones where it is that day}`` at
        ``now`` (UTC), for every time zone a user may choose."""
        utc_now = pytz.utc.localize(now)
        days = defaultdict(list)
        for tz_name in pytz.all_timezones:
            days[utc_now.astimezone(pytz.timezone(tz_name)).date()].append(tz_name)
        return days

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
    def _due_escalations(self, now, batch_size):
        """The next batch of Reminder activities on leads still open
        ``escalation_days`` working days after their deadline (the team's
        playbooks decide, the assignee's calendar counts), locked, and how
        many remain after it."""
        Activity = self.env["mail.activity"].sudo()
        Playbook = self.env["sale.activity.playbook"]
        settings = Playbook._get_team_settings("escalation_days")
        if not settings:
            return Activity, 0
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
            ._search([("team_id", "in", list(settings))])
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
                ("date_deadline", "<=", latest_deadline),
            ],
            ["user_id", "user_tz", "date_deadline", "res_model", "res_id"],
            order="id",
        )
        leads = self._leads(candidates)
        Line = self.env["sale.activity.playbook.line"]
        todays, calendars_cache = {}, {}
        due_ids = []
        for activity in candidates:
            playbook = Playbook._setting_for_lead(settings, leads[activity])
            if not playbook:
                continue
            escalation_day = Line._add_working_days(
                self._calendar(activity),
                activity.date_deadline,
                playbook.escalation_days,
                calendars_cache,
            )
            if escalation_day <= self._today(activity, now, todays):
                due_ids.append(activity.id)
        due = candidates.browse(due_ids)
        batch, remaining = self._cut_batch(
            due, self._team_leaders(due), batch_size, LOCK_ESCALATIONS
        )
        escalations = self._lock(batch, "escalated_on")
        return escalations, remaining + len(batch) - len(escalations)

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
    # Reminders
    # ------------------------------------------------------------------

    @api.model
    def _send_reminders(self, activities, now):
        """One digest per user of the due follow-ups in ``activities``,
        delivered as the user chose (Inbox or email), with a real-time
        notification; ``reminded_on`` set."""
        if not activities:
            return
        by_user = defaultdict(list)
        for activity, user in self._reminder_recipients(activities).items():
            by_user[user].append(activity.id)
        todays = {}
        for user, activity_ids in by_user.items():
            if not user:
                _logger.warning(
                    "Nobody to remind of follow-ups %s: their assignees are archived "
                    "and no team leader takes them over.",
                    activity_ids,
                )
                continue
            shares = activities.browse(activity_ids).with_prefetch(
                activities._prefetch_ids
            )
            shares = shares.with_context(lang=user.lang)
            _ = shares.env._
            if len(shares) == 1:
                subject = _("Follow-up due: %(name)s", name=shares.res_name)
            else:
                subject = _("%(count)s follow-ups due", count=len(shares))
            self._notify_digest(
                user,
                subject,
                _("These follow-ups are due:"),
                self._digest_lines(shares, now, todays, user),
            )
        activities.write({"reminded_on": now})

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

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    @api.model
    def _escalate(self, activities, now):
        """One digest per team leader of the overdue follow-ups in
        ``activities``, an internal note on each lead, ``escalated_on`` set.
        A leader is shown only the leads they may read: follow-ups of teams
        without a leader, and of leads their leader may not read (another
        company, or no access to them), are escalated to nobody; the note on
        the lead and the server log say why."""
        if not activities:
            return
        leads = self._leads(activities)
        leaders = self._team_leaders(activities)
        hidden = self._unreadable_leads(leads, leaders)
        todays, deadlines = {}, {}
        notes = defaultdict(list)
        by_recipient = defaultdict(list)
        hidden_from = defaultdict(list)
        for activity in activities:
            leader, lead = leaders[activity], leads[activity]
            is_hidden = lead.id in hidden.get(leader, ())
            if is_hidden:
                hidden_from[leader].append(activity)
            recipient = leader if leader and not is_hidden else leader.browse()
            by_recipient[recipient].append(activity.id)
            notes[lead.id].append(
                self._escalation_note(
                    activity, lead, leader, is_hidden, now, todays, deadlines
                )
            )
        for leader, hidden_activities in hidden_from.items():
            _logger.warning(
                "Overdue follow-ups %s escalated to nobody: their team leader %s "
                "may not read their leads %s (of companies the leader has no "
                "access to, or not at all).",
                [activity.id for activity in hidden_activities],
                leader.name,
                ", ".join(
                    sorted(
                        {
                            f"{leads[a].display_name} "
                            f"({leads[a].company_id.name or '-'})"
                            for a in hidden_activities
                        }
                    )
                ),
            )
        for recipient, activity_ids in by_recipient.items():
            shares = activities.browse(activity_ids).with_prefetch(
                activities._prefetch_ids
            )
            if not recipient:
                without_leader = shares.filtered(lambda a: not leaders[a])
                teams = {leads[a].team_id.display_name for a in without_leader}
                if without_leader:
                    _logger.warning(
                        "Overdue follow-ups %s escalated to nobody: their sales "
                        "teams %s have no leader.",
                        without_leader.ids,
                        ", ".join(sorted(teams)),
                    )
                continue
            leader = recipient
            shares = shares.with_context(lang=leader.lang)
            _ = shares.env._
            if len(shares) == 1:
                subject = _(
                    "Overdue follow-up of your team: %(name)s", name=shares.res_name
                )
            else:
                subject = _(
                    "%(count)s overdue follow-ups of your team", count=len(shares)
                )
            self._notify_digest(
                leader,
                subject,
                _("These follow-ups of your team are overdue:"),
                self._digest_lines(shares, now, todays, leader),
            )
        self.env["crm.lead"].sudo().browse(notes)._message_log_batch(
            {
                lead_id: Markup("<br/>").join(escape(line) for line in lines)
                for lead_id, lines in notes.items()
            }
        )
        activities.write({"escalated_on": now})

    @api.model
    def _escalation_note(self, activity, lead, leader, hidden, now, todays, deadlines):
        """The line of the note on ``lead`` about escalating ``activity`` to
        ``leader``, or to nobody (no leader, or ``hidden``: a lead the leader
        may not read), and why, in the language of the lead's salesperson (as
        the follow-ups that rules plan). ``deadlines`` caches formatted
        dates."""
        reminder = self.with_context(lang=lead.user_id.lang or self.env.lang)
        days = (reminder._today(activity, now, todays) - activity.date_deadline).days
        values = {
            "days": days,
            "unit": reminder.env["sale.activity.playbook.line"]._unit_word(
                "days", days
            ),
            "summary": activity.summary or activity.activity_type_id.name,
            "user": activity.user_id.name,
            "deadline": reminder._format_date(
                reminder.env, activity.date_deadline, deadlines
            ),
        }
        _ = reminder.env._
        if not leader:
            return _(
                "Follow-up overdue by %(days)s %(unit)s, escalated to nobody: the "
                "sales team %(team)s has no leader. %(summary)s (%(user)s, due "
                "%(deadline)s).",
                team=lead.team_id.name,
                **values,
            )
        company = lead.company_id
        if hidden and company and company not in leader.company_ids:
            return _(
                "Follow-up overdue by %(days)s %(unit)s, escalated to nobody: the "
                "team leader %(leader)s has no access to %(company)s. %(summary)s "
                "(%(user)s, due %(deadline)s).",
                leader=leader.name,
                company=company.name,
                **values,
            )
        if hidden:
            return _(
                "Follow-up overdue by %(days)s %(unit)s, escalated to nobody: the "
                "team leader %(leader)s may not read this lead. %(summary)s "
                "(%(user)s, due %(deadline)s).",
                leader=leader.name,
                **values,
            )
        return _(
            "Follow-up overdue by %(days)s %(unit)s, escalated to %(leader)s: "
            "%(summary)s (%(user)s, due %(deadline)s).",
            leader=leader.name,
            **values,
        )

    @api.model
    def _unreadable_leads(self, leads, leaders):
        """``{leader: lead ids}``: the leads of ``leads`` (``{activity:
        lead}``) that their team leader (``leaders``: ``{activity: user}``)
        may not read, in any of the leader's companies. One access check per
        leader."""
        lead_ids_by_leader = defaultdict(set)
        for activity, lead in leads.items():
            if leaders.get(activity) and lead:
                lead_ids_by_leader[leaders[activity]].add(lead.id)
        hidden = {}
        Lead = self.env["crm.lead"].with_context(active_test=False)
        for leader, lead_ids in lead_ids_by_leader.items():
            readable = (
                Lead.with_user(leader)
                .with_context(allowed_company_ids=leader.company_ids.ids)
                .browse(lead_ids)
                ._filtered_access("read")
            )
            if len(readable) < len(lead_ids):
                hidden[leader] = lead_ids - set(readable.ids)
        return hidden

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _today(self, activity, now, todays):
        """Today in the assignee's time zone (``todays`` caches it per zone)."""
        tz_name = activity.user_tz or "UTC"
        if tz_name not in todays:
            try:
                tz = pytz.timezone(tz_name)
            except pytz.UnknownTimeZoneError:
                tz = pytz.utc
            todays[tz_name] = pytz.utc.localize(now).astimezone(tz).date()
        return todays[tz_name]

    @api.model
    def _calendar(self, activity):
        user = activity.user_id
        return user.resource_calendar_id or user.company_id.resource_calendar_id

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

    @api.model
    def _digest_lines(self, activities, now, todays, recipient):
        """Values of the digest's lines, oldest deadline first."""
        env = activities.env
        base_url = activities.browse().get_base_url()
        descriptions, dates, labels = {}, {}, {}
        lines = []
        for activity in activities.sorted(
            lambda a: (a.date_deadline, a.res_name or "")
        ):
            model = activity.res_model
            if model not in descriptions:
                descriptions[model] = env["ir.model"]._get(model).display_name
            overdue = (self._today(activity, now, todays) - activity.date_deadline).days
            if overdue not in labels:
                labels[overdue] = self.with_env(env)._overdue_label(overdue)
            lines.append(
                {
                    "name": activity.res_name,
                    "model": descriptions[model],
                    "summary": activity.summary or activity.activity_type_id.name,
                    "deadline": self._format_date(env, activity.date_deadline, dates),
                    "overdue": labels[overdue],
                    "assignee": activity.user_id.name
                    if activity.user_id != recipient
                    else False,
                    "url": "{}/mail/view?{}".format(
                        base_url, urlencode({"model": model, "res_id": activity.res_id})
                    ),
                }
            )
        return lines

    @api.model
    def _format_date(self, env, date, cache):
        """``format_date()``, once per date: digests and notes list thousands of
        follow-ups and a few deadlines."""
        key = (env.lang, date)
        if key not in cache:
            cache[key] = format_date(env, date)
        return cache[key]

    @api.model
    def _overdue_label(self, days):
        if days <= 0:
            return self.env._("due today")
        if days == 1:
            return self.env._("1 day overdue")
        return self.env._("%(days)s days overdue", days=days)

    @api.model
    def _notify_digest(self, user, subject, intro, lines):
        """Post the digest to ``user`` (Inbox or email, as the user chose) and
        show it in an open web client."""
        env = self.with_context(lang=user.lang).env
        body = env["ir.qweb"]._render(
            "sale_activity_playbooks.playbook_digest",
            {
                "intro": intro,
                "lines": lines,
                "show_assignee": any(line["assignee"] for line in lines),
            },
            minimal_qcontext=True,
        )
        env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=subject,
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )
        message = ", ".join(line["name"] or "" for line in lines[:TOAST_NAMES])
        if len(lines) > TOAST_NAMES:
            message = env._(
                "%(names)s and %(count)s more",
                names=message,
                count=len(lines) - TOAST_NAMES,
            )
        user._bus_send(
            "simple_notification",
            {"type": "warning", "title": subject, "message": message, "sticky": False},
        )
