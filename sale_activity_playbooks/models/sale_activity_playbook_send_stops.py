# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools.misc import format_date


class SaleActivityPlaybookEngine(models.AbstractModel):
    """What stops, pauses or hands back the automated emails of a lead: the
    customer's reply (on the lead or on another lead of the same company), an
    automatic reply, a bounce and a meeting. Gated by the playbooks' cached
    ``SendStops``: leads of teams without such playbooks cost no query."""

    _inherit = "sale.activity.playbook.engine"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Replies
    # ------------------------------------------------------------------

    @api.model
    def _cancel_automated_emails_on_reply(self, lead, automated, message):
        """The pending automated emails of playbooks that stop on a reply on
        ``lead`` go, with a note: nobody gets an automated email right after
        answering."""
        self._remove_automated_emails(
            automated,
            lambda env: env._(
                "%(author)s replied: the pending automated emails are cancelled.",
                author=message.author_id.name,
            ),
        )

    @api.model
    def _on_lead_email(self, lead, message):
        """An email came in on ``lead``: an automatic reply may pause it, a
        customer's reply stops the automated emails of the open leads of the
        customer's company, this one included (playbooks with
        ``stop_on_company_reply``)."""
        stops = self.env["sale.activity.playbook"]._get_send_stops()
        if self.env.context.get("playbook_auto_reply"):
            if stops.auto_reply_pauses:
                self._pause_on_auto_reply(lead, message)
        elif stops.company_reply_team_ids:
            self._cancel_company_emails(lead, message, stops.company_reply_team_ids)

    @api.model
    def _cancel_company_emails(self, lead, message, team_ids):
        """The pending automated emails on the open leads of ``team_ids``
        whose customer belongs to the company of the email's author go, if the
        author is a customer."""
        author = message.author_id.sudo()
        if not author or self._is_employee(author):
            return
        # open as crm counts it: active (the search's default), not won
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search(
                [
                    ("team_id", "in", list(team_ids)),
                    (
                        "partner_id.commercial_partner_id",
                        "=",
                        author.commercial_partner_id.id,
                    ),
                    "|",
                    ("stage_id", "=", False),
                    ("stage_id.is_won", "=", False),
                ]
            )
        )
        if not leads:
            return
        pending = self._pending_playbook_activities(
            leads,
            [("stop_on_company_reply", "=", True)],
            [("playbook_auto_send", "=", True)],
        )
        self._remove_automated_emails(
            pending,
            lambda env: env._(
                "%(author)s of %(company)s replied on %(lead)s: the pending "
                "automated emails are cancelled.",
                author=author.name,
                company=author.commercial_partner_id.name,
                lead=lead.display_name,
            ),
        )

    @api.model
    def _is_employee(self, partner):
        """Whether ``partner`` (an email's author) is one of ours."""
        return bool(partner.sudo().user_ids.filtered(lambda user: not user.share))

    @api.model
    def _remove_automated_emails(self, followups, note):
        """Remove ``followups`` and say so on their leads: ``note(env)`` in
        each salesperson's language."""
        lead_ids = {followup.id: followup.res_id for followup in followups}
        removed = self._remove_pending_followups(followups=followups)
        leads = self.env["crm.lead"].sudo().browse({lead_ids[f.id] for f in removed})
        for lead in leads:
            env = lead.with_context(lang=lead.user_id.lang or self.env.lang).env
            lead._message_log(body=note(env))

    # ------------------------------------------------------------------
    # Automatic replies
    # ------------------------------------------------------------------

    @api.model
    def _pause_on_auto_reply(self, lead, message):
        """Pause ``lead`` for the working days that its team's playbooks say,
        counted on its salesperson's calendar; an earlier pause is extended,
        a later one kept."""
        days = self.env["sale.activity.playbook"]._auto_reply_pause_days(lead)
        if not days or self._is_employee(message.author_id):
            return  # an employee's out of office says nothing of the customer
        lead = lead.sudo()
        until = self.env["sale.activity.playbook.line"]._add_working_days(
            self.env["sale.activity.user.time"]._working_calendar(lead.user_id),
            lead._playbook_today(),
            days,
        )
        if lead.playbook_paused_until and lead.playbook_paused_until >= until:
            return
        # the playbook's decision, whoever the mail gateway runs as
        lead.playbook_paused_until = until
        lead = lead.with_context(lang=lead.user_id.lang or self.env.lang)
        lead._message_log(
            body=lead.env._(
                "Automatic reply from %(author)s: follow-ups paused until %(date)s.",
                author=message.author_id.name or message.email_from,
                date=format_date(lead.env, until),
            )
        )

    # ------------------------------------------------------------------
    # Bounces
    # ------------------------------------------------------------------

    @api.model
    def _on_leads_bounced(self, leads):
        """Emails to ``leads`` bounced: their pending automated follow-ups
        become tasks for the salesperson, with a note, and the last automated
        email sent on each lead counts as bounced."""
        pending = self._pending_playbook_activities(
            leads, domain=[("playbook_auto_send", "=", True)]
        )
        if pending:
            pending.write({"playbook_auto_send": False})
            for lead in leads.sudo().browse(set(pending.mapped("res_id"))):
                lead = lead.with_context(lang=lead.user_id.lang or self.env.lang)
                lead._message_log(
                    body=lead.env._(
                        "An email to %(email)s bounced: the pending automated "
                        "emails are now tasks for the salesperson.",
                        email=lead.email_from,
                    )
                )
        self._mark_last_emails_bounced(leads)

    @api.model
    def _mark_last_emails_bounced(self, leads):
        """Set ``email_bounced`` on the log row of the last automated email
        sent on each of ``leads``, if any."""
        logs = (
            self.env["sale.activity.followup.log"]
            .sudo()
            .search_fetch(
                [("lead_id", "in", leads.ids), ("email_sent_at", "!=", False)],
                ["lead_id", "email_bounced"],
                order="email_sent_at desc, id desc",
            )
        )
        last = {}
        for log in logs:
            last.setdefault(log.lead_id.id, log)
        unmarked = logs.browse(log.id for log in last.values() if not log.email_bounced)
        unmarked.write({"email_bounced": True})

    # ------------------------------------------------------------------
    # Meetings
    # ------------------------------------------------------------------

    @api.model
    def _on_meetings_planned(self, events):
        """Meetings ahead on leads remove the pending follow-ups of their
        playbooks that stop on a meeting, as the goal stage does; the
        meetings' own activities, and what rules planned for them, stay."""
        team_ids = self.env["sale.activity.playbook"]._get_send_stops().meeting_team_ids
        if not team_ids:
            return
        now = fields.Datetime.now()
        events = events.sudo().filtered(
            lambda event: event.opportunity_id and event.start and event.start > now
        )
        leads = events.opportunity_id.filtered(lambda lead: lead.team_id.id in team_ids)
        if not leads:
            return
        own = events.activity_ids
        self._remove_pending_followups(
            leads,
            [("stop_on_meeting", "=", True)],
            exclude=own | self._followups_of(own),
        )
