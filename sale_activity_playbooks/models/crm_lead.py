# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import errors

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .. import odoo_series
from .sale_activity_playbook_engine import Followup

_logger = logging.getLogger(__name__)

# Neglected leads (open, nothing planned, done or written for a while) get a
# follow-up from the daily ir_cron_playbook_neglect, or on demand from the
# server action action_schedule_playbook_followup. Leads per batch of the cron:
NEGLECT_BATCH_SIZE = 500


class CrmLead(models.Model):
    _inherit = "crm.lead"

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

    def _auto_init(self):
        res = super()._auto_init()
        # The neglect scan reads open leads per team; won and lost ones, most of
        # an old pipeline, stay out of this index.
        tools.create_index(
            self.env.cr,
            "crm_lead_playbook_open_team_idx",
            self._table,
            ["team_id", "expected_revenue"],
            where="active AND probability < 100",
        )
        return res

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
        res = super().write(vals)
        if vals.get("playbook_paused_until"):
            self._postpone_playbook_followups()
        if vals.get("stage_id"):
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
        nothing planned, and say how many were scheduled and skipped."""
        self.check_access("write")
        playbook_by_lead = self._playbook_lock_leads(
            SQL(
                """
                SELECT lead.id, NULL::integer AS playbook_id
                  FROM crm_lead lead
                 WHERE lead.id = ANY(%s)
                   AND lead.active AND lead.probability < 100
                   AND NOT EXISTS (
                       SELECT FROM mail_activity activity
                        WHERE activity.res_model = 'crm.lead'
                          AND activity.res_id = lead.id AND activity.active)
              ORDER BY lead.id
                   FOR UPDATE OF lead SKIP LOCKED
                """,
                self.ids,
            )
        )
        leads = self.browse(sorted(playbook_by_lead))
        Playbook = self.env["sale.activity.playbook"]
        settings = Playbook._get_team_settings("neglect_days")
        playbooks = {
            lead.id: Playbook._setting_for_lead(settings, lead)
            or Playbook._setting_for_lead(
                {lead.team_id.id: lead.team_id.playbook_ids.filtered("active")}, lead
            )
            for lead in leads
        }
        activities = leads._schedule_playbook_neglect_followups(playbooks)
        _ = self.env._
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Schedule follow-up"),
                "message": _(
                    "Follow-ups scheduled: %(scheduled)s. Leads skipped (already "
                    "planned or closed): %(skipped)s.",
                    scheduled=len(activities),
                    skipped=len(self) - len(leads),
                ),
                "type": "success" if activities else "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_pause_playbook_followups(self):
        """Open the dialog that pauses the lead's follow-ups until a day."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause follow-ups"),
            "res_model": "sale.activity.playbook.pause",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_resume_playbook_followups(self):
        """Resume the lead's follow-ups at once."""
        self.playbook_paused_until = False
        for lead in self:
            lead._message_log(body=self.env._("Follow-ups resumed."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _playbook_today(self):
        """Today for the lead's salesperson (in their time zone)."""
        self.ensure_one()
        return fields.Date.context_today(self.with_context(tz=self.user_id.tz or "UTC"))

    def _playbook_resume_date(self):
        """The day the lead's follow-ups resume, while it lies ahead."""
        self.ensure_one()
        paused_until = self.playbook_paused_until
        if paused_until and paused_until > self._playbook_today():
            return paused_until
        return False

    def _postpone_playbook_followups(self):
        """Follow-ups made by rules (not by hand) due before the pause ends
        move to the first working day of their assignee from then on."""
        Line = self.env["sale.activity.playbook.line"]
        pending = self.env[
            "sale.activity.playbook.engine"
        ]._pending_playbook_activities(self)
        by_deadline = {}
        for activity in pending:
            resume = self.browse(activity.res_id).playbook_paused_until
            if resume and activity.date_deadline < resume:
                day = Line._add_working_days(
                    Line._working_calendar(activity.user_id), resume, 0
                )
                by_deadline.setdefault(day, pending.browse())
                by_deadline[day] |= activity
        for day, activities in by_deadline.items():
            activities.write({"date_deadline": day})

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if (
            message.message_type == "email"
            and not self.env.context.get("playbook_auto_reply")
            and self.team_id.id
            in self.env["sale.activity.playbook"]._get_reply_watching_team_ids()
        ):
            author = message.author_id
            if author and not author.sudo().user_ids.filtered(
                lambda user: not user.share
            ):
                self.env["sale.activity.playbook.engine"]._on_customer_reply(
                    self, message
                )
        return res

    def _cancel_playbook_activities_on_won(self):
        """Remove the pending follow-ups that playbooks created on won leads
        (playbooks with "Cancel on Won")."""
        if not self:
            return
        # The follow-ups may belong to other salespeople: removing them is the
        # playbook's decision, not the user's.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", self.ids),
                    ("playbook_line_id.playbook_id.cancel_on_won", "=", True),
                ]
            )
        )
        activities.unlink()

    def _schedule_playbook_neglect_followups(self, playbooks, neglected=False):
        """Schedule on each lead of ``self`` the follow-up of its playbook
        (``{lead id: playbook}``) for its salesperson, due on their next working
        day. ``neglected``: say so in the follow-up's note."""
        if not self:
            return self.env["mail.activity"]
        Line = self.env["sale.activity.playbook.line"]
        default_type = self.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up",
            raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        calendars_cache = {}
        values = []
        for lead in self:
            playbook = playbooks.get(lead.id) or self.env["sale.activity.playbook"]
            activity_type = playbook.followup_type_id or default_type
            user = lead._playbook_followup_user()
            today = fields.Date.context_today(lead.with_context(tz=user.tz or "UTC"))
            calendar = (
                user.resource_calendar_id
                or lead.company_id.resource_calendar_id
                or user.company_id.resource_calendar_id
            )
            vals = {
                "res_model_id": model_id,
                "res_id": lead.id,
                "activity_type_id": activity_type.id,
                "summary": activity_type.summary or False,
                "user_id": user.id,
                "date_deadline": Line._add_working_days(
                    calendar, today, 1, calendars_cache
                ),
                "automated": True,
            }
            if neglected:
                vals["note"] = self.env._(
                    "Nothing planned, done or written on this lead for %(days)s "
                    "%(unit)s.",
                    days=playbook.neglect_days,
                    unit=Line._unit_word("days", playbook.neglect_days),
                )
            values.append(Followup(vals, notify=playbook.notify_assignment))
        created, _shared = self.env["sale.activity.playbook.engine"]._create_followups(
            values
        )
        return created

    def _playbook_followup_user(self):
        """The salesperson, or the team leader when there is no active one."""
        self.ensure_one()
        for user in (self.user_id, self.team_id.user_id):
            if user.active:
                return user
        return self.env.user

    @api.model
    def _playbook_lock_leads(self, candidates):
        """Run ``candidates``, a query of ``(lead id, playbook id)`` rows that
        locks its leads with ``FOR UPDATE OF lead SKIP LOCKED``, and return
        ``{lead id: playbook id}``.

        Leads that another worker holds are skipped. The locked rows are
        rewritten unchanged: a worker whose snapshot predates our commit can
        then no longer lock them (serialization failure) and take them for
        neglected on the strength of its stale snapshot; it takes none."""
        self.env.flush_all()
        query = SQL(
            """
            WITH candidate AS (%s)
            UPDATE crm_lead SET write_date = crm_lead.write_date
              FROM candidate
             WHERE crm_lead.id = candidate.id
         RETURNING candidate.id, candidate.playbook_id
            """,
            candidates,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                rows = self.env.cr.fetchall()
        except errors.SerializationFailure:
            _logger.info(
                "Another worker scheduled follow-ups on these leads meanwhile: "
                "left to the next run."
            )
            return {}
        return dict(rows)

    @api.model
    def _playbook_neglected_leads_query(self, limit):
        """The next ``limit`` neglected leads and the playbook that watches
        them, in one query: for each lead, the playbook of its team with the
        smallest non-zero ``neglect_days`` that applies to its company (or a
        shared one) gives the delay, the revenue threshold and the follow-up
        type."""
        return SQL(
            """
            SELECT lead.id, setting.playbook_id
              FROM crm_lead lead
              JOIN crm_team team ON team.id = lead.team_id
             CROSS JOIN LATERAL (
                   -- the playbook of the team with the smallest delay that
                   -- applies to the lead: shared, or of the lead's company
                   SELECT playbook.id AS playbook_id, playbook.neglect_days,
                          COALESCE(playbook.neglect_min_revenue, 0) AS min_revenue
                     FROM crm_team_sale_activity_playbook_rel rel
                     JOIN sale_activity_playbook playbook
                       ON playbook.id = rel.playbook_id
                    WHERE rel.team_id = lead.team_id
                      AND playbook.active AND playbook.neglect_days > 0
                      AND playbook.followup_type_id IS NOT NULL
                      AND (playbook.company_id IS NULL
                           OR COALESCE(lead.company_id, team.company_id) IS NULL
                           OR playbook.company_id
                              = COALESCE(lead.company_id, team.company_id))
                 ORDER BY playbook.neglect_days, playbook.sequence, playbook.id
                    LIMIT 1
                   ) setting
             WHERE lead.active AND lead.probability < 100 AND team.active
               -- leads of watching teams only, through the partial index
               AND lead.team_id IN (
                   SELECT rel.team_id
                     FROM crm_team_sale_activity_playbook_rel rel
                     JOIN sale_activity_playbook playbook
                       ON playbook.id = rel.playbook_id
                    WHERE playbook.active AND playbook.neglect_days > 0)
               AND (setting.min_revenue <= 0
                    OR lead.expected_revenue >= setting.min_revenue)
               AND lead.create_date
                   < %(now)s - make_interval(days => setting.neglect_days)
               AND EXISTS (
                   SELECT FROM res_users salesperson
                    WHERE salesperson.active
                      AND salesperson.id IN (lead.user_id, team.user_id))
               AND NOT EXISTS (
                   SELECT FROM mail_activity activity
                    WHERE activity.res_model = 'crm.lead'
                      AND activity.res_id = lead.id AND activity.active)
               AND NOT EXISTS (
                   SELECT FROM mail_message message
                    WHERE message.model = 'crm.lead' AND message.res_id = lead.id
                      AND message.date
                          >= %(now)s - make_interval(days => setting.neglect_days)
                      AND (message.message_type IN ('comment', 'email')
                           OR message.mail_activity_type_id IS NOT NULL))
          ORDER BY lead.id
             LIMIT %(limit)s
               FOR UPDATE OF lead SKIP LOCKED
            """,
            now=fields.Datetime.now(),
            limit=limit,
        )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_playbook_neglect(self, batch_size=NEGLECT_BATCH_SIZE):
        """Schedule a follow-up on the next batch of neglected leads."""
        locked = self._playbook_lock_leads(
            self._playbook_neglected_leads_query(batch_size)
        )
        leads = self.sudo().browse(sorted(locked))
        Playbook = self.env["sale.activity.playbook"].sudo()
        leads._schedule_playbook_neglect_followups(
            {lead_id: Playbook.browse(pid) for lead_id, pid in locked.items()},
            neglected=True,
        )
        # Counting what is left would cost a second scan: a full batch says
        # "more may remain", and the runner stops on an empty one.
        odoo_series.notify_cron_progress(
            self.env, done=len(leads), remaining=int(len(leads) >= batch_size)
        )
