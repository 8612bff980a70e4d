# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

import pytz
from markupsafe import Markup, escape
from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .. import odoo_series

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
    is processed once: a batch locks the rows it takes (``FOR UPDATE SKIP
    LOCKED``) and marks them (``reminded_on`` / ``escalated_on``) in the same
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
        reminders, reminders_left = self._due_reminders(now, batch_size)
        reminders = self._lock(reminders, "reminded_on")
        self._send_reminders(reminders, now)
        escalations, escalations_left = self._due_escalations(now, batch_size)
        escalations = self._lock(escalations, "escalated_on")
        self._escalate(escalations, now)
        odoo_series.notify_cron_progress(
            self.env,
            done=len(reminders) + len(escalations),
            remaining=reminders_left + escalations_left,
        )

    # ------------------------------------------------------------------
    # Selection and locking
    # ------------------------------------------------------------------

    @api.model
    def _due_reminders(self, now, batch_size):
        """The next batch of Reminder activities due in their assignee's time
        zone and not reminded yet, and how many remain after it."""
        candidates = (
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("activity_type_id.category", "=", "reminder"),
                    ("reminded_on", "=", False),
                    ("date_deadline", "<=", (now + MAX_UTC_OFFSET).date()),
                ],
                ["user_id", "user_tz", "date_deadline", "res_model", "res_id"],
                order="id",
            )
        )
        todays = {}
        due = candidates.filtered(
            lambda a: a.date_deadline <= self._today(a, now, todays)
        )
        return self._cut_batch(
            due, self._reminder_recipients(due), batch_size, LOCK_REMINDERS
        )

    @api.model
    def _due_escalations(self, now, batch_size):
        """The next batch of Reminder activities on leads still open
        ``escalation_days`` working days after their deadline (the team's
        playbooks decide, the assignee's calendar counts), and how many remain
        after it."""
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
        candidates = Activity.search_fetch(
            [
                ("activity_type_id.category", "=", "reminder"),
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
        return self._cut_batch(
            due, self._team_leaders(due), batch_size, LOCK_ESCALATIONS
        )

    @api.model
    def _cut_batch(self, activities, recipients, batch_size, lock_class):
        """Take whole recipients' shares of ``activities`` (``recipients``:
        ``{activity: user}``) until the batch holds ``batch_size`` activities:
        ``(batch, how many are left)``. A recipient that another worker is
        serving (a transaction lock of ``lock_class`` on the user) is left to
        it: workers running at once share the recipients out instead of
        queueing behind each other's row locks, and nobody gets two digests
        of one run."""
        shares = defaultdict(list)
        for activity in activities:
            shares[recipients[activity]].append(activity.id)
        batch = []
        for recipient, ids in shares.items():
            if len(batch) >= batch_size:
                break
            self.env.cr.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                [lock_class, recipient.id or 0],
            )
            if self.env.cr.fetchone()[0]:
                batch += ids
        return activities.browse(batch), len(activities) - len(batch)

    @api.model
    def _lock(self, activities, marker):
        """The ``activities`` that this transaction processes: still open and
        without ``marker``, locked until commit. Rows that another worker holds
        are left to it. A worker whose snapshot predates another's commit cannot
        lock the rows that commit marked (serialization failure): it takes
        none and leaves the rest to the next run."""
        if not activities:
            return activities
        activities.flush_model([marker, "active"])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM mail_activity WHERE id = ANY(%s) AND active "
                        "AND %s IS NULL ORDER BY id FOR UPDATE SKIP LOCKED",
                        activities.ids,
                        SQL.identifier(marker),
                    ),
                    log_exceptions=False,
                )
                locked_ids = [row[0] for row in self.env.cr.fetchall()]
        except errors.SerializationFailure:
            _logger.info(
                "Another worker processed these follow-ups meanwhile (%s): left to "
                "the next run.",
                marker,
            )
            return activities.browse()
        return activities.browse(locked_ids)

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
        Follow-ups of teams without a leader are escalated to nobody, and the
        server log says so."""
        if not activities:
            return
        leads = self._leads(activities)
        leaders = self._team_leaders(activities)
        todays = {}
        notes = defaultdict(list)
        by_leader = defaultdict(list)
        for activity in activities:
            leader, lead = leaders[activity], leads[activity]
            by_leader[leader].append(activity.id)
            days = (self._today(activity, now, todays) - activity.date_deadline).days
            values = {
                "days": days,
                "unit": self.env["sale.activity.playbook.line"]._unit_word(
                    "days", days
                ),
                "summary": activity.summary or activity.activity_type_id.name,
                "user": activity.user_id.name,
                "deadline": format_date(self.env, activity.date_deadline),
            }
            if leader:
                note = self.env._(
                    "Follow-up overdue by %(days)s %(unit)s, escalated to %(leader)s: "
                    "%(summary)s (%(user)s, due %(deadline)s).",
                    leader=leader.name,
                    **values,
                )
            else:
                note = self.env._(
                    "Follow-up overdue by %(days)s %(unit)s, escalated to nobody: the "
                    "sales team %(team)s has no leader. %(summary)s (%(user)s, due "
                    "%(deadline)s).",
                    team=lead.team_id.name,
                    **values,
                )
            notes[lead.id].append(note)
        for leader, activity_ids in by_leader.items():
            shares = activities.browse(activity_ids).with_prefetch(
                activities._prefetch_ids
            )
            if not leader:
                _logger.warning(
                    "Overdue follow-ups %s escalated to nobody: their sales teams "
                    "%s have no leader.",
                    activity_ids,
                    ", ".join(sorted({leads[a].team_id.display_name for a in shares})),
                )
                continue
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
        descriptions = {}
        lines = []
        for activity in activities.sorted(
            lambda a: (a.date_deadline, a.res_name or "")
        ):
            model = activity.res_model
            if model not in descriptions:
                descriptions[model] = env["ir.model"]._get(model).display_name
            overdue = (self._today(activity, now, todays) - activity.date_deadline).days
            lines.append(
                {
                    "name": activity.res_name,
                    "model": descriptions[model],
                    "summary": activity.summary or activity.activity_type_id.name,
                    "deadline": format_date(env, activity.date_deadline),
                    "overdue": self.with_env(env)._overdue_label(overdue),
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
