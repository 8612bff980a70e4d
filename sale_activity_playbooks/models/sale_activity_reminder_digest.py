# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from urllib.parse import urlencode

from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools.misc import format_date

_logger = logging.getLogger(__name__)

# Record names in a real-time notification; the digest lists them all.
TOAST_NAMES = 3


class SaleActivityReminderDigest(models.AbstractModel):
    """What the reminder cron sends for the batches that
    ``sale.activity.reminder`` selected and locked: one digest per
    recipient, an escalation note on each lead, the markers set."""

    _name = "sale.activity.reminder.digest"
    _description = "Follow-up Reminder and Escalation Digests"

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
        recipients = self.env["sale.activity.reminder"]._reminder_recipients(activities)
        for activity, user in recipients.items():
            by_user[user].append(activity.id)
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
                self._digest_lines(shares, now, user),
            )
        activities.write({"reminded_on": now})

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
        Reminder = self.env["sale.activity.reminder"]
        leads = Reminder._leads(activities)
        leaders = Reminder._team_leaders(activities)
        hidden = self._unreadable_leads(leads, leaders)
        deadlines = {}
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
                self._escalation_note(activity, lead, leader, is_hidden, now, deadlines)
            )
        self._log_hidden_from_leaders(hidden_from, leads)
        for recipient, activity_ids in by_recipient.items():
            shares = activities.browse(activity_ids).with_prefetch(
                activities._prefetch_ids
            )
            if recipient:
                self._send_escalation_digest(recipient, shares, now)
            else:
                self._log_without_leader(shares, leaders, leads)
        self.env["crm.lead"].sudo().browse(notes)._message_log_batch(
            {
                lead_id: Markup("<br/>").join(escape(line) for line in lines)
                for lead_id, lines in notes.items()
            }
        )
        activities.write({"escalated_on": now})

    @api.model
    def _send_escalation_digest(self, leader, activities, now):
        """The digest of the overdue ``activities`` of ``leader``'s team."""
        activities = activities.with_context(lang=leader.lang)
        _ = activities.env._
        if len(activities) == 1:
            subject = _(
                "Overdue follow-up of your team: %(name)s", name=activities.res_name
            )
        else:
            subject = _(
                "%(count)s overdue follow-ups of your team", count=len(activities)
            )
        self._notify_digest(
            leader,
            subject,
            _("These follow-ups of your team are overdue:"),
            self._digest_lines(activities, now, leader),
        )

    @api.model
    def _log_hidden_from_leaders(self, hidden_from, leads):
        """Say in the server log which follow-ups (``hidden_from``: ``{leader:
        activities}``) went to nobody because their leader may not read the
        lead (``leads``: ``{activity: lead}``)."""
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

    @api.model
    def _log_without_leader(self, activities, leaders, leads):
        """Say in the server log which of ``activities``, escalated to nobody,
        are so because their team has no leader."""
        without_leader = activities.filtered(lambda a: not leaders[a])
        if without_leader:
            teams = {leads[a].team_id.display_name for a in without_leader}
            _logger.warning(
                "Overdue follow-ups %s escalated to nobody: their sales "
                "teams %s have no leader.",
                without_leader.ids,
                ", ".join(sorted(teams)),
            )

    @api.model
    def _escalation_note(self, activity, lead, leader, hidden, now, deadlines):
        """The line of the note on ``lead`` about escalating ``activity`` to
        ``leader``, or to nobody (no leader, or ``hidden``: a lead the leader
        may not read), and why, in the language of the lead's salesperson (as
        the follow-ups that rules plan). ``deadlines`` caches formatted
        dates."""
        digest = self.with_context(lang=lead.user_id.lang or self.env.lang)
        today = digest.env["sale.activity.user.time"]._today(activity.user_tz, now)
        days = (today - activity.date_deadline).days
        values = {
            "days": days,
            "unit": digest.env["sale.activity.playbook.line"]._unit_word("days", days),
            "summary": activity.summary or activity.activity_type_id.name,
            "user": activity.user_id.name,
            "deadline": digest._format_date(
                digest.env, activity.date_deadline, deadlines
            ),
        }
        _ = digest.env._
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
    # Digests
    # ------------------------------------------------------------------

    @api.model
    def _digest_lines(self, activities, now, recipient):
        """Values of the digest's lines, oldest deadline first."""
        env = activities.env
        UserTime = env["sale.activity.user.time"]
        base_url = activities.browse().get_base_url()
        descriptions, dates, labels = {}, {}, {}
        lines = []
        for activity in activities.sorted(
            lambda a: (a.date_deadline, a.res_name or "")
        ):
            model = activity.res_model
            if model not in descriptions:
                descriptions[model] = env["ir.model"]._get(model).display_name
            today = UserTime._today(activity.user_tz, now)
            overdue = (today - activity.date_deadline).days
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
