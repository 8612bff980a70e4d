# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..odoo_series import domain_or
from .cron_tools import lock_rows, notify_progress
from .sale_activity_user_time import time_zone

_logger = logging.getLogger(__name__)

# Automated follow-ups per batch (the cron runner commits each one).
SEND_BATCH_SIZE = 200
# Class of the transaction locks that share the assignees out between
# workers (pg_try_advisory_xact_lock(class, user id)): one worker counts and
# sends an assignee's emails, so two never exceed the daily limit together.
LOCK_SENDS = 713_003


class SaleActivityPlaybookSender(models.AbstractModel):
    """The send cron: one batch per call, as the reminder cron works. A batch
    takes whole assignees (their transaction lock), their due follow-ups up
    to what their daily limit leaves, oldest send time first, and locks these
    rows (``FOR NO KEY UPDATE SKIP LOCKED``). It queues the emails and marks
    the follow-ups done in the same transaction: a batch that fails sends
    nothing, and a follow-up done is never taken again."""

    _inherit = "sale.activity.playbook.sender"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_send_playbook_emails(self, batch_size=SEND_BATCH_SIZE):
        """Send the next batch of automated follow-ups whose send time has
        come, inside their sending hours, within the daily limits."""
        now = fields.Datetime.now()
        # nothing goes out for an assignee on leave today: it waits
        on_leave = self.env["sale.activity.absence"]._users_on_leave(now)
        batch, remaining, sent_today = self._due_sends(now, batch_size, on_leave)
        done = self._process_sends(batch, now, sent_today)
        notify_progress(
            self.env,
            "sale_activity_playbooks.ir_cron_playbook_send",
            done=done,
            remaining=remaining,
        )

    # ------------------------------------------------------------------
    # Selection and locking
    # ------------------------------------------------------------------

    @api.model
    def _due_sends(self, now, batch_size, on_leave=()):
        """``(activities, remaining, sent today)``: the next batch of due
        automated follow-ups, locked, in the order of their send time then
        id; how many more may go out now (at least); and ``{user id: emails
        sent today}`` for the assignees of the batch."""
        Activity = self.env["mail.activity"].sudo()
        due = self._due_send_condition(now, on_leave)
        shares, sent_today = self._send_shares(due, now, batch_size)
        available = sum(share for _user_id, share in shares)
        # whole assignees, in the order of their oldest due follow-up
        taken = self.env["sale.activity.reminder"]._take_recipients(
            shares, LOCK_SENDS, batch_size
        )
        shares = [(user_id, share) for user_id, share in shares if user_id in taken]
        if not shares:
            return Activity, available, sent_today
        user_ids, counts = zip(*shares, strict=True)
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id FROM (SELECT a.id, a.playbook_send_at, q.share, "
                "row_number() OVER (PARTITION BY a.user_id "
                "ORDER BY a.playbook_send_at, a.id) AS n "
                "FROM mail_activity a JOIN crm_lead l ON l.id = a.res_id "
                "JOIN unnest(%s::integer[], %s::integer[]) AS q(user_id, share) "
                "ON q.user_id = a.user_id WHERE %s) due "
                "WHERE due.n <= due.share ORDER BY due.playbook_send_at, due.id",
                list(user_ids),
                list(counts),
                due,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        locked = set(self._lock_sends(ids, now))
        batch = Activity.browse([id_ for id_ in ids if id_ in locked])
        return batch, available - len(batch), sent_today

    @api.model
    def _send_shares(self, due, now, batch_size):
        """``([(user id, share)], sent today)``: the assignees with due
        follow-ups (condition ``due``), oldest due first, and how many of
        them may go out now: what their daily limit leaves (the largest
        limit among the teams of their due leads; none when one of them has
        none), at most ``batch_size``."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT a.user_id, count(*), "
                "bool_or(COALESCE(t.playbook_daily_send_limit, 0) = 0), "
                "max(t.playbook_daily_send_limit) "
                "FROM mail_activity a JOIN crm_lead l ON l.id = a.res_id "
                "LEFT JOIN crm_team t ON t.id = l.team_id WHERE %s "
                "GROUP BY a.user_id ORDER BY min(a.playbook_send_at), a.user_id",
                due,
            )
        )
        assignees = cr.fetchall()
        sent_today = self._sent_today([row[0] for row in assignees], now)
        shares = []
        for user_id, count, unlimited, limit in assignees:
            left = count if unlimited else min(count, limit - sent_today[user_id])
            if left > 0:
                shares.append((user_id, min(left, batch_size)))
        return shares, sent_today

    @api.model
    def _lock_sends(self, ids, now):
        """The ids among ``ids`` that this transaction sends: still due,
        locked until commit. Rows that another worker holds are left to it,
        rows changed after this transaction's snapshot to the next call."""
        locked, conflicts = lock_rows(
            self.env.cr,
            lambda ids: SQL(
                "SELECT id FROM mail_activity WHERE id = ANY(%s) AND active "
                "AND playbook_auto_send AND playbook_send_at <= %s "
                "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                ids,
                now,
            ),
            ids,
        )
        if conflicts:
            _logger.info(
                "Automated follow-ups %s changed meanwhile: left to the next call.",
                conflicts,
            )
        return locked

    @api.model
    def _due_send_condition(self, now, on_leave=()):
        """SQL condition on ``mail_activity a`` joined to its lead ``crm_lead
        l``: an open automated follow-up whose send time has come, on an
        active lead whose follow-ups are not paused, of an assignee not in
        ``on_leave`` (user ids). Flushes what it reads."""
        self.env["mail.activity"].flush_model(
            [
                "active",
                "playbook_auto_send",
                "playbook_send_at",
                "res_model",
                "res_id",
                "user_id",
            ]
        )
        self.env["crm.lead"].flush_model(["active", "team_id"])
        self.env["crm.team"].flush_model(["playbook_daily_send_limit"])
        Lead = self.env["crm.lead"]
        return SQL(
            "a.active AND a.playbook_auto_send AND a.playbook_send_at <= %s "
            "AND a.res_model = 'crm.lead' AND a.user_id IS NOT NULL "
            "AND a.user_id <> ALL(%s::integer[]) AND l.active AND NOT %s",
            now,
            list(on_leave),
            Lead._playbook_paused_condition("l", now),
        )

    # ------------------------------------------------------------------
    # Daily limit
    # ------------------------------------------------------------------

    @api.model
    def _sent_today(self, user_ids, now):
        """``{user id: automated emails sent}`` today (at ``now``) in each
        user's time zone, counted from when they went out: one query."""
        sent = defaultdict(int)
        if not user_ids:
            return sent
        users = self.env["res.users"].sudo().browse(user_ids)
        by_zone = defaultdict(list)
        for user in users:
            by_zone[user.tz or "UTC"].append(user.id)
        domains = []
        for tz_name, ids in by_zone.items():
            start, end = self._day_in_utc(tz_name, now)
            domains.append(
                [
                    ("user_id", "in", ids),
                    ("email_sent_at", ">=", start),
                    ("email_sent_at", "<", end),
                ]
            )
        Log = self.env["sale.activity.followup.log"].sudo()
        for user, count in Log._read_group(
            domain_or(domains), ["user_id"], ["__count"]
        ):
            sent[user.id] = count
        return sent

    @api.model
    def _day_in_utc(self, tz_name, now):
        """``(start, end)``: today (at ``now``) in the time zone ``tz_name``,
        as naive UTC datetimes."""
        tz = time_zone(tz_name)
        day = self.env["sale.activity.user.time"]._today(tz_name, now)

        def midnight(day):
            local = tz.localize(datetime.combine(day, time()))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return midnight(day), midnight(day + timedelta(days=1))

    # ------------------------------------------------------------------
    # One batch
    # ------------------------------------------------------------------

    @api.model
    def _process_sends(self, activities, now, sent_today):
        """Send what may go out of ``activities`` (locked, oldest first):
        those outside their sending hours wait for the next ones, those over
        their assignee's daily limit keep their send time (the oldest go
        first tomorrow), those that may not be sent become tasks. Returns
        how many were sent, moved or made tasks."""
        leads = self.env["sale.activity.reminder"]._leads(activities)
        blacklisted = self._blacklisted(leads.values())
        cache = {}
        moved = []
        refused, to_send, seen = {}, [], set()
        for activity in activities:
            lead = leads[activity]
            if self._send_time(activity, lead, now, cache) > now:
                moved.append(activity.id)
                continue
            limit = lead.team_id.playbook_daily_send_limit
            if limit and sent_today[activity.user_id.id] >= limit:
                continue  # over the limit: keeps its send time
            reason = self._never_send_reason(activity, lead, blacklisted)
            if reason:
                refused[activity] = reason
            elif (activity.playbook_line_id.mail_template_id, lead) not in seen:
                # one email per lead and template in a batch; a second waits
                seen.add((activity.playbook_line_id.mail_template_id, lead))
                to_send.append(activity)
                sent_today[activity.user_id.id] += 1
        if moved:
            # computed again, it is the next sending hours: not read again
            # every run until then
            moved = activities.browse(moved)
            self.env.add_to_compute(moved._fields["playbook_send_at"], moved)
            moved.flush_recordset(["playbook_send_at"])
        messages, failed = self._queue_emails(activities.browse(a.id for a in to_send))
        refused.update(failed)
        self._keep_as_tasks(refused, leads)
        self._mark_sent(messages, now)
        return len(moved) + len(refused) + len(messages)
