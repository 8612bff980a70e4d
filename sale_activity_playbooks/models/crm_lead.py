# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .action_records import ensure_one_record, ensure_records
from .sale_activity_neglect import OPEN_LEAD


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ("crm.lead", "sale.activity.input.checks")
    _playbook_checked_fields = (
        "playbook_paused_until",
        "playbook_paused",
    )

    playbook_paused_until = fields.Date(
        "Follow-ups Paused Until",
        copy=False,
        tracking=True,
        help="Until this day, the playbooks send no reminder, escalate nothing and "
        "leave the lead out of the neglected ones; follow-ups they plan are due on "
        "this day at the earliest.",
    )
    playbook_paused = fields.Boolean(
        "Follow-ups Paused", compute="_compute_playbook_paused"
    )

    @api.depends("playbook_paused_until", "user_id.tz")
    def _compute_playbook_paused(self):
        for lead in self:
            lead.playbook_paused = bool(lead._playbook_resume_date())

    @api.constrains("playbook_paused_until")
    def _check_playbook_paused_until(self):
        for lead in self:
            if lead.playbook_paused_until and (
                lead.playbook_paused_until < lead._playbook_today()
            ):
                raise ValidationError(
                    self.env._(
                        "Follow-ups of %(lead)s cannot be paused until %(date)s: the "
                        "day is past. Choose today or a later day.",
                        lead=lead.display_name,
                        date=format_date(self.env, lead.playbook_paused_until),
                    )
                )

    def write(self, vals):
        # crm's lost wizard and action_set_lost archive, then set the reason
        newly_reasoned = (
            self.filtered(lambda lead: not lead.lost_reason_id)
            if vals.get("lost_reason_id")
            else self.browse()
        )
        res = super().write(vals)
        if newly_reasoned:
            self.env["sale.activity.followup.log"]._log_lost_leads(
                newly_reasoned.filtered(lambda lead: not lead.active)
            )
        if vals.get("playbook_paused_until"):
            self._postpone_playbook_followups()
        # the stage's row is read for is_won below: its goal flag comes with it
        if (
            vals.get("stage_id")
            and self.env["crm.stage"].browse(vals["stage_id"]).playbook_goal_reached
        ):
            self.env["sale.activity.playbook.engine"]._on_leads_reaching_stage(self)
        # Won is moving to a won stage (action_set_won does, with probability
        # 100), as crm's _handle_won_lost counts it. Only the new stage is
        # read: reading the leads' probability around the write would compute
        # it at another moment than Odoo does, and change the probability
        # that it keeps (crm's test_lead_merge_probability_manual_empty).
        if (
            vals.get("stage_id")
            and self.env["crm.stage"].browse(vals["stage_id"]).is_won
        ):
            self.filtered("active")._cancel_playbook_activities_on_won()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_schedule_playbook_followup(self):
        """Schedule the playbook's follow-up on the selected leads that have
        nothing planned, and say what happened to each of them."""
        ensure_records(self)
        self.check_access("write")
        states = self._playbook_neglect_states()
        closed = [lead_id for lead_id, is_open, _has, _p in states if not is_open]
        planned = [lead_id for lead_id, is_open, has, _p in states if is_open and has]
        paused = [
            lead_id for lead_id, is_open, has, p in states if is_open and not has and p
        ]
        candidates = self.browse(
            lead_id
            for lead_id, is_open, has, p in states
            if is_open and not has and not p
        )
        activities, held = self.env["sale.activity.neglect"]._schedule_on_demand(
            candidates
        )
        return self._playbook_followup_notification(
            len(activities), planned, closed, paused, held
        )

    def action_pause_playbook_followups(self):
        """Open the dialog that pauses the lead's follow-ups until a day."""
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause follow-ups"),
            "res_model": "sale.activity.playbook.pause",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_stop_playbook(self):
        """Open the dialog that stops a playbook on the leads."""
        ensure_records(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Stop playbook"),
            "res_model": "sale.activity.playbook.stop",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lead_ids": [Command.set(self.ids)]},
        }

    def action_resume_playbook_followups(self):
        """Resume the lead's follow-ups at once."""
        ensure_records(self)
        self.playbook_paused_until = False
        for lead in self:
            lead._message_log(body=self.env._("Follow-ups resumed."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _playbook_neglect_states(self):
        """``(lead id, open, has an open activity, paused)`` rows of the
        leads."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT lead.id, %s AS open,
                       EXISTS (SELECT FROM mail_activity activity
                                WHERE activity.res_model = 'crm.lead'
                                  AND activity.res_id = lead.id AND activity.active),
                       %s AS paused
                  FROM crm_lead lead
                 WHERE lead.id = ANY(%s)
                """,
                OPEN_LEAD,
                self._playbook_paused_condition("lead", fields.Datetime.now()),
                self.ids,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _playbook_followup_notification(self, scheduled, planned, closed, paused, held):
        _ = self.env._
        counts = [
            (_("Already planned: %(count)s."), len(planned)),
            (_("Closed (won or lost): %(count)s."), len(closed)),
            (_("Follow-ups paused: %(count)s."), len(paused)),
            (
                _(
                    "Busy, someone else is working on them right now (try again in "
                    "a moment): %(count)s."
                ),
                len(held),
            ),
        ]
        message = " ".join(
            [_("Follow-ups scheduled: %(count)s.", count=scheduled)]
            + [sentence % {"count": count} for sentence, count in counts if count]
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Schedule follow-up"),
                "message": message,
                "type": "success" if scheduled and not held else "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _playbook_today(self):
        """Today for the lead's salesperson (in their time zone)."""
        self.ensure_one()
        return self.env["sale.activity.user.time"]._user_today(self.user_id)

    def _playbook_resume_date(self):
        """The day the lead's follow-ups resume, while it lies ahead."""
        self.ensure_one()
        paused_until = self.playbook_paused_until
        if paused_until and paused_until > self._playbook_today():
            return paused_until
        return False

    @api.model
    def _playbook_paused_condition(self, alias, now, days=None):
        """SQL condition on the ``crm_lead`` row ``alias``: its follow-ups are
        paused at ``now`` (UTC), the day they resume lying ahead in its
        salesperson's time zone (UTC's when unset), as ``playbook_paused``
        says. For the crons' candidate queries: no query per lead. ``days``:
        ``_time_zones_by_day(now)``, when the caller has it already. Flushes
        what it reads: the query reads the database."""
        self.flush_model(["playbook_paused_until", "user_id"])
        self.env["res.users"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["tz"])
        lead = SQL.identifier(alias)
        UserTime = self.env["sale.activity.user.time"]
        days = days or UserTime._time_zones_by_day(now)
        tz = SQL(
            "(SELECT partner.tz FROM res_users salesperson "
            "JOIN res_partner partner ON partner.id = salesperson.partner_id "
            "WHERE salesperson.id = %s.user_id)",
            lead,
        )
        today = UserTime._day_in_time_zone_sql(tz, now, days)
        # never NULL (NOT of it neither); the first comparisons spare the
        # last one to the leads never paused
        return SQL(
            "(%s.playbook_paused_until IS NOT NULL "
            "AND %s.playbook_paused_until > %s AND %s.playbook_paused_until > %s)",
            lead,
            lead,
            min(days),
            lead,
            today,
        )

    def _postpone_playbook_followups(self):
        """Follow-ups made by rules (not by hand) due before the pause ends
        move to the first working day of their assignee from then on."""
        Line = self.env["sale.activity.playbook.line"]
        UserTime = self.env["sale.activity.user.time"]
        pending = self.env[
            "sale.activity.playbook.engine"
        ]._pending_playbook_activities(self)
        by_deadline = {}
        for activity in pending:
            resume = self.browse(activity.res_id).playbook_paused_until
            if resume and activity.date_deadline < resume:
                day = Line._add_working_days(
                    UserTime._working_calendar(activity.user_id), resume, 0
                )
                by_deadline.setdefault(day, pending.browse())
                by_deadline[day] |= activity
        for day, activities in by_deadline.items():
            activities.write({"date_deadline": day})

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # once Odoo notified the followers of the email: completing follow-ups
        # before would have them read again what completing evicts from the
        # cache (18.0 deletes done activities)
        if (
            message.message_type == "email"
            and not self.env.context.get("playbook_auto_reply")
            and self.team_id.id
            in self.env["sale.activity.playbook"]._get_reply_watching_team_ids()
        ):
            self.env["sale.activity.playbook.engine"]._on_customer_reply(self, message)
        return message

    def _cancel_playbook_activities_on_won(self):
        """Remove the pending follow-ups that playbooks created on won leads
        (playbooks with "Cancel on Won")."""
        if self:
            self.env["sale.activity.playbook.engine"]._on_leads_won(self)
